//! The archive's entity dictionary: every entity of the index under one canonical name, with
//! its kind, the other names articles use for it and the number of articles that mention it.
//!
//! Articles resolve short forms within themselves ("Mr Putin" after "Vladimir Putin"); the
//! dictionary resolves them across the archive: an article that only ever says "Putin" is
//! about the archive's one Vladimir Putin, and "U.S." or "US" are the United States. It is
//! built from what the index holds (the `entity` facets and the `entity_alias` column) after
//! each indexing run and stored next to the index as `newsdex-entities.json`, stamped with the
//! commit it describes; a stale or missing file (a run killed between its commit and the
//! dictionary) is rebuilt in memory when the archive is opened.
//!
//! The merging rules:
//! - names with the same key (lower case, accents folded, titles dropped, initials joined:
//!   "U.S." = "US") are one entity;
//! - a person named by one word ("Putin") joins the one person of the archive whose full name
//!   ends with that word or who is called by it, when there is one, or one at least
//!   [`DOMINANCE`] times as frequent as the next; two full names are never merged because
//!   they share a surname ("George Bush", "Jeb Bush");
//! - an organisation, place or other name that another entry uses as a short form ("Ford"
//!   for "Ford Motor Co") joins that entry under the same rule.

use crate::article::EntityKind;
use crate::error::{Error, Result};
use crate::index::schema::{entity_facet, entity_of_facet};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tantivy::columnar::StrColumn;
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Searcher, SegmentReader};

/// Name of the dictionary file inside the index directory.
pub(crate) const DICTIONARY_FILE: &str = "newsdex-entities.json";
/// Format version of the dictionary file.
const FORMAT: u32 = 1;
/// How many times more articles the most frequent candidate of a short form must have than
/// the next one for the short form to join it.
pub const DOMINANCE: u64 = 5;
/// Separator of kind, canonical name and alias in the `entity_alias` column.
pub(crate) const ALIAS_SEP: char = '\u{1f}';

/// One entity of the archive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DictionaryEntry {
    /// Its kind.
    pub kind: EntityKind,
    /// Its canonical name: the most frequent full name of the entity.
    pub name: String,
    /// Articles mentioning it under any of its names.
    pub articles: u64,
    /// Other canonical names of articles merged into this entity ("Putin" where an article
    /// never gave the full name), most frequent first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<NameCount>,
    /// Other forms the articles use for it ("Putin", "U.S."), most frequent first; merged
    /// names included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<NameCount>,
}

/// A name and the number of articles using it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameCount {
    /// The name as written.
    pub name: String,
    /// Articles using it.
    pub articles: u64,
}

/// The entity dictionary of an archive (see the module documentation).
///
/// Stored as two files: the whole list (JSON, read only when asked for, e.g. by
/// [`Dictionary::entries`]) and a sorted lookup table that a query searches without
/// parsing it, so that resolving `person:Putin` costs microseconds whatever the archive's
/// size.
#[derive(Debug, Default)]
pub struct Dictionary {
    opstamp: u64,
    /// Where the whole list is stored (`None`: built in memory, `entries` already set).
    dir: Option<PathBuf>,
    entries: OnceLock<Vec<DictionaryEntry>>,
    /// Sorted lines: `k<TAB>kind<TAB>key<TAB>names` (names separated by U+001F, the
    /// canonical one first), one per key of an entity.
    lookup: Vec<u8>,
    /// The entities with several canonical names in the index.
    merged: Vec<Merged>,
    /// Entry of `merged` of each of their names.
    merged_by_name: HashMap<(EntityKind, String), usize>,
}

/// An entity whose articles use several canonical names ("Vladimir Putin", "Putin").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Its kind.
    pub kind: EntityKind,
    /// Its canonical name in the dictionary.
    pub name: String,
    /// Every canonical name of the index that belongs to it (its own first).
    pub names: Vec<String>,
}

type Merged = Resolved;

/// Header line of the lookup file.
const LOOKUP_MAGIC: &str = "newsdex-entity-lookup";
/// Name of the lookup file inside the index directory.
pub(crate) const LOOKUP_FILE: &str = "newsdex-entities.lookup";

#[derive(Serialize, Deserialize)]
struct File {
    format: u32,
    opstamp: u64,
    entries: Vec<DictionaryEntry>,
}

