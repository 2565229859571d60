//! Tests of the WARC reader on records built here and on `tests/data/warc/`.

use super::*;
use flate2::write::{DeflateEncoder, GzEncoder, ZlibEncoder};
use flate2::Compression;
use std::io::{BufReader, Cursor, Write};

const PAGE: &str = "<!DOCTYPE html>\n<html><head><title>Harbour bridge reopens</title></head>\n\
<body><article><h1>Harbour bridge reopens</h1><p>The old swing bridge opened again on Monday \
after two years of repairs.</p></article></body></html>\n";

const CAP: u64 = 1 << 20;

/// One WARC record: version line, the given headers plus Content-Length, block, CRLF CRLF.
fn record(kind: &str, headers: &[(&str, &str)], block: &[u8]) -> Vec<u8> {
    let mut out = format!("WARC/1.1\r\nWARC-Type: {kind}\r\n").into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", block.len()).as_bytes());
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// An HTTP response block.
fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n").into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

/// A response record for `uri` holding `block`.
fn response(uri: &str, block: &[u8]) -> Vec<u8> {
    record(
        "response",
        &[
            ("WARC-Target-URI", uri),
            ("WARC-Date", "2024-03-04T10:15:00Z"),
            (
                "WARC-Record-ID",
                "<urn:uuid:6a1d0c52-0000-4000-8000-000000000001>",
            ),
            ("Content-Type", "application/http; msgtype=response"),
        ],
        block,
    )
}

fn html_response(uri: &str) -> Vec<u8> {
    let block = http(
        "200 OK",
        &[("Content-Type", "text/html; charset=utf-8")],
        PAGE.as_bytes(),
    );
    response(uri, &block)
}

fn request(uri: &str) -> Vec<u8> {
    let block = format!("GET / HTTP/1.1\r\nHost: {uri}\r\n\r\n");
    record(
        "request",
        &[
            ("WARC-Target-URI", uri),
            ("Content-Type", "application/http; msgtype=request"),
        ],
        block.as_bytes(),
    )
}

fn read_all(bytes: &[u8]) -> Vec<Result<WarcRecord, WarcError>> {
    WarcReader::new(Cursor::new(bytes), CAP).collect()
}

fn records(items: &[Result<WarcRecord, WarcError>]) -> Vec<&WarcRecord> {
    items.iter().filter_map(|r| r.as_ref().ok()).collect()
}

fn errors(items: &[Result<WarcRecord, WarcError>]) -> Vec<&WarcError> {
    items.iter().filter_map(|r| r.as_ref().err()).collect()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

/// A minimal brotli stream: one uncompressed meta-block (at most 65536 bytes), then an empty
/// last meta-block. Built by hand so the tests need no brotli encoder.
fn brotli_stored(data: &[u8]) -> Vec<u8> {
    assert!(!data.is_empty() && data.len() <= 65536);
    let m = (data.len() - 1) as u32;
    // Bits, LSB first: WBITS=16 (0), ISLAST=0, MNIBBLES=4 (00), MLEN-1 (16 bits),
    // ISUNCOMPRESSED=1, then padding to the byte boundary.
    let header = (m << 4) | (1 << 20);
    let mut out = vec![header as u8, (header >> 8) as u8, (header >> 16) as u8];
    out.extend_from_slice(data);
    out.push(0x03); // ISLAST=1, ISLASTEMPTY=1
    out
}

#[test]
fn warc_reads_records_in_order_with_offsets() {
    let info = record(
        "warcinfo",
        &[("Content-Type", "application/warc-fields")],
        b"software: test\r\n",
    );
    let req = request("https://news.example/bridge");
    let resp = html_response("https://news.example/bridge");
    let mut file = info.clone();
    file.extend_from_slice(&req);
    file.extend_from_slice(&resp);
    let items = read_all(&file);
    assert_eq!(items.len(), 3);
    let recs = records(&items);
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[0].kind, "warcinfo");
    assert!(recs[0].payload.is_empty(), "warcinfo block is skipped");
    assert_eq!(recs[1].kind, "request");
    assert!(recs[1].payload.is_empty());
    assert_eq!(recs[1].offset, info.len() as u64);
    let page = recs[2];
    assert_eq!(page.number, 3);
    assert_eq!(page.offset, (info.len() + req.len()) as u64);
    assert_eq!(
        page.target_uri.as_deref(),
        Some("https://news.example/bridge")
    );
    assert_eq!(page.date.as_deref(), Some("2024-03-04T10:15:00Z"));
    assert_eq!(page.http.as_ref().map(|h| h.status), Some(200));
    assert_eq!(
        page.content_type.as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.payload, PAGE.as_bytes());
    assert!(page.is_html_page());
}

#[test]
fn warc_resource_record_keeps_its_block_and_type() {
    let file = record(
        "resource",
        &[
            ("WARC-Target-URI", "<file:///archive/story.html>"),
            ("Content-Type", "text/html"),
        ],
        PAGE.as_bytes(),
    );
    let items = read_all(&file);
    let recs = records(&items);
    assert_eq!(recs.len(), 1);
    assert_eq!(
        recs[0].target_uri.as_deref(),
        Some("file:///archive/story.html")
    );
    assert_eq!(recs[0].content_type.as_deref(), Some("text/html"));
    assert!(recs[0].http.is_none());
    assert_eq!(recs[0].payload, PAGE.as_bytes());
    assert!(recs[0].is_html_page());
}

#[test]
fn warc_undoes_chunked_and_gzip() {
    let zipped = gzip(PAGE.as_bytes());
    let mut chunked = Vec::new();
    for part in zipped.chunks(40) {
        chunked.extend_from_slice(format!("{:x};ext=1\r\n", part.len()).as_bytes());
        chunked.extend_from_slice(part);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let block = http(
        "200 OK",
        &[
            ("Content-Type", "text/html"),
            ("Transfer-Encoding", "chunked"),
            ("Content-Encoding", "gzip"),
        ],
        &chunked,
    );
    let items = read_all(&response("https://news.example/a", &block));
    let recs = records(&items);
    assert_eq!(recs.len(), 1, "{items:?}");
    assert_eq!(recs[0].payload, PAGE.as_bytes());
}

#[test]
fn warc_undoes_deflate_both_forms_and_brotli() {
    let mut zlib = ZlibEncoder::new(Vec::new(), Compression::default());
    zlib.write_all(PAGE.as_bytes()).unwrap();
    let mut raw = DeflateEncoder::new(Vec::new(), Compression::default());
    raw.write_all(PAGE.as_bytes()).unwrap();
    for (encoding, body) in [
        ("deflate", zlib.finish().unwrap()),
        ("deflate", raw.finish().unwrap()),
        ("br", brotli_stored(PAGE.as_bytes())),
        ("identity", PAGE.as_bytes().to_vec()),
        // Stored decoded despite the header: kept as it is.
        ("gzip", PAGE.as_bytes().to_vec()),
    ] {
        let block = http("200 OK", &[("Content-Encoding", encoding)], &body);
        let items = read_all(&response("https://news.example/b", &block));
        let recs = records(&items);
        assert_eq!(recs.len(), 1, "{encoding}: {items:?}");
        assert_eq!(recs[0].payload, PAGE.as_bytes(), "{encoding}");
        assert!(recs[0].is_html_page(), "untyped HTML is sniffed");
    }
}

#[test]
fn warc_bad_or_unknown_encoding_is_one_error_and_reading_goes_on() {
    let bad = http(
        "200 OK",
        &[("Content-Encoding", "gzip")],
        b"\x1f\x8b\x08\x00garbage",
    );
    let zstd = http("200 OK", &[("Content-Encoding", "zstd")], b"(\xb5/\xfd");
    let mut file = response("https://news.example/bad", &bad);
    file.extend_from_slice(&response("https://news.example/zstd", &zstd));
    file.extend_from_slice(&html_response("https://news.example/ok"));
    let items = read_all(&file);
    assert_eq!(items.len(), 3);
    let errs = errors(&items);
    assert!(matches!(
        errs[0].kind,
        WarcErrorKind::Encoding {
            encoding: "gzip",
            ..
        }
    ));
    assert!(matches!(
        errs[1].kind,
        WarcErrorKind::UnsupportedEncoding { .. }
    ));
    assert_eq!(records(&items)[0].number, 3);
}

#[test]
fn warc_decoded_payload_is_capped() {
    let big = vec![b'a'; 200_000];
    let block = http("200 OK", &[("Content-Encoding", "gzip")], &gzip(&big));
    let file = response("https://news.example/bomb", &block);
    let items: Vec<_> = WarcReader::new(Cursor::new(&file), 100_000).collect();
    assert_eq!(items.len(), 1);
    assert!(matches!(
        errors(&items)[0].kind,
        WarcErrorKind::DecodedTooLarge { limit: 100_000 }
    ));
}

#[test]
fn warc_per_record_gzip_through_multigzdecoder() {
    let mut plain = Vec::new();
    let mut gz = Vec::new();
    for part in [
        record("warcinfo", &[], b"software: test\r\n"),
        request("https://news.example/1"),
        html_response("https://news.example/1"),
        html_response("https://news.example/2"),
    ] {
        gz.extend_from_slice(&gzip(&part));
        plain.extend_from_slice(&part);
    }
    // A small buffer so records straddle gzip members and buffer refills.
    let decoder = flate2::bufread::MultiGzDecoder::new(BufReader::with_capacity(64, &gz[..]));
    let from_gz: Vec<_> = WarcReader::new(BufReader::with_capacity(100, decoder), CAP)
        .map(|r| r.unwrap())
        .collect();
    let from_plain: Vec<_> = read_all(&plain).into_iter().map(|r| r.unwrap()).collect();
    assert_eq!(from_gz.len(), 4);
    assert_eq!(from_gz, from_plain);
    assert_eq!(from_gz[3].payload, PAGE.as_bytes());
}

#[test]
fn warc_non_html_responses_are_not_pages() {
    let png = http(
        "200 OK",
        &[("Content-Type", "image/png")],
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    );
    let missing = http(
        "404 Not Found",
        &[("Content-Type", "text/html")],
        b"<html><body>Not found</body></html>",
    );
    let moved = http(
        "301 Moved Permanently",
        &[
            ("Location", "https://news.example/new"),
            ("Content-Length", "0"),
        ],
        b"",
    );
    let dns = record(
        "response",
        &[
            ("WARC-Target-URI", "dns:news.example"),
            ("Content-Type", "text/dns"),
        ],
        b"20240304101500\nnews.example.\t300\tIN\tA\t192.0.2.7\n",
    );
    let mut file = response("https://news.example/logo.png", &png);
    file.extend_from_slice(&response("https://news.example/gone", &missing));
    file.extend_from_slice(&response("https://news.example/old", &moved));
    file.extend_from_slice(&dns);
    let items = read_all(&file);
    let recs = records(&items);
    assert_eq!(recs.len(), 4, "{items:?}");
    assert_eq!(recs[0].content_type.as_deref(), Some("image/png"));
    assert_eq!(recs[1].http.as_ref().map(|h| h.status), Some(404));
    let redirect = recs[2].http.as_ref().unwrap();
    assert_eq!(redirect.status, 301);
    assert_eq!(
        redirect.header("location"),
        Some("https://news.example/new")
    );
    assert!(recs[3].http.is_none(), "DNS responses are not HTTP");
    assert_eq!(recs[3].content_type.as_deref(), Some("text/dns"));
    assert!(recs.iter().all(|r| !r.is_html_page()));
}

#[test]
fn warc_block_over_the_cap_is_skipped_and_reported() {
    let big = vec![b'x'; 5000];
    let block = http("200 OK", &[("Content-Type", "text/html")], &big);
    let mut file = response("https://news.example/huge", &block);
    file.extend_from_slice(&html_response("https://news.example/small"));
    let items: Vec<_> = WarcReader::new(Cursor::new(&file), 1000).collect();
    assert_eq!(items.len(), 2);
    let err = errors(&items)[0];
    assert_eq!(err.record, Some(1));
    assert!(matches!(
        err.kind,
        WarcErrorKind::TooLarge { size, limit: 1000 } if size == block.len() as u64
    ));
    assert!(err.to_string().contains("record 1"), "{err}");
    assert_eq!(records(&items)[0].number, 2);
}

/// Three good records with `corrupt` put between the first and the other two.
fn around(corrupt: &[u8]) -> Vec<u8> {
    let mut file = html_response("https://news.example/1");
    file.extend_from_slice(corrupt);
    file.extend_from_slice(&html_response("https://news.example/2"));
    file.extend_from_slice(&html_response("https://news.example/3"));
    file
}

/// One error, then the two good records after it.
fn assert_recovers(file: &[u8], check: impl Fn(&WarcError)) {
    let items = read_all(file);
    let errs = errors(&items);
    assert_eq!(errs.len(), 1, "{items:?}");
    check(errs[0]);
    let uris: Vec<_> = records(&items)
        .iter()
        .map(|r| r.target_uri.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        uris,
        [
            "https://news.example/1",
            "https://news.example/2",
            "https://news.example/3"
        ]
    );
}

#[test]
fn warc_bad_header_line_resyncs() {
    let first = html_response("https://news.example/1");
    let text = String::from_utf8(html_response("https://news.example/bad")).unwrap();
    let bad = text.replacen("WARC-Date: ", "WARC-Date ", 1);
    assert_recovers(&around(bad.as_bytes()), |e| {
        assert_eq!(e.record, Some(2));
        assert_eq!(e.offset, first.len() as u64);
        assert!(matches!(e.kind, WarcErrorKind::BadHeader { .. }), "{e}");
    });
}

#[test]
fn warc_missing_content_length_resyncs() {
    let text = String::from_utf8(html_response("https://news.example/bad")).unwrap();
    let bad = text.replacen("Content-Length", "Content-Lenght", 1);
    assert_recovers(&around(bad.as_bytes()), |e| {
        assert!(matches!(e.kind, WarcErrorKind::ContentLength { .. }), "{e}");
    });
}

/// A response record whose Content-Length is off by `delta`.
fn lying(delta: i64) -> Vec<u8> {
    let good = html_response("https://news.example/liar");
    let text = String::from_utf8(good).unwrap();
    let start = text.find("Content-Length: ").unwrap() + "Content-Length: ".len();
    let end = start + text[start..].find('\r').unwrap();
    let real: i64 = text[start..end].parse().unwrap();
    format!("{}{}{}", &text[..start], real + delta, &text[end..]).into_bytes()
}

#[test]
fn warc_content_length_too_short_resyncs() {
    for delta in [-1, -30, -200] {
        assert_recovers(&around(&lying(delta)), |e| {
            assert_eq!(e.record, Some(2));
            assert!(
                matches!(e.kind, WarcErrorKind::LengthMismatch { .. }),
                "{e}"
            );
        });
    }
}

#[test]
fn warc_content_length_too_long_resyncs_inside_the_block_read() {
    // Over-long by a little (next record's header swallowed) and by a lot (its block too).
    for delta in [2, 5, 40, 600] {
        assert_recovers(&around(&lying(delta)), |e| {
            assert!(
                matches!(e.kind, WarcErrorKind::LengthMismatch { .. }),
                "{delta}: {e}"
            );
        });
    }
    // The same for a record whose block is skipped (request).
    let text = String::from_utf8(request("https://news.example/r")).unwrap();
    let bad = text.replace("Content-Length: 48", "Content-Length: 90");
    assert_ne!(bad, text);
    assert_recovers(&around(bad.as_bytes()), |e| {
        assert!(matches!(e.kind, WarcErrorKind::LengthMismatch { .. }));
    });
}

#[test]
fn warc_garbage_between_records_is_one_error() {
    let first = html_response("https://news.example/1");
    let garbage = b"this is not\r\na record\r\n\x00\x01\x02 at all\n";
    assert_recovers(&around(garbage), |e| {
        assert_eq!(e.record, None);
        assert_eq!(e.offset, first.len() as u64);
        assert!(matches!(
            e.kind,
            WarcErrorKind::NotARecord { skipped } if skipped == garbage.len() as u64
        ));
    });
}

#[test]
fn warc_blank_lines_between_records_are_fine() {
    let file = around(b"\r\n\n\r\n");
    let items = read_all(&file);
    assert_eq!(records(&items).len(), 3);
    assert!(errors(&items).is_empty());
}

#[test]
fn warc_header_cut_by_next_record() {
    let cut = b"WARC/1.1\r\nWARC-Type: response\r\n";
    assert_recovers(&around(cut), |e| {
        assert!(matches!(e.kind, WarcErrorKind::HeaderCut), "{e}");
    });
}

#[test]
fn warc_truncated_final_record_ends_the_iteration() {
    let mut file = html_response("https://news.example/1");
    let second = html_response("https://news.example/2");
    // Cut inside the block, then inside the header.
    for cut in [second.len() - 30, 40] {
        let mut f = file.clone();
        f.extend_from_slice(&second[..cut]);
        let items = read_all(&f);
        assert_eq!(items.len(), 2, "{items:?}");
        let err = errors(&items)[0];
        assert_eq!(err.record, Some(2));
        assert!(
            matches!(
                err.kind,
                WarcErrorKind::TruncatedBlock { .. } | WarcErrorKind::TruncatedHeader
            ),
            "{err}"
        );
    }
    // A stream ending right after the block, without the end marker, is accepted.
    file.extend_from_slice(&second[..second.len() - 4]);
    let items = read_all(&file);
    assert_eq!(records(&items).len(), 2);
}

#[test]
fn warc_random_bytes_end_without_panic() {
    // A xorshift generator: reproducible, no dependency.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut bytes = Vec::with_capacity(1 << 20);
    while bytes.len() < 1 << 20 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes.extend_from_slice(&state.to_le_bytes());
    }
    let items = read_all(&bytes);
    assert_eq!(items.len(), 1);
    assert!(matches!(
        errors(&items)[0].kind,
        WarcErrorKind::NotARecord { skipped: 1_048_576 }
    ));
    // Random bytes after a version line: a bad header, then the end.
    let mut after = b"WARC/1.0\r\n".to_vec();
    after.extend_from_slice(&bytes);
    let items = read_all(&after);
    assert!(!items.is_empty() && items.len() <= 2, "{items:?}");
    assert!(items.iter().all(Result::is_err));
}

#[test]
fn warc_megabyte_without_newline_is_bounded() {
    let line = vec![b'W'; 1 << 20];
    let items = read_all(&line);
    assert_eq!(items.len(), 1);
    let mut header = b"WARC/1.1\r\nWARC-Target-URI: ".to_vec();
    header.extend_from_slice(&line);
    let items = read_all(&header);
    assert_eq!(items.len(), 1);
    assert!(matches!(
        errors(&items)[0].kind,
        WarcErrorKind::HeaderTooLong { .. }
    ));
}

#[test]
fn warc_bad_http_is_one_error() {
    let file = around(&response(
        "https://news.example/x",
        b"HTTP/1.1 OK\r\n\r\nhi",
    ));
    let items = read_all(&file);
    assert_eq!(items.len(), 4);
    assert!(matches!(
        errors(&items)[0].kind,
        WarcErrorKind::BadHttp { .. }
    ));
}

#[test]
fn warc_error_converts_into_crate_error() {
    let file = around(b"junk\n");
    let err = read_all(&file)
        .into_iter()
        .find_map(Result::err)
        .unwrap()
        .into_error(Path::new("crawl.warc.gz"));
    assert!(matches!(err, Error::Warc { record: None, .. }));
    let text = err.to_string();
    assert!(text.starts_with("crawl.warc.gz, byte "), "{text}");
    assert!(text.contains("not a WARC record"), "{text}");

    let err = WarcError {
        record: Some(7),
        offset: 1234,
        kind: WarcErrorKind::MissingType,
    }
    .into_error(Path::new("a.warc"));
    assert_eq!(
        err.to_string(),
        "a.warc, record 7, byte 1234: no WARC-Type header"
    );
}

#[test]
fn warc_sniffing() {
    assert!(looks_like_warc(b"WARC/1.0\r\nWARC-Type: warcinfo\r\n"));
    assert!(looks_like_warc(b"\r\nWARC/1.1\n"));
    assert!(!looks_like_warc(b"WARC/1.x\r\n"));
    assert!(!looks_like_warc(b"<html>WARC/1.0"));
    assert!(!looks_like_warc(b""));
    assert!(sniff_html(b"\xef\xbb\xbf  <!doctype HTML><p>x"));
    assert!(!sniff_html(b"{\"html\": \"<html>\"}"));
}

/// The committed files of `tests/data/warc/` (see the README there).
fn data(name: &str) -> Vec<Result<WarcRecord, WarcError>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/warc")
        .join(name);
    let file = std::fs::File::open(&path).unwrap();
    let input = BufReader::new(file);
    if name.ends_with(".gz") {
        let decoder = flate2::bufread::MultiGzDecoder::new(input);
        WarcReader::new(BufReader::new(decoder), CAP).collect()
    } else {
        WarcReader::new(input, CAP).collect()
    }
}

