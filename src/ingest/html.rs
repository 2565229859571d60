//! Saved HTML pages: the article's text through `dom_smoothie` (a Readability port; chosen by
//! measurement, see `docs/html-extraction.md`), its metadata read by us from the same DOM,
//! because pages state it in many places the extractor does not look at: JSON-LD
//! `NewsArticle`, OpenGraph and `article:*` meta tags, microdata, `<time>`, `<html lang>`,
//! the canonical link.
//!
//! A page with no article (a section front, a list of links) gives no article and one clear
//! reason; a page nested too deep for the extractor to finish in reasonable time is read
//! with a linear tag-stripping fallback instead, with a warning.

use super::RawArticle;
use crate::article::SourceRef;
use crate::error::{Error, Result, UnsupportedReason};
use dom_query::Document;
use serde_json::Value;
use std::path::Path;

/// Nesting beyond which the extractor is not used (its cost grows with depth × size).
const MAX_DEPTH: usize = 400;

/// Decode an HTML page's bytes: BOM, then `<meta charset>`, then detection.
pub(super) fn decode_page(bytes: &[u8]) -> String {
    if let Some(encoding) = declared_charset(bytes) {
        if !bytes.starts_with(&[0xef, 0xbb, 0xbf])
            && !bytes.starts_with(&[0xff, 0xfe])
            && !bytes.starts_with(&[0xfe, 0xff])
        {
            // A page that declares UTF-8 but is not valid UTF-8 is better detected.
            if encoding != encoding_rs::UTF_8 || std::str::from_utf8(bytes).is_ok() {
                let (text, _, _) = encoding.decode(bytes);
                return text.into_owned();
            }
        }
    }
    super::decode(bytes).0.into_owned()
}

/// The encoding a page declares in its first 4 KB (`<meta charset=...>` or
/// `<meta http-equiv="Content-Type" content="...; charset=...">`, or an XML declaration).
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    use regex::bytes::Regex;
    use std::sync::LazyLock;
    static CHARSET: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i)<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)|<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_:.-]+)"#)
            .expect("valid regex")
    });
    let head = &bytes[..bytes.len().min(4096)];
    let caps = CHARSET.captures(head)?;
    let label = caps.get(1).or_else(|| caps.get(2))?.as_bytes();
    encoding_rs::Encoding::for_label(label)
}

/// Read one saved page.
pub(super) fn read(
    path: &Path,
    bytes: &[u8],
    source: SourceRef,
    emit: &mut dyn FnMut(Result<RawArticle>),
) -> Result<()> {
    read_page(path, bytes, None, source, emit)
}

