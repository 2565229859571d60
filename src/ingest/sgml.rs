//! Reuters-21578 SGML: `<REUTERS ...>` records, as in the `reut2-0NN.sgm` files.
//!
//! The files are SGML, not XML: numeric character references stand for control characters
//! (`&#3;`), tags such as `<D>` are upper-case and unquoted text may hold stray bytes. They
//! are read with a plain scanner (`memchr`), one record at a time, so that a broken record
//! costs only itself.
//!
//! What a record gives: `NEWID` is the id (the Reuters JSONL uses the same), `<TITLE>` the
//! headline, `<BODY>` the text (for `TYPE="UNPROC"` records, the whole of `<TEXT>`),
//! `<DATE>` the date as written, `<AUTHOR>` the author, `<TOPICS>` the topics, and
//! `<PLACES>`, `<PEOPLE>`, `<ORGS>`, `<EXCHANGES>` declared entities (exchanges are
//! organisations, given as upper-case codes such as `NYSE`). Records with no text
//! (`TYPE="BRIEF"`, title only) are not articles; they are counted and reported once per
//! file as [`Error::NotArticles`].

// Until `read_file` dispatches to this reader, only the tests call it.

use super::RawArticle;
use crate::article::{EntityKind, SourceRef};
use crate::error::{Error, RecordProblem, Result};
use memchr::memmem;

/// Whether the start of a decoded file (its first 64 KB) is Reuters-21578 SGML: the first
/// element, after an optional DOCTYPE and comments, is `<REUTERS`.
pub(crate) fn looks_like_reuters_sgml(head: &str) -> bool {
    super::wirexml::root_element(head).is_some_and(|(name, _)| name == "REUTERS")
}

/// Read every `<REUTERS>` record of `text`, calling `emit` with each article and with an
/// error for each malformed record; records without text are reported once at the end.
///
/// `source.record` of each article is the 1-based position of its record in the file.
pub(crate) fn read_reuters_sgml(
    text: &str,
    source: &SourceRef,
    emit: &mut dyn FnMut(Result<RawArticle>),
) -> Result<()> {
    let path = || source.display_path();
    let bytes = text.as_bytes();
    let open = memmem::Finder::new("<REUTERS");
    let close = memmem::Finder::new("</REUTERS>");
    // The next `<REUTERS` start tag (not `<REUTERSX`) at or after a position.
    let find_open = |mut from: usize| loop {
        let i = from + open.find(bytes.get(from..)?)?;
        match bytes.get(i + open.needle().len()) {
            Some(b'>' | b' ' | b'\t' | b'\n' | b'\r') | None => return Some(i),
            _ => from = i + 1,
        }
    };
    let mut next_open = find_open(0);
    let mut record = 0u64;
    // Records that hold no article text: how many, and the first.
    let mut empty = (0u64, 0u64);
    while let Some(start) = next_open {
        record += 1;
        next_open = find_open(start + 1);
        let end = close.find(&bytes[start..]).map(|i| start + i);
        let problem = match end {
            Some(end) if next_open.is_none_or(|next| end < next) => {
                // Both ends are ASCII, so they lie on char boundaries.
                match read_record(&text[start..end], source, record) {
                    Ok(Some(raw)) => {
                        emit(Ok(raw));
                        continue;
                    }
                    Ok(None) => {
                        if empty.0 == 0 {
                            empty.1 = record;
                        }
                        empty.0 += 1;
                        continue;
                    }
                    Err(problem) => problem,
                }
            }
            _ => RecordProblem::Unclosed("REUTERS"),
        };
        emit(Err(Error::MalformedRecord {
            path: path(),
            record,
            problem,
        }));
    }
    if empty.0 > 0 {
        emit(Err(Error::NotArticles {
            path: path(),
            records: empty.0,
            first: empty.1,
        }));
    }
    Ok(())
}

