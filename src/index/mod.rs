//! The archive: a tantivy index directory plus newsdex's own metadata file.
//!
//! [`Archive`] opens or creates the index, hands out an [`Indexer`] (the single writer; a
//! second one gets [`Error::Locked`]) and answers searches, lookups and statistics.

pub(crate) mod dictionary;
mod manifest;
pub(crate) mod schema;
mod stats;
mod stem;
mod writer;

pub use dictionary::{Dictionary, DictionaryEntry, NameCount, Resolved};
pub use stats::{Count, Stats};
pub use writer::{IndexReport, Indexer, Observer, DEFAULT_DEDUP_WINDOW};

use crate::article::{Article, ArticleId};
use crate::error::{Error, Result};
use crate::pipeline::ReadOptions;
use schema::Fields;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, ReloadPolicy, Term};

/// Environment variable naming the index directory when `--index` is not given.
pub const INDEX_ENV: &str = "NEWSDEX_INDEX";
/// Index directory used when neither `--index` nor `NEWSDEX_INDEX` is given.
pub const DEFAULT_INDEX_DIR: &str = "newsdex-index";
/// Name of newsdex's own metadata file inside the index directory.
const META_FILE: &str = "newsdex.json";

/// A searchable news archive (one index directory).
pub struct Archive {
    dir: PathBuf,
    pub(crate) index: Index,
    pub(crate) fields: Fields,
    pub(crate) reader: IndexReader,
    options: ArchiveOptions,
    /// The entity dictionary of the last commit seen, loaded on first use.
    dictionary: Mutex<Option<Arc<Dictionary>>>,
}

impl std::fmt::Debug for Archive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Archive")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// Settings of an [`Archive`].
#[derive(Debug, Clone)]
struct ArchiveOptions {
    memory_mb: usize,
    threads: usize,
    commit_every: usize,
    commit_interval: std::time::Duration,
    dedup_window: usize,
    read: ReadOptions,
}

/// Builder for opening or creating an [`Archive`].
///
/// ```no_run
/// # fn main() -> newsdex::Result<()> {
/// let archive = newsdex::Archive::builder("newsdex-index").memory_mb(256).threads(2).open_or_create()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct ArchiveBuilder {
    dir: PathBuf,
    options: ArchiveOptions,
}

impl ArchiveBuilder {
    /// Memory budget of the index writer in MiB (default 256, at least 16 per thread).
    pub fn memory_mb(mut self, mb: usize) -> Self {
        self.options.memory_mb = mb;
        self
    }

    /// Indexing threads (default: the number of cores, at most 8).
    pub fn threads(mut self, threads: usize) -> Self {
        self.options.threads = threads.max(1);
        self
    }

    /// Commit after this many articles (default 50,000), so an interrupted run keeps them.
    pub fn commit_every(mut self, articles: usize) -> Self {
        self.options.commit_every = articles.max(1);
        self
    }

    /// Commit at least this often (default 60 s).
    pub fn commit_interval(mut self, interval: std::time::Duration) -> Self {
        self.options.commit_interval = interval;
        self
    }

    /// Articles of the current run kept in memory to find copies among them (default
    /// 100,000, about 0.7 KB each, plus a fixed 32 MiB table): a copy further behind in the
    /// run than this is indexed as a story of its own. Copies of articles indexed by earlier
    /// runs are found in the index, whatever the window.
    pub fn dedup_window(mut self, articles: usize) -> Self {
        self.options.dedup_window = articles.max(1);
        self
    }

    /// Largest input file accepted after decompression (default 1 GiB). JSON Lines and WARC
    /// files, read record by record, are capped per record instead (at most 64 MiB).
    pub fn max_file_bytes(mut self, bytes: u64) -> Self {
        self.options.read.max_file_bytes = bytes;
        self
    }

