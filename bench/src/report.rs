//! The results: a serialisable report (`--json-out`) and its Markdown tables, with the issue's
//! targets marked met or not met.

use crate::corpus::TextStats;
use crate::measure::{IndexRun, Latency};
use serde::Serialize;
use std::fmt::Write;

/// Everything one benchmark run measured.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The command line that produced it.
    pub command: String,
    /// Where it ran.
    pub machine: Machine,
    /// One entry per corpus, in the order run.
    pub corpora: Vec<CorpusReport>,
    /// The targets.
    pub targets: Vec<Target>,
}

/// The machine and the software measured.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    /// CPU model (`/proc/cpuinfo`).
    pub cpu: String,
    /// Cores available to this process.
    pub cores: usize,
    /// Memory, GiB.
    pub memory_gib: f64,
    /// Kernel release.
    pub kernel: String,
    /// `/proc/loadavg` when the run started.
    pub load_start: String,
    /// `/proc/loadavg` when it ended.
    pub load_end: String,
    /// `git describe` of the newsdex sources.
    pub newsdex_commit: String,
    /// SQLite version of the peer.
    pub sqlite: String,
    /// Seconds since 1970 when the run started.
    pub started_unix: u64,
}

/// The measurements of one corpus.
#[derive(Debug, Clone, Serialize)]
pub struct CorpusReport {
    /// Short name (`reuters`, `chronam`, `synthetic-100000`).
    pub name: String,
    /// Input file.
    pub input: String,
    /// Its size.
    pub stats: TextStats,
    /// `/proc/loadavg` when this corpus started.
    pub load: String,
    /// First `newsdex index` run, on a fresh index.
    pub newsdex: IndexRun,
    /// The summary newsdex printed for that run (`--format json`).
    pub newsdex_summary: serde_json::Value,
    /// The same command again, nothing changed.
    pub newsdex_unchanged: IndexRun,
    /// The FTS5 peer's build, when run.
    pub fts5: Option<IndexRun>,
    /// Query latency, when the corpus has a query set.
    pub queries: Option<QueryReport>,
}

/// Query latency of one corpus.
#[derive(Debug, Clone, Serialize)]
pub struct QueryReport {
    /// The query file.
    pub file: String,
    /// Queries in it.
    pub count: usize,
    /// Timed passes over them (after one warm-up pass).
    pub rounds: usize,
    /// newsdex in-process.
    pub newsdex: Latency,
    /// FTS5 in-process: top 10 with snippets, and the count (what newsdex answers).
    pub fts5: Option<Latency>,
    /// FTS5 in-process, the top 10 with snippets alone (no count).
    pub fts5_top_only: Option<Latency>,
    /// The same by kind of query.
    pub by_kind: Vec<KindLatency>,
    /// Whole command-line calls: how many queries.
    pub cli_count: usize,
    /// `newsdex search` calls.
    pub newsdex_cli: Latency,
    /// `newsdex-bench fts5-search` calls.
    pub fts5_cli: Option<Latency>,
    /// Each query: matches and mean time of both systems.
    pub per_query: Vec<PerQuery>,
}

/// Latency of one kind of query.
#[derive(Debug, Clone, Serialize)]
pub struct KindLatency {
    /// keywords, phrase, entity, date-filtered, sorted by date.
    pub kind: String,
    /// Queries of this kind.
    pub count: usize,
    /// newsdex in-process.
    pub newsdex: Latency,
    /// FTS5 in-process.
    pub fts5: Option<Latency>,
}

/// One query's figures.
#[derive(Debug, Clone, Serialize)]
pub struct PerQuery {
    /// The line of the query file.
    pub query: String,
    /// Its kind.
    pub kind: String,
    /// The FTS5 `MATCH` expression it became.
    pub fts5_match: String,
    /// Matches newsdex reported (copies of a story included).
    pub newsdex_total: u64,
    /// Mean time, ms.
    pub newsdex_mean_ms: f64,
    /// Matching rows in FTS5.
    pub fts5_total: Option<u64>,
    /// Mean time, ms.
    pub fts5_mean_ms: Option<f64>,
}

/// One target of the issue.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    /// What is measured.
    pub what: String,
    /// The target.
    pub target: String,
    /// The measured value (`None`: not measured in this run).
    pub measured: Option<String>,
    /// Whether it is met (`None`: not measured).
    pub met: Option<bool>,
}