/// Read one record: `rec` runs from `<REUTERS` up to (not including) `</REUTERS>`.
/// `Ok(None)` when the record holds no article text.
fn read_record(
    rec: &str,
    source: &SourceRef,
    record: u64,
) -> std::result::Result<Option<RawArticle>, RecordProblem> {
    let tag_end = rec.find('>').ok_or(RecordProblem::Unclosed("REUTERS"))?;
    let id = attribute(&rec[..tag_end], "NEWID").ok_or(RecordProblem::MissingId("NEWID"))?;
    let rec = &rec[tag_end + 1..];
    let Some((text_attrs, text)) = element(rec, "TEXT")? else {
        return Ok(None);
    };
    // The metadata comes before <TEXT>; looking only there keeps text out of the search.
    let meta = &rec[..find_tag(rec.as_bytes(), "TEXT", false, 0).unwrap_or(rec.len())];

    let mut body = String::new();
    let title = match element(text, "TITLE")? {
        Some((_, t)) => collapse(&decode(t)),
        None => String::new(),
    };
    if let Some((_, b)) = element(text, "BODY")? {
        body = decode(b);
    } else if attribute(text_attrs, "TYPE").is_some_and(|t| t.eq_ignore_ascii_case("UNPROC")) {
        body = decode(text);
    }
    let body = body.trim();
    if body.is_empty() {
        return Ok(None);
    }

    let mut src = source.clone();
    src.record = Some(record);
    let mut raw = RawArticle::new(src);
    raw.id = Some(id.to_string());
    raw.title = Some(title).filter(|t| !t.is_empty());
    raw.body = body.to_string();
    raw.plain = true;
    raw.publisher = Some("Reuters".to_string());
    if let Some((_, date)) = element(meta, "DATE")? {
        // Some dates are followed by transmission codes (`27-MAR-1987 00:02:59.13&#5;&#5;RM`)
        // or a comment (`9-APR-1987 00:00:00.00    # date added...`): the date ends there.
        let date = date.split(['&', '#']).next().unwrap_or_default().trim();
        if !date.is_empty() {
            raw.date = Some(date.to_string());
        }
    }
    if let Some((_, author)) = element(text, "AUTHOR")? {
        let author = byline_name(&collapse(&decode(author)));
        if !author.is_empty() {
            raw.authors.push(author);
        }
    }
    raw.topics = values(meta, "TOPICS")?;
    for (tag, kind) in [
        ("PLACES", EntityKind::Place),
        ("PEOPLE", EntityKind::Person),
        ("ORGS", EntityKind::Organization),
    ] {
        for name in values(meta, tag)? {
            let name = match kind {
                EntityKind::Organization => reuters_code(&name).map_or(name, str::to_string),
                _ => name,
            };
            raw.declared.push((kind, name));
        }
    }
    for code in values(meta, "EXCHANGES")? {
        // Exchange codes (`nyse`, `lse`) are acronyms: upper case keeps them from being
        // title-cased into words ("Set", "Fox") when the gazetteer does not know them.
        let name = reuters_code(&code).map_or_else(|| code.to_ascii_uppercase(), str::to_string);
        raw.declared.push((EntityKind::Organization, name));
    }
    Ok(Some(raw))
}

/// The organisation or exchange a Reuters-21578 ORGS or EXCHANGES code stands for, where the
/// code alone would be misread (`lse` is the London Stock Exchange here, not the London School
/// of Economics; `amex` the American Stock Exchange, not American Express) or title-cased
/// into a non-name (`ico-coffee`, `worldbank`). Codes not listed keep the general lookup.
/// From the collection's own usage (the stories each code is attached to), by the newsdex
/// developers.
fn reuters_code(code: &str) -> Option<&'static str> {
    Some(match code {
        "adb-africa" => "African Development Bank",
        "adb-asia" => "Asian Development Bank",
        "amex" => "American Stock Exchange",
        "biffex" => "Baltic International Freight Futures Exchange",
        "cboe" => "Chicago Board Options Exchange",
        "cbt" => "Chicago Board of Trade",
        "cme" => "Chicago Mercantile Exchange",
        "comex" => "Commodity Exchange",
        "gatt" => "GATT",
        "hkse" => "Hong Kong Stock Exchange",
        "icco" => "International Cocoa Organization",
        "ida" => "International Development Association",
        "ico-coffee" => "International Coffee Organization",
        "inro" => "International Natural Rubber Organization",
        "ipe" => "International Petroleum Exchange",
        "itc" => "International Tin Council",
        "iwc-wheat" => "International Wheat Council",
        "liffe" => "London International Financial Futures Exchange",
        "lme" => "London Metal Exchange",
        "lse" => "London Stock Exchange",
        "nyce" => "New York Cotton Exchange",
        "nycsce" => "New York Coffee, Sugar and Cocoa Exchange",
        "nymex" => "New York Mercantile Exchange",
        "simex" => "Singapore International Monetary Exchange",
        "tose" => "Toronto Stock Exchange",
        "worldbank" => "World Bank",
        _ => return None,
    })
}

