//! Features of each token for the learned tagger: a pure function from a text's tokens (and
//! what the rules made of them) to hashed feature ids. The trainer (`train-ner/`, through the
//! `dev` feature) calls this same function, so training and tagging cannot disagree.
//!
//! Every feature is a template number mixed with one or two hashed values (a word, a shape,
//! a gazetteer tag...) and folded into `2^BUCKET_BITS` buckets. No word list is stored: the
//! model holds only weights of buckets.
//!
//! Only *candidate* tokens are tagged — tokens with a capital letter, and connectors between
//! them (`Bank of England`); every other token is `O`. A run of candidates is a segment,
//! decoded on its own.

use super::decode::kind_index;
use super::rules::{self, CONNECTORS, ORG_HEAD, PLACE_HEAD, PLACE_SUFFIX};
use super::spans::Found;
use super::tokens::Token;
use crate::article::EntityKind;
use crate::normalise::gazetteer::{Gazetteer, TitleKind};
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;
use xxhash_rust::xxh3::xxh3_64;

/// Feature ids are folded into `2^BUCKET_BITS` buckets.
pub const BUCKET_BITS: u32 = 20;

/// Names the feature templates and their order. Any change to what a template computes must
/// change this text: its hash is in the model's header, and a model trained on other
/// templates is refused.
pub const TEMPLATES: &str =
    "newsdex-ner-features 2 (periods out of words): bias lower exact shape pre3 suf2 suf3 \
suf4 lower-1 lower+1 lower-2 lower+2 lower-1.lower lower.lower+1 shape-1.shape.shape+1 gap-before \
gap-after flags flags-1 flags+1 known known-1.known+1 rule rule-1 rule+1 rule.shape doc-rule \
start.shape caps-sentence.shape run lower-1.known known.lower+1";

/// Words that join the capitalised words of one name (`Bank of England`, `Vincent van Gogh`).
const LINKS: [&str; 10] = [
    "the", "and", "&", "y", "le", "den", "des", "della", "on", "upon",
];

// Flags of a token (bits of `Info::flags`).
const CAP: u32 = 1;
const ALL_CAPS: u32 = 1 << 1;
const SENTENCE_START: u32 = 1 << 2;
const DIGIT: u32 = 1 << 3;
const GIVEN: u32 = 1 << 4;
const GIVEN_AMBIGUOUS: u32 = 1 << 5;
const HONORIFIC: u32 = 1 << 6;
const ROLE: u32 = 1 << 7;
const ORG_SUFFIX: u32 = 1 << 8;
const DEMONYM: u32 = 1 << 9;
const NOT_NAME: u32 = 1 << 10;
const CONNECTOR: u32 = 1 << 11;
const PLACE_WORD: u32 = 1 << 12;
const ORG_HEAD_WORD: u32 = 1 << 13;
const DOC_LOWER: u32 = 1 << 14;
const DOC_MID_CAPS: u32 = 1 << 15;
const POSSESSIVE: u32 = 1 << 16;
const BREAK_AFTER: u32 = 1 << 17;
/// The flags of a neighbour worth a feature of their own.
const NEIGHBOUR_FLAGS: u32 =
    GIVEN | HONORIFIC | ROLE | ORG_SUFFIX | DEMONYM | CONNECTOR | PLACE_WORD | CAP | POSSESSIVE;

/// What is known of one token before its features are made.
#[derive(Debug, Clone, Copy, Default)]
struct Info {
    /// What depends on the word alone (its `flags` without this token's own below).
    w: Word,
    /// The punctuation between the previous token and this one.
    gap: u64,
    /// The word's flags and this token's (sentence start, possessive, break, document).
    flags: u32,
    /// Gazetteer: 0 none, else `1 + 2·kind + inside`.
    known: u8,
    /// The rules: 0 none, else `1 + 2·kind + inside` (kind 4: found, no kind), + 16 known,
    /// + 32 titled.
    rule: u8,
    /// Position in the capitalised run of the rules (0 none, 1 single, 2 first, 3 inside,
    /// 4 last) and the run's length (capped at 4).
    run: u8,
}

