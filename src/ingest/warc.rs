//! WARC web archives (ISO 28500, WARC/1.0 and WARC/1.1): a streaming record reader.
//!
//! [`WarcReader`] reads one record at a time from any [`BufRead`] — a plain `.warc` file or the
//! output of a `MultiGzDecoder` over a `.warc.gz` made of one gzip member per record — so a
//! multi-gigabyte crawl is never held in memory: at most one record block (bounded by the
//! caller's cap) plus a 64 KiB recovery window.
//!
//! A record is a version line (`WARC/1.1`), header lines, an empty line, a block of exactly
//! `Content-Length` bytes, then CRLF CRLF. Only `response`, `resource` and `conversion`
//! records have their block read into memory; every other record (`request`, `metadata`,
//! `warcinfo`, `revisit`, ...) is streamed past and yielded with an empty payload, so the
//! caller can still count or log it. For HTTP responses the payload is the entity body with
//! chunked transfer-encoding and `gzip`/`deflate`/`br` content-encoding undone.
//!
//! Corrupt input (a bad header line, a `Content-Length` that lies, garbage between records)
//! gives one [`WarcError`] and the reader resynchronises at the next line starting with
//! `WARC/1.`; a stream that ends inside a record gives one error and ends the iteration.
//!
//! Tolerated without an error: blank lines between records, LF LF instead of CRLF CRLF after a
//! block, a stream ending right after a block's last byte, `<...>` around `WARC-Target-URI`,
//! a `Content-Encoding: gzip` header over a body stored decoded. Limits: a header line of
//! 64 KiB, a header of 1 MiB; a `Content-Length` too long by more than 64 KiB loses the
//! records it swallowed. Pre-standard `WARC/0.x` files are not read.

// Not wired into `read_file` yet: the lead developer integrates this reader.

mod http;
mod input;

pub(crate) use http::HttpPayload;

use crate::error::Error;
use http::{decode_body, parse_http};
use input::Input;
use std::io::{self, BufRead, Read};
use std::path::Path;

/// A record header line longer than this is corrupt (target URIs of several KiB do occur).
const MAX_LINE: usize = 64 * 1024;
/// A record header larger than this in total is corrupt.
const MAX_HEADER_BYTES: u64 = 1 << 20;
/// How many bytes at the end of a block are kept to look for the next record when the block's
/// `Content-Length` turns out to be too long.
const RECOVERY_WINDOW: u64 = 64 * 1024;
/// How every version line starts, and where the reader resynchronises.
const VERSION_PREFIX: &[u8] = b"WARC/1.";

/// One WARC record as read from the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WarcRecord {
    /// 1-based position in the file (every version line read counts, corrupt records too).
    pub number: u64,
    /// Byte offset of the record's version line in the (decompressed) stream.
    pub offset: u64,
    /// `WARC-Type` as written: `response`, `resource`, `request`, `metadata`, `warcinfo`, ...
    pub kind: String,
    /// `WARC-Target-URI`, without the angle brackets some writers put around it.
    pub target_uri: Option<String>,
    /// `WARC-Date` as written.
    pub date: Option<String>,
    /// The parsed HTTP response, for `response` records holding one.
    pub http: Option<HttpPayload>,
    /// Content type of the payload: the HTTP `Content-Type` of a response, the WARC
    /// `Content-Type` of other records.
    pub content_type: Option<String>,
    /// The entity body (transfer- and content-encoding undone); empty for record kinds whose
    /// block is skipped.
    pub payload: Vec<u8>,
}

impl WarcRecord {
    /// True for a page worth extracting an article from: a 2xx HTTP response (or a
    /// `resource` record) whose content type is `text/html` or `application/xhtml+xml`, or
    /// that has no useful content type and whose payload looks like HTML.
    pub fn is_html_page(&self) -> bool {
        let usable = if self.kind.eq_ignore_ascii_case("response") {
            self.http
                .as_ref()
                .is_some_and(|h| (200..300).contains(&h.status))
        } else {
            self.kind.eq_ignore_ascii_case("resource")
        };
        if !usable {
            return false;
        }
        let media = self
            .content_type
            .as_deref()
            .and_then(|t| t.split(';').next())
            .map(|t| t.trim().to_ascii_lowercase())
            .unwrap_or_default();
        match media.as_str() {
            "text/html" | "application/xhtml+xml" => true,
            "" | "application/octet-stream" | "unknown" | "unknown/unknown" => {
                sniff_html(&self.payload)
            }
            _ => false,
        }
    }
}

