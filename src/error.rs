//! The library's typed error.
//!
//! Every failure names what it was about (a path, a line, a query position) so that the
//! command-line tool and embedding programs can tell the user exactly what went wrong.

use std::path::PathBuf;

/// Result type of the whole library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in newsdex.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or folder could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// Walking a folder failed (permission denied, symlink loop, ...).
    #[error("cannot walk {path}: {source}")]
    Walk {
        /// Where the walk failed.
        path: PathBuf,
        /// The underlying walkdir error.
        source: walkdir::Error,
    },
    /// A compressed file is corrupt or truncated.
    #[error("{path}: corrupt or truncated {codec} data: {source}")]
    Decompress {
        /// The compressed file.
        path: PathBuf,
        /// The compression format ("gzip").
        codec: &'static str,
        /// What the decoder said.
        source: std::io::Error,
    },
    /// A file is larger than the configured limit (after decompression).
    #[error("{path}: larger than the limit of {limit} bytes")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
    /// A file holds no text newsdex can read (binary data, or an unknown format).
    #[error("{path}: {reason}")]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// Why it was not read.
        reason: UnsupportedReason,
    },
    /// A JSON document or JSONL line is malformed.
    #[error("{path}{}: invalid JSON: {source}", line.map(|l| format!(", line {l}")).unwrap_or_default())]
    Json {
        /// The file.
        path: PathBuf,
        /// The JSONL line (1-based), when the file is line-delimited.
        line: Option<u64>,
        /// What the JSON parser said.
        source: serde_json::Error,
    },
    /// A record was read but holds no article (no title and no body).
    #[error("{path}{}: no article text (no title and no body)", record.map(|r| format!(", record {r}")).unwrap_or_default())]
    EmptyRecord {
        /// The file.
        path: PathBuf,
        /// The record (1-based line or array position), if the file holds several.
        record: Option<u64>,
    },
    /// Records that are valid JSON but hold no article (neither title nor text), e.g. a
    /// metadata file next to the articles. Reported once per file.
    #[error(
        "{path}: {records} record(s) without article text, not indexed (first: record {first})"
    )]
    NotArticles {
        /// The file.
        path: PathBuf,
        /// How many such records.
        records: u64,
        /// The first of them (1-based line or array element).
        first: u64,
    },
    /// The query could not be parsed.
    #[error(transparent)]
    Query(#[from] crate::search::QueryError),
    /// A date given by the user could not be understood.
    #[error("invalid date {input:?}: expected YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 instant")]
    InvalidDate {
        /// What the user wrote.
        input: String,
    },
    /// A search request is inconsistent (e.g. `from` after `to`).
    #[error("invalid request: {0}")]
    InvalidRequest(&'static str),
    /// Another process holds the index writer lock.
    #[error(
        "index at {path} is locked by another newsdex process (wait for it to finish, or stop it)"
    )]
    Locked {
        /// The index directory.
        path: PathBuf,
    },
    /// No index exists at the given location.
    #[error("no newsdex index at {path} (create one with `newsdex index PATH...`)")]
    NoIndex {
        /// The index directory.
        path: PathBuf,
    },
    /// The directory holds an index that newsdex did not make, or made with another schema.
    #[error("{path} holds an index with an incompatible schema (field {field:?} missing); re-create it with `newsdex index --rebuild`")]
    IncompatibleIndex {
        /// The index directory.
        path: PathBuf,
        /// The first field found missing.
        field: &'static str,
    },
    /// No article with this id is in the index.
    #[error("no article with id {0:?} in the index")]
    NotFound(String),
    /// A stored article could not be decoded (index written by an incompatible version).
    #[error("stored article is unreadable: {0}")]
    Corrupt(serde_json::Error),
    /// An article's text was longer than the limit and was cut there; the rest of it is
    /// not indexed.
    #[error("{path}{}: article text longer than {limit} bytes, cut there", record.map(|r| format!(", record {r}")).unwrap_or_default())]
    Truncated {
        /// The file (or `archive!/member`).
        path: PathBuf,
        /// The record, when the file holds several.
        record: Option<u64>,
        /// The limit in bytes.
        limit: usize,
    },
    /// One line of a JSON Lines file is longer than the limit: it is skipped, the lines
    /// after it are read.
    #[error("{path}, line {line}: longer than the limit of {limit} bytes, skipped")]
    LineTooLong {
        /// The file (or `archive!/member`).
        path: PathBuf,
        /// The line number (1-based).
        line: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// An archive (zip, tar) or one of its members is corrupt or cannot be read.
    #[error("{path}: unreadable {container} archive: {reason}")]
    Container {
        /// The archive, or `archive!/member`.
        path: PathBuf,
        /// `zip` or `tar`.
        container: &'static str,
        /// What the archive reader said.
        reason: String,
    },
    /// A feed or XML document is malformed.
    #[error("{path}: malformed {format}: {reason}")]
    Malformed {
        /// The file (or `archive!/member`).
        path: PathBuf,
        /// The format it claimed to be (`RSS/Atom feed`, `NITF`...).
        format: &'static str,
        /// What is wrong, with a position where known.
        reason: String,
    },
    /// An error inside the search engine (I/O on the index, a corrupt segment...).
    #[error("index error: {0}")]
    Engine(#[source] EngineError),
    /// One record of a markup file (a Reuters SGML `<REUTERS>` record) is malformed; the
    /// other records of the file are still read.
    #[error("{path}, record {record}: malformed record: {problem}")]
    MalformedRecord {
        /// The file.
        path: PathBuf,
        /// The record (1-based position in the file).
        record: u64,
        /// What is wrong with it.
        problem: RecordProblem,
    },
    /// An XML document (NITF, NewsML-G2) is not well-formed.
    #[error("{path}: invalid XML: {source}")]
    Xml {
        /// The file.
        path: PathBuf,
        /// Line of the error (1-based).
        line: u32,
        /// Column of the error (1-based).
        column: u32,
        /// What the XML parser said.
        source: XmlError,
    },
    /// A WARC web archive holds a corrupt record, or data that is not a record.
    #[error("{path}{}, byte {offset}: {reason}", record.map(|r| format!(", record {r}")).unwrap_or_default())]
    Warc {
        /// The archive file.
        path: PathBuf,
        /// The record (1-based), or `None` for data between records.
        record: Option<u64>,
        /// Byte offset of the record or data in the decompressed stream.
        offset: u64,
        /// What is wrong.
        reason: String,
    },
}

/// What is wrong with a malformed record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecordProblem {
    /// An element is opened but never closed (the tag name).
    Unclosed(&'static str),
    /// The record lacks its id attribute (the attribute name).
    MissingId(&'static str),
}

impl std::fmt::Display for RecordProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordProblem::Unclosed(tag) => write!(f, "<{tag}> is not closed"),
            RecordProblem::MissingId(attr) => write!(f, "no {attr} attribute"),
        }
    }
}