/// The comparison key of a name: lower case, accents folded, titles ("President", "Mr")
/// dropped from the front, single letters joined ("U.S." → "us").
pub fn name_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut tokens: Vec<String> = Vec::new();
    for word in name.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let folded: String = if word.is_ascii() {
            word.to_ascii_lowercase()
        } else {
            word.nfd()
                .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
                .flat_map(char::to_lowercase)
                .map(|c| match c {
                    'ø' => 'o',
                    'ł' => 'l',
                    'đ' => 'd',
                    'ı' => 'i',
                    other => other,
                })
                .collect::<String>()
                .replace('ß', "ss")
                .replace('æ', "ae")
                .replace('œ', "oe")
        };
        tokens.push(folded);
    }
    let titles = &crate::normalise::gazetteer::get().titles;
    // Drop leading titles ("prime minister", "mr"), longest first, but never the whole name.
    let max = crate::normalise::gazetteer::get().max_title_words;
    'strip: while tokens.len() > 1 {
        for n in (1..tokens.len().min(max + 1)).rev() {
            if titles.contains_key(&tokens[..n].join(" ")) {
                tokens.drain(..n);
                continue 'strip;
            }
        }
        break;
    }
    let mut out = String::with_capacity(name.len());
    let mut letters = false;
    for t in &tokens {
        let letter = t.chars().count() == 1 && t.chars().all(char::is_alphabetic);
        if !(out.is_empty() || letter && letters) {
            out.push(' ');
        }
        out.push_str(t);
        letters = letter;
    }
    out
}

/// Union-find over node numbers.
struct Groups(Vec<usize>);

impl Groups {
    fn root(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }
    fn join(&mut self, a: usize, into: usize) {
        let (a, b) = (self.root(a), self.root(into));
        if a != b {
            self.0[a] = b;
        }
    }
}

/// A canonical name of the index while the dictionary is built.
struct Node {
    kind: EntityKind,
    name: String,
    articles: u64,
    key: String,
    aliases: Vec<(String, u64)>,
}

/// Per segment: the entity facets and the alias column, read together.
struct SegmentColumns {
    facets: Option<FacetReader>,
    aliases: Option<StrColumn>,
}

impl SegmentColumns {
    fn of(segment: &SegmentReader) -> Self {
        SegmentColumns {
            facets: segment.facet_reader("entity").ok(),
            aliases: segment.fast_fields().str("entity_alias").ok().flatten(),
        }
    }
}

/// The terms of ordinals of a column's dictionary, read in one sorted pass (looking them up
/// one by one decodes a whole block each time).
pub(crate) fn terms_of(
    dictionary: &tantivy::columnar::Dictionary,
    mut ords: Vec<u64>,
) -> Vec<(u64, Vec<u8>)> {
    ords.sort_unstable();
    ords.dedup();
    let mut terms = Vec::with_capacity(ords.len());
    if dictionary
        .sorted_ords_to_term_cb(&ords, |t| terms.push(t.to_vec()))
        .is_err()
    {
        return Vec::new();
    }
    ords.into_iter().zip(terms).collect()
}

/// The live documents of a segment.
fn alive(segment: &SegmentReader) -> impl Iterator<Item = DocId> + '_ {
    let bits = segment.alive_bitset();
    (0..segment.max_doc()).filter(move |d| bits.is_none_or(|b| b.is_alive(*d)))
}

