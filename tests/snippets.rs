//! Snippet quality, read and frozen.
//!
//! `tests/data/snippets/sample.golden` holds the top three hits of every judged sample query
//! (`tests/data/ranking/sample.queries.tsv`) with their snippets, highlights in `[[…]]`. The
//! file was read for quality when written; a change to ranking or snippets shows up as a diff
//! to read again. After an intended change, regenerate it with
//! `NEWSDEX_BLESS=1 cargo test --test snippets` and read the diff before committing.
//!
//! Over Reuters-21578 (in `../shared`, never committed) an ignored test checks the same
//! properties on the 32 judged Reuters queries and freezes, in `reuters.golden`, what can be
//! kept without Reuters text: the top three ids with their judged grades, fragment offsets and
//! highlighted words: `cargo test --release --test snippets -- --ignored`.

mod common;

use common::*;
use newsdex::{Hit, SearchRequest};
use std::fmt::Write as _;

/// The fragment's text with its highlights in `[[…]]`, checking that every highlight lies
/// inside the fragment and covers the body text it claims to.
fn marked(hit: &Hit, f: &newsdex::Fragment) -> String {
    let body: Vec<char> = hit.article.body.chars().collect();
    let text: Vec<char> = f.text.chars().collect();
    // The text is the body's chars start..end, after a `…` when a sentence was cut.
    let lead = usize::from(text.first() == Some(&'…') && body.get(f.start) != Some(&'…'));
    assert_eq!(
        text[lead..lead + (f.end - f.start)],
        body[f.start..f.end],
        "{}: fragment text is not the body's chars start..end",
        hit.article.id
    );
    let mut out = String::new();
    let mut at = 0;
    for h in &f.highlights {
        assert!(
            f.start <= h.start && h.end <= f.end && h.start < h.end,
            "{}: highlight {h:?} outside fragment {}..{}",
            hit.article.id,
            f.start,
            f.end
        );
        let (s, e) = (h.start - f.start + lead, h.end - f.start + lead);
        assert_eq!(
            text[s..e],
            body[h.start..h.end],
            "{}: fragment text and body disagree",
            hit.article.id
        );
        out.extend(&text[at..s]);
        out.push_str("[[");
        out.extend(&text[s..e]);
        out.push_str("]]");
        at = e;
    }
    out.extend(&text[at..]);
    out
}

/// Properties every snippet must have, whatever the query.
fn check_hit(query: &str, hit: &Hit) {
    let id = &hit.article.id;
    assert!(
        hit.fragments.len() <= 3,
        "{query}: {id}: {} fragments",
        hit.fragments.len()
    );
    for f in &hit.fragments {
        let chars = f.text.chars().count();
        assert!(
            chars <= 400,
            "{query}: {id}: fragment of {chars} chars: {}",
            f.text
        );
        assert!(
            !f.text.contains("\n\n"),
            "{query}: {id}: fragment spans paragraphs"
        );
        assert!(!f.text.trim().is_empty(), "{query}: {id}: empty fragment");
    }
}

fn golden(queries: &[(String, String)], archive: &newsdex::Archive) -> String {
    let mut out = String::new();
    for (qid, query) in queries {
        let results = archive
            .search(&SearchRequest::new(query.as_str()).limit(3))
            .unwrap_or_else(|e| panic!("{qid}: {e}"));
        let _ = writeln!(
            out,
            "## {qid} {query}  ({} matching, {:?})",
            results.total, results.mode
        );
        for hit in &results.hits {
            check_hit(query, hit);
            let _ = writeln!(
                out,
                "{}. {} [{}]",
                hit.rank, hit.article.title, hit.article.id
            );
            for f in &hit.fragments {
                let _ = writeln!(out, "   > {}", marked(hit, f));
            }
        }
        out.push('\n');
    }
    out
}

