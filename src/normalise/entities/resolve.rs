//! Resolution within an article: short forms to full names, initials to organisations.

use super::super::gazetteer::Gazetteer;
use super::spans::Found;
use crate::article::EntityKind;
use rustc_hash::{FxHashMap as HashMap, FxHashSet};

/// Resolve short forms to full names; classify what is still unknown.
pub(crate) fn resolve(mut found: Vec<Found>, extra_persons: &[Found], g: &Gazetteer) -> Vec<Found> {
    // "Mr Trump" somewhere makes "Donald Trump" a person even without a known given name.
    let titled_surnames: FxHashSet<String> = found
        .iter()
        .filter(|f| f.titled && f.tokens.len() == 1)
        .map(|f| strip_particle(&f.tokens[0]).to_lowercase())
        .collect();
    for f in &mut found {
        if f.kind.is_none() && !f.known && f.tokens.len() >= 2 {
            let last = f
                .tokens
                .last()
                .map(|t| strip_particle(t).to_lowercase())
                .unwrap_or_default();
            let first = strip_particle(&f.tokens[0]).to_lowercase();
            if titled_surnames.contains(&last) || titled_surnames.contains(&first) {
                f.kind = Some(EntityKind::Person);
            }
        }
    }
    // A name of two to four words whose last words stand alone elsewhere in the article is a
    // person ("Ayoub El Kaabi ... El Kaabi scored"): people are shortened to their surname,
    // organisations to their first word ("Northwind" for "Northwind Shipping").
    let shorts: FxHashSet<Vec<String>> = found
        .iter()
        .filter(|f| !f.known && f.kind.is_none_or(|k| k == EntityKind::Person))
        .map(|f| comparable(&f.tokens))
        .collect();
    for f in &mut found {
        if f.kind.is_none() && !f.known && (2..=4).contains(&f.tokens.len()) {
            let tokens = comparable(&f.tokens);
            if (1..tokens.len()).any(|k| shorts.contains(&tokens[k..])) {
                f.kind = Some(EntityKind::Person);
            }
        }
    }
    // Full names of people, each with where it occurs (sorted): few distinct names even
    // in a long text, so resolving a short form is a scan of names, not of mentions.
    let mut persons: Vec<FullName> = Vec::new();
    for f in found.iter().chain(extra_persons) {
        if f.kind != Some(EntityKind::Person) || f.tokens.len() < 2 || f.known {
            continue;
        }
        let tokens = comparable(&f.tokens);
        match persons
            .iter_mut()
            .find(|p| p.tokens == tokens && p.canonical == f.canonical)
        {
            Some(p) => p.starts.push(f.start),
            None => persons.push(FullName {
                tokens,
                canonical: f.canonical.clone(),
                starts: vec![f.start],
            }),
        }
    }
    for p in &mut persons {
        p.starts.sort_unstable();
    }
    // Organisations named in full: their initials ("BGH") and first word ("Lumora" for
    // "Lumora Technologies") are short forms of them.
    let mut orgs: HashMap<String, String> = HashMap::default();
    for f in &found {
        if f.kind == Some(EntityKind::Organization) && f.tokens.len() >= 2 && !f.known {
            for short in [initials(&f.tokens), f.tokens[0].clone()] {
                orgs.entry(short.to_lowercase())
                    .or_insert_with(|| f.canonical.clone());
            }
        }
    }
    for f in &mut found {
        if f.known || (f.tokens.len() >= 2 && f.kind == Some(EntityKind::Person)) {
            continue;
        }
        let short = comparable(&f.tokens);
        // A short form of a person's name: a person, a name of no kind yet, or one the
        // gazetteer does not know ("Assad" after "Bashar al-Assad", whatever it looked like).
        let may_be_person = f.kind.is_none_or(|k| k == EntityKind::Person) || !f.known;
        // The nearest full name (before it, else after it) that ends with this short form.
        let full = persons
            .iter()
            .filter(|_| may_be_person)
            .filter(|p| p.tokens.len() > short.len() && p.tokens.ends_with(&short))
            .min_by_key(|p| p.distance_before(f.start));
        // "Ms Li" or "Li" for "Li Wen": names written surname first (a title before the
        // short form, or a full name that does not start with a known given name).
        let full = full.or_else(|| {
            persons
                .iter()
                .filter(|_| may_be_person)
                .filter(|p| {
                    p.tokens.len() > short.len()
                        && p.tokens.starts_with(&short)
                        && (f.titled || !g.given.contains(&p.tokens[0]))
                })
                .min_by_key(|p| p.distance(f.start))
        });
        if let Some(FullName { canonical, .. }) = full {
            f.canonical = canonical.clone();
            f.kind = Some(EntityKind::Person);
            continue;
        }
        // A lone word taken for a person that is a known place or organisation, with no
        // title and no fuller name in the article it could be short for ("Moscow and
        // Washington were"): the gazetteer's kind.
        if f.kind == Some(EntityKind::Person) && f.tokens.len() == 1 && !f.titled {
            let word = &f.tokens[0];
            let known = g
                .known
                .get(&word.to_lowercase())
                .filter(|k| !k.acronym || !word.chars().any(char::is_lowercase));
            if let Some(k) = known {
                f.kind = Some(k.kind);
                f.canonical = k.name.to_string();
                f.known = true;
                continue;
            }
        }
        // "Li said" where the article also says "Ms Li": the same person.
        if f.kind.is_none() && f.tokens.len() == 1 && titled_surnames.contains(&short[0]) {
            f.kind = Some(EntityKind::Person);
            continue;
        }
        if f.tokens.len() == 1 && f.kind.is_none_or(|k| k == EntityKind::Organization) {
            if let Some(canonical) = orgs.get(&f.tokens[0].to_lowercase()) {
                f.canonical = canonical.clone();
                f.kind = Some(EntityKind::Organization);
                continue;
            }
        }
        if f.kind.is_none() {
            f.kind = Some(if f.titled {
                EntityKind::Person
            } else {
                EntityKind::Other
            });
        }
    }
    // "Li said" where "Ms Li" resolved to "Li Wen": the same person.
    let resolved: HashMap<String, String> = found
        .iter()
        .filter(|f| f.titled && f.tokens.len() == 1 && f.canonical != f.tokens[0])
        .map(|f| (f.tokens[0].to_lowercase(), f.canonical.clone()))
        .collect();
    for f in &mut found {
        if f.tokens.len() == 1 && f.kind == Some(EntityKind::Person) && f.canonical == f.tokens[0] {
            if let Some(canonical) = resolved.get(&f.tokens[0].to_lowercase()) {
                f.canonical = canonical.clone();
            }
        }
    }
    found
}