/// The next `<name` (with `close`, `</name>`) at or after `from` that really is that tag:
/// followed by white space or `>`, so that `<D` does not match `<DATE>`. Scans for `<`
/// with `memchr`, which is rare in the text (the files write it `&lt;`).
fn find_tag(bytes: &[u8], name: &str, close: bool, from: usize) -> Option<usize> {
    let name = name.as_bytes();
    let skip = 1 + usize::from(close);
    for i in memchr::memchr_iter(b'<', bytes.get(from..)?).map(|i| from + i) {
        let after = bytes.get(i + skip..)?;
        // The first-byte test spares a `memcmp` call for most tags.
        if (close && bytes[i + 1] != b'/')
            || after.first() != name.first()
            || !after.starts_with(name)
        {
            continue;
        }
        match after.get(name.len()) {
            Some(b'>') => return Some(i),
            Some(b' ' | b'\t' | b'\n' | b'\r') | None if !close => return Some(i),
            _ => {}
        }
    }
    None
}

/// The first `<NAME ...>...</NAME>` element of `s`: its attribute text and its content.
fn element<'a>(
    s: &'a str,
    name: &'static str,
) -> std::result::Result<Option<(&'a str, &'a str)>, RecordProblem> {
    let bytes = s.as_bytes();
    let Some(start) = find_tag(bytes, name, false, 0) else {
        return Ok(None);
    };
    let attrs_start = start + 1 + name.len();
    let tag_end = memchr::memchr(b'>', &bytes[attrs_start..])
        .map(|i| attrs_start + i)
        .ok_or(RecordProblem::Unclosed(name))?;
    let content_start = tag_end + 1;
    let end = find_tag(bytes, name, true, content_start).ok_or(RecordProblem::Unclosed(name))?;
    // `<` and `>` are ASCII, so every offset here lies on a char boundary.
    Ok(Some((&s[attrs_start..tag_end], &s[content_start..end])))
}

/// The `<D>` values of element `name` (decoded, trimmed, without empties).
fn values(s: &str, name: &'static str) -> std::result::Result<Vec<String>, RecordProblem> {
    let mut out = Vec::new();
    let Some((_, mut list)) = element(s, name)? else {
        return Ok(out);
    };
    while let Some((_, value)) = element(list, "D")? {
        let value = collapse(&decode(value));
        if !value.is_empty() && !out.contains(&value) {
            out.push(value);
        }
        list = &list[value_end(list)..];
    }
    Ok(out)
}

/// The byte just after the first `</D>` of `s` (or its end).
fn value_end(s: &str) -> usize {
    memmem::find(s.as_bytes(), b"</D>").map_or(s.len(), |i| i + 4)
}

/// The value of attribute `name` in a start tag's text (`NEWID="12"`, quotes optional).
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let bytes = tag.as_bytes();
    let mut from = 0;
    while let Some(i) = memmem::find(&bytes[from..], name.as_bytes()).map(|i| from + i) {
        from = i + name.len();
        let word_start = i == 0 || bytes[i - 1].is_ascii_whitespace();
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=').filter(|_| word_start) else {
            continue;
        };
        let rest = rest.trim_start();
        let value = match rest.as_bytes().first() {
            Some(&q @ (b'"' | b'\'')) => {
                let inner = &rest[1..];
                &inner[..inner.find(q as char)?]
            }
            _ => rest.split(|c: char| c.is_whitespace()).next()?,
        };
        return Some(value.trim()).filter(|v| !v.is_empty());
    }
    None
}

