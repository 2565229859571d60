//! Near-duplicate fingerprints: finding syndicated and re-published copies of one story.
//!
//! A [`Fingerprint`] summarises an article's title and normalised body so that copies of the
//! same story — another outlet's version with its own intro and sign-off, a changed headline,
//! a sentence added or cut, a corrected figure, re-wrapped lines, a truncated version — can be
//! recognised, while different stories written on one template (quarterly-results briefs of
//! two companies, market reports of two days) are kept apart.
//!
//! # Method
//!
//! * **Tokens**: runs of letters and digits, lower-cased; all other characters separate tokens,
//!   except a `,` between digits (dropped: `1,750` = `1750`), a `.` between digits (kept:
//!   `1.75`) and an apostrophe between letters (dropped: `company's` = `companys`). Numbers are
//!   kept: they are what tells templated stories apart.
//! * **Shingles**: every run of [`SHINGLE_WORDS`] consecutive tokens of the title followed by
//!   the body, hashed to 64 bits (xxh3 of each token, then a multiply-rotate combination
//!   and a splitmix64 finaliser). Four-word shingles make scattered differences (a name and
//!   three numbers changed throughout a template) cost more than one local edit of the same
//!   size.
//! * **Numbers**: a 128-bit signature of the text's distinct numbers. Copies keep their
//!   numbers; a template filled in for another company or day changes them.
//! * **Sketch**: one-permutation MinHash with optimal densification (Shrivastava, ICML 2017):
//!   each shingle falls into one of [`BINS`] bins by its top bits and each bin keeps its
//!   smallest hash; empty bins borrow from a bin chosen by a fixed probe sequence. This costs one
//!   hash per shingle whatever the number of bins. Each bin stores the low 16 bits of its
//!   minimum (b-bit MinHash), so two unrelated bins agree by chance with probability 2⁻¹⁶.
//! * **Lead sketch**: the same over the first [`LEAD_SHINGLES`] shingles of the body only. A
//!   truncated copy keeps its source's lead, while its resemblance to the whole source is low;
//!   the lead's band keys find it and [`Fingerprint::containment`] confirms it.
//! * **Bands**: [`Fingerprint::bands`] gives the LSH keys: the main sketch cut into bands of
//!   [`ROWS`] bins, and the lead sketch likewise. Two texts that share a band key are
//!   *candidates*; [`Fingerprint::is_near_duplicate`] decides.
//!
//! See [`Fingerprint::is_near_duplicate`] for the decision rule and `docs/near-duplicates.md`
//! for the tuning figures.
//!
//! # Example
//!
//! ```
//! use newsdex::dedup::{Clusters, Fingerprint};
//! let body = "The harbour authority approved a plan on Tuesday to deepen the northern channel \
//!             by two metres, allowing larger container ships to dock at the port from 2026.\n\n\
//!             The work will cost 84 million and is expected to take three years, officials said.\n\n\
//!             Dredging firms have until 30 June to bid, and the port expects 1,200 more calls a year.";
//! let a = Fingerprint::of("Harbour channel to be deepened", body);
//! let b = Fingerprint::of("Harbour channel to be deepened by two metres", body);
//! let (Some(a), Some(b)) = (a, b) else { panic!("long enough") };
//! assert!(a.is_near_duplicate(&b));
//! let mut clusters = Clusters::new();
//! assert_eq!(clusters.add("first", &a), "first");
//! assert_eq!(clusters.add("second", &b), "first");
//! ```

use std::collections::HashMap;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 4;
/// Bins of the main sketch.
pub const BINS: usize = 256;
/// Bins of the lead sketch.
pub const LEAD_BINS: usize = 64;
/// Shingles of the body that make its lead.
pub const LEAD_SHINGLES: usize = 64;
/// Bins per LSH band (rows).
pub const ROWS: usize = 3;
/// LSH bands of the main sketch, taken from its first `MAIN_BANDS * ROWS` bins (all its
/// bins serve to estimate the resemblance).
pub const MAIN_BANDS: usize = 42;
/// LSH bands of the lead sketch.
pub const LEAD_BANDS: usize = LEAD_BINS / ROWS;
/// Fewest tokens (title and body together) for a fingerprint; shorter texts give `None`.
pub const MIN_TOKENS: usize = 30;

