//! Ingest: find files, open them (decompressing and unpacking transparently), sniff their
//! format by content, and hand each record to the format's reader, which yields
//! [`RawArticle`]s.
//!
//! A file is a stream of layers: compression (`gzip`, `zstd`, `bzip2`, `xz`), containers
//! (`zip`, `tar`, nested in any order), then one document format recognised by its first
//! bytes, never by its name alone. Everything is read in a stream; only single documents (one
//! JSON, HTML, XML or text file) are held in memory whole, and all of it is capped by
//! `max_bytes` of decompressed data per file, which defuses zip bombs.
//!
//! Errors are per file, per archive member or per record: a bad member or record is reported
//! through the callback and reading goes on with the next one.

mod container;
mod decode;
mod feed;
mod html;
pub mod json;
mod raw;
mod sgml;
pub mod text;
mod walk;
mod warc;
mod wirexml;

pub use decode::{decode, looks_binary};
pub use raw::RawArticle;
pub use walk::{locator, walk};

use crate::article::{Format, SourceRef};
use crate::error::{Error, Result, UnsupportedReason};
use std::cell::Cell;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Default cap on the size of one file after decompression (a guard against zip bombs).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 1 << 30;

/// How many bytes are looked at to recognise a format.
const SNIFF_BYTES: usize = 64 * 1024;

/// The largest WARC record read (bigger ones are skipped and reported).
const MAX_WARC_RECORD_BYTES: u64 = 64 << 20;

/// Archives nested deeper than this are not opened (a zip in a tar in a zip... is fine).
const MAX_DEPTH: usize = 6;

/// Read every article of one file, calling `emit` for each article or per-record problem.
///
/// Returns the format of the file's articles (for an archive: of its first readable
/// member), or the error that made the whole file unreadable.
pub fn read_file(
    path: &Path,
    max_bytes: u64,
    emit: &mut dyn FnMut(Result<RawArticle>),
) -> Result<Format> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut ctx = Ctx {
        path,
        display: display_path(path),
        budget: Rc::new(Cell::new(max_bytes)),
        limit: max_bytes,
        emit,
        format: None,
        member_errors: 0,
    };
    let mut head = [0u8; 4];
    let n = (&file).read(&mut head).map_err(|e| Error::io(path, e))?;
    if head[..n].starts_with(container::ZIP_MAGIC) {
        // A zip file on disk is read through its central directory (robust, seekable).
        container::read_zip_file(&mut ctx, file)?;
    } else {
        use std::io::Seek;
        let mut file = file;
        file.rewind().map_err(|e| Error::io(path, e))?;
        let reader = BufReader::with_capacity(SNIFF_BYTES, ctx.limited(Box::new(file)));
        ctx.read_stream(Box::new(reader), &Layer::default())?;
    }
    match ctx.format {
        Some(format) => Ok(format),
        // An archive whose members were all unreadable: each was reported already.
        None if ctx.member_errors > 0 => Err(Error::Unsupported {
            path: path.to_path_buf(),
            reason: UnsupportedReason::NoReadableMember,
        }),
        None => Err(Error::Unsupported {
            path: path.to_path_buf(),
            reason: UnsupportedReason::Empty,
        }),
    }
}

/// Where in a file a stream is: inside which archive member, under which codecs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Layer {
    /// The member path inside archives, nested members joined by `!/`.
    member: Option<String>,
    /// Codecs and containers from the outside in.
    codecs: Vec<&'static str>,
    /// How many archives deep.
    depth: usize,
}

impl Layer {
    fn with_codec(&self, codec: &'static str) -> Layer {
        let mut layer = self.clone();
        layer.codecs.push(codec);
        layer
    }

    fn with_member(&self, container: &'static str, name: &str) -> Layer {
        Layer {
            member: Some(match &self.member {
                Some(outer) => format!("{outer}!/{name}"),
                None => name.to_string(),
            }),
            codecs: {
                let mut c = self.codecs.clone();
                c.push(container);
                c
            },
            depth: self.depth + 1,
        }
    }

    /// The name the stream has: the member's name inside an archive, else the file's.
    fn name<'a>(&'a self, path: &'a Path) -> String {
        let name = match &self.member {
            Some(m) => m.rsplit('/').next().unwrap_or(m).to_string(),
            None => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        let mut name = name.to_lowercase();
        for ext in [".gz", ".zst", ".bz2", ".xz"] {
            if let Some(stem) = name.strip_suffix(ext) {
                name = stem.to_string();
            }
        }
        name
    }
}