impl Dictionary {
    /// Build the dictionary of what `searcher` sees, stamped with the commit `opstamp`.
    pub(crate) fn build(searcher: &Searcher, opstamp: u64) -> Result<Dictionary> {
        // Articles per canonical name, and per (canonical name, alias).
        let mut names: HashMap<(EntityKind, String), u64> = HashMap::new();
        let mut aliases: HashMap<(EntityKind, String), HashMap<String, u64>> = HashMap::new();
        for segment in searcher.segment_readers() {
            let cols = SegmentColumns::of(segment);
            let mut facet_counts = vec![0u64; cols.facets.as_ref().map_or(0, |f| f.num_facets())];
            let mut alias_counts = vec![0u64; cols.aliases.as_ref().map_or(0, |c| c.num_terms())];
            for doc in alive(segment) {
                if let Some(f) = &cols.facets {
                    for ord in f.facet_ords(doc) {
                        facet_counts[ord as usize] += 1;
                    }
                }
                if let Some(c) = &cols.aliases {
                    for ord in c.term_ords(doc) {
                        alias_counts[ord as usize] += 1;
                    }
                }
            }
            let used = |counts: &[u64]| -> Vec<u64> {
                (0..counts.len() as u64)
                    .filter(|&o| counts[o as usize] > 0)
                    .collect()
            };
            if let Some(f) = &cols.facets {
                for (ord, term) in terms_of(f.facet_dict(), used(&facet_counts)) {
                    let facet = Facet::from_encoded(term).ok();
                    if let Some(key) = facet.as_ref().and_then(entity_of_facet) {
                        *names.entry(key).or_default() += facet_counts[ord as usize];
                    }
                }
            }
            if let Some(c) = &cols.aliases {
                for (ord, term) in terms_of(c.dictionary(), used(&alias_counts)) {
                    let n = alias_counts[ord as usize];
                    let Ok(text) = String::from_utf8(term) else {
                        continue;
                    };
                    let mut parts = text.split(ALIAS_SEP);
                    let (Some(kind), Some(name), Some(alias)) =
                        (parts.next(), parts.next(), parts.next())
                    else {
                        continue;
                    };
                    let Some(kind) = EntityKind::ALL.into_iter().find(|k| k.as_str() == kind)
                    else {
                        continue;
                    };
                    *aliases
                        .entry((kind, name.to_string()))
                        .or_default()
                        .entry(alias.to_string())
                        .or_default() += n;
                }
            }
        }
        let mut nodes: Vec<Node> = names
            .into_iter()
            .map(|((kind, name), articles)| {
                let key = name_key(&name);
                let mut list: Vec<(String, u64)> = aliases
                    .remove(&(kind, name.clone()))
                    .unwrap_or_default()
                    .into_iter()
                    .collect();
                list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                Node {
                    kind,
                    name,
                    articles,
                    key,
                    aliases: list,
                }
            })
            .collect();
        // A stable order: most articles first, then by name.
        nodes.sort_by(|a, b| {
            (a.kind, std::cmp::Reverse(a.articles), &a.name).cmp(&(
                b.kind,
                std::cmp::Reverse(b.articles),
                &b.name,
            ))
        });
        let groups = Self::group(&nodes);
        Self::assemble(searcher, nodes, groups, opstamp)
    }

    /// Merge nodes into entities (see the module documentation for the rules).
    fn group(nodes: &[Node]) -> Groups {
        let mut groups = Groups((0..nodes.len()).collect());
        // 1. The same key is the same entity (nodes are in decreasing frequency, so the
        //    first of a key is its most frequent spelling).
        let mut first_of_key: HashMap<(EntityKind, &str), usize> = HashMap::new();
        for (i, n) in nodes.iter().enumerate() {
            if n.key.is_empty() {
                continue;
            }
            match first_of_key.get(&(n.kind, n.key.as_str())) {
                Some(&j) => groups.join(i, j),
                None => {
                    first_of_key.insert((n.kind, n.key.as_str()), i);
                }
            }
        }
        // 2. Short forms: which (merged) entries claim each key as a short form.
        let mut claims: HashMap<(EntityKind, String), HashMap<usize, u64>> = HashMap::new();
        for (i, n) in nodes.iter().enumerate() {
            let root = groups.root(i);
            let words: Vec<&str> = n.key.split(' ').collect();
            let mut claim = |key: String| {
                if key != n.key && !key.is_empty() {
                    *claims
                        .entry((n.kind, key))
                        .or_default()
                        .entry(root)
                        .or_default() += n.articles;
                }
            };
            if n.kind == EntityKind::Person && words.len() >= 2 {
                if let Some(last) = words.last() {
                    claim((*last).to_string());
                }
            }
            for (alias, _) in &n.aliases {
                let key = name_key(alias);
                if key.split(' ').count() < words.len() {
                    claim(key);
                }
            }
        }
        for (i, n) in nodes.iter().enumerate() {
            // Only names that are themselves short: one word for people; for the other
            // kinds any name another entry uses as its short form.
            if n.kind == EntityKind::Person && n.key.contains(' ') {
                continue;
            }
            let Some(by) = claims.get(&(n.kind, n.key.clone())) else {
                continue;
            };
            let own = groups.root(i);
            let mut ranked: Vec<(usize, u64)> = by
                .iter()
                .map(|(&g, &a)| (groups.root(g), a))
                .filter(|&(g, _)| g != own)
                .collect();
            ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            ranked.dedup_by_key(|x| x.0);
            let target = match ranked.as_slice() {
                [] => None,
                [(g, _)] => Some(*g),
                [(g, top), (_, next), ..] if *top >= DOMINANCE * *next => Some(*g),
                _ => None,
            };
            if let Some(g) = target {
                groups.join(i, g);
            }
        }
        groups
    }