/// A person's full name in an article and the byte offsets where it occurs (sorted).
struct FullName {
    tokens: Vec<String>,
    canonical: String,
    starts: Vec<usize>,
}

impl FullName {
    /// Sort key preferring the nearest occurrence before `at`, then the first one after it.
    fn distance_before(&self, at: usize) -> usize {
        let i = self.starts.partition_point(|&s| s <= at);
        match i.checked_sub(1) {
            Some(j) => at - self.starts[j],
            None => usize::MAX / 2 + self.starts[0],
        }
    }

    /// Distance from `at` to the nearest occurrence.
    fn distance(&self, at: usize) -> usize {
        let i = self.starts.partition_point(|&s| s <= at);
        let before = i.checked_sub(1).map(|j| at - self.starts[j]);
        let after = self.starts.get(i).map(|&s| s - at);
        before.into_iter().chain(after).min().unwrap_or(usize::MAX)
    }
}

/// Name words as compared between short and full forms: lower case, particles dropped.
fn comparable(tokens: &[String]) -> Vec<String> {
    tokens
        .iter()
        .map(|t| strip_particle(t).to_lowercase())
        .collect()
}

fn strip_particle(word: &str) -> &str {
    for p in ["al-", "el-", "ad-", "as-", "bin-", "Al-", "El-"] {
        if let Some(rest) = word.strip_prefix(p) {
            return rest;
        }
    }
    word
}

fn initials(tokens: &[String]) -> String {
    tokens
        .iter()
        .filter(|t| t.starts_with(|c: char| c.is_uppercase()))
        .filter_map(|t| t.chars().next())
        .collect()
}

pub(crate) fn title_case(word: &str) -> String {
    let mut out = String::new();
    for (i, part) in word.split('-').enumerate() {
        if i > 0 {
            out.push('-');
        }
        let mut chars = part.chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_uppercase());
            out.push_str(&chars.as_str().to_lowercase());
        }
    }
    out
}

/// Canonical casing: shouted words longer than an acronym become title case.
pub(crate) fn fix_case(word: &str) -> String {
    if word.chars().count() > 5 && !word.chars().any(char::is_lowercase) {
        title_case(word)
    } else {
        word.to_string()
    }
}
