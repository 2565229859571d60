//! JSON and JSONL articles, with the field names real exports use.
//!
//! One reader maps every shape: a single object, an array of objects, an envelope with the
//! articles under `articles`/`items`/`data`/... (NewsAPI, CMS exports), and one object per
//! line. Field names are matched case-insensitively, with `_`/`-` ignored.

use super::RawArticle;
use crate::article::{EntityKind, SourceRef};
use serde_json::{Map, Value};

const TITLE: &[&str] = &["title", "headline", "heading", "hed"];
const BODY: &[&str] = &[
    "body",
    "text",
    "content",
    "articlebody",
    "fulltext",
    "story",
    "bodytext",
    "contentencoded",
    "maintext",
];
const SUMMARY: &[&str] = &["description", "summary", "abstract", "lead", "dek"];
const DATE: &[&str] = &[
    "date",
    "published",
    "publishedat",
    "pubdate",
    "datepublished",
    "publicationdate",
    "publishdate",
    "publishedon",
    "datecreated",
    "created",
    "createdat",
    "issued",
    "firstpublished",
    "timestamp",
    "time",
];
const AUTHOR: &[&str] = &[
    "author",
    "authors",
    "byline",
    "creator",
    "dccreator",
    "writer",
];
const URL: &[&str] = &["url", "link", "canonicalurl", "weburl", "href", "permalink"];
const PUBLISHER: &[&str] = &[
    "publisher",
    "source",
    "sourcename",
    "sitename",
    "outlet",
    "publication",
    "newspaper",
    "site",
    "feed",
];
const ID: &[&str] = &[
    "id",
    "newid",
    "docid",
    "articleid",
    "guid",
    "uuid",
    "documentid",
    "uid",
];
const LANGUAGE: &[&str] = &["language", "lang", "inlanguage", "locale"];
const TOPICS: &[&str] = &[
    "topics",
    "tags",
    "keywords",
    "section",
    "sections",
    "category",
    "categories",
    "subjects",
    "articlesection",
];
const PEOPLE: &[&str] = &["people", "persons", "person"];
const PLACES: &[&str] = &["places", "locations", "location", "countries", "place"];
const ORGS: &[&str] = &[
    "orgs",
    "organizations",
    "organisations",
    "organization",
    "companies",
];
/// Keys of an envelope object that holds a list of articles.
const ENVELOPE: &[&str] = &[
    "articles",
    "items",
    "data",
    "results",
    "documents",
    "docs",
    "entries",
    "posts",
    "stories",
];

/// Map one JSON value (an object, an array, or an envelope) to raw articles.
///
/// `source.record` of each yielded article is its 1-based position in an array.
/// Returns the values that are not article-like (neither title nor body) as their positions.
pub fn read_value(value: Value, source: &SourceRef, out: &mut Vec<RawArticle>) -> Vec<u64> {
    let mut empty = Vec::new();
    match value {
        Value::Array(items) => {
            for (i, item) in items.into_iter().enumerate() {
                let mut src = source.clone();
                src.record = Some(i as u64 + 1);
                match item {
                    Value::Object(map) => match read_object(&map, src) {
                        Some(raw) => out.push(raw),
                        None => empty.push(i as u64 + 1),
                    },
                    _ => empty.push(i as u64 + 1),
                }
            }
        }
        Value::Object(map) => {
            if let Some(raw) = read_object(&map, source.clone()) {
                out.push(raw);
            } else if let Some(list) = ENVELOPE.iter().find_map(|k| {
                field(&map, &[k])
                    .filter(|v| v.is_array())
                    .or_else(|| field(&map, &["response"]).and_then(|r| r.get(*k)))
            }) {
                return read_value(list.clone(), source, out);
            } else if let Some(list) = map
                .get("rss")
                .and_then(|r| r.get("channel"))
                .and_then(|c| c.get("item"))
                .filter(|v| v.is_array())
            {
                // RSS rendered as JSON ({"rss": {"channel": {"item": [...]}}}).
                return read_value(list.clone(), source, out);
            } else {
                empty.push(source.record.unwrap_or(1));
            }
        }
        _ => empty.push(source.record.unwrap_or(1)),
    }
    empty
}