/// An error of the XML parser, kept opaque so that the parser's types stay out of the
/// public API; its message says what was wrong and where.
#[derive(Debug)]
pub struct XmlError(Box<dyn std::error::Error + Send + Sync>);

impl XmlError {
    pub(crate) fn new(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        XmlError(Box::new(e))
    }
}

impl std::fmt::Display for XmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for XmlError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// An error of the underlying search engine, kept opaque so that its types stay out of the
/// public API; its message and `source()` chain carry the details.
#[derive(Debug)]
pub struct EngineError(Box<dyn std::error::Error + Send + Sync>);

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for EngineError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::Engine(EngineError(Box::new(e)))
    }
}

impl From<tantivy::directory::error::OpenDirectoryError> for Error {
    fn from(e: tantivy::directory::error::OpenDirectoryError) -> Self {
        Error::Engine(EngineError(Box::new(e)))
    }
}

impl From<std::io::Error> for EngineError {
    fn from(e: std::io::Error) -> Self {
        EngineError(Box::new(e))
    }
}

/// Why a file was not read as an article source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnsupportedReason {
    /// The file is empty or holds only white space.
    Empty,
    /// The file holds binary data, not text.
    Binary,
    /// HTML or XML markup (pages, feeds, wire XML, SGML), which this version does not read.
    Markup,
    /// A web archive (WARC), which this version does not read.
    Warc,
    /// A compression or archive format this version does not read.
    Compressed(&'static str),
    /// An archive none of whose members could be read (each was reported).
    NoReadableMember,
    /// Archives nested too deep (a zip in a tar in a zip ... more than six levels).
    TooDeep,
    /// The document holds no article text (a section front, a feed without items, a
    /// picture item...); the string says what it is.
    NoArticle(&'static str),
}

impl std::fmt::Display for UnsupportedReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            UnsupportedReason::Empty => "empty file",
            UnsupportedReason::Binary => "binary data, not text (unsupported format)",
            UnsupportedReason::Markup => {
                "HTML/XML markup: this version reads plain text, JSON and JSON Lines (gzip or not)"
            }
            UnsupportedReason::Warc => "WARC web archive: not supported by this version",
            UnsupportedReason::Compressed(kind) => {
                return write!(f, "{kind}-compressed data: not supported by this version");
            }
            UnsupportedReason::NoReadableMember => "archive with no readable member",
            UnsupportedReason::TooDeep => "archives nested more than six levels deep",
            UnsupportedReason::NoArticle(what) => return write!(f, "no article text ({what})"),
        })
    }
}

impl Error {
    /// Whether this reports parts of an input that are not articles (a Reuters brief with
    /// only a headline, a section front, a NewsML-G2 planning item, a crawl's non-article
    /// pages): expected in real archives, reported, but not a failure of the run.
    pub fn is_not_an_article(&self) -> bool {
        matches!(
            self,
            Error::NotArticles { .. }
                | Error::Unsupported {
                    reason: UnsupportedReason::NoArticle(_),
                    ..
                }
        )
    }

    /// One report for the records of a file that hold no article (`empty`: their 1-based
    /// positions), if any.
    pub(crate) fn not_articles(path: &std::path::Path, empty: &[u64]) -> Option<Error> {
        empty.first().map(|&first| Error::NotArticles {
            path: path.to_path_buf(),
            records: empty.len() as u64,
            first,
        })
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