impl Report {
    /// Compute the targets from the corpora measured.
    pub fn check_targets(&mut self) {
        let find = |name: &str| self.corpora.iter().find(|c| c.name == name);
        let mut t = Vec::new();
        let mut add = |what: &str, target: &str, v: Option<(String, bool)>| {
            t.push(Target {
                what: what.into(),
                target: target.into(),
                measured: v.as_ref().map(|x| x.0.clone()),
                met: v.map(|x| x.1),
            })
        };
        let reuters = find("reuters");
        add(
            "Reuters full pipeline, articles/s",
            ">= 40,000",
            reuters.map(|c| {
                let v = c.newsdex.articles_per_s;
                (thousands(v), v >= 40_000.0)
            }),
        );
        add(
            "Reuters peak RSS",
            "<= 300 MB",
            reuters.map(|c| {
                let v = c.newsdex.peak_rss_mb;
                (format!("{v:.0} MB"), v <= 300.0)
            }),
        );
        let q = |c: &CorpusReport| c.queries.clone();
        add(
            "Reuters query top-10 with snippets, in-process mean",
            "<= 0.2 ms",
            reuters.and_then(q).map(|r| {
                let v = r.newsdex.mean_ms;
                (format!("{v:.2} ms"), v <= 0.2)
            }),
        );
        add(
            "Reuters whole `newsdex search` call, mean",
            "<= 30 ms",
            reuters.and_then(q).map(|r| {
                let v = r.newsdex_cli.mean_ms;
                (
                    format!("{v:.1} ms (p99 {:.1} ms)", r.newsdex_cli.p99_ms),
                    v <= 30.0,
                )
            }),
        );
        let million = find("synthetic-1000000");
        add(
            "1M synthetic articles, query p99",
            "<= 10 ms",
            million.and_then(q).map(|r| {
                let v = r.newsdex.p99_ms;
                (format!("{v:.1} ms"), v <= 10.0)
            }),
        );
        add(
            "1M synthetic articles, indexing wall time",
            "<= 60 s",
            million.map(|c| {
                let v = c.newsdex.wall_s;
                (format!("{v:.0} s"), v <= 60.0)
            }),
        );
        add(
            "1M synthetic articles, peak RSS",
            "<= 500 MB",
            million.map(|c| {
                let v = c.newsdex.peak_rss_mb;
                (format!("{v:.0} MB"), v <= 500.0)
            }),
        );
        add(
            "1M synthetic articles, peak anonymous memory (RSS without mapped index files)",
            "<= 500 MB",
            million.map(|c| {
                let v = c.newsdex.peak_anon_mb;
                (format!("{v:.0} MB"), v <= 500.0)
            }),
        );
        for c in &self.corpora {
            add(
                &format!("{}: index size / input text", c.name),
                "<= 1.2",
                Some((
                    format!(
                        "{:.2} ({:.1} MB / {:.1} MB)",
                        c.newsdex.size_ratio,
                        c.newsdex.size_mb,
                        c.stats.text_bytes as f64 / 1e6
                    ),
                    c.newsdex.size_ratio <= 1.2,
                )),
            );
        }
        self.targets = t;
    }

    /// The report as Markdown tables.
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        let m = &self.machine;
        let _ = writeln!(s, "## Results\n");
        let _ = writeln!(s, "Command: `{}`  ", self.command);
        let _ = writeln!(
            s,
            "Machine: {} ({} cores), {:.0} GiB, Linux {}; newsdex {}, SQLite {}  ",
            m.cpu, m.cores, m.memory_gib, m.kernel, m.newsdex_commit, m.sqlite
        );
        let _ = writeln!(
            s,
            "Load average (1/5/15 min): {} at the start, {} at the end\n",
            m.load_start, m.load_end
        );
        for c in &self.corpora {
            corpus_markdown(&mut s, c);
        }
        let synth: Vec<&CorpusReport> = self
            .corpora
            .iter()
            .filter(|c| c.name.starts_with("synthetic-"))
            .collect();
        if !synth.is_empty() {
            scale_markdown(&mut s, &synth);
        }
        let _ = writeln!(s, "### Targets of issue 6\n");
        let _ = writeln!(s, "| target | wanted | measured | met |\n|---|---|---|---|");
        for t in &self.targets {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                t.what,
                t.target,
                t.measured.as_deref().unwrap_or("not measured in this run"),
                match t.met {
                    Some(true) => "**met**",
                    Some(false) => "not met",
                    None => "—",
                }
            );
        }
        s
    }
}

