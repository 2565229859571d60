//! The one ingest → normalise path, shared by `index` and `normalize`.
//!
//! [`read_paths`] walks the given paths and reports, file by file, every normalised
//! [`Article`] and every problem through [`Event`]s. Indexing and printing JSONL both consume
//! these events, so what `newsdex normalize` prints is exactly what `newsdex index` stores.

use crate::article::{Article, Format};
use crate::error::Error;
use crate::ingest;
use crate::normalise;
use std::path::{Path, PathBuf};

/// Options for reading inputs.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Largest accepted file size after decompression, in bytes.
    pub max_file_bytes: u64,
    /// Longest article body kept, in bytes: a longer one (a 100 MB line of text, a runaway
    /// OCR page) is cut at a word boundary before this length, with a warning.
    pub max_article_bytes: usize,
    /// The files and folders the inputs were found under. An article without an id of its
    /// own gets one derived from its file's path *relative to these* (`sample_corpus/text/a.txt`),
    /// so ids survive moving or re-mounting the archive; a file outside them is named by its
    /// file name alone. Set by [`read_paths`] and the indexer; empty by default.
    pub roots: Vec<PathBuf>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_file_bytes: ingest::DEFAULT_MAX_FILE_BYTES,
            max_article_bytes: DEFAULT_MAX_ARTICLE_BYTES,
            roots: Vec::new(),
        }
    }
}

/// Default longest article body kept (8 MiB; the longest real news articles are a few
/// hundred KB).
pub const DEFAULT_MAX_ARTICLE_BYTES: usize = 8 << 20;

/// What happens while reading inputs.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// All input files are known (`files` of them, `bytes` on disk in total).
    Planned {
        /// Number of files.
        files: usize,
        /// Their total size on disk.
        bytes: u64,
    },
    /// A file is about to be read.
    FileStart {
        /// The file.
        path: &'a Path,
    },
    /// An article was read and normalised.
    Article(Box<Article>),
    /// A file, a record or a folder could not be read; reading goes on.
    Warning(Error),
    /// A file was read to its end (possibly with record-level warnings).
    FileDone {
        /// The file.
        path: &'a Path,
        /// Its size on disk.
        bytes: u64,
        /// Its format, `None` when the whole file was unreadable.
        format: Option<Format>,
        /// Articles it gave.
        articles: usize,
    },
}

/// Read, normalise and report every article under `paths`.
pub fn read_paths(paths: &[PathBuf], options: &ReadOptions, sink: &mut dyn FnMut(Event<'_>)) {
    let mut walk_errors = Vec::new();
    let files = ingest::walk(paths, &mut |e| walk_errors.push(e));
    for e in walk_errors {
        sink(Event::Warning(e));
    }
    let options = ReadOptions {
        roots: paths.to_vec(),
        ..options.clone()
    };
    read_files(&files, &options, sink);
}

/// Read, normalise and report every article of `files` (no folder walking).
pub fn read_files(files: &[PathBuf], options: &ReadOptions, sink: &mut dyn FnMut(Event<'_>)) {
    let sizes: Vec<u64> = files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .collect();
    sink(Event::Planned {
        files: files.len(),
        bytes: sizes.iter().sum(),
    });
    for (path, &bytes) in files.iter().zip(&sizes) {
        read_file(path, bytes, options, sink);
    }
}

/// Raw articles normalised together on all cores (order is kept).
const BATCH: usize = 256;

/// Read, normalise and report the articles of one file.
///
/// Records are read in a stream and normalised in batches of 256 in parallel, so
/// memory stays bounded for any file size and every core works on a large JSONL file.
pub fn read_file(path: &Path, bytes: u64, options: &ReadOptions, sink: &mut dyn FnMut(Event<'_>)) {
    use rayon::prelude::*;
    sink(Event::FileStart { path });
    let mut articles = 0;
    let mut batch: Vec<crate::error::Result<ingest::RawArticle>> = Vec::with_capacity(BATCH);
    let mut flush = |batch: &mut Vec<crate::error::Result<ingest::RawArticle>>,
                     sink: &mut dyn FnMut(Event<'_>)| {
        let done: Vec<crate::error::Result<Article>> = std::mem::take(batch)
            .into_par_iter()
            .map(|raw| raw.and_then(normalise::normalise))
            .collect();
        for result in done {
            match result {
                Ok(article) => {
                    articles += 1;
                    sink(Event::Article(Box::new(article)));
                }
                Err(e) => sink(Event::Warning(e)),
            }
        }
    };
    let cap = options.max_article_bytes;
    let locator = ingest::locator(&options.roots, path);
    let result = ingest::read_file(path, options.max_file_bytes, &mut |raw| {
        let raw = raw.map(|mut raw| {
            raw.source.locator = Some(locator.clone());
            raw
        });
        let raw = match raw {
            Ok(mut raw) if raw.body.len() > cap => {
                truncate_at_word(&mut raw.body, cap);
                batch.push(Err(Error::Truncated {
                    path: raw.source.display_path(),
                    record: raw.source.record,
                    limit: cap,
                }));
                Ok(raw)
            }
            other => other,
        };
        batch.push(raw);
        if batch.len() >= BATCH {
            flush(&mut batch, sink);
        }
    });
    flush(&mut batch, sink);
    let format = match result {
        Ok(f) => Some(f),
        Err(e) => {
            sink(Event::Warning(e));
            None
        }
    };
    sink(Event::FileDone {
        path,
        bytes,
        format,
        articles,
    });
}

/// Cut `text` to at most `limit` bytes, at the last white space before the limit when there
/// is one in the last 1 KB (never inside a character).
fn truncate_at_word(text: &mut String, limit: usize) {
    let mut end = limit.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let floor = end.saturating_sub(1024);
    if let Some(space) = text[floor..end].rfind(char::is_whitespace) {
        end = floor + space;
    }
    text.truncate(end);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_respects_words_and_chars() {
        let mut s = "word ".repeat(1000);
        truncate_at_word(&mut s, 102);
        assert_eq!(s.len(), 99);
        assert!(s.ends_with("word"));
        let mut one_line = "é".repeat(100);
        truncate_at_word(&mut one_line, 51);
        assert_eq!(one_line.len(), 50);
    }
}