/// What is being read: one file on disk, with its decompression budget and callback.
pub(crate) struct Ctx<'a> {
    path: &'a Path,
    display: String,
    /// Decompressed bytes still allowed for this file, shared by every layer.
    budget: Rc<Cell<u64>>,
    limit: u64,
    emit: &'a mut dyn FnMut(Result<RawArticle>),
    /// Format of the first document read.
    format: Option<Format>,
    /// Archive members that could not be read (each reported).
    member_errors: usize,
}

/// What the first bytes of a stream say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Codec(&'static str),
    Zip,
    Tar,
    Doc(Format),
    Warc,
}

impl<'a> Ctx<'a> {
    /// A reader that counts what passes against the file's budget.
    fn limited<'r>(&self, inner: Box<dyn Read + 'r>) -> Box<dyn Read + 'r> {
        Box::new(LimitedReader {
            inner,
            budget: Rc::clone(&self.budget),
            limit: self.limit,
        })
    }

    /// The path to name in messages about `layer`: `file!/member` inside archives.
    fn path_of(&self, layer: &Layer) -> PathBuf {
        match &layer.member {
            Some(m) => PathBuf::from(format!("{}!/{m}", self.path.display())),
            None => self.path.to_path_buf(),
        }
    }

    fn source(&self, layer: &Layer, format: Format) -> SourceRef {
        SourceRef {
            path: self.display.clone(),
            format,
            compression: (!layer.codecs.is_empty()).then(|| layer.codecs.join("+")),
            member: layer.member.clone(),
            record: None,
            given: Some(self.path.to_string_lossy().into_owned()),
            locator: None,
        }
    }

    fn io_error(&self, layer: &Layer, e: std::io::Error) -> Error {
        reader_error(&self.path_of(layer), layer.codecs.last().copied(), e)
    }

    /// Report a problem with one member or record; reading goes on.
    fn warn(&mut self, e: Error) {
        (self.emit)(Err(e));
    }

    /// Read one stream: peel compression, open containers, or read the document.
    pub(crate) fn read_stream(
        &mut self,
        mut input: Box<dyn BufRead + '_>,
        layer: &Layer,
    ) -> Result<()> {
        let head = fill(&mut input, SNIFF_BYTES).map_err(|e| self.io_error(layer, e))?;
        let kind = sniff(&self.path_of(layer), &layer.name(self.path), &head)?;
        match kind {
            Kind::Codec(codec) => {
                if layer.codecs.len() > MAX_DEPTH {
                    return Err(self.too_deep(layer));
                }
                let decoded = container::decoder(codec, input)
                    .map_err(|e| self.io_error(&layer.with_codec(codec), e))?;
                let reader = BufReader::with_capacity(SNIFF_BYTES, self.limited(decoded));
                self.read_stream(Box::new(reader), &layer.with_codec(codec))
            }
            Kind::Zip | Kind::Tar if layer.depth >= MAX_DEPTH => Err(self.too_deep(layer)),
            Kind::Zip => container::read_zip_stream(self, input, layer),
            Kind::Warc => self.read_warc(input, layer),
            Kind::Tar => container::read_tar(self, input, layer),
            Kind::Doc(Format::Jsonl) => {
                // Read line by line, never whole: like a web archive, capped per record (a
                // line), not per file, so an export of millions of articles is read to its end.
                let line_cap = self.limit.min(MAX_WARC_RECORD_BYTES);
                self.budget.set(u64::MAX);
                let source = self.source(layer, Format::Jsonl);
                self.format.get_or_insert(Format::Jsonl);
                let path = self.path_of(layer);
                let codec = layer.codecs.last().copied();
                read_jsonl(&path, codec, &mut input, line_cap, &source, self.emit)
            }
            Kind::Doc(format) => {
                let bytes = self.read_document(input, layer)?;
                self.read_document_bytes(&bytes, format, layer)
            }
        }
    }

    /// A web archive: every HTML page it captured goes through the HTML reader, with the
    /// target URI as url and the capture date as a fallback date. Records are read one at a
    /// time; a crawl of any size is never in memory, so the file's decompression budget is
    /// replaced by a per-record cap.
    fn read_warc(&mut self, input: Box<dyn BufRead + '_>, layer: &Layer) -> Result<()> {
        let path = self.path_of(layer);
        let record_cap = self.limit.min(MAX_WARC_RECORD_BYTES);
        self.budget.set(u64::MAX);
        self.format.get_or_insert(Format::Warc);
        let (mut empty, mut first_empty) = (0u64, 0u64);
        for record in warc::WarcReader::new(input, record_cap) {
            let record = match record {
                Ok(record) => record,
                Err(e) => {
                    let e = match e.kind {
                        warc::WarcErrorKind::Io(io) => self.io_error(layer, io),
                        _ => e.into_error(&path),
                    };
                    self.warn(e);
                    continue;
                }
            };
            if !record.is_html_page() {
                continue;
            }
            let mut source = self.source(layer, Format::Warc);
            source.record = Some(record.number);
            let charset = record
                .content_type
                .as_deref()
                .and_then(|t| t.split(';').find_map(|p| p.trim().strip_prefix("charset=")))
                .map(|c| c.trim_matches('"').to_string());
            let (url, date) = (record.target_uri.clone(), record.date.clone());
            let emit = &mut *self.emit;
            let result = html::read_page(
                &path,
                &record.payload,
                charset.as_deref(),
                source,
                &mut |raw| {
                    emit(raw.map(|mut raw| {
                        raw.url = raw.url.or(url.clone());
                        raw.fallback_date = date.clone();
                        raw
                    }))
                },
            );
            match result {
                Ok(()) => {}
                Err(Error::Unsupported {
                    reason: UnsupportedReason::NoArticle(_),
                    ..
                }) => {
                    empty += 1;
                    if first_empty == 0 {
                        first_empty = record.number;
                    }
                }
                Err(e) => self.warn(e),
            }
        }
        if empty > 0 {
            self.warn(Error::NotArticles {
                path,
                records: empty,
                first: first_empty,
            });
        }
        Ok(())
    }

    fn too_deep(&self, layer: &Layer) -> Error {
        Error::Unsupported {
            path: self.path_of(layer),
            reason: UnsupportedReason::TooDeep,
        }
    }

    /// The whole of a single-document stream (within the file's budget).
    fn read_document(&self, mut input: Box<dyn BufRead + '_>, layer: &Layer) -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        input
            .read_to_end(&mut bytes)
            .map_err(|e| self.io_error(layer, e))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(Error::Unsupported {
                path: self.path_of(layer),
                reason: UnsupportedReason::Empty,
            });
        }
        Ok(bytes)
    }

    /// Read a document of a known format whose bytes are all in memory.
    fn read_document_bytes(&mut self, bytes: &[u8], format: Format, layer: &Layer) -> Result<()> {
        let path = self.path_of(layer);
        let source = self.source(layer, format);
        match format {
            Format::Json if feed::is_json_feed_document(bytes) => {
                let feed_source = self.source(layer, Format::Feed);
                // A JSON Feed that strays from the spec (tags as a string...) is still JSON
                // with an `items` list: the JSON reader takes it then.
                let mut items = Vec::new();
                match feed::read(&path, bytes, &feed_source, &mut |r| items.push(r)) {
                    Ok(()) => {
                        items.into_iter().for_each(|r| (self.emit)(r));
                        self.format.get_or_insert(Format::Feed);
                        return Ok(());
                    }
                    Err(_) => {
                        let (text, _) = decode(bytes);
                        let items = serde_json::from_str::<serde_json::Value>(&text)
                            .ok()
                            .and_then(|mut v| v.get_mut("items").map(serde_json::Value::take));
                        match items {
                            Some(items) => read_json_value(&path, items, &source, self.emit),
                            None => read_json(&path, &text, &source, self.emit)?,
                        }
                    }
                }
            }
            Format::Json => {
                let (text, _) = decode(bytes);
                read_json(&path, &text, &source, self.emit)?;
            }
            Format::Feed => {
                feed::read(&path, bytes, &source, self.emit)?;
            }
            Format::Text | Format::Api => {
                let (text, _) = decode(bytes);
                if let Some(what) = text::not_prose(&text) {
                    return Err(Error::Unsupported {
                        path,
                        reason: UnsupportedReason::NoArticle(what),
                    });
                }
                (self.emit)(Ok(text::read(&text, source)));
            }
            Format::Html => {
                html::read(&path, bytes, source, self.emit)?;
            }
            Format::Sgml => {
                let (text, _) = decode(bytes);
                sgml::read_reuters_sgml(&text, &source, self.emit)?;
            }
            Format::Nitf | Format::NewsMl => {
                let (text, _) = decode(bytes);
                let kind = if format == Format::Nitf {
                    wirexml::WireKind::Nitf
                } else {
                    wirexml::WireKind::NewsMlG2
                };
                wirexml::read_wire_xml(kind, &text, &source, self.emit)?;
            }
            Format::Warc | Format::Jsonl => {
                return Err(Error::Unsupported {
                    path,
                    reason: UnsupportedReason::Markup,
                });
            }
        }
        self.format.get_or_insert(format);
        Ok(())
    }
}

