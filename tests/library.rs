//! The library API on real files: the embedding example, typed requests and results,
//! typed errors.

mod common;

#[path = "../examples/embed.rs"]
mod embed;

use common::*;
use newsdex::{Archive, ArticleId, EntityKind, Error, SearchRequest, Sort};

#[test]
fn the_embedding_example_runs() {
    let env = TestEnv::new();
    let corpus = env.copy_inputs(&sample_corpus(), "corpus");
    let summary = embed::run(&corpus, &env.index_dir()).expect("example runs");
    assert!(summary.articles >= 41);
    assert!(!summary.titles.is_empty());
    assert!(
        summary.snippet.contains("[Okafor]") || summary.snippet.contains("[Amara Okafor]"),
        "{}",
        summary.snippet
    );
    // The question's matches, per year, add up to the articles it matches.
    assert!(
        summary.years.iter().any(|(y, n)| y == "2018" && *n > 0),
        "{:?}",
        summary.years
    );
    assert!(
        summary
            .people
            .iter()
            .any(|(name, _)| name == "Vicente Roig" || name == "Elena Vasquez"),
        "{:?}",
        summary.people
    );
    assert!(!summary.similar.is_empty());
    assert!(summary.chart_svg.starts_with("<svg") && summary.chart_svg.contains("<rect"));
}

#[test]
fn typed_search_and_lookup() {
    let env = TestEnv::new();
    let corpus = env.copy_inputs(&data("seed-shaped"), "seed");
    let archive = env.archive();
    let report = archive
        .indexer()
        .unwrap()
        .index_paths(&[corpus], &mut ())
        .unwrap();
    assert_eq!((report.indexed, report.updated, report.warnings), (1, 0, 0));

    let results = archive
        .search(
            &SearchRequest::new("kremlin")
                .person("Vladimir Putin")
                .place("Crimea")
                .sort(Sort::Newest),
        )
        .unwrap();
    assert_eq!(results.total, 1);
    let hit = &results.hits[0];
    let person = hit
        .article
        .entities
        .iter()
        .find(|e| e.kind == EntityKind::Person && e.name == "Vladimir Putin")
        .expect("Putin entity");
    assert!(person.aliases.iter().any(|a| a == "Putin"));
    let again = archive.get(&hit.article.id).unwrap();
    assert_eq!(again, hit.article);
    assert!(matches!(
        archive.get(&ArticleId("nope".into())),
        Err(Error::NotFound(_))
    ));
}

#[test]
fn errors_are_typed() {
    let env = TestEnv::new();
    assert!(matches!(
        Archive::open(env.index_dir()),
        Err(Error::NoIndex { .. })
    ));
    let archive = Archive::open_or_create(env.index_dir()).unwrap();
    match archive.search(&SearchRequest::new("title:(putin")) {
        Err(Error::Query(e)) => {
            assert_eq!(e.position, 6);
            assert!(e.to_string().contains("unclosed parenthesis"));
        }
        other => panic!("expected a query error, got {other:?}"),
    }
    assert!(matches!(
        archive.search(&SearchRequest::new("x").from("2018").to("2017")),
        Err(Error::InvalidRequest(_))
    ));
    let _w = archive.indexer().unwrap();
    assert!(matches!(archive.indexer(), Err(Error::Locked { .. })));
}

#[test]
fn no_query_panics() {
    let env = TestEnv::new();
    let archive = Archive::open_or_create(env.index_dir()).unwrap();
    for q in [
        "",
        "*",
        "\"",
        "\"\"",
        "(",
        ")",
        "()",
        "-",
        "--",
        "+",
        "OR",
        "AND",
        "NOT",
        "a OR",
        "-(a OR b)",
        "title:",
        "title:\"\"",
        "date:",
        "date:[",
        "date:[ TO ]",
        "date:[* TO *]",
        "person:(a OR -b)",
        "::::",
        "a:b:c",
        "é:x",
        "\u{0}",
        "日本語 ニュース",
        "U.S.",
        "al-Assad's",
        "title:(body:x)",
        "((((a))))",
        "-a -b",
        "a AND AND b",
    ] {
        let _ = archive.search(&SearchRequest::new(q));
    }
}

