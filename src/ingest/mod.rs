//! Ingest: find files, open them (decompressing transparently), sniff their format by
//! content, and hand each record to the format's reader, which yields [`RawArticle`]s.
//!
//! Errors are per file or per record: a bad file (or one bad JSONL line) is reported through
//! the callback and reading goes on with the next one.

mod decode;
pub mod json;
mod raw;
pub mod text;
mod walk;
mod warc;

pub use decode::{decode, looks_binary};
pub use raw::RawArticle;
pub use walk::walk;

use crate::article::{Format, SourceRef};
use crate::error::{Error, Result, UnsupportedReason};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Default cap on the size of one file after decompression (a guard against zip bombs).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 1 << 30;

/// How many bytes are looked at to recognise a format.
const SNIFF_BYTES: usize = 64 * 1024;

/// Read every article of one file, calling `emit` for each article or per-record problem.
///
/// Returns the format recognised, or the error that made the whole file unreadable.
pub fn read_file(
    path: &Path,
    max_bytes: u64,
    emit: &mut dyn FnMut(Result<RawArticle>),
) -> Result<Format> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut outer = BufReader::with_capacity(64 * 1024, file);
    let head = outer.fill_buf().map_err(|e| Error::io(path, e))?;
    let gzip = head.starts_with(&[0x1f, 0x8b]);
    let reader: Box<dyn Read> = if gzip {
        Box::new(flate2::bufread::MultiGzDecoder::new(outer))
    } else {
        Box::new(outer)
    };
    let codec = if gzip { Some("gzip") } else { None };
    let mut reader = LimitedReader {
        inner: reader,
        left: max_bytes,
        limit: max_bytes,
    };
    let mut input = BufReader::with_capacity(SNIFF_BYTES, &mut reader);
    let head = input.fill_buf().map_err(|e| reader_error(path, codec, e))?;

    let source = SourceRef {
        path: display_path(path),
        format: Format::Text,
        compression: codec.map(str::to_string),
        record: None,
    };
    let format = sniff(path, head)?;
    let source = SourceRef { format, ..source };
    match format {
        Format::Jsonl => {
            read_jsonl(path, &mut input, &source, emit)?;
        }
        Format::Json | Format::Text | Format::Api => {
            let mut bytes = Vec::new();
            input
                .read_to_end(&mut bytes)
                .map_err(|e| reader_error(path, codec, e))?;
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Err(Error::Unsupported {
                    path: path.to_path_buf(),
                    reason: UnsupportedReason::Empty,
                });
            }
            let (text, _) = decode(&bytes);
            if format == Format::Json {
                read_json(path, &text, &source, emit)?;
            } else {
                emit(Ok(text::read(&text, source)));
            }
        }
    }
    Ok(format)
}

/// Recognise the format from the first bytes (after decompression) and the file name.
fn sniff(path: &Path, head: &[u8]) -> Result<Format> {
    if head.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Unsupported {
            path: path.to_path_buf(),
            reason: UnsupportedReason::Empty,
        });
    }
    for (magic, kind) in [
        (&[0x28, 0xb5, 0x2f, 0xfd][..], "zstd"),
        (&b"BZh"[..], "bzip2"),
        (&[0xfd, b'7', b'z', b'X', b'Z', 0][..], "xz"),
        (&b"PK\x03\x04"[..], "zip"),
    ] {
        if head.starts_with(magic) {
            return Err(Error::Unsupported {
                path: path.to_path_buf(),
                reason: UnsupportedReason::Compressed(kind),
            });
        }
    }
    if looks_binary(head) {
        return Err(Error::Unsupported {
            path: path.to_path_buf(),
            reason: UnsupportedReason::Binary,
        });
    }
    let (text, _) = decode(head);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let unsupported = |reason| {
        Err(Error::Unsupported {
            path: path.to_path_buf(),
            reason,
        })
    };
    if trimmed.starts_with('<') {
        return unsupported(UnsupportedReason::Markup);
    }
    if trimmed.starts_with("WARC/") {
        return unsupported(UnsupportedReason::Warc);
    }
    if trimmed.starts_with('[') {
        return Ok(Format::Json);
    }
    if trimmed.starts_with('{') {
        if name.ends_with(".jsonl") || name.ends_with(".ndjson") || name.ends_with(".jsonlines") {
            return Ok(Format::Jsonl);
        }
        // JSONL when the first line is a complete object and another object follows it.
        let mut lines = trimmed.lines().filter(|l| !l.trim().is_empty());
        if let (Some(first), Some(second)) = (lines.next(), lines.next()) {
            if second.trim_start().starts_with('{')
                && serde_json::from_str::<serde_json::Value>(first).is_ok()
            {
                return Ok(Format::Jsonl);
            }
        }
        return Ok(Format::Json);
    }
    Ok(Format::Text)
}

