//! The hand-written rules (entity extraction v1), now the learned tagger's strongest
//! features: candidate spans, gazetteer segmentation, titles, suffixes and appositions.

use super::super::gazetteer::{self, Gazetteer, TitleKind};
use super::resolve::{fix_case, title_case};
use super::spans::Found;
use super::tokens::Token;
use crate::article::EntityKind;
use rustc_hash::FxHashSet;

pub(crate) const CONNECTORS: [&str; 13] = [
    "of", "for", "de", "da", "di", "du", "del", "der", "van", "von", "bin", "al", "la",
];

/// Candidate spans: runs of capitalised tokens (connectors allowed inside).
pub(crate) fn spans(tokens: &[Token<'_>], g: &Gazetteer) -> Vec<std::ops::Range<usize>> {
    // "and"/"&" join two runs of capitals only into an organisation's name
    // ("Securities and Exchange Commission"), not "Moscow and Washington".
    let joins_org = |at: usize| {
        let mut k = at + 1;
        while k < tokens.len() && tokens[k].capitalised() && !tokens[k - 1].break_after {
            k += 1;
        }
        k > at + 1
            && g.org_suffix
                .contains(tokens[k - 1].lower().trim_end_matches('.'))
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if !tokens[i].capitalised() {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        while end < tokens.len() && !tokens[end - 1].break_after {
            let t = &tokens[end];
            if t.capitalised() {
                end += 1;
            } else if t.text == "of"
                && tokens
                    .get(end + 1)
                    .is_some_and(|n| n.text == "the" && !n.break_after)
                && !t.break_after
                && tokens.get(end + 2).is_some_and(|n| n.capitalised())
                && (start..end).any(|k| {
                    let title = format!(
                        "{} of the {}",
                        key(&tokens[k..end]),
                        tokens[end + 2].lower()
                    );
                    g.titles.contains_key(&title)
                })
            {
                // A title with "of the" inside ("Chancellor of the Exchequer Nigel Lawson").
                end += 3;
            } else if (CONNECTORS.contains(&t.text)
                || (matches!(t.text, "and" | "&")
                    && joins_org(end)
                    // "Daewoo Group and General Motors Corp" are two organisations.
                    && !(tokens[start..end].iter().filter(|t| !matches!(t.text, "The" | "A" | "An")).count() >= 2
                        && g.org_suffix.contains(tokens[end - 1].lower().trim_end_matches('.')))))
                && !t.break_after
                && tokens.get(end + 1).is_some_and(|n| n.capitalised())
            {
                end += 2;
            } else {
                break;
            }
        }
        out.push(start..end);
        i = end;
    }
    out
}

pub(crate) fn find(
    text: &str,
    tokens: &[Token],
    runs: &[std::ops::Range<usize>],
    g: &Gazetteer,
) -> Vec<Found> {
    // Words the text capitalises somewhere other than at a sentence start.
    let mid_caps: FxHashSet<&str> = tokens
        .iter()
        .filter(|t| t.capitalised() && !t.sentence_start)
        .map(|t| t.text)
        .collect();
    let mut found = Vec::new();
    for range in runs.iter().cloned() {
        // The word before the name, when nothing but a space separates them ("in Dunmore").
        let before = range
            .start
            .checked_sub(1)
            .map(|i| &tokens[i])
            .filter(|t| !t.break_after)
            .map(|t| t.text.to_lowercase());
        let place_cue = before.is_some_and(|w| PLACE_CUES.contains(&w.as_str()));
        let from = found.len();
        segment(&tokens[range], g, &mid_caps, place_cue, &mut found);
        for f in &mut found[from..] {
            if f.kind.is_some() || f.known || f.tokens.len() > 4 {
                continue;
            }
            let after = &text[f.end..];
            if f.tokens.len() >= 2 && describes_a_person(after, g) {
                f.kind = Some(EntityKind::Person);
            } else if acts_as_an_organisation(after) {
                f.kind = Some(EntityKind::Organization);
            }
        }
    }
    found
}

/// Whether the text after a name treats it as an organisation: it speaks of itself as "it"
/// ("… said it would", "… says its profit") or has shares ("… shares rose").
fn acts_as_an_organisation(after: &str) -> bool {
    let mut words = after
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
    match (words.next(), words.next()) {
        (Some("said" | "says" | "added"), Some("it" | "its")) => true,
        (Some("shares" | "stock"), Some(w)) => matches!(
            w,
            "rose" | "fell" | "jumped" | "slipped" | "gained" | "dropped" | "climbed" | "were"
        ),
        _ => false,
    }
}

/// Whether the text after a name describes it as a person: an apposition with a role or an
/// age ("…, the country's finance minister", "…, 45,", "…, who").
fn describes_a_person(after: &str, g: &Gazetteer) -> bool {
    const PERSON_NOUNS: [&str; 24] = [
        "analyst",
        "author",
        "captain",
        "defender",
        "economist",
        "executive",
        "farmer",
        "founder",
        "goalkeeper",
        "head",
        "lawyer",
        "leader",
        "manager",
        "midfielder",
        "official",
        "owner",
        "professor",
        "researcher",
        "scientist",
        "spokesperson",
        "winger",
        "widow",
        "mother",
        "father",
    ];
    const SPEECH: [&str; 8] = [
        "said", "says", "told", "added", "argued", "warned", "wrote", "insisted",
    ];
    let next = after.split_whitespace().next().unwrap_or("");
    if after.starts_with(' ') && SPEECH.contains(&next) {
        return true;
    }
    let Some(rest) = after.strip_prefix(", ") else {
        return false;
    };
    let clause = rest
        .split([',', '.', ';', ':', '(', ')'])
        .next()
        .unwrap_or("");
    let words: Vec<&str> = clause.split_whitespace().take(7).collect();
    match words.first() {
        Some(&"who") => return true,
        Some(w) if w.len() <= 3 && w.chars().all(|c| c.is_ascii_digit()) && words.len() == 1 => {
            return true; // an age: "…, 45, said"
        }
        _ => {}
    }
    words.iter().any(|w| {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        PERSON_NOUNS.contains(&w.as_str()) || g.titles.get(&w) == Some(&TitleKind::Role)
    })
}

pub(crate) fn key(tokens: &[Token]) -> String {
    // One allocation: this runs for every candidate span and title of every article.
    let mut k = String::with_capacity(tokens.iter().map(|t| t.text.len() + 1).sum());
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            k.push(' ');
        }
        k.push_str(t.lower());
    }
    k
}

