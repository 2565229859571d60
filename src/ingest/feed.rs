//! Feeds: RSS 0.9x/2.0, RSS 1.0 (RDF), Atom and JSON Feed, through `feed-rs`. Each item is an
//! article; HTML content goes through the same HTML-to-text conversion as every other HTML
//! body (in the normaliser). A feed whose XML breaks part-way gives the items before the break
//! and one warning.

use super::RawArticle;
use crate::article::SourceRef;
use crate::error::{Error, Result, UnsupportedReason};
use std::path::Path;

/// Whether a whole JSON document is a JSON Feed (its `version` may come after the items, and
/// its slashes may be escaped: `https:\/\/jsonfeed.org\/version\/1`).
pub(super) fn is_json_feed_document(bytes: &[u8]) -> bool {
    let has = |needle: &[u8]| memchr::memmem::find(bytes, needle).is_some();
    has(b"\"version\"")
        && has(b"\"items\"")
        && (has(b"jsonfeed.org/version") || has(b"jsonfeed.org\\/version"))
}

fn parser() -> feed_rs::parser::Parser {
    // No invented ids: an item without guid/id gets newsdex's own stable id from its position.
    feed_rs::parser::Builder::new()
        .id_generator(|_, _, _| String::new())
        .sanitize_content(false)
        .build()
}

/// Read every item of a feed.
pub(super) fn read(
    path: &Path,
    bytes: &[u8],
    source: &SourceRef,
    emit: &mut dyn FnMut(Result<RawArticle>),
) -> Result<()> {
    let malformed = |reason: String| Error::Malformed {
        path: path.to_path_buf(),
        format: "feed",
        reason,
    };
    // JSON Feed 1.0 was first published with an http:// version URL, which feed-rs refuses.
    let fixed;
    let bytes = if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
        && (memchr::memmem::find(bytes, b"http://jsonfeed.org/version/").is_some()
            || memchr::memmem::find(bytes, b"http:\\/\\/jsonfeed.org").is_some())
    {
        fixed = String::from_utf8_lossy(bytes)
            .replacen(
                "http://jsonfeed.org/version/",
                "https://jsonfeed.org/version/",
                1,
            )
            .replacen("http:\\/\\/jsonfeed.org", "https:\\/\\/jsonfeed.org", 1);
        fixed.as_bytes()
    } else {
        bytes
    };
    let feed = match parser().parse(bytes) {
        Ok(feed) => feed,
        Err(e) => {
            // Broken XML: keep what came before the break, if a whole item did.
            let repaired = repair(bytes).and_then(|fixed| parser().parse(fixed.as_bytes()).ok());
            match repaired {
                Some(feed) if !feed.entries.is_empty() => {
                    emit(Err(malformed(format!(
                        "{e}; the {} item(s) before the break were read",
                        feed.entries.len()
                    ))));
                    feed
                }
                _ => return Err(malformed(e.to_string())),
            }
        }
    };
    if feed.entries.is_empty() {
        return Err(Error::Unsupported {
            path: path.to_path_buf(),
            reason: UnsupportedReason::NoArticle("a feed without items"),
        });
    }
    let publisher = feed.title.as_ref().map(|t| plain(&t.content));
    // Atom: an entry without authors has the feed's (RFC 4287, 4.2.1).
    let feed_authors: Vec<String> = feed
        .authors
        .iter()
        .filter_map(|p| p.name.clone().filter(|n| !n.trim().is_empty()))
        .collect();
    let feed_language = feed.language.clone();
    let mut empty = Vec::new();
    for (i, entry) in feed.entries.into_iter().enumerate() {
        let mut src = source.clone();
        src.record = Some(i as u64 + 1);
        let mut raw = RawArticle::new(src);
        raw.id = Some(entry.id).filter(|id| !id.trim().is_empty());
        raw.title = entry
            .title
            .map(|t| plain(&t.content))
            .filter(|t| !t.is_empty());
        raw.body = entry
            .content
            .and_then(|c| c.body)
            .filter(|b| !b.trim().is_empty())
            .or_else(|| entry.summary.map(|s| s.content))
            .unwrap_or_default();
        raw.date = entry.published.or(entry.updated).map(|d| d.to_rfc3339());
        raw.authors = entry
            .authors
            .into_iter()
            .filter_map(|p| p.name.filter(|n| !n.trim().is_empty()))
            .collect();
        if raw.authors.is_empty() {
            raw.authors = feed_authors.clone();
        }
        raw.url = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(entry.links.first())
            .map(|l| l.href.clone());
        raw.language = entry.language.or_else(|| feed_language.clone());
        raw.topics = entry
            .categories
            .into_iter()
            .map(|c| c.label.unwrap_or(c.term))
            .filter(|t| !t.trim().is_empty())
            .collect();
        raw.publisher = publisher.clone();
        if raw.title.is_none() && raw.body.trim().is_empty() {
            empty.push(i as u64 + 1);
            continue;
        }
        emit(Ok(raw));
    }
    if let Some(e) = Error::not_articles(path, &empty) {
        emit(Err(e));
    }
    Ok(())
}

