//! Wire-service XML: NITF documents and IPTC NewsML-G2 items and messages.
//!
//! Both are parsed into a DOM with `roxmltree`, which checks well-formedness, accepts a
//! DOCTYPE (NITF files often name `nitf.dtd`), never loads anything from outside the
//! document, and parses without recursion, so deeply nested input cannot overflow the stack.
//! Everything here walks the tree with iterators, never by recursion, for the same reason.
//! Elements are matched by local name, whatever their namespace.
//!
//! - **NITF**: headline (`hedline/hl1`, else `head/title`), paragraphs of `body.content`
//!   (`<p>`, subheads `<hl2>`, list items), byline, dates (`date.issue`, `date.release`,
//!   `story.date`), `doc-id`, keywords, `classifier`/`tobject.subject` topics, and the inline
//!   `<person>`, `<org>`, `<location>` (`<city>`, `<country>`...) as declared entities.
//! - **NewsML-G2**: each `newsItem` with text (`inlineXML` holding NITF or XHTML, or
//!   `inlineData` plain text) is one article; `contentMeta` gives headline, dates, creator,
//!   language, `located` places and `subject` entities and topics; `itemMeta/provider` the
//!   publisher. Items without text (pictures, video, packages, planning, concepts) are
//!   skipped; a file with no article at all is an error naming what it holds.

// Until `read_file` dispatches to this reader, only the tests call it.

use super::sgml::{byline_name, collapse};
use super::RawArticle;
use crate::article::{EntityKind, SourceRef};
use crate::error::{Error, Result, UnsupportedReason, XmlError};
use roxmltree::{Document, Node, ParsingOptions};

/// Which wire format a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WireKind {
    /// NITF: root element `<nitf>`.
    Nitf,
    /// NewsML-G2: a `newsItem`, `newsMessage` or another G2 item (or a fragment of one).
    NewsMlG2,
}

/// The namespace of NewsML-G2 (the IPTC "News Architecture").
const NAR_NAMESPACE: &str = "http://iptc.org/std/nar/2006-10-01/";

/// Root elements of NewsML-G2 documents: items, messages, and the fragments the IPTC
/// specification shows on their own.
const G2_ROOTS: &[&str] = &[
    "newsItem",
    "newsMessage",
    "packageItem",
    "planningItem",
    "conceptItem",
    "knowledgeItem",
    "catalogItem",
    "contentSet",
    "contentMeta",
    "groupSet",
];

/// The wire format of a document, from its first 64 KB: the root element after the XML
/// declaration, comments, processing instructions and DOCTYPE.
pub(crate) fn wire_kind(head: &str) -> Option<WireKind> {
    let (name, tag) = root_element(head)?;
    let local = name.rsplit(':').next().unwrap_or(name);
    if local == "nitf" {
        Some(WireKind::Nitf)
    } else if G2_ROOTS.contains(&local) || tag.contains(NAR_NAMESPACE) {
        Some(WireKind::NewsMlG2)
    } else {
        None
    }
}

/// The first element of a markup document and the text of its start tag (up to `>`, or to
/// the end of `head` when cut), skipping a byte-order mark, white space, the XML
/// declaration, processing instructions, comments and a DOCTYPE (internal subset included).
pub(crate) fn root_element(head: &str) -> Option<(&str, &str)> {
    let mut s = head.trim_start_matches('\u{feff}');
    loop {
        s = s.trim_start();
        if let Some(rest) = s.strip_prefix("<?") {
            s = &rest[rest.find("?>")? + 2..];
        } else if let Some(rest) = s.strip_prefix("<!--") {
            s = &rest[rest.find("-->")? + 3..];
        } else if s.starts_with("<!") {
            s = &s[declaration_end(s)?..];
        } else if let Some(rest) = s.strip_prefix('<') {
            let name_len = rest
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(rest.len());
            let name = &rest[..name_len];
            if name.is_empty() || !name.starts_with(|c: char| c.is_alphabetic() || c == '_') {
                return None;
            }
            let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
            return Some((name, tag));
        } else {
            return None;
        }
    }
}