#[test]
fn warc_committed_crawl_files() {
    let plain = data("crawl.warc");
    let gz = data("crawl.warc.gz");
    assert!(plain.iter().all(Result::is_ok), "{plain:?}");
    let plain: Vec<_> = plain.into_iter().map(|r| r.unwrap()).collect();
    let gz: Vec<_> = gz.into_iter().map(|r| r.unwrap()).collect();
    assert_eq!(plain, gz);
    let kinds: Vec<_> = plain.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "warcinfo", "request", "response", "request", "response", "request", "response",
            "response", "response", "response", "metadata", "response"
        ]
    );
    let pages: Vec<_> = plain
        .iter()
        .filter(|r| r.is_html_page())
        .map(|r| r.target_uri.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(pages.len(), 4, "{pages:?}");
    assert!(pages.iter().all(|p| p.starts_with("https://")));
    let statuses: Vec<_> = plain
        .iter()
        .filter_map(|r| r.http.as_ref().map(|h| h.status))
        .collect();
    assert_eq!(statuses, [200, 200, 200, 404, 200, 301, 200]);
}

#[test]
fn warc_committed_corrupt_file() {
    let items = data("corrupt.warc.gz");
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(items[0].is_ok() && items[2].is_ok() && items[3].is_ok());
    let err = items[1].as_ref().unwrap_err();
    assert_eq!(err.record, Some(2));
    assert!(matches!(err.kind, WarcErrorKind::LengthMismatch { .. }));
}

