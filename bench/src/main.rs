//! newsdex-bench: the speed and scale benchmark of issue 6.
//!
//! `newsdex-bench all` indexes each corpus with the release `newsdex` binary (a child process:
//! wall time, CPU time, peak RSS via `wait4`), runs the same command again on the unchanged
//! input, builds the same documents into SQLite FTS5 (another child process: this binary's
//! hidden `fts5-index`), times a fixed query set in-process on both systems and as whole
//! command-line calls, and prints Markdown tables with newsdex/FTS5 ratios and the issue's
//! targets. `gen` writes the deterministic synthetic corpus. See `docs/benchmarks.md`.

mod child;
mod corpus;
mod entities;
mod fts5;
mod measure;
mod queries;
mod report;
mod synth;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use measure::{Latency, Programs};
use report::{CorpusReport, KindLatency, Machine, PerQuery, QueryReport, Report};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The newsdex binary's allocator (see `src/bin/newsdex/main.rs`), for the in-process entity pass.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// Speed and scale benchmark of newsdex against SQLite FTS5 (issue 6).
#[derive(Debug, Parser)]
#[command(name = "newsdex-bench")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Run the whole benchmark: Reuters-21578, chronam (full), synthetic corpora.
    All(AllArgs),
    /// Benchmark one JSONL(.gz) file.
    Corpus(CorpusArgs),
    /// Write the deterministic synthetic corpus.
    Gen(GenArgs),
    /// Time the entity pass alone (one core) over JSONL(.gz) files; prints a Markdown table.
    Entities(EntitiesArgs),
    /// (internal) Build the FTS5 database; prints a JSON report.
    #[command(hide = true)]
    Fts5Index {
        #[arg(long)]
        input: PathBuf,
        #[arg(long)]
        db: PathBuf,
    },
    /// (internal) Run a program, measure it (wall, CPU, peak RSS) and write the figures to
    /// `--report` as JSON; exits with the program's code.
    #[command(hide = true)]
    SpawnMeasured {
        #[arg(long)]
        report: PathBuf,
        /// The program and its arguments.
        #[arg(last = true, required = true)]
        command: Vec<std::ffi::OsString>,
    },
    /// (internal) One FTS5 query, as a whole program call: prints the hits.
    #[command(hide = true)]
    Fts5Search {
        #[arg(long)]
        db: PathBuf,
        /// A line of a query file.
        query: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Size {
    /// Reuters-21578 and 10,000 synthetic articles (a few minutes).
    Small,
    /// Reuters-21578, chronam 1916 front pages, synthetic 10k, 100k and 1M (an hour or more).
    Full,
}

#[derive(Debug, clap::Args)]
struct Common {
    /// Where generated corpora, indexes and databases go.
    #[arg(long, default_value = "/tmp/newsdex-bench")]
    work: PathBuf,
    /// The newsdex binary (default: `newsdex` next to this program, i.e. the release build).
    #[arg(long)]
    newsdex: Option<PathBuf>,
    /// Timed passes over the query set (after one warm-up pass).
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Queries timed as whole command-line calls.
    #[arg(long, default_value_t = 30)]
    cli_queries: usize,
    /// Leave out the SQLite FTS5 peer.
    #[arg(long)]
    no_fts5: bool,
    /// Also write the results as JSON to this file.
    #[arg(long, value_name = "FILE")]
    json_out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct AllArgs {
    /// Which corpora.
    #[arg(long, value_enum, default_value_t = Size::Small)]
    size: Size,
    /// Synthetic sizes instead of the size's (comma-separated; `10k`, `1M`; `none`).
    #[arg(long, value_name = "LIST")]
    synthetic: Option<String>,
    /// Leave out these corpora (comma-separated: reuters, chronam).
    #[arg(long, value_name = "LIST", default_value = "")]
    skip: String,
    /// Folder holding `reuters21578/` and `chronam-1916-frontpages/`.
    #[arg(long, default_value_t = format!("{MANIFEST_DIR}/../../shared/corpora"))]
    corpora: String,
    /// Seed of the synthetic corpus.
    #[arg(long, default_value_t = 1987)]
    seed: u64,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, clap::Args)]
struct CorpusArgs {
    /// The JSON Lines file (plain or gzip).
    input: PathBuf,
    /// Name in the report.
    #[arg(long, default_value = "corpus")]
    name: String,
    /// Query file (see `bench/queries/`).
    #[arg(long)]
    queries: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, clap::Args)]