/// Read one page whose transport may have named its charset (an HTTP `Content-Type`).
pub(super) fn read_page(
    path: &Path,
    bytes: &[u8],
    charset: Option<&str>,
    source: SourceRef,
    emit: &mut dyn FnMut(Result<RawArticle>),
) -> Result<()> {
    let html = match charset.and_then(|c| encoding_rs::Encoding::for_label(c.trim().as_bytes())) {
        Some(encoding) => encoding.decode(bytes).0.into_owned(),
        None => decode_page(bytes),
    };
    let no_article = |what| Error::Unsupported {
        path: path.to_path_buf(),
        reason: UnsupportedReason::NoArticle(what),
    };
    let depth = nesting_depth(&html);
    let mut raw = RawArticle::new(source);
    if depth > MAX_DEPTH {
        // Not even parsed into a DOM: tree building itself slows down with depth.
        emit(Err(Error::Malformed {
            path: path.to_path_buf(),
            format: "HTML",
            reason: format!(
                "markup nested {depth} levels deep; text taken without main-content extraction"
            ),
        }));
        raw.title = title_tag(&html);
        let body_start = html.to_ascii_lowercase().find("</head").map_or(0, |at| at);
        raw.body = crate::normalise::html::to_text(&html[body_start..]);
        raw.plain = true;
        emit(Ok(raw));
        return Ok(());
    }
    let doc = Document::from(html.as_str());
    let meta = Metadata::read(&doc);
    let body;
    {
        let config = dom_smoothie::Config {
            text_mode: dom_smoothie::TextMode::Formatted,
            max_elements_to_parse: 500_000,
            ..Default::default()
        };
        let url = meta.url.as_deref().filter(|u| u.starts_with("http"));
        let mut readability = dom_smoothie::Readability::with_document(doc, url, Some(config))
            .or_else(|_| {
                dom_smoothie::Readability::with_document(
                    Document::from(html.as_str()),
                    None,
                    Some(dom_smoothie::Config {
                        text_mode: dom_smoothie::TextMode::Formatted,
                        ..Default::default()
                    }),
                )
            })
            .map_err(|e| Error::Malformed {
                path: path.to_path_buf(),
                format: "HTML",
                reason: e.to_string(),
            })?;
        let readable = readability.is_probably_readable();
        let article = match readability.parse() {
            Ok(a) => a,
            Err(dom_smoothie::ReadabilityError::GrabFailed) => {
                return Err(no_article("an HTML page without article text"))
            }
            Err(e) => {
                return Err(Error::Malformed {
                    path: path.to_path_buf(),
                    format: "HTML",
                    reason: e.to_string(),
                })
            }
        };
        let links = link_density(&article.content);
        let words = word_count(&article.text_content);
        let declared_article = meta.is_article;
        if words < 25 || links > 0.5 || (!readable && !declared_article && links > 0.3) {
            return Err(no_article(
                "an HTML page without article text (a section front or list of links?)",
            ));
        }
        // One paragraph per line of the extracted text, blank lines between them.
        body = article
            .text_content
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        raw.title = meta
            .title
            .clone()
            .or_else(|| Some(article.title.clone()).filter(|t| !t.trim().is_empty()));
        if meta.authors.is_empty() {
            if let Some(byline) = article.byline.as_deref() {
                raw.authors = crate::normalise::byline_names(byline);
            }
        }
        if raw.language.is_none() {
            raw.language = article.lang.clone();
        }
        raw.date = meta.date.clone().or_else(|| {
            article
                .published_time
                .clone()
                .filter(|d| crate::normalise::date::parse(d).is_some())
        });
        raw.publisher = meta.publisher.clone().or(article.site_name.clone());
    }
    if raw.date.is_none() {
        raw.date = meta
            .date
            .clone()
            .or_else(|| visible_date(&body))
            .or_else(|| meta.url.as_deref().and_then(url_date));
    }
    raw.plain = true;
    if raw.authors.is_empty() {
        raw.authors = meta.authors.clone();
    }
    raw.language = meta.language.clone().or(raw.language);
    raw.publisher = raw.publisher.or(meta.publisher.clone());
    raw.url = meta.url.clone();
    raw.topics = meta.topics.clone();
    raw.id = None;
    let mut body = strip_repeated_title(&body, raw.title.as_deref());
    if !meta.has_title {
        // The title came from `<title>` only; on old pages that is often the site's name
        // ("Evening Sentinel Online - Local News") and the headline is the text's first line.
        if let Some((headline, byline, rest)) = headline_in_text(&body, raw.title.as_deref()) {
            raw.title = Some(headline);
            if raw.authors.is_empty() {
                raw.authors = byline;
            }
            body = rest;
        }
    }
    // A "Posted March 3, 2004" line is furniture once it has dated the article.
    body = body
        .split("\n\n")
        .filter(|p| visible_date(p).is_none())
        .collect::<Vec<_>>()
        .join("\n\n");
    raw.body = body;
    emit(Ok(raw));
    Ok(())
}