/// The byte after the `>` that closes a `<!DOCTYPE ...>` declaration starting `s`,
/// skipping quoted strings and an internal subset in `[...]`.
fn declaration_end(s: &str) -> Option<usize> {
    let mut depth = 0u32;
    let mut quote = None;
    for (i, c) in s.char_indices().skip(2) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') => depth = depth.saturating_sub(1),
            (None, '>') if depth == 0 => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// Read the articles of one NITF or NewsML-G2 document.
///
/// A document that is not well-formed XML gives [`Error::Xml`]; one that holds no article
/// text gives [`Error::Unsupported`] with [`UnsupportedReason::NoArticle`]. For a
/// `newsMessage`, `source.record` of each article is the 1-based position of its item.
pub(crate) fn read_wire_xml(
    kind: WireKind,
    text: &str,
    source: &SourceRef,
    emit: &mut dyn FnMut(Result<RawArticle>),
) -> Result<()> {
    let path = || source.display_path();
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        Error::Xml {
            path: path(),
            line: pos.row,
            column: pos.col,
            source: XmlError::new(e),
        }
    })?;
    let root = doc.root_element();
    let no_text = |what| Error::Unsupported {
        path: path(),
        reason: UnsupportedReason::NoArticle(what),
    };
    match kind {
        WireKind::Nitf => {
            let mut raw = RawArticle::new(source.clone());
            if !read_nitf(root, &mut raw) {
                return Err(no_text("NITF document"));
            }
            emit(Ok(raw));
        }
        WireKind::NewsMlG2 => {
            let mut found = false;
            match root.tag_name().name() {
                "newsMessage" => {
                    let items = child(root, "itemSet")
                        .into_iter()
                        .flat_map(|set| set.children().filter(Node::is_element));
                    for (i, item) in items.enumerate() {
                        let mut src = source.clone();
                        src.record = Some(i as u64 + 1);
                        if let Some(raw) = news_item(item, src) {
                            found = true;
                            emit(Ok(raw));
                        }
                    }
                }
                _ => {
                    if let Some(raw) = news_item(root, source.clone()) {
                        found = true;
                        emit(Ok(raw));
                    }
                }
            }
            if !found {
                return Err(no_text(g2_kind(root)));
            }
        }
    }
    Ok(())
}

/// What a NewsML-G2 document without article text holds, for the error message.
fn g2_kind(root: Node<'_, '_>) -> &'static str {
    match root.tag_name().name() {
        "newsItem" => match item_class(root).as_deref() {
            Some("picture") => "NewsML-G2 newsItem (picture)",
            Some("video") => "NewsML-G2 newsItem (video)",
            Some("audio") => "NewsML-G2 newsItem (audio)",
            Some("graphic") => "NewsML-G2 newsItem (graphic)",
            Some("composite") => "NewsML-G2 newsItem (composite)",
            Some("text") => "NewsML-G2 newsItem (text, but empty)",
            _ => "NewsML-G2 newsItem",
        },
        "newsMessage" => "NewsML-G2 newsMessage",
        "packageItem" => "NewsML-G2 packageItem",
        "planningItem" => "NewsML-G2 planningItem",
        "conceptItem" => "NewsML-G2 conceptItem",
        "knowledgeItem" => "NewsML-G2 knowledgeItem",
        "catalogItem" => "NewsML-G2 catalogItem",
        "contentMeta" => "NewsML-G2 contentMeta fragment",
        "contentSet" => "NewsML-G2 contentSet fragment",
        "groupSet" => "NewsML-G2 groupSet fragment",
        _ => "NewsML-G2 document",
    }
}

/// The nature of a news item (`ninat:text` → `text`), when declared.
fn item_class(item: Node<'_, '_>) -> Option<String> {
    let class = child(item, "itemMeta").and_then(|m| child(m, "itemClass"))?;
    let code = class.attribute("qcode").or(class.attribute("uri"))?;
    code.rsplit([':', '/'])
        .find(|s| !s.is_empty())
        .map(str::to_lowercase)
}