    /// Longest article body kept, in bytes (default 8 MiB); longer ones are cut, with a
    /// warning.
    pub fn max_article_bytes(mut self, bytes: usize) -> Self {
        self.options.read.max_article_bytes = bytes.max(1024);
        self
    }

    /// Open an existing archive; [`Error::NoIndex`] when there is none.
    pub fn open(self) -> Result<Archive> {
        if !self.dir.join("meta.json").is_file() {
            return Err(Error::NoIndex { path: self.dir });
        }
        let dir = MmapDirectory::open(&self.dir)?;
        let index = Index::open(dir)?;
        Archive::from_index(self.dir, index, self.options)
    }

    /// Open the archive, creating an empty one if the directory holds none.
    pub fn open_or_create(self) -> Result<Archive> {
        if self.dir.join("meta.json").is_file() {
            return self.open();
        }
        std::fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        let dir = MmapDirectory::open(&self.dir)?;
        let index = Index::create(dir, schema::build(), tantivy::IndexSettings::default())?;
        let meta = serde_json::json!({
            "created_by": concat!("newsdex ", env!("CARGO_PKG_VERSION")),
            "schema_version": schema::SCHEMA_VERSION,
            "text_analyzer": schema::TEXT_ANALYZER,
            "name_analyzer": schema::NAME_ANALYZER,
        });
        std::fs::write(self.dir.join(META_FILE), format!("{meta:#}\n"))
            .map_err(|e| Error::io(&self.dir, e))?;
        Archive::from_index(self.dir, index, self.options)
    }

    /// Delete any index in the directory and create a new, empty one.
    ///
    /// Refuses ([`Error::Locked`]) while another process is writing to it.
    pub fn rebuild(self) -> Result<Archive> {
        if self.dir.join("meta.json").is_file() {
            // Take the writer lock first, so a running indexer is not pulled from under
            // (opened as a plain tantivy index: an older newsdex schema is rebuilt too).
            let index = Index::open(MmapDirectory::open(&self.dir)?)?;
            match index.writer_with_num_threads::<tantivy::TantivyDocument>(1, 15_000_000) {
                Ok(lock) => drop(lock),
                Err(tantivy::TantivyError::LockFailure(..)) => {
                    return Err(Error::Locked {
                        path: self.dir.clone(),
                    })
                }
                Err(e) => return Err(e.into()),
            }
            drop(index);
            for entry in std::fs::read_dir(&self.dir).map_err(|e| Error::io(&self.dir, e))? {
                let entry = entry.map_err(|e| Error::io(&self.dir, e))?;
                let path = entry.path();
                let removed = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
                removed.map_err(|e| Error::io(&path, e))?;
            }
        }
        self.open_or_create()
    }
}

impl Archive {
    /// A builder for the archive in `dir`.
    pub fn builder(dir: impl Into<PathBuf>) -> ArchiveBuilder {
        let threads = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .min(8);
        ArchiveBuilder {
            dir: dir.into(),
            options: ArchiveOptions {
                memory_mb: 256,
                threads,
                commit_every: 50_000,
                commit_interval: std::time::Duration::from_secs(60),
                dedup_window: writer::DEFAULT_DEDUP_WINDOW,
                read: ReadOptions::default(),
            },
        }
    }