/// Words whose features are kept between calls (per thread); past this many the cache
/// starts again, so its memory stays bounded (a few MB).
const WORD_CACHE: usize = 50_000;

/// What a word's features need that depends on the word alone (computed once, cached).
#[derive(Debug, Clone, Copy, Default)]
struct Word {
    lower: u64,
    exact: u64,
    shape: u64,
    pre3: u64,
    suf2: u64,
    suf3: u64,
    suf4: u64,
    flags: u32,
}

impl Word {
    fn of(t: &Token, g: &Gazetteer) -> Word {
        let l = t.lower();
        let bare = l.trim_end_matches('.');
        let mut f = 0;
        let mut set = |cond: bool, bit: u32| {
            if cond {
                f |= bit;
            }
        };
        set(t.capitalised(), CAP);
        set(t.all_caps(), ALL_CAPS);
        set(t.text.chars().any(|c| c.is_ascii_digit()), DIGIT);
        set(g.given.contains(l), GIVEN);
        set(g.given_ambiguous.contains(l), GIVEN_AMBIGUOUS);
        let title = g.titles.get(l).or_else(|| g.titles.get(bare));
        set(title == Some(&TitleKind::Honorific), HONORIFIC);
        set(title == Some(&TitleKind::Role), ROLE);
        set(g.org_suffix.contains(bare), ORG_SUFFIX);
        set(g.demonyms.contains_key(l), DEMONYM);
        set(g.not_names.contains(l), NOT_NAME);
        set(CONNECTORS.contains(&t.text), CONNECTOR);
        set(
            PLACE_SUFFIX.contains(&l) || PLACE_HEAD.contains(&l),
            PLACE_WORD,
        );
        set(ORG_HEAD.contains(&l), ORG_HEAD_WORD);
        Word {
            // Periods do not tell words apart: "U.S." is "US", "Mr." is "Mr", "Corp." "Corp".
            lower: if l.contains('.') {
                xxh3_64(l.replace('.', "").as_bytes())
            } else {
                xxh3_64(l.as_bytes())
            },
            exact: xxh3_64(t.text.as_bytes()),
            shape: shape(t.text),
            pre3: affix(l, 3, true),
            suf2: affix(l, 2, false),
            suf3: affix(l, 3, false),
            suf4: affix(l, 4, false),
            flags: f,
        }
    }
}

/// A text's tokens made into features: `features[offsets[i]..offsets[i + 1]]` are token `i`'s
/// (empty for a token that is not a candidate), and `segments` the runs of candidates.
#[derive(Debug, Default, Clone)]
pub struct Featurised {
    /// Feature ids (bucket numbers), all tokens' one after another.
    pub features: Vec<u32>,
    /// Where each token's features start in `features`; one more entry than tokens.
    pub offsets: Vec<usize>,
    /// Runs of consecutive candidate tokens.
    pub segments: Vec<Range<usize>>,
    /// The template of each feature (parallel to `features`), for the trainer.
    #[cfg(feature = "dev")]
    pub templates: Vec<u8>,
    info: Vec<Info>,
    small: FxHashSet<u64>,
    mid_caps: FxHashSet<u64>,
    by_word: FxHashMap<u64, [u16; 5]>,
    words: FxHashMap<Box<str>, Word>,
}

/// Mixes a template number with two values into a bucket.
fn bucket(template: u64, a: u64, b: u64) -> u32 {
    let mut h = template.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ a;
    h = (h ^ (h >> 31)).wrapping_mul(0xBF58_476D_1CE4_E5B9) ^ b;
    h = (h ^ (h >> 29)).wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^= h >> 32;
    (h >> (64 - BUCKET_BITS)) as u32
}

/// A kind's number (0 to 3) in feature values.
fn kind_number(kind: EntityKind) -> u8 {
    kind_index(kind) as u8
}

