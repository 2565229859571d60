//! Progress while indexing: a bar on a terminal (stderr), nothing when piped or in CI.
//! Warnings always go to stderr, one line each, naming the file and the reason.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use newsdex::{Error, Observer};
use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, Instant};

pub struct IndexProgress {
    bar: Option<ProgressBar>,
    quiet: bool,
    articles: u64,
    files: usize,
    planned: usize,
    started: Instant,
}

impl IndexProgress {
    pub fn new(quiet: bool) -> Self {
        let interactive =
            std::io::stderr().is_terminal() && std::env::var_os("CI").is_none() && !quiet;
        let bar = interactive.then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        IndexProgress {
            bar,
            quiet,
            articles: 0,
            files: 0,
            planned: 0,
            started: Instant::now(),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn show(&self) {
        if let Some(bar) = &self.bar {
            let rate = self.articles as f64 / self.started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!(
                "{}/{} files · {} articles · {rate:.0} articles/s",
                self.files, self.planned, self.articles
            ));
        }
    }
}

impl Observer for IndexProgress {
    fn planned(&mut self, files: usize, bytes: u64) {
        self.planned = files;
        if let Some(bar) = &self.bar {
            bar.set_length(bytes);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {elapsed_precise} [{bar:30}] {bytes}/{total_bytes} · {msg} · ETA {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar.set_message(format!("0/{files} files"));
        }
    }

    fn article(&mut self) {
        self.articles += 1;
        if self.articles.is_multiple_of(64) {
            self.show();
        }
    }

    fn file_done(&mut self, _path: &Path, bytes: u64, _articles: usize) {
        self.files += 1;
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
        }
        self.show();
    }

    fn warning(&mut self, error: &Error) {
        if self.quiet {
            return;
        }
        let kind = if error.is_not_an_article() {
            "note"
        } else {
            "warning"
        };
        let line = format!("{kind}: {error}");
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }
}
