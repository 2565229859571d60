//! `RawArticle`: an article as a format reader found it, before normalisation.

use crate::article::{EntityKind, SourceRef};

/// An article as found in its source: text and metadata not yet cleaned or interpreted.
#[derive(Debug, Clone)]
pub struct RawArticle {
    /// The source's own id, if it has one.
    pub id: Option<String>,
    /// The headline, when the format declares one. `None` for plain text, where the
    /// normaliser takes the first line of `body` that is not page furniture.
    pub title: Option<String>,
    /// The text as found: lines and paragraphs, possibly with boilerplate.
    pub body: String,
    /// The body is plain text already (a reader extracted it from markup): never treat it
    /// as HTML, even when it quotes tags.
    pub plain: bool,
    /// The publication date exactly as the source wrote it.
    pub date: Option<String>,
    /// A date that bounds the publication date but is not it (a web archive's capture
    /// date); used only when nothing else dates the article.
    pub fallback_date: Option<String>,
    /// Authors as found.
    pub authors: Vec<String>,
    /// Publisher or outlet.
    pub publisher: Option<String>,
    /// URL of the article.
    pub url: Option<String>,
    /// Language declared by the source.
    pub language: Option<String>,
    /// Topics, sections, keywords declared by the source.
    pub topics: Vec<String>,
    /// Entities the source declares (e.g. Reuters' PEOPLE/PLACES/ORGS lists).
    pub declared: Vec<(EntityKind, String)>,
    /// Where it came from.
    pub source: SourceRef,
}

impl RawArticle {
    /// An empty raw article from `source`.
    pub fn new(source: SourceRef) -> Self {
        RawArticle {
            id: None,
            title: None,
            body: String::new(),
            plain: false,
            date: None,
            fallback_date: None,
            authors: Vec::new(),
            publisher: None,
            url: None,
            language: None,
            topics: Vec::new(),
            declared: Vec::new(),
            source,
        }
    }
}