fn corpus_markdown(s: &mut String, c: &CorpusReport) {
    let st = &c.stats;
    let _ = writeln!(
        s,
        "### {} — {} articles, {:.1} MB of title + body text ({:.1} MB file)\n",
        c.name,
        thousands(st.articles as f64),
        st.text_bytes as f64 / 1e6,
        st.file_bytes as f64 / 1e6
    );
    let _ = writeln!(
        s,
        "Input `{}`; load average at the start: {}.\n",
        c.input, c.load
    );
    if c.newsdex.warnings > 0 || c.newsdex.articles < st.articles {
        let _ = writeln!(
            s,
            "**Incomplete newsdex run**: {} warning(s), {} of {} articles indexed.\n",
            c.newsdex.warnings, c.newsdex.articles, st.articles
        );
    }
    let _ = writeln!(
        s,
        "| metric | newsdex | SQLite FTS5 | newsdex / FTS5 |\n|---|---:|---:|---:|"
    );
    let n = &c.newsdex;
    let f = c.fts5.as_ref();
    let row = |s: &mut String, what: &str, a: String, b: Option<String>, ratio: Option<f64>| {
        let _ = writeln!(
            s,
            "| {what} | {a} | {} | {} |",
            b.unwrap_or_else(|| "—".into()),
            ratio.map_or("—".into(), |r| format!("{r:.2}"))
        );
    };
    let ratio = |a: f64, b: Option<f64>| b.filter(|b| *b > 0.0).map(|b| a / b);
    row(
        s,
        "index: wall time",
        format!("{:.2} s", n.wall_s),
        f.map(|f| format!("{:.2} s", f.wall_s)),
        ratio(n.wall_s, f.map(|f| f.wall_s)),
    );
    row(
        s,
        "index: articles/s",
        thousands(n.articles_per_s),
        f.map(|f| thousands(f.articles_per_s)),
        ratio(n.articles_per_s, f.map(|f| f.articles_per_s)),
    );
    row(
        s,
        "index: MB/s of text",
        format!("{:.2}", n.text_mb_per_s),
        f.map(|f| format!("{:.2}", f.text_mb_per_s)),
        ratio(n.text_mb_per_s, f.map(|f| f.text_mb_per_s)),
    );
    row(
        s,
        "index: CPU time (user + sys)",
        format!("{:.2} s", n.cpu_s),
        f.map(|f| format!("{:.2} s", f.cpu_s)),
        ratio(n.cpu_s, f.map(|f| f.cpu_s)),
    );
    row(
        s,
        "index: peak RSS",
        format!("{:.0} MB", n.peak_rss_mb),
        f.map(|f| format!("{:.0} MB", f.peak_rss_mb)),
        ratio(n.peak_rss_mb, f.map(|f| f.peak_rss_mb)),
    );
    row(
        s,
        "index: peak anonymous memory (RSS without mapped files)",
        format!("{:.0} MB", n.peak_anon_mb),
        f.map(|f| format!("{:.0} MB", f.peak_anon_mb)),
        ratio(n.peak_anon_mb, f.map(|f| f.peak_anon_mb)),
    );
    row(
        s,
        "index: size on disk (× text)",
        format!("{:.1} MB ({:.2}×)", n.size_mb, n.size_ratio),
        f.map(|f| format!("{:.1} MB ({:.2}×)", f.size_mb, f.size_ratio)),
        ratio(n.size_mb, f.map(|f| f.size_mb)),
    );
    row(
        s,
        "articles in the index",
        thousands(n.articles as f64),
        f.map(|f| thousands(f.articles as f64)),
        None,
    );
    let u = &c.newsdex_unchanged;
    row(
        s,
        "second run, input unchanged",
        format!(
            "{:.3} s ({:.1} % of the first), {:.0} MB",
            u.wall_s,
            100.0 * u.wall_s / n.wall_s.max(1e-9),
            u.peak_rss_mb
        ),
        None,
        None,
    );
    if let Some(q) = &c.queries {
        let lat = |s: &mut String, what: &str, a: &Latency, b: Option<&Latency>| {
            for (name, x, y) in [
                ("mean", a.mean_ms, b.map(|b| b.mean_ms)),
                ("p50", a.p50_ms, b.map(|b| b.p50_ms)),
                ("p99", a.p99_ms, b.map(|b| b.p99_ms)),
            ] {
                row(
                    s,
                    &format!("{what}, {name}"),
                    format!("{x:.3} ms"),
                    y.map(|y| format!("{y:.3} ms")),
                    ratio(x, y),
                );
            }
        };
        lat(
            s,
            &format!(
                "query top-10 + snippets, in-process ({} queries × {})",
                q.count, q.rounds
            ),
            &q.newsdex,
            q.fts5.as_ref(),
        );
        if let Some(top) = &q.fts5_top_only {
            row(
                s,
                "FTS5 without the count (top 10 alone), mean / p99",
                "—".into(),
                Some(format!("{:.3} / {:.3} ms", top.mean_ms, top.p99_ms)),
                None,
            );
        }
        lat(
            s,
            &format!("whole CLI call ({} queries)", q.cli_count),
            &q.newsdex_cli,
            q.fts5_cli.as_ref(),
        );
        let _ = writeln!(
            s,
            "\nIn-process mean by kind of query:\n\n| kind | queries | newsdex mean / p99 | FTS5 mean / p99 | newsdex / FTS5 (mean) |\n|---|---:|---:|---:|---:|"
        );
        for k in &q.by_kind {
            let _ = writeln!(
                s,
                "| {} | {} | {:.3} / {:.3} ms | {} | {} |",
                k.kind,
                k.count,
                k.newsdex.mean_ms,
                k.newsdex.p99_ms,
                k.fts5.as_ref().map_or("—".into(), |f| format!(
                    "{:.3} / {:.3} ms",
                    f.mean_ms, f.p99_ms
                )),
                k.fts5.as_ref().map_or("—".into(), |f| format!(
                    "{:.2}",
                    k.newsdex.mean_ms / f.mean_ms.max(1e-9)
                ))
            );
        }
        let mut slow = q.per_query.clone();
        slow.sort_by(|a, b| b.newsdex_mean_ms.total_cmp(&a.newsdex_mean_ms));
        let _ = writeln!(
            s,
            "\nSlowest newsdex queries:\n\n| query | newsdex matches | newsdex mean | FTS5 matches | FTS5 mean |\n|---|---:|---:|---:|---:|"
        );
        for p in slow.iter().take(5) {
            let _ = writeln!(
                s,
                "| `{}` | {} | {:.2} ms | {} | {} |",
                p.query.replace('\t', "  "),
                p.newsdex_total,
                p.newsdex_mean_ms,
                p.fts5_total.map_or("—".into(), |t| t.to_string()),
                p.fts5_mean_ms.map_or("—".into(), |t| format!("{t:.2} ms"))
            );
        }
    }
    let _ = writeln!(s);
}