/// Resemblance from which two texts are near-duplicates.
const MIN_RESEMBLANCE: f64 = 0.5;
/// Below this many shingles (about three sentences) the smaller text needs
/// [`SHORT_MIN_RESEMBLANCE`] unless both have numbers to compare: briefs are where
/// templates dominate.
const SHORT_SHINGLES: u32 = 60;
/// Resemblance needed when the smaller text is short and the numbers cannot tell.
const SHORT_MIN_RESEMBLANCE: f64 = 0.8;
/// Resemblance needed when the smaller text is short and both have numbers (which agree).
const SHORT_NUMBERED_MIN_RESEMBLANCE: f64 = 0.55;
/// Fewest distinct numbers in each text for the numbers to be compared.
const MIN_NUMBERS: u32 = 3;
/// Containment rule: the smaller text has at least this many shingles,
const CONTAINED_MIN_SHINGLES: u32 = 40;
/// the larger has at least this many times as many,
const CONTAINED_MIN_RATIO: f64 = 1.5;
/// the leads resemble at least this much,
const CONTAINED_MIN_LEAD: f64 = 0.6;
/// and this share of the smaller text's shingles is estimated to be in the larger one.
const CONTAINED_MIN: f64 = 0.75;

/// When both texts have numbers, near-duplicates must share them: this share of the smaller
/// set found in the other, or [`NUMBERS_MIN_RESEMBLANCE`] of all of them. A corrected figure or
/// an added paragraph keeps most numbers; a template filled in for another company, day or
/// date changes most of them.
const NUMBERS_MIN_CONTAINED: f64 = 0.7;
/// See [`NUMBERS_MIN_CONTAINED`].
const NUMBERS_MIN_RESEMBLANCE: f64 = 0.5;

/// Format version of [`Fingerprint::to_bytes`]; also salts the band keys, so keys of
/// different versions never meet.
const VERSION: u8 = 1;
/// Serialized length: version, shingle count, lead shingle count, numbers, the two sketches.
const BYTES_LEN: usize = 1 + 4 + 2 + 16 + 2 * BINS + 2 * LEAD_BINS;

/// A near-duplicate fingerprint of one article (title and normalised body).
#[derive(Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Shingles of title and body (counted with repeats).
    shingles: u32,
    /// Shingles in the lead sketch (0: the body is shorter than one shingle).
    lead_shingles: u16,
    /// Main sketch: low 16 bits of each bin's minimum.
    sketch: [u16; BINS],
    /// Lead sketch.
    lead: [u16; LEAD_BINS],
    /// The numbers of the text: one bit set per distinct number, chosen by its hash.
    numbers: u128,
}

impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fingerprint")
            .field("shingles", &self.shingles)
            .field("lead_shingles", &self.lead_shingles)
            .finish_non_exhaustive()
    }
}

impl Fingerprint {
    /// The fingerprint of an article, or `None` when title and body together have fewer
    /// than [`MIN_TOKENS`] words (too short to tell a copy from a template).
    pub fn of(title: &str, body: &str) -> Option<Fingerprint> {
        let mut b = Builder {
            main: Sketch::new(),
            lead: Sketch::new(),
            window: [0; SHINGLE_WORDS],
            tokens: 0,
            shingles: 0,
            lead_shingles: 0,
            title_tokens: usize::MAX,
            numbers: 0,
        };
        let mut buf = Vec::with_capacity(64);
        for_each_token(title, &mut buf, &mut |h, n| b.token(h, n));
        b.title_tokens = b.tokens;
        for_each_token(body, &mut buf, &mut |h, n| b.token(h, n));
        if b.tokens < MIN_TOKENS {
            return None;
        }
        let Builder {
            main,
            lead,
            shingles,
            lead_shingles,
            numbers,
            ..
        } = b;
        Some(Fingerprint {
            shingles,
            // LEAD_SHINGLES fits in u16.
            lead_shingles: lead_shingles as u16,
            sketch: main.finish(),
            lead: lead.finish(),
            numbers,
        })
    }

