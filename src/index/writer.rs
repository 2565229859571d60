//! `Indexer`: the single writer of an archive.
//!
//! Articles replace earlier versions with the same id, and re-reading a file replaces every
//! article that came from it, so indexing the same files twice leaves one copy of each.
//! Commits happen every `commit_every` articles (inside a large file too), at a file boundary
//! once `commit_interval` has passed, and at the end: a run killed at any moment leaves the
//! index at its last commit, and running it again completes it. Our own per-article state
//! lasts until the next commit; memory still grows with a run of a million articles
//! (2.8 GB at 1M, `docs/benchmarks.md`): bounding it is work in progress (issue 6).

use super::manifest::{self, Change, FileState, Manifest};
use super::{schema, Archive};
use crate::article::{Article, Format};
use crate::dedup::Fingerprint;
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
    /// Files found unchanged since the last run (not read again), and their size on disk.
    fn unchanged(&mut self, _files: usize, _bytes: u64) {}
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
    /// Files not read because they are unchanged since they were indexed.
    pub files_unchanged: usize,
    /// Indexed files that are gone from disk; their articles were removed.
    pub files_removed: usize,
    /// Articles removed with those files.
    pub removed: u64,
    /// Articles new to the index.
    pub indexed: u64,
    /// Articles that replaced an earlier version (same id).
    pub updated: u64,
    /// Articles whose id occurred earlier in the same run (the later one was kept).
    pub duplicate_ids: u64,
    /// New articles that are near-duplicates (syndicated or re-published copies) of an
    /// article already indexed; they join its story cluster.
    pub duplicates: u64,
    /// Problems reported (files and records).
    pub warnings: u64,
    /// Notices of input that holds no article (title-only briefs, section fronts, planning
    /// items, a crawl's other pages): reported, but not problems.
    pub not_articles: u64,
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
    /// Hashes (XXH3-64) of the ids added in this run: 8 bytes an article, so a run of
    /// millions of articles stays small.
    seen: HashSet<u64>,
    report: IndexReport,
    manifest: Manifest,
    /// Manifest changes that wait for the next commit to be true.
    pending: Vec<(String, Option<FileState>)>,
    /// Fingerprints of the latest articles (the index's latest by date when the indexer
    /// started, then those added), for copies among them.
    recent: Recent,
    /// Whether `recent` holds the index's latest articles yet (read at the first article,
    /// so a run that finds every file unchanged does not read them).
    preloaded: bool,
    /// Whether the manifest learnt new modification times of unchanged files (to be saved).
    touched: bool,
}

/// Near-duplicate candidates among the latest articles (the index's, then the run's), in
/// memory of fixed size: a
/// ring of the last `window` fingerprints and a direct-mapped table from band key to the
/// latest article that had it. A copy shares many band keys with its story, so keys lost to
/// collisions or to newer articles rarely lose a copy, and memory does not grow with the
/// corpus (about 0.7 KB an article of the window, plus the table).
struct Recent {
    /// Band key slot → sequence number + 1 of the latest article with a key there (0: none).
    slots: Vec<u32>,
    /// The last `window` articles: (cluster, fingerprint), oldest first.
    members: std::collections::VecDeque<(u64, Fingerprint)>,
    /// Sequence number of `members[0]`.
    first: u32,
    window: usize,
}

/// Slots of the band table: 2^23 (32 MiB).
const BAND_SLOTS: usize = 1 << 23;

impl Recent {
    fn new(window: usize) -> Self {
        Recent {
            slots: Vec::new(),
            members: std::collections::VecDeque::new(),
            first: 0,
            window: window.max(1),
        }
    }

    fn slot(band: u64) -> usize {
        // Band keys are hashes already: their low bits are as good as any.
        (band as usize) & (BAND_SLOTS - 1)
    }

    fn push(&mut self, cluster: u64, fp: &Fingerprint, bands: &[u64]) {
        if self.slots.is_empty() {
            // Allocated on first use: an indexer that never sees a fingerprint stays small.
            self.slots = vec![0; BAND_SLOTS];
        }
        if self.members.len() >= self.window {
            self.members.pop_front();
            self.first = self.first.wrapping_add(1);
        }
        let seq = self.first.wrapping_add(self.members.len() as u32);
        for &band in bands {
            self.slots[Self::slot(band)] = seq.wrapping_add(1);
        }
        self.members.push_back((cluster, fp.clone()));
    }