/// Decode character references (`&#3;`, `&lt;`, `&amp;`...) and drop ASCII control
/// characters other than line breaks and tabs (Reuters writes its transmission codes as
/// `&#2;`, `&#3;`, and marks deletions with DEL).
pub(crate) fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    loop {
        let amp = memchr::memchr(b'&', rest.as_bytes()).unwrap_or(rest.len());
        // `&` is ASCII, so `amp` lies on a char boundary.
        push_visible(&mut out, &rest[..amp]);
        if amp == rest.len() {
            return out;
        }
        let (decoded, len) = reference(&rest[amp..]);
        match decoded {
            Some(c) if !is_dropped_control(c) => out.push(c),
            Some(_) => {}
            None => out.push('&'),
        }
        rest = &rest[amp + len..];
    }
}

/// Append `chunk` without its control characters.
fn push_visible(out: &mut String, chunk: &str) {
    if chunk
        .bytes()
        .all(|b| (b >= 0x20 && b != 0x7f) || b == b'\n' || b == b'\t')
    {
        out.push_str(chunk);
    } else {
        out.extend(chunk.chars().filter(|&c| !is_dropped_control(c)));
    }
}

fn is_dropped_control(c: char) -> bool {
    (c < ' ' && c != '\n' && c != '\t') || c == '\u{7f}'
}

/// The character a reference at the start of `s` stands for, and the bytes it takes
/// (`(None, 1)` for a lone `&`).
fn reference(s: &str) -> (Option<char>, usize) {
    let Some(semi) = s.as_bytes().iter().take(12).position(|&b| b == b';') else {
        return (None, 1);
    };
    let name = &s[1..semi];
    let c = if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse().ok(),
        };
        n.and_then(char::from_u32)
    } else {
        match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => None,
        }
    };
    match c {
        Some(c) => (Some(c), semi + 1),
        None => (None, 1),
    }
}

