//! Snippets: the fragments of a body that show why an article matched.
//!
//! Fragments are whole sentences (a long sentence is cut at word boundaries around its
//! match). They are ranked by how many distinct query terms they hold, then by how many
//! matches, then by position; the best three that do not overlap are returned, best first.
//! A phrase is highlighted as one unit and only where its words occur as a phrase. Every
//! offset is a `char` offset into the whole body. When nothing matches in the body (a title
//! or metadata match), the opening of the body is shown.

use crate::article::char_offset;
use serde::{Deserialize, Serialize};
use tantivy::tokenizer::TextAnalyzer;

/// Longest fragment, in chars, before a sentence is cut around its match.
const MAX_FRAGMENT: usize = 280;
/// Sentences shorter than this are joined with the next one.
const MIN_FRAGMENT: usize = 80;

/// A highlighted range (`char` offsets, end exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Highlight {
    /// Start offset.
    pub start: usize,
    /// End offset (exclusive).
    pub end: usize,
}

/// One fragment of a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    /// The fragment text: the body's chars `start..end`, with a leading and/or trailing `…`
    /// where a sentence was cut. A highlight is at `h.start - start` in the text, one char
    /// later when the text starts with `…`.
    pub text: String,
    /// Start offset of the fragment in the body (`char`s).
    pub start: usize,
    /// End offset (exclusive).
    pub end: usize,
    /// Highlights, as offsets into the whole body.
    pub highlights: Vec<Highlight>,
    /// Number of distinct query terms the fragment holds.
    pub terms: usize,
}

/// What to highlight: token sequences (one token for a word, several for a phrase) and
/// extra byte ranges (entity mentions), each tagged with the query term it stands for.
#[derive(Debug, Default, Clone)]
pub(crate) struct Terms {
    /// Analyzed token sequences, with their term number.
    pub(crate) sequences: Vec<(usize, Vec<String>)>,
}

impl Terms {
    /// Whether there is nothing to highlight.
    pub(crate) fn is_empty(&self) -> bool {
        self.sequences.is_empty()
    }
}

/// Byte ranges where `terms` match in `text`, tagged with the term number.
pub(crate) fn matches(
    text: &str,
    terms: &Terms,
    analyzer: &mut TextAnalyzer,
) -> Vec<(usize, usize, usize)> {
    if terms.is_empty() || text.is_empty() {
        return Vec::new();
    }
    let mut tokens: Vec<(String, usize, usize)> = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        tokens.push((t.text.clone(), t.offset_from, t.offset_to));
    }
    let mut out = Vec::new();
    for (term, seq) in &terms.sequences {
        if seq.is_empty() {
            continue;
        }
        for i in 0..tokens.len() {
            if i + seq.len() <= tokens.len() && seq.iter().zip(&tokens[i..]).all(|(s, t)| *s == t.0)
            {
                out.push((tokens[i].1, tokens[i + seq.len() - 1].2, *term));
            }
        }
    }
    out.sort();
    out
}

/// The fragments of `body` for the matches `found` (byte ranges with term numbers).
pub(crate) fn fragments(body: &str, found: &[(usize, usize, usize)], max: usize) -> Vec<Fragment> {
    let sentences = sentence_ranges(body);
    if found.is_empty() {
        return opening(body, &sentences).into_iter().collect();
    }
    // Candidate fragments: a sentence with a match, joined with the next while short.
    let mut candidates: Vec<(usize, usize)> = Vec::new();
    for (i, &(s, mut e)) in sentences.iter().enumerate() {
        // `found` is sorted by start: the matches of a range are a slice of it.
        let first = found.partition_point(|m| m.0 < s);
        if found.get(first).is_none_or(|m| m.0 >= e) {
            continue;
        }
        let mut j = i + 1;
        while body[s..e].chars().count() < MIN_FRAGMENT
            && j < sentences.len()
            && !body[e..sentences[j].0].contains("\n\n")
        {
            e = sentences[j].1;
            j += 1;
        }
        candidates.push((s, e));
    }
    let mut scored: Vec<(usize, usize, usize, usize)> = candidates
        .iter()
        .filter_map(|&(s, e)| {
            let inside: Vec<&(usize, usize, usize)> = within(found, s, e).collect();
            let mut distinct: Vec<usize> = inside.iter().map(|m| m.2).collect();
            distinct.sort_unstable();
            distinct.dedup();
            (!inside.is_empty()).then_some((distinct.len(), inside.len(), s, e))
        })
        .collect();
    // Best first: more distinct terms, more matches, earlier.
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let mut chosen: Vec<Fragment> = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for (terms, _, s, e) in scored {
        if chosen.len() == max {
            break;
        }
        let (s, e) = shorten(body, s, e, found);
        if taken.iter().any(|&(ts, te)| s < te && ts < e) {
            continue;
        }
        taken.push((s, e));
        chosen.push(fragment(body, s, e, found, terms));
    }
    chosen
}

