//! The `newsdex` command: glue between the command line and the library.

mod args;
mod progress;
mod render;

use anyhow::Context;
use args::{Cli, Command};
use clap::Parser;
use newsdex::{Archive, Error};
use std::process::ExitCode;

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
                args::ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
                args::ReportFormat::Text => {
                    print!("{}", render::index_report(&report, archive.dir(), &a.paths))
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
            let results = archive.search(&a.request())?;
            let out = match a.format {
                args::OutputFormat::Text => render::search_text(&results, &style),
                args::OutputFormat::Json => {
                    format!("{}\n", serde_json::to_string_pretty(&results)?)
                }
                args::OutputFormat::Jsonl => render::search_jsonl(&results)?,
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
                args::ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&stats)?),
                args::ReportFormat::Text => {
                    render::write_stdout(&render::stats_text(&stats, archive.dir(), &style))?
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
