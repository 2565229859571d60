//! `Stats`: what an archive holds — counts, date range, formats, languages, top entities.

use super::Archive;
use crate::article::{EntityKind, Format};
use crate::error::Result;
use serde::Serialize;
use std::collections::BTreeMap;
use tantivy::collector::{Count as CountCollector, FacetCollector};
use tantivy::query::AllQuery;

/// A name and how many articles have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// The name (entity, format, language...).
    pub name: String,
    /// Number of articles.
    pub count: u64,
}

/// What an archive holds.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Articles in the index.
    pub articles: u64,
    /// Articles with a date.
    pub dated: u64,
    /// Distinct stories: articles that are not near-duplicate copies of another one.
    pub stories: u64,
    /// Earliest date (RFC 3339), if any article is dated.
    pub earliest: Option<String>,
    /// Latest date (RFC 3339).
    pub latest: Option<String>,
    /// Articles per input format.
    pub formats: Vec<Count>,
    /// Articles per language.
    pub languages: Vec<Count>,
    /// Most frequent entities of each kind (by number of articles).
    pub top_entities: BTreeMap<EntityKind, Vec<Count>>,
    /// Segments of the tantivy index.
    pub segments: usize,
    /// Size of the index directory in bytes.
    pub index_bytes: u64,
}

impl Archive {
    /// Statistics of the archive, with the `top` most frequent entities of each kind.
    pub fn stats(&self, top: usize) -> Result<Stats> {
        self.reload()?;
        let searcher = self.reader.searcher();
        let f = &self.fields;
        let articles = searcher.num_docs();

        let mut facets = FacetCollector::for_field("entity");
        for kind in EntityKind::ALL {
            facets.add_facet(format!("/{}", kind.as_str()).as_str());
        }
        let facet_counts = searcher.search(&AllQuery, &facets)?;
        let mut top_entities = BTreeMap::new();
        for kind in EntityKind::ALL {
            let root = format!("/{}", kind.as_str());
            let list: Vec<Count> = facet_counts
                .top_k(root.as_str(), top)
                .into_iter()
                .map(|(facet, count)| Count {
                    name: facet
                        .to_path()
                        .last()
                        .map(|s| s.replace('∕', "/"))
                        .unwrap_or_default(),
                    count,
                })
                .collect();
            if !list.is_empty() {
                top_entities.insert(kind, list);
            }
        }

        let exact_counts = |field: tantivy::schema::Field, values: &[&str]| -> Result<Vec<Count>> {
            let mut out = Vec::new();
            for v in values {
                let term = tantivy::Term::from_field_text(field, v);
                let q =
                    tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
                let count = searcher.search(&q, &CountCollector)? as u64;
                if count > 0 {
                    out.push(Count {
                        name: v.to_string(),
                        count,
                    });
                }
            }
            out.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
            Ok(out)
        };
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
        let formats = exact_counts(f.format, &names)?;
        // Languages: every term of the language field.
        let mut language_names = Vec::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(f.language)?;
            let mut terms = inverted
                .terms()
                .stream()
                .map_err(|e| crate::Error::Engine(e.into()))?;
            while terms.advance() {
                let name = String::from_utf8_lossy(terms.key()).into_owned();
                if !language_names.contains(&name) {
                    language_names.push(name);
                }
            }
        }
        let language_refs: Vec<&str> = language_names.iter().map(String::as_str).collect();
        let languages = exact_counts(f.language, &language_refs)?;

        let (mut earliest, mut latest, mut dated) = (i64::MAX, i64::MIN, 0u64);
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().i64("date")?;
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| a.is_deleted(doc)) {
                    continue;
                }
                if let Some(ts) = column.first(doc) {
                    dated += 1;
                    earliest = earliest.min(ts);
                    latest = latest.max(ts);
                }
            }
        }
        let show = |ts: i64| {
            chrono::DateTime::from_timestamp(ts, 0)
                .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        };
        let index_bytes = std::fs::read_dir(self.dir())
            .map(|rd| {
                rd.filter_map(|e| e.ok()?.metadata().ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0);
        // Distinct story clusters of the live articles.
        let mut clusters = std::collections::HashSet::new();
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().u64("cluster")?;
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    if let Some(c) = column.first(doc) {
                        clusters.insert(c);
                    }
                }
            }
        }
        Ok(Stats {
            articles,
            dated,
            stories: clusters.len() as u64,
            earliest: (dated > 0).then(|| show(earliest)).flatten(),
            latest: (dated > 0).then(|| show(latest)).flatten(),
            formats,
            languages,
            top_entities,
            segments: searcher.segment_readers().len(),
            index_bytes,
        })
    }
}
