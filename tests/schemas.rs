//! The JSON Schemas of `schema/` against the real output of the binary: every schema is a
//! valid draft 2020-12 schema with a description on every property, and what `search`,
//! `search --batch`, `similar`, `timeline`, `entities`, `show`, `eval ranking` and
//! `normalize` print validates against its schema. Deliberately broken instances (a field
//! renamed, a required field dropped, a wrong type) must be rejected, so a field renamed in
//! the Rust types cannot slip past these tests.
//!
//! The schemas refer to each other by relative `$ref`s under their `$id` base; they are
//! registered from the files under that base, and the validators are built offline: nothing
//! is ever fetched.

mod common;

use common::*;
use jsonschema::{Registry, Validator};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Base URI of the schemas' `$id`s.
const BASE: &str = "https://newsdex.example/schema/";
const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Every schema file the CLI's JSON is described by.
const SCHEMAS: &[&str] = &[
    "article.schema.json",
    "batch-line.schema.json",
    "entity-report.schema.json",
    "eval-report.schema.json",
    "ner-agreement.schema.json",
    "ner-report.schema.json",
    "search-results.schema.json",
    "timeline.schema.json",
];

/// An article of the sample corpus (stored three times, as copies of one story).
const LUMORA_VALENCIA: &str = "d0bca939d1588bd6";

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schema")
}

/// `(file name, parsed schema)` of every `*.schema.json` of `schema/`, by name.
fn schema_files() -> &'static [(String, Value)] {
    static FILES: OnceLock<Vec<(String, Value)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut files: Vec<(String, Value)> = std::fs::read_dir(schema_dir())
            .expect("schema/ is readable")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.to_string_lossy().ends_with(".schema.json"))
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                let text = std::fs::read_to_string(&p).expect("schema file");
                let value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
                (name, value)
            })
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    })
}

/// The schema files, registered under their `$id`s so that `$ref`s resolve without a network.
fn registry() -> &'static Registry<'static> {
    static REGISTRY: OnceLock<Registry<'static>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        Registry::new()
            .extend(
                schema_files()
                    .iter()
                    .map(|(name, value)| (format!("{BASE}{name}"), value.clone())),
            )
            .expect("schemas register")
            .prepare()
            .expect("schema references resolve")
    })
}

/// A validator for a schema or a part of one (`search-results.schema.json#/$defs/hit`),
/// built offline: a reference outside the registered files fails instead of being fetched.
fn validator(reference: &str) -> Validator {
    jsonschema::draft202012::options()
        .offline()
        .with_registry(registry())
        .build(&json!({ "$ref": format!("{BASE}{reference}") }))
        .unwrap_or_else(|e| panic!("validator for {reference}: {e}"))
}

