//! Near-duplicate detection on our own pairs (`tests/data/near-duplicates/`) and, ignored by
//! default, on the whole Reuters-21578 collection:
//!
//! ```text
//! cargo test --release --test dedup -- --ignored --nocapture
//! ```
//!
//! Set `NEWSDEX_DEDUP_DUMP=/some/file.tsv` to also write every LSH candidate pair with its
//! figures, for tuning.

use newsdex::dedup::{Clusters, Fingerprint};
use newsdex::{read_paths, Article, Event, ReadOptions};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/near-duplicates")
}

/// Articles of the given files, through the real pipeline (the body fingerprinted at index
/// time is the normalised one).
fn articles(paths: &[PathBuf]) -> Vec<Article> {
    let mut out = Vec::new();
    read_paths(paths, &ReadOptions::default(), &mut |e| match e {
        Event::Article(a) => out.push(*a),
        Event::Warning(w) => panic!("{w}"),
        _ => {}
    });
    out
}

fn fingerprint(a: &Article) -> Fingerprint {
    Fingerprint::of(&a.title, &a.body)
        .unwrap_or_else(|| panic!("{}: too short to fingerprint", a.source.path))
}

/// The pairs `<kind>-NN-a.txt` / `<kind>-NN-b.txt` (and `-c`, ... for groups) of one kind.
fn groups(kind: &str) -> Vec<(String, Vec<PathBuf>)> {
    let mut by_name: HashMap<String, Vec<PathBuf>> = HashMap::new();
    for entry in std::fs::read_dir(data_dir()).expect("near-duplicates folder") {
        let path = entry.expect("dir entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !name.starts_with(&format!("{kind}-")) || !name.ends_with(".txt") {
            continue;
        }
        let stem = &name[..name.len() - ".txt".len()];
        let Some((group, _)) = stem.rsplit_once('-') else {
            continue;
        };
        by_name.entry(group.to_string()).or_default().push(path);
    }
    let mut out: Vec<_> = by_name.into_iter().collect();
    out.sort();
    for (_, paths) in &mut out {
        paths.sort();
    }
    out
}

fn share_band(a: &Fingerprint, b: &Fingerprint) -> bool {
    let bands = b.bands();
    a.bands().iter().any(|k| bands.contains(k))
}