/// When a page's title shares almost nothing with the start of its text, and the text opens
/// with a short line that is not a sentence, that line is the headline (with any byline glued
/// to it: "... for the third time by Tom Ferris, Sentinel Staff"). Returns the headline, the
/// byline's names and the rest of the text.
fn headline_in_text(body: &str, title: Option<&str>) -> Option<(String, Vec<String>, String)> {
    use std::sync::LazyLock;
    static BY: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"\s+(?:by|By|BY)\s+(\p{Lu}.*)$").expect("valid regex"));
    let (first, rest) = body.split_once("\n\n")?;
    let first = first.trim();
    let words = first.split_whitespace().count();
    if !(3..=30).contains(&words) || first.ends_with(['.', '!', '?', ':']) {
        return None;
    }
    if let Some(title) = title {
        let lead: String = body.chars().take(400).collect::<String>().to_lowercase();
        let title_words: Vec<String> = title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() > 3)
            .map(str::to_lowercase)
            .collect();
        let shared = title_words
            .iter()
            .filter(|w| lead.contains(w.as_str()))
            .count();
        if title_words.is_empty() || shared * 2 >= title_words.len() {
            return None;
        }
    }
    let (headline, byline) = match BY.captures(first) {
        Some(c) => {
            let at = c.get(0).map_or(first.len(), |m| m.start());
            (
                first[..at].to_string(),
                crate::normalise::byline_names(&c[1]),
            )
        }
        None => (first.to_string(), Vec::new()),
    };
    Some((headline, byline, rest.trim_start().to_string()))
}

/// A date the page shows near the top of the text: "Posted March 3, 2004",
/// "Published: 12 May 2019", "Updated on 2019-05-12".
fn visible_date(body: &str) -> Option<String> {
    use std::sync::LazyLock;
    static POSTED: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?i)^(?:posted|published|first published|updated|last updated|date)\b\W{0,3}(?:on\s+)?(.{4,60}?)\s*$")
            .expect("valid regex")
    });
    body.split("\n\n").take(10).find_map(|p| {
        let c = POSTED.captures(p.trim())?;
        let date = c.get(1)?.as_str();
        crate::normalise::date::parse(date).map(|_| date.to_string())
    })
}

/// The body without a first paragraph that only repeats the headline, and without the
/// section labels and kickers above the text ("News", "Local", "Commentary").
fn strip_repeated_title(body: &str, title: Option<&str>) -> String {
    let mut body = body.trim();
    while let Some((first, rest)) = body.split_once("\n\n") {
        let first = first.trim();
        let label = first.split_whitespace().count() <= 3
            && !first.ends_with(['.', '!', '?', ':', '"', '”'])
            && first.chars().any(char::is_alphabetic)
            && !first.chars().any(|c| c.is_ascii_digit());
        if !label {
            break;
        }
        body = rest.trim_start();
    }
    if let Some(title) = title {
        let key = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        if let Some((first, rest)) = body.split_once("\n\n") {
            if key(first) == key(title) {
                return rest.trim_start().to_string();
            }
        }
    }
    body.to_string()
}

/// Share of an extracted article's text that sits inside links.
fn link_density(content_html: &str) -> f64 {
    let doc = Document::from(content_html);
    let all: usize = doc
        .select("body")
        .text()
        .split_whitespace()
        .map(str::len)
        .sum();
    if all == 0 {
        return 1.0;
    }
    let linked: usize = doc
        .select("a")
        .iter()
        .map(|a| a.text().split_whitespace().map(str::len).sum::<usize>())
        .sum();
    linked as f64 / all as f64
}

/// The deepest element nesting of a page, counted on the raw markup in one pass (elements
/// HTML lets stay unclosed are not counted).
fn nesting_depth(html: &str) -> usize {
    const UNCOUNTED: [&str; 22] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "td", "th", "tr", "option", "dt", "dd", "font",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[i..]) {
        i += lt + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |p| start + p);
        if end == start {
            continue;
        }
        let name = html[start..end].to_ascii_lowercase();
        if UNCOUNTED.contains(&name.as_str()) {
            continue;
        }
        let self_closing = bytes[end..]
            .iter()
            .position(|&b| b == b'>')
            .is_some_and(|gt| gt > 0 && bytes[end + gt - 1] == b'/');
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