/// Fill `input`'s buffer with up to `want` bytes (or to the end) and return a copy.
fn fill(input: &mut Box<dyn BufRead + '_>, want: usize) -> std::io::Result<Vec<u8>> {
    // One `fill_buf` may return less than the buffer holds (a decoder's first block), so
    // look at what is there, and read on through a peek-able copy when it is short.
    let first = input.fill_buf()?;
    if first.len() >= want.min(4096) || first.is_empty() {
        return Ok(first[..first.len().min(want)].to_vec());
    }
    // Rare: a short first block. Read more into a side buffer and chain it back.
    let mut head = first.to_vec();
    let len = head.len();
    input.consume(len);
    let mut more = vec![0u8; want - len];
    let mut got = 0;
    while got < more.len() {
        let n = input.read(&mut more[got..])?;
        if n == 0 {
            break;
        }
        got += n;
    }
    head.extend_from_slice(&more[..got]);
    let taken = std::mem::replace(input, Box::new(std::io::empty()));
    *input = Box::new(BufReader::new(
        std::io::Cursor::new(head.clone()).chain(taken),
    ));
    Ok(head)
}

/// Recognise what a stream holds from its first bytes (after any decompression) and name.
fn sniff(path: &Path, name: &str, head: &[u8]) -> Result<Kind> {
    let unsupported = |reason| {
        Err(Error::Unsupported {
            path: path.to_path_buf(),
            reason,
        })
    };
    if head.iter().all(u8::is_ascii_whitespace) {
        return unsupported(UnsupportedReason::Empty);
    }
    if let Some(codec) = container::codec_of(head) {
        return Ok(Kind::Codec(codec));
    }
    if head.starts_with(container::ZIP_MAGIC) {
        return Ok(Kind::Zip);
    }
    if container::is_tar(head) {
        return Ok(Kind::Tar);
    }
    if warc::looks_like_warc(head) {
        return Ok(Kind::Warc);
    }
    if looks_binary(head) {
        return unsupported(UnsupportedReason::Binary);
    }
    let (text, _) = decode(head);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with("<!")
        && wirexml::root_element(trimmed).is_none()
        && ["<!ELEMENT", "<!ENTITY", "<!ATTLIST"]
            .iter()
            .any(|d| trimmed.contains(d))
    {
        return unsupported(UnsupportedReason::NoArticle("a DTD, not a document"));
    }
    if trimmed.starts_with('<') {
        return Ok(markup_kind(trimmed));
    }
    if trimmed.starts_with('[') {
        return Ok(Kind::Doc(Format::Json));
    }
    if trimmed.starts_with('{') {
        if name.ends_with(".jsonl") || name.ends_with(".ndjson") || name.ends_with(".jsonlines") {
            return Ok(Kind::Doc(Format::Jsonl));
        }
        // JSONL when the first line is a complete object and another object follows it.
        let mut lines = trimmed.lines().filter(|l| !l.trim().is_empty());
        if let (Some(first), Some(second)) = (lines.next(), lines.next()) {
            if second.trim_start().starts_with('{')
                && serde_json::from_str::<serde_json::Value>(first).is_ok()
            {
                return Ok(Kind::Doc(Format::Jsonl));
            }
        }
        return Ok(Kind::Doc(Format::Json));
    }
    Ok(Kind::Doc(Format::Text))
}

