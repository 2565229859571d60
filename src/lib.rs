//! # newsdex
//!
//! A full-text search engine for news archives. newsdex reads articles in the shapes they
//! come in (plain text dumps, JSON, JSONL, gzip-compressed or not), normalises each one into
//! an [`Article`] — title, body without boilerplate, date with its precision, people,
//! organisations and places — indexes them with tantivy, and answers keyword and entity
//! queries with ranked, highlighted snippets.
//!
//! The pipeline runs one way: [`ingest`] (find, decompress, sniff, read) → [`normalise`]
//! (clean, strip boilerplate, date, entities) → [`index`] (tantivy) → [`search`].
//!
//! # Example: index, then search
//!
//! ```
//! use newsdex::{Archive, SearchRequest};
//! # fn main() -> newsdex::Result<()> {
//! # let tmp = tempfile::tempdir().map_err(|e| newsdex::Error::Io { path: "tmp".into(), source: e })?;
//! # let corpus = tmp.path().join("corpus");
//! # std::fs::create_dir_all(corpus.join("2017/12/30")).map_err(|e| newsdex::Error::Io { path: "tmp".into(), source: e })?;
//! # std::fs::write(corpus.join("2017/12/30/greetings.txt"),
//! #     "Putin sends New Year greetings to Trump\n\nVladimir Putin has called for \"pragmatic cooperation\" \
//! #      with the United States in a message to Donald Trump.\n\nMr Putin said dialogue was essential.\n")
//! #     .map_err(|e| newsdex::Error::Io { path: "tmp".into(), source: e })?;
//! # let index_dir = tmp.path().join("index");
//! let archive = Archive::builder(&index_dir).memory_mb(64).threads(1).open_or_create()?;
//! let report = archive.indexer()?.index_paths(&[corpus], &mut ())?;
//! assert_eq!(report.indexed, 1);
//!
//! let results = archive.search(&SearchRequest::new("person:Putin \"pragmatic cooperation\"").from("2017"))?;
//! assert_eq!(results.total, 1);
//! let hit = &results.hits[0];
//! assert_eq!(hit.article.title, "Putin sends New Year greetings to Trump");
//! // Highlights are char offsets into the whole body.
//! let first = hit.fragments[0].highlights[0];
//! let body: Vec<char> = hit.article.body.chars().collect();
//! assert_eq!(body[first.start..first.end].iter().collect::<String>(), "Vladimir Putin");
//! # Ok(()) }
//! ```
//!
//! See `examples/embed.rs` for a complete program embedding the library.

#![warn(missing_docs)]

pub mod article;
pub mod chart;
pub mod dedup;
mod error;
pub mod eval;
pub mod index;
pub mod ingest;
pub mod normalise;
pub mod pipeline;
pub mod search;

pub use article::{
    Article, ArticleDate, ArticleId, DateOrigin, DatePrecision, Entity, EntityKind, Format,
    Mention, SourceRef,
};
pub use error::{EngineError, Error, Result, UnsupportedReason};
pub use index::{
    Archive, ArchiveBuilder, Dictionary, DictionaryEntry, IndexReport, Indexer, NameCount,
    Observer, Resolved, Stats,
};
pub use pipeline::{read_files, read_paths, Event, ReadOptions};
pub use search::{
    Bucket, EntityCount, EntityReport, Facets, Fragment, Highlight, Hit, Mode, Period, Query,
    QueryError, SearchRequest, SearchResults, Sort, Timeline,
};