/// One NewsML-G2 item as an article: `None` unless it is a news item with text. A
/// `contentSet` fragment is read as the content of an unnamed item.
fn news_item(item: Node<'_, '_>, source: SourceRef) -> Option<RawArticle> {
    let (content_set, meta, item_meta) = match item.tag_name().name() {
        "newsItem" => (
            child(item, "contentSet")?,
            child(item, "contentMeta"),
            child(item, "itemMeta"),
        ),
        "contentSet" => (item, None, None),
        _ => return None,
    };
    if item_class(item).is_some_and(|c| c != "text") {
        return None;
    }
    let mut raw = RawArticle::new(source);
    // The first inline content with text is the body; an NITF one also gives metadata.
    let mut nitf = None;
    for content in content_set.children().filter(Node::is_element) {
        let body = match content.tag_name().name() {
            "inlineXML" => match inline_xml(content) {
                Inline::Nitf(node) => {
                    nitf = Some(node);
                    nitf_body(node)
                }
                Inline::Xhtml => blocks(content),
                Inline::Other => String::new(),
            },
            "inlineData" => {
                let plain = content
                    .attribute("contenttype")
                    .is_none_or(|t| t.starts_with("text/plain"));
                if plain {
                    text_of(content, false).trim().to_string()
                } else {
                    String::new()
                }
            }
            _ => String::new(),
        };
        if !body.is_empty() {
            raw.body = body;
            raw.plain = true;
            break;
        }
    }
    if raw.body.is_empty() {
        return None;
    }
    raw.id = item.attribute("guid").map(str::to_string);
    raw.language = lang(item);
    if let Some(meta) = meta {
        read_content_meta(meta, &mut raw);
    }
    if raw.date.is_none() {
        raw.date = item_meta.and_then(|m| {
            ["firstCreated", "versionCreated"]
                .iter()
                .find_map(|name| child_text(m, name))
        });
    }
    raw.publisher = item_meta
        .and_then(|m| child(m, "provider"))
        .and_then(party_name)
        .or_else(|| {
            meta.and_then(|m| child(m, "infoSource"))
                .and_then(party_name)
        });
    if let Some(nitf) = nitf {
        read_nitf(nitf, &mut raw);
    }
    if raw.language.is_none() {
        raw.language = content_set
            .descendants()
            .find_map(|n| n.attribute((roxmltree::NS_XML_URI, "lang")))
            .map(str::to_string);
    }
    Some(raw)
}

/// Headline, date, authors, language, places and subjects of a `contentMeta`.
fn read_content_meta(meta: Node<'_, '_>, raw: &mut RawArticle) {
    raw.title = child_text(meta, "headline").map(|h| collapse(&h));
    raw.date = child_text(meta, "contentCreated");
    for node in meta.children().filter(Node::is_element) {
        match node.tag_name().name() {
            "creator" => {
                if let Some(name) = party_name(node) {
                    push_unique(&mut raw.authors, name);
                }
            }
            "by" => {
                let name = byline_name(&collapse(&text_of(node, false)));
                if !name.is_empty() {
                    push_unique(&mut raw.authors, name);
                }
            }
            "language" => {
                if let Some(tag) = node.attribute("tag") {
                    raw.language = Some(tag.to_string());
                }
            }
            "located" => {
                // The place and the wider areas it is in ("Berlin", "Germany").
                for place in node.descendants().filter(|n| n.has_tag_name("name")) {
                    declare(raw, EntityKind::Place, &text_of(place, false));
                }
            }
            "subject" => {
                let Some(name) = child_text(node, "name").map(|n| collapse(&n)) else {
                    continue;
                };
                match node.attribute("type") {
                    Some("cpnat:person") => declare(raw, EntityKind::Person, &name),
                    Some("cpnat:organisation") => declare(raw, EntityKind::Organization, &name),
                    Some("cpnat:geoArea" | "cpnat:poi") => declare(raw, EntityKind::Place, &name),
                    _ => push_unique(&mut raw.topics, name),
                }
            }
            _ => {}
        }
    }
}

/// The name of a party (`provider`, `creator`, `infoSource`): its `<name>`, its `literal`,
/// the code of its `qcode` (`nprov:REUTERS` → `REUTERS`), or the host of its `uri`.
fn party_name(node: Node<'_, '_>) -> Option<String> {
    child_text(node, "name")
        .map(|n| collapse(&n))
        .or_else(|| node.attribute("literal").map(collapse))
        .or_else(|| {
            node.attribute("qcode")
                .and_then(|q| q.split_once(':'))
                .map(|(_, code)| code.trim().to_string())
        })
        .or_else(|| {
            node.attribute("uri").and_then(|u| {
                let host = u.split("://").nth(1)?.split('/').next()?;
                Some(host.trim_start_matches("www.").to_string())
            })
        })
        .filter(|n| !n.is_empty())
}

/// What an `inlineXML` element holds.
enum Inline<'a, 'input> {
    /// An NITF document.
    Nitf(Node<'a, 'input>),
    /// XHTML (or bare paragraphs).
    Xhtml,
    /// Something that is not article text (SportsML, event lists...).
    Other,
}

fn inline_xml<'a, 'input>(content: Node<'a, 'input>) -> Inline<'a, 'input> {
    if let Some(nitf) = content.children().find(|n| n.has_tag_name("nitf")) {
        return Inline::Nitf(nitf);
    }
    match content.attribute("contenttype") {
        Some(t) if t.contains("html") => Inline::Xhtml,
        Some(_) => Inline::Other,
        // No content type: XHTML when it has paragraphs of its own.
        None if content.children().any(|n| {
            ["p", "html", "body", "div"]
                .iter()
                .any(|t| n.has_tag_name(*t))
        }) =>
        {
            Inline::Xhtml
        }
        None => Inline::Other,
    }
}