/// True when `payload` starts like an HTML document.
fn sniff_html(payload: &[u8]) -> bool {
    let head = &payload[..payload.len().min(1024)];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = head[start..].to_ascii_lowercase();
    head.starts_with(b"<")
        && [&b"<!doctype html"[..], b"<html", b"<head", b"<body"]
            .iter()
            .any(|tag| head.windows(tag.len()).any(|w| w == *tag))
}

/// True when `head` (the first bytes of a file, decompressed) is the start of a WARC file.
pub(crate) fn looks_like_warc(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    let line_end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
    let line = head[..line_end].trim_ascii_end();
    line.starts_with(VERSION_PREFIX)
        && line.len() > VERSION_PREFIX.len()
        && line[VERSION_PREFIX.len()..].iter().all(u8::is_ascii_digit)
}

/// A corrupt record, corrupt data between records, or a read failure.
#[derive(Debug, thiserror::Error)]
#[error("{}byte {offset}: {kind}", record.map(|r| format!("record {r} at ")).unwrap_or_default())]
pub(crate) struct WarcError {
    /// The record (1-based), or `None` for data found between records.
    pub record: Option<u64>,
    /// Byte offset (in the decompressed stream) of the record or of the stray data.
    pub offset: u64,
    /// What is wrong.
    pub kind: WarcErrorKind,
}

/// What is wrong with a record.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WarcErrorKind {
    /// Bytes that are not a record where a record should start.
    #[error("{skipped} bytes that are not a WARC record (no `WARC/1.x` version line); skipped")]
    NotARecord {
        /// How many bytes were skipped to reach the next record (or the end).
        skipped: u64,
    },
    /// A header line is not `Name: value`.
    #[error("bad header line {line:?}")]
    BadHeader {
        /// The line (lossily decoded, shortened).
        line: String,
    },
    /// A header line or the whole header is implausibly long.
    #[error("record header longer than {limit} bytes")]
    HeaderTooLong {
        /// The limit crossed.
        limit: u64,
    },
    /// The next record's version line came before the header's end.
    #[error("record header cut short by the next record")]
    HeaderCut,
    /// `Content-Length` is missing or not a number.
    #[error("missing or invalid Content-Length {value:?}")]
    ContentLength {
        /// The value as written, if there was one.
        value: Option<String>,
    },
    /// The record has no `WARC-Type`.
    #[error("no WARC-Type header")]
    MissingType,
    /// The block is not followed by CRLF CRLF: `Content-Length` is too short or too long.
    #[error(
        "Content-Length {declared} does not match the block (it is not followed by CRLF CRLF)"
    )]
    LengthMismatch {
        /// The `Content-Length` declared.
        declared: u64,
    },
    /// The block is larger than the reader's cap; it was skipped without being read.
    #[error("block of {size} bytes is over the limit of {limit} bytes; skipped")]
    TooLarge {
        /// The block size (`Content-Length`).
        size: u64,
        /// The cap given to the reader.
        limit: u64,
    },
    /// The stream ends inside a record header.
    #[error("truncated: the stream ends inside the record header")]
    TruncatedHeader,
    /// The stream ends inside a record block.
    #[error("truncated: the stream ends after {got} of the {declared} bytes of the block")]
    TruncatedBlock {
        /// The `Content-Length` declared.
        declared: u64,
        /// How many bytes of the block there were.
        got: u64,
    },
    /// A response record declared as HTTP does not hold an HTTP response.
    #[error("not an HTTP response: {reason}")]
    BadHttp {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The payload's content-encoding is not one the reader undoes.
    #[error("unsupported Content-Encoding {encoding:?}")]
    UnsupportedEncoding {
        /// The encoding as written.
        encoding: String,
    },
    /// The payload is corrupt for its content-encoding.
    #[error("cannot undo Content-Encoding {encoding}: {source}")]
    Encoding {
        /// The encoding (`gzip`, `deflate`, `br`).
        encoding: &'static str,
        /// What the decoder said.
        source: io::Error,
    },
    /// The payload, once decoded, is larger than the reader's cap.
    #[error("decoded payload larger than the limit of {limit} bytes")]
    DecodedTooLarge {
        /// The cap given to the reader.
        limit: u64,
    },
    /// The underlying stream failed (e.g. corrupt gzip); the iteration ends.
    #[error("read error: {0}")]
    Io(#[source] io::Error),
}

impl WarcError {
    /// The crate error for this problem in the file at `path`.
    ///
    /// A read failure of the underlying stream becomes [`Error::Io`]; callers that know the
    /// stream is decompressed may prefer to match [`WarcErrorKind::Io`] themselves.
    pub fn into_error(self, path: &Path) -> Error {
        match self.kind {
            WarcErrorKind::Io(source) => Error::io(path, source),
            kind => Error::Warc {
                path: path.to_path_buf(),
                record: self.record,
                offset: self.offset,
                reason: kind.to_string(),
            },
        }
    }
}

/// What the reader does after an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Then {
    /// The stream is positioned at the next record already.
    Continue,
    /// Skip to the next line starting with `WARC/1.`.
    Resync,
    /// The stream is over (truncated or unreadable).
    Stop,
}

