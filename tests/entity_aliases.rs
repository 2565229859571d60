//! The archive-wide entity dictionary through the real binary and the library: short forms
//! resolved across articles, people sharing a surname kept apart, place aliases, entity
//! queries and reports through the dictionary, and a missing or stale dictionary rebuilt.
//!
//! Fixtures: `tests/data/aliases/` (our own articles). "Mr Putin" and "President Putin"
//! articles never give his full name; George Bush and Jeb Bush are each named once, and a
//! third article says only "Mr Bush".

mod common;

use common::*;
use newsdex::{Archive, EntityKind};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::OnceLock;

fn env() -> &'static TestEnv {
    static ENV: OnceLock<TestEnv> = OnceLock::new();
    ENV.get_or_init(|| {
        let env = TestEnv::new();
        let corpus = env.copy_inputs(&data("aliases"), "aliases");
        env.index(&[&corpus]);
        env
    })
}

/// File names (without `.txt`) of the articles a search finds.
fn files(results: &Value) -> BTreeSet<String> {
    results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            let path = h["article"]["source"]["path"].as_str().expect("path");
            let name = path.rsplit('/').next().unwrap_or(path);
            name.trim_end_matches(".txt").to_string()
        })
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_full_name_finds_the_articles_that_only_use_the_surname() {
    let all = set(&["putin-full", "putin-surname", "putin-title"]);
    for q in [
        "person:\"Vladimir Putin\"",
        "person:Putin",
        "person:\"President Putin\"",
        "person:=\"Vladimir Putin\"",
        "entity:putin",
    ] {
        assert_eq!(files(&env().search_json(&[q])), all, "{q}");
    }
    let filtered = env().search_json(&["", "--person", "vladimir putin"]);
    assert_eq!(files(&filtered), all);
}

#[test]
fn people_sharing_a_surname_stay_apart() {
    let george = env().search_json(&["person:\"George Bush\""]);
    assert_eq!(files(&george), set(&["bush-george"]));
    let jeb = env().search_json(&["person:\"Jeb Bush\""]);
    assert_eq!(files(&jeb), set(&["bush-jeb"]));
    // The surname alone means any of them.
    let bush = env().search_json(&["person:bush"]);
    assert_eq!(
        files(&bush),
        set(&["bush-george", "bush-jeb", "bush-surname"])
    );
}

#[test]
fn place_aliases_resolve_to_one_place() {
    let both = set(&["us-full", "us-initials"]);
    for q in [
        "entity:\"U.S.\"",
        "place:US",
        "place:USA",
        "place:\"United States\"",
    ] {
        assert_eq!(files(&env().search_json(&[q])), both, "{q}");
    }
}

#[test]
fn highlights_follow_the_resolved_entity() {
    let r = env().search_json(&["person:\"Vladimir Putin\""]);
    let hit = r["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .find(|h| {
            h["article"]["source"]["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("putin-title.txt"))
        })
        .expect("the President Putin article");
    let body = hit["article"]["body"].as_str().expect("body");
    let marked: Vec<String> = hit["fragments"]
        .as_array()
        .expect("fragments")
        .iter()
        .flat_map(|f| f["highlights"].as_array().cloned().unwrap_or_default())
        .map(|h| {
            let (s, e) = (
                h["start"].as_u64().expect("start") as usize,
                h["end"].as_u64().expect("end") as usize,
            );
            body[s..e].to_string()
        })
        .collect();
    assert_eq!(marked, vec!["Putin".to_string()], "{hit}");
}

#[test]
fn the_entity_report_counts_an_entity_under_all_its_names() {
    let out = env()
        .newsdex()
        .args(["entities", "--kind", "person", "--format", "json"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let list = report["entities"].as_array().expect("entities");
    let find = |name: &str| list.iter().find(|e| e["name"] == name);
    let putin = find("Vladimir Putin").expect("Vladimir Putin listed");
    assert_eq!(putin["count"], 3, "{putin}");
    let aliases: Vec<&str> = putin["aliases"]
        .as_array()
        .expect("aliases")
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert_eq!(aliases, ["Putin"], "{putin}");
    assert!(find("Putin").is_none(), "the surname is merged: {report}");
    // The ambiguous surname stays its own entry, and the two people theirs.
    for name in ["George Bush", "Jeb Bush", "Bush"] {
        assert_eq!(
            find(name).map(|e| e["count"].clone()),
            Some(1.into()),
            "{name}"
        );
    }
    // Text output lists the aliases.
    let text = env()
        .newsdex()
        .args(["entities", "--kind", "person"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("also Putin"), "{text}");
}

#[test]
fn the_library_resolves_through_the_dictionary() {
    let archive = Archive::open(env().index_dir()).expect("open");
    let dictionary = archive.dictionary().expect("dictionary");
    let found = dictionary.resolve(Some(EntityKind::Person), "Mr Putin");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].name, "Vladimir Putin");
    assert_eq!(found[0].names, ["Vladimir Putin", "Putin"]);
    let us = dictionary.resolve(None, "USA");
    assert_eq!(
        us.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["United States"]
    );
    let entries = dictionary.entries().expect("entries");
    let bush: Vec<&str> = entries
        .iter()
        .filter(|e| e.kind == EntityKind::Person && e.name.contains("Bush"))
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(bush.len(), 3, "{bush:?}");
    let results = archive
        .search(&newsdex::SearchRequest::new("").person("Putin"))
        .expect("search");
    assert_eq!(results.total, 3);
}

#[test]
fn a_missing_dictionary_is_rebuilt() {
    let env = TestEnv::new();
    let corpus = env.copy_inputs(&data("aliases"), "aliases");
    env.index(&[&corpus]);
    let lookup = env.index_dir().join("newsdex-entities.lookup");
    let list = env.index_dir().join("newsdex-entities.json");
    assert!(lookup.is_file() && list.is_file());
    // As if a run were killed between its commit and the dictionary.
    std::fs::remove_file(&lookup).expect("rm");
    std::fs::remove_file(&list).expect("rm");
    let r = env.search_json(&["person:\"Vladimir Putin\""]);
    assert_eq!(r["total"], 3);
    // A stale dictionary (of another commit) is not used either.
    std::fs::write(&lookup, "newsdex-entity-lookup 1 999999\n").expect("write");
    let r = env.search_json(&["person:\"Vladimir Putin\""]);
    assert_eq!(r["total"], 3);
    // The next run, even with nothing to do, stores it again.
    env.index(&[&corpus]);
    let head = std::fs::read_to_string(&lookup).expect("lookup stored");
    assert!(
        !head.starts_with("newsdex-entity-lookup 1 999999"),
        "{head}"
    );
    assert!(list.is_file());
}