    /// The entries of the groups, with exact article counts (an article naming two members
    /// of an entity counts once).
    fn assemble(
        searcher: &Searcher,
        nodes: Vec<Node>,
        mut groups: Groups,
        opstamp: u64,
    ) -> Result<Dictionary> {
        let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..nodes.len() {
            members.entry(groups.root(i)).or_default().push(i);
        }
        // Entry number of each node.
        let mut entry_of = vec![0usize; nodes.len()];
        let mut entries = Vec::with_capacity(members.len());
        let mut multi: HashMap<(EntityKind, String), usize> = HashMap::new();
        for list in members.values() {
            let e = entries.len();
            for &i in list {
                entry_of[i] = e;
            }
            // The canonical name: the most frequent member with the most words (a full
            // name over a surname).
            let best = list
                .iter()
                .copied()
                .max_by(|&a, &b| {
                    let words = |i: usize| nodes[i].key.split(' ').count().min(2);
                    (
                        words(a),
                        nodes[a].articles,
                        std::cmp::Reverse(&nodes[a].name),
                    )
                        .cmp(&(
                            words(b),
                            nodes[b].articles,
                            std::cmp::Reverse(&nodes[b].name),
                        ))
                })
                .unwrap_or(list[0]);
            let mut alias_counts: HashMap<String, u64> = HashMap::new();
            let mut merged = Vec::new();
            for &i in list {
                let n = &nodes[i];
                if i != best {
                    merged.push(NameCount {
                        name: n.name.clone(),
                        articles: n.articles,
                    });
                    *alias_counts.entry(n.name.clone()).or_default() += n.articles;
                }
                for (a, c) in &n.aliases {
                    if *a != nodes[best].name {
                        *alias_counts.entry(a.clone()).or_default() += c;
                    }
                }
                if list.len() > 1 {
                    multi.insert((n.kind, n.name.clone()), e);
                }
            }
            let by_count = |mut v: Vec<NameCount>| {
                v.sort_by(|a, b| {
                    b.articles
                        .cmp(&a.articles)
                        .then_with(|| a.name.cmp(&b.name))
                });
                v
            };
            entries.push(DictionaryEntry {
                kind: nodes[best].kind,
                name: nodes[best].name.clone(),
                articles: if list.len() == 1 {
                    nodes[best].articles
                } else {
                    0
                },
                merged: by_count(merged),
                aliases: by_count(
                    alias_counts
                        .into_iter()
                        .map(|(name, articles)| NameCount { name, articles })
                        .collect(),
                ),
            });
        }
        // Exact counts of merged entries: one pass over the articles naming their members.
        if !multi.is_empty() {
            let mut counts = vec![0u64; entries.len()];
            for segment in searcher.segment_readers() {
                let Ok(reader) = segment.facet_reader("entity") else {
                    continue;
                };
                let mut map: HashMap<u64, usize> = HashMap::new();
                for ((kind, name), &e) in &multi {
                    let facet = entity_facet(*kind, name);
                    if let Ok(Some(ord)) = reader.facet_dict().term_ord(facet.encoded_str()) {
                        map.insert(ord, e);
                    }
                }
                let mut seen: Vec<usize> = Vec::new();
                for doc in alive(segment) {
                    seen.clear();
                    seen.extend(reader.facet_ords(doc).filter_map(|o| map.get(&o).copied()));
                    seen.sort_unstable();
                    seen.dedup();
                    for &e in &seen {
                        counts[e] += 1;
                    }
                }
            }
            for (e, n) in counts.into_iter().enumerate() {
                if entries[e].articles == 0 {
                    entries[e].articles = n;
                }
            }
        }
        entries.sort_by(|a, b| {
            b.articles
                .cmp(&a.articles)
                .then_with(|| (a.kind, &a.name).cmp(&(b.kind, &b.name)))
        });
        Ok(Dictionary::from_entries(opstamp, entries))
    }

    /// The dictionary of these entries, with its lookup table.
    fn from_entries(opstamp: u64, entries: Vec<DictionaryEntry>) -> Dictionary {
        let lookup = Self::lookup_lines(&entries);
        let mut d = Dictionary::from_lookup(opstamp, None, lookup);
        d.entries = OnceLock::from(entries);
        d
    }

