//! The search experience through the real binary on the sample corpus: search modes, facets,
//! timelines and their charts, more-like-this, show, entity reports, batch queries, CSV,
//! pagination and ranking evaluation.

mod common;

use common::*;
use serde_json::Value;
use std::collections::HashSet;
use std::sync::OnceLock;

/// One sample-corpus index shared by the read-only tests of this file.
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

/// Run `newsdex ARGS`, returning (exit code, stdout, stderr).
fn run(env: &TestEnv, args: &[&str]) -> (i32, String, String) {
    let out = env.newsdex().args(args).output().expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(env: &TestEnv, args: &[&str]) -> Value {
    let (code, out, err) = run(env, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}\n{out}"))
}

fn ids(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["article"]["id"].as_str().expect("id").to_string())
        .collect()
}

fn count_of(list: &Value, name: &str) -> u64 {
    list.as_array()
        .expect("facet list")
        .iter()
        .find(|e| e["name"] == name || e["value"] == name)
        .and_then(|e| e["count"].as_u64())
        .unwrap_or(0)
}

const LUMORA_VALENCIA: &str = "d0bca939d1588bd6";

#[test]
fn facets_count_every_matching_article_even_with_no_hits_shown() {
    let env = sample();
    let r = json(
        env,
        &[
            "search", "battery", "--limit", "0", "--facets", "5", "--format", "json",
        ],
    );
    assert_eq!(r["hits"].as_array().map(Vec::len), Some(0));
    let total = r["total"].as_u64().unwrap();
    assert!(total >= 4, "{r}");
    let f = &r["facets"];
    // The Valencia plant story is in the archive three times; each copy counts.
    assert_eq!(
        count_of(&f["entities"]["organization"], "Lumora Technologies"),
        4,
        "{f}"
    );
    // Every matching article is in exactly one year, or undated.
    let years: u64 = f["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["count"].as_u64().unwrap())
        .sum();
    assert_eq!(years + f["undated"].as_u64().unwrap(), total, "{f}");
    // A facet narrows the search to exactly its count.
    let narrowed = json(
        env,
        &[
            "search",
            "battery",
            "--org",
            "Lumora Technologies",
            "--format",
            "json",
        ],
    );
    assert_eq!(narrowed["total"].as_u64(), Some(4));
}

#[test]
fn questions_match_any_word_and_a_failed_and_is_relaxed() {
    let env = sample();
    let q = "what did the mayor of valencia say about the recycling plant?";
    let r = json(env, &["search", q, "--format", "json"]);
    assert_eq!(r["mode"], "any");
    let top = r["hits"][0]["article"]["title"]
        .as_str()
        .unwrap_or_default();
    assert!(top.contains("Valencia"), "{q}: {top}");
    // Asked for every word, the question matches nothing.
    let all = json(env, &["search", q, "--all", "--format", "json"]);
    assert_eq!(all["mode"], "all");
    assert_eq!(all["total"], 0);

    // Two keywords no article has together: relaxed to any word, and said so.
    let r = json(env, &["search", "battery zeppelin", "--format", "json"]);
    assert_eq!(r["relaxed"], true);
    assert!(r["total"].as_u64().unwrap() > 0);
    let (code, out, _) = run(env, &["search", "battery zeppelin"]);
    assert_eq!(code, 0);
    assert!(out.contains("zeppelin"), "{out}");
    assert!(out.to_lowercase().contains("any"), "{out}");
    let strict = json(
        env,
        &["search", "battery zeppelin", "--all", "--format", "json"],
    );
    assert_eq!(strict["total"], 0);
    assert_eq!(strict["relaxed"], false);
}

#[test]
fn pages_put_together_are_the_whole_ranking() {
    let env = sample();
    let whole = ids(&json(
        env,
        &["search", "said", "--limit", "100", "--format", "json"],
    ));
    assert!(whole.len() > 12, "{}", whole.len());
    let mut paged = Vec::new();
    for offset in (0..whole.len()).step_by(5) {
        let page = json(
            env,
            &[
                "search",
                "said",
                "--limit",
                "5",
                "--offset",
                &offset.to_string(),
                "--format",
                "json",
            ],
        );
        paged.extend(ids(&page));
    }
    assert_eq!(paged, whole);
    // Browsing by date pages the same way, ties (articles of the same day) included.
    for sort in ["newest", "oldest"] {
        let all = ids(&json(
            env,
            &[
                "search", "", "--sort", sort, "--limit", "100", "--format", "json",
            ],
        ));
        let mut paged = Vec::new();
        for offset in (0..all.len()).step_by(7) {
            let o = offset.to_string();
            let page = json(
                env,
                &[
                    "search", "", "--sort", sort, "--limit", "7", "--offset", &o, "--format",
                    "json",
                ],
            );
            paged.extend(ids(&page));
        }
        assert_eq!(paged, all, "{sort}");
    }
}

#[test]
fn timeline_counts_add_up_and_gaps_are_filled() {
    let env = sample();
    let t = json(env, &["timeline", "--by", "year", "--format", "json"]);
    let buckets = t["buckets"].as_array().unwrap();
    let sum: u64 = buckets.iter().map(|b| b["count"].as_u64().unwrap()).sum();
    assert_eq!(
        sum + t["undated"].as_u64().unwrap(),
        t["total"].as_u64().unwrap()
    );
    let years: Vec<i64> = buckets
        .iter()
        .map(|b| b["period"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(years.windows(2).all(|w| w[1] == w[0] + 1), "{years:?}");
    // The archive spans centuries: the text chart folds the empty ones into one line.
    let (code, text, _) = run(env, &["timeline", "--by", "year"]);
    assert_eq!(code, 0);
    assert!(text.lines().count() < 40, "{text}");
    assert!(text.contains("years with none"), "{text}");

    // A range gives every period in it, with or without articles.
    let (code, csv, err) = run(
        env,
        &[
            "timeline", "", "--by", "month", "--from", "2023-01", "--to", "2023-12", "--format",
            "csv",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("csv row")).collect();
    assert_eq!(rows.len(), 12, "{csv}");
    assert_eq!(&rows[0][0], "2023-01");
    assert_eq!(&rows[11][0], "2023-12");
    let may: u64 = rows[4][2].parse().unwrap();
    assert!(may >= 3, "{csv}");
}

#[test]
fn timeline_draws_svg_and_png_charts() {
    let env = sample();
    let svg = env.tmp.path().join("battery.svg");
    let png = env.tmp.path().join("battery.png");
    let (code, _, err) = run(
        env,
        &[
            "timeline",
            "battery OR ship",
            "--by",
            "year",
            "--svg",
            svg.to_str().unwrap(),
            "--png",
            png.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let svg = std::fs::read_to_string(&svg).expect("svg written");
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert!(svg.contains("battery OR ship"), "the title names the query");
    assert!(svg.contains("<rect x="), "bars drawn");
    let png = std::fs::read(&png).expect("png written");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn similar_finds_related_stories_but_not_the_same_story_again() {
    let env = sample();
    let story = json(
        env,
        &[
            "search",
            "battery recycling",
            "--all-copies",
            "--format",
            "json",
        ],
    );
    let copies: HashSet<String> = story["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| {
            h["article"]["title"]
                .as_str()
                .unwrap_or("")
                .contains("Valencia")
        })
        .map(|h| h["article"]["id"].as_str().unwrap().to_string())
        .collect();
    assert!(copies.len() >= 2, "{copies:?}");
    let r = json(env, &["similar", LUMORA_VALENCIA, "--format", "json"]);
    let similar = ids(&r);
    assert!(!similar.is_empty());
    for id in &similar {
        assert!(!copies.contains(id), "a copy of the story itself: {id}");
        assert_ne!(id, LUMORA_VALENCIA);
    }
    // The best match shares the company.
    let first = &r["hits"][0]["article"];
    let text = format!("{} {}", first["title"], first["body"]);
    assert!(text.contains("Lumora"), "{text}");

    let (code, _, err) = run(env, &["similar", "0000000000000000"]);
    assert_ne!(code, 0);
    assert!(err.contains("0000000000000000"), "{err}");
}

#[test]
fn show_prints_one_article_whole() {
    let env = sample();
    let (code, text, _) = run(env, &["show", LUMORA_VALENCIA]);
    assert_eq!(code, 0);
    assert!(
        text.starts_with("Lumora to build battery recycling plant"),
        "{text}"
    );
    assert!(text.contains("Lumora Technologies ×"), "{text}");
    let a = json(env, &["show", LUMORA_VALENCIA, "--format", "json"]);
    assert_eq!(a["id"], LUMORA_VALENCIA);
    let body = a["body"].as_str().unwrap();
    assert!(body.len() > 500);
    for paragraph in body.split("\n\n").take(3) {
        assert!(text.contains(paragraph), "text view has the whole body");
    }
    let (code, _, err) = run(env, &["show", "no-such-article"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("no article with id \"no-such-article\""),
        "{err}"
    );
}

#[test]
fn entity_report_counts_agree_with_entity_search() {
    let env = sample();
    let r = json(
        env,
        &[
            "entities", "--kind", "place", "--top", "5", "--co", "3", "--format", "json",
        ],
    );
    let list = r["entities"].as_array().unwrap();
    assert_eq!(list.len(), 5);
    let counts: Vec<u64> = list.iter().map(|e| e["count"].as_u64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    for e in list {
        assert_eq!(e["kind"], "place");
        let name = e["name"].as_str().unwrap();
        let found = json(
            env,
            &[
                "search", "", "--place", name, "--limit", "0", "--format", "json",
            ],
        );
        assert_eq!(found["total"], e["count"], "{name}");
        for co in e["co_mentions"].as_array().unwrap() {
            assert!(co["count"].as_u64().unwrap() <= e["count"].as_u64().unwrap());
            assert_ne!(co["name"], e["name"]);
        }
    }
    // Scoped by a query, and as CSV.
    let (code, csv, _) = run(
        env,
        &["entities", "battery", "--kind", "org", "--format", "csv"],
    );
    assert_eq!(code, 0);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let first = reader.records().next().expect("a row").expect("csv");
    assert_eq!(&first[2], "Lumora Technologies", "{csv}");
}

#[test]
fn batch_runs_every_query_and_reports_bad_ones_in_place() {
    let env = sample();
    let queries = env.tmp.path().join("queries.txt");
    std::fs::write(
        &queries,
        "battery\n# a comment\n\n\"unclosed\nwhen did the great fire of london start?\n",
    )
    .unwrap();
    let (code, out, err) = run(
        env,
        &[
            "search",
            "--batch",
            queries.to_str().unwrap(),
            "--limit",
            "2",
        ],
    );
    assert_eq!(code, 2, "a failed query makes the exit code 2: {err}");
    assert!(err.contains("1 query of the batch"), "{err}");
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert_eq!(lines[0]["query"], "battery");
    assert_eq!(lines[0]["hits"].as_array().map(Vec::len), Some(2));
    assert_eq!(lines[1]["line"], 4);
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .contains("unclosed quote"));
    assert_eq!(lines[2]["mode"], "any");
    let top = lines[2]["hits"][0]["article"]["title"].as_str().unwrap();
    assert!(top.contains("Fire"), "{top}");
}

#[test]
fn csv_has_one_quoted_row_per_hit() {
    let env = sample();
    let (code, csv, _) = run(
        env,
        &["search", "battery", "--limit", "3", "--format", "csv"],
    );
    assert_eq!(code, 0);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "rank");
    assert!(header.iter().any(|h| h == "snippet"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][2], LUMORA_VALENCIA);
    // Snippets with commas and quotes survive as one field.
    assert!(rows[0][6].contains("battery"));
}

#[test]
fn ranking_evaluation_on_the_judged_sample_set() {
    let env = sample();
    let queries = data("ranking/sample.queries.tsv");
    let qrels = data("ranking/sample.qrels");
    let run_file = env.tmp.path().join("sample.run");
    let r = json(
        env,
        &[
            "eval",
            "ranking",
            "--queries",
            queries.to_str().unwrap(),
            "--qrels",
            qrels.to_str().unwrap(),
            "--run",
            run_file.to_str().unwrap(),
            "--per-query",
            "--format",
            "json",
        ],
    );
    assert_eq!(r["queries"].as_array().map(Vec::len), Some(16));
    // Measured at 0.966 when the ranking was tuned; a drop below this is a regression.
    let map = r["map"].as_f64().unwrap();
    assert!(map >= 0.9, "MAP {map}");
    assert!(r["ndcg_10"].as_f64().unwrap() >= 0.9, "{r}");
    // The run file is TREC format: qid Q0 docid rank score tag.
    let trec = std::fs::read_to_string(&run_file).unwrap();
    let first: Vec<&str> = trec.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(first.len(), 6);
    assert_eq!(first[1], "Q0");
    assert_eq!(first[3], "1");

    // A broken judgment file names the line.
    let bad = env.tmp.path().join("bad.qrels");
    std::fs::write(&bad, "s01 0 abc 2\ns01 0 def two\n").unwrap();
    let (code, _, err) = run(
        env,
        &[
            "eval",
            "ranking",
            "--queries",
            queries.to_str().unwrap(),
            "--qrels",
            bad.to_str().unwrap(),
        ],
    );
    assert_ne!(code, 0);
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn library_reaches_the_same_features() {
    use newsdex::{ArticleId, EntityKind, Period, SearchRequest};
    let env = sample();
    let archive = newsdex::Archive::open(env.index_dir()).expect("opens");
    let all = SearchRequest::new("").facets(3);
    let r = archive.search(&all).expect("search");
    let facets = r.facets.expect("facets asked for");
    assert_eq!(
        facets.years.iter().map(|y| y.count).sum::<u64>() + facets.undated,
        r.total as u64
    );
    let t = archive
        .timeline(&SearchRequest::new("battery"), Period::Year)
        .expect("timeline");
    assert_eq!(
        t.buckets.iter().map(|b| b.count).sum::<u64>() + t.undated,
        t.total
    );
    let e = archive
        .entities(&SearchRequest::new(""), Some(EntityKind::Person), 3, 2)
        .expect("entities");
    assert_eq!(e.entities.len(), 3);
    let id = ArticleId::from(LUMORA_VALENCIA);
    let similar = archive
        .similar(&id, &SearchRequest::new("").limit(5))
        .expect("similar");
    assert!(!similar.hits.is_empty());
    let found = archive.get(&id).expect("present");
    assert!(found.title.contains("Valencia"));
}

#[test]
fn output_into_a_closed_pipe_is_not_a_crash() {
    let env = sample();
    let bin = assert_cmd::cargo::cargo_bin("newsdex");
    let queries = data("ranking/sample.queries.tsv");
    let qrels = data("ranking/sample.qrels");
    for args in [
        "search said -n 50 --format json".to_string(),
        "timeline --by day".to_string(),
        "entities --top 50 --format json".to_string(),
        "stats --format json".to_string(),
        format!(
            "eval ranking --queries {} --qrels {} --per-query --format json",
            queries.display(),
            qrels.display()
        ),
    ] {
        // `true` exits without reading: newsdex writes into a closed pipe.
        let script = format!(
            "'{}' --index '{}' {args} | true",
            bin.display(),
            env.index_dir().display()
        );
        let out = std::process::Command::new("sh")
            .args(["-c", &script])
            .env("CI", "1")
            .output()
            .expect("sh runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args}: {err}");
    }
}

#[test]
fn another_systems_run_is_scored_on_the_same_judgments() {
    let env = sample();
    let queries = data("ranking/sample.queries.tsv");
    let qrels = data("ranking/sample.qrels");
    let ours = env.tmp.path().join("ours.run");
    let q = queries.to_str().unwrap();
    let j = qrels.to_str().unwrap();
    let direct = json(
        env,
        &[
            "eval",
            "ranking",
            "--queries",
            q,
            "--qrels",
            j,
            "--run",
            ours.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    // Our own run, read back: the same scores.
    let scored = json(
        env,
        &[
            "eval",
            "ranking",
            "--qrels",
            j,
            "--score-run",
            ours.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(direct["map"], scored["map"]);
    assert_eq!(direct["ndcg_10"], scored["ndcg_10"]);
    // A run that retrieves nothing relevant scores 0.
    let bad = env.tmp.path().join("bad.run");
    std::fs::write(&bad, "s01 Q0 no-such-doc 1 1.0 x\n").unwrap();
    let zero = json(
        env,
        &[
            "eval",
            "ranking",
            "--qrels",
            j,
            "--score-run",
            bad.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(zero["map"].as_f64(), Some(0.0));
}