/// Titles may carry markup or entities (`type="html"`): plain text of it.
fn plain(s: &str) -> String {
    let text = if s.contains('<') || s.contains('&') {
        crate::normalise::html::to_text(s)
    } else {
        s.to_string()
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A broken XML feed cut after its last complete item, with the elements still open there
/// closed again; `None` when no item was complete.
fn repair(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let cut = ["</item>", "</entry>"]
        .iter()
        .filter_map(|end| text.rfind(end).map(|at| at + end.len()))
        .max()?;
    let prefix = &text[..cut];
    let mut open: Vec<&str> = Vec::new();
    let mut rest = prefix;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt..];
        let (skip, tag) = if rest.starts_with("<!--") {
            (rest.find("-->").map(|e| e + 3), None)
        } else if rest.starts_with("<![CDATA[") {
            (rest.find("]]>").map(|e| e + 3), None)
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            (rest.find('>').map(|e| e + 1), None)
        } else {
            let end = rest.find('>');
            (end.map(|e| e + 1), end.map(|e| &rest[1..e]))
        };
        let Some(skip) = skip else { break };
        if let Some(tag) = tag {
            if let Some(name) = tag.strip_prefix('/') {
                let name = name.trim();
                if let Some(pos) = open.iter().rposition(|o| *o == name) {
                    open.truncate(pos);
                }
            } else if !tag.ends_with('/') {
                let name = tag.split(|c: char| c.is_whitespace()).next().unwrap_or(tag);
                open.push(name);
            }
        }
        rest = &rest[skip..];
    }
    let mut fixed = prefix.to_string();
    for name in open.iter().rev() {
        fixed.push_str("</");
        fixed.push_str(name);
        fixed.push('>');
    }
    Some(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Format;

    fn src() -> SourceRef {
        SourceRef::new("f.xml", Format::Feed)
    }

    fn items(xml: &str) -> (Vec<RawArticle>, Vec<String>) {
        let (mut ok, mut errs) = (Vec::new(), Vec::new());
        let result = read(
            Path::new("f.xml"),
            xml.as_bytes(),
            &src(),
            &mut |r| match r {
                Ok(raw) => ok.push(raw),
                Err(e) => errs.push(e.to_string()),
            },
        );
        if let Err(e) = result {
            errs.push(e.to_string());
        }
        (ok, errs)
    }

    const RSS: &str = r#"<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>The Test Courier</title><language>en-gb</language>
<item><title>Ferry timetable changes</title><link>https://example.org/ferry</link>
<guid>urn:test:1</guid><pubDate>Tue, 05 Mar 2024 09:30:00 +0000</pubDate><dc:creator>Ann Lee</dc:creator>
<category>Transport</category>
<content:encoded><![CDATA[<p>The harbour ferry will run every twenty minutes.</p><p>Officials said so.</p>]]></content:encoded></item>
<item><title>Market opens late</title><description>The market opened an hour late on Monday.</description></item>
<item><title>Third &amp; last</title><description>A third item that is cut"#;

    #[test]
    fn rss_items_and_a_broken_tail() {
        let (ok, errs) = items(RSS);
        assert_eq!(ok.len(), 2, "{errs:?}");
        assert_eq!(ok[0].title.as_deref(), Some("Ferry timetable changes"));
        assert_eq!(ok[0].id.as_deref(), Some("urn:test:1"));
        assert_eq!(ok[0].authors, vec!["Ann Lee"]);
        assert_eq!(ok[0].topics, vec!["Transport"]);
        assert_eq!(ok[0].url.as_deref(), Some("https://example.org/ferry"));
        assert_eq!(ok[0].publisher.as_deref(), Some("The Test Courier"));
        assert!(ok[0].body.contains("<p>The harbour ferry"));
        assert!(ok[0]
            .date
            .as_deref()
            .is_some_and(|d| d.starts_with("2024-03-05T09:30:00")));
        assert_eq!(ok[1].id, None);
        assert_eq!(ok[1].source.record, Some(2));
        assert_eq!(errs.len(), 1);
        assert!(errs[0].contains("2 item(s) before the break"), "{errs:?}");
    }

    #[test]
    fn atom_and_json_feed() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Ledger</title>
<entry><title type="html">Bridge &lt;em&gt;reopens&lt;/em&gt;</title><id>tag:x,2024:1</id>
<published>2024-01-02T10:00:00Z</published><author><name>Bo Ek</name></author>
<content type="html">&lt;p&gt;The bridge reopened.&lt;/p&gt;</content></entry></feed>"#;
        let (ok, errs) = items(atom);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(ok[0].title.as_deref(), Some("Bridge reopens"));
        assert!(ok[0].body.contains("<p>The bridge reopened.</p>"));
        let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "Gazette",
"items": [{"id": "7", "title": "Port strike ends", "content_text": "Dock workers returned.", "date_published": "2024-02-03T08:00:00Z"}]}"#;
        assert!(is_json_feed_document(json.as_bytes()));
        let (ok, errs) = items(json);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(ok[0].body, "Dock workers returned.");
        assert_eq!(ok[0].id.as_deref(), Some("7"));
    }

    #[test]
    fn hopeless_feeds_are_one_error() {
        let (ok, errs) = items("<rss><channel><title>x</title><item><title>cut");
        assert!(ok.is_empty());
        assert_eq!(errs.len(), 1);
        let (ok, errs) = items("<rss version=\"2.0\"><channel><title>x</title></channel></rss>");
        assert!(ok.is_empty());
        assert!(errs[0].contains("no article text"), "{errs:?}");
    }
}
