//! The normalised article: the one record every input format is turned into.
//!
//! Its JSON form is described by `schema/article.schema.json`; field semantics are in
//! `schema/README.md`. All text offsets are counted in Unicode scalar values (`char`s) of the
//! field they point into, so that consumers in any language can slice the text.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A stable article identifier: the source's own id when it has one, else a hash of the
/// source path and the article's position in the file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleId(pub String);

impl ArticleId {
    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for ArticleId {
    fn from(s: &str) -> Self {
        ArticleId(s.to_string())
    }
}

/// One news article, normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable identifier.
    pub id: ArticleId,
    /// Headline, cleaned.
    pub title: String,
    /// Article text without boilerplate; paragraphs separated by a blank line (`"\n\n"`).
    pub body: String,
    /// Publication date, when known.
    #[serde(default, skip_serializing_if = "Option::is_none", flatten)]
    pub date: Option<ArticleDate>,
    /// Authors as found in the source (byline, metadata).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// Publisher or outlet name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Canonical URL of the article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Language of the body, ISO 639-1 where one exists (else ISO 639-3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Topics or sections declared by the source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    /// People, organisations and places named in the article.
    #[serde(default)]
    pub entities: Vec<Entity>,
    /// Where the article came from.
    pub source: SourceRef,
}

/// A publication date with what the source really told us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDate {
    /// The instant (UTC). With day, month or year precision it is the start of that period.
    #[serde(rename = "date", with = "crate::normalise::date::rfc3339")]
    pub instant: chrono::DateTime<chrono::Utc>,
    /// How precise the source was.
    #[serde(rename = "date_precision")]
    pub precision: DatePrecision,
    /// Where the date was found.
    #[serde(rename = "date_source")]
    pub origin: DateOrigin,
}

impl ArticleDate {
    /// Seconds since 1970-01-01T00:00:00Z (negative before): the indexed, sortable form,
    /// valid for every year from 1 to 9999.
    pub fn timestamp(&self) -> i64 {
        self.instant.timestamp()
    }

    /// The instant as in JSON: `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn to_rfc3339(&self) -> String {
        self.instant.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// How precise a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    /// Only the year is known.
    Year,
    /// Year and month are known.
    Month,
    /// The calendar day is known.
    Day,
    /// A time of day is known too.
    Instant,
}

/// Where a date was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrigin {
    /// A date field of the source (JSON field, feed item, meta tag).
    Metadata,
    /// A dateline at the start of the text ("BERLIN, March 3, 2016 -").
    Dateline,
    /// The file path (`2017/12/30/…`, `2017-12-30-slug.txt`).
    Path,
    /// When a web archive captured the page (`WARC-Date`): the article is at least this
    /// old, but may be much older. Used only when nothing else dates the article.
    Crawl,
}

impl DateOrigin {
    /// The lower-case name used in JSON (`metadata`, `dateline`, `path`, `crawl`).
    pub fn as_str(self) -> &'static str {
        match self {
            DateOrigin::Metadata => "metadata",
            DateOrigin::Dateline => "dateline",
            DateOrigin::Path => "path",
            DateOrigin::Crawl => "crawl",
        }
    }
}

/// The kind of a named entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A person.
    Person,
    /// A company, institution, party, agency, team...
    Organization,
    /// A country, region, city, body of water...
    Place,
    /// A name that is none of the above: nationalities, events, works, products (CoNLL-2003's
    /// MISC).
    Other,
}

impl EntityKind {
    /// All kinds, in display order.
    pub const ALL: [EntityKind; 4] = [
        EntityKind::Person,
        EntityKind::Organization,
        EntityKind::Place,
        EntityKind::Other,
    ];

    /// The lower-case name used in JSON, facets and the query language (`person`, `org`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
            EntityKind::Other => "other",
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A named entity of an article: one canonical name, every place it is mentioned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Canonical name ("Vladimir Putin" even where the text says "Mr Putin").
    pub name: String,
    /// Kind of entity.
    pub kind: EntityKind,
    /// Other forms the article uses for it ("Putin"), without titles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Where it is mentioned.
    #[serde(default)]
    pub mentions: Vec<Mention>,
    /// True when the source declared it (metadata) rather than the text naming it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub declared: bool,
}

/// One mention of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Mention {
    /// Which field the offsets point into.
    pub field: TextField,
    /// Start offset in `char`s.
    pub start: usize,
    /// End offset in `char`s (exclusive).
    pub end: usize,
}

/// A text field of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextField {
    /// The headline.
    Title,
    /// The body.
    Body,
}

/// The input format an article was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Format {
    /// Plain text: headline on the first line.
    Text,
    /// One JSON object, or an array of them.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// Given directly through the library API.
    Api,
    /// A saved HTML page.
    Html,
    /// An item of an RSS, RDF, Atom or JSON Feed.
    Feed,
    /// NITF wire XML.
    Nitf,
    /// A NewsML-G2 news item.
    NewsMl,
    /// Reuters-21578 SGML.
    Sgml,
    /// An HTML page captured in a WARC web archive.
    Warc,
}

impl Format {
    /// The lower-case name used in JSON and `stats`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Api => "api",
            Format::Html => "html",
            Format::Feed => "feed",
            Format::Nitf => "nitf",
            Format::NewsMl => "newsml",
            Format::Sgml => "sgml",
            Format::Warc => "warc",
        }
    }

    /// Every format, in display order.
    pub const ALL: [Format; 10] = [
        Format::Text,
        Format::Json,
        Format::Jsonl,
        Format::Html,
        Format::Feed,
        Format::Nitf,
        Format::NewsMl,
        Format::Sgml,
        Format::Warc,
        Format::Api,
    ];
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an article came from.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// The file, as an absolute path where it could be resolved.
    pub path: String,
    /// Format of the file (after decompression).
    pub format: Format,
    /// Compression and containers the article was wrapped in, outermost first, joined by
    /// `+`: `gzip`, `gzip+tar` (a tar inside gzip), `zip`; none for a plain file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compression: Option<String>,
    /// The file inside an archive (`zip`, `tar`) the article came from, as a path inside
    /// the archive; nested archives are joined with `!/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// Position in the file: 1-based line for JSONL, 1-based element for a JSON array.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
    /// The path as the user gave it (relative, say), for messages; not stored.
    #[serde(skip)]
    pub(crate) given: Option<String>,
    /// The path relative to the folder it was found under (`sample_corpus/text/a.txt`), from
    /// which ids are derived; not stored.
    #[serde(skip)]
    pub(crate) locator: Option<String>,
}

impl SourceRef {
    /// The path to name in messages: the file, or `archive!/member` inside an archive.
    pub fn display_path(&self) -> std::path::PathBuf {
        let path = self.given.as_deref().unwrap_or(&self.path);
        match &self.member {
            Some(member) => format!("{path}!/{member}").into(),
            None => path.into(),
        }
    }

    /// A source with only a path and a format (for articles given through the API).
    pub fn new(path: impl Into<String>, format: Format) -> Self {
        SourceRef {
            path: path.into(),
            format,
            compression: None,
            member: None,
            record: None,
            given: None,
            locator: None,
        }
    }
}

/// Convert a byte offset in `text` into a `char` offset.
///
/// `byte` must lie on a char boundary (offsets produced by this crate always do).
pub fn char_offset(text: &str, byte: usize) -> usize {
    text.get(..byte)
        .map_or_else(|| text.chars().count(), |s| s.chars().count())
}

/// Convert a `char` offset in `text` into a byte offset (clamped to the text's length).
pub fn byte_offset(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(b, _)| b)
}