/// Fill `raw` from an NITF document, keeping what is already set (a NewsML-G2 envelope's
/// metadata wins). The body is set when empty. Returns whether the document has body text.
fn read_nitf(nitf: Node<'_, '_>, raw: &mut RawArticle) -> bool {
    if raw.body.is_empty() {
        raw.body = nitf_body(nitf);
        raw.plain = true;
    }
    if raw.body.is_empty() {
        return false;
    }
    if raw.title.is_none() {
        raw.title = first(nitf, "hl1")
            .or_else(|| first(nitf, "head").and_then(|h| child(h, "title")))
            .map(|n| collapse(&text_of(n, true)))
            .filter(|t| !t.is_empty());
    }
    if raw.authors.is_empty() {
        for byline in nitf.descendants().filter(|n| n.has_tag_name("byline")) {
            for name in byline_names(byline) {
                push_unique(&mut raw.authors, name);
            }
        }
    }
    if raw.date.is_none() {
        raw.date = ["date.issue", "date.release", "story.date"]
            .iter()
            .filter_map(|tag| first(nitf, tag))
            .find_map(|n| {
                n.attribute("norm")
                    .map(str::to_string)
                    .or_else(|| Some(collapse(&text_of(n, false))))
                    .filter(|d| !d.is_empty())
            });
    }
    if raw.id.is_none() {
        raw.id = first(nitf, "doc-id")
            .and_then(|n| n.attribute("id-string"))
            .map(str::to_string);
    }
    if raw.language.is_none() {
        raw.language = lang(nitf).or_else(|| {
            first(nitf, "body.content")
                .and_then(lang)
                .or_else(|| first(nitf, "body").and_then(lang))
        });
    }
    if raw.publisher.is_none() {
        raw.publisher = first(nitf, "pubdata")
            .and_then(|n| n.attribute("name"))
            .or_else(|| first(nitf, "doc.copyright").and_then(|n| n.attribute("holder")))
            .map(collapse)
            .filter(|p| !p.is_empty());
    }
    for node in nitf.descendants().filter(Node::is_element) {
        let name = node.tag_name().name();
        match name {
            "keyword" => {
                if let Some(key) = node.attribute("key").map(collapse) {
                    if !key.is_empty() {
                        push_unique(&mut raw.topics, key);
                    }
                }
            }
            "classifier" => {
                let value = node
                    .attribute("value")
                    .map(collapse)
                    .unwrap_or_else(|| collapse(&text_of(node, false)));
                if !value.is_empty() {
                    push_unique(&mut raw.topics, value);
                }
            }
            "tobject.subject" => {
                let value = [
                    "tobject.subject.detail",
                    "tobject.subject.matter",
                    "tobject.subject.type",
                ]
                .iter()
                .find_map(|a| node.attribute(*a).filter(|v| !v.trim().is_empty()));
                if let Some(value) = value {
                    push_unique(&mut raw.topics, collapse(value));
                }
            }
            "person" => declare(raw, EntityKind::Person, &text_of(node, true)),
            "org" => declare(raw, EntityKind::Organization, &text_of(node, true)),
            "location" | "city" | "country" | "region" | "state" => {
                // A location made of parts (`<city>`, `<country>`) is declared by its parts.
                let parts = name == "location"
                    && node.children().any(|n| {
                        ["city", "country", "region", "state"]
                            .iter()
                            .any(|t| n.has_tag_name(*t))
                    });
                if !parts {
                    declare(raw, EntityKind::Place, &text_of(node, true));
                }
            }
            _ => {}
        }
    }
    true
}

/// Authors of an NITF `<byline>`: its `<person>`s, else its text without the `<byttl>`
/// (job title), "By" and the agency.
fn byline_names(byline: Node<'_, '_>) -> Vec<String> {
    let people: Vec<String> = byline
        .descendants()
        .filter(|n| n.has_tag_name("person"))
        .map(|n| collapse(&text_of(n, true)))
        .filter(|n| !n.is_empty())
        .collect();
    if !people.is_empty() {
        return people;
    }
    let mut text = String::new();
    let mut skip = 0..0;
    for n in byline.descendants() {
        if n.has_tag_name("byttl") {
            skip = n.range();
        } else if n.is_text() && !skip.contains(&n.range().start) {
            text.push_str(n.text().unwrap_or_default());
        }
    }
    let name = byline_name(&collapse(&text));
    let name = name.trim_end_matches([',', ';', '-']).trim();
    if name.is_empty() {
        Vec::new()
    } else {
        vec![name.to_string()]
    }
}