    /// The lookup table of entries (see [`Dictionary::lookup`]), sorted.
    fn lookup_lines(entries: &[DictionaryEntry]) -> Vec<u8> {
        let clean = |s: &str| !s.contains(['\t', '\n', '\r', ALIAS_SEP]);
        let mut lines: Vec<String> = Vec::new();
        for entry in entries {
            let names: Vec<&str> = std::iter::once(entry.name.as_str())
                .chain(entry.merged.iter().map(|m| m.name.as_str()))
                .collect();
            if !names.iter().all(|n| clean(n)) {
                continue;
            }
            let joined = names.join(&ALIAS_SEP.to_string());
            let mut keys: Vec<String> = names
                .iter()
                .copied()
                .chain(entry.aliases.iter().map(|a| a.name.as_str()))
                .map(name_key)
                .collect();
            if entry.kind == EntityKind::Person {
                if let Some((_, last)) = name_key(&entry.name).rsplit_once(' ') {
                    keys.push(last.to_string());
                }
            }
            keys.sort();
            keys.dedup();
            let kind = entry.kind.as_str();
            for k in keys.into_iter().filter(|k| !k.is_empty() && clean(k)) {
                lines.push(format!("k\t{kind}\t{k}\t{joined}\n"));
            }
            if names.len() > 1 {
                lines.push(format!("m\t{kind}\t{joined}\n"));
            }
        }
        lines.sort_unstable();
        lines.concat().into_bytes()
    }

    /// A dictionary over a lookup table.
    fn from_lookup(opstamp: u64, dir: Option<PathBuf>, lookup: Vec<u8>) -> Dictionary {
        let mut merged = Vec::new();
        let mut merged_by_name = HashMap::new();
        for line in Self::lines_with_prefix(&lookup, b"m\t") {
            let mut cols = line.splitn(3, '\t').skip(1);
            let (Some(kind), Some(names)) = (cols.next(), cols.next()) else {
                continue;
            };
            let Some(kind) = EntityKind::ALL.into_iter().find(|k| k.as_str() == kind) else {
                continue;
            };
            let names: Vec<String> = names.split(ALIAS_SEP).map(str::to_string).collect();
            for n in &names {
                merged_by_name.insert((kind, n.clone()), merged.len());
            }
            merged.push(Merged {
                kind,
                name: names[0].clone(),
                names,
            });
        }
        Dictionary {
            opstamp,
            dir,
            entries: OnceLock::new(),
            lookup,
            merged,
            merged_by_name,
        }
    }

    /// The lines of the sorted table `lookup` that start with `prefix`, without their
    /// final newline: found by binary search, never by reading the whole table.
    fn lines_with_prefix<'a>(lookup: &'a [u8], prefix: &'a [u8]) -> impl Iterator<Item = &'a str> {
        // The start of the line holding byte `i`.
        let line_start = |i: usize| {
            lookup[..i]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1)
        };
        // Binary search over byte positions for the first line not below `prefix`.
        let (mut lo, mut hi) = (0usize, lookup.len());
        while lo < hi {
            let mid = line_start(lo + (hi - lo) / 2);
            let end = lookup[mid..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(lookup.len(), |p| mid + p);
            if &lookup[mid..end] < prefix {
                lo = end + 1;
            } else {
                hi = mid;
            }
        }
        let start = lo.min(lookup.len());
        lookup[start..]
            .split(|&b| b == b'\n')
            .take_while(move |line| line.starts_with(prefix))
            .filter_map(|line| std::str::from_utf8(line).ok())
    }

    /// Every entity, most articles first (read from the index directory on first use).
    pub fn entries(&self) -> Result<&[DictionaryEntry]> {
        if let Some(e) = self.entries.get() {
            return Ok(e);
        }
        let Some(dir) = &self.dir else {
            return Ok(&[]);
        };
        let path = dir.join(DICTIONARY_FILE);
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let file: File = serde_json::from_slice(&bytes).map_err(Error::Corrupt)?;
        if file.format != FORMAT || file.opstamp != self.opstamp {
            return Err(Error::Malformed {
                path,
                format: "entity dictionary",
                reason: "the entity dictionary does not match the index: run `newsdex index` again"
                    .into(),
            });
        }
        Ok(self.entries.get_or_init(|| file.entries))
    }

    /// The commit this dictionary describes.
    pub fn opstamp(&self) -> u64 {
        self.opstamp
    }

    /// The dictionary entry of a canonical name of the index (its own or merged into it).
    pub fn entry_of(&self, kind: EntityKind, name: &str) -> Result<Option<&DictionaryEntry>> {
        let name = match self.merged_by_name.get(&(kind, name.to_string())) {
            Some(&m) => self.merged[m].name.as_str(),
            None => name,
        };
        Ok(self
            .entries()?
            .iter()
            .find(|e| e.kind == kind && e.name == name))
    }

    /// The entity holding a canonical name of the index, when the dictionary merged several
    /// canonical names into it.
    pub fn merged_entity(&self, kind: EntityKind, name: &str) -> Option<&Resolved> {
        self.merged_index(kind, name).map(|m| &self.merged[m])
    }