fn read_json(
    path: &Path,
    text: &str,
    source: &SourceRef,
    emit: &mut dyn FnMut(Result<RawArticle>),
) -> Result<()> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| Error::Json {
        path: path.to_path_buf(),
        line: None,
        source: e,
    })?;
    let mut out = Vec::new();
    let empty = json::read_value(value, source, &mut out);
    for raw in out {
        emit(Ok(raw));
    }
    if let Some(&first) = empty.first() {
        emit(Err(Error::NotArticles {
            path: path.to_path_buf(),
            records: empty.len() as u64,
            first,
        }));
    }
    Ok(())
}

fn read_jsonl(
    path: &Path,
    input: &mut dyn BufRead,
    source: &SourceRef,
    emit: &mut dyn FnMut(Result<RawArticle>),
) -> Result<()> {
    let codec = source.compression.as_deref().map(|_| "gzip");
    let mut line = Vec::new();
    let mut number = 0u64;
    // Records that are valid JSON but hold no article: reported once for the file.
    let mut not_articles = (0u64, 0u64);
    loop {
        line.clear();
        let n = input
            .read_until(b'\n', &mut line)
            .map_err(|e| reader_error(path, codec, e))?;
        if n == 0 {
            if not_articles.0 > 0 {
                emit(Err(Error::NotArticles {
                    path: path.to_path_buf(),
                    records: not_articles.0,
                    first: not_articles.1,
                }));
            }
            return Ok(());
        }
        number += 1;
        let (text, _) = decode(&line);
        if text.trim().is_empty() {
            continue;
        }
        let mut src = source.clone();
        src.record = Some(number);
        let raw = match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(map)) => json::read_object(&map, src),
            Ok(_) => None,
            Err(e) => {
                emit(Err(Error::Json {
                    path: path.to_path_buf(),
                    line: Some(number),
                    source: e,
                }));
                continue;
            }
        };
        match raw {
            Some(raw) => emit(Ok(raw)),
            None => {
                if not_articles.0 == 0 {
                    not_articles.1 = number;
                }
                not_articles.0 += 1;
            }
        }
    }
}

/// The path as it is recorded in `SourceRef`: absolute when it can be resolved.
pub fn display_path(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

fn reader_error(path: &Path, codec: Option<&'static str>, e: std::io::Error) -> Error {
    if let Some(OverLimit(limit)) = e.get_ref().and_then(|r| r.downcast_ref::<OverLimit>()) {
        return Error::TooLarge {
            path: path.to_path_buf(),
            limit: *limit,
        };
    }
    match codec {
        Some(codec) => Error::Decompress {
            path: path.to_path_buf(),
            codec,
            source: e,
        },
        None => Error::io(path, e),
    }
}

/// A reader that fails with `FileTooLarge` once more than `limit` bytes were read.
struct LimitedReader<'a> {
    inner: Box<dyn Read + 'a>,
    left: u64,
    limit: u64,
}

/// The error a [`LimitedReader`] gives past its limit (carried inside an `io::Error`).
#[derive(Debug)]
struct OverLimit(u64);

impl std::fmt::Display for OverLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "more than {} bytes", self.0)
    }
}

impl std::error::Error for OverLimit {}

impl Read for LimitedReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // Is there more? Then the file is over the limit.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::new(
                    std::io::ErrorKind::FileTooLarge,
                    OverLimit(self.limit),
                )),
            };
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}