/// The word's shape: capitals `X`, small letters `x`, digits `d`, other characters as they
/// are; runs of one class written once (`McDonald` → `XxXx`, `U.S.` → `X.X.`).
fn shape(word: &str) -> u64 {
    let mut buf = [0u8; 24];
    let mut n = 0;
    let mut last = 0u8;
    for c in word.chars() {
        let class = if c.is_uppercase() {
            b'X'
        } else if c.is_lowercase() {
            b'x'
        } else if c.is_numeric() {
            b'd'
        } else if c.is_ascii() {
            c as u8
        } else {
            b'?'
        };
        if class != last && n < buf.len() {
            buf[n] = class;
            n += 1;
        }
        last = class;
    }
    xxh3_64(&buf[..n])
}

/// The hash of the first or last `n` characters of `s`.
fn affix(s: &str, n: usize, prefix: bool) -> u64 {
    let cut = if prefix {
        s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
    } else {
        s.char_indices()
            .rev()
            .nth(n.saturating_sub(1))
            .map_or(0, |(i, _)| i)
    };
    let part = if prefix { &s[..cut] } else { &s[cut..] };
    xxh3_64(part.as_bytes()) ^ (n as u64) << 56
}

/// Whether a token may be part of a name: a capital letter, or a link between names.
fn candidates(tokens: &[Token]) -> Vec<bool> {
    let cap = |i: usize| {
        tokens
            .get(i)
            .is_some_and(|t: &Token| t.text.chars().any(char::is_uppercase))
    };
    let link = |i: usize| {
        tokens
            .get(i)
            .is_some_and(|t: &Token| CONNECTORS.contains(&t.text) || LINKS.contains(&t.text))
    };
    let mut out = vec![false; tokens.len()];
    for i in 0..tokens.len() {
        out[i] = cap(i)
            || (link(i)
                && i > 0
                && out[i - 1]
                && !tokens[i - 1].break_after
                && (cap(i + 1) || (link(i + 1) && cap(i + 2))));
    }
    out
}