    pub(crate) fn merged_index(&self, kind: EntityKind, name: &str) -> Option<usize> {
        self.merged_by_name.get(&(kind, name.to_string())).copied()
    }

    /// The entities a name typed by a user may mean, of one kind or any: those that have it
    /// as name, short form or alias (`"Putin"`, `"President Putin"`), people whose surname it
    /// is, and for places and organisations the gazetteer's name for it (`"USA"` → United
    /// States).
    pub fn resolve(&self, kind: Option<EntityKind>, name: &str) -> Vec<Resolved> {
        let mut keys = vec![name_key(name)];
        if let Some(known) = crate::normalise::gazetteer::get()
            .known
            .get(&name.trim().to_lowercase())
        {
            keys.push(name_key(known.name));
        }
        let mut found: Vec<Resolved> = Vec::new();
        for k in EntityKind::ALL {
            if kind.is_some_and(|want| want != k) {
                continue;
            }
            for key in keys.iter().filter(|k| !k.is_empty()) {
                let prefix = format!("k\t{}\t{key}\t", k.as_str());
                for line in Self::lines_with_prefix(&self.lookup, prefix.as_bytes()) {
                    let names: Vec<String> = line[prefix.len()..]
                        .split(ALIAS_SEP)
                        .map(str::to_string)
                        .collect();
                    found.push(Resolved {
                        kind: k,
                        name: names[0].clone(),
                        names,
                    });
                }
            }
        }
        found.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
        found.dedup();
        found
    }

    /// Load the dictionary stored in `dir`, if there is one for commit `opstamp`.
    pub(crate) fn load(dir: &Path, opstamp: u64) -> Option<Dictionary> {
        let bytes = std::fs::read(dir.join(LOOKUP_FILE)).ok()?;
        let newline = bytes.iter().position(|&b| b == b'\n')?;
        let header = std::str::from_utf8(&bytes[..newline]).ok()?;
        let expected = format!("{LOOKUP_MAGIC} {FORMAT} {opstamp}");
        if header != expected {
            return None;
        }
        let lookup = bytes[newline + 1..].to_vec();
        Some(Dictionary::from_lookup(
            opstamp,
            Some(dir.to_path_buf()),
            lookup,
        ))
    }

    /// Store the dictionary in `dir`: the whole list, then the lookup table (each
    /// atomically: a temporary file, then a rename), so a current lookup table always has
    /// its current list.
    pub(crate) fn save(&self, dir: &Path) -> Result<()> {
        let write = |name: &str, bytes: &[u8]| -> Result<()> {
            let tmp = dir.join(format!("{name}.tmp"));
            let path = dir.join(name);
            std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
            std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
        };
        let file = File {
            format: FORMAT,
            opstamp: self.opstamp,
            entries: self.entries()?.to_vec(),
        };
        write(
            DICTIONARY_FILE,
            &serde_json::to_vec(&file).map_err(Error::Corrupt)?,
        )?;
        let mut lookup = format!("{LOOKUP_MAGIC} {FORMAT} {}\n", self.opstamp).into_bytes();
        lookup.extend_from_slice(&self.lookup);
        write(LOOKUP_FILE, &lookup)
    }
}

/// The entities of one segment's documents, with the members of merged dictionary entries
/// counted as their entry: what the facet and co-mention collectors count.
pub(crate) struct SegmentEntities {
    reader: Option<FacetReader>,
    /// Facet ordinals of members of merged entries → entry number.
    merged: HashMap<u64, usize>,
}

/// One entity of a document: a facet of the segment, or a dictionary entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum EntityRef {
    /// A facet ordinal of the segment (an entity the dictionary did not merge).
    Ord(u64),
    /// An entity of the dictionary with several canonical names.
    Entry(usize),
}

impl SegmentEntities {
    pub(crate) fn new(segment: &SegmentReader, dictionary: Option<&Dictionary>) -> Self {
        let reader = segment.facet_reader("entity").ok();
        let mut merged = HashMap::new();
        if let (Some(r), Some(d)) = (&reader, dictionary) {
            for (e, entity) in d.merged.iter().enumerate() {
                for name in &entity.names {
                    let facet = entity_facet(entity.kind, name);
                    if let Ok(Some(ord)) = r.facet_dict().term_ord(facet.encoded_str()) {
                        merged.insert(ord, e);
                    }
                }
            }
        }
        SegmentEntities { reader, merged }
    }

