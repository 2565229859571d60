//! The HTTP response inside a WARC `response` record: status line and headers parsed, body
//! freed of chunked transfer-encoding and of `gzip`, `deflate` or `br` content-encoding.

use super::WarcErrorKind;
use std::io::Read;

/// The status and headers of an archived HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HttpPayload {
    /// Status code (200, 404, 301, ...).
    pub status: u16,
    /// Header names and values in order, as written (names keep their case).
    pub headers: Vec<(String, String)>,
}

impl HttpPayload {
    /// The value of the last header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .rev()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Splits an HTTP response block into its status and headers, and its body.
pub(super) fn parse_http(mut block: Vec<u8>) -> Result<(HttpPayload, Vec<u8>), &'static str> {
    let mut lines = Lines {
        data: &block,
        at: 0,
    };
    let status_line = lines.next().ok_or("empty block")?;
    let mut parts = status_line.split(|b| b.is_ascii_whitespace());
    let version = parts.next().unwrap_or_default();
    if !version.starts_with(b"HTTP/") {
        return Err("no HTTP/ status line");
    }
    let code = parts.find(|p| !p.is_empty()).unwrap_or_default();
    let status = std::str::from_utf8(code)
        .ok()
        .filter(|c| c.len() == 3)
        .and_then(|c| c.parse::<u16>().ok())
        .ok_or("invalid status code")?;
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines.by_ref() {
        let line = line.trim_ascii_end();
        if line.is_empty() {
            break;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(&String::from_utf8_lossy(line.trim_ascii()));
            }
            continue;
        }
        // Lines without a colon are skipped: real servers send odd things.
        if let Some(colon) = line.iter().position(|&b| b == b':') {
            let name = String::from_utf8_lossy(line[..colon].trim_ascii()).into_owned();
            let value = String::from_utf8_lossy(line[colon + 1..].trim_ascii()).into_owned();
            headers.push((name, value));
        }
    }
    let body_start = lines.at;
    block.drain(..body_start);
    Ok((HttpPayload { status, headers }, block))
}

/// Lines of a byte slice, without their line ends (CRLF or LF); `at` is where the rest starts.
struct Lines<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let rest = &self.data[self.at..];
        if rest.is_empty() {
            return None;
        }
        let end = rest.iter().position(|&b| b == b'\n');
        let (line, used) = match end {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.at += used;
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    }
}

/// Undoes the transfer- and content-encodings of an HTTP body.
pub(super) fn decode_body(
    http: &HttpPayload,
    body: Vec<u8>,
    limit: u64,
    truncated: bool,
) -> Result<Vec<u8>, WarcErrorKind> {
    let chunked = http
        .header("transfer-encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    let mut body = if chunked {
        dechunk(&body).unwrap_or(body)
    } else {
        body
    };
    let Some(encodings) = http.header("content-encoding") else {
        return Ok(body);
    };
    // Encodings are listed in the order they were applied: undo the last first.
    for encoding in encodings.rsplit(',').map(str::trim) {
        body = match encoding.to_ascii_lowercase().as_str() {
            "" | "identity" => body,
            // Archives sometimes keep the header but store the body decoded: check the magic.
            "gzip" | "x-gzip" if !body.starts_with(&[0x1f, 0x8b]) => body,
            "gzip" | "x-gzip" => inflate(
                flate2::read::MultiGzDecoder::new(&body[..]),
                "gzip",
                limit,
                truncated,
            )?,
            "deflate" => {
                let zlib = body.len() >= 2
                    && body[0] & 0x0f == 8
                    && (u16::from(body[0]) << 8 | u16::from(body[1])) % 31 == 0;
                if zlib {
                    inflate(
                        flate2::read::ZlibDecoder::new(&body[..]),
                        "deflate",
                        limit,
                        truncated,
                    )?
                } else {
                    inflate(
                        flate2::read::DeflateDecoder::new(&body[..]),
                        "deflate",
                        limit,
                        truncated,
                    )?
                }
            }
            "br" => inflate(
                brotli_decompressor::Decompressor::new(&body[..], 8192),
                "br",
                limit,
                truncated,
            )?,
            _ => {
                return Err(WarcErrorKind::UnsupportedEncoding {
                    encoding: encoding.to_string(),
                })
            }
        };
    }
    Ok(body)
}

/// Reads a decoder to the end, at most `limit` bytes. A record the crawler marked as
/// truncated keeps what could be decoded.
fn inflate(
    decoder: impl Read,
    encoding: &'static str,
    limit: u64,
    truncated: bool,
) -> Result<Vec<u8>, WarcErrorKind> {
    let mut out = Vec::new();
    match decoder.take(limit.saturating_add(1)).read_to_end(&mut out) {
        Ok(_) if out.len() as u64 > limit => Err(WarcErrorKind::DecodedTooLarge { limit }),
        Ok(_) => Ok(out),
        Err(_) if truncated && !out.is_empty() => Ok(out),
        Err(source) => Err(WarcErrorKind::Encoding { encoding, source }),
    }
}

/// Undoes chunked transfer-encoding; `None` when the body is not chunked after all.
/// A body cut short keeps the chunks it has.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut lines = Lines { data: body, at: 0 };
    let mut first = true;
    while let Some(line) = lines.next() {
        let digits = line.split(|&b| b == b';').next().unwrap_or_default();
        let size = std::str::from_utf8(digits)
            .ok()
            .and_then(|d| usize::from_str_radix(d.trim(), 16).ok());
        let Some(size) = size else {
            if first {
                return None;
            }
            break;
        };
        first = false;
        if size == 0 {
            break;
        }
        let start = lines.at;
        let end = start.saturating_add(size).min(body.len());
        out.extend_from_slice(&body[start..end]);
        lines.at = end;
        // The CRLF after the chunk data.
        if body[end..].starts_with(b"\r\n") {
            lines.at += 2;
        } else if body[end..].starts_with(b"\n") {
            lines.at += 1;
        }
    }
    Some(out)
}