    /// Open the existing archive in `dir` with default settings.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Archive> {
        Archive::builder(dir).open()
    }

    /// Open the archive in `dir`, creating it if needed, with default settings.
    pub fn open_or_create(dir: impl Into<PathBuf>) -> Result<Archive> {
        Archive::builder(dir).open_or_create()
    }

    fn from_index(dir: PathBuf, index: Index, options: ArchiveOptions) -> Result<Archive> {
        let fields =
            Fields::from_schema(&index.schema()).map_err(|field| Error::IncompatibleIndex {
                path: dir.clone(),
                field,
            })?;
        schema::register_analyzers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Archive {
            dir,
            index,
            fields,
            reader,
            options,
            dictionary: Mutex::new(None),
        })
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Start writing: takes the index's writer lock until the [`Indexer`] is dropped.
    ///
    /// Fails with [`Error::Locked`] when another process (or another `Indexer`) holds it.
    pub fn indexer(&self) -> Result<Indexer<'_>> {
        let writer = self.lock_writer(self.options.threads, self.options.memory_mb)?;
        Ok(Indexer::new(
            self,
            writer,
            self.options.commit_every,
            self.options.commit_interval,
            self.options.read.clone(),
            self.options.dedup_window,
        ))
    }

    fn lock_writer(&self, threads: usize, memory_mb: usize) -> Result<tantivy::IndexWriter> {
        let threads = threads.max(1);
        let budget = memory_mb.max(16 * threads) * 1024 * 1024;
        match self.index.writer_with_num_threads(threads, budget) {
            Ok(w) => Ok(w),
            Err(tantivy::TantivyError::LockFailure(..)) => Err(Error::Locked {
                path: self.dir.clone(),
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// See the latest commit (searches see the state of the last reload).
    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        Ok(())
    }

    /// The entity dictionary of the archive's last commit: every entity with its aliases and
    /// article count (see [`Dictionary`]). Read from the index directory, or built from the
    /// index when the stored one is missing or describes another commit.
    pub fn dictionary(&self) -> Result<Arc<Dictionary>> {
        let opstamp = self.index.load_metas()?.opstamp;
        let mut cached = self
            .dictionary
            .lock()
            .map_err(|_| Error::InvalidRequest("entity dictionary lock poisoned"))?;
        if let Some(d) = cached.as_ref().filter(|d| d.opstamp() == opstamp) {
            return Ok(Arc::clone(d));
        }
        let d = match Dictionary::load(&self.dir, opstamp) {
            Some(d) => d,
            None => {
                self.reader.reload()?;
                Dictionary::build(&self.reader.searcher(), opstamp)?
            }
        };
        let d = Arc::new(d);
        *cached = Some(Arc::clone(&d));
        Ok(d)
    }

    /// Build the dictionary of the last commit and store it in the index directory, unless
    /// the stored one is already up to date (only the writer calls this).
    pub(crate) fn store_dictionary(&self) -> Result<Arc<Dictionary>> {
        let opstamp = self.index.load_metas()?.opstamp;
        if let Some(d) = Dictionary::load(&self.dir, opstamp) {
            return Ok(Arc::new(d));
        }
        self.reader.reload()?;
        let d = Dictionary::build(&self.reader.searcher(), opstamp)?;
        d.save(&self.dir)?;
        let d = Arc::new(d);
        if let Ok(mut cached) = self.dictionary.lock() {
            *cached = Some(Arc::clone(&d));
        }
        Ok(d)
    }

    /// The article with this id.
    pub fn get(&self, id: &ArticleId) -> Result<Article> {
        self.reload()?;
        Ok(self.find(&self.reader.searcher(), id)?.0)
    }

    /// The article with this id and its address in `searcher`.
    pub(crate) fn find(
        &self,
        searcher: &tantivy::Searcher,
        id: &ArticleId,
    ) -> Result<(Article, tantivy::DocAddress)> {
        let term = Term::from_field_text(self.fields.id, id.as_str());
        let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
        let top = searcher.search(
            &query,
            &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
        )?;
        let Some((_, address)) = top.first() else {
            return Err(Error::NotFound(id.to_string()));
        };
        Ok((self.load(searcher, *address)?, *address))
    }

    /// Number of articles in the index (as of the last reload).
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds no article.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(crate) fn load(
        &self,
        searcher: &tantivy::Searcher,
        address: tantivy::DocAddress,
    ) -> Result<Article> {
        use tantivy::schema::Value;
        let doc: tantivy::TantivyDocument = searcher.doc(address)?;
        let json = doc
            .get_first(self.fields.article)
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        serde_json::from_str(json).map_err(Error::Corrupt)
    }
}