    /// The entities of `doc` (each once) into `out`.
    pub(crate) fn of(&self, doc: DocId, out: &mut Vec<EntityRef>) {
        out.clear();
        let Some(reader) = &self.reader else {
            return;
        };
        out.extend(reader.facet_ords(doc).map(|o| match self.merged.get(&o) {
            Some(&e) => EntityRef::Entry(e),
            None => EntityRef::Ord(o),
        }));
        if !self.merged.is_empty() {
            out.sort_unstable();
            out.dedup();
        }
    }

    /// The segment's ordinal (or entry) of an entity given by kind and canonical name.
    pub(crate) fn find(
        &self,
        dictionary: Option<&Dictionary>,
        kind: EntityKind,
        name: &str,
    ) -> Option<EntityRef> {
        if let Some(e) = dictionary.and_then(|d| d.merged_index(kind, name)) {
            return Some(EntityRef::Entry(e));
        }
        let facet = entity_facet(kind, name);
        self.reader
            .as_ref()?
            .facet_dict()
            .term_ord(facet.encoded_str())
            .ok()
            .flatten()
            .map(EntityRef::Ord)
    }

    /// Kind and canonical name of several entities of this segment, in one pass over the
    /// segment's facet dictionary.
    pub(crate) fn names(
        &self,
        dictionary: Option<&Dictionary>,
        entities: impl IntoIterator<Item = EntityRef>,
    ) -> HashMap<EntityRef, (EntityKind, String)> {
        let mut out = HashMap::new();
        let mut ords = Vec::new();
        for r in entities {
            match r {
                EntityRef::Ord(o) => ords.push(o),
                EntityRef::Entry(_) => {
                    if let Some(name) = self.name(dictionary, r) {
                        out.insert(r, name);
                    }
                }
            }
        }
        if let Some(reader) = &self.reader {
            for (o, term) in terms_of(reader.facet_dict(), ords) {
                if let Some(name) = Facet::from_encoded(term)
                    .ok()
                    .as_ref()
                    .and_then(entity_of_facet)
                {
                    out.insert(EntityRef::Ord(o), name);
                }
            }
        }
        out
    }