/// The `<title>` of a page, found without parsing it.
fn title_tag(html: &str) -> Option<String> {
    use std::sync::LazyLock;
    static TITLE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?is)<title[^>]*>(.*?)</title>").expect("valid regex")
    });
    let t = TITLE.captures(html)?.get(1)?.as_str();
    let t = crate::normalise::html::to_text(t);
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

fn first_text(doc: &Document, selector: &str) -> Option<String> {
    let text = doc.select(selector).first().text();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// The publication date a page's markup states: the first candidate that parses as a
/// date, from meta tags, microdata (not inside lists of other items), then `<time>`.
fn page_date(doc: &Document) -> Option<String> {
    const KEYS: [&str; 16] = [
        "article:published_time",
        "og:article:published_time",
        "datePublished",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "date",
        "dc.date",
        "DC.date.issued",
        "dcterms.created",
        "sailthru.date",
        "parsely-pub-date",
        "article.published",
        "og:pubdate",
        "original-publish-date",
    ];
    let parses = |d: &str| crate::normalise::date::parse(d).is_some();
    let mut candidates: Vec<String> = Vec::new();
    for key in KEYS {
        for attr in ["property", "name", "itemprop"] {
            let selector = format!(r#"meta[{attr}="{key}"]"#);
            for e in doc.select(&selector).iter() {
                if let Some(c) = e.attr("content") {
                    candidates.push(c.trim().to_string());
                }
            }
        }
    }
    for e in doc.select(r#"[itemprop="datePublished"]"#).iter() {
        // A date of another item (a "related stories" list) is not this article's.
        if e.ancestors(Some(32))
            .iter()
            .any(|a| a.is(r#"[itemprop="itemListElement"], [itemtype*="ItemList"]"#))
        {
            continue;
        }
        if let Some(d) = e.attr("datetime").or_else(|| e.attr("content")) {
            candidates.push(d.trim().to_string());
        }
    }
    for selector in ["article time[datetime]", "time[datetime]"] {
        for e in doc.select(selector).iter() {
            if let Some(d) = e.attr("datetime") {
                candidates.push(d.trim().to_string());
            }
        }
    }
    candidates.into_iter().find(|d| parses(d))
}

/// A date in an article URL's path (`/2014/11/20/slug`, `/2014/11/slug`), as `YYYY-MM-DD`
/// or `YYYY-MM`.
fn url_date(url: &str) -> Option<String> {
    use std::sync::LazyLock;
    static IN_URL: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])(?:[/-](0[1-9]|[12]\d|3[01]))?(?:/|$)",
        )
        .expect("valid regex")
    });
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let c = IN_URL.captures(path)?;
    let date = match c.get(3) {
        Some(day) => format!("{}-{}-{}", &c[1], &c[2], day.as_str()),
        None => format!("{}-{}", &c[1], &c[2]),
    };
    crate::normalise::date::parse(&date).map(|_| date)
}

