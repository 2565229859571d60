//! Normalise: turn a [`RawArticle`] into an [`Article`].
//!
//! Cleaning (Unicode, white space, mojibake), headline choice for plain text, paragraphs and
//! glued sentences, bylines, boilerplate removal, date resolution, language detection and
//! entity extraction — in that order, so nothing from removed boilerplate becomes an entity.

pub mod boilerplate;
pub mod date;
pub mod entities;
pub(crate) mod gazetteer;
pub(crate) mod html;
pub mod text;

use crate::article::{Article, ArticleId};
use crate::error::{Error, Result};
use crate::ingest::RawArticle;
use regex::Regex;
use std::sync::LazyLock;

/// The version of what normalisation makes of an input. Raise it with every change that makes
/// the same file give different articles (cleaning, boilerplate, dates, entities, readers):
/// an index's next incremental run then reads its files again instead of keeping articles
/// made the old way.
pub const VERSION: u32 = 3;

/// Normalise one raw article.
///
/// Fails with [`Error::EmptyRecord`] when no text is left (no title and no body).
pub fn normalise(raw: RawArticle) -> Result<Article> {
    let mut authors: Vec<String> = raw.authors.iter().map(|a| one_line(a)).collect();
    let body_source = if !raw.plain && html::looks_like_html(&raw.body) {
        html::to_text(&raw.body)
    } else {
        raw.body.clone()
    };
    let cleaned = strip_wire_signoff(&text::clean(&body_source));

    // Plain text: the headline is the first line that is not page furniture.
    let (title, rest) = match raw.title.as_deref().map(one_line) {
        Some(t) if !t.is_empty() => (t, cleaned.as_str()),
        _ => match headline(&cleaned) {
            // Only furniture-like lines: keep them as the text rather than lose the record.
            (t, rest) if t.is_empty() && rest.trim().is_empty() => (t, cleaned.as_str()),
            found => found,
        },
    };

    let mut paragraphs: Vec<String> = Vec::new();
    let mut glue_ends: Vec<bool> = Vec::new();
    for p in text::paragraphs(rest) {
        let pieces = text::split_glued(&p);
        let last = pieces.len().saturating_sub(1);
        for (i, piece) in pieces.into_iter().enumerate() {
            paragraphs.push(piece.to_string());
            glue_ends.push(i < last);
        }
    }
    // A byline near the top ("By Sarah Klein, Economics Correspondent").
    if let Some((i, names)) = paragraphs
        .iter()
        .take(3)
        .enumerate()
        .find_map(|(i, p)| Some((i, byline(p)?)))
    {
        for n in names {
            if !authors.contains(&n) {
                authors.push(n);
            }
        }
        paragraphs.remove(i);
        glue_ends.remove(i);
    }
    let mut keep = boilerplate::classify(&paragraphs, &glue_ends);
    if !keep.iter().any(|&k| k) {
        // Everything looks like furniture: more likely a chatty post than a page of nothing
        // but furniture, and dropping all of it would lose the record.
        keep.iter_mut().for_each(|k| *k = true);
    }
    let body = paragraphs
        .iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(p, _)| p.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");

    let title = if title.is_empty() {
        derived_title(&body)
    } else {
        title
    };
    if title.is_empty() && body.is_empty() {
        return Err(Error::EmptyRecord {
            path: raw.source.display_path(),
            record: raw.source.record,
        });
    }
    // Inside an archive the member's own path (`2018/03/14/story.txt`) may carry the date.
    let date_path = match &raw.source.member {
        Some(member) => format!("{}/{member}", raw.source.path),
        None => raw.source.path.clone(),
    };
    let date = date::resolve(
        raw.date.as_deref(),
        &body,
        &date_path,
        raw.fallback_date.as_deref(),
    );
    let language = raw
        .language
        .as_deref()
        .and_then(language_code)
        .or_else(|| detect_language(&title, &body));
    let entities = entities::extract(&title, &body, &raw.declared);
    let id = raw.id.clone().map(ArticleId).unwrap_or_else(|| {
        // Relative to the folder given, so the id does not depend on where the archive sits.
        let path = raw.source.locator.as_deref().unwrap_or(&raw.source.path);
        let record = raw.source.record.unwrap_or(0);
        let key = match &raw.source.member {
            Some(member) => format!("{path}!/{member}#{record}"),
            None => format!("{path}#{record}"),
        };
        ArticleId(format!(
            "{:016x}",
            xxhash_rust::xxh3::xxh3_64(key.as_bytes())
        ))
    });
    Ok(Article {
        id,
        title,
        body,
        date,
        authors,
        publisher: raw.publisher.as_deref().map(one_line),
        url: raw.url.as_deref().map(str::trim).map(str::to_string),
        language,
        topics: raw.topics.iter().map(|t| one_line(t)).collect(),
        entities,
        source: raw.source,
    })
}

