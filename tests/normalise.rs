//! Normalisation of real files through the real binary (`newsdex normalize`): titles,
//! bodies without boilerplate, entities, dates and formats, checked against expectation
//! files written for each fixture.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

fn expected_for(path: &Path) -> Value {
    let exp = path.with_extension("expected.json");
    serde_json::from_str(
        &std::fs::read_to_string(&exp).unwrap_or_else(|_| panic!("missing {}", exp.display())),
    )
    .expect("expected.json")
}

#[test]
fn the_real_seed_article_is_cleaned() {
    let Some(seed) = shared("inputs/seed-article.txt") else {
        return;
    };
    let articles = normalize(&[&seed]);
    assert_eq!(articles.len(), 1);
    let a = &articles[0];
    assert_eq!(
        a["title"],
        "Vladimir Putin's New Year message to Donald Trump calls for 'pragmatic cooperation'"
    );
    let body = a["body"].as_str().unwrap();
    assert!(
        body.starts_with("Vladimir Putin has called for \"pragmatic cooperation\""),
        "{body}"
    );
    for gone in [
        "Your support",
        "donation",
        "paywalls",
        "commenting forum",
        "thought-provoking",
        "Comments",
        "difference.",
    ] {
        assert!(!body.contains(gone), "boilerplate kept: {gone}");
    }
    assert!(body
        .trim_end()
        .ends_with("turning the tide of the conflict in Assad's favour."));
    let expected: Value = serde_json::json!({
        "people": {"Vladimir Putin": ["Mr Putin"], "Donald Trump": ["Mr Trump"], "Bashar al-Assad": ["Assad"]},
        "places": ["Russia", "Syria", "Crimea", "Moscow", "Washington", "Hmeymim", "Latakia", "Tartous"],
        "not_entities": ["The Independent", "Independent", "Elon Musk", "Big Tech", "Americans", "US history"]
    });
    check_expected(a, &expected, "seed");
    // The Kremlin: a place by CoNLL-2003's guidelines, an organisation by metonymy; either way
    // it is found.
    let kremlin = a["entities"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["name"] == "Kremlin");
    assert!(
        kremlin.is_some_and(|e| e["kind"] == "place" || e["kind"] == "organization"),
        "{kremlin:?}"
    );
}

#[test]
fn our_seed_shaped_article_is_cleaned() {
    let path = data("seed-shaped/putin-new-year.txt");
    let articles = normalize(&[&path]);
    assert_eq!(articles.len(), 1);
    check_expected(&articles[0], &expected_for(&path), "seed-shaped");
}

#[test]
fn seven_publishers_boilerplate_styles_are_cleaned_by_one_method() {
    let dir = data("boilerplate");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("txt") {
            continue;
        }
        let articles = normalize(&[&path]);
        assert_eq!(articles.len(), 1, "{}", path.display());
        check_expected(
            &articles[0],
            &expected_for(&path),
            &path.display().to_string(),
        );
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} boilerplate fixtures");
}

#[test]
fn formats_are_sniffed_and_fields_mapped() {
    let dir = data("formats");
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&dir) {
        let path = entry.unwrap().into_path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if path.is_file() && !name.ends_with(".expected.json") && !name.ends_with(".md") {
            files.push(path);
        }
    }
    assert!(files.len() >= 14);
    for path in files {
        let exp = expected_for(&path);
        let articles = normalize(&[&path]);
        let what = path.display().to_string();
        assert_eq!(
            articles.len() as u64,
            exp["count"].as_u64().unwrap(),
            "{what}: count"
        );
        for (a, t) in articles.iter().zip(exp["titles"].as_array().unwrap()) {
            assert_eq!(a["title"], *t, "{what}: title");
        }
        for (a, d) in articles.iter().zip(exp["dates"].as_array().unwrap()) {
            assert_eq!(a.get("date").unwrap_or(&Value::Null), d, "{what}: date");
        }
    }
}

#[test]
fn every_sample_corpus_article_normalises() {
    let articles = normalize(&[&sample_corpus()]);
    assert!(articles.len() >= 40, "{} articles", articles.len());
    for a in &articles {
        assert!(!a["title"].as_str().unwrap().is_empty());
        assert!(
            a["body"].as_str().unwrap().len() > 200,
            "short body: {}",
            a["title"]
        );
        assert!(
            !a["body"].as_str().unwrap().contains('\u{fffd}'),
            "mangled text: {}",
            a["title"]
        );
    }
    // No page furniture survives in any of the six publishers' styles of the sample corpus.
    let furniture = regex::Regex::new(
        r"(?i)^(- |• )|^comments\s*\d|share this article|^follow .* on (twitter|facebook)|^related:|^more from|^\(image:|photograph:|^(reporting|editing) by|^sign up|^your support|we use cookies",
    )
    .unwrap();
    for a in &articles {
        for p in a["body"].as_str().unwrap().split("\n\n") {
            assert!(
                !furniture.is_match(p),
                "furniture kept in {}: {p}",
                a["source"]["path"]
            );
        }
    }
    // The Windows-1252 file is decoded, not mangled.
    let latin = articles
        .iter()
        .find(|a| {
            a["source"]["path"]
                .as_str()
                .unwrap()
                .ends_with("latin1-besancon-market.txt")
        })
        .expect("latin-1 article");
    assert!(latin["body"].as_str().unwrap().contains("Fernández"));
}
