//! Retrieval evaluation: scoring newsdex's rankings against relevance judgments.
//!
//! [`ranking`] reads TREC qrels and query files, scores ranked lists with trec_eval's
//! definitions (MAP, nDCG@10, P@10, recall@100, MRR) and writes TREC run files.

pub mod ner;
pub mod ranking;

use crate::error::Result;
use crate::index::Archive;
use crate::search::SearchRequest;
use ranking::Ranking;

/// Queries that could not be run, with why (id, error).
pub type Failures = Vec<(String, crate::Error)>;

/// Run `queries` (`(id, text)`) against `archive` with the settings of `base` (filters,
/// mode; its query text, paging and snippets are replaced) and return each query's top
/// `depth` article ids, every copy of a story listed (relevance is judged per document).
///
/// A query that does not parse gives an empty ranking rather than stopping the run; its
/// error is returned beside the rankings.
pub fn run_queries(
    archive: &Archive,
    queries: &[(String, String)],
    base: &SearchRequest,
    depth: usize,
) -> Result<(Vec<Ranking>, Failures)> {
    let mut rankings = Vec::with_capacity(queries.len());
    let mut failed = Vec::new();
    for (qid, text) in queries {
        let request = base
            .with_query(text)
            .limit(depth)
            .offset(0)
            .fragments(0)
            .facets(0)
            .all_copies(true);
        let docs = match archive.search(&request) {
            Ok(results) => results
                .hits
                .into_iter()
                .map(|h| (h.article.id.to_string(), h.score))
                .collect(),
            Err(e @ (crate::Error::Query(_) | crate::Error::InvalidRequest(_))) => {
                failed.push((qid.clone(), e));
                Vec::new()
            }
            Err(e) => return Err(e),
        };
        rankings.push(Ranking {
            qid: qid.clone(),
            docs,
        });
    }
    Ok((rankings, failed))
}