#[test]
fn every_positive_pair_is_detected() {
    let groups = groups("pos");
    assert!(groups.len() >= 12, "{} positive groups", groups.len());
    let mut failures = Vec::new();
    for (name, paths) in &groups {
        let fps: Vec<Fingerprint> = articles(paths).iter().map(fingerprint).collect();
        assert!(fps.len() >= 2, "{name}");
        for (i, a) in fps.iter().enumerate() {
            for b in &fps[i + 1..] {
                let line = format!(
                    "{name}: J {:.2} lead {:.2} containment {:.2} numbers {:.2}/{:.2} shingles {}/{} band {}",
                    a.similarity(b),
                    a.lead_similarity(b),
                    a.containment(b),
                    a.numbers_similarity(b),
                    a.numbers_containment(b),
                    a.shingles(),
                    b.shingles(),
                    share_band(a, b)
                );
                println!("{line}");
                if !a.is_near_duplicate(b) || !share_band(a, b) {
                    failures.push(line);
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "missed copies:\n{}",
        failures.join("\n")
    );
}

#[test]
fn no_negative_pair_is_detected() {
    let groups = groups("neg");
    assert!(groups.len() >= 12, "{} negative groups", groups.len());
    let mut failures = Vec::new();
    for (name, paths) in &groups {
        let fps: Vec<Fingerprint> = articles(paths).iter().map(fingerprint).collect();
        assert!(fps.len() >= 2, "{name}");
        for (i, a) in fps.iter().enumerate() {
            for b in &fps[i + 1..] {
                let line = format!(
                    "{name}: J {:.2} lead {:.2} containment {:.2} numbers {:.2}/{:.2} shingles {}/{}",
                    a.similarity(b),
                    a.lead_similarity(b),
                    a.containment(b),
                    a.numbers_similarity(b),
                    a.numbers_containment(b),
                    a.shingles(),
                    b.shingles()
                );
                println!("{line}");
                if a.is_near_duplicate(b) {
                    failures.push(line);
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "false copies:\n{}",
        failures.join("\n")
    );
}

/// All our pairs clustered together: positives in one cluster each, nothing else merged.
#[test]
fn clusters_of_all_pairs() {
    let mut clusters = Clusters::new();
    let mut expected: Vec<Vec<String>> = Vec::new();
    for kind in ["pos", "neg"] {
        for (name, paths) in groups(kind) {
            let keys: Vec<String> = paths
                .iter()
                .map(|p| p.file_stem().and_then(|s| s.to_str()).unwrap_or("").into())
                .collect();
            for (key, a) in keys.iter().zip(articles(&paths)) {
                clusters.add(key.clone(), &fingerprint(&a));
            }
            if kind == "pos" {
                expected.push(keys);
            }
            let _ = name;
        }
    }
    assert_eq!(clusters.groups(), expected);
}

fn reuters_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpora/reuters21578/reuters21578.jsonl.gz")
}

#[test]
#[ignore = "reads the Reuters-21578 collection from ../shared; run with --release --ignored"]
fn reuters21578_clusters() {
    let path = reuters_path();
    if !path.exists() {
        println!("skipped: {} is absent", path.display());
        return;
    }
    let t = Instant::now();
    let articles = articles(&[path]);
    println!(
        "{} articles read and normalised in {:.1?}",
        articles.len(),
        t.elapsed()
    );

    // Speed of Fingerprint::of alone, over the whole collection, three times.
    let bytes: usize = articles.iter().map(|a| a.title.len() + a.body.len()).sum();
    let t = Instant::now();
    let mut fps: Vec<Option<Fingerprint>> = Vec::new();
    for _ in 0..3 {
        fps = articles
            .iter()
            .map(|a| Fingerprint::of(&a.title, &a.body))
            .collect();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "Fingerprint::of: {:.1} MB x3 in {secs:.2} s = {:.0} MB/s (one core)",
        bytes as f64 / 1e6,
        3.0 * bytes as f64 / 1e6 / secs
    );
    // The same text as one long document: the streaming cost without per-article costs.
    let all: String = articles
        .iter()
        .map(|a| a.body.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let t = Instant::now();
    for _ in 0..3 {
        std::hint::black_box(Fingerprint::of("", std::hint::black_box(&all)));
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "Fingerprint::of on one {:.1} MB text: {:.0} MB/s",
        all.len() as f64 / 1e6,
        3.0 * all.len() as f64 / 1e6 / secs
    );
    let too_short = fps.iter().filter(|f| f.is_none()).count();
    println!("too short to fingerprint: {too_short}");

    let t = Instant::now();
    let mut clusters = Clusters::new();
    for (i, fp) in fps.iter().enumerate() {
        if let Some(fp) = fp {
            clusters.add(i, fp);
        }
    }
    let groups = clusters.groups();
    let clustered: usize = groups.iter().map(Vec::len).sum();
    println!(
        "clustered in {:.2?}: {} clusters of size >= 2 holding {} articles (largest {})",
        t.elapsed(),
        groups.len(),
        clustered,
        groups.iter().map(Vec::len).max().unwrap_or(0)
    );

    // Similarity distribution of all LSH candidate pairs.
    let mut buckets: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, fp) in fps.iter().enumerate() {
        for b in fp.iter().flat_map(Fingerprint::bands) {
            buckets.entry(b).or_default().push(i);
        }
    }
    let mut pairs: Vec<(usize, usize)> = buckets
        .values()
        .flat_map(|v| {
            v.iter()
                .enumerate()
                .flat_map(move |(x, &i)| v[x + 1..].iter().map(move |&j| (i, j)))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut histogram = [0usize; 10];
    let mut dump = std::env::var_os("NEWSDEX_DEDUP_DUMP")
        .map(|p| std::io::BufWriter::new(std::fs::File::create(p).expect("dump file")));
    let mut duplicates = 0;
    for &(i, j) in &pairs {
        let (Some(a), Some(b)) = (&fps[i], &fps[j]) else {
            continue;
        };
        let s = a.similarity(b);
        histogram[((s * 10.0) as usize).min(9)] += 1;
        let dup = a.is_near_duplicate(b);
        duplicates += usize::from(dup);
        if let Some(w) = dump.as_mut() {
            writeln!(
                w,
                "{}\t{}\t{s:.3}\t{:.3}\t{:.3}\t{}\t{}\t{dup}\t{}\t{}\t{:.2}\t{:.2}",
                articles[i].id,
                articles[j].id,
                a.lead_similarity(b),
                a.containment(b),
                a.shingles(),
                b.shingles(),
                articles[i].title,
                articles[j].title,
                a.numbers_similarity(b),
                a.numbers_containment(b)
            )
            .expect("dump");
        }
    }
    println!(
        "{} candidate pairs, {duplicates} judged near-duplicates; resemblance:",
        pairs.len()
    );
    for (d, n) in histogram.iter().enumerate() {
        println!("  {:.1}-{:.1}: {n}", d as f64 / 10.0, (d + 1) as f64 / 10.0);
    }

    // Templated results briefs must stay apart: any cluster of them is printed for checking.
    let templated: Vec<&Vec<usize>> = groups
        .iter()
        .filter(|g| {
            g.iter().any(|&i| {
                let t = &articles[i].title;
                t.contains("QTR NET") || t.contains("QTR LOSS")
            })
        })
        .collect();
    println!(
        "{} clusters with a QTR NET / QTR LOSS title:",
        templated.len()
    );
    for g in &templated {
        print_group(&articles, &fps, g);
    }

    println!("sample of 30 clusters (every n-th):");
    let step = (groups.len() / 30).max(1);
    for g in groups.iter().step_by(step).take(30) {
        print_group(&articles, &fps, g);
    }
}

fn print_group(articles: &[Article], fps: &[Option<Fingerprint>], g: &[usize]) {
    let rep = &fps[g[0]];
    println!("  --");
    for &i in g {
        let s = match (rep, &fps[i]) {
            (Some(a), Some(b)) => a.similarity(b),
            _ => 0.0,
        };
        println!("  {:>6} {s:.2} {}", articles[i].id, articles[i].title);
    }
}

/// A fresh folder holding copies of `files` from the fixtures, renamed `1.txt`, `2.txt`, ...
/// in the given order (the indexer reads a folder in name order).
fn folder(root: &Path, name: &str, files: &[&str]) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    for (i, file) in files.iter().enumerate() {
        std::fs::copy(data_dir().join(file), dir.join(format!("{}.txt", i + 1))).unwrap();
    }
    dir
}

fn archive(dir: &Path, window: usize) -> newsdex::Archive {
    newsdex::Archive::builder(dir.join("index"))
        .threads(1)
        .memory_mb(32)
        .dedup_window(window)
        .open_or_create()
        .unwrap()
}

#[test]
fn copies_of_articles_indexed_by_an_earlier_run_are_found() {
    let tmp = tempfile::tempdir().unwrap();
    let first = folder(
        tmp.path(),
        "first",
        &[
            "pos-01-a.txt",
            "pos-02-a.txt",
            "pos-03-a.txt",
            "neg-01-a.txt",
        ],
    );
    let second = folder(
        tmp.path(),
        "second",
        &[
            "pos-01-b.txt",
            "pos-02-b.txt",
            "pos-03-b.txt",
            "neg-01-b.txt",
        ],
    );
    {
        let archive = archive(tmp.path(), 1000);
        let report = archive
            .indexer()
            .unwrap()
            .index_paths(&[first], &mut ())
            .unwrap();
        assert_eq!((report.indexed, report.duplicates), (4, 0));
    }
    // A new process: the copies' stories are only in the index.
    let archive = archive(tmp.path(), 1000);
    let report = archive
        .indexer()
        .unwrap()
        .index_paths(&[second], &mut ())
        .unwrap();
    assert_eq!((report.indexed, report.duplicates), (4, 3));
}

#[test]
fn the_window_bounds_how_far_back_a_run_looks_for_copies() {
    let tmp = tempfile::tempdir().unwrap();
    // A story, an unrelated article, then the story's copy.
    let files = ["pos-04-a.txt", "neg-02-a.txt", "pos-04-b.txt"];
    for (window, copies) in [(1, 0), (2, 1)] {
        let dir = tmp.path().join(format!("window-{window}"));
        let corpus = folder(&dir, "corpus", &files);
        let archive = archive(&dir, window);
        let report = archive
            .indexer()
            .unwrap()
            .index_paths(&[corpus], &mut ())
            .unwrap();
        assert_eq!(
            (report.indexed, report.duplicates),
            (3, copies),
            "window {window}"
        );
    }
}