/// Panic with every error when `instance` does not validate against `reference`.
fn assert_valid(v: &Validator, reference: &str, instance: &Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(instance)
        .map(|e| format!("  at {}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match {reference}:\n{}\ninstance: {}",
        errors.join("\n"),
        short(instance)
    );
}

/// At most 2,000 chars of an instance, for messages.
fn short(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(2000) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

/// One sample-corpus index shared by the tests of this file.
fn sample() -> &'static TestEnv {
    static ENV: OnceLock<TestEnv> = OnceLock::new();
    ENV.get_or_init(|| {
        let env = TestEnv::new();
        // Named as in the repository: derived ids (and the judged set) depend on it.
        let corpus = env.copy_inputs(&sample_corpus(), "sample_corpus");
        env.index(&[&corpus]);
        env
    })
}

/// Run `newsdex ARGS` on the sample index, expecting exit code `code`; returns stdout.
fn output(args: &[&str], code: i32) -> String {
    let out = sample().newsdex().args(args).output().expect("run");
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The JSON document printed by `newsdex ARGS` (exit code 0).
fn json_of(args: &[&str]) -> Value {
    let out = output(args, 0);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}\n{out}"))
}

/// The JSON lines printed by `newsdex ARGS`.
fn json_lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Every subschema of a schema document that is the value of a `properties` entry, with its
/// JSON pointer.
fn properties_of<'a>(schema: &'a Value, at: &str, out: &mut Vec<(String, &'a Value)>) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                let here = format!("{at}/{key}");
                if key == "properties" {
                    for (name, sub) in value.as_object().into_iter().flatten() {
                        out.push((format!("{here}/{name}"), sub));
                    }
                }
                // `enum`, `const`, `examples` and `default` hold data, not subschemas.
                if !matches!(key.as_str(), "enum" | "const" | "examples" | "default") {
                    properties_of(value, &here, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                properties_of(item, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Every object subschema of a schema document (one with `properties`), with its pointer.
fn object_schemas<'a>(schema: &'a Value, at: &str, out: &mut Vec<(String, &'a Value)>) {
    match schema {
        Value::Object(map) => {
            if map.get("properties").is_some_and(Value::is_object) {
                out.push((at.to_string(), schema));
            }
            for (key, value) in map {
                if !matches!(key.as_str(), "enum" | "const" | "examples" | "default") {
                    object_schemas(value, &format!("{at}/{key}"), out);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                object_schemas(item, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_schema_is_valid_draft_2020_12_and_every_property_is_described() {
    let names: Vec<&str> = schema_files().iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, SCHEMAS, "schema files of schema/");
    let readme = std::fs::read_to_string(schema_dir().join("README.md")).expect("README");
    for (name, schema) in schema_files() {
        if let Err(e) = jsonschema::draft202012::meta::validate(schema) {
            panic!("{name} is not a valid draft 2020-12 schema: {e}");
        }
        assert_eq!(schema["$schema"], DRAFT, "{name}: $schema");
        assert_eq!(schema["$id"], format!("{BASE}{name}"), "{name}: $id");
        for key in ["title", "description"] {
            assert!(
                schema[key].as_str().is_some_and(|s| !s.trim().is_empty()),
                "{name}: no {key}"
            );
        }
        for (at, def) in schema["$defs"].as_object().into_iter().flatten() {
            assert!(
                def["description"].as_str().is_some_and(|s| !s.is_empty()),
                "{name}: $defs/{at} has no description"
            );
        }
        let mut props = Vec::new();
        properties_of(schema, "", &mut props);
        assert!(!props.is_empty(), "{name}: no properties found");
        let undescribed: Vec<&str> = props
            .iter()
            .filter(|(_, p)| {
                p["description"]
                    .as_str()
                    .is_none_or(|s| s.trim().is_empty())
            })
            .map(|(at, _)| at.as_str())
            .collect();
        assert!(
            undescribed.is_empty(),
            "{name}: properties without a description: {undescribed:?}"
        );
        // Closed objects: an unknown (e.g. renamed) field is an error, not ignored.
        let mut objects = Vec::new();
        object_schemas(schema, "", &mut objects);
        for (at, o) in objects {
            let refines = o.get("$ref").is_some() && o.get("type").is_none();
            assert!(
                refines || o["additionalProperties"] == false,
                "{name}: the object at {at:?} does not say additionalProperties: false"
            );
            // Everything required is declared.
            for r in o["required"].as_array().into_iter().flatten() {
                let r = r.as_str().expect("required names are strings");
                assert!(
                    o["properties"].get(r).is_some(),
                    "{name}: {at:?} requires {r:?}, which it does not declare"
                );
            }
        }
        // Each one compiles with its references resolved from the registered files alone.
        let _ = validator(name);
        assert!(
            readme.contains(name),
            "schema/README.md does not list {name}"
        );
    }
}

#[test]
fn validation_is_offline_and_strict() {
    // The meta-schema check is no formality: a misspelt type or a malformed `required` fails.
    for bad in [
        json!({"$schema": DRAFT, "type": "strin"}),
        json!({"$schema": DRAFT, "type": "object", "required": "id"}),
        json!({"$schema": DRAFT, "properties": {"id": {"minimum": "0"}}}),
    ] {
        assert!(
            jsonschema::draft202012::meta::validate(&bad).is_err(),
            "{bad} passed the meta-schema"
        );
    }
    let mut props = Vec::new();
    let nested =
        json!({"properties": {"a": {"description": "A.", "items": {"properties": {"b": {}}}}}});
    properties_of(&nested, "", &mut props);
    let found: Vec<&str> = props.iter().map(|(at, _)| at.as_str()).collect();
    assert_eq!(found, ["/properties/a", "/properties/a/items/properties/b"]);
    // A reference to a schema that is not registered fails; nothing is fetched.
    let unknown = jsonschema::draft202012::options()
        .offline()
        .with_registry(registry())
        .build(&json!({ "$ref": format!("{BASE}no-such.schema.json") }));
    assert!(unknown.is_err(), "an unregistered $ref must not resolve");
    // The cross-file reference of a hit to the article schema is followed.
    let hit = validator("search-results.schema.json#/$defs/hit");
    let mut h = json!({
        "rank": 1, "score": 1.5, "fragments": [], "title_highlights": [],
        "cluster": "0123456789abcdef", "copies": 0,
        "article": {
            "id": "a", "title": "t", "body": "b", "entities": [],
            "source": { "path": "/x.txt", "format": "text" }
        }
    });
    assert_valid(&hit, "hit", &h, "a minimal hit");
    h["article"]["source"]["format"] = json!("docx");
    assert!(
        !hit.is_valid(&h),
        "the article schema is applied inside a hit"
    );
    h["article"]["source"]["format"] = json!("text");
    h["article"]["date"] = json!("2017-12-30T00:00:00Z");
    assert!(
        !hit.is_valid(&h),
        "a date without date_precision and date_source is rejected"
    );
}

/// Rename one key of the object at `pointer` (`""` for the root); `None` when absent.
fn renamed(instance: &Value, pointer: &str, key: &str) -> Option<Value> {
    let mut broken = instance.clone();
    let obj = broken.pointer_mut(pointer)?.as_object_mut()?;
    let v = obj.remove(key)?;
    obj.insert(format!("{key}_renamed"), v);
    Some(broken)
}

/// Every `(pointer, key)` of the objects of an instance, in the first and the last element
/// of each array (the elements of an array all have one schema; this keeps the number of
/// validations small on long lists such as a timeline's buckets).
fn keys_of(v: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, sub) in map {
                out.push((at.to_string(), k.clone()));
                keys_of(
                    sub,
                    &format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            let mut ends = vec![0, items.len().saturating_sub(1)];
            ends.dedup();
            for i in ends {
                if let Some(sub) = items.get(i) {
                    keys_of(sub, &format!("{at}/{i}"), out);
                }
            }
        }
        _ => {}
    }
}

/// Renaming any key anywhere in a valid instance must make it invalid: every object of the
/// output is closed, so a field renamed in the Rust types would fail validation.
fn assert_every_rename_rejected(v: &Validator, reference: &str, instance: &Value) {
    assert_valid(v, reference, instance, "the unbroken instance");
    let mut keys = Vec::new();
    keys_of(instance, "", &mut keys);
    assert!(!keys.is_empty());
    for (pointer, key) in &keys {
        let broken = renamed(instance, pointer, key).expect("key exists");
        assert!(
            !v.is_valid(&broken),
            "{reference}: renaming {pointer}/{key} was not noticed"
        );
    }
}

#[test]
fn search_results_match_their_schema() {
    let v = validator("search-results.schema.json");
    let cases: &[&[&str]] = &[
        &["battery", "--facets", "5"],
        &["battery", "--limit", "0", "--facets", "3"],
        &[
            "\"battery plant\" OR recycling",
            "--sort",
            "newest",
            "--all-copies",
        ],
        &[
            "org:Lumora",
            "--sort",
            "oldest",
            "--offset",
            "1",
            "--facets",
            "2",
        ],
        &["when did the great fire of london start?"],
        &["battery recycling", "--any", "--lang", "en"],
        &["battery zzqxj", "--fragments", "1"],
        &["nothing-matches-this-zzqxj"],
    ];
    let mut seen_facets = false;
    let mut seen_relaxed = false;
    let mut seen_copies = false;
    for args in cases {
        let mut full = vec!["search"];
        full.extend_from_slice(args);
        full.extend(["--format", "json"]);
        let r = json_of(&full);
        assert_valid(&v, "search-results.schema.json", &r, &format!("{args:?}"));
        seen_facets |= r.get("facets").is_some();
        seen_relaxed |= r["relaxed"] == true;
        seen_copies |= r["hits"]
            .as_array()
            .is_some_and(|h| h.iter().any(|h| h["copies"].as_u64() > Some(0)));
        if !args.contains(&"--facets") {
            assert!(
                r.get("facets").is_none(),
                "facets only when asked: {args:?}"
            );
        }
    }
    assert!(
        seen_facets && seen_relaxed && seen_copies,
        "the cases cover facets, relaxation and folded copies"
    );
}

#[test]
fn every_renamed_field_of_search_results_is_rejected() {
    let v = validator("search-results.schema.json");
    let r = json_of(&[
        "search",
        "Lumora battery",
        "--limit",
        "2",
        "--fragments",
        "1",
        "--facets",
        "2",
        "--format",
        "json",
    ]);
    assert!(r["hits"].as_array().is_some_and(|h| !h.is_empty()));
    assert_every_rename_rejected(&v, "search-results.schema.json", &r);

    // Dropping a required field, or changing a type, is noticed too; dropping an optional
    // one is not.
    let mut broken = r.clone();
    broken["hits"][0].as_object_mut().unwrap().remove("cluster");
    assert!(!v.is_valid(&broken), "a hit without its cluster");
    let mut broken = r.clone();
    broken["hits"][0]["article"]
        .as_object_mut()
        .unwrap()
        .remove("title");
    assert!(!v.is_valid(&broken), "an article without its title");
    let mut broken = r.clone();
    broken["hits"][0]["score"] = json!("1.5");
    assert!(!v.is_valid(&broken), "a score as a string");
    let mut broken = r.clone();
    broken["mode"] = json!("auto");
    assert!(!v.is_valid(&broken), "the mode is resolved to all or any");
    let mut fine = r.clone();
    fine.as_object_mut().unwrap().remove("facets");
    assert_valid(&v, "search-results", &fine, "results without facets");
}

#[test]
fn jsonl_lines_are_hits_and_similar_prints_search_results() {
    let hit = validator("search-results.schema.json#/$defs/hit");
    let lines = json_lines(&output(
        &["search", "battery", "--limit", "5", "--format", "jsonl"],
        0,
    ));
    let json = json_of(&["search", "battery", "--limit", "5", "--format", "json"]);
    assert!(!lines.is_empty());
    assert_eq!(Some(lines.len()), json["hits"].as_array().map(Vec::len));
    for (i, l) in lines.iter().enumerate() {
        assert_valid(
            &hit,
            "#/$defs/hit",
            l,
            &format!("search jsonl line {}", i + 1),
        );
    }
    let results = validator("search-results.schema.json");
    let similar = json_of(&["similar", LUMORA_VALENCIA, "--format", "json"]);
    assert_valid(
        &results,
        "search-results.schema.json",
        &similar,
        "similar --format json",
    );
    assert_eq!(similar["mode"], "any");
    for l in json_lines(&output(
        &["similar", LUMORA_VALENCIA, "--format", "jsonl"],
        0,
    )) {
        assert_valid(&hit, "#/$defs/hit", &l, "similar jsonl line");
    }
}

#[test]
fn batch_lines_are_results_or_errors() {
    let env = sample();
    let file = env.tmp.path().join("schema-batch.txt");
    std::fs::write(
        &file,
        "battery\n# a comment\n\n\"unclosed\nwhen did the great fire of london start?\nbattery --\n",
    )
    .unwrap();
    let out = output(
        &[
            "search",
            "--batch",
            file.to_str().unwrap(),
            "--limit",
            "2",
            "--facets",
            "2",
        ],
        2,
    );
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 4, "{out}");
    let line = validator("batch-line.schema.json");
    let results = validator("search-results.schema.json");
    let error = validator("batch-line.schema.json#/$defs/error");
    for (i, l) in lines.iter().enumerate() {
        let what = format!("batch line {}", i + 1);
        // Exactly one branch of the oneOf: the error line is no SearchResults, and back.
        // The branch first, for readable errors (a failed oneOf only says that it failed).
        if l.get("error").is_some() {
            assert_valid(&error, "batch-line.schema.json#/$defs/error", l, &what);
            assert!(!results.is_valid(l), "{what} is an error and results");
        } else {
            assert_valid(&results, "search-results.schema.json", l, &what);
            assert!(!error.is_valid(l), "{what} is results and an error");
        }
        assert_valid(&line, "batch-line.schema.json", l, &what);
    }
    assert_eq!(lines[1]["line"], 4);
    assert_every_rename_rejected(&line, "batch-line.schema.json", &lines[1]);
    let mut broken = lines[1].clone();
    broken["line"] = json!("4");
    assert!(!line.is_valid(&broken), "a line number as a string");
}

#[test]
fn timelines_match_their_schema() {
    let v = validator("timeline.schema.json");
    let bucket = validator("timeline.schema.json#/$defs/bucket");
    for args in [
        vec!["timeline", "--by", "month"],
        vec!["timeline", "battery", "--by", "year"],
        vec![
            "timeline", "", "--by", "day", "--from", "2023-03", "--to", "2023-04",
        ],
        vec!["timeline", "nothing-matches-this-zzqxj"],
    ] {
        let mut full = args.clone();
        full.extend(["--format", "json"]);
        let t = json_of(&full);
        assert_valid(&v, "timeline.schema.json", &t, &format!("{args:?}"));
        let mut jsonl = args.clone();
        jsonl.extend(["--format", "jsonl"]);
        let lines = json_lines(&output(&jsonl, 0));
        assert_eq!(Some(lines.len()), t["buckets"].as_array().map(Vec::len));
        for l in &lines {
            assert_valid(&bucket, "#/$defs/bucket", l, "timeline jsonl line");
        }
    }
    let t = json_of(&["timeline", "--by", "month", "--format", "json"]);
    assert!(t["buckets"].as_array().is_some_and(|b| b.len() > 1), "{t}");
    assert_every_rename_rejected(&v, "timeline.schema.json", &t);
    let mut broken = t.clone();
    broken["buckets"][0]["start"] = json!("2023-03-01T00:00:00Z");
    assert!(!v.is_valid(&broken), "a bucket start is a calendar date");
}

#[test]
fn entity_reports_match_their_schema() {
    let v = validator("entity-report.schema.json");
    let one = validator("entity-report.schema.json#/$defs/entity_count");
    for args in [
        vec!["entities", "--co", "3"],
        vec![
            "entities", "battery", "--kind", "org", "--top", "5", "--co", "2",
        ],
        vec!["entities", "", "--kind", "person", "--co", "0"],
        vec!["entities", "nothing-matches-this-zzqxj"],
    ] {
        let mut full = args.clone();
        full.extend(["--format", "json"]);
        let r = json_of(&full);
        assert_valid(&v, "entity-report.schema.json", &r, &format!("{args:?}"));
        let mut jsonl = args.clone();
        jsonl.extend(["--format", "jsonl"]);
        for l in json_lines(&output(&jsonl, 0)) {
            assert_valid(&one, "#/$defs/entity_count", &l, "entities jsonl line");
        }
    }
    let r = json_of(&["entities", "--top", "3", "--co", "3", "--format", "json"]);
    assert!(
        r["entities"][0]["co_mentions"]
            .as_array()
            .is_some_and(|c| !c.is_empty()),
        "{r}"
    );
    assert_every_rename_rejected(&v, "entity-report.schema.json", &r);
    let mut broken = r.clone();
    broken["entities"][0]["kind"] = json!("org");
    assert!(!v.is_valid(&broken), "kinds are spelled out");
}

#[test]
fn shown_articles_match_the_article_schema() {
    let v = validator("article.schema.json");
    let hits = json_of(&[
        "search",
        "",
        "--limit",
        "100",
        "--all-copies",
        "--format",
        "json",
    ]);
    let ids: Vec<&str> = hits["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["article"]["id"].as_str().expect("id"))
        .collect();
    assert!(ids.contains(&LUMORA_VALENCIA) && ids.len() > 10, "{ids:?}");
    for id in ids {
        let a = json_of(&["show", id, "--format", "json"]);
        assert_valid(&v, "article.schema.json", &a, &format!("show {id}"));
        assert_eq!(a["id"], id);
    }
    let a = json_of(&["show", LUMORA_VALENCIA, "--format", "json"]);
    assert_every_rename_rejected(&v, "article.schema.json", &a);
}

#[test]
fn normalized_articles_match_the_article_schema() {
    let v = validator("article.schema.json");
    let inputs = [
        data("formats"),
        data("feeds"),
        data("archives/bundle.tar.gz"),
        data("archives/nested.zip"),
        data("archives/wire.sgm.xz"),
        data("wire"),
        data("warc"),
        data("html"),
    ];
    let paths: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let articles = normalize(&paths);
    assert!(articles.len() > 20, "{} articles", articles.len());
    let mut seen = BTreeSet::new();
    for a in &articles {
        assert_valid(
            &v,
            "article.schema.json",
            a,
            &format!("normalize: {}", a["source"]),
        );
        seen.extend(a.as_object().unwrap().keys().cloned());
        seen.extend(
            a["source"]
                .as_object()
                .unwrap()
                .keys()
                .map(|k| format!("source.{k}")),
        );
    }
    // Every optional field of the schema shows up in these inputs.
    for field in [
        "date",
        "date_precision",
        "date_source",
        "authors",
        "publisher",
        "url",
        "language",
        "topics",
        "source.compression",
        "source.member",
        "source.record",
    ] {
        assert!(
            seen.contains(field),
            "no normalized article has {field}: {seen:?}"
        );
    }
}

#[test]
fn eval_reports_match_their_schema_with_or_without_per_query() {
    let v = validator("eval-report.schema.json");
    let queries = data("ranking/sample.queries.tsv");
    let qrels = data("ranking/sample.qrels");
    let args = |per_query: bool, queries: &Path| -> Vec<String> {
        let mut a: Vec<String> = ["eval", "ranking", "--queries"].map(String::from).to_vec();
        a.push(queries.display().to_string());
        a.push("--qrels".into());
        a.push(qrels.display().to_string());
        if per_query {
            a.push("--per-query".into());
        }
        a.extend(["--format".into(), "json".into()]);
        a
    };
    let run = |args: &[String], code: i32| -> Value {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        serde_json::from_str(&output(&args, code)).expect("JSON report")
    };
    let plain = run(&args(false, &queries), 0);
    let per_query = run(&args(true, &queries), 0);
    assert_valid(&v, "eval-report.schema.json", &plain, "eval ranking");
    assert_valid(
        &v,
        "eval-report.schema.json",
        &per_query,
        "eval ranking --per-query",
    );
    assert_eq!(plain, per_query, "--per-query changes only the text output");
    assert_eq!(plain["queries"].as_array().map(Vec::len), Some(16));

    // A query that does not parse: listed in `failed`, exit code 2, still a valid report.
    let env = sample();
    let with_bad = env.tmp.path().join("schema-queries.tsv");
    let mut text = std::fs::read_to_string(&queries).unwrap();
    text.push_str("x01\t\"unclosed\n");
    std::fs::write(&with_bad, text).unwrap();
    let failed = run(&args(false, &with_bad), 2);
    assert_valid(
        &v,
        "eval-report.schema.json",
        &failed,
        "eval ranking with a failed query",
    );
    assert_eq!(failed["failed"][0][0], "x01", "{}", failed["failed"]);
    assert_eq!(failed["unjudged_queries"], json!(["x01"]));
    assert_every_rename_rejected(&v, "eval-report.schema.json", &failed);
    let mut broken = failed.clone();
    broken["failed"][0] = json!({"query": "x01", "error": "unclosed"});
    assert!(!v.is_valid(&broken), "a failure is a [qid, error] pair");
    let mut broken = failed.clone();
    broken["map"] = json!(1.5);
    assert!(!v.is_valid(&broken), "a measure above 1");
}

#[test]
fn ner_reports_match_their_schema() {
    let v = validator("ner-report.schema.json");
    let gold = data("ner/gold.conll");
    let report = json_of(&[
        "eval",
        "ner",
        "--conll",
        gold.to_str().unwrap(),
        "--errors",
        "8",
        "--format",
        "json",
    ]);
    assert_valid(&v, "ner-report.schema.json", &report, "eval ner");
    assert_eq!(report["disagreements"].as_array().map(Vec::len), Some(8));
    assert_every_rename_rejected(&v, "ner-report.schema.json", &report);
}

#[test]
fn ner_agreements_match_their_schema() {
    let v = validator("ner-agreement.schema.json");
    let sgm = data("wire/reuters-style.sgm");
    let report = json_of(&[
        "eval",
        "ner",
        "--declared",
        sgm.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_valid(
        &v,
        "ner-agreement.schema.json",
        &report,
        "eval ner --declared",
    );
    assert_every_rename_rejected(&v, "ner-agreement.schema.json", &report);
}