/// The paragraphs of an NITF document's `body.content`s, separated by blank lines.
fn nitf_body(nitf: Node<'_, '_>) -> String {
    let mut out = String::new();
    for content in nitf
        .descendants()
        .filter(|n| n.has_tag_name("body.content"))
    {
        let text = blocks(content);
        if !text.is_empty() {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&text);
        }
    }
    out
}

/// Elements read as one paragraph each (NITF and XHTML).
const BLOCKS: &[&str] = &[
    "p", "hl1", "hl2", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "dt", "dd",
];
/// Elements whose text is not article text (captions, tables, scripts).
const SKIPPED: &[&str] = &["media", "table", "nitf-table", "script", "style", "object"];

/// The text of `container` as paragraphs separated by blank lines: one per block element
/// (`<p>`, subheads, list items), or the whole text when it has none.
fn blocks(container: Node<'_, '_>) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut skip_until = 0;
    let mut any_block = false;
    for n in container.descendants().skip(1).filter(Node::is_element) {
        let range = n.range();
        if range.start < skip_until {
            continue;
        }
        let name = n.tag_name().name();
        if SKIPPED.contains(&name) {
            skip_until = range.end;
        } else if BLOCKS.contains(&name) {
            any_block = true;
            skip_until = range.end;
            let text = collapse(&text_of(n, true));
            if !text.is_empty() {
                paragraphs.push(text);
            }
        }
    }
    if !any_block {
        let text = collapse(&text_of(container, true));
        if !text.is_empty() {
            paragraphs.push(text);
        }
    }
    paragraphs.join("\n\n")
}

/// The text inside `node`; with `breaks`, `<br/>` counts as a space.
fn text_of(node: Node<'_, '_>, breaks: bool) -> String {
    let mut out = String::new();
    for n in node.descendants() {
        if n.is_text() {
            out.push_str(n.text().unwrap_or_default());
        } else if breaks && n.has_tag_name("br") {
            out.push(' ');
        }
    }
    out
}

/// The first element child of `node` with local name `name`.
fn child<'a, 'input>(node: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    node.children().find(|n| n.has_tag_name(name))
}

/// The trimmed, non-empty text of the first child `name` of `node`.
fn child_text(node: Node<'_, '_>, name: &str) -> Option<String> {
    child(node, name)
        .map(|n| text_of(n, true).trim().to_string())
        .filter(|t| !t.is_empty())
}

/// The first element named `name` at or under `node`.
fn first<'a, 'input>(node: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    node.descendants().find(|n| n.has_tag_name(name))
}

