//! Finding input files: walk folders, skip hidden and VCS folders and index folders.

use crate::error::Error;
use std::path::{Path, PathBuf};

/// Every file under `paths` (a file given directly is taken as is, even if hidden).
///
/// Hidden entries (`.git`, `.svn`, `.DS_Store`, ...), folders holding a tantivy index, and
/// the documentation files that travel with corpora (`README*`, `LICENSE*`, `PROVENANCE*`,
/// `CHANGELOG*`, checksum lists) are skipped; symlinks are followed, and symlink loops are reported, not followed. The files
/// of each folder come in name order, so runs are reproducible.
pub fn walk(paths: &[PathBuf], on_error: &mut dyn FnMut(Error)) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for root in paths {
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !(is_hidden(e.path()) || is_index_dir(e)));
        for entry in walker {
            match entry {
                Ok(e)
                    if e.file_type().is_file() && (e.depth() == 0 || !is_corpus_doc(e.path())) =>
                {
                    files.push(e.into_path())
                }
                Ok(_) => {}
                Err(err) => on_error(walk_error(root, err)),
            }
        }
    }
    files
}

/// The name of `file` relative to the root it was found under, with that root's own name in
/// front (`sample_corpus/text/a.txt` for `sample_corpus/text/a.txt` found under `./sample_corpus`
/// or `/data/sample_corpus`); a file given directly, or under no root, is its file name.
/// Separators are `/` on every platform.
pub fn locator(roots: &[PathBuf], file: &Path) -> String {
    let name = |p: &Path| {
        std::fs::canonicalize(p)
            .ok()
            .and_then(|c| c.file_name().map(|n| n.to_string_lossy().into_owned()))
            .or_else(|| p.file_name().map(|n| n.to_string_lossy().into_owned()))
    };
    for root in roots {
        if let Ok(rel) = file.strip_prefix(root) {
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if rel.is_empty() {
                break; // the file itself was given
            }
            return match name(root) {
                Some(root) => format!("{root}/{}", rel.join("/")),
                None => rel.join("/"),
            };
        }
    }
    name(file).unwrap_or_else(|| file.to_string_lossy().into_owned())
}

fn walk_error(root: &Path, err: walkdir::Error) -> Error {
    let path = err.path().unwrap_or(root).to_path_buf();
    Error::Walk { path, source: err }
}

/// Documentation that ships with a corpus, not articles.
fn is_corpus_doc(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(is_corpus_doc_name)
}

/// Whether a file name is one of a corpus's documentation files (README, LICENSE, ...).
pub(crate) fn is_corpus_doc_name(name: &str) -> bool {
    const DOCS: [&str; 10] = [
        "readme",
        "license",
        "licence",
        "copying",
        "changelog",
        "provenance",
        "notice",
        "md5sums",
        "sha1sums",
        "sha256sums",
    ];
    let name = name.to_ascii_lowercase();
    DOCS.iter().any(|d| name.starts_with(d))
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

/// A folder that holds a tantivy index (ours or another), never input.
fn is_index_dir(entry: &walkdir::DirEntry) -> bool {
    entry.file_type().is_dir()
        && entry.path().join("meta.json").is_file()
        && entry.path().join(".managed.json").is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locators_are_relative_to_the_root_given() {
        let dir = std::env::temp_dir().join(format!("newsdex-locator-{}", std::process::id()));
        let root = dir.join("corpus");
        std::fs::create_dir_all(root.join("text")).unwrap();
        let file = root.join("text").join("a.txt");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(
            locator(std::slice::from_ref(&root), &file),
            "corpus/text/a.txt"
        );
        assert_eq!(locator(std::slice::from_ref(&file), &file), "a.txt");
        assert_eq!(locator(&[], &file), "a.txt");
        let dotted = root.join(".");
        assert_eq!(
            locator(
                std::slice::from_ref(&dotted),
                &dotted.join("text").join("a.txt")
            ),
            "corpus/text/a.txt"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