/// Read speed on a big file: `NEWSDEX_WARC_BENCH=/tmp/big.warc.gz cargo test --release --lib
/// warc_read_speed -- --ignored --nocapture` (run under `/usr/bin/time -v` for peak memory).
#[test]
#[ignore = "needs a big WARC file named by NEWSDEX_WARC_BENCH"]
fn warc_read_speed() {
    let Some(path) = std::env::var_os("NEWSDEX_WARC_BENCH") else {
        return;
    };
    let started = std::time::Instant::now();
    let input = BufReader::with_capacity(64 * 1024, std::fs::File::open(&path).unwrap());
    let gz = Path::new(&path).extension().is_some_and(|e| e == "gz");
    let input: Box<dyn BufRead> = if gz {
        Box::new(BufReader::with_capacity(
            64 * 1024,
            flate2::bufread::MultiGzDecoder::new(input),
        ))
    } else {
        Box::new(input)
    };
    let mut reader = WarcReader::new(input, 16 << 20);
    let (mut records, mut pages, mut errors, mut payload) = (0u64, 0u64, 0u64, 0u64);
    for item in reader.by_ref() {
        match item {
            Ok(r) => {
                records += 1;
                pages += u64::from(r.is_html_page());
                payload += r.payload.len() as u64;
            }
            Err(_) => errors += 1,
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let mb = reader.position() as f64 / 1e6;
    println!(
        "{mb:.0} MB (decompressed) in {secs:.2} s = {:.0} MB/s; {records} records, {pages} pages, \
         {errors} errors, {:.0} MB of payload",
        mb / secs,
        payload as f64 / 1e6
    );
}