    /// LSH band keys: [`MAIN_BANDS`] keys of the main sketch, then [`LEAD_BANDS`] of the lead
    /// sketch (none when the body is shorter than one shingle), each hashing [`ROWS`] bins.
    /// Texts whose resemblance is 0.4 share a main key with probability 0.94, at 0.5 with
    /// 0.996; texts whose leads resemble 0.6 share a lead key with probability 0.99.
    pub fn bands(&self) -> Vec<u64> {
        let mut keys = Vec::with_capacity(MAIN_BANDS + LEAD_BANDS);
        band_keys(&self.sketch[..MAIN_BANDS * ROWS], 0, &mut keys);
        if self.lead_shingles > 0 {
            band_keys(&self.lead[..LEAD_BANDS * ROWS], 1, &mut keys);
        }
        keys
    }

    /// Estimated resemblance (Jaccard similarity of the shingle sets) in `[0, 1]`.
    pub fn similarity(&self, other: &Fingerprint) -> f64 {
        agreement(&self.sketch, &other.sketch)
    }

    /// Estimated resemblance of the two bodies' leads, 0 when either has none.
    pub fn lead_similarity(&self, other: &Fingerprint) -> f64 {
        if self.lead_shingles == 0 || other.lead_shingles == 0 {
            return 0.0;
        }
        agreement(&self.lead, &other.lead)
    }

    /// Estimated share of the smaller text's shingles that are in the larger one, in
    /// `[0, 1]`, from the resemblance `J` and the sizes: `|A∩B| = J(|A|+|B|)/(1+J)`.
    pub fn containment(&self, other: &Fingerprint) -> f64 {
        let j = self.similarity(other);
        let (a, b) = (f64::from(self.shingles), f64::from(other.shingles));
        let small = a.min(b);
        if small <= 0.0 {
            return 0.0;
        }
        (j * (a + b) / ((1.0 + j) * small)).min(1.0)
    }

    /// Shingles of title and body (with repeats): the text's size as the fingerprint sees it.
    pub fn shingles(&self) -> u32 {
        self.shingles
    }

    /// Whether the two texts are copies of one story.
    ///
    /// * When both have at least three distinct numbers, the numbers must agree (70% of the
    ///   smaller set in the other, or half of all in common); otherwise they are not.
    /// * Then either they resemble each other — resemblance ≥ 0.5; when the smaller has
    ///   fewer than 60 shingles (about three sentences), ≥ 0.55 if the numbers were
    ///   compared and ≥ 0.8 if not —
    /// * or the smaller is a truncation of the larger: at least 40 shingles, the larger at
    ///   least 1.5 times as long, leads resembling ≥ 0.6, and ≥ 75% of the smaller's
    ///   shingles estimated to be in the larger.
    pub fn is_near_duplicate(&self, other: &Fingerprint) -> bool {
        let small = self.shingles.min(other.shingles);
        let numbered = self.numbers.count_ones().min(other.numbers.count_ones()) >= MIN_NUMBERS;
        if numbered
            && self.numbers_containment(other) < NUMBERS_MIN_CONTAINED
            && self.numbers_similarity(other) < NUMBERS_MIN_RESEMBLANCE
        {
            return false;
        }
        let needed = match (small < SHORT_SHINGLES, numbered) {
            (true, false) => SHORT_MIN_RESEMBLANCE,
            (true, true) => SHORT_NUMBERED_MIN_RESEMBLANCE,
            (false, _) => MIN_RESEMBLANCE,
        };
        if self.similarity(other) >= needed {
            return true;
        }
        let large = self.shingles.max(other.shingles);
        small >= CONTAINED_MIN_SHINGLES
            && f64::from(large) >= CONTAINED_MIN_RATIO * f64::from(small)
            && self.lead_similarity(other) >= CONTAINED_MIN_LEAD
            && self.containment(other) >= CONTAINED_MIN
    }