/// Titles that are also ordinary adjectives or nouns at the start of a name.
const AMBIGUOUS_TITLES: [&str; 12] = [
    "general", "chief", "deputy", "acting", "senior", "junior", "royal", "federal", "national",
    "grand", "judge", "justice",
];

/// Prepositions that put an unknown name in a place ("in Dunmore", "near Carrow Bridge").
const PLACE_CUES: [&str; 9] = [
    "in",
    "near",
    "outside",
    "across",
    "around",
    "towards",
    "toward",
    "into",
    "throughout",
];

/// A common word capitalised in mid-sentence, not a day or a month: part of a name
/// ("(Capital Wire)", "the Liberty Mutual Insurance Company"), not a sentence's first word.
fn mid_sentence_word(t: &Token) -> bool {
    const WEEKDAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let lower = t.lower();
    !t.sentence_start
        && !WEEKDAYS.contains(&lower)
        && crate::normalise::date::month_number(lower).is_none()
}

/// Words that are common words alone ("southern Spain", "international trade") but start an
/// organisation's name before an organisation suffix ("Southern Cone Press", "International
/// Coffee Organization", "National Union of Mineworkers").
const ORG_STARTERS: [&str; 15] = [
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "international",
    "national",
    "federal",
    "global",
    "royal",
    "world",
];

