//! Embedding newsdex in another program: index a folder, add an article built in code,
//! search with a typed request, and read typed results.
//!
//! ```text
//! cargo run --example embed -- sample_corpus /tmp/embed-index
//! ```

use newsdex::{Archive, Article, ArticleId, Format, SearchRequest, Sort, SourceRef};
use std::path::{Path, PathBuf};

/// What the example found, so tests can check it.
pub struct Summary {
    /// Articles in the index.
    pub articles: u64,
    /// Titles of the top hits for the entity query.
    pub titles: Vec<String>,
    /// The first snippet of the first hit, with its highlights marked.
    pub snippet: String,
}

pub fn run(corpus: &Path, index_dir: &Path) -> newsdex::Result<Summary> {
    let archive = Archive::builder(index_dir)
        .memory_mb(64)
        .threads(1)
        .open_or_create()?;
    {
        let mut indexer = archive.indexer()?;
        indexer.index_paths(&[corpus.to_path_buf()], &mut ())?;
        // Articles can also come from the embedding program itself.
        indexer.add(&Article {
            id: ArticleId("embed-1".into()),
            title: "Harbour board approves night shipping".into(),
            body: "The harbour board of Port Halden approved night shipping on Tuesday.".into(),
            date: None,
            authors: vec![],
            publisher: Some("Embedded Example".into()),
            url: None,
            language: Some("en".into()),
            topics: vec![],
            entities: vec![],
            source: SourceRef::new("embed.rs", Format::Api),
        })?;
        indexer.finish()?;
    }
    archive.reload()?;

    let request = SearchRequest::new("person:Okafor")
        .sort(Sort::Newest)
        .limit(3);
    let results = archive.search(&request)?;
    let snippet = results
        .hits
        .first()
        .and_then(|hit| hit.fragments.first().map(|f| (hit, f)))
        .map(|(hit, f)| {
            let body: Vec<char> = hit.article.body.chars().collect();
            let mut out = String::new();
            let mut pos = f.start;
            for h in &f.highlights {
                out.extend(&body[pos..h.start]);
                out.push('[');
                out.extend(&body[h.start..h.end]);
                out.push(']');
                pos = h.end;
            }
            out.extend(&body[pos..f.end]);
            out
        })
        .unwrap_or_default();
    Ok(Summary {
        articles: archive.len(),
        titles: results
            .hits
            .iter()
            .map(|h| h.article.title.clone())
            .collect(),
        snippet,
    })
}

#[allow(dead_code)] // `main` is unused when tests include this file as a module
fn main() {
    let mut args = std::env::args().skip(1);
    let corpus = PathBuf::from(args.next().unwrap_or_else(|| "sample_corpus".into()));
    let index = PathBuf::from(args.next().unwrap_or_else(|| "embed-index".into()));
    match run(&corpus, &index) {
        Ok(s) => {
            println!("{} articles indexed", s.articles);
            for t in &s.titles {
                println!("- {t}");
            }
            println!("{}", s.snippet);
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