/// Word count where every CJK character counts as a word (those scripts have no spaces).
fn word_count(text: &str) -> usize {
    let cjk = text
        .chars()
        .filter(|&c| {
            matches!(c as u32,
                0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
        })
        .count();
    text.split_whitespace().count() + cjk
}

fn meta_content(doc: &Document, keys: &[&str]) -> Option<String> {
    for key in keys {
        for attr in ["property", "name", "itemprop"] {
            let selector = format!(r#"meta[{attr}="{key}"]"#);
            if let Some(content) = doc.select(&selector).attr("content") {
                let content = content.trim();
                if !content.is_empty() {
                    return Some(content.to_string());
                }
            }
        }
    }
    None
}

/// What a page says about its article, strongest source first: JSON-LD, then meta tags,
/// then microdata and markup.
#[derive(Debug, Default)]
struct Metadata {
    title: Option<String>,
    date: Option<String>,
    authors: Vec<String>,
    publisher: Option<String>,
    language: Option<String>,
    url: Option<String>,
    topics: Vec<String>,
    /// The page declares itself an article (JSON-LD article type or `og:type` article).
    is_article: bool,
    /// The headline came from JSON-LD, a meta tag or `<h1>` (not only from `<title>`).
    has_title: bool,
}

impl Metadata {
    fn read(doc: &Document) -> Metadata {
        let mut m = Metadata::default();
        for script in doc.select(r#"script[type="application/ld+json"]"#).iter() {
            let text = script.text();
            if let Ok(value) = serde_json::from_str::<Value>(text.trim()) {
                if let Some(article) = find_article(&value, 0) {
                    m.apply_json_ld(article);
                    break;
                }
            }
        }
        let og_type = meta_content(doc, &["og:type"]).unwrap_or_default();
        m.is_article |= og_type.eq_ignore_ascii_case("article");
        if m.title.is_none() {
            m.title = meta_content(doc, &["og:title", "twitter:title", "headline"])
                .or_else(|| first_text(doc, "h1"));
        }
        m.has_title = m.title.is_some();
        if m.date.is_none() {
            m.date = page_date(doc);
        }
        if m.authors.is_empty() {
            let from_meta = meta_content(doc, &["article:author", "author", "byl", "dc.creator"])
                .filter(|a| !a.starts_with("http"));
            if let Some(a) = from_meta {
                m.authors = crate::normalise::byline_names(&a);
            } else {
                let byline = doc.select(
                    r#"[rel="author"], [itemprop="author"] [itemprop="name"], .byline, .author-name"#,
                );
                if let Some(text) = byline
                    .iter()
                    .map(|e| e.text())
                    .find(|t| !t.trim().is_empty())
                {
                    m.authors = crate::normalise::byline_names(&text);
                }
            }
        }
        if m.publisher.is_none() {
            m.publisher = meta_content(doc, &["og:site_name", "application-name"]);
        }
        if m.language.is_none() {
            m.language = doc
                .select("html")
                .attr("lang")
                .map(|l| l.to_string())
                .or_else(|| meta_content(doc, &["og:locale", "language", "content-language"]))
                .or_else(|| {
                    doc.select(r#"meta[http-equiv="content-language" i]"#)
                        .attr("content")
                        .map(|l| l.to_string())
                })
                .filter(|l| !l.trim().is_empty());
        }
        if m.url.is_none() {
            m.url = doc
                .select(r#"link[rel="canonical"]"#)
                .attr("href")
                .map(|u| u.to_string())
                .or_else(|| meta_content(doc, &["og:url"]))
                .filter(|u| !u.trim().is_empty());
        }
        if m.topics.is_empty() {
            let mut topics: Vec<String> = Vec::new();
            for key in ["article:section", "article:tag"] {
                for e in doc.select(&format!(r#"meta[property="{key}"]"#)).iter() {
                    if let Some(c) = e.attr("content") {
                        let c = c.trim().to_string();
                        if !c.is_empty() && !topics.contains(&c) {
                            topics.push(c);
                        }
                    }
                }
            }
            m.topics = topics;
        }
        m
    }

    fn apply_json_ld(&mut self, a: &Value) {
        self.is_article = true;
        let text = |v: &Value| -> Option<String> {
            match v {
                Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                Value::Array(items) => items.iter().find_map(|i| match i {
                    Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                    _ => None,
                }),
                _ => None,
            }
        };
        self.title = a
            .get("headline")
            .and_then(text)
            .or_else(|| a.get("name").and_then(text));
        self.date = a
            .get("datePublished")
            .and_then(text)
            .or_else(|| a.get("dateCreated").and_then(text))
            .or_else(|| a.get("dateModified").and_then(text));
        self.authors = names(a.get("author").or_else(|| a.get("creator")));
        self.publisher = names(a.get("publisher")).into_iter().next();
        self.language = a.get("inLanguage").and_then(|l| match l {
            Value::Object(o) => o.get("name").and_then(text),
            other => text(other),
        });
        self.url = a.get("url").and_then(text).or_else(|| {
            a.get("mainEntityOfPage").and_then(|m| match m {
                Value::Object(o) => o.get("@id").and_then(text),
                other => text(other),
            })
        });
        let mut topics = Vec::new();
        for key in ["articleSection", "keywords"] {
            match a.get(key) {
                Some(Value::String(s)) => topics.extend(
                    s.split(',')
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_string),
                ),
                Some(Value::Array(items)) => topics.extend(
                    items
                        .iter()
                        .filter_map(|i| i.as_str())
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_string),
                ),
                _ => {}
            }
        }
        topics.dedup();
        self.topics = topics;
    }
}

/// The names in a JSON-LD `author`/`publisher` value: a string, an object with `name`, or a
/// list of either.
fn names(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => crate::normalise::byline_names(s),
        Some(Value::Object(o)) => o
            .get("name")
            .and_then(Value::as_str)
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .into_iter()
            .collect(),
        Some(Value::Array(items)) => items.iter().flat_map(|i| names(Some(i))).collect(),
        _ => Vec::new(),
    }
}

/// The first JSON-LD node whose `@type` is an article type (in arrays and `@graph`s).
fn find_article(v: &Value, depth: usize) -> Option<&Value> {
    const TYPES: [&str; 10] = [
        "NewsArticle",
        "Article",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "Report",
        "ScholarlyArticle",
    ];
    if depth > 8 {
        return None;
    }
    match v {
        Value::Object(o) => {
            let is_article = match o.get("@type") {
                Some(Value::String(t)) => TYPES.contains(&t.as_str()),
                Some(Value::Array(ts)) => ts
                    .iter()
                    .any(|t| t.as_str().is_some_and(|t| TYPES.contains(&t))),
                _ => false,
            };
            if is_article {
                return Some(v);
            }
            o.get("@graph").and_then(|g| find_article(g, depth + 1))
        }
        Value::Array(items) => items.iter().find_map(|i| find_article(i, depth + 1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Format;

    fn page(html: &str) -> (Vec<RawArticle>, Vec<String>) {
        let (mut ok, mut errs) = (Vec::new(), Vec::new());
        let result = read(
            Path::new("p.html"),
            html.as_bytes(),
            SourceRef::new("p.html", Format::Html),
            &mut |r| match r {
                Ok(raw) => ok.push(raw),
                Err(e) => errs.push(e.to_string()),
            },
        );
        if let Err(e) = result {
            errs.push(e.to_string());
        }
        (ok, errs)
    }

    const PARAGRAPHS: &str = "<p>The harbour board of Port Halden voted on Tuesday to allow container ships to berth at night for the first time in forty years, ending a rule that dock workers and residents had defended for decades.</p>\
<p>The chair of the board, Marta Okafor, said the change would cut waiting times for ships anchored in the bay and bring work back to the quays that had lost trade to larger ports along the coast.</p>\
<p>Residents of the old town said they feared noise from cranes and lorries and promised to challenge the decision at the next council meeting, which is due to be held in the town hall next month.</p>";

    #[test]
    fn json_ld_metadata_and_main_text() {
        let html = format!(
            r#"<!DOCTYPE html><html lang="en-GB"><head><title>Night shipping approved | The Test Courier</title>
<link rel="canonical" href="https://example.org/news/night-shipping">
<script type="application/ld+json">{{"@context":"https://schema.org","@graph":[{{"@type":"WebSite","name":"x"}},{{"@type":"NewsArticle","headline":"Night shipping approved","datePublished":"2024-03-05T09:00:00Z","author":[{{"@type":"Person","name":"Ann Lee"}},{{"@type":"Person","name":"Tom Ng"}}],"publisher":{{"@type":"Organization","name":"The Test Courier"}},"keywords":"ports, shipping"}}]}}</script>
</head><body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<div class="cookie">We use cookies to improve your experience. <a href="/privacy">Accept</a></div>
<article><h1>Night shipping approved</h1>{PARAGRAPHS}</article>
<aside><h3>Related</h3><ul><li><a href="/a">Ferry fares rise again this spring</a></li><li><a href="/b">Council debates new bus lanes</a></li></ul></aside>
<footer><a href="/about">About us</a> <a href="/contact">Contact</a> Copyright The Test Courier</footer></body></html>"#
        );
        let (ok, errs) = page(&html);
        assert!(errs.is_empty(), "{errs:?}");
        let a = &ok[0];
        assert_eq!(a.title.as_deref(), Some("Night shipping approved"));
        assert_eq!(a.date.as_deref(), Some("2024-03-05T09:00:00Z"));
        assert_eq!(a.authors, vec!["Ann Lee", "Tom Ng"]);
        assert_eq!(a.publisher.as_deref(), Some("The Test Courier"));
        assert_eq!(a.language.as_deref(), Some("en-GB"));
        assert_eq!(
            a.url.as_deref(),
            Some("https://example.org/news/night-shipping")
        );
        assert_eq!(a.topics, vec!["ports", "shipping"]);
        assert!(a.body.starts_with("The harbour board"), "{}", a.body);
        assert!(a.body.contains("\n\nThe chair of the board"));
        for furniture in ["cookies", "Ferry fares", "Contact", "Home"] {
            assert!(!a.body.contains(furniture), "{furniture} in {}", a.body);
        }
    }

    #[test]
    fn meta_tags_microdata_and_time() {
        let html = format!(
            r#"<html><head><meta charset="utf-8"><meta property="og:title" content="Quay rule ends">
<meta property="og:type" content="article"><meta property="article:section" content="Local">
<meta name="author" content="By Ruth Abebe"></head><body><article>
<time datetime="2023-11-02">2 November</time>{PARAGRAPHS}</article></body></html>"#
        );
        let (ok, errs) = page(&html);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(ok[0].title.as_deref(), Some("Quay rule ends"));
        assert_eq!(ok[0].date.as_deref(), Some("2023-11-02"));
        assert_eq!(ok[0].authors, vec!["Ruth Abebe"]);
        assert_eq!(ok[0].topics, vec!["Local"]);
    }

    #[test]
    fn link_lists_are_not_articles() {
        let links: String = (0..60)
            .map(|i| format!("<li><a href=\"/s/{i}\">Story number {i} about the harbour and the town council today</a></li>"))
            .collect();
        let html = format!("<html><body><h1>Business</h1><ul>{links}</ul></body></html>");
        let (ok, errs) = page(&html);
        assert!(ok.is_empty());
        assert!(errs[0].contains("no article text"), "{errs:?}");
    }

    #[test]
    fn deep_nesting_falls_back_quickly() {
        let html = format!(
            "<html><head><title>Deep page</title></head><body>{}{PARAGRAPHS}{}</body></html>",
            "<div>".repeat(20_000),
            "</div>".repeat(20_000)
        );
        let started = std::time::Instant::now();
        let (ok, errs) = page(&html);
        assert_eq!(ok.len(), 1);
        assert!(ok[0].body.contains("The harbour board"));
        assert!(errs[0].contains("levels deep"), "{errs:?}");
        assert!(started.elapsed().as_secs() < 20);
    }

    #[test]
    fn declared_charsets() {
        let bytes = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"></head><body>caf\xe9</body></html>";
        assert!(decode_page(bytes).contains("café"));
        let lying = b"<html><head><meta charset=\"utf-8\"></head><body>caf\xe9 cr\xe8me br\xfbl\xe9e</body></html>";
        assert!(decode_page(lying).contains("café"));
    }
}
