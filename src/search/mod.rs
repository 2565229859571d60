//! Search: our query language compiled to tantivy queries, BM25 ranking with field boosts,
//! filters, date sorting, and snippets with highlights.

mod facets;
pub mod query;
mod similar;
pub mod snippet;

pub use facets::{Bucket, EntityCount, EntityReport, Facets, Period, Timeline};
pub use query::{Mode, Query, QueryError};
pub use snippet::{Fragment, Highlight};

use crate::article::{byte_offset, Article, EntityKind, TextField};
use crate::error::{Error, Result};
use crate::index::schema::Fields;
use crate::index::{Archive, Dictionary};
use crate::normalise::date::parse_period;
use query::{Expr, Leaf, Occur, Scope, Value};
use serde::Serialize;
use std::ops::Bound;
use std::sync::Arc;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, PhraseQuery, Query as TQuery, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocId, Score, SegmentReader, Term};

/// Boost of a title match over a body match (tuned on our judged queries:
/// `docs/ranking.md`).
pub const TITLE_BOOST: f32 = 0.5;

/// Ranking parameters, for tuning against judged queries (`newsdex eval ranking`); the
/// defaults are what `docs/ranking.md` measured best.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tuning {
    /// Weight of a title match relative to a body match.
    pub title_boost: f32,
    /// Weight of two adjacent query words standing within `proximity_slop` words of each
    /// other in the body (0: off, the default: it did not improve our judged set).
    pub proximity_boost: f32,
    /// How many words may stand between two adjacent query words for `proximity_boost`.
    pub proximity_slop: u32,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            title_boost: TITLE_BOOST,
            proximity_boost: 0.0,
            proximity_slop: 3,
        }
    }
}

/// Order of results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first (BM25 with field boosts).
    #[default]
    Relevance,
    /// Latest date first; undated articles last.
    Newest,
    /// Earliest date first; undated articles last.
    Oldest,
}

/// A search: the query text plus filters, sorting and paging.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    query: String,
    limit: usize,
    offset: usize,
    sort: Sort,
    from: Option<String>,
    to: Option<String>,
    filters: Vec<(Scope, String)>,
    fragments: usize,
    all_copies: bool,
    mode: Mode,
    facets: usize,
    tuning: Tuning,
}

impl SearchRequest {
    /// A request for `query` (see [`query`] for the syntax): top 10 by relevance.
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            limit: 10,
            offset: 0,
            sort: Sort::Relevance,
            from: None,
            to: None,
            filters: Vec::new(),
            fragments: 3,
            all_copies: false,
            mode: Mode::Auto,
            facets: 0,
            tuning: Tuning::default(),
        }
    }
    /// Number of hits to return (0: count only).
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }
    /// Number of hits to skip.
    pub fn offset(mut self, offset: usize) -> Self {
        self.offset = offset;
        self
    }
    /// Order of hits.
    pub fn sort(mut self, sort: Sort) -> Self {
        self.sort = sort;
        self
    }
    /// Only articles dated in or after this period (`2017`, `2017-12`, `2017-12-30`).
    pub fn from(mut self, date: impl Into<String>) -> Self {
        self.from = Some(date.into());
        self
    }
    /// Only articles dated in or before this period (`2017` means up to 2017-12-31).
    pub fn to(mut self, date: impl Into<String>) -> Self {
        self.to = Some(date.into());
        self
    }
    /// Only articles naming this person.
    pub fn person(self, name: impl Into<String>) -> Self {
        self.filter(Scope::Entity(Some(EntityKind::Person)), name)
    }
    /// Only articles naming this organisation.
    pub fn org(self, name: impl Into<String>) -> Self {
        self.filter(Scope::Entity(Some(EntityKind::Organization)), name)
    }
    /// Only articles naming this place.
    pub fn place(self, name: impl Into<String>) -> Self {
        self.filter(Scope::Entity(Some(EntityKind::Place)), name)
    }
    /// Only articles naming this entity (any kind).
    pub fn entity(self, name: impl Into<String>) -> Self {
        self.filter(Scope::Entity(None), name)
    }
    /// Only articles naming this entity by its exact canonical name, of one kind or any
    /// (`None`): an exact facet filter, without analysis ("Vladimir Putin", not "putin").
    pub fn exact_entity(self, kind: Option<EntityKind>, name: impl Into<String>) -> Self {
        self.filter(Scope::Exact(kind), name)
    }
    /// Only articles from this publisher.
    pub fn publisher(self, name: impl Into<String>) -> Self {
        self.filter(Scope::Publisher, name)
    }
    /// Only articles in this language (ISO 639-1 code).
    pub fn language(self, code: impl Into<String>) -> Self {
        self.filter(Scope::Language, code)
    }
    /// Show every copy of a syndicated story as its own hit. By default near-duplicates
    /// are folded: one hit per story, the best-ranked copy, with [`Hit::copies`] counting
    /// the other matching copies.
    pub fn all_copies(mut self, all: bool) -> Self {
        self.all_copies = all;
        self
    }
    /// How the words combine: [`Mode::Auto`] (the default) reads a sentence as
    /// [`Mode::Any`] and anything else as [`Mode::All`].
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }
    /// Count the matching articles by entity (the `top` of each kind), publisher, language,
    /// calendar year and month ([`SearchResults::facets`]); 0 (the default) for none.
    pub fn facets(mut self, top: usize) -> Self {
        self.facets = top;
        self
    }
    /// Ranking parameters (see [`Tuning`]; the defaults are tuned).
    pub fn tuning(mut self, tuning: Tuning) -> Self {
        self.tuning = tuning;
        self
    }
    /// The same request for another query text.
    pub fn with_query(&self, query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            ..self.clone()
        }
    }
    /// The query text.
    pub fn query_text(&self) -> &str {
        &self.query
    }
    /// Fragments per hit (default 3; 0 for none).
    pub fn fragments(mut self, n: usize) -> Self {
        self.fragments = n;
        self
    }
    fn filter(mut self, scope: Scope, value: impl Into<String>) -> Self {
        self.filters.push((scope, value.into()));
        self
    }
}