/// A failed record read: the error and how to go on.
type Failure = (WarcError, Then);

/// Streaming reader of WARC records; see the module documentation.
///
/// Yields every record in order (records whose block is not kept have an empty payload) and
/// one error per corrupt place. Never panics and always ends: each step consumes input.
pub(crate) struct WarcReader<R: BufRead> {
    input: Input<R>,
    max_record_bytes: u64,
    number: u64,
    done: bool,
    /// An error found while resynchronising after another one, yielded next.
    pending: Option<WarcError>,
    line: Vec<u8>,
}

impl<R: BufRead> WarcReader<R> {
    /// A reader over `reader`, skipping (and reporting) records whose block is larger than
    /// `max_record_bytes`; the cap also bounds a decoded payload.
    pub fn new(reader: R, max_record_bytes: u64) -> Self {
        WarcReader {
            input: Input::new(reader),
            max_record_bytes,
            number: 0,
            done: false,
            pending: None,
            line: Vec::new(),
        }
    }

    /// Bytes of the stream consumed so far.
    #[cfg(test)]
    pub fn position(&self) -> u64 {
        self.input.position()
    }

    fn read_record(&mut self) -> Result<Option<WarcRecord>, Failure> {
        let io_failure = |record, offset, e| {
            (
                WarcError {
                    record,
                    offset,
                    kind: WarcErrorKind::Io(e),
                },
                Then::Stop,
            )
        };
        // The version line, after any blank lines.
        let offset = loop {
            let start = self.input.position();
            let n = self
                .input
                .read_line(&mut self.line, MAX_LINE)
                .map_err(|e| io_failure(None, start, e))?;
            if n == 0 {
                return Ok(None);
            }
            if !is_blank(&self.line) {
                break start;
            }
        };
        if !self.line.starts_with(VERSION_PREFIX) {
            self.resync().map_err(|e| io_failure(None, offset, e))?;
            let skipped = self.input.position() - offset;
            let error = WarcError {
                record: None,
                offset,
                kind: WarcErrorKind::NotARecord { skipped },
            };
            return Err((error, Then::Continue));
        }
        self.number += 1;
        let number = self.number;
        let fail = |kind, then| {
            (
                WarcError {
                    record: Some(number),
                    offset,
                    kind,
                },
                then,
            )
        };

        let header = self.read_header().map_err(|(k, t)| fail(k, t))?;
        let length = match header.length.as_deref().map(|v| v.trim().parse::<u64>()) {
            Some(Ok(n)) => n,
            _ => {
                let value = header.length;
                return Err(fail(WarcErrorKind::ContentLength { value }, Then::Resync));
            }
        };
        let Some(kind) = header.kind else {
            self.skip_block(length).map_err(|(k, t)| fail(k, t))?;
            return Err(fail(WarcErrorKind::MissingType, Then::Continue));
        };
        if length > self.max_record_bytes {
            self.skip_block(length).map_err(|(k, t)| fail(k, t))?;
            let limit = self.max_record_bytes;
            let kind = WarcErrorKind::TooLarge {
                size: length,
                limit,
            };
            return Err(fail(kind, Then::Continue));
        }
        let mut record = WarcRecord {
            number,
            offset,
            kind,
            target_uri: header.target_uri,
            date: header.date,
            http: None,
            content_type: header.content_type,
            payload: Vec::new(),
        };
        if !keeps_block(&record.kind) {
            self.skip_block(length).map_err(|(k, t)| fail(k, t))?;
            return Ok(Some(record));
        }
        let block = self.read_block(length).map_err(|(k, t)| fail(k, t))?;
        let is_http = record.kind.eq_ignore_ascii_case("response")
            && match record.content_type.as_deref() {
                Some(t) => t
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("application/http"),
                None => block.starts_with(b"HTTP/"),
            };
        if is_http {
            let (http, body) = parse_http(block)
                .map_err(|reason| fail(WarcErrorKind::BadHttp { reason }, Then::Continue))?;
            record.content_type = http.header("content-type").map(str::to_string);
            record.payload = decode_body(&http, body, self.max_record_bytes, header.truncated)
                .map_err(|k| fail(k, Then::Continue))?;
            record.http = Some(http);
        } else {
            record.payload = block;
        }
        Ok(Some(record))
    }