fn scale_markdown(s: &mut String, rows: &[&CorpusReport]) {
    let _ = writeln!(
        s,
        "### Scale curve (synthetic corpus)\n\n| articles | text MB | newsdex wall | articles/s | MB/s | peak RSS (anonymous) | index (× text) | query mean / p99 | FTS5 wall | FTS5 articles/s | FTS5 peak RSS | FTS5 DB (× text) | FTS5 query mean / p99 |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for c in rows {
        let n = &c.newsdex;
        let q = c.queries.as_ref();
        let f = c.fts5.as_ref();
        let dash = || "—".to_string();
        let _ = writeln!(
            s,
            "| {} | {:.0} | {:.1} s | {} | {:.2} | {:.0} MB ({:.0} MB) | {:.0} MB ({:.2}×) | {} | {} | {} | {} | {} | {} |",
            thousands(c.stats.articles as f64),
            c.stats.text_bytes as f64 / 1e6,
            n.wall_s,
            thousands(n.articles_per_s),
            n.text_mb_per_s,
            n.peak_rss_mb,
            n.peak_anon_mb,
            n.size_mb,
            n.size_ratio,
            q.map_or_else(dash, |q| format!("{:.2} / {:.2} ms", q.newsdex.mean_ms, q.newsdex.p99_ms)),
            f.map_or_else(dash, |f| format!("{:.1} s", f.wall_s)),
            f.map_or_else(dash, |f| thousands(f.articles_per_s)),
            f.map_or_else(dash, |f| format!("{:.0} MB", f.peak_rss_mb)),
            f.map_or_else(dash, |f| format!("{:.0} MB ({:.2}×)", f.size_mb, f.size_ratio)),
            q.and_then(|q| q.fts5.as_ref())
                .map_or_else(dash, |l| format!("{:.2} / {:.2} ms", l.mean_ms, l.p99_ms)),
        );
    }
    let _ = writeln!(s);
}

/// `12,345` (rounded).
pub fn thousands(v: f64) -> String {
    let n = v.round().max(0.0) as u64;
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}
