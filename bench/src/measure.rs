//! The measurements: an indexing run of each system in its own child process, and query
//! latency in-process and as whole command-line calls.

use crate::child::{self, Measured};
use crate::fts5::{BuildReport, Fts5};
use crate::queries::BenchQuery;
use anyhow::{Context, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The programs under test.
#[derive(Debug, Clone)]
pub struct Programs {
    /// The release `newsdex` binary.
    pub newsdex: PathBuf,
    /// This benchmark's own binary (for the FTS5 child processes).
    pub bench: PathBuf,
}

/// One indexing run.
#[derive(Debug, Clone, Serialize)]
pub struct IndexRun {
    /// Wall time, seconds.
    pub wall_s: f64,
    /// CPU time (user + system), seconds.
    pub cpu_s: f64,
    /// Peak resident set size of the process, MB (10^6 bytes).
    pub peak_rss_mb: f64,
    /// Peak anonymous memory (RSS without mapped file pages), MB, sampled every 20 ms.
    pub peak_anon_mb: f64,
    /// Articles in the index after the run.
    pub articles: u64,
    /// Articles of the input per second of wall time.
    pub articles_per_s: f64,
    /// MB (10^6 bytes) of title + body text of the input per second.
    pub text_mb_per_s: f64,
    /// Index (or database) size on disk, MB.
    pub size_mb: f64,
    /// Index size / text size.
    pub size_ratio: f64,
    /// Exit code of the process.
    pub exit_code: Option<i32>,
    /// Warnings the run reported (newsdex); 0 for a clean run.
    pub warnings: u64,
}

impl IndexRun {
    fn new(m: &Measured, input_articles: u64, text_bytes: u64, articles: u64, size: u64) -> Self {
        let wall = m.wall.as_secs_f64().max(1e-9);
        IndexRun {
            wall_s: wall,
            cpu_s: (m.user + m.sys).as_secs_f64(),
            peak_rss_mb: m.peak_rss as f64 / 1e6,
            peak_anon_mb: m.peak_anon as f64 / 1e6,
            articles,
            articles_per_s: input_articles as f64 / wall,
            text_mb_per_s: text_bytes as f64 / 1e6 / wall,
            size_mb: size as f64 / 1e6,
            size_ratio: size as f64 / text_bytes.max(1) as f64,
            exit_code: m.code,
            warnings: 0,
        }
    }
}

/// `newsdex index INPUT --index DIR` (a fresh index when `fresh`), measured.
pub fn newsdex_index(
    p: &Programs,
    input: &Path,
    index: &Path,
    fresh: bool,
    stats: &crate::corpus::TextStats,
) -> Result<(IndexRun, serde_json::Value)> {
    if fresh && index.exists() {
        std::fs::remove_dir_all(index).with_context(|| format!("removing {}", index.display()))?;
    }
    let mut cmd = Command::new(&p.newsdex);
    cmd.arg("--index")
        .arg(index)
        .args(["--color", "never", "index", "--quiet", "--format", "json"]);
    // newsdex refuses files over 1 GiB decompressed by default (`--max-file-mb 1024`, against
    // zip bombs); a bigger corpus file (1M synthetic articles) is allowed explicitly.
    let mib = stats.raw_bytes.div_ceil(1 << 20);
    if mib > 1024 {
        cmd.arg("--max-file-mb").arg((mib + 1).to_string());
    }
    cmd.arg(input);
    let m = child::run(cmd)?;
    // 3: finished with warnings about some input, still a complete run.
    m.check("newsdex index", &[0, 3])?;
    let report: serde_json::Value = serde_json::from_slice(&m.stdout)
        .with_context(|| format!("newsdex index printed no JSON report:\n{}", m.stdout_text()))?;
    let articles = report["total_in_index"].as_u64().unwrap_or_default();
    let warnings = report["warnings"].as_u64().unwrap_or_default();
    if warnings > 0 || articles < stats.articles {
        eprintln!(
            "  warning: newsdex reported {warnings} warning(s) and holds {articles} of the {} \
             articles: the figures are not those of a complete run",
            stats.articles
        );
    }
    let size = crate::corpus::dir_size(index)?;
    let mut run = IndexRun::new(&m, stats.articles, stats.text_bytes, articles, size);
    run.warnings = warnings;
    Ok((run, report))
}

/// Build the FTS5 database in a child process (`newsdex-bench fts5-index`), measured.
pub fn fts5_index(
    p: &Programs,
    input: &Path,
    db: &Path,
    stats: &crate::corpus::TextStats,
) -> Result<(IndexRun, BuildReport)> {
    let mut cmd = Command::new(&p.bench);
    cmd.args(["fts5-index", "--input"])
        .arg(input)
        .arg("--db")
        .arg(db);
    let m = child::run(cmd)?;
    m.check("fts5-index", &[0])?;
    let report: BuildReport = serde_json::from_slice(&m.stdout).context("fts5-index report")?;
    let size = std::fs::metadata(db)
        .with_context(|| format!("reading {}", db.display()))?
        .len();
    Ok((
        IndexRun::new(&m, stats.articles, stats.text_bytes, report.articles, size),
        report,
    ))
}

/// Latency summary, milliseconds.
#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    /// Samples.
    pub n: usize,
    /// Mean.
    pub mean_ms: f64,
    /// Median (nearest rank).
    pub p50_ms: f64,
    /// 99th percentile (nearest rank).
    pub p99_ms: f64,
    /// Slowest.
    pub max_ms: f64,
}