/// One result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Position in the whole result list (1-based).
    pub rank: usize,
    /// Relevance score (BM25 with boosts; also computed when sorting by date).
    pub score: Score,
    /// Body fragments that show why it matched, best first.
    pub fragments: Vec<Fragment>,
    /// Highlights in the title (`char` offsets).
    pub title_highlights: Vec<Highlight>,
    /// The story cluster of the article (16 hex digits); near-duplicate copies share it.
    pub cluster: String,
    /// Other articles of the same cluster that also match, folded into this hit (always 0
    /// with [`SearchRequest::all_copies`]).
    pub copies: usize,
    /// The article, as stored.
    pub article: Article,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// How its words were combined (`all` or `any`).
    pub mode: Mode,
    /// Whether no article held every word, so articles holding any of them are shown
    /// (only in [`Mode::Auto`]).
    pub relaxed: bool,
    /// Number of matching articles (copies of a story included).
    pub total: usize,
    /// Hits skipped.
    pub offset: usize,
    /// Hits asked for (0: counts and facets only).
    pub limit: usize,
    /// Order of the hits.
    pub sort: Sort,
    /// Whether near-duplicate copies were folded into one hit per story (the default).
    pub folded: bool,
    /// The hits of this page.
    pub hits: Vec<Hit>,
    /// Counts of the matching articles by entity, publisher, language, year and month,
    /// when asked for ([`SearchRequest::facets`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}

struct Compiler<'a> {
    fields: &'a Fields,
    archive: &'a Archive,
    tuning: Tuning,
    text: TextAnalyzer,
    names: TextAnalyzer,
    /// The archive's entity dictionary, loaded by the first entity condition.
    dictionary: Option<Arc<Dictionary>>,
}

/// Most canonical names one entity condition expands to through the dictionary.
const MAX_RESOLVED: usize = 1024;