fn segment(
    span: &[Token],
    g: &Gazetteer,
    mid_caps: &FxHashSet<&str>,
    place_cue: bool,
    out: &mut Vec<Found>,
) {
    let n = span.len();
    let mut i = 0;
    let mut titled = false;
    // A title followed by "of" ("Chancellor of the Exchequer"): the next words name a
    // portfolio before the person.
    let mut portfolio = false;
    let shouted = n >= 2
        && span.iter().filter(|t| t.all_caps()).count() == n
        && span.iter().any(|t| t.text.len() > 4);
    while i < n {
        // Longest known name.
        let longest = longest_match(&span[i..], 1, g);
        let given_here = g.given.contains(span[i].lower()) && i + 1 < n;
        // An organisation running to the end of the span beats a known word inside it
        // ("Baltic Grid Holdings" is not the Baltic).
        let inside_org = |len: usize| org_to_end(&span[i..], g) && i + len < n;
        if let Some((len, k)) =
            longest.filter(|&(len, _)| (len > 1 || !given_here || titled) && !inside_org(len))
        {
            if !(titled && k.kind != EntityKind::Person && len == 1) {
                out.push(found(
                    &span[i..i + len],
                    Some(k.kind),
                    k.name.to_string(),
                    true,
                    false,
                ));
                i += len;
                titled = false;
                continue;
            }
        }
        if shouted {
            i += 1;
            continue;
        }
        // An organisation's name to the end of the span wins over a title inside it
        // ("General Motors Corp" is not General Motors-Corp the person).
        let org_rest = org_to_end(&span[i..], g)
            && (!g.not_names.contains(span[i].lower())
                || ORG_STARTERS.contains(&span[i].lower())
                || mid_sentence_word(&span[i])
                || is_title_at(span, i, g).is_some());
        if let Some((len, _kind)) = is_title_at(span, i, g).filter(|_| !org_rest) {
            // Titles that are also adjectives ("General Agreement", "Chief Economist") mark
            // a person only before a given name or a name of two words or more.
            let ambiguous = AMBIGUOUS_TITLES.contains(&key(&span[i..i + len]).as_str());
            let rest = &span[i + len..];
            let name_follows = rest.first().is_some_and(|t| g.given.contains(t.lower()))
                || rest
                    .iter()
                    .take_while(|t| !g.not_names.contains(t.lower()))
                    .count()
                    >= 2;
            if !ambiguous || name_follows {
                titled = true;
                i += len;
                continue;
            }
        }
        let lower = span[i].lower();
        let org_ahead = org_rest;
        if !org_ahead
            && (g.demonyms.contains_key(lower)
                || g.not_names.contains(lower)
                || CONNECTORS.contains(&span[i].text))
        {
            portfolio = titled && (portfolio || span[i].text == "of");
            titled = (titled && !g.not_names.contains(lower)) || portfolio;
            i += 1;
            continue;
        }
        // A name: up to the next title, or the next multi-word known name. An organisation
        // ending the span takes it whole ("Baltic Grid Holdings", "Meridian Health Trust").
        let org_to_end = org_to_end(&span[i..], g);
        let given_first = g.given.contains(span[i].lower());
        // After a lone given name, a one-word title or common word is a surname
        // ("Larry King", "Julie Bishop", "Theresa May").
        let surname_at = |j: usize| {
            given_first
                && j == i + 1
                && !span
                    .get(j + 1)
                    .is_some_and(|t| t.capitalised() && !g.not_names.contains(t.lower()))
        };
        let mut j = i + 1;
        while j < n
            && (org_to_end
                || surname_at(j)
                || (is_title_at(span, j, g).is_none() && longest_match(&span[j..], 2, g).is_none()))
        {
            j += 1;
        }
        // No trailing connector or common word ("Putin Monday").
        while j > i + 1
            && (CONNECTORS.contains(&span[j - 1].text) || g.not_names.contains(span[j - 1].lower()))
            && !org_to_end
            && !(j == i + 2 && surname_at(i + 1))
        {
            j -= 1;
        }
        // "Daniel Achterberg of De Nederlandsche Bank": a person, then where they work.
        if let Some(k) = (i + 2..j).find(|&k| {
            matches!(span[k].text, "of" | "for" | "at")
                && (titled || g.given.contains(span[i].lower()))
        }) {
            j = k;
        }
        // "Chancellor of the Exchequer Nigel Lawson", "Minister of Mines Subroto": the
        // person starts at a given name after the portfolio, else after its first word.
        if std::mem::take(&mut portfolio) && j - i >= 2 {
            i = (i + 1..j)
                .find(|&k| g.given.contains(span[k].lower()))
                .unwrap_or(i + 1);
        }
        let name = &span[i..j];
        i = j;
        let was_titled = std::mem::take(&mut titled);
        if name.len() == 1
            && name[0].sentence_start
            && !was_titled
            && !mid_caps.contains(name[0].text)
        {
            continue; // a capitalised sentence start, not evidence of a name
        }
        // Single letters ("B", "P" of table rows and initials) are not names alone.
        if name.len() == 1 && name[0].text.trim_end_matches('.').chars().count() < 2 {
            continue;
        }
        if name[0].all_caps() && name.len() == 1 {
            let w = name[0].text.trim_end_matches('.');
            // A dateline place in capitals ("LAGOS, March 3"), else an acronym.
            if name[0].start == 0 || w.len() > 5 {
                let kind = (name[0].start == 0 && name[0].break_after).then_some(EntityKind::Place);
                if let Some(kind) = kind {
                    out.push(found(name, Some(kind), title_case(w), false, false));
                }
                continue;
            }
            out.push(found(
                name,
                Some(EntityKind::Organization),
                name[0].text.to_string(),
                false,
                false,
            ));
            continue;
        }
        let mut kind = classify(name, was_titled, g);
        // Only the first name of the span follows the preposition.
        if kind.is_none() && place_cue && name[0].start == span[0].start {
            kind = Some(EntityKind::Place);
        }
        let canonical = name
            .iter()
            .map(|t| fix_case(t.text))
            .collect::<Vec<_>>()
            .join(" ");
        out.push(found(name, kind, canonical, false, was_titled));
    }
}