/// The matches inside the byte range `[s, e)` (`found` sorted by start).
fn within(
    found: &[(usize, usize, usize)],
    s: usize,
    e: usize,
) -> impl Iterator<Item = &(usize, usize, usize)> {
    let lo = found.partition_point(|m| m.0 < s);
    let hi = found.partition_point(|m| m.0 < e);
    found[lo..hi].iter().filter(move |m| m.1 <= e)
}

/// The opening of the body, for articles that matched elsewhere.
fn opening(body: &str, sentences: &[(usize, usize)]) -> Option<Fragment> {
    let &(s, mut e) = sentences.first()?;
    for &(_, next_end) in &sentences[1..] {
        if body[s..next_end].chars().count() > MAX_FRAGMENT || body[e..next_end].contains("\n\n") {
            break;
        }
        e = next_end;
    }
    let (s, e) = shorten(body, s, e, &[]);
    Some(fragment(body, s, e, &[], 0))
}

fn fragment(
    body: &str,
    s: usize,
    e: usize,
    found: &[(usize, usize, usize)],
    terms: usize,
) -> Fragment {
    // Without surrounding spaces, so that `text` is exactly `body[start..end]` (plus the marks
    // of a cut sentence): a reader can map highlights into it.
    let e = s + body[s..e].trim_end().len();
    let s = e - body[s..e].trim_start().len();
    let cut_start = s > 0 && !is_sentence_start(body, s);
    let cut_end = e < body.len()
        && !body[..e]
            .trim_end()
            .ends_with(['.', '!', '?', '"', '”', '’', ')']);
    let mut text = String::new();
    if cut_start {
        text.push('…');
    }
    text.push_str(&body[s..e]);
    if cut_end {
        text.push('…');
    }
    let start_chars = char_offset(body, s);
    let inside: Vec<(usize, usize, usize)> = within(found, s, e).copied().collect();
    Fragment {
        text,
        start: start_chars,
        end: start_chars + body[s..e].chars().count(),
        highlights: highlights(body, &inside),
        terms,
    }
}

/// Byte-range matches as `char`-offset highlights, sorted, overlaps merged (a word inside a
/// highlighted phrase, an entity mention that is also a query word).
pub(crate) fn highlights(text: &str, found: &[(usize, usize, usize)]) -> Vec<Highlight> {
    let mut hs: Vec<Highlight> = found
        .iter()
        .map(|m| Highlight {
            start: char_offset(text, m.0),
            end: char_offset(text, m.1),
        })
        .collect();
    hs.sort();
    let mut merged: Vec<Highlight> = Vec::new();
    for h in hs {
        match merged.last_mut() {
            Some(last) if h.start <= last.end => last.end = last.end.max(h.end),
            _ => merged.push(h),
        }
    }
    merged
}

fn is_sentence_start(body: &str, s: usize) -> bool {
    let before = body[..s].trim_end();
    before.is_empty()
        || before.ends_with(['.', '!', '?', '"', '”', '’', ')', '\n'])
        || body[..s].ends_with("\n\n")
}

