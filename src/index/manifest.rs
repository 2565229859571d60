//! The file manifest: which input files the index holds, and in which state (size, modified
//! time, content hash), so that a later run re-reads only what changed and removes the
//! articles of files that are gone.
//!
//! It is written (atomically: temporary file, then rename) only after a commit, and lists
//! only files whose every article that commit made durable. A run killed at any moment
//! therefore leaves a manifest that never claims more than the index holds; files missing
//! from it are simply read again, and re-reading a file replaces its articles.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Name of the manifest inside the index directory.
pub(crate) const MANIFEST_FILE: &str = "newsdex-files.json";

/// What the index knows about one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileState {
    /// Size on disk in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch (0 when unknown).
    pub mtime_ns: i128,
    /// XXH3-64 of the file's bytes, hex.
    pub hash: String,
    /// Articles the file gave.
    pub articles: u64,
    /// The [`crate::normalise::VERSION`] the articles were made with (0: before versions
    /// were recorded). A file read by another version is read again.
    #[serde(default)]
    pub normaliser: u32,
}

impl FileState {
    /// The state of `path` on disk now, hashing its content.
    pub fn of(path: &Path, articles: u64) -> Result<FileState> {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        Ok(FileState {
            size: meta.len(),
            mtime_ns: mtime_ns(&meta),
            hash: content_hash(path)?,
            articles,
            normaliser: crate::normalise::VERSION,
        })
    }
}

/// Modification time of a file in nanoseconds since the epoch (0 when unknown).
pub(crate) fn mtime_ns(meta: &std::fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

/// XXH3-64 of a file's bytes, read in a stream.
pub(crate) fn content_hash(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(format!("{:016x}", hasher.digest()))
}

/// The files of an index, by absolute path.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Manifest {
    version: u32,
    files: BTreeMap<String, FileState>,
}

/// What a run should do with one file found on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    /// Same size and time as indexed, or same content: nothing to do.
    Unchanged,
    /// Only the time changed; the content is the same (the manifest is updated).
    Touched,
    /// New or changed: read it.
    Read,
}

impl Manifest {
    /// The manifest of the index in `dir` (empty when there is none, or it is unreadable:
    /// then every file is read again, which is always correct).
    pub fn load(dir: &Path) -> Manifest {
        std::fs::read(dir.join(MANIFEST_FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Manifest>(&bytes).ok())
            .filter(|m| m.version == 1)
            .unwrap_or_else(|| Manifest {
                version: 1,
                files: BTreeMap::new(),
            })
    }

    /// Write it next to the index, atomically.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(MANIFEST_FILE);
        let tmp = dir.join(format!("{MANIFEST_FILE}.tmp"));
        let bytes = serde_json::to_vec(self).map_err(|e| Error::io(&path, e.into()))?;
        std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
    }

    /// Whether `path` (absolute, as stored in articles) must be read.
    pub fn change(&self, path: &str, on_disk: &std::fs::Metadata) -> Change {
        let Some(known) = self.files.get(path) else {
            return Change::Read;
        };
        // Read by another version of the normaliser: its articles may differ now.
        if known.normaliser != crate::normalise::VERSION || known.size != on_disk.len() {
            return Change::Read;
        }
        if known.mtime_ns == mtime_ns(on_disk) && known.mtime_ns != 0 {
            return Change::Unchanged;
        }
        match content_hash(Path::new(path)) {
            Ok(hash) if hash == known.hash => Change::Touched,
            _ => Change::Read,
        }
    }

    /// Record a file's state.
    pub fn set(&mut self, path: String, state: FileState) {
        self.files.insert(path, state);
    }

    /// How many articles a known file gave (0 when unknown).
    pub fn articles_of(&self, path: &str) -> u64 {
        self.files.get(path).map_or(0, |f| f.articles)
    }

    /// Forget a file; returns what it held.
    pub fn remove(&mut self, path: &str) -> Option<FileState> {
        self.files.remove(path)
    }

    /// The known files under `root` (a file or a folder, absolute) that are not in `seen`.
    pub fn missing_under(
        &self,
        root: &Path,
        seen: &std::collections::HashSet<String>,
    ) -> Vec<String> {
        self.files
            .keys()
            .filter(|p| Path::new(p).starts_with(root) && !seen.contains(*p))
            .cloned()
            .collect()
    }

    /// Refresh the modification time of an unchanged file.
    pub fn touch(&mut self, path: &str, on_disk: &std::fs::Metadata) {
        if let Some(state) = self.files.get_mut(path) {
            state.mtime_ns = mtime_ns(on_disk);
        }
    }
}

/// The absolute form of a root given on the command line, as paths are stored.
pub(crate) fn absolute_root(root: &Path) -> PathBuf {
    std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_by_size_time_and_content() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "one").unwrap();
        let key = file.to_string_lossy().into_owned();
        let mut m = Manifest::load(dir.path());
        let meta = std::fs::metadata(&file).unwrap();
        assert_eq!(m.change(&key, &meta), Change::Read);
        m.set(key.clone(), FileState::of(&file, 1).unwrap());
        assert_eq!(m.change(&key, &meta), Change::Unchanged);
        m.save(dir.path()).unwrap();
        let mut m = Manifest::load(dir.path());
        assert_eq!(m.change(&key, &meta), Change::Unchanged);
        // Same size, other content: read. Same content, other time: touched.
        let mut changed = m.files[&key].clone();
        changed.mtime_ns -= 1;
        let mut m2 = Manifest::default();
        m2.set(key.clone(), changed.clone());
        assert_eq!(m2.change(&key, &meta), Change::Touched);
        changed.hash = "0".into();
        m2.set(key.clone(), changed);
        assert_eq!(m2.change(&key, &meta), Change::Read);
        let seen = std::collections::HashSet::new();
        assert_eq!(m.missing_under(dir.path(), &seen), vec![key.clone()]);
        // The same file, made into articles by another normaliser version: read again.
        assert_eq!(m.change(&key, &meta), Change::Unchanged);
        let mut older = m.files[&key].clone();
        older.normaliser = crate::normalise::VERSION - 1;
        m.set(key.clone(), older);
        assert_eq!(m.change(&key, &meta), Change::Read);
        // A manifest written before versions were recorded reads as version 0.
        let old: FileState =
            serde_json::from_str(r#"{"size":3,"mtime_ns":1,"hash":"ab","articles":1}"#).unwrap();
        assert_eq!(old.normaliser, 0);
    }
}
