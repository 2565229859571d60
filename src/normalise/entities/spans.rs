//! Names found in a text, as byte spans with what is known of them.

use super::decode::{kind_index, kind_of, Part};
use super::resolve::fix_case;
use super::rules;
use super::tokens::Token;
use crate::article::EntityKind;
use crate::normalise::gazetteer::Gazetteer;

/// A name found in a text, with what is known of it so far.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    /// The name's words as written (possessive removed).
    pub tokens: Vec<String>,
    pub surface: String,
    pub canonical: String,
    pub kind: Option<EntityKind>,
    /// From the gazetteer.
    pub known: bool,
    /// A title before it marks it as a person.
    pub titled: bool,
}

/// The names that BILOU `labels` (one per token, see [`super::decode::LABELS`]) mark in a
/// text, with their canonical form: the gazetteer's when the name is known as that kind,
/// else the words as written (shouted words in title case). A name is `titled` when a title
/// stands right before it (`Mr Putin`) or the rules saw one.
pub(crate) fn from_labels(
    text: &str,
    tokens: &[Token],
    labels: &[u8],
    rule_found: &[Found],
    g: &Gazetteer,
) -> Vec<Found> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some((kind, _)) = kind_of(usize::from(labels[i])) else {
            i += 1;
            continue;
        };
        let open = |k: usize| {
            matches!(
                kind_of(usize::from(labels[k])),
                Some((_, Part::Begin | Part::Inside))
            )
        };
        let continues = |k: usize| {
            matches!(
                kind_of(usize::from(labels[k])),
                Some((c, Part::Inside | Part::Last)) if c == kind
            )
        };
        let mut j = i + 1;
        // A name runs across spaces (and the `&` of "Procter & Gamble"), not across other
        // punctuation: "Nairobi (Capital Wire)" is two names, "Russian-US" too.
        let joined = |k: usize| {
            text.get(tokens[k - 1].end..tokens[k].start)
                .is_some_and(|gap| matches!(gap.trim(), "" | "&"))
        };
        while j < tokens.len() && open(j - 1) && continues(j) && joined(j) {
            j += 1;
        }
        let next = j;
        // Titles are not part of a person's name ("Mr Putin" is Putin, titled).
        let mut titled = false;
        while kind == EntityKind::Person && j - i >= 2 && is_title(&tokens[i], g) {
            i += 1;
            titled = true;
        }
        let name = &tokens[i..j];
        // The second word of a compound labelled as one ("Russian-US" talks): a known name
        // takes its own kind.
        let after_hyphen = i
            .checked_sub(1)
            .is_some_and(|p| text.get(tokens[p].end..tokens[i].start) == Some("-"));
        let entry = rules::known(name, g);
        let kind = match entry {
            Some(k) if after_hyphen && kind == EntityKind::Other => k.kind,
            _ => kind,
        };
        let known = entry.filter(|k| k.kind == kind);
        let canonical = match known {
            Some(k) => k.name.to_string(),
            None => name
                .iter()
                .map(|t| fix_case(t.text))
                .collect::<Vec<_>>()
                .join(" "),
        };
        let titled = kind == EntityKind::Person
            && (titled
                || rule_found
                    .iter()
                    .any(|f| f.titled && f.start == name[0].start)
                || i.checked_sub(1)
                    .map(|p| &tokens[p])
                    .is_some_and(|p| !p.break_after && is_title(p, g)));
        out.push(rules::found(
            name,
            Some(kind),
            canonical,
            known.is_some(),
            titled,
        ));
        i = next;
    }
    out
}

fn is_title(t: &Token, g: &Gazetteer) -> bool {
    let l = t.lower();
    g.titles.contains_key(l) || g.titles.contains_key(l.trim_end_matches('.'))
}

/// One kind per name in a text: where the model gave the same words different kinds, every
/// occurrence takes the kind most of them have (ties keep each its own).
pub(crate) fn consistent(found: &mut [Found]) {
    let mut votes: rustc_hash::FxHashMap<&str, [u16; 4]> = rustc_hash::FxHashMap::default();
    for f in found.iter() {
        if let Some(k) = f.kind {
            votes.entry(f.surface.as_str()).or_default()[kind_index(k)] += 1;
        }
    }
    let winners: rustc_hash::FxHashMap<String, EntityKind> = votes
        .into_iter()
        .filter_map(|(surface, v)| {
            let max = *v.iter().max()?;
            let mut best = v.iter().enumerate().filter(|(_, &c)| c == max);
            let (k, _) = best.next()?;
            (best.next().is_none() && v.iter().filter(|&&c| c > 0).count() > 1)
                .then(|| (surface.to_string(), EntityKind::ALL[k]))
        })
        .collect();
    for f in found.iter_mut() {
        if let Some(&k) = winners.get(&f.surface) {
            f.kind = Some(k);
        }
    }
}