struct GenArgs {
    /// Number of articles (`10k`, `1M` allowed).
    #[arg(long)]
    articles: String,
    /// Output file (`.jsonl`, or `.jsonl.gz` for gzip).
    #[arg(long)]
    out: PathBuf,
    /// Seed (the same seed and size give the same bytes).
    #[arg(long, default_value_t = 1987)]
    seed: u64,
}

#[derive(Debug, clap::Args)]
struct EntitiesArgs {
    /// JSON Lines files (plain or gzip) with `title` and `body`.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// At most this many articles of each file (0: all).
    #[arg(long, default_value_t = 0)]
    limit: u64,
}

/// One corpus to measure.
struct Job {
    name: String,
    input: PathBuf,
    queries: Option<PathBuf>,
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Cmd::All(a) => {
            let mut jobs = Vec::new();
            let skip: Vec<&str> = a.skip.split(',').map(str::trim).collect();
            let corpora =
                std::fs::canonicalize(&a.corpora).unwrap_or_else(|_| a.corpora.clone().into());
            let queries = Path::new(MANIFEST_DIR).join("queries");
            if !skip.contains(&"reuters") {
                jobs.push(Job {
                    name: "reuters".into(),
                    input: corpora.join("reuters21578/reuters21578.jsonl.gz"),
                    queries: Some(queries.join("reuters.txt")),
                });
            }
            if a.size == Size::Full && !skip.contains(&"chronam") {
                jobs.push(Job {
                    name: "chronam".into(),
                    input: corpora.join("chronam-1916-frontpages/chronam-1916-frontpages.jsonl.gz"),
                    queries: Some(queries.join("chronam.txt")),
                });
            }
            let sizes = match (&a.synthetic, a.size) {
                (Some(list), _) if list == "none" => Vec::new(),
                (Some(list), _) => list.split(',').map(parse_count).collect::<Result<_>>()?,
                (None, Size::Small) => vec![10_000],
                (None, Size::Full) => vec![10_000, 100_000, 1_000_000],
            };
            for n in sizes {
                let input = a.common.work.join(format!(
                    "synthetic-{n}-seed{}-v{}.jsonl",
                    a.seed,
                    synth::VERSION
                ));
                if !input.exists() {
                    eprintln!("generating {} ...", input.display());
                    let t = std::time::Instant::now();
                    synth::write(&input, n, a.seed)?;
                    eprintln!("  {:.1} s", t.elapsed().as_secs_f64());
                }
                jobs.push(Job {
                    name: format!("synthetic-{n}"),
                    input,
                    queries: Some(queries.join("synthetic.txt")),
                });
            }
            bench(&a.common, jobs)
        }
        Cmd::Corpus(a) => {
            let job = Job {
                name: a.name.clone(),
                input: a.input.clone(),
                queries: a.queries.clone(),
            };
            bench(&a.common, vec![job])
        }
        Cmd::Gen(a) => {
            let n = parse_count(&a.articles)?;
            let text = synth::write(&a.out, n, a.seed)?;
            eprintln!(
                "wrote {} articles ({:.1} MB of title + body text) to {}",
                n,
                text as f64 / 1e6,
                a.out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Entities(a) => {
            println!("{}", entities::TABLE_HEAD);
            for input in &a.inputs {
                let name = input
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                let pass = entities::measure(&name, input, a.limit)?;
                println!("{}", entities::row(&pass));
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Fts5Index { input, db } => {
            let report = fts5::build(&input, &db)?;
            println!("{}", serde_json::to_string(&report)?);
            Ok(ExitCode::SUCCESS)
        }
        Cmd::SpawnMeasured { report, command } => child::spawn_measured(&report, &command),
        Cmd::Fts5Search { db, query } => {
            let q = queries::parse_line(&query)?;
            let results = fts5::Fts5::open(&db)?.search(&q.fts)?;
            let mut out = format!("{} matches\n", results.total);
            for (i, h) in results.hits.iter().enumerate() {
                out.push_str(&format!("{:>2}. {}\n    {}\n", i + 1, h.title, h.snippet));
            }
            print!("{out}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `10000`, `10k`, `1M`.
fn parse_count(s: &str) -> Result<u64> {
    let s = s.trim();
    let (digits, factor) = match s.char_indices().last() {
        Some((i, 'k' | 'K')) => (&s[..i], 1_000),
        Some((i, 'm' | 'M')) => (&s[..i], 1_000_000),
        _ => (s, 1),
    };
    let n: u64 = digits
        .replace('_', "")
        .parse()
        .with_context(|| format!("not a number of articles: {s:?}"))?;
    Ok(n * factor)
}

fn bench(common: &Common, jobs: Vec<Job>) -> Result<ExitCode> {
    let bench_exe = std::env::current_exe().context("locating this program")?;
    let programs = Programs {
        newsdex: common
            .newsdex
            .clone()
            .unwrap_or_else(|| bench_exe.with_file_name("newsdex")),
        bench: bench_exe,
    };
    if !programs.newsdex.exists() {
        bail!(
            "no newsdex binary at {} (build it: cargo build --release -p newsdex -p newsdex-bench, or give --newsdex)",
            programs.newsdex.display()
        );
    }
    std::fs::create_dir_all(&common.work)
        .with_context(|| format!("creating {}", common.work.display()))?;
    let mut report = Report {
        command: command_line(),
        machine: machine(),
        corpora: Vec::new(),
        targets: Vec::new(),
    };
    for job in jobs {
        report.corpora.push(bench_corpus(common, &programs, &job)?);
        // Write what we have after each corpus, so a long run that is stopped keeps it.
        if let Some(path) = &common.json_out {
            std::fs::write(path, serde_json::to_string_pretty(&report)?)
                .with_context(|| format!("writing {}", path.display()))?;
        }
    }
    report.machine.load_end = loadavg();
    report.check_targets();
    if let Some(path) = &common.json_out {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    print!("{}", report.markdown());
    Ok(ExitCode::SUCCESS)
}

fn bench_corpus(common: &Common, p: &Programs, job: &Job) -> Result<CorpusReport> {
    let load = loadavg();
    eprintln!("== {} ({}), load {load}", job.name, job.input.display());
    let stats = corpus::for_each(&job.input, |_| Ok(()))?;
    let index = common.work.join(format!("{}.newsdex", job.name));
    let (first, summary) = measure::newsdex_index(p, &job.input, &index, true, &stats)?;
    eprintln!(
        "  newsdex index: {:.2} s, {:.0} articles/s, peak RSS {:.0} MB, {:.1} MB on disk",
        first.wall_s, first.articles_per_s, first.peak_rss_mb, first.size_mb
    );
    let (unchanged, _) = measure::newsdex_index(p, &job.input, &index, false, &stats)?;
    eprintln!(
        "  newsdex index again (unchanged): {:.3} s",
        unchanged.wall_s
    );
    let db = common.work.join(format!("{}.fts5.sqlite", job.name));
    let fts = if common.no_fts5 {
        None
    } else {
        let (run, _) = measure::fts5_index(p, &job.input, &db, &stats)?;
        eprintln!(
            "  FTS5 build: {:.2} s, {:.0} articles/s, peak RSS {:.0} MB, {:.1} MB on disk",
            run.wall_s, run.articles_per_s, run.peak_rss_mb, run.size_mb
        );
        Some(run)
    };
    let queries = match &job.queries {
        Some(file) => Some(bench_queries(
            common,
            p,
            file,
            &index,
            fts.is_some().then_some(&db),
        )?),
        None => None,
    };
    Ok(CorpusReport {
        name: job.name.clone(),
        input: job.input.display().to_string(),
        stats,
        load,
        newsdex: first,
        newsdex_summary: summary,
        newsdex_unchanged: unchanged,
        fts5: fts,
        queries,
    })
}

fn bench_queries(
    common: &Common,
    p: &Programs,
    file: &Path,
    index: &Path,
    db: Option<&PathBuf>,
) -> Result<QueryReport> {
    let list = queries::read(file)?;
    let rounds = common.rounds.max(1);
    let nd = measure::newsdex_queries(index, &list, rounds)?;
    let ft = db
        .map(|db| measure::fts5_queries(db, &list, rounds))
        .transpose()?;
    let newsdex = Latency::of(&nd.all());
    let fts5 = ft.as_ref().map(|f| Latency::of(&f.all()));
    let fts5_top_only = ft
        .as_ref()
        .and_then(|f| f.top_only.as_ref())
        .map(|t| Latency::of(&t.iter().flatten().copied().collect::<Vec<_>>()));
    eprintln!(
        "  queries in-process: newsdex mean {:.3} ms p99 {:.3} ms{}",
        newsdex.mean_ms,
        newsdex.p99_ms,
        fts5.as_ref().map_or(String::new(), |f| format!(
            "; FTS5 mean {:.3} ms p99 {:.3} ms",
            f.mean_ms, f.p99_ms
        ))
    );
    let subset = measure::cli_subset(&list, common.cli_queries);
    let newsdex_cli = Latency::of(&measure::newsdex_cli(p, index, &subset)?);
    let fts5_cli = db
        .map(|db| measure::fts5_cli(p, db, &subset))
        .transpose()?
        .map(|s| Latency::of(&s));
    eprintln!(
        "  whole CLI calls: newsdex mean {:.1} ms{}",
        newsdex_cli.mean_ms,
        fts5_cli.as_ref().map_or(String::new(), |f| format!(
            "; FTS5 mean {:.1} ms",
            f.mean_ms
        ))
    );
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let per_query: Vec<PerQuery> = list
        .iter()
        .enumerate()
        .map(|(i, q)| PerQuery {
            query: q.line(),
            kind: q.kind().into(),
            fts5_match: q.fts.matches.clone(),
            newsdex_total: nd.totals[i],
            newsdex_mean_ms: mean(&nd.samples[i]),
            fts5_total: ft.as_ref().map(|f| f.totals[i]),
            fts5_mean_ms: ft.as_ref().map(|f| mean(&f.samples[i])),
        })
        .collect();
    let mut by_kind = Vec::new();
    for kind in [
        "keywords",
        "phrase",
        "entity",
        "date-filtered",
        "sorted by date",
    ] {
        let idx: Vec<usize> = (0..list.len())
            .filter(|&i| list[i].kind() == kind)
            .collect();
        if idx.is_empty() {
            continue;
        }
        let pick = |s: &[Vec<f64>]| -> Vec<f64> {
            idx.iter().flat_map(|&i| s[i].iter().copied()).collect()
        };
        by_kind.push(KindLatency {
            kind: kind.into(),
            count: idx.len(),
            newsdex: Latency::of(&pick(&nd.samples)),
            fts5: ft.as_ref().map(|f| Latency::of(&pick(&f.samples))),
        });
    }
    Ok(QueryReport {
        file: file.display().to_string(),
        count: list.len(),
        rounds,
        newsdex,
        fts5,
        fts5_top_only,
        by_kind,
        cli_count: subset.len(),
        newsdex_cli,
        fts5_cli,
        per_query,
    })
}

fn command_line() -> String {
    std::env::args()
        .map(|a| if a.contains(' ') { format!("'{a}'") } else { a })
        .collect::<Vec<_>>()
        .join(" ")
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn machine() -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kib: f64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0.0);
    let git = std::process::Command::new("git")
        .args(["-C", MANIFEST_DIR, "describe", "--always", "--dirty"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    Machine {
        cpu,
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        memory_gib: mem_kib / (1024.0 * 1024.0),
        kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|s| s.trim().to_string())
            .unwrap_or_default(),
        load_start: loadavg(),
        load_end: String::new(),
        newsdex_commit: git,
        sqlite: rusqlite::version().to_string(),
        started_unix: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    }
}
