//! Entity-extraction evaluation through the real binary: our CoNLL gold set (a regression
//! floor on its F1) and agreement with an archive's declared entities.

mod common;

use common::*;
use serde_json::Value;

fn eval(args: &[&str]) -> Value {
    let env = TestEnv::new();
    let out = env
        .newsdex()
        .args(["eval", "ner"])
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn our_gold_set_stays_above_its_measured_f1() {
    let gold = data("ner/gold.conll");
    let r = eval(&["--conll", gold.to_str().unwrap(), "--errors", "3"]);
    assert_eq!(r["documents"], 72);
    assert_eq!(r["all"]["gold"], 648);
    // Measured 0.888 with the learned recogniser (0.852 with the rules alone; see
    // docs/entities.md); a drop below this floor is a regression.
    let f1 = r["per_org_loc"]["f1"].as_f64().unwrap();
    assert!(f1 >= 0.87, "PER+ORG+LOC F1 {f1}");
    // Organisations were the weak kind of the rules (0.81); and MISC is now produced.
    let org = &r["types"][1];
    assert_eq!(org["type"], "ORG");
    assert!(org["f1"].as_f64().unwrap() >= 0.80, "{org}");
    let misc = &r["types"][3];
    assert!(misc["f1"].as_f64().unwrap() >= 0.75, "{misc}");
    let per = &r["types"][0];
    assert_eq!(per["type"], "PER");
    assert!(per["precision"].as_f64().unwrap() >= 0.9, "{per}");
    assert_eq!(r["disagreements"].as_array().map(Vec::len), Some(3));
}

#[test]
fn declared_entities_are_compared_with_the_text() {
    let sgm = data("wire/reuters-style.sgm");
    let r = eval(&["--declared", sgm.to_str().unwrap()]);
    assert_eq!(r["articles"], 4);
    let kind = |k: &str| {
        r["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["kind"] == k)
            .cloned()
            .unwrap()
    };
    // PEOPLE says "berggren"; the text says Ulf Berggren.
    assert_eq!(kind("person")["declared"], 1);
    assert_eq!(kind("person")["found"], 1);
    // PLACES: usa (four times: twice never named in the text), brazil, colombia, sweden,
    // west-germany.
    assert_eq!(kind("place")["declared"], 7);
    assert!(kind("place")["found"].as_u64().unwrap() >= 3);
}

#[test]
fn another_model_file_can_be_scored_and_a_damaged_one_is_refused() {
    let env = TestEnv::new();
    let gold = data("ner/gold.conll");
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/normalise/entities/ner-model.bin");
    let with_file = eval(&[
        "--conll",
        gold.to_str().unwrap(),
        "--model",
        shipped.to_str().unwrap(),
    ]);
    let built_in = eval(&["--conll", gold.to_str().unwrap()]);
    assert_eq!(with_file["per_org_loc"], built_in["per_org_loc"]);

    let bad = env.tmp.path().join("model.bin");
    let mut bytes = std::fs::read(&shipped).unwrap();
    bytes.truncate(100);
    std::fs::write(&bad, &bytes).unwrap();
    let out = env
        .newsdex()
        .args(["eval", "ner", "--conll"])
        .arg(&gold)
        .arg("--model")
        .arg(&bad)
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("model.bin") && err.contains("truncated or corrupt"),
        "{err}"
    );
}

#[test]
fn conll_errors_name_file_and_line() {
    let env = TestEnv::new();
    let bad = env.tmp.path().join("bad.conll");
    std::fs::write(&bad, "-DOCSTART- -X- -X- O\n\nParis NNP I-NP I-CITY\n").unwrap();
    let out = env
        .newsdex()
        .args(["eval", "ner", "--conll"])
        .arg(&bad)
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.conll") && err.contains("line 3"), "{err}");
}
