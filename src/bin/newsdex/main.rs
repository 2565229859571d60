//! The `newsdex` command: glue between the command line and the library.

mod args;
mod progress;
mod render;
mod views;

use anyhow::Context;
use args::{Cli, Command};
use clap::Parser;
use newsdex::{Archive, Error};
use std::process::ExitCode;

/// mimalloc: indexing makes and drops millions of small strings and vectors across threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit codes (documented in `--help` and README).
pub mod exit {
    /// Bad usage, query or date.
    pub const USAGE: u8 = 2;
    /// Finished, but some inputs were skipped.
    pub const PARTIAL: u8 = 3;
    /// Index locked by another process.
    pub const LOCKED: u8 = 4;
    /// No index at the given location.
    pub const NO_INDEX: u8 = 5;
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(code_for(&e))
        }
    }
}

fn code_for(e: &anyhow::Error) -> u8 {
    match e.downcast_ref::<Error>() {
        Some(Error::Query(_) | Error::InvalidDate { .. } | Error::InvalidRequest(_)) => exit::USAGE,
        Some(Error::Locked { .. }) => exit::LOCKED,
        Some(Error::NoIndex { .. }) => exit::NO_INDEX,
        _ => 1,
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let style = render::Style::new(cli.color);
    match &cli.command {
        Command::Index(a) => {
            let mut builder = Archive::builder(&cli.index)
                .memory_mb(a.memory_mb)
                .commit_every(a.commit_every)
                .dedup_window(a.dedup_window)
                .max_file_bytes(a.max_file_mb.saturating_mul(1 << 20))
                .max_article_bytes(a.max_article_mb.saturating_mul(1 << 20));
            if let Some(t) = a.threads {
                builder = builder.threads(t);
            }
            let archive = if a.rebuild {
                builder.rebuild()?
            } else {
                builder.open_or_create()?
            };
            let mut indexer = archive.indexer()?;
            let mut observer = progress::IndexProgress::new(a.quiet);
            indexer.index_paths(&a.paths, &mut observer)?;
            let report = indexer.finish()?;
            observer.finish();
            match a.format {
                args::ReportFormat::Json => {
                    render::write_stdout(&format!("{}\n", serde_json::to_string_pretty(&report)?))?
                }
                args::ReportFormat::Text => {
                    render::write_stdout(&render::index_report(&report, archive.dir(), &a.paths))?
                }
            }
            Ok(if report.warnings > 0 {
                ExitCode::from(exit::PARTIAL)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Search(a) => {
            let archive = Archive::open(&cli.index)?;
            if let Some(batch) = &a.batch {
                return batch_search(&archive, a, batch);
            }
            let query = a.query.as_deref().unwrap_or_default();
            let results = archive.search(&a.request(query))?;
            write_results(&results, a.format, || {
                let mut out = render::search_text(&results, &style);
                if let Some(f) = &results.facets {
                    out.push('\n');
                    out.push_str(&views::facets_text(f, &style));
                }
                Ok(out)
            })
        }
        Command::Timeline(a) => {
            let archive = Archive::open(&cli.index)?;
            let request = a.filters.apply(newsdex::SearchRequest::new(&a.query));
            let timeline = archive.timeline(&request, a.by.into())?;
            if a.svg.is_some() || a.png.is_some() {
                let chart = chart_of(&timeline);
                if let Some(path) = &a.svg {
                    std::fs::write(path, chart.to_svg())
                        .with_context(|| format!("writing {}", path.display()))?;
                }
                if let Some(path) = &a.png {
                    std::fs::write(path, chart.to_png()?)
                        .with_context(|| format!("writing {}", path.display()))?;
                }
            }
            let out = match a.format {
                args::OutputFormat::Text => views::timeline_text(&timeline, &style),
                args::OutputFormat::Json => {
                    format!("{}\n", serde_json::to_string_pretty(&timeline)?)
                }
                args::OutputFormat::Jsonl => render::json_lines(&timeline.buckets)?,
                args::OutputFormat::Csv => views::timeline_csv(&timeline)?,
            };
            render::write_stdout(&out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Similar(a) => {
            let archive = Archive::open(&cli.index)?;
            let request = a.filters.apply(
                newsdex::SearchRequest::new("")
                    .limit(a.limit)
                    .offset(a.offset)
                    .fragments(a.fragments),
            );
            let id = newsdex::ArticleId(a.id.clone());
            let results = archive.similar(&id, &request)?;
            write_results(&results, a.format, || {
                let of = archive.get(&id)?;
                Ok(format!(
                    "Articles like {} ({})\n{}",
                    style.bold(&of.title),
                    of.id,
                    render::search_text(&results, &style)
                ))
            })
        }
        Command::Show(a) => {
            let archive = Archive::open(&cli.index)?;
            let article = archive.get(&newsdex::ArticleId(a.id.clone()))?;
            let out = match a.format {
                args::ReportFormat::Text => views::article_text(&article, &style),
                args::ReportFormat::Json => {
                    format!("{}\n", serde_json::to_string_pretty(&article)?)
                }
            };
            render::write_stdout(&out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Entities(a) => {
            let archive = Archive::open(&cli.index)?;
            let request = a.filters.apply(newsdex::SearchRequest::new(&a.query));
            let report = archive.entities(&request, a.kind.map(Into::into), a.top, a.co)?;
            let out = match a.format {
                args::OutputFormat::Text => views::entities_text(&report, &style),
                args::OutputFormat::Json => {
                    format!("{}\n", serde_json::to_string_pretty(&report)?)
                }
                args::OutputFormat::Jsonl => render::json_lines(&report.entities)?,
                args::OutputFormat::Csv => views::entities_csv(&report)?,
            };
            render::write_stdout(&out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval(args::EvalCommand::Ranking(a)) => eval_ranking(&cli, a),
        Command::Eval(args::EvalCommand::Ner(a)) if !a.declared.is_empty() => {
            let report = newsdex::eval::ner::declared_agreement(&a.declared);
            let out = match a.format {
                args::ReportFormat::Text => views::agreement_text(&report),
                args::ReportFormat::Json => {
                    format!("{}\n", serde_json::to_string_pretty(&report)?)
                }
            };
            render::write_stdout(&out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval(args::EvalCommand::Ner(a)) => {
            let Some(conll) = &a.conll else {
                anyhow::bail!("give --conll FILE or --declared PATH");
            };
            let docs = newsdex::eval::ner::read_conll(conll)?;
            let report = match &a.model {
                Some(path) => {
                    let bytes = std::fs::read(path)
                        .with_context(|| format!("cannot read {}", path.display()))?;
                    let recogniser = newsdex::normalise::entities::Recogniser::from_bytes(&bytes)
                        .with_context(|| format!("{}", path.display()))?;
                    newsdex::eval::ner::evaluate_with(&recogniser, &docs, a.errors)
                }
                None => newsdex::eval::ner::evaluate(&docs, a.errors),
            };
            let out = match a.format {
                args::ReportFormat::Text => views::ner_text(&report),
                args::ReportFormat::Json => {
                    format!("{}\n", serde_json::to_string_pretty(&report)?)
                }
            };
            render::write_stdout(&out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Normalize(a) => {
            let options = newsdex::ReadOptions {
                max_file_bytes: a.max_file_mb.saturating_mul(1 << 20),
                max_article_bytes: a.max_article_mb.saturating_mul(1 << 20),
                ..Default::default()
            };
            let (articles, files, warnings) = render::normalize(&a.paths, &options)?;
            eprintln!("normalized {articles} articles from {files} files ({warnings} warnings)");
            Ok(if warnings > 0 {
                ExitCode::from(exit::PARTIAL)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Stats(a) => {
            let archive = Archive::open(&cli.index)?;
            let stats = archive.stats(a.top).context("reading index statistics")?;
            match a.format {
                args::ReportFormat::Json => {
                    render::write_stdout(&format!("{}\n", serde_json::to_string_pretty(&stats)?))?
                }
                args::ReportFormat::Text => {
                    render::write_stdout(&render::stats_text(&stats, archive.dir(), &style))?
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Search results in `format`; `text` makes the text form.
fn write_results(
    results: &newsdex::SearchResults,
    format: args::OutputFormat,
    text: impl FnOnce() -> anyhow::Result<String>,
) -> anyhow::Result<ExitCode> {
    let out = match format {
        args::OutputFormat::Text => text()?,
        args::OutputFormat::Json => format!("{}\n", serde_json::to_string_pretty(results)?),
        args::OutputFormat::Jsonl => render::search_jsonl(results)?,
        args::OutputFormat::Csv => views::hits_csv(results)?,
    };
    render::write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// `search --batch`: one query per line, one JSON result per line; a query that fails
/// gives a JSON line with its error and the run goes on (exit code 2 at the end).
fn batch_search(
    archive: &Archive,
    a: &args::SearchArgs,
    path: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    use std::io::{BufRead, Write};
    let input: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(path)
            .with_context(|| format!("cannot open the batch file {}", path.display()))?;
        Box::new(std::io::BufReader::new(file))
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0;
    for (n, line) in input.lines().enumerate() {
        let line = line.with_context(|| format!("reading line {} of {}", n + 1, path.display()))?;
        let query = line.trim();
        if query.is_empty() || query.starts_with('#') {
            continue;
        }
        let json = match archive.search(&a.request(query)) {
            Ok(results) => serde_json::to_string(&results)?,
            Err(e @ (Error::Query(_) | Error::InvalidDate { .. } | Error::InvalidRequest(_))) => {
                failed += 1;
                serde_json::to_string(&serde_json::json!({
                    "query": query,
                    "line": n + 1,
                    "error": e.to_string(),
                }))?
            }
            Err(e) => return Err(e.into()),
        };
        match writeln!(out, "{json}") {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
            other => other?,
        }
    }
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other?,
    }
    if failed > 0 {
        let queries = if failed == 1 { "query" } else { "queries" };
        eprintln!("{failed} {queries} of the batch could not be run (see the \"error\" lines)");
        return Ok(ExitCode::from(exit::USAGE));
    }
    Ok(ExitCode::SUCCESS)
}

/// `eval ranking`: run the queries, score them against the judgments, maybe write a run.
fn eval_ranking(cli: &Cli, a: &args::EvalRankingArgs) -> anyhow::Result<ExitCode> {
    use newsdex::eval::ranking;
    let mut qrels = ranking::Qrels::from_path(&a.qrels)?;
    let mut keep: Option<std::collections::HashSet<String>> = None;
    if let (Some(split), Some(subset)) = (&a.split, &a.subset) {
        let text = std::fs::read_to_string(split)
            .with_context(|| format!("cannot read the split file {}", split.display()))?;
        let labelled: std::collections::HashSet<String> = text
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .filter(|(_, label)| label.trim() == subset)
            .map(|(qid, _)| qid.trim().to_string())
            .collect();
        if labelled.is_empty() {
            anyhow::bail!("no query of {} is labelled {subset:?}", split.display());
        }
        qrels = qrels.only(|qid| labelled.contains(qid));
        keep = Some(labelled);
    }
    let kept = |qid: &str| keep.as_ref().is_none_or(|k| k.contains(qid));
    let (rankings, failed) = match (&a.score_run, &a.queries) {
        // Another system's run, scored on the same judgments.
        (Some(path), _) => {
            let mut rankings = ranking::read_run(path)?;
            rankings.retain(|r| kept(&r.qid));
            (rankings, Vec::new())
        }
        (None, Some(path)) => {
            let archive = Archive::open(&cli.index)?;
            let mut queries = ranking::read_queries(path)?;
            queries.retain(|(qid, _)| kept(qid));
            let base =
                a.filters
                    .apply(newsdex::SearchRequest::new(""))
                    .tuning(newsdex::search::Tuning {
                        title_boost: a.title_boost,
                        proximity_boost: a.proximity_boost,
                        proximity_slop: a.proximity_slop,
                    });
            newsdex::eval::run_queries(&archive, &queries, &base, a.depth)?
        }
        (None, None) => anyhow::bail!("give --queries (or --score-run)"),
    };
    let report = ranking::evaluate(&rankings, &qrels);
    if let Some(path) = &a.run {
        let mut file = std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        );
        ranking::write_run(&rankings, &a.tag, &mut file)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let failed: Vec<(String, String)> = failed
        .into_iter()
        .map(|(q, e)| (q, e.to_string()))
        .collect();
    match a.format {
        args::ReportFormat::Json => {
            let mut json = serde_json::to_value(&report)?;
            json["failed"] = serde_json::to_value(&failed)?;
            render::write_stdout(&format!("{}\n", serde_json::to_string_pretty(&json)?))?;
        }
        args::ReportFormat::Text => {
            render::write_stdout(&views::eval_text(&report, a.per_query, &failed))?
        }
    }
    Ok(if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(exit::USAGE)
    })
}

/// The chart of a timeline.
fn chart_of(t: &newsdex::Timeline) -> newsdex::chart::BarChart {
    let title = if t.query.trim().is_empty() {
        format!("Articles per {}", t.by.as_str())
    } else {
        format!("Articles matching “{}” per {}", t.query, t.by.as_str())
    };
    let subtitle = match (t.buckets.first(), t.buckets.last()) {
        (Some(a), Some(b)) => Some(format!(
            "{} – {} · {} dated articles{}",
            a.period,
            b.period,
            views::thousands(t.total - t.undated),
            if t.undated > 0 {
                format!(", {} undated not shown", views::thousands(t.undated))
            } else {
                String::new()
            }
        )),
        _ => None,
    };
    newsdex::chart::BarChart {
        title,
        subtitle,
        y_label: "articles".into(),
        bars: t
            .buckets
            .iter()
            .map(|b| newsdex::chart::Bar {
                label: b.period.clone(),
                value: b.count,
            })
            .collect(),
    }
}
