//! Golden sentences per kind (`tests/data/ner/golden.json`, written by us): the library's
//! recogniser must find each listed entity with its kind, and none of the names listed as not
//! entities. Accuracy at scale is `newsdex eval ner`'s job; these pin behaviour a user sees.

mod common;

use common::data;
use newsdex::normalise::entities::extract;
use newsdex::EntityKind;

fn kind(name: &str) -> EntityKind {
    match name {
        "person" => EntityKind::Person,
        "organization" => EntityKind::Organization,
        "place" => EntityKind::Place,
        _ => EntityKind::Other,
    }
}

#[test]
fn golden_sentences_per_kind() {
    let text = std::fs::read_to_string(data("ner/golden.json")).expect("golden.json");
    let golden: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let cases = golden["cases"].as_array().expect("cases");
    assert!(cases.len() >= 20);
    let mut failures = Vec::new();
    for case in cases {
        let sentence = case["text"].as_str().expect("text");
        let found = extract("", sentence, &[]);
        let list: Vec<String> = found
            .iter()
            .map(|e| format!("{:?} {}", e.kind, e.name))
            .collect();
        for want in case["found"].as_array().into_iter().flatten() {
            let (k, name) = (
                want[0].as_str().unwrap_or(""),
                want[1].as_str().unwrap_or(""),
            );
            if !found.iter().any(|e| e.kind == kind(k) && e.name == name) {
                failures.push(format!(
                    "{sentence}\n  missing {k} {name:?}; found {list:?}"
                ));
            }
        }
        for not in case["not"].as_array().into_iter().flatten() {
            let name = not.as_str().unwrap_or("");
            if found.iter().any(|e| e.name == name) {
                failures.push(format!(
                    "{sentence}\n  {name:?} is not an entity; found {list:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