    /// Fill the window with the index's latest articles by date (undated ones count as
    /// oldest), oldest first: a copy of an article indexed by an earlier run is found
    /// like one of this run. Reading 100,000 fingerprints takes a fraction of a second.
    fn preload(&mut self, searcher: &tantivy::Searcher) -> Result<()> {
        let mut docs: Vec<(i64, u32, u32)> = Vec::new();
        let mut columns = Vec::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let fast = segment.fast_fields();
            let dates = fast.i64("date")?;
            for doc in segment.doc_ids_alive() {
                let date = dates.first(doc).unwrap_or(i64::MIN);
                docs.push((date, ord as u32, doc));
            }
            columns.push((fast.u64("cluster")?, fast.bytes("fingerprint")?));
        }
        if docs.len() > self.window {
            let cut = docs.len() - self.window;
            docs.select_nth_unstable(cut);
            docs.drain(..cut);
        }
        docs.sort_unstable();
        let mut bytes = Vec::new();
        for (_, ord, doc) in docs {
            let (clusters, Some(prints)) = &columns[ord as usize] else {
                continue;
            };
            let Some(term) = prints.term_ords(doc).next() else {
                continue;
            };
            bytes.clear();
            if !prints.ord_to_bytes(term, &mut bytes).unwrap_or(false) {
                continue;
            }
            if let (Some(fp), Some(cluster)) =
                (Fingerprint::from_bytes(&bytes), clusters.first(doc))
            {
                self.push(cluster, &fp, &fp.bands());
            }
        }
        Ok(())
    }

    /// The member with sequence number `seq`, if it is still in the window.
    fn get(&self, seq: u32) -> Option<&(u64, Fingerprint)> {
        self.members.get(seq.wrapping_sub(self.first) as usize)
    }

    /// Sequence numbers of the members sharing band keys with `bands`, most shared first.
    fn candidates(&self, bands: &[u64]) -> Vec<u32> {
        if self.slots.is_empty() {
            return Vec::new();
        }
        let mut shared: Vec<(u32, u32)> = Vec::new();
        for band in bands {
            let stored = self.slots[Self::slot(*band)];
            if stored == 0 {
                continue;
            }
            let seq = stored.wrapping_sub(1);
            match shared.iter_mut().find(|(s, _)| *s == seq) {
                Some((_, n)) => *n += 1,
                None => shared.push((seq, 1)),
            }
        }
        shared.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
        shared.into_iter().map(|(seq, _)| seq).collect()
    }
}

/// Articles kept for in-run near-duplicate lookups, by default (about 70 MB).
pub const DEFAULT_DEDUP_WINDOW: usize = 100_000;

/// Articles compared per new article, at most: those sharing the most band keys.
const MAX_CANDIDATES: usize = 64;