/// The known place or organisation these tokens name. Acronyms in the gazetteer (`WHO`,
/// `US`) match only text in capitals, so "Who knows?" and "let us" name nothing.
pub(crate) fn known<'g>(tokens: &[Token], g: &'g Gazetteer) -> Option<&'g gazetteer::Known> {
    let k = g.known.get(&key(tokens))?;
    (!k.acronym || tokens.iter().all(Token::all_caps)).then_some(k)
}

/// The longest known name at the start of `tokens`, of at least `min` words: its length and
/// entry. One key is built for the longest candidate and its prefixes are looked up, longest
/// first; a first word that starts no known name costs one lookup.
pub(crate) fn longest_match<'g>(
    tokens: &[Token],
    min: usize,
    g: &'g Gazetteer,
) -> Option<(usize, &'g gazetteer::Known)> {
    const MAX: usize = 16;
    let first = tokens.first()?;
    let max = g
        .known_first
        .get(first.lower())
        .copied()
        .unwrap_or(0)
        .min(tokens.len())
        .min(MAX);
    if max < min.max(1) {
        return None;
    }
    let mut key = String::with_capacity(tokens[..max].iter().map(|t| t.text.len() + 1).sum());
    let mut ends = [0usize; MAX];
    for (n, t) in tokens[..max].iter().enumerate() {
        if n > 0 {
            key.push(' ');
        }
        key.push_str(t.lower());
        ends[n] = key.len();
    }
    (min.max(1)..=max).rev().find_map(|len| {
        let k = g.known.get(&key[..ends[len - 1]])?;
        (!k.acronym || tokens[..len].iter().all(Token::all_caps)).then_some((len, k))
    })
}

