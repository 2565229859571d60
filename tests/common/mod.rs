//! Shared helpers of the integration tests: a temporary index per test, the real binary,
//! and the fixtures under `tests/data/`.
#![allow(dead_code)] // each test file uses a different subset

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A temporary directory with an index location inside it.
pub struct TestEnv {
    pub tmp: tempfile::TempDir,
}

impl TestEnv {
    pub fn new() -> Self {
        TestEnv {
            tmp: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn index_dir(&self) -> PathBuf {
        self.tmp.path().join("index")
    }

    /// The library archive of this environment, with a small writer budget.
    pub fn archive(&self) -> newsdex::Archive {
        newsdex::Archive::builder(self.index_dir())
            .threads(1)
            .memory_mb(32)
            .open_or_create()
            .expect("archive opens")
    }

    /// The `newsdex` binary with `--index` pointing into this environment.
    pub fn newsdex(&self) -> Command {
        let mut cmd = Command::cargo_bin("newsdex").expect("binary built");
        cmd.arg("--index").arg(self.index_dir());
        cmd.env("CI", "1")
            .env("NO_COLOR", "1")
            .env_remove("NEWSDEX_INDEX");
        cmd
    }

    /// Copy the input files of a fixture folder (not `*.expected.json` or `*.md`).
    pub fn copy_inputs(&self, from: &Path, name: &str) -> PathBuf {
        let to = self.tmp.path().join(name);
        copy_tree(from, &to, &|name| {
            !name.ends_with(".expected.json") && !name.ends_with(".md")
        });
        to
    }

    /// Index `paths`, asserting success; returns stdout.
    pub fn index(&self, paths: &[&Path]) -> String {
        let out = self
            .newsdex()
            .arg("index")
            .args(paths)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "index failed: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Run a search with `--format json` and return the parsed result.
    pub fn search_json(&self, args: &[&str]) -> Value {
        let out = self
            .newsdex()
            .arg("search")
            .args(args)
            .args(["--format", "json"])
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "search {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("json output")
    }
}

/// Copy a folder and everything in it, documentation and expectation files included.
pub fn copy_all(from: &Path, to: &Path) {
    copy_tree(from, to, &|_| true);
}

/// Copy a folder, keeping the files whose name `keep` accepts.
fn copy_tree(from: &Path, to: &Path, keep: &dyn Fn(&str) -> bool) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("entry");
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name), keep);
        } else if keep(&name) {
            std::fs::copy(&path, to.join(&name)).expect("copy");
        }
    }
}

/// `tests/data/...`
pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

/// `sample_corpus/`
pub fn sample_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_corpus")
}

/// A file of `../shared/`, when that folder is present (tests using it skip otherwise).
pub fn shared(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipping: {} not present", p.display());
        None
    }
}

/// Articles printed by `newsdex normalize PATH...`.
pub fn normalize(paths: &[&Path]) -> Vec<Value> {
    let out = Command::cargo_bin("newsdex")
        .expect("binary")
        .arg("normalize")
        .args(paths)
        .env("CI", "1")
        .output()
        .expect("run");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSONL line"))
        .collect()
}

/// The text of `s` between `char` offsets.
pub fn chars(s: &str, start: usize, end: usize) -> String {
    s.chars().skip(start).take(end - start).collect()
}

/// Entities of an article with a given kind.
pub fn entities<'a>(article: &'a Value, kind: &str) -> Vec<&'a Value> {
    article["entities"]
        .as_array()
        .map(|a| a.iter().filter(|e| e["kind"] == kind).collect())
        .unwrap_or_default()
}

/// Check an article against an expectation file written for it (see tests/data/README.md).
pub fn check_expected(article: &Value, expected: &Value, what: &str) {
    let title = article["title"].as_str().unwrap_or_default();
    let body = article["body"].as_str().unwrap_or_default();
    if let Some(t) = expected["title"].as_str() {
        assert_eq!(title, t, "{what}: title");
    }
    if let Some(s) = expected["body_starts_with"].as_str() {
        assert!(
            body.starts_with(s),
            "{what}: body should start with {s:?} but starts with {:?}",
            &body[..body.len().min(120)]
        );
    }
    if let Some(s) = expected["body_ends_with"].as_str() {
        assert!(
            body.trim_end().ends_with(s),
            "{what}: body should end with {s:?} but ends with {:?}",
            &body[body.len().saturating_sub(120)..]
        );
    }
    for s in expected["must_contain"].as_array().into_iter().flatten() {
        let s = s.as_str().unwrap_or_default();
        assert!(
            body.contains(s),
            "{what}: real paragraph lost: {s:?}\nbody:\n{body}"
        );
    }
    for s in expected["must_not_contain"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let s = s.as_str().unwrap_or_default();
        assert!(
            !body.contains(s),
            "{what}: boilerplate kept: {s:?}\nbody:\n{body}"
        );
    }
    for s in expected["must_not_contain_lines"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let s = s.as_str().unwrap_or_default();
        assert!(
            !body.lines().any(|l| l.trim() == s),
            "{what}: boilerplate line kept: {s:?}"
        );
    }
    let people = entities(article, "person");
    for (name, aliases) in expected["people"].as_object().into_iter().flatten() {
        let e = people
            .iter()
            .find(|e| e["name"] == name.as_str())
            .unwrap_or_else(|| panic!("{what}: person {name} not found in {:?}", names(&people)));
        for alias in aliases.as_array().into_iter().flatten() {
            let short = strip_title(alias.as_str().unwrap_or_default());
            let mentioned = e["mentions"].as_array().into_iter().flatten().any(|m| {
                m["field"] == "body"
                    && chars(
                        body,
                        m["start"].as_u64().unwrap_or(0) as usize,
                        m["end"].as_u64().unwrap_or(0) as usize,
                    ) == short
            });
            assert!(
                mentioned,
                "{what}: {name} should be mentioned as {short:?}: {e}"
            );
        }
    }
    let places = entities(article, "place");
    for p in expected["places"].as_array().into_iter().flatten() {
        assert!(
            places.iter().any(|e| e["name"] == *p),
            "{what}: place {p} not found in {:?}",
            names(&places)
        );
    }
    let all: Vec<&Value> = article["entities"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    for bad in expected["not_entities"].as_array().into_iter().flatten() {
        let bad = bad.as_str().unwrap_or_default();
        assert!(
            !all.iter().any(|e| e["name"] == bad
                || e["aliases"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|x| x == bad))),
            "{what}: boilerplate name became an entity: {bad}"
        );
    }
}

fn strip_title(alias: &str) -> &str {
    for t in ["Mr ", "Mrs ", "Ms ", "Dr ", "Mr. ", "Mrs. ", "Ms. ", "Dr. "] {
        if let Some(rest) = alias.strip_prefix(t) {
            return rest;
        }
    }
    alias
}

pub fn names(es: &[&Value]) -> Vec<String> {
    es.iter()
        .map(|e| e["name"].as_str().unwrap_or_default().to_string())
        .collect()
}