impl Featurised {
    /// Makes the features of `tokens` (of `text`), given what the rules found in it.
    pub(crate) fn make(
        &mut self,
        text: &str,
        tokens: &[Token],
        runs: &[Range<usize>],
        found: &[Found],
        g: &Gazetteer,
    ) {
        self.features.clear();
        self.offsets.clear();
        self.segments.clear();
        #[cfg(feature = "dev")]
        self.templates.clear();
        self.info.clear();
        let n = tokens.len();
        self.info.resize(n, Info::default());
        let candidate = candidates(tokens);

        // Words the text writes in small letters; words it capitalises mid-sentence.
        let mut small = std::mem::take(&mut self.small);
        let mut mid_caps = std::mem::take(&mut self.mid_caps);
        let mut by_word = std::mem::take(&mut self.by_word);
        small.clear();
        mid_caps.clear();
        by_word.clear();
        if self.words.len() > WORD_CACHE {
            self.words.clear();
        }
        for (i, t) in tokens.iter().enumerate() {
            let w = match self.words.get(t.text) {
                Some(w) => *w,
                None => {
                    let w = Word::of(t, g);
                    self.words.insert(t.text.into(), w);
                    w
                }
            };
            let info = &mut self.info[i];
            info.w.lower = w.lower;
            if t.text.starts_with(char::is_lowercase) {
                small.insert(w.lower);
            } else if t.capitalised() && !t.sentence_start {
                mid_caps.insert(w.lower);
            }
            let near = candidate[i]
                || candidate.get(i + 1).copied().unwrap_or(false)
                || (i > 0 && candidate[i - 1]);
            if !near {
                // Only candidates and their neighbours need more.
                continue;
            }
            let prev_end = if i == 0 { 0 } else { tokens[i - 1].end };
            // The first two characters of punctuation before the token.
            let mut gap = [0u8; 8];
            let mut len = 0;
            for c in text.get(prev_end..t.start).unwrap_or("").chars() {
                if !c.is_whitespace() && len + c.len_utf8() <= gap.len() {
                    len += c.encode_utf8(&mut gap[len..]).len();
                    if len >= 2 {
                        break;
                    }
                }
            }
            info.gap = xxh3_64(&gap[..len]);
            info.w = w;
            let mut f = w.flags;
            if t.sentence_start {
                f |= SENTENCE_START;
            }
            if t.possessive {
                f |= POSSESSIVE;
            }
            if t.break_after {
                f |= BREAK_AFTER;
            }
            info.flags = f;
        }
        for info in &mut self.info {
            if small.contains(&info.w.lower) {
                info.flags |= DOC_LOWER;
            }
            if mid_caps.contains(&info.w.lower) {
                info.flags |= DOC_MID_CAPS;
            }
        }

        // The gazetteer's longest names, left to right.
        let mut i = 0;
        while i < n {
            if !candidate[i] {
                i += 1;
                continue;
            }
            let longest = rules::longest_match(&tokens[i..], 1, g);
            match longest {
                Some((len, k)) => {
                    for j in i..i + len {
                        self.info[j].known = 1 + 2 * kind_number(k.kind) + u8::from(j > i);
                    }
                    i += len;
                }
                None => i += 1,
            }
        }

        // What the rules found, token by token; and for each word, the kind the rules give
        // it most often in this text.
        for f in found {
            let first = tokens.partition_point(|t| t.start < f.start);
            let kind = f.kind.map_or(4, kind_number);
            let mut j = first;
            while j < n && tokens[j].end <= f.end {
                let mut tag = 1 + 2 * kind + u8::from(j > first);
                tag += 16 * u8::from(f.known) + 32 * u8::from(f.titled);
                self.info[j].rule = tag;
                by_word.entry(self.info[j].w.exact).or_default()[usize::from(kind)] += 1;
                j += 1;
            }
        }
        for run in runs {
            let len = run.len().min(4) as u8;
            for j in run.clone() {
                let pos = if run.len() == 1 {
                    1
                } else if j == run.start {
                    2
                } else if j + 1 == run.end {
                    4
                } else {
                    3
                };
                self.info[j].run = pos + 8 * len;
            }
        }

        // Sentences mostly in capitals (headlines of wire copy).
        let mut shouted = vec![false; n];
        let mut s = 0;
        while s < n {
            let mut e = s + 1;
            while e < n && !tokens[e].sentence_start {
                e += 1;
            }
            let caps = tokens[s..e].iter().filter(|t| t.all_caps()).count();
            let loud = caps * 2 > e - s && e - s >= 2;
            shouted[s..e].fill(loud);
            s = e;
        }

        let none = Info {
            w: Word {
                lower: 1,
                exact: 1,
                shape: 1,
                ..Word::default()
            },
            gap: 1,
            ..Info::default()
        };
        let at = |k: isize| -> Info {
            if k < 0 || k as usize >= n {
                none
            } else {
                self.info[k as usize]
            }
        };
        let mut out = std::mem::take(&mut self.features);
        let mut start = None;
        for i in 0..n {
            self.offsets.push(out.len());
            if !candidate[i] {
                if let Some(s) = start.take() {
                    self.segments.push(s..i);
                }
                continue;
            }
            start.get_or_insert(i);
            let k = i as isize;
            let (me, p1, n1, p2, n2) = (at(k), at(k - 1), at(k + 1), at(k - 2), at(k + 2));
            #[cfg(feature = "dev")]
            let templates = &mut self.templates;
            let mut push = |t: u64, a: u64, b: u64| {
                out.push(bucket(t, a, b));
                #[cfg(feature = "dev")]
                templates.push(t as u8);
            };
            push(0, 0, 0);
            push(1, me.w.lower, 0);
            push(2, me.w.exact, 0);
            push(3, me.w.shape, 0);
            push(4, me.w.pre3, 0);
            push(5, me.w.suf2, 0);
            push(6, me.w.suf3, 0);
            push(7, me.w.suf4, 0);
            push(8, p1.w.lower, 0);
            push(9, n1.w.lower, 0);
            push(10, p2.w.lower, 0);
            push(11, n2.w.lower, 0);
            push(12, p1.w.lower, me.w.lower);
            push(13, me.w.lower, n1.w.lower);
            push(14, p1.w.shape, me.w.shape ^ n1.w.shape.rotate_left(17));
            push(15, me.gap, 0);
            push(16, n1.gap, 0);
            let mut any = me.flags | ((p1.flags | n1.flags) & NEIGHBOUR_FLAGS);
            while any != 0 {
                let bit = any.trailing_zeros();
                any &= any - 1;
                if me.flags & (1 << bit) != 0 {
                    push(17, u64::from(bit), 0);
                }
                if p1.flags & NEIGHBOUR_FLAGS & (1 << bit) != 0 {
                    push(18, u64::from(bit), 0);
                }
                if n1.flags & NEIGHBOUR_FLAGS & (1 << bit) != 0 {
                    push(19, u64::from(bit), 0);
                }
            }
            push(20, u64::from(me.known), 0);
            push(21, u64::from(p1.known), u64::from(n1.known));
            push(22, u64::from(me.rule), 0);
            push(23, u64::from(p1.rule), 0);
            push(24, u64::from(n1.rule), 0);
            push(25, u64::from(me.rule), me.w.shape);
            if let Some(counts) = by_word.get(&me.w.exact) {
                let total: u16 = counts.iter().sum();
                let (best, c) = counts
                    .iter()
                    .enumerate()
                    .max_by_key(|&(k, c)| (*c, std::cmp::Reverse(k)))
                    .unwrap_or((0, &0));
                push(26, best as u64, u64::from(total > 1 && *c == total));
            }
            push(
                27,
                u64::from(me.flags & SENTENCE_START != 0),
                me.w.shape ^ u64::from(me.flags & DOC_MID_CAPS != 0),
            );
            push(28, u64::from(shouted[i]), me.w.shape);
            push(29, u64::from(me.run), 0);
            // What the gazetteer says, in context: "in Leeds" is the city, "Leeds won" a club.
            push(30, p1.w.lower, u64::from(me.known));
            push(31, u64::from(me.known), n1.w.lower);
        }
        self.offsets.push(out.len());
        if let Some(s) = start {
            self.segments.push(s..n);
        }
        self.features = out;
        self.small = small;
        self.mid_caps = mid_caps;
        self.by_word = by_word;
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;
    use crate::normalise::gazetteer;

    fn make(text: &str) -> Featurised {
        let tokens = tokenize(text);
        let mut f = Featurised::default();
        let g = gazetteer::get();
        f.make(text, &tokens, &rules::spans(&tokens, g), &[], g);
        f
    }

    #[test]
    fn only_names_and_their_links_are_candidates() {
        let f = make("Talks at the Bank of England ended and the pound rose in London.");
        // Talks | Bank of England | London (tokens 0, 3-5, 12)
        assert_eq!(f.segments, [0..1, 3..6, 12..13]);
        assert!(f.features[f.offsets[1]..f.offsets[2]].is_empty());
    }

    #[test]
    fn features_are_deterministic_and_in_range() {
        let a = make("Mr Putin met Bashar al-Assad in Moscow.");
        let b = make("Mr Putin met Bashar al-Assad in Moscow.");
        assert_eq!(a.features, b.features);
        assert!(a.features.iter().all(|&x| x < 1 << BUCKET_BITS));
        assert_eq!(a.offsets.len(), 8);
    }

    #[test]
    fn the_same_word_in_another_context_shares_only_its_word_features() {
        let a = make("Jordan said no.");
        let b = make("He met Jordan.");
        let fa: FxHashSet<u32> = a.features[a.offsets[0]..a.offsets[1]]
            .iter()
            .copied()
            .collect();
        let fb: FxHashSet<u32> = b.features[b.offsets[2]..b.offsets[3]]
            .iter()
            .copied()
            .collect();
        assert!(fa.intersection(&fb).count() >= 6);
        assert_ne!(fa, fb);
    }

    #[test]
    fn shapes_and_affixes() {
        assert_eq!(shape("McDonald"), shape("AbCd"));
        assert_eq!(shape("U.S."), shape("E.U."));
        assert_ne!(shape("IBM"), shape("Ibm"));
        assert_eq!(affix("london", 3, false), affix("don", 3, false));
        assert_eq!(affix("lon", 3, true), affix("london", 3, true));
        assert_eq!(affix("é", 3, true), affix("é", 3, false));
    }
}
