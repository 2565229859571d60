//! More like this: the articles most like a given one, its near-duplicate copies left out.
//!
//! The article's words are weighed by tf·idf against the archive (title words count
//! double); the 30 heaviest that occur in at least two articles and in no more than a
//! tenth of them become an OR query, each term boosted by its weight, and the article's
//! people, organisations and places are added as entity conditions. The article and every
//! article of its story cluster are excluded.

use super::{cluster_of, Compiled, Compiler, Highlighter, SearchRequest, SearchResults};
use crate::article::{Article, ArticleId, EntityKind};
use crate::error::{Error, Result};
use crate::index::Archive;
use std::collections::HashMap;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query as TQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

/// Terms of the article kept for the query.
const MAX_TERMS: usize = 30;
/// Entities of the article kept for the query.
const MAX_ENTITIES: usize = 8;
/// A term in more than this share of the archive's articles says nothing about a story.
const MAX_DOC_SHARE: f64 = 0.1;

impl Archive {
    /// The articles most like the article `id` (its near-duplicate copies and itself left
    /// out), with the request's filters, paging and snippets; its query text is ignored.
    ///
    /// ```no_run
    /// # fn main() -> newsdex::Result<()> {
    /// let archive = newsdex::Archive::open("newsdex-index")?;
    /// let id = newsdex::ArticleId("cw-0004".into());
    /// for hit in archive.similar(&id, &newsdex::SearchRequest::new("").limit(5))?.hits {
    ///     println!("{}", hit.article.title);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn similar(&self, id: &ArticleId, request: &SearchRequest) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let (article, address) = self.find(&searcher, id)?;
        let cluster = cluster_of(&searcher, address);
        let mut compiler = self.compiler()?;

        let terms = self.weighed_terms(&searcher, &article, &mut compiler)?;
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        for (term, weight) in &terms {
            for (field, boost) in [(f.body, 1.0), (f.title, request.tuning.title_boost)] {
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(
                            Term::from_field_text(field, term),
                            IndexRecordOption::WithFreqs,
                        )),
                        weight * boost,
                    )),
                ));
            }
        }
        let top = terms.first().map_or(1.0, |t| t.1);
        for e in article
            .entities
            .iter()
            .filter(|e| e.kind != EntityKind::Other)
            .take(MAX_ENTITIES)
        {
            let facet = crate::index::schema::entity_facet(e.kind, &e.name);
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_facet(f.entity, &facet),
                        IndexRecordOption::Basic,
                    )),
                    top,
                )),
            ));
        }
        if clauses.is_empty() {
            return Err(Error::InvalidRequest(
                "the article has no distinctive words to compare with",
            ));
        }
        clauses.push((
            Occur::MustNot,
            Box::new(TermQuery::new(
                Term::from_field_u64(f.cluster, cluster),
                IndexRecordOption::Basic,
            )),
        ));
        clauses.push((
            Occur::MustNot,
            Box::new(TermQuery::new(
                Term::from_field_text(f.id, article.id.as_str()),
                IndexRecordOption::Basic,
            )),
        ));
        let main: Box<dyn TQuery> = Box::new(BooleanQuery::new(clauses));
        let filters = Self::filter_leaves(request)?;
        compiler.load_dictionary(filters.iter())?;
        let mut highlighter =
            Highlighter::new(&super::Query { root: None }, &filters, &mut compiler);
        for (n, (term, _)) in terms.iter().enumerate() {
            highlighter.body.sequences.push((n, vec![term.clone()]));
            highlighter.title.sequences.push((n, vec![term.clone()]));
        }
        let compiled = Compiled {
            query: self.with_filters(main, &filters, &mut compiler),
            highlighter,
            mode: super::Mode::Any,
            relaxable: false,
        };
        let mut results = self.execute(request, compiled)?;
        results.query = format!("similar:{}", article.id);
        Ok(results)
    }

    /// The article's most distinctive analysed terms with their tf·idf weights, heaviest
    /// first.
    fn weighed_terms(
        &self,
        searcher: &tantivy::Searcher,
        article: &Article,
        compiler: &mut Compiler,
    ) -> Result<Vec<(String, f32)>> {
        let mut tf: HashMap<String, f32> = HashMap::new();
        for t in Compiler::tokens(&mut compiler.text, &article.title) {
            *tf.entry(t).or_default() += 2.0;
        }
        for t in Compiler::tokens(&mut compiler.text, &article.body) {
            *tf.entry(t).or_default() += 1.0;
        }
        let docs = searcher.num_docs().max(1) as f64;
        let mut weighed = Vec::with_capacity(tf.len());
        for (term, n) in tf {
            if term.chars().count() < 2 || term.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            let df = searcher.doc_freq(&Term::from_field_text(self.fields.body, &term))? as f64;
            if df < 2.0 || df > (docs * MAX_DOC_SHARE).max(2.0) {
                continue;
            }
            let idf = (1.0 + (docs - df + 0.5) / (df + 0.5)).ln();
            weighed.push((term, (f64::from(n).sqrt() * idf) as f32));
        }
        weighed.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        weighed.truncate(MAX_TERMS);
        Ok(weighed)
    }
}