/// The text without a wire service's closing sign-off ("... in the week. Reuter"): a lone
/// "Reuter"/"Reuters" after the last sentence.
fn strip_wire_signoff(text: &str) -> String {
    static SIGNOFF: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"([.!?"”’)\]]|\n)\s*(?:[Rr]euters?|REUTERS?)\s*$"#).expect("valid regex")
    });
    match SIGNOFF.captures(text) {
        Some(c) => {
            let keep = c.get(1).map_or(0, |m| m.end());
            text[..keep].trim_end().to_string()
        }
        None => text.to_string(),
    }
}

/// Text on one line, spaces collapsed.
fn one_line(s: &str) -> String {
    text::clean(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Longer first lines are paragraphs, not headlines.
const MAX_HEADLINE_CHARS: usize = 300;

/// The headline of a plain-text article and the text after it.
fn headline(text: &str) -> (String, &str) {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        offset += line.len();
        if t.is_empty() || boilerplate::is_furniture(t) {
            continue;
        }
        if t.chars().count() > MAX_HEADLINE_CHARS {
            // A paragraph, not a headline (a text with no headline line, one long line):
            // the whole text is the body and the title is derived from it.
            return (String::new(), &text[offset - line.len()..]);
        }
        return (t.to_string(), &text[offset..]);
    }
    (String::new(), "")
}

/// A title for an article that has none: its first sentence, shortened.
fn derived_title(body: &str) -> String {
    let first = body.lines().next().unwrap_or("");
    let end = first
        .char_indices()
        .find(|&(i, c)| matches!(c, '.' | '!' | '?') && first[i + 1..].starts_with(' '))
        .map_or(first.len(), |(i, _)| i);
    let sentence = &first[..end];
    if sentence.chars().count() <= 100 {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(100).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => cut,
    }
}

/// A byline without what follows the names: "Ann Lee | Staff", "Tom Lindqvist ·
/// 2024-03-05", "Antonio Regalado on December 4, 2014".
fn byline_tail_cut(s: &str) -> String {
    // What follows the names on a page: "| Staff", "· 2024-03-05", "on December 4, 2014",
    // "Tuesday, Aug. 17, 2010".
    static TAIL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s*(?:[|·•]|\bon\s+(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|\d|\bupdated\b|\bpublished\b)")
            .expect("valid regex")
    });
    match TAIL.find(s) {
        Some(m) => s[..m.start()].trim_end_matches([',', ' ', '-']).to_string(),
        None => s.to_string(),
    }
}

/// The author names in a byline as pages and feeds state it: "By Ann Lee and Tom Ng",
/// "Ann Lee, Staff Writer", "Ann Lee".
pub(crate) fn byline_names(s: &str) -> Vec<String> {
    let s = byline_tail_cut(&one_line(s));
    let bare = ["By ", "BY ", "by "]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .unwrap_or(&s)
        .trim();
    if bare.is_empty() {
        return Vec::new();
    }
    byline(&format!("By {bare}")).unwrap_or_else(|| {
        if bare.split_whitespace().count() <= 5 {
            vec![bare.to_string()]
        } else {
            Vec::new()
        }
    })
}

/// The names of a byline paragraph: "By Sarah Klein, Economics Correspondent",
/// "By Tom Ng and Ana Ruiz".
fn byline(p: &str) -> Option<Vec<String>> {
    // "By Miriam Achebe January 15, 2024 12:00 PM UTC 5 min read": the names before the date.
    if let Some(rest) = p.strip_prefix("By ").or_else(|| p.strip_prefix("BY ")) {
        let names = byline_tail_cut(rest);
        if names.len() < rest.trim().len() && !names.is_empty() {
            return byline_plain(&format!("By {names}"));
        }
    }
    byline_plain(p)
}

/// A byline paragraph without a tail of dates or roles.
fn byline_plain(p: &str) -> Option<Vec<String>> {
    static BY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:By|BY|by|Words by|Story by|Reporting by)\s+(\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,3}(?:(?:\s+and\s+|\s*&\s*|,\s*)\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,3})*)(?:\s*[,|–—-]\s*[^.]{0,60})?\.?$")
            .expect("valid regex")
    });
    if p.split_whitespace().count() > 14 {
        return None;
    }
    let c = BY.captures(p)?;
    let names = c[1]
        .split(" and ")
        .flat_map(|s| s.split('&'))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect::<Vec<_>>();
    // "By Sarah Klein, Economics Correspondent": the part after a comma is a role.
    let names = names
        .into_iter()
        .flat_map(|n| n.split(',').next().map(str::trim).map(str::to_string))
        .collect();
    Some(names)
}

/// ISO 639-1 code from a declared language ("en", "en-GB", "English").
fn language_code(declared: &str) -> Option<String> {
    let d = declared.trim().to_lowercase();
    if d.is_empty() {
        return None;
    }
    let primary = d.split(['-', '_']).next().unwrap_or(&d);
    if primary.len() == 2 && primary.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(primary.to_string());
    }
    whatlang::Lang::from_code(primary)
        .or_else(|| {
            whatlang::Lang::all()
                .iter()
                .copied()
                .find(|l| l.eng_name().eq_ignore_ascii_case(primary))
        })
        .map(iso639_1)
}