/// Cut a range longer than `MAX_FRAGMENT` chars to a window around its first match,
/// at word boundaries.
fn shorten(body: &str, s: usize, e: usize, found: &[(usize, usize, usize)]) -> (usize, usize) {
    if body[s..e].chars().count() <= MAX_FRAGMENT {
        return (s, e);
    }
    let anchor = found
        .iter()
        .find(|m| m.0 >= s && m.1 <= e)
        .map_or(s, |m| m.0);
    // Start up to a third of the window before the match, at a word boundary.
    let mut start = anchor;
    let mut chars_back = 0;
    for (i, c) in body[s..anchor].char_indices().rev() {
        chars_back += 1;
        if chars_back > MAX_FRAGMENT / 3 {
            break;
        }
        if c.is_whitespace() {
            start = s + i + c.len_utf8();
        }
    }
    if anchor - s <= MAX_FRAGMENT / 3 || start == anchor && chars_back <= MAX_FRAGMENT / 3 {
        start = s;
    }
    let mut end = start;
    let mut count = 0;
    for (i, c) in body[start..e].char_indices() {
        count += 1;
        if count > MAX_FRAGMENT {
            break;
        }
        if c.is_whitespace() {
            end = start + i;
        }
    }
    if end <= start {
        end = e;
    }
    (start, end)
}

/// `U.S`, `U.K`, `U.N` (the last period is the one being looked at): single letters joined
/// by periods.
fn is_dotted_initialism(word: &str) -> bool {
    let word = word.trim_start_matches(['(', '“', '"']);
    word.len() >= 3
        && word
            .split('.')
            .all(|part| part.chars().count() == 1 && part.chars().all(char::is_uppercase))
}

/// Whether `text` starts with a word that usually opens a sentence: after `U.S.`, "The"
/// starts a new sentence, "Commerce Secretary" does not.
fn starts_sentence(text: &str) -> bool {
    const OPENERS: &[&str] = &[
        "A",
        "After",
        "Also",
        "An",
        "And",
        "As",
        "At",
        "But",
        "By",
        "For",
        "From",
        "He",
        "Her",
        "His",
        "However",
        "I",
        "If",
        "In",
        "It",
        "Its",
        "Meanwhile",
        "Most",
        "No",
        "Officials",
        "On",
        "Our",
        "She",
        "Some",
        "That",
        "The",
        "Their",
        "There",
        "These",
        "They",
        "This",
        "Those",
        "To",
        "We",
        "When",
        "While",
        "With",
        "Yet",
    ];
    let first = text
        .trim_start_matches(['"', '“', '‘', '\'', '('])
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    first.is_empty() || first.starts_with(char::is_numeric) || OPENERS.contains(&first)
}

