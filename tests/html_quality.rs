//! Article extraction quality on saved news pages: the real newsdex pipeline
//! (`newsdex::read_files`: decompress, decode, metadata, `dom_smoothie`, normalisation)
//! against the references of the newspaper3k and goose3 test suites, with `dom_smoothie`
//! alone (as in the crate comparison) printed beside it on the same pages in the same run.
//!
//! Needs the corpus at `../shared/corpora/html-samples` (not part of the repository):
//!
//! ```sh
//! cargo test --release --test html_quality -- --ignored --nocapture
//! ```
//!
//! Metrics (those of the comparison in `docs/html-extraction.md`): text is lowercased and
//! split on non-alphanumeric characters, every CJK/kana/hangul character being its own
//! token; word 4-grams are compared as multisets (clipped counts). newspaper3k: precision,
//! recall and F1 against `text/<name>.txt`, only for pages whose reference has at least 50
//! tokens. goose3: recall of the expected opening (`cleaned_text`), whether the first 15
//! tokens of the opening start the text or appear within its first ~100 token positions,
//! and the title against `expected.title`. newsdex is scored on the article's `body` only
//! (its title is a separate field; the references are body text).

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Pages whose newspaper3k reference is shorter than this are not scored.
const MIN_REFERENCE_TOKENS: usize = 50;

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if is_cjk(c) {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push(c.to_string());
        } else if c.is_alphanumeric() {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn four_grams(t: &[String]) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for w in t.windows(4) {
        *m.entry(w.join(" ")).or_insert(0) += 1;
    }
    m
}

/// Multiset word 4-gram precision, recall and F1 of `got` against `expected`.
fn prf(got: &str, expected: &str) -> (f64, f64, f64) {
    let g = four_grams(&tokens(got));
    let e = four_grams(&tokens(expected));
    let (gn, en): (usize, usize) = (g.values().sum(), e.values().sum());
    let overlap: usize = g
        .iter()
        .filter_map(|(k, v)| e.get(k).map(|x| (*v).min(*x)))
        .sum();
    let p = if gn == 0 {
        0.0
    } else {
        overlap as f64 / gn as f64
    };
    let r = if en == 0 {
        0.0
    } else {
        overlap as f64 / en as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

fn gunzip(path: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).expect("page opens"))
        .read_to_end(&mut out)
        .expect("page decompresses");
    out
}

fn pages(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| p.to_string_lossy().ends_with(".html.gz"));
    v.sort();
    v
}

fn page_name(path: &Path) -> String {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    name.trim_end_matches(".html.gz").to_string()
}

/// What one extractor made of one page.
#[derive(Default)]
struct Extracted {
    found: bool,
    title: String,
    body: String,
    date: String,
    authors: String,
    language: String,
    note: String,
    time: Duration,
}

/// The newsdex pipeline on one page file.
fn newsdex_page(path: &Path) -> Extracted {
    let mut out = Extracted::default();
    let mut notes = Vec::new();
    let started = Instant::now();
    newsdex::read_files(
        &[path.to_path_buf()],
        &newsdex::ReadOptions::default(),
        &mut |event| match event {
            newsdex::Event::Article(a) if !out.found => {
                out.found = true;
                out.title = a.title.clone();
                out.body = a.body.clone();
                out.date = a
                    .date
                    .map(|d| format!("{} ({:?})", d.instant.format("%Y-%m-%d"), d.origin))
                    .unwrap_or_default();
                out.authors = a.authors.join("; ");
                out.language = a.language.clone().unwrap_or_default();
            }
            newsdex::Event::Article(_) => notes.push("more than one article".to_string()),
            newsdex::Event::Warning(e) => notes.push(e.to_string()),
            _ => {}
        },
    );
    out.time = started.elapsed();
    out.note = notes.join(" | ").replace(['\n', '\t'], " ");
    out
}

/// `dom_smoothie` alone, called as in the crate comparison (bytes as lossy UTF-8, formatted
/// text, no URL).
fn smoothie_page(html: &str) -> Extracted {
    let started = Instant::now();
    let config = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let result =
        dom_smoothie::Readability::new(html, None, Some(config)).and_then(|mut r| r.parse());
    let time = started.elapsed();
    match result {
        Ok(a) => Extracted {
            found: true,
            title: a.title.clone(),
            body: a.text_content.to_string(),
            date: a.published_time.clone().unwrap_or_default(),
            authors: a.byline.clone().unwrap_or_default(),
            language: a.lang.clone().unwrap_or_default(),
            note: String::new(),
            time,
        },
        Err(e) => Extracted {
            note: e.to_string(),
            time,
            ..Default::default()
        },
    }
}