/// Whether `tokens` are an organisation's name to its end: an organisation suffix last
/// ("Baltic Grid Holdings"), no connector inside (those are split by other rules).
fn org_to_end(tokens: &[Token], g: &Gazetteer) -> bool {
    tokens.len() >= 2
        && g.org_suffix
            .contains(tokens[tokens.len() - 1].lower().trim_end_matches('.'))
        && !tokens.iter().any(|t| CONNECTORS.contains(&t.text))
}

/// A title (honorific or role) starting at `i`: its length in words.
pub(crate) fn is_title_at(span: &[Token], i: usize, g: &Gazetteer) -> Option<(usize, TitleKind)> {
    (1..=g.max_title_words.min(span.len() - i))
        .rev()
        .find_map(|len| {
            let k = key(&span[i..i + len]);
            g.titles
                .get(&k)
                .or_else(|| g.titles.get(k.trim_end_matches('.')))
                .map(|kind| (len, *kind))
        })
}

/// Last words of a place's name ("... Province", "... Bridge").
pub(crate) const PLACE_SUFFIX: [&str; 31] = [
    "province",
    "region",
    "county",
    "district",
    "island",
    "islands",
    "river",
    "valley",
    "mountains",
    "peninsula",
    "bay",
    "strait",
    "oblast",
    "governorate",
    "harbour",
    "harbor",
    "bridge",
    "street",
    "road",
    "lane",
    "avenue",
    "square",
    "park",
    "lake",
    "coast",
    "hills",
    "forest",
    "beach",
    "village",
    "estuary",
    "canal",
];
/// First words of a place's name ("Lake ...", "Mount ...").
pub(crate) const PLACE_HEAD: [&str; 9] = [
    "river", "lake", "mount", "gulf", "port", "cape", "isle", "fort", "lake",
];
/// First words of an organisation's name with "of" or "for" ("Bank of ...").
pub(crate) const ORG_HEAD: [&str; 12] = [
    "bank",
    "ministry",
    "university",
    "department",
    "office",
    "board",
    "council",
    "institute",
    "museum",
    "church",
    "school",
    "court",
];

fn classify(name: &[Token], titled: bool, g: &Gazetteer) -> Option<EntityKind> {
    let last = name.last().map(Token::lower).unwrap_or_default();
    let first = name[0].lower();
    if titled {
        return Some(EntityKind::Person);
    }
    if name.len() >= 2 && g.org_suffix.contains(last.trim_end_matches('.')) {
        return Some(EntityKind::Organization);
    }
    if name.len() >= 3
        && ORG_HEAD.contains(&first)
        && name.iter().any(|t| t.text == "of" || t.text == "for")
    {
        return Some(EntityKind::Organization);
    }
    if name.len() >= 2 && (PLACE_SUFFIX.contains(&last) || PLACE_HEAD.contains(&first)) {
        return Some(EntityKind::Place);
    }
    let given =
        g.given.contains(first) || (g.given_ambiguous.contains(first) && !name[0].sentence_start);
    if name.len() >= 2 && name.len() <= 4 && given {
        return Some(EntityKind::Person);
    }
    None
}

pub(crate) fn found(
    tokens: &[Token],
    kind: Option<EntityKind>,
    canonical: String,
    known: bool,
    titled: bool,
) -> Found {
    let start = tokens[0].start;
    let end = tokens[tokens.len() - 1].end;
    let words: Vec<String> = tokens.iter().map(|t| t.text.to_string()).collect();
    Found {
        start,
        end,
        surface: words.join(" "),
        tokens: words,
        canonical,
        kind,
        known,
        titled,
    }
}
