//! Bad input of every archive format in one run: each gives one clear warning naming the
//! file (and record), nothing crashes or hangs, every good article is indexed, and the run
//! ends with a summary and exit code 3 (partial).

mod common;

use common::{data, TestEnv};
use std::io::Write;
use std::path::Path;

fn copy(from: &Path, to: &Path) {
    std::fs::copy(from, to).expect("copy fixture");
}

#[test]
fn every_kind_of_bad_input_is_one_warning_and_good_articles_survive() {
    let env = TestEnv::new();
    let dir = env.tmp.path().join("mixed");
    std::fs::create_dir_all(&dir).unwrap();
    // Good files: one of each format family (9 articles in all).
    copy(
        &data("html/a-jsonld-newsarticle.html"),
        &dir.join("good-page.html"),
    );
    copy(&data("feeds/rss091.xml"), &dir.join("good-feed.xml")); // 3 items
    copy(&data("wire/nitf-story.xml"), &dir.join("good-nitf.xml"));
    copy(&data("warc/crawl.warc.gz"), &dir.join("good-crawl.warc.gz")); // 3 pages
    copy(
        &data("archives/story.html.zst"),
        &dir.join("good-story.html.zst"),
    );

    // Bad files.
    copy(&data("bad/truncated.txt.gz"), &dir.join("truncated.txt.gz"));
    copy(&data("archives/zip-bomb.zip"), &dir.join("bomb.zip")); // 50 MB of zeros
    copy(&data("archives/text-bomb.zip"), &dir.join("text-bomb.zip")); // 200 MB of text
    copy(
        &data("html/g-section-front.html"),
        &dir.join("section-front.html"),
    );
    copy(&data("feeds/broken.xml"), &dir.join("broken-feed.xml")); // 2 items survive
    copy(&data("warc/corrupt.warc.gz"), &dir.join("corrupt.warc.gz")); // 1 page survives
    let deep = format!(
        "<html><head><title>Deep</title></head><body>{}<p>{}</p>{}</body></html>",
        "<div>".repeat(50_000),
        "A paragraph at the bottom of a very deep page about the harbour. ".repeat(5),
        "</div>".repeat(50_000)
    );
    std::fs::write(dir.join("deep.html"), deep).unwrap();
    let mut line = std::fs::File::create(dir.join("one-line.txt")).unwrap();
    let chunk = "word ".repeat(200_000); // 1 MB, no newline
    for _ in 0..100 {
        line.write_all(chunk.as_bytes()).unwrap();
    }
    drop(line);
    std::fs::write(dir.join("truncated.zip"), b"PK\x03\x04 not really a zip").unwrap();

    let started = std::time::Instant::now();
    let assert = env
        .newsdex()
        .args(["index", "--max-file-mb", "150", "--max-article-mb", "1"])
        .arg(&dir)
        .assert()
        .code(3);
    let elapsed = started.elapsed();
    let out = assert.get_output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for (file, reason) in [
        ("truncated.txt.gz", "corrupt or truncated gzip"),
        ("bomb.zip!/zeros.bin", "binary data"),
        ("text-bomb.zip!/bomb-text.txt", "larger than the limit"),
        ("section-front.html", "no article text"),
        (
            "broken-feed.xml",
            "the 2 item(s) before the break were read",
        ),
        ("corrupt.warc.gz", "record 2"),
        ("deep.html", "nested"),
        ("one-line.txt", "cut there"),
        ("truncated.zip", "unreadable zip archive"),
    ] {
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|l| (l.starts_with("warning:") || l.starts_with("note:")) && l.contains(file))
            .collect();
        assert!(
            lines.iter().any(|l| l.contains(reason)),
            "no warning for {file} ({reason}) in:\n{stderr}"
        );
    }
    // 9 good + 2 from the broken feed + 1 after the corrupt WARC record + the deep page
    // + the cut one-line file.
    assert!(stdout.contains("14 indexed"), "{stdout}\n{stderr}");
    assert!(stdout.contains("skipped"), "{stdout}");
    assert_eq!(env.search_json(&["", "-n", "0"])["total"], 14);
    let cut = env.search_json(&["word", "-n", "1", "--fragments", "0"]);
    let body = cut["hits"][0]["article"]["body"].as_str().unwrap_or("");
    assert!(body.len() <= 1 << 20 && body.len() > 1000, "{}", body.len());
    assert!(elapsed.as_secs() < 120, "took {elapsed:?}");
}

#[test]
fn an_archive_with_only_bad_members_is_skipped_with_each_member_named() {
    let env = TestEnv::new();
    let dir = env.tmp.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let zip_path = dir.join("bad-members.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("empty.txt", options).unwrap();
    zip.start_file("binary.bin", options).unwrap();
    zip.write_all(&[0u8, 1, 2, 3, 0, 0, 7]).unwrap();
    zip.finish().unwrap();
    let assert = env.newsdex().arg("index").arg(&dir).assert().code(3);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("bad-members.zip!/empty.txt: empty file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad-members.zip!/binary.bin: binary data"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad-members.zip: archive with no readable member"),
        "{stderr}"
    );
}