#[test]
fn metadata_records_next_to_articles_give_one_warning_per_file() {
    let env = TestEnv::new();
    let file = env.tmp.path().join("mixed.jsonl");
    std::fs::write(
        &file,
        concat!(
            "{\"lccn\": \"1\", \"place\": [\"Oregon\"]}\n",
            "{\"lccn\": \"2\", \"place\": [\"Utah\"]}\n",
            "{\"title\": \"Port reopens\", \"body\": \"The port reopened on Monday after repairs.\"}\n",
            "[1, 2, 3]\n",
        ),
    )
    .unwrap();
    let (mut articles, mut warnings) = (0, Vec::new());
    newsdex::read_paths(
        &[file],
        &newsdex::ReadOptions::default(),
        &mut |e| match e {
            newsdex::Event::Article(_) => articles += 1,
            newsdex::Event::Warning(w) => warnings.push(w.to_string()),
            _ => {}
        },
    );
    assert_eq!(articles, 1);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("3 record(s) without article text, not indexed (first: record 1)"),
        "{warnings:?}"
    );
}

#[test]
fn damaged_and_empty_inputs_are_named() {
    let env = TestEnv::new();
    let dir = env.tmp.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("feed.xml"), "<?xml version=\"1.0\"?><rss></rss>").unwrap();
    std::fs::write(dir.join("a.zst"), [0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0]).unwrap();
    let mut warnings = Vec::new();
    newsdex::read_paths(&[dir], &newsdex::ReadOptions::default(), &mut |e| {
        if let newsdex::Event::Warning(e) = e {
            warnings.push(e);
        }
    });
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        matches!(&warnings[0], Error::Decompress { codec: "zstd", path, .. } if path.ends_with("a.zst")),
        "{warnings:?}"
    );
    assert!(
        matches!(&warnings[1], Error::Malformed { format: "feed", path, .. } if path.ends_with("feed.xml")),
        "{warnings:?}"
    );
}

#[test]
fn expansion_past_the_limit_is_refused_not_loaded() {
    use std::io::Write;
    let env = TestEnv::new();
    let file = env.tmp.path().join("bomb.txt.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&vec![b'a'; 5_000_000]).unwrap();
    std::fs::write(&file, gz.finish().unwrap()).unwrap();
    let options = newsdex::ReadOptions {
        max_file_bytes: 1_000_000,
        ..Default::default()
    };
    let mut errors = Vec::new();
    newsdex::read_paths(&[file], &options, &mut |e| {
        if let newsdex::Event::Warning(w) = e {
            errors.push(w);
        }
    });
    assert!(
        matches!(
            errors[..],
            [Error::TooLarge {
                limit: 1_000_000,
                ..
            }]
        ),
        "{errors:?}"
    );
}

#[test]
fn a_second_run_of_one_indexer_counts_updates() {
    let env = TestEnv::new();
    let corpus = env.copy_inputs(&data("seed-shaped"), "seed");
    let archive = env.archive();
    let mut indexer = archive.indexer().unwrap();
    let first = indexer
        .index_paths(std::slice::from_ref(&corpus), &mut ())
        .unwrap();
    assert_eq!((first.indexed, first.updated), (1, 0));
    // Unchanged: not read again.
    let again = indexer
        .index_paths(std::slice::from_ref(&corpus), &mut ())
        .unwrap();
    assert_eq!(
        (again.indexed, again.updated, again.files_unchanged),
        (1, 0, 1)
    );
    // Changed: read again, and its article replaces the old one.
    let file = std::fs::read_dir(&corpus)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("\n\nA paragraph added in a correction.\n");
    std::fs::write(&file, text).unwrap();
    let second = indexer
        .index_paths(std::slice::from_ref(&corpus), &mut ())
        .unwrap();
    // The report is cumulative: one new article, then one update of it.
    assert_eq!(
        (second.indexed, second.updated, second.duplicate_ids),
        (1, 1, 0)
    );
    assert_eq!(second.total_in_index, 1);
    // Emptied: its article is removed, and counted so.
    std::fs::write(&file, "").unwrap();
    let third = indexer.index_paths(&[corpus], &mut ()).unwrap();
    assert_eq!((third.removed, third.total_in_index), (1, 0));
}

#[test]
fn a_run_that_changes_nothing_makes_no_commit() {
    let env = TestEnv::new();
    let corpus = env.copy_inputs(&data("seed-shaped"), "seed");
    let archive = env.archive();
    let first = archive
        .indexer()
        .unwrap()
        .index_paths(std::slice::from_ref(&corpus), &mut ())
        .unwrap();
    assert_eq!(first.indexed, 1);
    let meta = || std::fs::read(env.index_dir().join("meta.json")).unwrap();
    let before = meta();
    // A second run in a new indexer: every file unchanged, so neither a commit (which would
    // make the entity dictionary be rebuilt) nor any article read.
    let mut indexer = archive.indexer().unwrap();
    let again = indexer.index_paths(&[corpus], &mut ()).unwrap();
    indexer.finish().unwrap();
    assert_eq!((again.indexed, again.files_unchanged), (0, 1));
    assert_eq!(meta(), before, "meta.json (the commit) is unchanged");
}