/// The `xml:lang` of an element.
fn lang(node: Node<'_, '_>) -> Option<String> {
    node.attribute((roxmltree::NS_XML_URI, "lang"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
}

fn declare(raw: &mut RawArticle, kind: EntityKind, name: &str) {
    let name = collapse(name);
    if !name.is_empty() && !raw.declared.iter().any(|(k, n)| *k == kind && *n == name) {
        raw.declared.push((kind, name));
    }
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if !list.contains(&value) {
        list.push(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Format;

    fn src(format: Format) -> SourceRef {
        SourceRef::new("/x/story.xml", format)
    }

    fn read(kind: WireKind, text: &str) -> Result<Vec<RawArticle>> {
        let format = match kind {
            WireKind::Nitf => Format::Nitf,
            WireKind::NewsMlG2 => Format::NewsMl,
        };
        let mut out = Vec::new();
        read_wire_xml(kind, text, &src(format), &mut |r| out.push(r.unwrap()))?;
        Ok(out)
    }

    // An invented story.
    const NITF: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nitf SYSTEM "nitf-3-6.dtd">
<!-- a comment -->
<nitf version="-//IPTC//DTD NITF 3.6//EN" xml:lang="en">
  <head>
    <title>Harbour ferry returns</title>
    <tobject tobject.type="news">
      <tobject.subject tobject.subject.type="Transport" tobject.subject.matter="Ferries"/>
    </tobject>
    <docdata>
      <doc-id id-string="gazette-2019-0412"/>
      <date.issue norm="20190412T093000+0100"/>
      <key-list><keyword key="ferries"/><keyword key="harbour"/></key-list>
    </docdata>
    <pubdata name="Coastal Gazette" type="print"/>
  </head>
  <body>
    <body.head>
      <hedline><hl1>Harbour  ferry
        returns after repairs</hl1></hedline>
      <byline>By Tom Inventa, <byttl>Transport Reporter</byttl></byline>
      <dateline><location><city>Portmere</city>, <country>Exland</country></location></dateline>
    </body.head>
    <body.content>
      <p>The <org>Portmere Ferry Company</org> said on Friday that its
        oldest boat would sail again &amp; carry passengers.</p>
      <block>
        <hl2>Back in service</hl2>
        <p>Captain <person>Ada Voss</person> said the crossing to <location>Little Isle</location>
          takes<br/>twenty minutes.</p>
      </block>
      <media media-type="image"><media-caption><p>A caption, not text.</p></media-caption></media>
      <classifier type="nitf:subject" value="maritime"/>
    </body.content>
  </body>
</nitf>"#;

    #[test]
    fn kinds_from_the_root_element() {
        assert_eq!(wire_kind(NITF), Some(WireKind::Nitf));
        assert_eq!(wire_kind(G2), Some(WireKind::NewsMlG2));
        assert_eq!(wire_kind(MESSAGE), Some(WireKind::NewsMlG2));
        assert_eq!(
            wire_kind(r#"<!DOCTYPE x [ <!ENTITY a "b>"> ]><planningItem/>"#),
            Some(WireKind::NewsMlG2)
        );
        assert_eq!(
            wire_kind(r#"<item xmlns="http://iptc.org/std/nar/2006-10-01/">"#),
            Some(WireKind::NewsMlG2)
        );
        assert_eq!(wire_kind("<html><body/></html>"), None);
        assert_eq!(wire_kind("<rss version=\"2.0\">"), None);
        assert_eq!(wire_kind("plain text"), None);
        assert_eq!(wire_kind("<!-- unclosed"), None);
    }

    #[test]
    fn nitf_story() {
        let a = &read(WireKind::Nitf, NITF).unwrap()[0];
        assert_eq!(
            a.title.as_deref(),
            Some("Harbour ferry returns after repairs")
        );
        assert_eq!(
            a.body,
            "The Portmere Ferry Company said on Friday that its oldest boat would sail again \
             & carry passengers.\n\nBack in service\n\nCaptain Ada Voss said the crossing to \
             Little Isle takes twenty minutes."
        );
        assert_eq!(a.authors, ["Tom Inventa"]);
        assert_eq!(a.id.as_deref(), Some("gazette-2019-0412"));
        assert_eq!(a.date.as_deref(), Some("20190412T093000+0100"));
        assert_eq!(a.language.as_deref(), Some("en"));
        assert_eq!(a.publisher.as_deref(), Some("Coastal Gazette"));
        assert_eq!(a.topics, ["Ferries", "ferries", "harbour", "maritime"]);
        assert_eq!(
            a.declared,
            [
                (EntityKind::Place, "Portmere".to_string()),
                (EntityKind::Place, "Exland".to_string()),
                (
                    EntityKind::Organization,
                    "Portmere Ferry Company".to_string()
                ),
                (EntityKind::Person, "Ada Voss".to_string()),
                (EntityKind::Place, "Little Isle".to_string()),
            ]
        );
        assert_eq!(a.source.format, Format::Nitf);
        assert_eq!(a.source.record, None);
    }

    // An invented item.
    const G2: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:newsml:example.org:20200301:mill"
    version="1" standard="NewsML-G2" standardversion="2.29" xml:lang="en-GB">
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider qcode="nprov:EXWIRE"><name>Example Wire</name></provider>
    <versionCreated>2020-03-02T10:00:00Z</versionCreated>
    <firstCreated>2020-03-01T08:00:00Z</firstCreated>
  </itemMeta>
  <contentMeta>
    <contentCreated>2020-03-01T07:45:00+01:00</contentCreated>
    <located qcode="geo:1"><name>Millbrook</name>
      <broader qcode="cntry:EX"><name>Exland</name></broader></located>
    <creator><name>Lena Fictus</name></creator>
    <language tag="en-GB"/>
    <subject type="cpnat:abstract" qcode="medtop:04000000"><name>economy</name></subject>
    <subject type="cpnat:person" qcode="p:1"><name>Omar Exemplar</name></subject>
    <subject type="cpnat:organisation" qcode="o:1"><name>Millbrook Mills</name></subject>
    <subject type="cpnat:geoArea" qcode="g:1"><name>Riverside</name></subject>
    <subject qcode="medtop:20000350"/>
    <headline>Old mill   reopens</headline>
  </contentMeta>
  <contentSet>
    <inlineXML contenttype="application/xhtml+xml">
      <html xmlns="http://www.w3.org/1999/xhtml"><body>
        <h1>Old mill reopens</h1>
        <p>The mill on the river opened its doors again on Sunday.</p>
        <p>Owner Omar Exemplar thanked the town.</p>
      </body></html>
    </inlineXML>
  </contentSet>
</newsItem>"#;

    #[test]
    fn newsml_item_with_xhtml() {
        let a = &read(WireKind::NewsMlG2, G2).unwrap()[0];
        assert_eq!(
            a.id.as_deref(),
            Some("urn:newsml:example.org:20200301:mill")
        );
        assert_eq!(a.title.as_deref(), Some("Old mill reopens"));
        assert_eq!(
            a.body,
            "Old mill reopens\n\nThe mill on the river opened its doors again on Sunday.\n\n\
             Owner Omar Exemplar thanked the town."
        );
        assert_eq!(a.date.as_deref(), Some("2020-03-01T07:45:00+01:00"));
        assert_eq!(a.authors, ["Lena Fictus"]);
        assert_eq!(a.language.as_deref(), Some("en-GB"));
        assert_eq!(a.publisher.as_deref(), Some("Example Wire"));
        assert_eq!(a.topics, ["economy"]);
        assert_eq!(
            a.declared,
            [
                (EntityKind::Place, "Millbrook".to_string()),
                (EntityKind::Place, "Exland".to_string()),
                (EntityKind::Person, "Omar Exemplar".to_string()),
                (EntityKind::Organization, "Millbrook Mills".to_string()),
                (EntityKind::Place, "Riverside".to_string()),
            ]
        );
    }

    // An invented message: NITF text, plain text, a picture, and a package.
    const MESSAGE: &str = r#"<?xml version="1.0"?>
<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/">
  <header><sent>2021-05-05T12:00:00Z</sent></header>
  <itemSet>
    <packageItem guid="pkg"><itemMeta><itemClass qcode="ninat:composite"/></itemMeta></packageItem>
    <newsItem guid="one">
      <itemMeta><itemClass qcode="ninat:text"/><provider literal="Example Wire"/>
        <firstCreated>2021-05-05T11:00:00Z</firstCreated></itemMeta>
      <contentSet><inlineXML contenttype="application/nitf+xml">
        <nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body>
          <body.head><hedline><hl1>Bridge opens</hl1></hedline>
            <byline><person>Kim Placeholder</person></byline></body.head>
          <body.content><p>The new bridge opened to traffic.</p></body.content>
        </body></nitf>
      </inlineXML></contentSet>
    </newsItem>
    <newsItem guid="two">
      <itemMeta><itemClass qcode="ninat:picture"/></itemMeta>
      <contentMeta><headline>Photo of the bridge</headline></contentMeta>
      <contentSet><remoteContent href="bridge.jpg"/></contentSet>
    </newsItem>
    <newsItem guid="three">
      <contentMeta><headline>Short note</headline><by>By Sam Sample</by></contentMeta>
      <contentSet><inlineData contenttype="text/plain">Traffic is light.
Drivers are pleased.</inlineData></contentSet>
    </newsItem>
  </itemSet>
</newsMessage>"#;

    #[test]
    fn newsml_message_gives_one_article_per_text_item() {
        let out = read(WireKind::NewsMlG2, MESSAGE).unwrap();
        assert_eq!(out.len(), 2);
        let (a, b) = (&out[0], &out[1]);
        assert_eq!(a.id.as_deref(), Some("one"));
        assert_eq!(a.source.record, Some(2));
        assert_eq!(a.title.as_deref(), Some("Bridge opens"));
        assert_eq!(a.body, "The new bridge opened to traffic.");
        assert_eq!(a.authors, ["Kim Placeholder"]);
        assert_eq!(a.date.as_deref(), Some("2021-05-05T11:00:00Z"));
        assert_eq!(a.publisher.as_deref(), Some("Example Wire"));
        assert_eq!(b.id.as_deref(), Some("three"));
        assert_eq!(b.source.record, Some(4));
        assert_eq!(b.body, "Traffic is light.\nDrivers are pleased.");
        assert_eq!(b.authors, ["Sam Sample"]);
        assert_eq!(b.source.format, Format::NewsMl);
    }

    #[test]
    fn items_without_text_are_an_error_naming_them() {
        let planning = r#"<planningItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="p">
            <itemMeta><itemClass qcode="plinat:newscoverage"/></itemMeta></planningItem>"#;
        let picture = r#"<newsItem guid="p"><itemMeta><itemClass qcode="ninat:picture"/></itemMeta>
            <contentMeta><headline>A photo</headline></contentMeta>
            <contentSet><remoteContent href="a.jpg"/></contentSet></newsItem>"#;
        let empty_nitf = "<nitf><head><title>Only a title</title></head><body/></nitf>";
        for (kind, doc, what) in [
            (WireKind::NewsMlG2, planning, "NewsML-G2 planningItem"),
            (WireKind::NewsMlG2, picture, "NewsML-G2 newsItem (picture)"),
            (WireKind::Nitf, empty_nitf, "NITF document"),
        ] {
            match read(kind, doc) {
                Err(
                    e @ Error::Unsupported {
                        reason: UnsupportedReason::NoArticle(w),
                        ..
                    },
                ) => {
                    assert_eq!(w, what);
                    assert_eq!(
                        e.to_string(),
                        format!("/x/story.xml: no article text ({what})")
                    );
                }
                other => panic!("{what}: {other:?}"),
            }
        }
    }

    #[test]
    fn malformed_xml_is_one_error_with_a_position() {
        let bad = "<nitf>\n<body><body.content><p>text</body.content></body></nitf>";
        match read(WireKind::Nitf, bad) {
            Err(e @ Error::Xml { line: 2, .. }) => {
                let msg = e.to_string();
                assert!(msg.starts_with("/x/story.xml: invalid XML: "), "{msg}");
            }
            other => panic!("{other:?}"),
        }
        for bad in [
            "",
            "<nitf>",
            "<nitf>&nbsp;</nitf>",
            "<a></b>",
            "\u{feff}<<<",
        ] {
            assert!(
                matches!(read(WireKind::Nitf, bad), Err(Error::Xml { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let depth = 100_000;
        let mut doc = String::from("<nitf><body><body.content>");
        doc.push_str(&"<div>".repeat(depth));
        doc.push_str("<p>Deep text.</p>");
        doc.push_str(&"</div>".repeat(depth));
        doc.push_str("</body.content></body></nitf>");
        let out = read(WireKind::Nitf, &doc).unwrap();
        assert_eq!(out[0].body, "Deep text.");
        // Unclosed at depth: an error, not a crash.
        let cut = &doc[..doc.len() / 2];
        assert!(matches!(read(WireKind::Nitf, cut), Err(Error::Xml { .. })));
    }

    #[test]
    fn format_names() {
        for (f, name) in [
            (Format::Sgml, "sgml"),
            (Format::Nitf, "nitf"),
            (Format::NewsMl, "newsml"),
        ] {
            assert_eq!(f.as_str(), name);
            assert_eq!(serde_json::to_value(f).unwrap(), name);
        }
    }

    /// The official IPTC examples in `../shared`, when present: the items with story text
    /// give articles with title and body; pictures, video, packages, planning, concept and
    /// knowledge items, and items whose text is empty or not prose, give none.
    #[test]
    fn iptc_samples() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/corpora/html-samples/newsml-g2");
        if !dir.is_dir() {
            eprintln!("skipping: {} not present", dir.display());
            return;
        }
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".xml"))
            .collect();
        names.sort();
        assert_eq!(names.len(), 35);
        let mut with_text = Vec::new();
        for name in &names {
            let text = std::fs::read_to_string(dir.join(name)).unwrap();
            let kind = wire_kind(&text).unwrap_or_else(|| panic!("{name}: kind"));
            let mut out = Vec::new();
            let source = SourceRef {
                path: name.clone(),
                ..src(Format::NewsMl)
            };
            match read_wire_xml(kind, &text, &source, &mut |r| out.push(r.unwrap())) {
                Ok(()) => {
                    for a in &out {
                        assert!(!a.body.is_empty(), "{name}: body");
                    }
                    with_text.push((name.as_str(), out));
                }
                Err(Error::Unsupported {
                    reason: UnsupportedReason::NoArticle(_),
                    ..
                }) => {}
                Err(e) => panic!("{name}: {e}"),
            }
        }
        let found: Vec<(&str, usize)> = with_text.iter().map(|(n, o)| (*n, o.len())).collect();
        assert_eq!(
            found,
            [
                ("LISTING_22_Sports_story_in_NewsML-G2NITF.xml", 1),
                (
                    "LISTING_25_An_NITF_marked-up_article_conveyed_in_inlineXML.xml",
                    1
                ),
                ("LISTING_2_NewsML-G2_Text_Document.xml", 1),
                ("Receiver_View.xml", 1),
                ("facet-example-3.xml", 1),
            ]
        );
        for (name, out) in &with_text {
            if !name.starts_with("facet") {
                assert!(out[0].title.is_some(), "{name}: title");
            }
        }
        let story = &with_text[0].1[0];
        assert!(story
            .title
            .as_deref()
            .unwrap()
            .starts_with("Preview: Arizona"));
        assert_eq!(story.body.split("\n\n").count(), 6);
        assert!(story.date.is_some() && story.language.is_some());
        assert!(story
            .declared
            .contains(&(EntityKind::Person, "Doug Davis".to_string())));
    }
}
