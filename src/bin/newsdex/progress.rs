//! Progress while indexing: a bar on a terminal (stderr), nothing when piped or in CI.
//! Warnings always go to stderr, one line each, naming the file and the reason.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use newsdex::{Error, Observer};
use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

pub struct IndexProgress {
    bar: Option<ProgressBar>,
    quiet: bool,
    articles: u64,
    files: usize,
    started: Instant,
}

impl IndexProgress {
    pub fn new(quiet: bool) -> Self {
        let interactive =
            std::io::stderr().is_terminal() && std::env::var_os("CI").is_none() && !quiet;
        IndexProgress {
            bar: interactive
                .then(|| ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr())),
            quiet,
            articles: 0,
            files: 0,
            started: Instant::now(),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Observer for IndexProgress {
    fn planned(&mut self, files: usize, bytes: u64) {
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
        self.files = 0;
        let _ = files;
    }

    fn file_done(&mut self, _path: &Path, bytes: u64, articles: usize) {
        self.files += 1;
        self.articles += articles as u64;
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
            let rate = self.articles as f64 / self.started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!(
                "{} files · {} articles · {rate:.0} articles/s",
                self.files, self.articles
            ));
        }
    }

    fn warning(&mut self, error: &Error) {
        if self.quiet {
            return;
        }
        let line = format!("warning: {error}");
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }
}