impl Compiler<'_> {
    /// The canonical names of the index an entity condition means through the archive's
    /// dictionary: for `person:Putin`, "Vladimir Putin" and the articles' bare "Putin"; for
    /// `entity:"U.S."`, "United States". `exact`: only the entity whose canonical name (or
    /// merged name) it is.
    fn resolved(
        &self,
        kind: Option<EntityKind>,
        name: &str,
        exact: bool,
    ) -> Vec<(EntityKind, String)> {
        let Some(d) = self.dictionary.as_deref() else {
            return Vec::new();
        };
        let name = name.trim();
        let entities: Vec<crate::index::Resolved> = if exact {
            EntityKind::ALL
                .into_iter()
                .filter(|k| kind.is_none_or(|want| want == *k))
                .filter_map(|k| d.merged_entity(k, name).cloned())
                .collect()
        } else {
            d.resolve(kind, name)
        };
        let mut out: Vec<(EntityKind, String)> = entities
            .into_iter()
            .flat_map(|e| e.names.into_iter().map(move |n| (e.kind, n)))
            .take(MAX_RESOLVED)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Load the archive's dictionary if an entity condition of `leaves` needs it.
    fn load_dictionary<'l>(&mut self, mut leaves: impl Iterator<Item = &'l Leaf>) -> Result<()> {
        let entity = |l: &Leaf| matches!(l.scope, Scope::Entity(_) | Scope::Exact(_));
        if self.dictionary.is_none() && leaves.any(entity) {
            self.dictionary = Some(self.archive.dictionary()?);
        }
        Ok(())
    }

    /// Facet queries for canonical names.
    fn facets(&self, names: &[(EntityKind, String)]) -> Vec<Box<dyn TQuery>> {
        names
            .iter()
            .map(|(k, n)| {
                let facet = crate::index::schema::entity_facet(*k, n);
                Box::new(TermQuery::new(
                    Term::from_facet(self.fields.entity, &facet),
                    IndexRecordOption::Basic,
                )) as Box<dyn TQuery>
            })
            .collect()
    }

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        out
    }

    /// A term or phrase query for `tokens` in `field`.
    fn sequence(field: Field, tokens: &[String]) -> Box<dyn TQuery> {
        if let [one] = tokens {
            Box::new(TermQuery::new(
                Term::from_field_text(field, one),
                IndexRecordOption::WithFreqs,
            ))
        } else {
            Box::new(PhraseQuery::new(
                tokens
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect(),
            ))
        }
    }

    fn union(parts: Vec<Box<dyn TQuery>>) -> Box<dyn TQuery> {
        Box::new(BooleanQuery::new(
            parts
                .into_iter()
                .map(|q| (tantivy::query::Occur::Should, q))
                .collect(),
        ))
    }

    fn leaf(&mut self, leaf: &Leaf) -> Option<Box<dyn TQuery>> {
        let f = self.fields;
        let text = match &leaf.value {
            Value::Word(w) | Value::Phrase(w) => w.as_str(),
            Value::Range(from, to) => {
                let bound = |v: &Option<i64>, inclusive: bool| match v {
                    None => Bound::Unbounded,
                    Some(x) if inclusive => Bound::Included(Term::from_field_i64(f.date, *x)),
                    Some(x) => Bound::Excluded(Term::from_field_i64(f.date, *x)),
                };
                if from.is_none() && to.is_none() {
                    // `date:[* TO *]`: every dated article.
                    return Some(Box::new(tantivy::query::ExistsQuery::new(
                        "date".to_string(),
                        false,
                    )));
                }
                return Some(Box::new(RangeQuery::new(
                    bound(from, true),
                    bound(to, false),
                )));
            }
        };
        match leaf.scope {
            Scope::Text | Scope::Title | Scope::Body => {
                let tokens = Self::tokens(&mut self.text, text);
                if tokens.is_empty() {
                    return None;
                }
                let mut parts: Vec<Box<dyn TQuery>> = Vec::new();
                if leaf.scope != Scope::Body {
                    parts.push(Box::new(BoostQuery::new(
                        Self::sequence(f.title, &tokens),
                        self.tuning.title_boost,
                    )));
                }
                if leaf.scope != Scope::Title {
                    parts.push(Self::sequence(f.body, &tokens));
                }
                Some(Self::union(parts))
            }
            Scope::Entity(kind) => {
                let tokens = Self::tokens(&mut self.names, text);
                if tokens.is_empty() {
                    return None;
                }
                let kinds: Vec<EntityKind> = kind.map_or(EntityKind::ALL.to_vec(), |k| vec![k]);
                let mut parts: Vec<Box<dyn TQuery>> = kinds
                    .into_iter()
                    .map(|k| Self::sequence(f.names(k), &tokens))
                    .collect();
                let names = self.resolved(kind, text, false);
                parts.extend(self.facets(&names));
                Some(Self::union(parts))
            }
            Scope::Exact(kind) => {
                let kinds: Vec<EntityKind> = kind.map_or(EntityKind::ALL.to_vec(), |k| vec![k]);
                let mut names: Vec<(EntityKind, String)> = kinds
                    .into_iter()
                    .map(|k| (k, text.trim().to_string()))
                    .collect();
                names.extend(self.resolved(kind, text, true));
                names.sort();
                names.dedup();
                Some(Self::union(self.facets(&names)))
            }
            Scope::Publisher => {
                let tokens = Self::tokens(&mut self.names, text);
                (!tokens.is_empty()).then(|| Self::sequence(f.publisher, &tokens))
            }
            Scope::Language => Some(Self::sequence(f.language, &[text.trim().to_lowercase()])),
            Scope::Id => Some(Self::sequence(f.id, &[text.trim().to_string()])),
            Scope::Date => None, // dates always parse into ranges
        }
    }

    /// Phrase-with-slop queries on the body for each pair of adjacent plain words of the
    /// query's top level, each boosted: articles where the words stand close together rank
    /// higher.
    fn proximity(&mut self, root: &Expr) -> Vec<Box<dyn TQuery>> {
        let (boost, slop) = (self.tuning.proximity_boost, self.tuning.proximity_slop);
        let (Expr::And(clauses) | Expr::Any(clauses)) = root else {
            return Vec::new();
        };
        if boost <= 0.0 {
            return Vec::new();
        }
        let words: Vec<String> = clauses
            .iter()
            .filter_map(|(o, e)| match (o, e) {
                (
                    Occur::Must,
                    Expr::Leaf(Leaf {
                        scope: Scope::Text,
                        value: Value::Word(w),
                    }),
                ) => Some(Self::tokens(&mut self.text, w)),
                _ => None,
            })
            .filter_map(|t| (t.len() == 1).then(|| t[0].clone()))
            .collect();
        words
            .windows(2)
            .filter(|w| w[0] != w[1])
            .map(|w| {
                let mut phrase = PhraseQuery::new(vec![
                    Term::from_field_text(self.fields.body, &w[0]),
                    Term::from_field_text(self.fields.body, &w[1]),
                ]);
                phrase.set_slop(slop);
                Box::new(BoostQuery::new(Box::new(phrase), boost)) as Box<dyn TQuery>
            })
            .collect()
    }

    fn expr(&mut self, e: &Expr) -> Option<Box<dyn TQuery>> {
        match e {
            Expr::Leaf(l) => self.leaf(l),
            Expr::Or(v) => {
                let parts: Vec<_> = v.iter().filter_map(|x| self.expr(x)).collect();
                (!parts.is_empty()).then(|| Self::union(parts))
            }
            Expr::Any(v) => {
                let clauses: Vec<(tantivy::query::Occur, Box<dyn TQuery>)> = v
                    .iter()
                    .filter_map(|(occur, x)| {
                        let o = match occur {
                            Occur::Must => tantivy::query::Occur::Should,
                            Occur::MustNot => tantivy::query::Occur::MustNot,
                        };
                        self.expr(x).map(|q| (o, q))
                    })
                    .collect();
                if !clauses
                    .iter()
                    .any(|(o, _)| *o == tantivy::query::Occur::Should)
                {
                    return None;
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            Expr::And(v) => {
                let mut clauses: Vec<(tantivy::query::Occur, Box<dyn TQuery>)> = Vec::new();
                for (occur, x) in v {
                    if let Some(q) = self.expr(x) {
                        let o = match occur {
                            Occur::Must => tantivy::query::Occur::Must,
                            Occur::MustNot => tantivy::query::Occur::MustNot,
                        };
                        clauses.push((o, q));
                    }
                }
                if clauses.is_empty() {
                    return None;
                }
                if clauses
                    .iter()
                    .all(|(o, _)| *o == tantivy::query::Occur::MustNot)
                {
                    clauses.push((tantivy::query::Occur::Must, Box::new(AllQuery)));
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
        }
    }
}

/// What to highlight for a query, per article.
struct Highlighter {
    body: snippet::Terms,
    title: snippet::Terms,
    /// Entity conditions: (term number, kind, analyzed name tokens, the canonical names the
    /// dictionary resolves it to).
    entities: Vec<EntityCondition>,
}

/// An entity condition of a query, for highlighting.
struct EntityCondition {
    term: usize,
    kind: Option<EntityKind>,
    tokens: Vec<String>,
    resolved: Vec<(EntityKind, String)>,
}

impl Highlighter {
    fn new(query: &Query, filters: &[Leaf], c: &mut Compiler) -> Self {
        let mut h = Highlighter {
            body: snippet::Terms::default(),
            title: snippet::Terms::default(),
            entities: Vec::new(),
        };
        for (n, leaf) in query
            .positive_leaves()
            .into_iter()
            .chain(filters)
            .enumerate()
        {
            let text = match &leaf.value {
                Value::Word(w) | Value::Phrase(w) => w,
                Value::Range(..) => continue,
            };
            match leaf.scope {
                Scope::Text | Scope::Title | Scope::Body => {
                    let seq = Compiler::tokens(&mut c.text, text);
                    if leaf.scope != Scope::Title {
                        h.body.sequences.push((n, seq.clone()));
                    }
                    if leaf.scope != Scope::Body {
                        h.title.sequences.push((n, seq));
                    }
                }
                Scope::Entity(kind) | Scope::Exact(kind) => {
                    let exact = matches!(leaf.scope, Scope::Exact(_));
                    h.entities.push(EntityCondition {
                        term: n,
                        kind,
                        tokens: Compiler::tokens(&mut c.names, text),
                        resolved: c.resolved(kind, text, exact),
                    })
                }
                _ => {}
            }
        }
        h
    }

    /// Byte ranges (sorted) of everything to highlight in one field: query words and
    /// phrases, and mentions of the entities the query names.
    fn matches(
        &self,
        article: &Article,
        field: TextField,
        c: &mut Compiler,
    ) -> Vec<(usize, usize, usize)> {
        let (text, terms) = match field {
            TextField::Title => (&article.title, &self.title),
            TextField::Body => (&article.body, &self.body),
        };
        let mut found = snippet::matches(text, terms, &mut c.text);
        found.extend(self.entity_ranges(article, field, &mut c.names));
        found.sort();
        found
    }

    /// Byte ranges of entity mentions that match an entity condition, in one field.
    fn entity_ranges(
        &self,
        article: &Article,
        field: TextField,
        names: &mut TextAnalyzer,
    ) -> Vec<(usize, usize, usize)> {
        let text = match field {
            TextField::Title => &article.title,
            TextField::Body => &article.body,
        };
        let mut out = Vec::new();
        for cond in &self.entities {
            let (n, want) = (&cond.term, &cond.tokens);
            for e in &article.entities {
                if cond.kind.is_some_and(|k| k != e.kind) || want.is_empty() {
                    continue;
                }
                let resolved = cond
                    .resolved
                    .iter()
                    .any(|(k, name)| *k == e.kind && *name == e.name);
                let hit = resolved
                    || std::iter::once(&e.name).chain(&e.aliases).any(|name| {
                        let tokens = Compiler::tokens(names, name);
                        tokens.windows(want.len()).any(|w| w == want.as_slice())
                    });
                if hit {
                    for m in e.mentions.iter().filter(|m| m.field == field) {
                        out.push((byte_offset(text, m.start), byte_offset(text, m.end), *n));
                    }
                }
            }
        }
        out
    }
}

/// The best `limit` documents after `offset`, by relevance or date (undated last).
fn top_docs(
    searcher: &tantivy::Searcher,
    query: &dyn TQuery,
    sort: Sort,
    limit: usize,
    offset: usize,
) -> Result<Vec<(Score, tantivy::DocAddress)>> {
    let top = TopDocs::with_limit(limit).and_offset(offset);
    Ok(match sort {
        Sort::Relevance => {
            let mut hits = searcher.search(query, &top.order_by_score())?;
            // Equal scores come in the order of documents in segments, which depends on how
            // indexing threads shared the work: break ties by story, so that the same index
            // content always lists the same way.
            hits.sort_by(|a, b| {
                b.0.total_cmp(&a.0)
                    .then_with(|| cluster_of(searcher, a.1).cmp(&cluster_of(searcher, b.1)))
            });
            hits
        }
        Sort::Newest | Sort::Oldest => {
            let newest = sort == Sort::Newest;
            let by_date = top.tweak_score(move |segment: &SegmentReader| {
                let column = segment.fast_fields().i64("date").ok();
                move |doc: DocId, score: Score| {
                    let ts = column.as_ref().and_then(|c| c.first(doc));
                    let key = ts.map_or(i64::MIN, |t| if newest { t } else { -t });
                    (ts.is_some(), key, score)
                }
            });
            searcher
                .search(query, &by_date)?
                .into_iter()
                .map(|((_, _, score), a)| (score, a))
                .collect()
        }
    })
}

/// The story cluster of a document (its own address hash when the column is missing).
fn cluster_of(searcher: &tantivy::Searcher, address: tantivy::DocAddress) -> u64 {
    searcher
        .segment_reader(address.segment_ord)
        .fast_fields()
        .u64("cluster")
        .ok()
        .and_then(|c| c.first(address.doc_id))
        .unwrap_or(u64::MAX - u64::from(address.doc_id))
}

/// A request compiled for tantivy: the query, what to highlight, the effective mode.
pub(crate) struct Compiled {
    pub(crate) query: BooleanQuery,
    highlighter: Highlighter,
    mode: Mode,
    /// Whether the query is several required clauses that [`Mode::Any`] would loosen.
    relaxable: bool,
}

impl Archive {
    fn compiler(&self) -> Result<Compiler<'_>> {
        let tokenizers = self.index.tokenizers();
        let analyzer = |name| {
            tokenizers
                .get(name)
                .ok_or(Error::InvalidRequest("analyzer missing"))
        };
        Ok(Compiler {
            fields: &self.fields,
            archive: self,
            dictionary: None,
            tuning: Tuning::default(),
            text: analyzer(crate::index::schema::TEXT_ANALYZER)?,
            names: analyzer(crate::index::schema::NAME_ANALYZER)?,
        })
    }

    /// The filters of a request (entities, publisher, language, dates) as leaves.
    fn filter_leaves(request: &SearchRequest) -> Result<Vec<Leaf>> {
        let mut filters: Vec<Leaf> = request
            .filters
            .iter()
            .map(|(scope, value)| Leaf {
                scope: *scope,
                value: Value::Phrase(value.clone()),
            })
            .collect();
        let period = |s: &Option<String>| -> Result<Option<(i64, i64)>> {
            s.as_deref()
                .map(|d| {
                    parse_period(d).ok_or_else(|| Error::InvalidDate {
                        input: d.to_string(),
                    })
                })
                .transpose()
        };
        let (from, to) = (period(&request.from)?, period(&request.to)?);
        if let (Some(f), Some(t)) = (from, to) {
            if f.0 >= t.1 {
                return Err(Error::InvalidRequest("--from is after --to"));
            }
        }
        if from.is_some() || to.is_some() {
            filters.push(Leaf {
                scope: Scope::Date,
                value: Value::Range(from.map(|p| p.0), to.map(|p| p.1)),
            });
        }
        Ok(filters)
    }

    /// Compile a request: its query (in its mode) and its filters, as one tantivy query.
    pub(crate) fn compile(&self, request: &SearchRequest) -> Result<Compiled> {
        let (query, mode) = Query::parse_in(&request.query, request.mode)?;
        let filters = Self::filter_leaves(request)?;
        let mut compiler = self.compiler()?;
        compiler.tuning = request.tuning;
        compiler.load_dictionary(query.leaves().into_iter().chain(&filters))?;
        let main = match &query.root {
            None => Some(Box::new(AllQuery) as Box<dyn TQuery>),
            Some(root) => compiler.expr(root).map(|main| {
                let near = compiler.proximity(root);
                if near.is_empty() {
                    return main;
                }
                let mut clauses = vec![(tantivy::query::Occur::Must, main)];
                clauses.extend(near.into_iter().map(|q| (tantivy::query::Occur::Should, q)));
                Box::new(BooleanQuery::new(clauses)) as Box<dyn TQuery>
            }),
        };
        let Some(main) = main else {
            return Err(QueryError {
                query: request.query.clone(),
                position: 0,
                message: "the query has no searchable words (only punctuation?)".into(),
            }
            .into());
        };
        let highlighter = Highlighter::new(&query, &filters, &mut compiler);
        let relaxable = matches!(&query.root, Some(Expr::And(clauses))
            if clauses.iter().filter(|(o, _)| *o == Occur::Must).count() >= 2);
        Ok(Compiled {
            query: self.with_filters(main, &filters, &mut compiler),
            highlighter,
            mode,
            relaxable,
        })
    }

    /// `main`, restricted by `filters` (which do not score).
    fn with_filters(
        &self,
        main: Box<dyn TQuery>,
        filters: &[Leaf],
        compiler: &mut Compiler,
    ) -> BooleanQuery {
        let mut clauses = vec![(tantivy::query::Occur::Must, main)];
        for f in filters {
            if let Some(q) = compiler.leaf(f) {
                clauses.push((
                    tantivy::query::Occur::Must,
                    Box::new(ConstScoreQuery::new(q, 0.0)),
                ));
            }
        }
        BooleanQuery::new(clauses)
    }

    /// Run a search.
    ///
    /// In [`Mode::Auto`], a query of several words that no article holds all of is run
    /// again in [`Mode::Any`] ([`SearchResults::relaxed`] says so).
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let compiled = self.compile(request)?;
        if request.mode == Mode::Auto && compiled.mode == Mode::All && compiled.relaxable {
            let searcher = self.reader.searcher();
            if searcher.search(&compiled.query, &Count)? == 0 {
                let any = request.clone().mode(Mode::Any);
                let mut results = self.execute(&any, self.compile(&any)?)?;
                results.relaxed = true;
                return Ok(results);
            }
        }
        self.execute(request, compiled)
    }

    /// Rank, fold, page, load and highlight the hits of a compiled request.
    pub(crate) fn execute(
        &self,
        request: &SearchRequest,
        compiled: Compiled,
    ) -> Result<SearchResults> {
        let Compiled {
            query: tquery,
            highlighter,
            mode,
            ..
        } = compiled;
        let mut compiler = self.compiler()?;
        let searcher = self.reader.searcher();
        let total = searcher.search(&tquery, &Count)?;
        let docs = if request.limit == 0 {
            Vec::new()
        } else if request.all_copies {
            top_docs(
                &searcher,
                &tquery,
                request.sort,
                request.limit,
                request.offset,
            )?
        } else {
            // One hit per story: over-fetch, keep each cluster's best, fetch more if short.
            let want = request.offset + request.limit;
            let mut fetch = (want * 2).max(20);
            loop {
                let docs = top_docs(&searcher, &tquery, request.sort, fetch, 0)?;
                let exhausted = docs.len() < fetch;
                let mut firsts = Vec::new();
                let mut seen = std::collections::HashSet::new();
                for (score, address) in docs {
                    let cluster = cluster_of(&searcher, address);
                    if seen.insert(cluster) {
                        firsts.push((score, address));
                    }
                }
                if firsts.len() >= want || exhausted {
                    break firsts
                        .into_iter()
                        .skip(request.offset)
                        .take(request.limit)
                        .collect();
                }
                fetch *= 4;
            }
        };

        let mut hits = Vec::with_capacity(docs.len());
        for (i, (score, address)) in docs.into_iter().enumerate() {
            let article = self.load(&searcher, address)?;
            let body_matches = highlighter.matches(&article, TextField::Body, &mut compiler);
            let fragments = if request.fragments == 0 {
                Vec::new()
            } else {
                snippet::fragments(&article.body, &body_matches, request.fragments)
            };
            let title_matches = highlighter.matches(&article, TextField::Title, &mut compiler);
            let title_highlights = snippet::highlights(&article.title, &title_matches);
            let cluster = cluster_of(&searcher, address);
            let copies = if request.all_copies {
                0
            } else {
                let same = BooleanQuery::new(vec![
                    (tantivy::query::Occur::Must, Box::new(tquery.clone())),
                    (
                        tantivy::query::Occur::Must,
                        Box::new(tantivy::query::TermQuery::new(
                            Term::from_field_u64(self.fields.cluster, cluster),
                            tantivy::schema::IndexRecordOption::Basic,
                        )),
                    ),
                ]);
                searcher.search(&same, &Count)?.saturating_sub(1)
            };
            hits.push(Hit {
                rank: request.offset + i + 1,
                score,
                article,
                fragments,
                title_highlights,
                cluster: format!("{cluster:016x}"),
                copies,
            });
        }
        let facets = if request.facets > 0 {
            Some(self.facets_of(&tquery, request.facets)?)
        } else {
            None
        };
        Ok(SearchResults {
            query: request.query.clone(),
            mode,
            relaxed: false,
            total,
            offset: request.offset,
            limit: request.limit,
            sort: request.sort,
            folded: !request.all_copies,
            hits,
            facets,
        })
    }
}
