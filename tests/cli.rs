//! The real binary on real files: indexing, ranking, snippets, entity and date queries,
//! re-indexing, the writer lock, bad input, interrupted runs.

mod common;

use common::*;
use predicates::prelude::*;
use serde_json::Value;

fn hits(result: &Value) -> &Vec<Value> {
    result["hits"].as_array().expect("hits")
}

fn source_of(hit: &Value) -> &str {
    hit["article"]["source"]["path"]
        .as_str()
        .unwrap_or_default()
}

fn indexed_sample() -> TestEnv {
    let env = TestEnv::new();
    let corpus = env.copy_inputs(&sample_corpus(), "corpus");
    env.index(&[&corpus]);
    env
}

#[test]
fn phrase_ranks_first_and_is_highlighted_only_as_a_phrase() {
    let env = indexed_sample();
    let r = env.search_json(&["\"grid stability levy\""]);
    let found = hits(&r);
    assert!(!found.is_empty());
    assert!(
        source_of(&found[0]).ends_with("baltic-grid-stability-levy.txt"),
        "{}",
        source_of(&found[0])
    );
    // The article that only has the words apart does not match the phrase.
    assert!(!found
        .iter()
        .any(|h| source_of(h).ends_with("whitcombe-energy-bills-inquiry.txt")));
    for hit in found {
        let body = hit["article"]["body"].as_str().unwrap();
        let frags = hit["fragments"].as_array().unwrap();
        assert!(!frags.is_empty() && frags.len() <= 3);
        for f in frags {
            for h in f["highlights"].as_array().unwrap() {
                let text = chars(
                    body,
                    h["start"].as_u64().unwrap() as usize,
                    h["end"].as_u64().unwrap() as usize,
                );
                assert_eq!(
                    text.to_lowercase(),
                    "grid stability levy",
                    "highlight {h} in {}",
                    f["text"]
                );
            }
        }
        let title = hit["article"]["title"].as_str().unwrap();
        for h in hit["title_highlights"].as_array().unwrap() {
            let text = chars(
                title,
                h["start"].as_u64().unwrap() as usize,
                h["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(text.to_lowercase(), "grid stability levy");
        }
    }
    // The words apart match both articles.
    let r = env.search_json(&["grid stability levy", "-n", "20"]);
    assert!(hits(&r)
        .iter()
        .any(|h| source_of(h).ends_with("whitcombe-energy-bills-inquiry.txt")));
}

#[test]
fn snippets_are_sentences_ranked_by_distinct_terms_with_body_offsets() {
    let env = indexed_sample();
    let r = env.search_json(&["Okafor bond", "-n", "5"]);
    let hits = hits(&r);
    assert!(!hits.is_empty());
    for hit in hits {
        let body = hit["article"]["body"].as_str().unwrap();
        let frags = hit["fragments"].as_array().unwrap();
        let terms: Vec<u64> = frags.iter().map(|f| f["terms"].as_u64().unwrap()).collect();
        assert!(
            terms.windows(2).all(|w| w[0] >= w[1]),
            "fragments not ranked: {terms:?}"
        );
        for f in frags {
            let (s, e) = (
                f["start"].as_u64().unwrap() as usize,
                f["end"].as_u64().unwrap() as usize,
            );
            let slice = chars(body, s, e);
            let text = f["text"].as_str().unwrap().trim_matches('…');
            assert_eq!(slice.trim(), text.trim(), "fragment offsets");
            for h in f["highlights"].as_array().unwrap() {
                let (hs, he) = (
                    h["start"].as_u64().unwrap() as usize,
                    h["end"].as_u64().unwrap() as usize,
                );
                assert!(hs >= s && he <= e);
                let word = chars(body, hs, he).to_lowercase();
                assert!(
                    word.starts_with("okafor") || word.starts_with("bond"),
                    "{word}"
                );
            }
        }
    }
}

#[test]
fn title_only_match_shows_the_body_opening() {
    let env = indexed_sample();
    let r = env.search_json(&["title:\"grid stability levy\""]);
    let hit = &hits(&r)[0];
    let f = &hit["fragments"][0];
    assert_eq!(f["start"], 0);
    assert!(f["highlights"].as_array().unwrap().is_empty());
}

#[test]
fn entity_queries_by_full_and_short_name() {
    let env = TestEnv::new();
    let corpus = env.copy_inputs(&data("seed-shaped"), "seed");
    env.index(&[&corpus]);
    for q in [
        "person:Putin",
        "person:\"Vladimir Putin\"",
        "person:putin place:crimea",
        "entity:Assad",
        // A place by CoNLL-2003's guidelines, an organisation by metonymy: the model decides
        // by context, so the kind-free query is the one to rely on.
        "entity:kremlin",
    ] {
        let r = env.search_json(&[q]);
        assert_eq!(r["total"], 1, "{q}");
    }
    let r = env.search_json(&["", "--person", "Vladimir Putin"]);
    assert_eq!(r["total"], 1);
    // Mentions of the entity are highlighted, short forms included.
    let r = env.search_json(&["person:Putin"]);
    let hit = &hits(&r)[0];
    let body = hit["article"]["body"].as_str().unwrap();
    let marked: Vec<String> = hit["fragments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["highlights"].as_array().unwrap().clone())
        .map(|h| {
            chars(
                body,
                h["start"].as_u64().unwrap() as usize,
                h["end"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert!(marked.iter().any(|m| m == "Putin"), "{marked:?}");
    // The exact canonical name is a facet filter: the full name matches, a short form does not.
    assert_eq!(env.search_json(&["person:=\"Vladimir Putin\""])["total"], 1);
    assert_eq!(env.search_json(&["person:=Putin"])["total"], 0);
    assert_eq!(env.search_json(&["entity:=Crimea kremlin"])["total"], 1);
    // A person query does not match places or other people.
    assert_eq!(env.search_json(&["person:Moscow"])["total"], 0);
    assert_eq!(env.search_json(&["person:Putin -place:syria"])["total"], 0);
}

#[test]
fn date_filters_work_before_1677_and_with_partial_dates() {
    let env = indexed_sample();
    let r = env.search_json(&["", "--to", "1670", "--sort", "oldest"]);
    assert_eq!(r["total"], 2, "{r}");
    assert_eq!(hits(&r)[0]["article"]["date"], "1665-09-14T00:00:00Z");
    let r = env.search_json(&["date:1665"]);
    assert_eq!(r["total"], 1);
    let r = env.search_json(&["", "--from", "1666-09", "--to", "1666-09"]);
    assert_eq!(r["total"], 1);
    assert!(env.search_json(&["", "--from", "2018"])["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["article"]["date"].as_str().unwrap() >= "2018"));
    let newest = env.search_json(&["", "--sort", "newest", "-n", "100"]);
    let dates: Vec<&str> = hits(&newest)
        .iter()
        .filter_map(|h| h["article"]["date"].as_str())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "not newest first");
    // Undated articles come last.
    let last = hits(&newest).last().unwrap();
    assert!(last["article"].get("date").is_none());
    env.newsdex()
        .args(["search", "x", "--from", "yesterday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid date"));
}

#[test]
fn boolean_syntax_and_paging() {
    let env = indexed_sample();
    let both = env.search_json(&["Okafor Lagos"])["total"]
        .as_u64()
        .unwrap();
    let either = env.search_json(&["Okafor OR Lagos"])["total"]
        .as_u64()
        .unwrap();
    let without = env.search_json(&["Okafor -Lagos"])["total"]
        .as_u64()
        .unwrap();
    let okafor = env.search_json(&["Okafor"])["total"].as_u64().unwrap();
    assert!(both >= 1 && either > both);
    assert_eq!(without + both, okafor);
    let all = env.search_json(&["Okafor", "-n", "100"]);
    let page = env.search_json(&["Okafor", "-n", "2", "--offset", "1"]);
    let ids = |v: &Value| {
        hits(v)
            .iter()
            .map(|h| h["article"]["id"].clone())
            .collect::<Vec<_>>()
    };
    assert!(ids(&all).iter().all(Value::is_string));
    assert_eq!(ids(&page), ids(&all)[1..3].to_vec());
}

#[test]
fn reindexing_updates_instead_of_duplicating() {
    let env = TestEnv::new();
    let corpus = env.copy_inputs(&sample_corpus(), "corpus");
    env.index(&[&corpus]);
    let first = env.search_json(&["", "-n", "0"])["total"].as_u64().unwrap();
    let out = env.index(&[&corpus]);
    assert!(out.contains(" 0 indexed"), "{out}");
    assert_eq!(
        env.search_json(&["", "-n", "0"])["total"].as_u64().unwrap(),
        first
    );
    // The same files through another path spelling are the same articles.
    let again = env.tmp.path().join("corpus/../corpus");
    env.index(&[&again]);
    assert_eq!(
        env.search_json(&["", "-n", "0"])["total"].as_u64().unwrap(),
        first
    );
}

#[test]
fn a_second_writer_is_told_the_index_is_locked() {
    let env = TestEnv::new();
    let archive = newsdex::Archive::open_or_create(env.index_dir()).unwrap();
    let _writer = archive.indexer().unwrap();
    env.newsdex()
        .args(["index"])
        .arg(data("seed-shaped"))
        .assert()
        .code(4)
        .stderr(predicate::str::contains(
            "locked by another newsdex process",
        ));
}

#[test]
fn bad_files_are_reported_and_good_articles_still_indexed() {
    let env = TestEnv::new();
    let bad = env.copy_inputs(&data("bad"), "bad");
    let assert = env.newsdex().arg("index").arg(&bad).assert().code(3);
    let out = assert.get_output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (file, reason) in [
        ("empty.txt", "empty file"),
        ("whitespace-only.txt", "empty file"),
        ("binary.bin", "binary data"),
        ("truncated.json", "invalid JSON"),
        ("broken-lines.jsonl", "line 3"),
        ("truncated.txt.gz", "corrupt or truncated gzip"),
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(file) && l.contains(reason)),
            "no warning for {file} ({reason}) in:\n{stderr}"
        );
    }
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("warning:")).count(),
        6,
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("6 indexed"), "{stdout}");
    assert!(stdout.contains("warnings   6"), "{stdout}");
    assert_eq!(env.search_json(&["", "-n", "0"])["total"], 6);
}

#[test]
fn malformed_queries_get_helpful_errors_not_panics() {
    let env = indexed_sample();
    for (q, needle) in [
        ("\"unclosed", "unclosed quote"),
        ("putin OR", "OR needs a term after it"),
        ("(putin", "unclosed parenthesis"),
        ("foo:bar", "unknown field"),
        ("date:[2017 TO", "unclosed date range"),
        ("!!!", "no searchable words"),
    ] {
        env.newsdex().args(["search", q]).assert().code(2).stderr(
            predicate::str::contains(needle).and(predicate::str::contains("panicked").not()),
        );
    }
}

#[test]
fn search_without_an_index_says_how_to_make_one() {
    let env = TestEnv::new();
    env.newsdex()
        .args(["search", "putin"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("newsdex index"));
}

#[test]
fn text_output_is_plain_when_piped() {
    let env = indexed_sample();
    env.newsdex()
        .args(["search", "\"grid stability levy\"", "-n", "1"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("**grid stability levy**")
                .and(predicate::str::contains("\x1b[").not()),
        )
        .stdout(predicate::str::contains("matching"));
}

#[test]
fn stats_describe_the_index() {
    let env = indexed_sample();
    let out = env
        .newsdex()
        .args(["stats", "--format", "json", "--top", "25"])
        .output()
        .unwrap();
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(s["articles"].as_u64().unwrap() >= 40);
    assert_eq!(s["earliest"], "1665-09-14T00:00:00Z");
    // The sample corpus holds one syndicated story in three copies.
    assert_eq!(
        s["articles"].as_u64().unwrap() - s["stories"].as_u64().unwrap(),
        2
    );
    let people: Vec<&str> = s["top_entities"]["person"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(people.contains(&"Amara Okafor"), "{people:?}");
    env.newsdex()
        .arg("stats")
        .assert()
        .success()
        .stdout(predicate::str::contains("Top person entities"));
}

#[test]
fn normalize_prints_what_index_stores() {
    let env = TestEnv::new();
    let path = data("seed-shaped/putin-new-year.txt");
    let normalized = normalize(&[&path]);
    env.index(&[&path]);
    let r = env.search_json(&["putin"]);
    assert_eq!(hits(&r)[0]["article"], normalized[0]);
}

/// Start `newsdex index ARGS PATH` (one thread, small budget), kill it with SIGKILL as soon as
/// a commit is visible (or after 20 s), and return how many articles the index then holds.
fn index_and_kill_after_a_commit(env: &TestEnv, args: &[&str], path: &std::path::Path) -> u64 {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("newsdex"))
        .arg("--index")
        .arg(env.index_dir())
        .arg("index")
        .args(args)
        .args(["--threads", "1", "--memory-mb", "32"])
        .arg(path)
        .env("CI", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(20));
        if newsdex::Archive::open(env.index_dir()).is_ok_and(|a| !a.is_empty()) {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    // It opens, at its last commit.
    newsdex::Archive::open(env.index_dir())
        .expect("index opens after kill -9")
        .len()
}

#[test]
fn an_index_killed_mid_run_opens_and_the_next_run_completes() {
    let env = TestEnv::new();
    let corpus = env.tmp.path().join("many");
    std::fs::create_dir_all(&corpus).unwrap();
    let n = 3000;
    for i in 0..n {
        let text = format!(
            "Harbour report number {i}\n\nThe harbour master of Port Halden said on Monday that ship {i} had docked safely.\n\nCargo volumes rose for the {i}th week in a row, officials said.\n"
        );
        std::fs::write(corpus.join(format!("report-{i:05}.txt")), text).unwrap();
    }
    let at_kill = index_and_kill_after_a_commit(&env, &["--commit-every", "200"], &corpus);
    assert!(at_kill <= n);
    env.newsdex().arg("stats").assert().success();
    // The next run completes it without duplicates (the lock died with the process).
    env.index(&[&corpus]);
    assert_eq!(env.search_json(&["", "-n", "0"])["total"], n);
}

#[test]
fn a_run_killed_inside_one_large_file_resumes_without_duplicates() {
    // Commits happen inside a file too (memory stays bounded); a run killed after such a
    // commit leaves part of the file indexed, and the next run replaces that part.
    let env = TestEnv::new();
    let file = env.tmp.path().join("wire.jsonl");
    let n = 4000;
    let mut lines = String::new();
    for i in 0..n {
        lines.push_str(&format!(
            "{{\"title\": \"Grain report {i}\", \"body\": \"Barge {i} carried wheat down the Halden canal on Monday, the port authority said. Volumes rose for the {i}th week.\", \"date\": \"2021-03-04\"}}\n"
        ));
    }
    std::fs::write(&file, lines).unwrap();
    let at_kill = index_and_kill_after_a_commit(&env, &["--commit-every", "300"], &file);
    // Killed after a commit inside the file, before its end.
    assert!(at_kill > 0 && at_kill < n, "{at_kill} of {n}");
    env.index(&[&file]);
    assert_eq!(env.search_json(&["", "-n", "0"])["total"], n);
    assert_eq!(env.search_json(&["\"barge 3999\"", "-n", "0"])["total"], 1);
}