/// Which markup format a document starting with `<` is, by its root element.
fn markup_kind(text: &str) -> Kind {
    if sgml::looks_like_reuters_sgml(text) {
        return Kind::Doc(Format::Sgml);
    }
    match wirexml::wire_kind(text) {
        Some(wirexml::WireKind::Nitf) => return Kind::Doc(Format::Nitf),
        Some(wirexml::WireKind::NewsMlG2) => return Kind::Doc(Format::NewsMl),
        None => {}
    }
    let root = wirexml::root_element(text).map_or("", |(name, _)| name);
    let local = root.rsplit(':').next().unwrap_or(root).to_ascii_lowercase();
    match local.as_str() {
        "rss" | "rdf" | "feed" | "channel" => Kind::Doc(Format::Feed),
        _ => Kind::Doc(Format::Html),
    }
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
    read_json_value(path, value, source, emit);
    Ok(())
}

fn read_json_value(
    path: &Path,
    value: serde_json::Value,
    source: &SourceRef,
    emit: &mut dyn FnMut(Result<RawArticle>),
) {
    let mut out = Vec::new();
    let empty = json::read_value(value, source, &mut out);
    for raw in out {
        emit(Ok(raw));
    }
    if let Some(e) = Error::not_articles(path, &empty) {
        emit(Err(e));
    }
}