/// Detect the language of the text; `None` when the detector is not confident.
///
/// English, by far the most common language of the archives we see, is recognised first by
/// its function words (a fifth of all words in English prose, rare elsewhere), which costs a
/// fraction of the trigram detector that decides every other case.
fn detect_language(title: &str, body: &str) -> Option<String> {
    const ENGLISH: [&str; 24] = [
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "was", "on", "with", "he",
        "as", "by", "at", "said", "from", "his", "be", "has", "have", "are",
    ];
    let words: Vec<&str> = body.split_whitespace().take(120).collect();
    if words.len() >= 30 {
        let function = words
            .iter()
            .filter(|w| ENGLISH.iter().any(|e| w.eq_ignore_ascii_case(e)))
            .count();
        if function * 5 >= words.len() {
            return Some("en".to_string());
        }
    }
    // 600 chars decide the language as well as 6,000 do, at a tenth of the cost.
    let mut sample: String = body.chars().take(600).collect();
    if sample.len() < 40 {
        sample = format!("{title} {sample}");
    }
    // Tables of figures ("Shr 27 cts vs 24 cts") fool trigram statistics: require prose.
    let tokens: Vec<&str> = sample.split_whitespace().collect();
    let prose = tokens
        .iter()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
        .count();
    if tokens.len() < 8 || prose * 10 < tokens.len() * 7 {
        return None;
    }
    let info = whatlang::detect(&sample)?;
    info.is_reliable().then(|| iso639_1(info.lang()))
}

/// ISO 639-1 code of a detected language.
fn iso639_1(lang: whatlang::Lang) -> String {
    use whatlang::Lang::*;
    let two = match lang {
        Eng => "en",
        Deu => "de",
        Fra => "fr",
        Spa => "es",
        Ita => "it",
        Por => "pt",
        Nld => "nl",
        Rus => "ru",
        Ukr => "uk",
        Pol => "pl",
        Ces => "cs",
        Slk => "sk",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Bul => "bg",
        Ron => "ro",
        Hun => "hu",
        Fin => "fi",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Est => "et",
        Lav => "lv",
        Lit => "lt",
        Ell => "el",
        Tur => "tr",
        Ara => "ar",
        Heb => "he",
        Pes => "fa",
        Hin => "hi",
        Ben => "bn",
        Urd => "ur",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Vie => "vi",
        Tha => "th",
        Ind => "id",
        Cat => "ca",
        Epo => "eo",
        Bel => "be",
        Aze => "az",
        Kat => "ka",
        Hye => "hy",
        Afr => "af",
        Lat => "la",
        Mar => "mr",
        Tam => "ta",
        Tel => "te",
        Guj => "gu",
        Kan => "kn",
        Mal => "ml",
        Pan => "pa",
        Ori => "or",
        Sna => "sn",
        Zul => "zu",
        Yid => "yi",
        Khm => "km",
        Mya => "my",
        Sin => "si",
        Nep => "ne",
        Amh => "am",
        Jav => "jv",
        Uzb => "uz",
        Tgl => "tl",
        Aka => "ak",
        Tuk => "tk",
        Mkd => "mk",
    };
    two.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_signoffs_go() {
        assert_eq!(strip_wire_signoff("Prices rose.\n Reuter"), "Prices rose.");
        assert_eq!(strip_wire_signoff("Prices rose. Reuter\n"), "Prices rose.");
        // Some wire copy signs off in lower case.
        assert_eq!(
            strip_wire_signoff("the U.S. products. reuter"),
            "the U.S. products."
        );
        assert_eq!(
            strip_wire_signoff("The figures came from Reuters"),
            "The figures came from Reuters"
        );
    }

    #[test]
    fn byline_names_drop_dates_and_roles() {
        for (line, names) in [
            (
                "By Antonio Regalado on December 4, 2014",
                vec!["Antonio Regalado"],
            ),
            ("By Bryan Walsh Tuesday, Aug. 17, 2010", vec!["Bryan Walsh"]),
            ("Tom Lindqvist · 2024-03-05", vec!["Tom Lindqvist"]),
            ("Ann Lee | Staff Writer", vec!["Ann Lee"]),
            ("By Ann Lee and Tom Ng", vec!["Ann Lee", "Tom Ng"]),
            ("Theresa May", vec!["Theresa May"]),
        ] {
            assert_eq!(byline_names(line), names, "{line}");
        }
    }

    #[test]
    fn bylines() {
        assert_eq!(
            byline("By Sarah Klein, Economics Correspondent"),
            Some(vec!["Sarah Klein".to_string()])
        );
        assert_eq!(
            byline("By Tom Ng and Ana Ruiz"),
            Some(vec!["Tom Ng".to_string(), "Ana Ruiz".to_string()])
        );
        assert_eq!(byline("By the end of the year the plant will close."), None);
    }

    #[test]
    fn titles_derived_from_body() {
        assert_eq!(
            derived_title("The port reopened. Ships queued."),
            "The port reopened"
        );
    }
}