#[derive(Default)]
struct Scores {
    p: Vec<f64>,
    r: Vec<f64>,
    f1: Vec<f64>,
    date: usize,
    authors: usize,
    language: usize,
    title: usize,
    no_article: usize,
    starts: usize,
    within100: usize,
    title_exact: usize,
    title_normalised: usize,
    expected_titles: usize,
    language_match: usize,
    expected_languages: usize,
    time: Duration,
    pages: usize,
}

impl Scores {
    fn count(&mut self, x: &Extracted) {
        self.pages += 1;
        self.time += x.time;
        self.no_article += usize::from(!x.found);
        self.date += usize::from(!x.date.is_empty());
        self.authors += usize::from(!x.authors.trim().is_empty());
        self.language += usize::from(!x.language.is_empty());
        self.title += usize::from(!x.title.trim().is_empty());
    }
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        f64::NAN
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn short(s: &str, n: usize) -> String {
    s.chars()
        .take(n)
        .collect::<String>()
        .replace(['\n', '\t'], " ")
}

/// The synthetic pages of the crate comparison's robustness check, byte for byte.
fn synthetic(case: &str) -> Vec<u8> {
    let para = "<p>The city council met on Tuesday evening to debate the new budget proposal, which would raise spending on public transport and schools while cutting administrative costs across several departments.</p>\n";
    match case {
        "nested" => format!(
            "<html><head><title>Nested</title></head><body>{}{}{}</body></html>",
            "<div>".repeat(10_000),
            para.repeat(5),
            "</div>".repeat(10_000)
        )
        .into_bytes(),
        "big" => {
            let mut s = String::from(
                "<html><head><title>Big page</title></head><body><article><h1>Big page</h1>",
            );
            while s.len() < 20_000_000 {
                s.push_str(para);
            }
            s.push_str("</article></body></html>");
            s.into_bytes()
        }
        "nav" => {
            let mut s =
                String::from("<html><head><title>Section index</title></head><body><nav><ul>");
            for i in 0..200 {
                s.push_str(&format!("<li><a href=\"/section/story-{i}\">Headline number {i} about local politics</a></li>"));
            }
            s.push_str("</ul></nav></body></html>");
            s.into_bytes()
        }
        _ => {
            // Windows-1252: e9 = é, 93/94 = curly double quotes, 96 = en dash, 80 = euro.
            let mut b = b"<html><head><meta charset=\"windows-1252\"><title>Caf\xe9 prices rise</title></head><body><article><h1>Caf\xe9 prices rise</h1>".to_vec();
            for _ in 0..6 {
                b.extend_from_slice(b"<p>The caf\xe9 owner said \x93prices will rise by \x80 2 \x96 3 next year\x94, citing higher energy costs and wages across the whole region this winter season.</p>");
            }
            b.extend_from_slice(b"</article></body></html>");
            b
        }
    }
}

/// The robustness cases through the newsdex pipeline (no corpus needed).
fn robustness() {
    let dir = tempfile::tempdir().expect("temp dir");
    println!("\n### robustness: synthetic pages through the newsdex pipeline\n");
    println!("| case | secs | article | body chars | title | warning | body starts |");
    println!("|---|---|---|---|---|---|---|");
    for case in ["nested", "big", "nav", "cp1252"] {
        let path = dir.path().join(format!("{case}.html"));
        std::fs::write(&path, synthetic(case)).expect("page written");
        let x = newsdex_page(&path);
        println!(
            "| {case} | {:.2} | {} | {} | {:?} | {} | {:?} |",
            x.time.as_secs_f64(),
            x.found,
            x.body.chars().count(),
            x.title,
            short(x.note.rsplit(": ").next().unwrap_or(""), 90),
            short(&x.body, 60)
        );
    }
}

/// With `HTML_QUALITY_DUMP=<page name>[,<page name>…]`, print everything both extractors
/// returned for those pages.
fn dump(name: &str, outputs: &[Extracted; 2]) {
    let wanted = std::env::var("HTML_QUALITY_DUMP").unwrap_or_default();
    if !wanted.split(',').any(|w| w.trim() == name) {
        return;
    }
    for (label, x) in ["dom_smoothie alone", "newsdex pipeline"]
        .iter()
        .zip(outputs)
    {
        println!(
            "===== {name} — {label}\nfound={} title={:?}\ndate={:?} authors={:?} language={:?}\nnote={:?}\n-----\n{}\n",
            x.found, x.title, x.date, x.authors, x.language, x.note, x.body
        );
    }
}

#[test]
#[ignore = "needs ../shared/corpora/html-samples; run in release with --ignored --nocapture"]
fn html_extraction_quality() {
    robustness();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/html-samples");
    if !root.is_dir() {
        eprintln!(
            "skipped: corpus not found at {} (see docs/html-extraction.md)",
            root.display()
        );
        return;
    }
    let extractors = ["dom_smoothie alone", "newsdex pipeline"];
    let mut tsv = String::from(
        "corpus\tpage\textractor\tp\tr\tf1\tstarts\twithin100\ttitle_ok\tref_tokens\tout_tokens\tms\tdate\tauthors\tlanguage\ttitle\tnote\thead\n",
    );

    // newspaper3k: P/R/F1 against newspaper3k's own output.
    let n3k = root.join("newspaper3k-tests");
    let mut n3k_scores: [Scores; 2] = Default::default();
    let mut n3k_all: [Scores; 2] = Default::default();
    let mut worst: Vec<(f64, String)> = Vec::new();
    let mut skipped = 0;
    let n3k_pages = pages(&n3k.join("html"));
    let mut n3k_bytes = 0;
    for path in &n3k_pages {
        let name = page_name(path);
        let bytes = gunzip(path);
        n3k_bytes += bytes.len();
        let reference = std::fs::read_to_string(n3k.join("text").join(format!("{name}.txt")))
            .or_else(|_| {
                let base = name.trim_end_matches("_article");
                std::fs::read_to_string(n3k.join("text").join(format!("{base}.txt")))
            })
            .unwrap_or_default();
        let ref_tokens = tokens(&reference).len();
        let scored = ref_tokens >= MIN_REFERENCE_TOKENS;
        skipped += usize::from(!scored);
        let outputs = [
            smoothie_page(&String::from_utf8_lossy(&bytes)),
            newsdex_page(path),
        ];
        dump(&name, &outputs);
        for (i, x) in outputs.iter().enumerate() {
            n3k_all[i].count(x);
            let (p, r, f) = prf(&x.body, &reference);
            if scored {
                let s = &mut n3k_scores[i];
                s.count(x);
                s.p.push(p);
                s.r.push(r);
                s.f1.push(f);
                if i == 1 {
                    worst.push((f, format!("{name}: P={p:.2} R={r:.2} F1={f:.2} words={}/{ref_tokens} note={:?} head={:?}", tokens(&x.body).len(), short(&x.note, 120), short(&x.body, 100))));
                }
            }
            tsv.push_str(&format!(
                "n3k\t{name}\t{}\t{p:.3}\t{r:.3}\t{f:.3}\t\t\t\t{ref_tokens}\t{}\t{:.1}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                extractors[i],
                tokens(&x.body).len(),
                x.time.as_secs_f64() * 1000.0,
                x.date,
                short(&x.authors, 80),
                x.language,
                short(&x.title, 120),
                short(&x.note, 200),
                short(&x.body, 160),
            ));
        }
    }

    // goose3: recall of the expected opening, where it starts, title.
    let goose = root.join("goose3-tests").join("html");
    let mut goose_scores: [Scores; 2] = Default::default();
    for path in pages(&goose) {
        let name = page_name(&path);
        let bytes = gunzip(&path);
        let expected: serde_json::Value =
            std::fs::read_to_string(goose.join(format!("{name}.expected.json")))
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default();
        let e = &expected["expected"];
        let opening = e["cleaned_text"].as_str().unwrap_or("");
        let expected_title = e["title"].as_str();
        let expected_language = e["meta_lang"].as_str().filter(|l| !l.trim().is_empty());
        let outputs = [
            smoothie_page(&String::from_utf8_lossy(&bytes)),
            newsdex_page(&path),
        ];
        dump(&name, &outputs);
        for (i, x) in outputs.iter().enumerate() {
            let s = &mut goose_scores[i];
            s.count(x);
            let (_, r, _) = prf(&x.body, opening);
            let (et, gt) = (tokens(opening), tokens(&x.body));
            let k = et.len().min(15);
            let starts = k > 0 && gt.len() >= k && gt[..k] == et[..k];
            let within = k > 0 && gt.len() >= k && gt.windows(k).take(100).any(|w| w == &et[..k]);
            s.r.push(r);
            s.starts += usize::from(starts);
            s.within100 += usize::from(within);
            let mut title_ok = String::new();
            if let Some(t) = expected_title {
                s.expected_titles += 1;
                s.title_exact += usize::from(t.trim() == x.title.trim());
                let normalised = tokens(t) == tokens(&x.title);
                s.title_normalised += usize::from(normalised);
                title_ok = normalised.to_string();
            }
            if let Some(l) = expected_language {
                s.expected_languages += 1;
                let got: String = x.language.to_lowercase().chars().take(2).collect();
                let want: String = l.to_lowercase().chars().take(2).collect();
                s.language_match += usize::from(got == want);
            }
            tsv.push_str(&format!(
                "goose3\t{name}\t{}\t\t{r:.3}\t\t{starts}\t{within}\t{title_ok}\t{}\t{}\t{:.1}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                extractors[i],
                et.len(),
                gt.len(),
                x.time.as_secs_f64() * 1000.0,
                x.date,
                short(&x.authors, 80),
                x.language,
                short(&x.title, 120),
                short(&x.note, 200),
                short(&x.body, 160),
            ));
        }
    }

    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("html_quality.tsv");
    std::fs::write(&out, &tsv).expect("per-page table written");

    println!(
        "\n### newspaper3k: {} of {} pages scored ({skipped} have a reference < {MIN_REFERENCE_TOKENS} tokens); newsdex scored on `body`\n",
        n3k_scores[0].pages,
        n3k_pages.len()
    );
    println!("| extractor | mean P | mean R | mean F1 | median F1 | pages F1<0.5 | pages R<0.5 | no article | date found | authors found | language found | title non-empty |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (i, s) in n3k_scores.iter().enumerate() {
        println!(
            "| {} | {:.3} | {:.3} | {:.3} | {:.3} | {} | {} | {} | {} | {} | {} | {} |",
            extractors[i],
            mean(&s.p),
            mean(&s.r),
            mean(&s.f1),
            median(&s.f1),
            s.f1.iter().filter(|&&f| f < 0.5).count(),
            s.r.iter().filter(|&&r| r < 0.5).count(),
            s.no_article,
            s.date,
            s.authors,
            s.language,
            s.title,
        );
    }
    println!(
        "\nAll {} newspaper3k pages ({:.2} MB of HTML):\n",
        n3k_pages.len(),
        n3k_bytes as f64 / 1e6
    );
    println!("| extractor | no article | date found | authors found | wall time (s) | pages/s |");
    println!("|---|---|---|---|---|---|");
    for (i, s) in n3k_all.iter().enumerate() {
        let secs = s.time.as_secs_f64();
        println!(
            "| {} | {} | {} | {} | {secs:.2} | {:.0} |",
            extractors[i],
            s.no_article,
            s.date,
            s.authors,
            s.pages as f64 / secs
        );
    }
    println!(
        "\n(dom_smoothie alone: parse + extract of in-memory pages; newsdex: the whole `read_files` call per page file: gunzip, decode, DOM, metadata, extraction, normalisation with entities.)"
    );

    println!(
        "\n### goose3: {} pages (expected = article opening only)\n",
        goose_scores[0].pages
    );
    println!("| extractor | mean recall of opening | median | pages recall<0.5 | starts with opening | opening within first ~100 words | no article | title exact / normalised | date found | authors found | language == meta_lang |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for (i, s) in goose_scores.iter().enumerate() {
        println!(
            "| {} | {:.3} | {:.3} | {} | {} | {} | {} | {} / {} (of {}) | {} | {} | {}/{} |",
            extractors[i],
            mean(&s.r),
            median(&s.r),
            s.r.iter().filter(|&&r| r < 0.5).count(),
            s.starts,
            s.within100,
            s.no_article,
            s.title_exact,
            s.title_normalised,
            s.expected_titles,
            s.date,
            s.authors,
            s.language_match,
            s.expected_languages,
        );
    }

    worst.sort_by(|a, b| a.0.total_cmp(&b.0));
    println!("\n### worst newspaper3k pages for the newsdex pipeline\n");
    for (_, line) in worst.iter().take(8) {
        println!("- {line}");
    }
    println!("\nPer-page table: {}", out.display());
}