    /// Reads the header lines after the version line, through the empty line.
    fn read_header(&mut self) -> Result<RecordHeader, (WarcErrorKind, Then)> {
        let mut header = RecordHeader::default();
        let mut total = 0u64;
        let mut last: Option<Field> = None;
        loop {
            let n = self
                .input
                .read_line(&mut self.line, MAX_LINE)
                .map_err(|e| (WarcErrorKind::Io(e), Then::Stop))?;
            total += n as u64;
            let cut = n == self.line.len() && !self.line.ends_with(b"\n");
            if n == 0 || cut {
                return Err((WarcErrorKind::TruncatedHeader, Then::Stop));
            }
            if n > self.line.len() || total > MAX_HEADER_BYTES {
                let limit = if n > self.line.len() {
                    MAX_LINE as u64
                } else {
                    MAX_HEADER_BYTES
                };
                return Err((WarcErrorKind::HeaderTooLong { limit }, Then::Resync));
            }
            let line = &self.line[..];
            if is_blank(line) {
                return Ok(header);
            }
            if line.starts_with(VERSION_PREFIX) {
                self.input.unread(&self.line);
                return Err((WarcErrorKind::HeaderCut, Then::Continue));
            }
            if line[0] == b' ' || line[0] == b'\t' {
                // A folded continuation of the previous header (obsolete but allowed).
                if let Some(field) = last {
                    let more = String::from_utf8_lossy(line.trim_ascii());
                    if let Some(value) = header.field(field) {
                        value.push(' ');
                        value.push_str(&more);
                    }
                    continue;
                }
            }
            let Some(colon) = line.iter().position(|&b| b == b':') else {
                return Err((bad_header(line), Then::Resync));
            };
            let name = &line[..colon];
            if name.is_empty() || name.iter().any(|b| b.is_ascii_whitespace()) {
                return Err((bad_header(line), Then::Resync));
            }
            let value = String::from_utf8_lossy(line[colon + 1..].trim_ascii()).into_owned();
            last = Field::of(name);
            if let Some(field) = last {
                if field == Field::Truncated {
                    header.truncated = true;
                }
                let value = if field == Field::TargetUri {
                    strip_angle_brackets(value)
                } else {
                    value
                };
                if let Some(slot) = header.field(field) {
                    *slot = value;
                }
            }
        }
    }

    /// Reads a block of `length` bytes and checks the CRLF CRLF after it.
    fn read_block(&mut self, length: u64) -> Result<Vec<u8>, (WarcErrorKind, Then)> {
        let mut block = Vec::with_capacity(length.min(1 << 20) as usize);
        let got = (&mut self.input)
            .take(length)
            .read_to_end(&mut block)
            .map_err(|e| (WarcErrorKind::Io(e), Then::Stop))? as u64;
        if got < length {
            let kind = WarcErrorKind::TruncatedBlock {
                declared: length,
                got,
            };
            return Err((kind, Then::Stop));
        }
        let keep = block.len().saturating_sub(RECOVERY_WINDOW as usize);
        self.check_trailer(length, &block[keep..])?;
        Ok(block)
    }

    /// Streams past a block of `length` bytes without keeping it (but its last
    /// [`RECOVERY_WINDOW`] bytes), and checks the CRLF CRLF after it.
    fn skip_block(&mut self, length: u64) -> Result<(), (WarcErrorKind, Then)> {
        let keep = length.min(RECOVERY_WINDOW);
        let skipped = self
            .input
            .skip(length - keep)
            .map_err(|e| (WarcErrorKind::Io(e), Then::Stop))?;
        let mut tail = Vec::new();
        let got = (&mut self.input)
            .take(keep)
            .read_to_end(&mut tail)
            .map_err(|e| (WarcErrorKind::Io(e), Then::Stop))? as u64;
        if skipped + got < length {
            let kind = WarcErrorKind::TruncatedBlock {
                declared: length,
                got: skipped + got,
            };
            return Err((kind, Then::Stop));
        }
        self.check_trailer(length, &tail)
    }