/// Byte ranges of the sentences of `text` (paragraph breaks always end one).
pub(crate) fn sentence_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let c = bytes[i];
        let end_here = if c == b'\n' {
            Some(i)
        } else if matches!(c, b'.' | b'!' | b'?') {
            // Include closing quotes/brackets.
            let mut j = i + 1;
            while j < text.len() && matches!(bytes[j], b'"' | b'\'' | b')') {
                j += 1;
            }
            for q in ['”', '’'] {
                if text[j..].starts_with(q) {
                    j += q.len_utf8();
                }
            }
            let next_is_space = text[j..].starts_with(char::is_whitespace);
            let after = text[j..].trim_start();
            let word_before = text[start..i]
                .rsplit(|ch: char| ch.is_whitespace())
                .next()
                .unwrap_or("");
            let new_sentence = after.is_empty()
                || after.starts_with(|ch: char| {
                    ch.is_uppercase() || ch.is_numeric() || "\"“‘'(".contains(ch)
                });
            let abbreviation = c == b'.'
                && (crate::normalise::text::is_abbreviation(word_before)
                    || is_dotted_initialism(word_before) && !starts_sentence(after));
            (next_is_space && new_sentence && !abbreviation).then_some(j)
        } else {
            None
        };
        if let Some(end) = end_here {
            if text[start..end].trim().is_empty() {
                start = end;
            } else {
                let lead = text[start..end].len() - text[start..end].trim_start().len();
                out.push((start + lead, end));
                start = end;
            }
        }
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    if !text[start..].trim().is_empty() {
        let lead = text[start..].len() - text[start..].trim_start().len();
        out.push((start + lead, text.trim_end().len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::text_analyzer;

    fn terms(words: &[&[&str]]) -> Terms {
        let mut t = Terms::default();
        for (i, seq) in words.iter().enumerate() {
            t.sequences
                .push((i, seq.iter().map(|s| s.to_string()).collect()));
        }
        t
    }

    #[test]
    fn sentences() {
        let s = "Mr. Smith went to the U.S. on Monday. He left.\n\nNew paragraph here";
        let r: Vec<&str> = sentence_ranges(s).iter().map(|&(a, b)| &s[a..b]).collect();
        assert_eq!(
            r,
            [
                "Mr. Smith went to the U.S. on Monday.",
                "He left.",
                "New paragraph here"
            ]
        );
        // A date's month and the U.S. before a name do not end a sentence; the U.S. before
        // "The" does.
        let s = "BRUSSELS, Oct. 17, 2017 - Talks began. The United States and Japan will settle, U.S. Commerce Secretary Malcolm Baldrige said. Exports went to the U.S. The company said so.";
        let r: Vec<&str> = sentence_ranges(s).iter().map(|&(a, b)| &s[a..b]).collect();
        assert_eq!(
            r,
            [
                "BRUSSELS, Oct. 17, 2017 - Talks began.",
                "The United States and Japan will settle, U.S. Commerce Secretary Malcolm Baldrige said.",
                "Exports went to the U.S.",
                "The company said so."
            ]
        );
    }

    #[test]
    fn phrase_is_one_unit_and_only_as_phrase() {
        let body = "Cooperation was pragmatic at first. Later the two sides sought pragmatic cooperation on trade.";
        let mut a = text_analyzer();
        let found = matches(body, &terms(&[&["pragmat", "cooper"]]), &mut a);
        assert_eq!(found.len(), 1);
        let frags = fragments(body, &found, 3);
        assert_eq!(frags.len(), 1);
        let h = frags[0].highlights[0];
        let chars: Vec<char> = body.chars().collect();
        assert_eq!(
            chars[h.start..h.end].iter().collect::<String>(),
            "pragmatic cooperation"
        );
    }

    #[test]
    fn ranked_by_distinct_terms() {
        let body = "The old port opened in the spring of 1911 and was extended twice in the following decades. \
                    Dockers waited for hours in the rain on Monday while the unions met the owners. \
                    The new port will serve ships from Asia and ships from Europe.";
        let mut a = text_analyzer();
        let found = matches(body, &terms(&[&["port"], &["ship"]]), &mut a);
        let frags = fragments(body, &found, 3);
        assert!(frags[0].text.starts_with("The new port"), "{frags:?}");
        assert_eq!(frags[0].terms, 2);
    }

    #[test]
    fn opening_when_nothing_matches() {
        let body = "First sentence of the body. Second one.";
        let frags = fragments(body, &[], 3);
        assert_eq!(frags.len(), 1);
        assert_eq!(frags[0].start, 0);
        assert!(frags[0].highlights.is_empty());
    }

    #[test]
    fn offsets_are_chars_into_the_whole_body() {
        let body = "Café owners in Besançon met on Tuesday to discuss the new market hall and its rents. The mayor of Besançon spoke.";
        let mut a = text_analyzer();
        let found = matches(body, &terms(&[&["mayor"]]), &mut a);
        let f = &fragments(body, &found, 3)[0];
        let chars: Vec<char> = body.chars().collect();
        let h = f.highlights[0];
        assert_eq!(chars[h.start..h.end].iter().collect::<String>(), "mayor");
        assert_eq!(
            chars[f.start..f.end].iter().collect::<String>(),
            "The mayor of Besançon spoke."
        );
    }
}
