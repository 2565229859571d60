//! `Indexer`: the single writer of an archive.
//!
//! Articles replace earlier versions with the same id, and re-reading a file replaces every
//! article that came from it, so indexing the same files twice leaves one copy of each.
//! Commits happen at file boundaries every `commit_every` articles or `commit_interval`, and
//! at the end: a run killed at any moment leaves the index at its last commit, and running
//! it again completes it.

use super::{schema, Archive};
use crate::article::{Article, Format};
use crate::error::{Error, Result};
use crate::pipeline::{self, Event, ReadOptions};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tantivy::{IndexWriter, Term};

/// Receives progress while an [`Indexer`] works. Every method has an empty default.
pub trait Observer {
    /// The files to read are known.
    fn planned(&mut self, _files: usize, _bytes: u64) {}
    /// An article was indexed (called for every article; keep it cheap).
    fn article(&mut self) {}
    /// A file was read.
    fn file_done(&mut self, _path: &Path, _bytes: u64, _articles: usize) {}
    /// Something could not be read; indexing goes on.
    fn warning(&mut self, _error: &Error) {}
    /// A commit made `_articles` articles durable.
    fn committed(&mut self, _articles: u64) {}
}

/// An observer that ignores everything.
impl Observer for () {}

/// What an indexing run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexReport {
    /// Files read (including those that gave warnings).
    pub files: usize,
    /// Files skipped entirely (unreadable, empty, binary, malformed).
    pub files_skipped: usize,
    /// Articles new to the index.
    pub indexed: u64,
    /// Articles that replaced an earlier version (same id).
    pub updated: u64,
    /// Articles whose id occurred earlier in the same run (the later one was kept).
    pub duplicate_ids: u64,
    /// Problems reported (files and records).
    pub warnings: u64,
    /// Articles per input format.
    pub formats: BTreeMap<Format, u64>,
    /// Bytes read (on disk).
    pub bytes: u64,
    /// Wall time of the run.
    #[serde(serialize_with = "seconds")]
    pub elapsed: Duration,
    /// Articles in the index after the run.
    pub total_in_index: u64,
}

fn seconds<S: serde::Serializer>(d: &Duration, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// The writer of an archive (holds the index lock while it lives).
pub struct Indexer<'a> {
    archive: &'a Archive,
    writer: IndexWriter,
    searcher: tantivy::Searcher,
    commit_every: usize,
    commit_interval: Duration,
    read: ReadOptions,
    since_commit: usize,
    last_commit: Instant,
    seen: HashSet<String>,
    report: IndexReport,
}

impl<'a> Indexer<'a> {
    pub(super) fn new(
        archive: &'a Archive,
        writer: IndexWriter,
        commit_every: usize,
        commit_interval: Duration,
        read: ReadOptions,
    ) -> Self {
        // Best effort: a failed reload only means "updated" may be counted as "indexed".
        let _ = archive.reader.reload();
        Indexer {
            searcher: archive.reader.searcher(),
            archive,
            writer,
            commit_every,
            commit_interval,
            read,
            since_commit: 0,
            last_commit: Instant::now(),
            seen: HashSet::new(),
            report: IndexReport::default(),
        }
    }

    /// Add (or replace) one article.
    pub fn add(&mut self, article: &Article) -> Result<()> {
        let f = &self.archive.fields;
        let id = Term::from_field_text(f.id, article.id.as_str());
        if !self.seen.insert(article.id.0.clone()) {
            self.report.duplicate_ids += 1;
        } else if self.searcher.doc_freq(&id)? > 0 {
            self.report.updated += 1;
        } else {
            self.report.indexed += 1;
        }
        self.writer.delete_term(id);
        self.writer.add_document(schema::document(f, article))?;
        *self
            .report
            .formats
            .entry(article.source.format)
            .or_default() += 1;
        self.since_commit += 1;
        Ok(())
    }

    /// Read every file under `paths` and index its articles; problems with single files or
    /// records are reported to `observer` and counted, not returned.
    ///
    /// Errors only when the index itself fails (disk full, ...).
    pub fn index_paths(
        &mut self,
        paths: &[PathBuf],
        observer: &mut dyn Observer,
    ) -> Result<IndexReport> {
        let started = Instant::now();
        // Duplicate ids are counted within one run; a later run updates.
        self.seen.clear();
        let mut fatal: Option<Error> = None;
        let mut current_source: Option<String> = None;
        let read = self.read.clone();
        pipeline::read_paths(paths, &read, &mut |event| {
            if fatal.is_some() {
                return;
            }
            match event {
                Event::Planned { files, bytes } => observer.planned(files, bytes),
                Event::FileStart { .. } => current_source = None,
                Event::Article(article) => {
                    // The first article of a file replaces everything that file gave before.
                    if current_source.as_deref() != Some(article.source.path.as_str()) {
                        let term =
                            Term::from_field_text(self.archive.fields.source, &article.source.path);
                        self.writer.delete_term(term);
                        current_source = Some(article.source.path.clone());
                    }
                    if let Err(e) = self.add(&article) {
                        fatal = Some(e);
                    }
                    observer.article();
                }
                Event::Warning(e) => {
                    self.report.warnings += 1;
                    observer.warning(&e);
                }
                Event::FileDone {
                    path,
                    bytes,
                    format,
                    articles,
                } => {
                    self.report.files += 1;
                    self.report.bytes += bytes;
                    if format.is_none() {
                        self.report.files_skipped += 1;
                    }
                    observer.file_done(path, bytes, articles);
                    if self.since_commit >= self.commit_every
                        || self.last_commit.elapsed() >= self.commit_interval
                    {
                        match self.commit() {
                            Ok(n) => observer.committed(n),
                            Err(e) => fatal = Some(e),
                        }
                    }
                }
            }
        });
        if let Some(e) = fatal {
            return Err(e);
        }
        let total = self.commit()?;
        observer.committed(total);
        self.report.elapsed += started.elapsed();
        self.report.total_in_index = total;
        Ok(self.report.clone())
    }

    /// Make everything added so far durable; returns the number of articles in the index.
    pub fn commit(&mut self) -> Result<u64> {
        self.writer.commit()?;
        self.since_commit = 0;
        self.last_commit = Instant::now();
        self.archive.reader.reload()?;
        // What was committed is now "already indexed" for later runs of this indexer.
        self.searcher = self.archive.reader.searcher();
        Ok(self.searcher.num_docs())
    }

    /// What this indexer did so far.
    pub fn report(&self) -> &IndexReport {
        &self.report
    }

    /// Commit, then wait for background merges to finish and release the lock.
    pub fn finish(mut self) -> Result<IndexReport> {
        // After `index_paths` everything is committed already; no empty commit then.
        let total = if self.since_commit > 0 {
            self.commit()?
        } else {
            self.searcher.num_docs()
        };
        self.report.total_in_index = total;
        let report = self.report.clone();
        self.writer.wait_merging_threads()?;
        Ok(report)
    }
}