    /// Checks that CRLF CRLF (or LF LF) follows the block whose last bytes are `tail`.
    ///
    /// When it does not, `Content-Length` lied: if it was too long, the next record may have
    /// started inside `tail`, so `tail` is put back to be searched by [`Self::resync`].
    fn check_trailer(&mut self, length: u64, tail: &[u8]) -> Result<(), (WarcErrorKind, Then)> {
        let mut end = [0u8; 4];
        let mut n = 0;
        while n < end.len() {
            match self.input.read(&mut end[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err((WarcErrorKind::Io(e), Then::Stop)),
            }
        }
        let end = &end[..n];
        if end == b"\r\n\r\n" {
            return Ok(());
        }
        if end.starts_with(b"\n\n") {
            self.input.unread(&end[2..]);
            return Ok(());
        }
        if n < 4 && end.iter().all(|&b| b == b'\r' || b == b'\n') {
            // The stream ends right after the block: only the end marker is missing.
            return Ok(());
        }
        let mut back = Vec::with_capacity(tail.len() + end.len());
        back.extend_from_slice(tail);
        back.extend_from_slice(end);
        self.input.unread(&back);
        Err((
            WarcErrorKind::LengthMismatch { declared: length },
            Then::Resync,
        ))
    }

    /// Skips to the next line starting with `WARC/1.` (left unread) or to the end.
    fn resync(&mut self) -> io::Result<()> {
        loop {
            let n = self.input.read_line(&mut self.line, 64)?;
            if n == 0 {
                return Ok(());
            }
            if n == self.line.len() && self.line.starts_with(VERSION_PREFIX) {
                self.input.unread(&self.line);
                return Ok(());
            }
        }
    }
}

impl<R: BufRead> Iterator for WarcReader<R> {
    type Item = Result<WarcRecord, WarcError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(error) = self.pending.take() {
            return Some(Err(error));
        }
        if self.done {
            return None;
        }
        match self.read_record() {
            Ok(Some(record)) => Some(Ok(record)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err((error, then)) => {
                match then {
                    Then::Continue => {}
                    Then::Stop => self.done = true,
                    Then::Resync => {
                        if let Err(e) = self.resync() {
                            self.done = true;
                            self.pending = Some(WarcError {
                                record: None,
                                offset: self.input.position(),
                                kind: WarcErrorKind::Io(e),
                            });
                        }
                    }
                }
                Some(Err(error))
            }
        }
    }
}

/// Record kinds whose block is read: those that can hold a page.
fn keeps_block(kind: &str) -> bool {
    ["response", "resource", "conversion"]
        .iter()
        .any(|k| kind.eq_ignore_ascii_case(k))
}

fn is_blank(line: &[u8]) -> bool {
    line == b"\r\n" || line == b"\n"
}

fn bad_header(line: &[u8]) -> WarcErrorKind {
    let text = String::from_utf8_lossy(line.trim_ascii_end());
    WarcErrorKind::BadHeader {
        line: text.chars().take(80).collect(),
    }
}

fn strip_angle_brackets(value: String) -> String {
    match value.strip_prefix('<').and_then(|v| v.strip_suffix('>')) {
        Some(inner) => inner.to_string(),
        None => value,
    }
}

/// The WARC header fields the reader keeps.
#[derive(Debug, Default)]
struct RecordHeader {
    kind: Option<String>,
    target_uri: Option<String>,
    date: Option<String>,
    content_type: Option<String>,
    length: Option<String>,
    truncated: bool,
}

/// A WARC header field the reader keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Type,
    TargetUri,
    Date,
    ContentType,
    ContentLength,
    Truncated,
}

impl Field {
    fn of(name: &[u8]) -> Option<Field> {
        [
            (&b"WARC-Type"[..], Field::Type),
            (b"WARC-Target-URI", Field::TargetUri),
            (b"WARC-Date", Field::Date),
            (b"Content-Type", Field::ContentType),
            (b"Content-Length", Field::ContentLength),
            (b"WARC-Truncated", Field::Truncated),
        ]
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, f)| f)
    }
}

impl RecordHeader {
    fn field(&mut self, field: Field) -> Option<&mut String> {
        let slot = match field {
            Field::Type => &mut self.kind,
            Field::TargetUri => &mut self.target_uri,
            Field::Date => &mut self.date,
            Field::ContentType => &mut self.content_type,
            Field::ContentLength => &mut self.length,
            Field::Truncated => return None,
        };
        Some(slot.get_or_insert_with(String::new))
    }
}

#[cfg(test)]
mod tests;