/// Map one JSON object to a raw article; `None` when it has neither title nor text.
pub fn read_object(map: &Map<String, Value>, source: SourceRef) -> Option<RawArticle> {
    let mut raw = RawArticle::new(source);
    raw.title = string(field(map, TITLE));
    raw.body = string(field(map, BODY))
        .or_else(|| string(field(map, SUMMARY)))
        .unwrap_or_default();
    if raw.title.is_none() && raw.body.trim().is_empty() {
        return None;
    }
    raw.date = field(map, DATE).and_then(|v| match v {
        Value::Number(n) => Some(n.to_string()),
        other => string(Some(other)),
    });
    raw.authors = names(field(map, AUTHOR));
    raw.publisher = names(field(map, PUBLISHER)).into_iter().next();
    raw.url = string(field(map, URL)).or_else(|| {
        // Atom-style `{"link": {"href": ...}}`.
        field(map, URL).and_then(|v| string(v.get("href")))
    });
    raw.id = field(map, ID).and_then(|v| match v {
        Value::Number(n) => Some(n.to_string()),
        other => string(Some(other)),
    });
    raw.language = string(field(map, LANGUAGE));
    raw.topics = names(field(map, TOPICS));
    for (keys, kind) in [
        (PEOPLE, EntityKind::Person),
        (PLACES, EntityKind::Place),
        (ORGS, EntityKind::Organization),
    ] {
        for name in names(field(map, keys)) {
            raw.declared.push((kind, name));
        }
    }
    Some(raw)
}

/// The first present, non-null field among `keys` (normalised key comparison).
fn field<'a>(map: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    for want in keys {
        for (k, v) in map {
            if !v.is_null() && normalise_key(k) == *want {
                return Some(v);
            }
        }
    }
    None
}

fn normalise_key(key: &str) -> String {
    key.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A trimmed, non-empty string value (numbers and booleans are not strings here).
fn string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Object(o) => string(o.get("name").or_else(|| o.get("value"))),
        Value::Array(a) => a.iter().find_map(|x| string(Some(x))),
        _ => None,
    }
}

/// Names from a string, an object with `name`, or an array of either.
fn names(v: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    match v {
        Some(Value::Array(items)) => {
            for item in items {
                out.extend(names(Some(item)));
            }
        }
        Some(other) => out.extend(string(Some(other))),
        None => {}
    }
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Format;
    use serde_json::json;

    fn src() -> SourceRef {
        SourceRef::new("x.json", Format::Json)
    }

    #[test]
    fn schema_org_shape() {
        let v = json!({"headline": "H", "articleBody": "B", "datePublished": "2017-06-02",
            "author": [{"name": "A"}, {"name": "B"}], "publisher": {"name": "P"}, "url": "u"});
        let mut out = Vec::new();
        assert!(read_value(v, &src(), &mut out).is_empty());
        let a = &out[0];
        assert_eq!(a.title.as_deref(), Some("H"));
        assert_eq!(a.body, "B");
        assert_eq!(a.date.as_deref(), Some("2017-06-02"));
        assert_eq!(a.authors, ["A", "B"]);
        assert_eq!(a.publisher.as_deref(), Some("P"));
    }

    #[test]
    fn newsapi_envelope_and_nested_source() {
        let v = json!({"status": "ok", "articles": [
            {"source": {"id": null, "name": "Gazette"}, "title": "T", "content": "C",
             "publishedAt": "2018-01-20T10:00:00Z"},
            {"junk": 1}
        ]});
        let mut out = Vec::new();
        let empty = read_value(v, &src(), &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].publisher.as_deref(), Some("Gazette"));
        assert_eq!(out[0].source.record, Some(1));
        assert_eq!(empty, [2]);
    }

    #[test]
    fn declared_entities_and_numeric_id() {
        let v = json!({"id": 17, "title": "T", "body": "B", "places": ["usa", "uk"], "people": []});
        let mut out = Vec::new();
        read_value(v, &src(), &mut out);
        assert_eq!(out[0].id.as_deref(), Some("17"));
        assert_eq!(out[0].declared.len(), 2);
    }
}