impl<'a> Indexer<'a> {
    pub(super) fn new(
        archive: &'a Archive,
        writer: IndexWriter,
        commit_every: usize,
        commit_interval: Duration,
        read: ReadOptions,
        dedup_window: usize,
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
            manifest: Manifest::load(&archive.dir),
            pending: Vec::new(),
            recent: Recent::new(dedup_window),
            preloaded: false,
            touched: false,
        }
    }

    /// Add (or replace) one article.
    pub fn add(&mut self, article: &Article) -> Result<()> {
        let f = self.archive.fields;
        let id = Term::from_field_text(f.id, article.id.as_str());
        let new = if !self
            .seen
            .insert(xxhash_rust::xxh3::xxh3_64(article.id.as_str().as_bytes()))
        {
            self.report.duplicate_ids += 1;
            false
        } else if self.searcher.doc_freq(&id)? > 0 {
            self.report.updated += 1;
            false
        } else {
            self.report.indexed += 1;
            true
        };
        if !self.preloaded {
            self.preloaded = true;
            // Best effort: an index whose fingerprints cannot be read only finds fewer copies.
            let _ = self.recent.preload(&self.searcher);
        }
        let fingerprint = Fingerprint::of(&article.title, &article.body);
        let own = xxhash_rust::xxh3::xxh3_64(article.id.as_str().as_bytes());
        let bands = fingerprint
            .as_ref()
            .map(Fingerprint::bands)
            .unwrap_or_default();
        let cluster = match &fingerprint {
            Some(fp) => match self.copy_of(fp, &bands) {
                Some(cluster) => {
                    // An update of an article may well match its own earlier version.
                    if new && cluster != own {
                        self.report.duplicates += 1;
                    }
                    cluster
                }
                None => own,
            },
            None => own,
        };
        if let Some(fp) = fingerprint.as_ref() {
            self.recent.push(cluster, fp, &bands);
        }
        if !new {
            // Only an id the index or this run already holds has a version to replace: a
            // delete per new article would cost memory until the commit, and time.
            self.writer.delete_term(id);
        }
        self.writer
            .add_document(schema::document(&f, article, cluster, fingerprint.as_ref()))?;
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
    /// Runs are incremental: a file indexed before is read again only when its size and
    /// modification time changed and its content did too; the articles of indexed files that
    /// are gone from under `paths` are removed. A re-read file's articles replace the old
    /// ones. Errors only when the index itself fails (disk full, ...).
    pub fn index_paths(
        &mut self,
        paths: &[PathBuf],
        observer: &mut dyn Observer,
    ) -> Result<IndexReport> {
        let started = Instant::now();
        // Duplicate ids are counted within one run; a later run updates.
        self.seen.clear();
        let mut walk_errors = Vec::new();
        let files = crate::ingest::walk(paths, &mut |e| walk_errors.push(e));
        for e in walk_errors {
            self.report.warnings += 1;
            observer.warning(&e);
        }
        let (to_read, seen) = self.plan(&files, observer);
        self.remove_missing(paths, &seen);

        let mut fatal: Option<Error> = None;
        // Whether the file being read had a problem (not merely input holding no article).
        let mut troubled = false;
        // Updates counted before the current file, to see which of its old articles it lost.
        let mut updated_before = 0;
        // The current file's absolute path, as articles and the manifest store it.
        let mut key = String::new();
        let read = ReadOptions {
            roots: paths.to_vec(),
            ..self.read.clone()
        };
        pipeline::read_files(&to_read, &read, &mut |event| {
            if fatal.is_some() {
                return;
            }
            match event {
                Event::Planned { files, bytes } => observer.planned(files, bytes),
                Event::FileStart { path } => {
                    troubled = false;
                    updated_before = self.report.updated;
                    // Whatever the file gave before goes, even if it gives nothing now.
                    key = crate::ingest::display_path(path);
                    let term = Term::from_field_text(self.archive.fields.source, &key);
                    self.writer.delete_term(term);
                }
                Event::Article(article) => {
                    if let Err(e) = self.add(&article) {
                        fatal = Some(e);
                    }
                    observer.article();
                    // Inside a large file too, so memory stays bounded. Safe if the run
                    // dies before the file ends: the manifest does not list the file yet, so
                    // the next run reads it again, and its first step deletes every article
                    // the file gave (those committed here included) before adding them anew.
                    if fatal.is_none() && self.since_commit >= self.commit_every {
                        match self.commit() {
                            Ok(n) => observer.committed(n),
                            Err(e) => fatal = Some(e),
                        }
                    }
                }
                Event::Warning(e) => {
                    if e.is_not_an_article() {
                        self.report.not_articles += 1;
                    } else {
                        self.report.warnings += 1;
                        troubled = true;
                    }
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
                    // Articles the file gave before and no longer gives are removed.
                    let kept = self.report.updated - updated_before;
                    self.report.removed += self.manifest.articles_of(&key).saturating_sub(kept);
                    if format.is_none() {
                        self.report.files_skipped += 1;
                    }
                    if format.is_none() && troubled {
                        // Not recorded: a file that could not be read is tried again next time.
                        self.pending.push((std::mem::take(&mut key), None));
                    } else if let Ok(state) = FileState::of(path, articles as u64) {
                        // Read, or plainly not an article (a DTD, a section front): recorded,
                        // so that an unchanged one is not read (nor reported) again.
                        self.pending.push((std::mem::take(&mut key), Some(state)));
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
        // A run that changed nothing makes no commit: a new commit would make the entity
        // dictionary be rebuilt for it, for nothing.
        let total = if self.since_commit > 0 || !self.pending.is_empty() || self.touched {
            self.commit()?
        } else {
            self.searcher.num_docs()
        };
        observer.committed(total);
        self.report.elapsed += started.elapsed();
        self.report.total_in_index = total;
        Ok(self.report.clone())
    }

    /// The cluster of the most similar near-duplicate of `fp` already added, if any.
    fn copy_of(&self, fp: &Fingerprint, bands: &[u64]) -> Option<u64> {
        let mut best: Option<(f64, u64)> = None;
        let mut consider = |other: &Fingerprint, cluster: u64| {
            if other.is_near_duplicate(fp) {
                let similarity = other.similarity(fp);
                if best.is_none_or(|(s, _)| similarity > s) {
                    best = Some((similarity, cluster));
                }
            }
        };
        // The window's members sharing most band keys (a template shared by thousands of
        // articles must not make this quadratic).
        for seq in self
            .recent
            .candidates(bands)
            .into_iter()
            .take(MAX_CANDIDATES)
        {
            if let Some((cluster, other)) = self.recent.get(seq) {
                consider(other, *cluster);
            }
        }
        best.map(|(_, cluster)| cluster)
    }

    /// Which of `files` must be read; reports the others as unchanged. Also returns every
    /// file's absolute path, to find the indexed files that are gone.
    fn plan(
        &mut self,
        files: &[PathBuf],
        observer: &mut dyn Observer,
    ) -> (Vec<PathBuf>, HashSet<String>) {
        let mut to_read = Vec::new();
        let mut seen = HashSet::with_capacity(files.len());
        let (mut unchanged, mut unchanged_bytes) = (0, 0);
        for file in files {
            let key = crate::ingest::display_path(file);
            let change = match std::fs::metadata(file) {
                Ok(meta) => {
                    let change = self.manifest.change(&key, &meta);
                    if change == Change::Touched {
                        self.manifest.touch(&key, &meta);
                        self.touched = true;
                    }
                    if change != Change::Read {
                        unchanged_bytes += meta.len();
                    }
                    change
                }
                Err(_) => Change::Read,
            };
            if change == Change::Read {
                to_read.push(file.clone());
            } else {
                unchanged += 1;
            }
            seen.insert(key);
        }
        self.report.files_unchanged += unchanged;
        if unchanged > 0 {
            observer.unchanged(unchanged, unchanged_bytes);
        }
        (to_read, seen)
    }

    /// Remove the articles of indexed files under `roots` that are no longer there.
    fn remove_missing(&mut self, roots: &[PathBuf], seen: &HashSet<String>) {
        for root in roots {
            if !root.exists() {
                // A root that is gone altogether is more likely a typo than a deletion.
                continue;
            }
            let root = manifest::absolute_root(root);
            for gone in self.manifest.missing_under(&root, seen) {
                let term = Term::from_field_text(self.archive.fields.source, &gone);
                let held = self.manifest.articles_of(&gone);
                self.writer.delete_term(term);
                self.report.files_removed += 1;
                self.report.removed += held;
                self.since_commit += 1;
                self.pending.push((gone, None));
            }
        }
    }

    /// Make everything added so far durable; returns the number of articles in the index.
    pub fn commit(&mut self) -> Result<u64> {
        self.writer.commit()?;
        // Only now is the manifest allowed to say these files are indexed (or gone).
        if !self.pending.is_empty() || self.touched {
            for (path, state) in self.pending.drain(..) {
                match state {
                    Some(state) => self.manifest.set(path, state),
                    None => {
                        self.manifest.remove(&path);
                    }
                }
            }
            self.manifest.save(&self.archive.dir)?;
            self.touched = false;
        }
        self.since_commit = 0;
        self.last_commit = Instant::now();
        self.archive.reader.reload()?;
        // What was committed is now "already indexed" for later runs of this indexer, and
        // the index itself answers near-duplicate lookups for it.
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
        self.archive.store_dictionary()?;
        let report = self.report.clone();
        self.writer.wait_merging_threads()?;
        Ok(report)
    }
}