    /// Resemblance of the two texts' sets of distinct numbers (estimated from 128-bit
    /// signatures), 1 when neither has any.
    pub fn numbers_similarity(&self, other: &Fingerprint) -> f64 {
        let union = (self.numbers | other.numbers).count_ones();
        if union == 0 {
            return 1.0;
        }
        f64::from((self.numbers & other.numbers).count_ones()) / f64::from(union)
    }

    /// Share of the smaller set of distinct numbers found in the other, 1 when either has
    /// none.
    pub fn numbers_containment(&self, other: &Fingerprint) -> f64 {
        let small = self.numbers.count_ones().min(other.numbers.count_ones());
        if small == 0 {
            return 1.0;
        }
        f64::from((self.numbers & other.numbers).count_ones()) / f64::from(small)
    }

    /// A compact, versioned byte form (663 bytes) for storing next to the article.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(BYTES_LEN);
        out.push(VERSION);
        out.extend_from_slice(&self.shingles.to_le_bytes());
        out.extend_from_slice(&self.lead_shingles.to_le_bytes());
        out.extend_from_slice(&self.numbers.to_le_bytes());
        for v in self.sketch.iter().chain(&self.lead) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// Read [`to_bytes`](Self::to_bytes)'s form back; `None` when the bytes are of another
    /// version or length (an index written by another version must be re-fingerprinted).
    pub fn from_bytes(b: &[u8]) -> Option<Fingerprint> {
        if b.len() != BYTES_LEN || b[0] != VERSION {
            return None;
        }
        let shingles = u32::from_le_bytes(b[1..5].try_into().ok()?);
        let lead_shingles = u16::from_le_bytes(b[5..7].try_into().ok()?);
        let numbers = u128::from_le_bytes(b[7..23].try_into().ok()?);
        let mut values = b[23..]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]));
        let mut sketch = [0u16; BINS];
        let mut lead = [0u16; LEAD_BINS];
        for v in sketch.iter_mut().chain(lead.iter_mut()) {
            *v = values.next()?;
        }
        Some(Fingerprint {
            shingles,
            lead_shingles,
            sketch,
            lead,
            numbers,
        })
    }
}

/// The state of [`Fingerprint::of`] while it reads tokens.
struct Builder {
    main: Sketch<BINS>,
    lead: Sketch<LEAD_BINS>,
    /// Hashes of the last `SHINGLE_WORDS` tokens, a ring buffer.
    window: [u64; SHINGLE_WORDS],
    tokens: usize,
    shingles: u32,
    lead_shingles: usize,
    /// Tokens in the title; `usize::MAX` while the title is being read.
    title_tokens: usize,
    numbers: u128,
}

impl Builder {
    fn token(&mut self, h: u64, number: bool) {
        if number {
            self.numbers |= 1u128 << (h % 128);
        }
        self.window[self.tokens % SHINGLE_WORDS] = h;
        self.tokens += 1;
        if self.tokens < SHINGLE_WORDS {
            return;
        }
        let s = shingle_hash(&self.window, self.tokens);
        self.main.add(s);
        self.shingles = self.shingles.saturating_add(1);
        // A body shingle starts at or after the title's end.
        let start = self.tokens - SHINGLE_WORDS;
        if start >= self.title_tokens && self.lead_shingles < LEAD_SHINGLES {
            self.lead.add(s);
            self.lead_shingles += 1;
        }
    }
}

/// Share of agreeing bins, corrected for chance agreement of 16-bit values.
fn agreement(a: &[u16], b: &[u16]) -> f64 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    let raw = same as f64 / a.len() as f64;
    let chance = 1.0 / 65536.0;
    ((raw - chance) / (1.0 - chance)).clamp(0.0, 1.0)
}

/// Band keys of one sketch, salted by sketch kind, band number and format version.
fn band_keys(sketch: &[u16], kind: u64, out: &mut Vec<u64>) {
    for (i, band) in sketch.chunks_exact(ROWS).enumerate() {
        let mut bytes = [0u8; 2 * ROWS];
        for (j, v) in band.iter().enumerate() {
            bytes[2 * j..2 * j + 2].copy_from_slice(&v.to_le_bytes());
        }
        let seed = (u64::from(VERSION) << 56) | (kind << 48) | i as u64;
        out.push(xxh3_64_with_seed(&bytes, seed));
    }
}