/// Index with one writer thread: the same documents in the same order on every run, so
/// equal scores (copies of a story) break ties the same way.
fn index_one_thread(env: &TestEnv, path: &std::path::Path) {
    let out = env
        .newsdex()
        .args(["index", "--threads", "1"])
        .arg(path)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn read_queries(path: &std::path::Path) -> Vec<(String, String)> {
    std::fs::read_to_string(path)
        .expect("queries file")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(q, t)| (q.to_string(), t.to_string()))
        .collect()
}

/// Compare `got` with the golden file at `path`, or write it when `NEWSDEX_BLESS` is set.
fn matches_golden(path: &std::path::Path, got: &str) {
    if std::env::var_os("NEWSDEX_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, got).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(path).expect("golden file (NEWSDEX_BLESS=1 writes it)");
    if got != want {
        let diff: Vec<String> = want
            .lines()
            .zip(got.lines())
            .enumerate()
            .filter(|(_, (w, g))| w != g)
            .take(6)
            .map(|(n, (w, g))| format!("line {}:\n  want {w}\n  got  {g}", n + 1))
            .collect();
        panic!(
            "{}: snippets changed ({} vs {} lines); read the change, then NEWSDEX_BLESS=1 to accept:\n{}",
            path.display(),
            want.lines().count(),
            got.lines().count(),
            diff.join("\n")
        );
    }
}

#[test]
fn sample_snippets_match_the_golden_file() {
    let env = TestEnv::new();
    // Named as in the repository: derived ids depend on the folder name.
    let corpus = env.copy_inputs(&sample_corpus(), "sample_corpus");
    index_one_thread(&env, &corpus);
    let archive = newsdex::Archive::open(env.index_dir()).expect("opens");
    let queries = read_queries(&data("ranking/sample.queries.tsv"));
    assert_eq!(queries.len(), 16);
    let got = golden(&queries, &archive);
    matches_golden(&data("snippets/sample.golden"), &got);
}

#[test]
#[ignore = "indexes Reuters-21578 from ../shared: cargo test --release --test snippets -- --ignored"]
fn reuters_snippets_hold_their_query_words() {
    let Some(sgm) = shared("corpora/reuters21578/sgm") else {
        return;
    };
    let env = TestEnv::new();
    index_one_thread(&env, &sgm);
    let archive = newsdex::Archive::open(env.index_dir()).expect("opens");
    let queries = read_queries(&data("ranking/reuters.queries.tsv"));
    assert_eq!(queries.len(), 32);
    let qrels =
        newsdex::eval::ranking::Qrels::from_path(&data("ranking/reuters.qrels")).expect("qrels");
    // Reuters text stays out of the repository: the golden file keeps ids, judged grades,
    // fragment offsets and the highlighted words only.
    let mut got = String::new();
    let mut without = 0;
    for (qid, query) in &queries {
        let results = archive
            .search(&SearchRequest::new(query.as_str()).limit(3))
            .expect("search");
        assert!(!results.hits.is_empty(), "{qid}");
        let _ = writeln!(
            got,
            "## {qid} {query}  ({} matching, {:?})",
            results.total, results.mode
        );
        for hit in &results.hits {
            check_hit(query, hit);
            let grade = qrels
                .grade(qid, &hit.article.id.to_string())
                .map_or("unjudged".to_string(), |g| format!("grade {g}"));
            let _ = writeln!(got, "{}. {} ({grade})", hit.rank, hit.article.id);
            for f in &hit.fragments {
                let words: Vec<String> = marked(hit, f)
                    .split("[[")
                    .skip(1)
                    .filter_map(|w| w.split_once("]]").map(|(w, _)| w.to_string()))
                    .collect();
                let _ = writeln!(got, "   > {}..{}: {}", f.start, f.end, words.join(" · "));
            }
            // A hit whose snippet shows no query word at all tells the reader nothing.
            if hit.fragments.iter().all(|f| f.highlights.is_empty()) {
                without += 1;
                eprintln!("{qid}: {} has no highlighted fragment", hit.article.id);
            }
        }
        got.push('\n');
    }
    assert!(without <= 2, "{without} hits without a highlight");
    matches_golden(&data("snippets/reuters.golden"), &got);
}