impl Latency {
    /// Summary of `samples` (ms).
    pub fn of(samples: &[f64]) -> Latency {
        let mut s = samples.to_vec();
        s.sort_by(f64::total_cmp);
        let rank = |q: f64| {
            if s.is_empty() {
                0.0
            } else {
                s[((q * s.len() as f64).ceil() as usize).clamp(1, s.len()) - 1]
            }
        };
        Latency {
            n: s.len(),
            mean_ms: s.iter().sum::<f64>() / s.len().max(1) as f64,
            p50_ms: rank(0.50),
            p99_ms: rank(0.99),
            max_ms: s.last().copied().unwrap_or(0.0),
        }
    }
}

/// Per-query times (ms, one per timed round) and the number of matches reported.
#[derive(Debug, Clone)]
pub struct QueryTimes {
    /// `samples[q]`: the timed runs of query `q`.
    pub samples: Vec<Vec<f64>>,
    /// Matches found for each query.
    pub totals: Vec<u64>,
    /// FTS5 only: the times of the top 10 alone, without the count.
    pub top_only: Option<Vec<Vec<f64>>>,
}

impl QueryTimes {
    /// Every sample.
    pub fn all(&self) -> Vec<f64> {
        self.samples.iter().flatten().copied().collect()
    }
}

/// In-process newsdex: `Archive::open` once, one warm-up pass over the queries, then `rounds`
/// timed passes of `archive.search` (top 10, 3 snippet fragments per hit, as the CLI asks).
pub fn newsdex_queries(index: &Path, queries: &[BenchQuery], rounds: usize) -> Result<QueryTimes> {
    let archive = newsdex::Archive::open(index)?;
    let requests: Vec<_> = queries.iter().map(BenchQuery::request).collect();
    let mut totals = Vec::with_capacity(queries.len());
    for (q, r) in queries.iter().zip(&requests) {
        let results = archive
            .search(r)
            .with_context(|| format!("newsdex search {:?}", q.text))?;
        totals.push(results.total as u64);
    }
    let mut samples = vec![Vec::with_capacity(rounds); queries.len()];
    for _ in 0..rounds {
        for (i, r) in requests.iter().enumerate() {
            let t = Instant::now();
            let results = archive.search(r)?;
            let ms = t.elapsed().as_secs_f64() * 1e3;
            std::hint::black_box(&results);
            samples[i].push(ms);
        }
    }
    Ok(QueryTimes {
        samples,
        totals,
        top_only: None,
    })
}

/// In-process FTS5: the same protocol with prepared statements. `samples` time the top 10
/// with snippets and the count (what newsdex answers); `top_only` the top 10 alone.
pub fn fts5_queries(db: &Path, queries: &[BenchQuery], rounds: usize) -> Result<QueryTimes> {
    let fts = Fts5::open(db)?;
    let mut totals = Vec::with_capacity(queries.len());
    for q in queries {
        let results = fts
            .search(&q.fts)
            .with_context(|| format!("FTS5 MATCH {:?}", q.fts.matches))?;
        totals.push(results.total);
    }
    let mut samples = vec![Vec::with_capacity(rounds); queries.len()];
    let mut top_only = vec![Vec::with_capacity(rounds); queries.len()];
    for _ in 0..rounds {
        for (i, q) in queries.iter().enumerate() {
            let t = Instant::now();
            let hits = fts.top(&q.fts)?;
            let top = t.elapsed().as_secs_f64() * 1e3;
            let total = fts.count(&q.fts)?;
            let ms = t.elapsed().as_secs_f64() * 1e3;
            std::hint::black_box((&hits, total));
            samples[i].push(ms);
            top_only[i].push(top);
        }
    }
    Ok(QueryTimes {
        samples,
        totals,
        top_only: Some(top_only),
    })
}

/// `count` queries spread over the list (every k-th).
pub fn cli_subset(queries: &[BenchQuery], count: usize) -> Vec<&BenchQuery> {
    let step = (queries.len() / count.max(1)).max(1);
    queries.iter().step_by(step).take(count).collect()
}

/// Whole `newsdex --index DIR search QUERY` calls (text output thrown away), each timed on
/// its second call.
pub fn newsdex_cli(p: &Programs, index: &Path, queries: &[&BenchQuery]) -> Result<Vec<f64>> {
    let call = |q: &BenchQuery| -> Result<f64> {
        let mut cmd = Command::new(&p.newsdex);
        cmd.arg("--index")
            .arg(index)
            .args(["--color", "never", "search"])
            .args(q.cli_args());
        let (wall, code) = child::time_quiet(cmd)?;
        anyhow::ensure!(
            code == Some(0),
            "newsdex search {:?} exited {code:?}",
            q.text
        );
        Ok(wall.as_secs_f64() * 1e3)
    };
    // One untimed pass first, so every call is timed with the index in the page cache.
    for q in queries {
        call(q)?;
    }
    queries.iter().map(|q| call(q)).collect()
}

/// Whole calls of the peer's equivalent (`newsdex-bench fts5-search --db DB QUERY`: open the
/// database, run the query, print the hits).
pub fn fts5_cli(p: &Programs, db: &Path, queries: &[&BenchQuery]) -> Result<Vec<f64>> {
    let call = |q: &BenchQuery| -> Result<f64> {
        let mut cmd = Command::new(&p.bench);
        cmd.args(["fts5-search", "--db"]).arg(db).arg(q.line());
        let (wall, code) = child::time_quiet(cmd)?;
        anyhow::ensure!(code == Some(0), "fts5-search {:?} exited {code:?}", q.text);
        Ok(wall.as_secs_f64() * 1e3)
    };
    // One untimed pass first, so every call is timed with the index in the page cache.
    for q in queries {
        call(q)?;
    }
    queries.iter().map(|q| call(q)).collect()
}
