//! Name lists for entity extraction, compiled into the binary from `data/` (see
//! `data/README.md` for provenance and licence). Loaded once, on first use.

use crate::article::EntityKind;
// Looked up for every word of every article: a fast hash (not SipHash; the keys are ours).
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::LazyLock;

/// A known name: its canonical form and kind.
#[derive(Debug, Clone)]
pub struct Known {
    /// Canonical name.
    pub name: &'static str,
    /// Kind of entity.
    pub kind: EntityKind,
    /// Written in capitals in the list (`WHO`, `U.S.`): matches only text in capitals.
    pub acronym: bool,
}

/// Kind of a title word before a person's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleKind {
    /// Mr, Mrs, Dr, Sir...
    Honorific,
    /// President, Prime Minister, Mayor...
    Role,
}

/// All lists, indexed for lookup. Keys are lower case.
pub struct Gazetteer {
    /// Places and organisations by every name and alias.
    pub known: HashMap<String, Known>,
    /// Demonyms ("russian") to the place they refer to.
    pub demonyms: HashMap<String, &'static str>,
    /// Given names (unambiguous ones).
    pub given: HashSet<String>,
    /// Given names that are also ordinary words ("will", "may").
    pub given_ambiguous: HashSet<String>,
    /// Titles before a name, by lower-case form; multi-word ones included ("prime minister").
    pub titles: HashMap<String, TitleKind>,
    /// Longest title, in words.
    pub max_title_words: usize,
    /// Words that end an organisation's name ("bank", "inc").
    pub org_suffix: HashSet<String>,
    /// Capitalised words that are never a name on their own ("however", "monday").
    pub not_names: HashSet<String>,
    /// The first words of known names, each with the longest name it starts (in words):
    /// a word not here starts no known name, so most words need no longer lookup.
    pub known_first: HashMap<String, usize>,
}

static DATA: LazyLock<Gazetteer> = LazyLock::new(Gazetteer::load);

/// The gazetteer.
pub fn get() -> &'static Gazetteer {
    &DATA
}

fn lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn place_kind(_kind: &str) -> EntityKind {
    EntityKind::Place
}

impl Gazetteer {
    fn load() -> Gazetteer {
        let mut known = HashMap::default();
        let mut add = |name: &'static str, kind: EntityKind, alias: &str| {
            let key = alias.trim().to_lowercase();
            let acronym = !alias.chars().any(char::is_lowercase)
                && alias.chars().filter(|c| c.is_alphabetic()).count() <= 6;
            if !key.is_empty() {
                known.entry(key).or_insert(Known {
                    name,
                    kind,
                    acronym,
                });
            }
        };
        for line in lines(include_str!("data/places.tsv")) {
            let mut cols = line.split('\t');
            let (Some(name), kind) = (cols.next(), cols.next().unwrap_or("")) else {
                continue;
            };
            add(name, place_kind(kind), name);
            for alias in cols.next().unwrap_or("").split(',') {
                add(name, EntityKind::Place, alias);
            }
        }
        for (list, kind) in [
            (include_str!("data/orgs.tsv"), EntityKind::Organization),
            (include_str!("data/other.tsv"), EntityKind::Other),
        ] {
            for line in lines(list) {
                let mut cols = line.split('\t');
                let Some(name) = cols.next() else { continue };
                add(name, kind, name);
                for alias in cols.next().unwrap_or("").split(',') {
                    add(name, kind, alias);
                }
            }
        }
        let mut known_first: HashMap<String, usize> = HashMap::default();
        for k in known.keys() {
            let mut words = k.split_whitespace();
            if let Some(first) = words.next() {
                let len = 1 + words.count();
                let e = known_first.entry(first.to_string()).or_insert(0);
                *e = (*e).max(len);
            }
        }
        let demonyms = lines(include_str!("data/demonyms.tsv"))
            .filter_map(|l| {
                let (adj, place) = l.split_once('\t')?;
                Some((adj.to_lowercase(), place))
            })
            .collect();
        let set = |text: &'static str| -> HashSet<String> {
            lines(text)
                .map(|l| l.split('\t').next().unwrap_or(l).trim().to_lowercase())
                .collect()
        };
        let titles: HashMap<String, TitleKind> = lines(include_str!("data/honorifics.txt"))
            .map(|l| {
                let (t, kind) = l.split_once('\t').unwrap_or((l, "role"));
                let kind = if kind.trim() == "honorific" {
                    TitleKind::Honorific
                } else {
                    TitleKind::Role
                };
                (t.trim().to_lowercase(), kind)
            })
            .collect();
        let max_title_words = titles
            .keys()
            .map(|k| k.split_whitespace().count())
            .max()
            .unwrap_or(1);
        let org_suffix = lines(include_str!("data/org_words.txt"))
            .filter_map(|l| {
                let (w, kind) = l.split_once('\t')?;
                (kind.trim() == "suffix").then(|| w.trim().to_lowercase())
            })
            .collect();
        Gazetteer {
            known,
            demonyms,
            given: set(include_str!("data/given_names.txt")),
            given_ambiguous: set(include_str!("data/given_names_ambiguous.txt")),
            titles,
            max_title_words,
            org_suffix,
            not_names: set(include_str!("data/not_names.txt")),
            known_first,
        }
    }
}
