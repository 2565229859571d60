//! Embedding newsdex in another program: index a folder, add an article built in code,
//! search with a typed request, and read typed results; then a timeline drawn as a chart,
//! the people a topic names, and more like one article.
//!
//! ```text
//! cargo run --example embed -- sample_corpus /tmp/embed-index
//! ```

use newsdex::chart::{Bar, BarChart};
use newsdex::{
    Archive, Article, ArticleId, EntityKind, Format, Mode, Period, SearchRequest, Sort, SourceRef,
};
use std::path::{Path, PathBuf};

/// What the example found, so tests can check it.
pub struct Summary {
    /// Articles in the index.
    pub articles: u64,
    /// Titles of the top hits for the entity query.
    pub titles: Vec<String>,
    /// The first snippet of the first hit, with its highlights marked.
    pub snippet: String,
    /// `(year, articles)` of the question's matches.
    pub years: Vec<(String, u64)>,
    /// The people the question's matches name most, with their article counts.
    pub people: Vec<(String, u64)>,
    /// Titles of articles like the top hit of the question.
    pub similar: Vec<String>,
    /// The timeline as an SVG chart.
    pub chart_svg: String,
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

    // A question is read as natural language: any word may match.
    let question = SearchRequest::new("why are farmers around valencia worried about water?")
        .mode(Mode::Auto)
        .from("2017")
        .limit(1);
    let timeline = archive.timeline(&question, Period::Year)?;
    let people = archive.entities(&question, Some(EntityKind::Person), 3, 0)?;
    let similar = match archive.search(&question)?.hits.first() {
        Some(top) => archive.similar(&top.article.id, &SearchRequest::new("").limit(3))?,
        None => archive.search(&SearchRequest::new("").limit(0))?,
    };
    let chart = BarChart {
        title: "Farmers and water, per year".into(),
        subtitle: None,
        y_label: "articles".into(),
        bars: timeline
            .buckets
            .iter()
            .map(|b| Bar {
                label: b.period.clone(),
                value: b.count,
            })
            .collect(),
    };

    Ok(Summary {
        years: timeline
            .buckets
            .iter()
            .map(|b| (b.period.clone(), b.count))
            .collect(),
        people: people
            .entities
            .iter()
            .map(|e| (e.name.clone(), e.count))
            .collect(),
        similar: similar
            .hits
            .iter()
            .map(|h| h.article.title.clone())
            .collect(),
        chart_svg: chart.to_svg(),
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
            let years: Vec<String> = s.years.iter().map(|(y, n)| format!("{y}: {n}")).collect();
            println!("farmers and water per year: {}", years.join(", "));
            for (name, n) in &s.people {
                println!("  named in {n}: {name}");
            }
            for t in &s.similar {
                println!("  similar: {t}");
            }
            println!("chart: {} bytes of SVG", s.chart_svg.len());
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