fn read_jsonl(
    path: &Path,
    codec: Option<&'static str>,
    input: &mut dyn BufRead,
    line_cap: u64,
    source: &SourceRef,
    emit: &mut dyn FnMut(Result<RawArticle>),
) -> Result<()> {
    let mut line = Vec::new();
    let mut number = 0u64;
    // Records that are valid JSON but hold no article: reported once for the file.
    let mut not_articles = (0u64, 0u64);
    loop {
        line.clear();
        let (n, whole) = read_line_capped(input, &mut line, line_cap)
            .map_err(|e| reader_error(path, codec, e))?;
        if n > 0 && !whole {
            number += 1;
            emit(Err(Error::LineTooLong {
                path: path.to_path_buf(),
                line: number,
                limit: line_cap,
            }));
            continue;
        }
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

/// Read one line (up to and with its `\n`) into `line`, keeping at most `cap` bytes: returns
/// the bytes read (0 at the end) and whether the line was whole; a longer line's rest is read
/// and dropped.
fn read_line_capped(
    input: &mut dyn BufRead,
    line: &mut Vec<u8>,
    cap: u64,
) -> std::io::Result<(usize, bool)> {
    let n = std::io::Read::take(&mut *input, cap).read_until(b'\n', line)?;
    if n == 0 || line.last() == Some(&b'\n') || (n as u64) < cap {
        return Ok((n, true));
    }
    // Over the cap: skip to the end of the line.
    let mut skipped = n;
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok((skipped, false));
        }
        match memchr::memchr(b'\n', buf) {
            Some(i) => {
                input.consume(i + 1);
                return Ok((skipped + i + 1, false));
            }
            None => {
                let len = buf.len();
                skipped += len;
                input.consume(len);
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

/// A reader that fails with [`OverLimit`] once the file's shared budget of decompressed
/// bytes is spent.
struct LimitedReader<'a> {
    inner: Box<dyn Read + 'a>,
    budget: Rc<Cell<u64>>,
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
        let left = self.budget.get();
        if left == 0 {
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
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.budget.set(left - n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_kinds() {
        let kind = markup_kind;
        assert_eq!(
            kind("<?xml version=\"1.0\"?>\n<!-- c -->\n<rss version=\"2.0\">"),
            Kind::Doc(Format::Feed)
        );
        assert_eq!(
            kind("<!DOCTYPE nitf SYSTEM \"nitf.dtd\">\n<nitf>"),
            Kind::Doc(Format::Nitf)
        );
        assert_eq!(
            kind("<!doctype html>\n<html lang=en>"),
            Kind::Doc(Format::Html)
        );
        assert_eq!(kind("<rdf:RDF xmlns=\"x\">"), Kind::Doc(Format::Feed));
        assert_eq!(
            kind("<feed xmlns=\"http://www.w3.org/2005/Atom\">"),
            Kind::Doc(Format::Feed)
        );
        assert_eq!(kind("<newsMessage xmlns=\"x\">"), Kind::Doc(Format::NewsMl));
        assert_eq!(
            kind("<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS NEWID=\"1\">"),
            Kind::Doc(Format::Sgml)
        );
        assert_eq!(kind("<html><body><p>x"), Kind::Doc(Format::Html));
        assert_eq!(kind("<div>fragment</div>"), Kind::Doc(Format::Html));
    }

    #[test]
    fn layer_names_strip_codec_extensions() {
        let layer = Layer::default().with_member("zip", "in/Story.JSONL.gz");
        assert_eq!(layer.name(Path::new("x.zip")), "story.jsonl");
        assert_eq!(layer.member.as_deref(), Some("in/Story.JSONL.gz"));
        let nested = layer.with_member("tar", "a.txt");
        assert_eq!(nested.member.as_deref(), Some("in/Story.JSONL.gz!/a.txt"));
        assert_eq!(nested.codecs, vec!["zip", "tar"]);
    }
}