/// White space runs collapsed to one space, ends trimmed.
pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A byline reduced to the name: "By Jane Doe, Reuters" → "Jane Doe".
pub(crate) fn byline_name(byline: &str) -> String {
    let s = byline.trim();
    let s = match s.get(..3) {
        Some(by) if by.eq_ignore_ascii_case("by ") => &s[3..],
        _ => s,
    };
    let s = s.trim_start();
    let s = match s.rsplit_once(',') {
        Some((name, agency))
            if ["reuters", "reuter"].contains(&agency.trim().to_lowercase().as_str()) =>
        {
            name
        }
        _ => s,
    };
    s.trim().trim_end_matches(',').trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Format;

    fn src() -> SourceRef {
        SourceRef::new("/x/reut.sgm", Format::Sgml)
    }

    fn read(text: &str) -> (Vec<RawArticle>, Vec<Error>) {
        let (mut ok, mut err) = (Vec::new(), Vec::new());
        read_reuters_sgml(text, &src(), &mut |r| match r {
            Ok(a) => ok.push(a),
            Err(e) => err.push(e),
        })
        .unwrap();
        (ok, err)
    }

    // Invented records in the shape of the Reuters-21578 files.
    const SAMPLE: &str = r#"<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="9001" NEWID="7">
<DATE> 3-MAR-1987 09:15:00.12</DATE>
<TOPICS><D>tea</D><D>trade</D></TOPICS>
<PLACES><D>kenya</D><D>uk</D></PLACES>
<PEOPLE><D>doe</D></PEOPLE>
<ORGS><D>ec</D></ORGS>
<EXCHANGES><D>lse</D></EXCHANGES>
<COMPANIES></COMPANIES>
<UNKNOWN> 
&#5;&#5;&#5;C T
&#22;&#22;&#1;f0001&#31;reute
u f BC-TEA-PRICES   03-03 0042</UNKNOWN>
<TEXT>&#2;
<TITLE>KENYA   TEA
PRICES &lt;KTDA> RISE</TITLE>
<AUTHOR>    by Ann Example, Reuters</AUTHOR>
<DATELINE>    MOMBASA, March 3 - </DATELINE><BODY>Tea prices at the weekly auction rose
sharply, brokers said.
    Buyers from &lt;Example Tea Co&gt; were active &amp; bold.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" NEWID="8">
<DATE> 3-MAR-1987 09:16:00.00</DATE>
<TOPICS></TOPICS><PLACES><D>usa</D></PLACES><PEOPLE></PEOPLE><ORGS></ORGS><EXCHANGES></EXCHANGES>
<TEXT TYPE="BRIEF">&#2;
******<TITLE>INVENTED BRIEF LINE
</TITLE>
&#3;

</TEXT>
</REUTERS>
<REUTERS TOPICS="NO" NEWID="9">
<DATE> 3-MAR-1987 09:17:00.00</DATE>
<TOPICS><D>money-supply</D></TOPICS><PLACES></PLACES><PEOPLE></PEOPLE><ORGS></ORGS>
<TEXT TYPE="UNPROC">&#2;
WEEKLY FIGURES - MARCH 3
 Item one..........12 vs.....11
 Reuter
&#3;

</TEXT>
</REUTERS>
<REUTERS TOPICS="NO" OLDID="1">
<DATE> 3-MAR-1987 09:18:00.00</DATE>
<TEXT><TITLE>NO ID</TITLE><BODY>Text.</BODY></TEXT>
</REUTERS>
<REUTERS NEWID="11">
<TEXT><TITLE>UNCLOSED BODY</TITLE><BODY>Text.</TEXT>
</REUTERS>
<REUTERS NEWID="12">
<TEXT><TITLE>NO CLOSING REUTERS TAG</TITLE><BODY>Text.</BODY></TEXT>
<REUTERS NEWID="13">
<DATE>9-APR-1987  00:00:00.00&#9;&#9;C T    # date guessed </DATE>
<TEXT><TITLE>LAST</TITLE><BODY>Last story.</BODY></TEXT>
</REUTERS>
<REUTERS NEWID="14">
<TEXT TYPE="BRIEF"><TITLE>ANOTHER BRIEF</TITLE></TEXT>
</REUTERS>
"#;

    #[test]
    fn sniffs_reuters_sgml() {
        assert!(looks_like_reuters_sgml(SAMPLE));
        assert!(looks_like_reuters_sgml("\u{feff}<REUTERS NEWID=\"1\">"));
        assert!(!looks_like_reuters_sgml(
            "<html><body>REUTERS</body></html>"
        ));
        assert!(!looks_like_reuters_sgml("<REUTERSX>"));
        assert!(!looks_like_reuters_sgml("Some text <REUTERS>"));
    }

    #[test]
    fn reads_a_normal_record() {
        let (ok, _) = read(SAMPLE);
        let a = &ok[0];
        assert_eq!(a.id.as_deref(), Some("7"));
        assert_eq!(a.title.as_deref(), Some("KENYA TEA PRICES <KTDA> RISE"));
        assert_eq!(
            a.body,
            "Tea prices at the weekly auction rose\nsharply, brokers said.\n    Buyers from \
             <Example Tea Co> were active & bold.\n Reuter"
        );
        assert_eq!(a.date.as_deref(), Some("3-MAR-1987 09:15:00.12"));
        assert_eq!(a.authors, ["Ann Example"]);
        assert_eq!(a.publisher.as_deref(), Some("Reuters"));
        assert_eq!(a.topics, ["tea", "trade"]);
        assert_eq!(
            a.declared,
            [
                (EntityKind::Place, "kenya".to_string()),
                (EntityKind::Place, "uk".to_string()),
                (EntityKind::Person, "doe".to_string()),
                (EntityKind::Organization, "ec".to_string()),
                // Read as Reuters means it, not as the London School of Economics.
                (
                    EntityKind::Organization,
                    "London Stock Exchange".to_string()
                ),
            ]
        );
        assert_eq!(a.source.record, Some(1));
        assert_eq!(a.source.format, Format::Sgml);
    }

    #[test]
    fn unproc_text_is_the_body_and_briefs_are_not_articles() {
        let (ok, err) = read(SAMPLE);
        let ids: Vec<_> = ok.iter().filter_map(|a| a.id.as_deref()).collect();
        assert_eq!(ids, ["7", "9", "13"]);
        let unproc = &ok[1];
        assert_eq!(unproc.title, None);
        assert!(unproc
            .body
            .starts_with("WEEKLY FIGURES - MARCH 3\n Item one"));
        assert!(unproc.body.ends_with("Reuter"));
        assert_eq!(unproc.source.record, Some(3));
        assert!(matches!(
            err.last(),
            Some(Error::NotArticles {
                records: 2,
                first: 2,
                ..
            })
        ));
    }

    #[test]
    fn malformed_records_give_one_error_each_and_reading_goes_on() {
        let (ok, err) = read(SAMPLE);
        let problems: Vec<_> = err
            .iter()
            .filter_map(|e| match e {
                Error::MalformedRecord {
                    record, problem, ..
                } => Some((*record, *problem)),
                _ => None,
            })
            .collect();
        assert_eq!(
            problems,
            [
                (4, RecordProblem::MissingId("NEWID")),
                (5, RecordProblem::Unclosed("BODY")),
                (6, RecordProblem::Unclosed("REUTERS")),
            ]
        );
        let msg = err[0].to_string();
        assert!(
            msg.contains("/x/reut.sgm") && msg.contains("record 4"),
            "{msg}"
        );
        // The record after the unclosed one is read, its date comment dropped.
        let last = ok.last().unwrap();
        assert_eq!(last.id.as_deref(), Some("13"));
        assert_eq!(last.date.as_deref(), Some("9-APR-1987  00:00:00.00"));
        assert_eq!(last.source.record, Some(7));
    }

    #[test]
    fn truncated_file_is_an_error_not_a_panic() {
        for cut in 0..SAMPLE.len() {
            if SAMPLE.is_char_boundary(cut) {
                read_reuters_sgml(&SAMPLE[..cut], &src(), &mut |_| {}).unwrap();
            }
        }
        let (ok, err) = read("<REUTERS NEWID=\"1\"><TEXT><BODY>x</BODY></TEXT>");
        assert!(ok.is_empty());
        assert!(matches!(
            err[..],
            [Error::MalformedRecord {
                problem: RecordProblem::Unclosed("REUTERS"),
                ..
            }]
        ));
    }

    #[test]
    fn decodes_references_and_drops_control_characters() {
        assert_eq!(decode("a&#3;b&#2;\u{1}c"), "abc");
        assert_eq!(
            decode("&lt;X&gt; &amp; &#65;&#x42; & &bogus; &"),
            "<X> & AB & &bogus; &"
        );
        assert_eq!(decode("caf\u{e9}\n\tx"), "caf\u{e9}\n\tx");
    }

    #[test]
    fn byline_names() {
        assert_eq!(byline_name("by Ann Example, Reuters"), "Ann Example");
        assert_eq!(byline_name("By Ann Example, REUTER"), "Ann Example");
        assert_eq!(
            byline_name("By Ann Example, Staff Writer"),
            "Ann Example, Staff Writer"
        );
        assert_eq!(byline_name("Ann Example"), "Ann Example");
    }

    #[test]
    fn reuters_dates_parse() {
        use crate::article::DatePrecision;
        use crate::normalise::date::parse;
        for s in [
            "26-FEB-1987 15:01:01.79",
            "3-MAR-1987 09:15:00.12",
            "9-APR-1987  00:00:00.00",
        ] {
            let (_, precision) = parse(s).unwrap_or_else(|| panic!("{s} parses"));
            assert_eq!(precision, DatePrecision::Instant);
        }
        assert_eq!(
            parse("26-FEB-1987 15:01:01.79").map(|d| d.0.to_rfc3339()),
            Some("1987-02-26T15:01:01.790+00:00".to_string())
        );
    }

    /// The Reuters-21578 folder of `../shared`, when present.
    fn reuters_dir() -> Option<std::path::PathBuf> {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/reuters21578");
        if dir.join("sgm").is_dir() {
            Some(dir)
        } else {
            eprintln!("skipping: {} not present", dir.display());
            None
        }
    }

    /// The 22 real files, decompressed and decoded as `read_file` would.
    fn reuters_texts(dir: &std::path::Path) -> Vec<(String, String)> {
        use std::io::Read;
        (0..22)
            .map(|i| {
                let path = dir.join(format!("sgm/reut2-{i:03}.sgm.gz"));
                let file = std::fs::File::open(&path).unwrap();
                let mut bytes = Vec::new();
                flate2::read::GzDecoder::new(file)
                    .read_to_end(&mut bytes)
                    .unwrap();
                let text = crate::ingest::decode(&bytes).0.into_owned();
                (path.display().to_string(), text)
            })
            .collect()
    }

    /// All 21,578 records of the real files: 19,043 `TYPE="NORM"` stories (the JSONL's
    /// articles, same ids, titles and bodies) + 736 `TYPE="UNPROC"` texts (tables and
    /// reports the JSONL leaves out) are articles; the 1,798 `TYPE="BRIEF"` title-only
    /// records and one empty `TYPE="UNPROC"` record (NEWID 12793) are not.
    #[test]
    fn real_reuters_files() {
        use std::collections::HashMap;
        let Some(dir) = reuters_dir() else { return };
        let mut articles = Vec::new();
        let (mut briefs, mut malformed, mut records) = (0, 0, 0);
        for (path, text) in reuters_texts(&dir) {
            let source = SourceRef { path, ..src() };
            let mut last = 0;
            read_reuters_sgml(&text, &source, &mut |r| match r {
                Ok(a) => {
                    last = last.max(a.source.record.unwrap());
                    articles.push(a);
                }
                Err(Error::NotArticles { records, .. }) => briefs += records,
                Err(e) => {
                    eprintln!("{e}");
                    malformed += 1;
                }
            })
            .unwrap();
            records += text.matches("<REUTERS ").count();
        }
        assert_eq!(records, 21_578);
        assert_eq!(malformed, 0);
        assert_eq!(briefs, 1_798 + 1);
        assert_eq!(articles.len(), 19_779);
        let (norm, unproc): (Vec<_>, Vec<_>) = articles.iter().partition(|a| a.title.is_some());
        assert_eq!(norm.len(), 19_043);
        assert_eq!(unproc.len(), 736);
        // Every date is understood but one malformed in the source (`605:12:19.12`).
        let undated: Vec<_> = articles
            .iter()
            .filter(|a| {
                a.date
                    .as_deref()
                    .and_then(crate::normalise::date::parse)
                    .is_none()
            })
            .filter_map(|a| a.id.as_deref())
            .collect();
        assert_eq!(undated, ["17192"]);

        // The same stories as the JSONL, with the same ids, titles and bodies.
        let jsonl = dir.join("reuters21578.jsonl.gz");
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(std::fs::File::open(jsonl).unwrap()),
            &mut text,
        )
        .unwrap();
        let by_id: HashMap<&str, &RawArticle> = norm
            .iter()
            .map(|a| (a.id.as_deref().unwrap(), *a))
            .collect();
        assert_eq!(by_id.len(), 19_043, "NEWIDs are unique");
        let mut lines = 0;
        for line in text.lines() {
            lines += 1;
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let id = v["id"].as_str().unwrap();
            let a = by_id.get(id).unwrap_or_else(|| panic!("id {id} read"));
            assert_eq!(a.title.as_deref(), v["title"].as_str(), "title of {id}");
            // The JSONL keeps `&#127;` (DEL, 49 times) as U+007F; this reader drops it with
            // the other control characters.
            let body = v["body"].as_str().unwrap().replace('\u{7f}', "");
            assert_eq!(a.body, body.trim(), "body of {id}");
            // The JSONL keeps a topic listed twice (NEWID 5467: "corn"); this reader once.
            let mut topics: Vec<&str> = Vec::new();
            for t in v["topics"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|t| t.as_str())
            {
                if !topics.contains(&t) {
                    topics.push(t);
                }
            }
            assert_eq!(a.topics, topics, "topics of {id}");
        }
        assert_eq!(lines, 19_043);
    }

    /// Throughput on the 27 MB of real SGML; run with
    /// `cargo test --release --lib sgml_speed -- --ignored --nocapture`.
    #[test]
    #[ignore = "timing; run in release mode"]
    fn sgml_speed() {
        let Some(dir) = reuters_dir() else { return };
        let texts = reuters_texts(&dir);
        let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
        let start = std::time::Instant::now();
        let mut n = 0;
        for _ in 0..5 {
            for (path, text) in &texts {
                let source = SourceRef {
                    path: path.clone(),
                    ..src()
                };
                read_reuters_sgml(text, &source, &mut |r| n += usize::from(r.is_ok())).unwrap();
            }
        }
        let secs = start.elapsed().as_secs_f64();
        eprintln!("{n} articles, {:.0} MB/s", 5.0 * bytes as f64 / secs / 1e6);
    }
}