/// The hash of the shingle ending at token `count - 1`, its tokens' hashes being in the
/// ring buffer `window`.
fn shingle_hash(window: &[u64; SHINGLE_WORDS], count: usize) -> u64 {
    // Order-sensitive combination of the (already well mixed) token hashes, then a full
    // avalanche so that the top bits (the bin) and the low bits (the value) are independent.
    let mut h = 0u64;
    for i in 0..SHINGLE_WORDS {
        h = h.rotate_left(23) ^ window[(count + i) % SHINGLE_WORDS];
        h = h.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    splitmix64(h)
}

/// Call `f` with the hash of every token of `text` and whether it is a number (see the module docs for what a token is).
fn for_each_token(text: &str, buf: &mut Vec<u8>, f: &mut impl FnMut(u64, bool)) {
    let bytes = text.as_bytes();
    let mut flush = |buf: &mut Vec<u8>| {
        if !buf.is_empty() {
            let number = buf.iter().all(|&b| b.is_ascii_digit() || b == b'.');
            f(xxh3_64(buf), number);
            buf.clear();
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphanumeric() {
            buf.push(b.to_ascii_lowercase());
            i += 1;
            continue;
        }
        if b.is_ascii() {
            let prev = buf.last().copied();
            let next = bytes.get(i + 1).copied();
            let digits = prev.is_some_and(|p| p.is_ascii_digit())
                && next.is_some_and(|n| n.is_ascii_digit());
            match b {
                b',' if digits => {}
                b'.' if digits => buf.push(b'.'),
                b'\'' if joins_letters(prev, next) => {}
                _ => flush(buf),
            }
            i += 1;
            continue;
        }
        // Non-ASCII: decode one char. `i` is always at a char boundary because every other
        // step advances by one ASCII byte or one whole char.
        let Some(c) = text.get(i..).and_then(|s| s.chars().next()) else {
            break;
        };
        if c.is_alphanumeric() {
            let mut tmp = [0u8; 4];
            for lc in c.to_lowercase() {
                buf.extend_from_slice(lc.encode_utf8(&mut tmp).as_bytes());
            }
        } else if !(c == '\u{2019}'
            && joins_letters(buf.last().copied(), bytes.get(i + 3).copied()))
        {
            flush(buf);
        }
        i += c.len_utf8();
    }
    flush(buf);
}

/// Whether an apostrophe between these bytes joins two parts of a word (`company's`).
/// A non-ASCII byte counts as a letter: it belongs to a letter when it is in a token.
fn joins_letters(prev: Option<u8>, next: Option<u8>) -> bool {
    let letter = |b: u8| b.is_ascii_alphabetic() || !b.is_ascii();
    prev.is_some_and(letter) && next.is_some_and(letter)
}

/// A one-permutation MinHash sketch being built.
struct Sketch<const K: usize> {
    mins: [u64; K],
}

impl<const K: usize> Sketch<K> {
    /// Bits of the hash that choose the bin (K is a power of two).
    const BIN_BITS: u32 = K.trailing_zeros();

    fn new() -> Self {
        Sketch {
            mins: [u64::MAX; K],
        }
    }

    fn add(&mut self, h: u64) {
        let bin = (h >> (64 - Self::BIN_BITS)) as usize;
        let value = h & (u64::MAX >> Self::BIN_BITS);
        if value < self.mins[bin] {
            self.mins[bin] = value;
        }
    }

    /// The low 16 bits of each bin's minimum, empty bins filled by optimal densification:
    /// bin `i` takes the value of the first non-empty bin in its own fixed pseudo-random
    /// probe sequence, the same sequence for every text. An all-empty sketch gives zeros.
    fn finish(&self) -> [u16; K] {
        let mut out = [0u16; K];
        let filled: [bool; K] = std::array::from_fn(|i| self.mins[i] != u64::MAX);
        if !filled.iter().any(|&f| f) {
            return out;
        }
        for (i, o) in out.iter_mut().enumerate() {
            let source = if filled[i] { i } else { probe(i, &filled) };
            *o = self.mins[source] as u16;
        }
        out
    }
}

/// The first filled bin of bin `i`'s probe sequence (some bin is filled). The sequence
/// `start + step·t mod k` with an odd step visits every bin (k is a power of two), so the
/// loop ends within k steps; start and step are pseudo-random per bin.
fn probe(i: usize, filled: &[bool]) -> usize {
    let k = filled.len();
    let r = splitmix64(i as u64);
    let (start, step) = (r as usize, (r >> 32) as usize | 1);
    let mut j = start;
    for _ in 0..k {
        j = j.wrapping_add(step) & (k - 1);
        if filled[j] {
            return j;
        }
    }
    i // unreachable when some bin is filled
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// In-memory clustering of fingerprints, for tests, tuning and deduplication within a batch.
///
/// Each added text is compared with the earlier texts it shares a band key with and joins the
/// cluster of the most similar near-duplicate among them; clusters are never merged, so a
/// chain of small edits cannot pull different stories together.
#[derive(Debug)]
pub struct Clusters<K> {
    members: Vec<Member<K>>,
    /// Representative (first member) index of each cluster.
    reps: Vec<usize>,
    buckets: HashMap<u64, Vec<u32>>,
}

#[derive(Debug)]
struct Member<K> {
    key: K,
    fingerprint: Fingerprint,
    cluster: usize,
}

impl<K: Clone> Default for Clusters<K> {
    fn default() -> Self {
        Clusters::new()
    }
}

impl<K: Clone> Clusters<K> {
    /// No clusters yet.
    pub fn new() -> Self {
        Clusters {
            members: Vec::new(),
            reps: Vec::new(),
            buckets: HashMap::new(),
        }
    }

    /// Add a text; returns the key of its cluster's representative (its own key when it is
    /// the first of its story).
    pub fn add(&mut self, key: K, fingerprint: &Fingerprint) -> K {
        let bands = fingerprint.bands();
        let mut candidates: Vec<u32> = bands
            .iter()
            .filter_map(|b| self.buckets.get(b))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let best = candidates
            .iter()
            .map(|&c| &self.members[c as usize])
            .filter(|m| m.fingerprint.is_near_duplicate(fingerprint))
            .map(|m| (m.fingerprint.similarity(fingerprint), m.cluster))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let index = self.members.len();
        let cluster = match best {
            Some((_, cluster)) => cluster,
            None => {
                self.reps.push(index);
                self.reps.len() - 1
            }
        };
        // More than 4 billion members is outside this in-memory helper's purpose.
        let slot = u32::try_from(index).unwrap_or(u32::MAX);
        for b in bands {
            self.buckets.entry(b).or_default().push(slot);
        }
        self.members.push(Member {
            key,
            fingerprint: fingerprint.clone(),
            cluster,
        });
        self.members[self.reps[cluster]].key.clone()
    }

    /// Number of texts added.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The clusters of two or more texts, each as its members' keys in the order they were
    /// added (the representative first); clusters in the order of their representatives.
    pub fn groups(&self) -> Vec<Vec<K>> {
        let mut groups: Vec<Vec<K>> = vec![Vec::new(); self.reps.len()];
        for m in &self.members {
            groups[m.cluster].push(m.key.clone());
        }
        groups.retain(|g| g.len() > 1);
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "The regional water board said on Monday it would raise household \
        charges by 4.5 percent from April, the first increase in three years, citing the cost \
        of replacing ageing pipes under the old town.\n\nBoard chairman Elias Morrow told \
        reporters the utility had lost 18 percent of treated water to leaks last year and \
        needed 61 million to fix the worst sections.\n\nConsumer groups said the rise would \
        hit pensioners hardest and called for a social tariff.";

    fn fp(title: &str, body: &str) -> Fingerprint {
        Fingerprint::of(title, body).unwrap_or_else(|| panic!("{title}: too short"))
    }

    fn tokens(text: &str) -> usize {
        let mut n = 0;
        for_each_token(text, &mut Vec::new(), &mut |_, _| n += 1);
        n
    }

    #[test]
    fn tokens_ignore_case_punctuation_and_line_breaks() {
        let hash = |t: &str| {
            let mut v = Vec::new();
            for_each_token(t, &mut Vec::new(), &mut |h, _| v.push(h));
            v
        };
        assert_eq!(
            hash("The company's net rose to 1,750 mln, up 2.5 pct."),
            hash("the  companys NET\nrose to 1750 mln -- up 2.5 pct")
        );
        assert_ne!(hash("up 2.5 pct"), hash("up 25 pct"));
        assert_eq!(hash("L\u{2019}Oréal ÉTÉ"), hash("l'oréal été"));
        assert_eq!(tokens("a-b, c... d"), 4);
        assert_eq!(tokens(""), 0);
    }

    #[test]
    fn too_short_is_none() {
        assert!(Fingerprint::of("Short", "Only a few words here.").is_none());
        assert!(Fingerprint::of("", "").is_none());
        assert!(Fingerprint::of("Water charges rise", STORY).is_some());
    }

    #[test]
    fn identical_and_rewrapped_texts_are_the_same() {
        let a = fp("Water charges rise", STORY);
        let b = fp("WATER CHARGES RISE", &STORY.replace(' ', "\n"));
        assert_eq!(a, b);
        assert_eq!(a.similarity(&b), 1.0);
        assert_eq!(a.bands(), b.bands());
    }

    #[test]
    fn light_edit_is_a_near_duplicate_and_shares_a_band() {
        let a = fp("Water charges rise", STORY);
        let edited = STORY.replace("Consumer groups", "Two consumer associations");
        let b = fp("Water board raises charges 4.5 pct", &edited);
        assert!(a.similarity(&b) > 0.6, "{}", a.similarity(&b));
        assert!(a.is_near_duplicate(&b));
        let bands_b = b.bands();
        assert!(a.bands().iter().any(|k| bands_b.contains(k)));
    }

    #[test]
    fn different_story_is_not() {
        let a = fp("Water charges rise", STORY);
        let b = fp(
            "Library reopens",
            "The central library reopened on Saturday after an 18-month renovation that added \
             a children's wing, a rooftop reading terrace and 40 new study desks, the city \
             council said in a statement welcoming the first visitors.",
        );
        assert!(a.similarity(&b) < 0.05);
        assert!(!a.is_near_duplicate(&b));
    }

    #[test]
    fn bytes_round_trip_and_reject_other_versions() {
        let a = fp("Water charges rise", STORY);
        let bytes = a.to_bytes();
        assert_eq!(bytes.len(), BYTES_LEN);
        assert_eq!(Fingerprint::from_bytes(&bytes), Some(a));
        let mut other = bytes.clone();
        other[0] = VERSION + 1;
        assert_eq!(Fingerprint::from_bytes(&other), None);
        assert_eq!(Fingerprint::from_bytes(&bytes[..10]), None);
        assert_eq!(Fingerprint::from_bytes(&[]), None);
    }

    #[test]
    fn densification_fills_every_bin_of_a_short_text() {
        let mut s = Sketch::<BINS>::new();
        s.add(0x0123_4567_89ab_cdef);
        s.add(0xfedc_ba98_7654_3210);
        let out = s.finish();
        assert!(out.iter().all(|&v| v == 0xcdef || v == 0x3210));
    }

    #[test]
    fn clusters_join_copies_and_keep_others_apart() {
        let mut c = Clusters::new();
        let a = fp("Water charges rise", STORY);
        let b = fp(
            "Water charges to rise",
            &format!("{STORY}\n\n(Meridian Post)"),
        );
        let other = fp(
            "Library reopens",
            "The central library reopened on Saturday after an 18-month renovation that added \
             a children's wing, a rooftop reading terrace and 40 new study desks, the city \
             council said in a statement welcoming the first visitors.",
        );
        assert_eq!(c.add(1, &a), 1);
        assert_eq!(c.add(2, &other), 2);
        assert_eq!(c.add(3, &b), 1);
        assert_eq!(c.groups(), vec![vec![1, 3]]);
        assert_eq!(c.len(), 3);
    }
}
