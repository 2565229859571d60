//! Tokens of a text for entity recognition: words with their byte spans, sentence starts,
//! punctuation breaks and possessives. Shared by the rules and the learned tagger.

use super::super::gazetteer;
use std::borrow::Cow;

#[derive(Debug, Clone)]
pub(crate) struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub sentence_start: bool,
    /// Punctuation (not just spaces) separates this token from the next.
    pub break_after: bool,
    /// The token had a possessive `'s` (a name ends there).
    pub possessive: bool,
    /// See [`Token::capitalised`] (computed once: asked many times).
    cap: bool,
    /// See [`Token::all_caps`].
    shouted: bool,
    /// The text in small letters (borrowed when it is already).
    lower: Cow<'a, str>,
}

impl<'a> Token<'a> {
    fn new(text: &'a str, start: usize, sentence_start: bool) -> Token<'a> {
        // One pass over the characters: letters, capitals, small letters.
        let (mut letters, mut upper, mut small) = (0usize, false, false);
        if text.is_ascii() {
            for b in text.bytes() {
                letters += usize::from(b.is_ascii_alphabetic());
                upper |= b.is_ascii_uppercase();
                small |= b.is_ascii_lowercase();
            }
        } else {
            for c in text.chars() {
                letters += usize::from(c.is_alphabetic());
                upper |= c.is_uppercase();
                small |= c.is_lowercase();
            }
        }
        let cap = text.starts_with(|c: char| c.is_uppercase())
            || (upper
                && text.split_once('-').is_some_and(|(p, rest)| {
                    PARTICLES.contains(&p) && rest.starts_with(|c: char| c.is_uppercase())
                }));
        let shouted = letters >= 2 && !small;
        let lower = if !upper {
            Cow::Borrowed(text)
        } else if text.is_ascii() {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Owned(text.to_lowercase())
        };
        Token {
            text,
            lower,
            start,
            end: start + text.len(),
            sentence_start,
            break_after: true,
            possessive: false,
            cap,
            shouted,
        }
    }

    /// Starts with a capital, or is a particle name like `al-Assad`.
    pub fn capitalised(&self) -> bool {
        self.cap
    }

    /// Two letters or more, none of them small.
    pub fn all_caps(&self) -> bool {
        self.shouted
    }
    /// The text in small letters.
    pub fn lower(&self) -> &str {
        &self.lower
    }
}

pub(crate) fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut iter = text.char_indices().peekable();
    let mut last_end = 0;
    while let Some((start, c)) = iter.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, n)) = iter.peek() {
            if n.is_alphanumeric() || is_mark(n) {
                end = i + n.len_utf8();
                iter.next();
            } else if matches!(n, '\'' | '’' | '-' | '&' | '.')
                && text[i + n.len_utf8()..].starts_with(|x: char| x.is_alphanumeric())
            {
                iter.next();
            } else {
                break;
            }
        }
        let mut word = &text[start..end];
        // "U.S." and "Mr." keep their final period.
        if text[end..].starts_with('.')
            && (is_initialism(word) || crate::normalise::text::is_abbreviation(word))
        {
            end += 1;
            word = &text[start..end];
            iter.next();
        }
        let gap = &text[last_end..start];
        // "Mr." and "U.S." keep their period, so a period in the gap ends a sentence.
        // A dash between spaces ends a dateline ("CHICAGO, June 10 - Wheat futures..."), so
        // the word after it is capitalised as a sentence's first word.
        // Most gaps are one space: nothing to look for.
        let spaces = gap.bytes().all(|b| b == b' ');
        let sentence_start = tokens.is_empty()
            || (!spaces
                && (gap.contains(['.', '!', '?', '\n', ':', '•', '|'])
                    || [" - ", " – ", " — ", " -- "]
                        .iter()
                        .any(|d| gap.contains(d))));
        if let Some(prev) = tokens.last_mut() {
            prev.break_after = prev.possessive || !spaces;
        }
        // Possessive.
        let (w, e) = match word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")) {
            Some(stem) if !stem.is_empty() => (stem, start + stem.len()),
            _ => (word, end),
        };
        let possessive = e != end;
        if w.contains('-') {
            for (piece, at) in split_compound(w, start) {
                tokens.push(Token::new(piece, at, sentence_start && at == start));
            }
        } else {
            tokens.push(Token::new(w, start, sentence_start));
        }
        if let Some(t) = tokens.last_mut() {
            t.possessive = possessive;
        }
        last_end = end;
    }
    if let Some(t) = tokens.last_mut() {
        t.break_after = true;
    }
    tokens
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}')
}

/// "U.S", "U.N" (final period not yet included).
fn is_initialism(w: &str) -> bool {
    w.len() >= 3
        && w.split('.')
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_uppercase))
}

/// Split `Russian-US` and `post-Cold` into their words; keep `al-Assad`, `Jean-Claude`.
fn split_compound(word: &str, start: usize) -> Vec<(&str, usize)> {
    if !word.contains('-') {
        return vec![(word, start)];
    }
    let parts: Vec<&str> = word.split('-').collect();
    let g = gazetteer::get();
    let first = parts[0].to_lowercase();
    let all_caps_words = parts
        .iter()
        .all(|p| p.starts_with(|c: char| c.is_uppercase()));
    let known_part = parts.iter().any(|p| {
        let l = p.to_lowercase();
        g.demonyms.contains_key(&l) || g.known.contains_key(&l)
    });
    if PARTICLES.contains(&first.as_str())
        || (all_caps_words && !known_part)
        || parts.iter().any(|p| p.is_empty())
    {
        return vec![(word, start)];
    }
    let mut out = Vec::new();
    let mut offset = start;
    for p in parts {
        out.push((p, offset));
        offset += p.len() + 1;
    }
    out
}

/// Lower-case prefixes of names joined by a hyphen (`al-Assad`, `bin-Salman`).
pub(crate) const PARTICLES: [&str; 9] =
    ["al", "el", "ad", "as", "bin", "ibn", "abu", "ben", "bint"];
