//! Plain-text articles: the headline is the first non-empty line, the rest is the body.
//!
//! The reader only decodes; choosing the headline (skipping page furniture above it) and
//! finding paragraphs belong to the normaliser, which sees `title: None`.

use super::RawArticle;
use crate::article::SourceRef;

/// Read one plain-text article.
pub fn read(text: &str, source: SourceRef) -> RawArticle {
    let mut raw = RawArticle::new(source);
    raw.body = text.to_string();
    raw
}