    /// Kind and canonical name of an entity of this segment.
    pub(crate) fn name(
        &self,
        dictionary: Option<&Dictionary>,
        entity: EntityRef,
    ) -> Option<(EntityKind, String)> {
        match entity {
            EntityRef::Entry(e) => {
                let entity = dictionary?.merged.get(e)?;
                Some((entity.kind, entity.name.clone()))
            }
            EntityRef::Ord(o) => {
                let mut facet = Facet::root();
                self.reader.as_ref()?.facet_from_ord(o, &mut facet).ok()?;
                entity_of_facet(&facet)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_titles_and_initials() {
        assert_eq!(name_key("U.S."), "us");
        assert_eq!(name_key("US"), "us");
        assert_eq!(name_key("U.S.A."), "usa");
        assert_eq!(name_key("President Putin"), "putin");
        assert_eq!(name_key("Mr Putin"), "putin");
        assert_eq!(name_key("Vladimir Putin"), "vladimir putin");
        assert_eq!(name_key("George W. Bush"), "george w bush");
        assert_eq!(name_key("Bashar al-Assad"), "bashar al assad");
        assert_eq!(name_key("Besançon"), "besancon");
        // A title alone stays a name.
        assert_eq!(name_key("President"), "president");
    }

    fn node(kind: EntityKind, name: &str, articles: u64, aliases: &[&str]) -> Node {
        Node {
            kind,
            name: name.into(),
            articles,
            key: name_key(name),
            aliases: aliases.iter().map(|s| (s.to_string(), 1)).collect(),
        }
    }

    fn grouped(nodes: &[Node]) -> Vec<Vec<&str>> {
        let mut g = Dictionary::group(nodes);
        let mut by: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
        for (i, n) in nodes.iter().enumerate() {
            by.entry(g.root(i)).or_default().push(n.name.as_str());
        }
        let mut out: Vec<Vec<&str>> = by.into_values().collect();
        out.sort();
        out
    }

    #[test]
    fn surnames_join_their_one_full_name() {
        use EntityKind::*;
        let nodes = vec![
            node(Person, "Vladimir Putin", 40, &["Putin"]),
            node(Person, "Putin", 12, &[]),
            node(Person, "President Putin", 2, &[]),
            node(Person, "Lyudmila Putina", 3, &[]),
        ];
        assert_eq!(
            grouped(&nodes),
            vec![
                vec!["Lyudmila Putina"],
                vec!["Vladimir Putin", "Putin", "President Putin"]
            ]
        );
    }

    #[test]
    fn full_names_sharing_a_surname_stay_apart() {
        use EntityKind::*;
        // Two people called Bush, equally frequent: "Bush" alone is ambiguous.
        let nodes = vec![
            node(Person, "George Bush", 30, &["Bush"]),
            node(Person, "Jeb Bush", 20, &["Bush"]),
            node(Person, "Bush", 9, &[]),
        ];
        assert_eq!(
            grouped(&nodes),
            vec![vec!["Bush"], vec!["George Bush"], vec!["Jeb Bush"]]
        );
        // One far more frequent than the other: the surname is his.
        let nodes = vec![
            node(Person, "George Bush", 300, &["Bush"]),
            node(Person, "Jeb Bush", 2, &["Bush"]),
            node(Person, "Bush", 9, &[]),
        ];
        assert_eq!(
            grouped(&nodes),
            vec![vec!["George Bush", "Bush"], vec!["Jeb Bush"]]
        );
    }

    #[test]
    fn places_and_orgs_join_by_key_and_short_form() {
        use EntityKind::*;
        let nodes = vec![
            node(Place, "United States", 50, &["U.S.", "US"]),
            node(Place, "U.S.", 3, &[]),
            node(Organization, "Ford Motor Co", 10, &["Ford"]),
            node(Organization, "Ford", 4, &[]),
            node(Organization, "F.B.I.", 2, &[]),
            node(Organization, "FBI", 7, &[]),
            // A person is never merged with an organisation of the same name.
            node(Person, "Ford", 1, &[]),
        ];
        assert_eq!(
            grouped(&nodes),
            vec![
                vec!["F.B.I.", "FBI"],
                vec!["Ford"],
                vec!["Ford Motor Co", "Ford"],
                vec!["United States", "U.S."],
            ]
        );
    }

    fn entry(kind: EntityKind, name: &str, merged: &[&str], aliases: &[&str]) -> DictionaryEntry {
        let counts = |v: &[&str]| {
            v.iter()
                .map(|n| NameCount {
                    name: n.to_string(),
                    articles: 1,
                })
                .collect()
        };
        DictionaryEntry {
            kind,
            name: name.into(),
            articles: 1,
            merged: counts(merged),
            aliases: counts(aliases),
        }
    }

    #[test]
    fn the_lookup_table_is_searched_by_prefix() {
        use EntityKind::*;
        let mut entries = vec![
            entry(Person, "Vladimir Putin", &["Putin"], &["Putin", "Mr Putin"]),
            entry(Person, "George Bush", &[], &["Bush"]),
            entry(Person, "Jeb Bush", &[], &["Bush"]),
            entry(Place, "United States", &[], &["U.S.", "USA"]),
        ];
        // Many more names, so the binary search has work to do.
        for i in 0..500 {
            entries.push(entry(
                Organization,
                &format!("Company {i:03} Ltd"),
                &[],
                &[],
            ));
        }
        let d = Dictionary::from_entries(7, entries);
        let names = |kind, q: &str| -> Vec<String> {
            d.resolve(kind, q).into_iter().map(|r| r.name).collect()
        };
        assert_eq!(names(Some(Person), "putin"), ["Vladimir Putin"]);
        assert_eq!(names(None, "President Putin"), ["Vladimir Putin"]);
        assert_eq!(names(Some(Person), "Bush"), ["George Bush", "Jeb Bush"]);
        assert_eq!(names(Some(Place), "u.s."), ["United States"]);
        assert_eq!(names(Some(Place), "America"), ["United States"]);
        assert_eq!(
            names(Some(Organization), "company 250 ltd"),
            ["Company 250 Ltd"]
        );
        assert!(names(Some(Organization), "company 25").is_empty());
        assert!(names(Some(Place), "putin").is_empty());
        assert_eq!(
            d.merged_entity(Person, "Putin").map(|r| r.names.clone()),
            Some(vec!["Vladimir Putin".to_string(), "Putin".to_string()])
        );
        assert!(d.merged_entity(Person, "Jeb Bush").is_none());
        // Stored and loaded back.
        let dir = tempfile::tempdir().expect("tmp");
        d.save(dir.path()).expect("save");
        let back = Dictionary::load(dir.path(), 7).expect("load");
        assert_eq!(
            back.resolve(Some(Person), "putin"),
            d.resolve(Some(Person), "putin")
        );
        assert_eq!(back.entries().expect("entries").len(), 504);
        assert!(Dictionary::load(dir.path(), 8).is_none(), "another commit");
    }
}
