//! Scoring ranked runs against TREC relevance judgments, with trec_eval's definitions.
//!
//! This module owns the evaluation inputs and outputs: [`Qrels`] (a TREC qrels file),
//! queries files ([`parse_queries`]), one query's ranked list ([`Ranking`]), the scores
//! ([`evaluate`] → [`EvalReport`]) and TREC run files ([`write_run`]).
//!
//! # Measures
//!
//! Each measure is computed as trec_eval 9.x computes it with its defaults (relevance level 1:
//! a document is relevant when its grade is > 0; a grade ≤ 0, or no judgment, is
//! non-relevant), and is named after it:
//!
//! | field | trec_eval | definition |
//! | --- | --- | --- |
//! | `ap` / `map` | `map` | sum of the precision at the rank of each relevant retrieved document, divided by the number of relevant documents in the qrels (0 when there are none) |
//! | `ndcg_10` | `ndcg_cut_10` | DCG of the first 10 retrieved documents over the ideal DCG; gain = the grade (linear, only grades > 0), discount = log2(rank + 1); the ideal ranking is every judged document of the query sorted by grade (0 when no grade is > 0) |
//! | `p_10` | `P_10` | relevant documents among the first 10 retrieved, divided by 10 even when fewer were retrieved |
//! | `recall_100` | `recall_100` | relevant documents among the first 100 retrieved over all relevant documents (0 when there are none) |
//! | `rr` / `mrr` | `recip_rank` | 1 / rank of the first relevant retrieved document (0 if none) |
//!
//! All retrieved documents count (trec_eval's default keeps every document of a run).
//!
//! # Order of the documents
//!
//! trec_eval ignores the rank column of a run file: it sorts each query's documents by
//! score, highest first, and breaks ties by docid in *descending* byte order. [`evaluate`]
//! instead scores each [`Ranking`] in the order given, which is the order the engine shows.
//! Both agree when scores strictly decrease down the list; [`Ranking::sort_like_trec_eval`]
//! reorders a ranking trec_eval's way when the numbers must be reproduced from a run file
//! with tied scores.
//!
//! # Averaging
//!
//! [`evaluate`] averages like `trec_eval -c` ([`Averaging::Complete`]): over every query of
//! the qrels, a query that the run does not answer (absent, or with an empty ranking) scoring
//! 0 on every measure. A qrels query whose judgments are all non-relevant is one of those
//! queries too: it scores 0 and counts in the mean, as it does in trec_eval. Plain
//! `trec_eval` ([`Averaging::RunQueries`], via [`evaluate_with`]) averages only over the
//! queries that are both in the run and in the qrels. Either way, queries of the run missing
//! from the qrels are not scored; they are listed in [`EvalReport::unjudged_queries`].
//!
//! # Example
//!
//! ```
//! use newsdex::eval::ranking::{evaluate, Qrels, Ranking};
//! # fn main() -> Result<(), newsdex::eval::ranking::EvalError> {
//! let qrels = Qrels::parse("q1 0 a 1\nq1 0 b 0\nq1 0 c 2\nq2 0 x 1\n")?;
//! let run = vec![Ranking {
//!     qid: "q1".into(),
//!     docs: vec![("b".into(), 3.0), ("c".into(), 2.0), ("z".into(), 1.0)],
//! }];
//! let report = evaluate(&run, &qrels);
//! assert_eq!(report.queries[0].ap, 0.25); // c found at rank 2: (1/2) / 2 relevant
//! assert_eq!(report.map, 0.125); // q2 has no ranking: it scores 0
//! assert_eq!(report.without_results, ["q2"]);
//! # Ok(()) }
//! ```

use serde::Serialize;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Rank cut-off of [`QueryScores::p_10`] and [`QueryScores::ndcg_10`].
const CUT_10: usize = 10;
/// Rank cut-off of [`QueryScores::recall_100`].
const CUT_100: usize = 100;

/// What can go wrong reading evaluation inputs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// A qrels or queries file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A line of a qrels or queries file is malformed or repeats an earlier one.
    #[error("{what} line {line}: {message}")]
    Parse {
        /// Which kind of file: `"qrels"`, `"queries"`, `"run"` or `"CoNLL"`.
        what: &'static str,
        /// The line (1-based).
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A line of a file read by [`Qrels::from_path`] or [`read_queries`] is malformed.
    #[error("{path}: {error}")]
    InFile {
        /// The file.
        path: PathBuf,
        /// What is wrong: an [`EvalError::Parse`].
        error: Box<EvalError>,
    },
}

/// The judgments of one query.
#[derive(Debug, Clone)]
struct Judgments {
    qid: String,
    /// docid → grade.
    grades: HashMap<String, i32>,
    /// Number of grades > 0.
    relevant: usize,
    /// The grades > 0, highest first: the ideal ranking's gains.
    ideal: Vec<i32>,
}

/// A TREC-format qrels file: qid → (docid → relevance grade).
///
/// A document is relevant when its grade is > 0; grades ≤ 0 are judged non-relevant (trec_eval
/// reads negative grades as "in the pool, not judged", which scores the same).
#[derive(Debug, Clone, Default)]
pub struct Qrels {
    /// Queries in the order of their first line.
    queries: Vec<Judgments>,
    /// qid → index in `queries`.
    index: HashMap<String, usize>,
}

impl Qrels {
    /// Parses qrels text: one `qid iteration docid grade` line per judgment, fields separated by
    /// whitespace; the iteration column is ignored, the grade is an integer. Blank lines and lines
    /// starting with `#` are skipped. A docid judged twice for one query is an error, as in
    /// trec_eval.
    pub fn parse(text: &str) -> Result<Qrels, EvalError> {
        let mut qrels = Qrels::default();
        for (line, content) in lines(text) {
            let err = |message: String| EvalError::Parse {
                what: "qrels",
                line,
                message,
            };
            let fields: Vec<&str> = content.split_whitespace().collect();
            let [qid, _iteration, docid, grade] = fields[..] else {
                return Err(err(format!(
                    "expected 4 fields (qid iteration docid grade), found {}",
                    fields.len()
                )));
            };
            let grade: i32 = grade
                .parse()
                .map_err(|_| err(format!("grade {grade:?} is not an integer")))?;
            let at = match qrels.index.get(qid) {
                Some(&at) => at,
                None => {
                    qrels.index.insert(qid.to_owned(), qrels.queries.len());
                    qrels.queries.push(Judgments {
                        qid: qid.to_owned(),
                        grades: HashMap::new(),
                        relevant: 0,
                        ideal: Vec::new(),
                    });
                    qrels.queries.len() - 1
                }
            };
            let judgments = &mut qrels.queries[at];
            if judgments.grades.insert(docid.to_owned(), grade).is_some() {
                return Err(err(format!(
                    "document {docid:?} is judged twice for query {qid:?}"
                )));
            }
        }
        for judgments in &mut qrels.queries {
            judgments.ideal = judgments
                .grades
                .values()
                .copied()
                .filter(|&g| g > 0)
                .collect();
            judgments.ideal.sort_unstable_by(|a, b| b.cmp(a));
            judgments.relevant = judgments.ideal.len();
        }
        Ok(qrels)
    }

    /// Only the judgments of the queries `keep` accepts (a tuning or held-out subset).
    pub fn only(self, keep: impl Fn(&str) -> bool) -> Qrels {
        let queries: Vec<Judgments> = self.queries.into_iter().filter(|j| keep(&j.qid)).collect();
        let index = queries
            .iter()
            .enumerate()
            .map(|(i, j)| (j.qid.clone(), i))
            .collect();
        Qrels { queries, index }
    }

    /// Reads and parses a qrels file (see [`Qrels::parse`]).
    pub fn from_path(path: &Path) -> Result<Qrels, EvalError> {
        Qrels::parse(&read(path)?).map_err(|e| in_file(path, e))
    }

    /// The qids that have judgments, in the order they first appear in the file.
    pub fn queries(&self) -> impl Iterator<Item = &str> {
        self.queries.iter().map(|j| j.qid.as_str())
    }

    /// Number of documents judged relevant (grade > 0) for `qid`; 0 for an unknown query.
    pub fn relevant(&self, qid: &str) -> usize {
        self.judgments(qid).map_or(0, |j| j.relevant)
    }

    /// The grade of `docid` for `qid`, if it was judged.
    pub fn grade(&self, qid: &str, docid: &str) -> Option<i32> {
        self.judgments(qid)?.grades.get(docid).copied()
    }

    fn judgments(&self, qid: &str) -> Option<&Judgments> {
        self.index.get(qid).map(|&at| &self.queries[at])
    }
}

/// Parses a queries file: one `id<TAB>text` line per query. Blank lines and lines starting with
/// `#` are skipped; the text is trimmed. An id that is empty, holds whitespace (it could not be
/// written to a run file) or repeats, and a line without a tab or text, are errors naming the
/// line.
pub fn parse_queries(text: &str) -> Result<Vec<(String, String)>, EvalError> {
    let mut queries = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (line, content) in lines(text) {
        let err = |message: String| EvalError::Parse {
            what: "queries",
            line,
            message,
        };
        let Some((id, query)) = content.split_once('\t') else {
            return Err(err("expected id<TAB>text, found no tab".into()));
        };
        let (id, query) = (id.trim(), query.trim());
        if id.is_empty() {
            return Err(err("empty query id".into()));
        }
        if id.contains(char::is_whitespace) {
            return Err(err(format!("query id {id:?} contains whitespace")));
        }
        if query.is_empty() {
            return Err(err(format!("query {id:?} has no text")));
        }
        if let Some(first) = seen.insert(id, line) {
            return Err(err(format!("query id {id:?} already used on line {first}")));
        }
        queries.push((id.to_owned(), query.to_owned()));
    }
    Ok(queries)
}

/// Reads and parses a queries file (see [`parse_queries`]).
pub fn read_queries(path: &Path) -> Result<Vec<(String, String)>, EvalError> {
    parse_queries(&read(path)?).map_err(|e| in_file(path, e))
}

/// One query's ranked list, best first.
///
/// If a docid repeats, only its first occurrence counts (in [`evaluate`] and [`write_run`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// The query id.
    pub qid: String,
    /// `(docid, score)`, best first.
    pub docs: Vec<(String, f32)>,
}

impl Ranking {
    /// Reorders the documents as trec_eval orders a run file: by score, highest first, ties
    /// broken by docid in descending byte order. NaN scores go last. Use it to reproduce
    /// trec_eval's numbers for a run with tied scores; [`evaluate`] scores the order given.
    pub fn sort_like_trec_eval(&mut self) {
        // NaN mapped below every number makes `partial_cmp` total, so `Equal` is never used.
        let key = |s: f32| {
            if s.is_nan() {
                f64::NEG_INFINITY
            } else {
                f64::from(s)
            }
        };
        self.docs.sort_by(|(da, sa), (db, sb)| {
            key(*sb)
                .partial_cmp(&key(*sa))
                .unwrap_or(Ordering::Equal)
                .then_with(|| db.as_bytes().cmp(da.as_bytes()))
        });
    }

    /// The documents with repeated docids removed (first occurrence kept).
    fn unique_docs(&self) -> impl Iterator<Item = &(String, f32)> {
        let mut seen = HashSet::new();
        self.docs
            .iter()
            .filter(move |(d, _)| seen.insert(d.as_str()))
    }
}

/// Parses a TREC run: one `qid Q0 docid rank score tag` line per retrieved document, fields
/// separated by whitespace (blank lines and `#` lines skipped). Each query's documents are
/// ordered as trec_eval orders them ([`Ranking::sort_like_trec_eval`]: by score, not by the
/// rank column); queries come in the order of their first line.
pub fn parse_run(text: &str) -> Result<Vec<Ranking>, EvalError> {
    let mut runs: Vec<Ranking> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (line, content) in lines(text) {
        let err = |message: String| EvalError::Parse {
            what: "run",
            line,
            message,
        };
        let fields: Vec<&str> = content.split_whitespace().collect();
        let [qid, _q0, docid, _rank, score, _tag] = fields[..] else {
            return Err(err(format!(
                "expected 6 fields (qid Q0 docid rank score tag), found {}",
                fields.len()
            )));
        };
        let score: f32 = score
            .parse()
            .map_err(|_| err(format!("score {score:?} is not a number")))?;
        let at = *index.entry(qid.to_owned()).or_insert_with(|| {
            runs.push(Ranking {
                qid: qid.to_owned(),
                docs: Vec::new(),
            });
            runs.len() - 1
        });
        runs[at].docs.push((docid.to_owned(), score));
    }
    for run in &mut runs {
        run.sort_like_trec_eval();
    }
    Ok(runs)
}

/// Reads and parses a TREC run file (see [`parse_run`]).
pub fn read_run(path: &Path) -> Result<Vec<Ranking>, EvalError> {
    parse_run(&read(path)?).map_err(|e| in_file(path, e))
}

/// One query's scores. See the [module documentation](self) for the definitions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryScores {
    /// The query id.
    pub qid: String,
    /// Documents retrieved (after removing repeated docids).
    pub retrieved: usize,
    /// Documents judged relevant in the qrels.
    pub relevant: usize,
    /// Relevant documents retrieved, at any rank.
    pub relevant_retrieved: usize,
    /// Average precision (trec_eval `map`).
    pub ap: f64,
    /// nDCG at 10 (trec_eval `ndcg_cut_10`).
    pub ndcg_10: f64,
    /// Precision at 10 (trec_eval `P_10`).
    pub p_10: f64,
    /// Recall at 100 (trec_eval `recall_100`).
    pub recall_100: f64,
    /// Reciprocal rank of the first relevant document (trec_eval `recip_rank`).
    pub rr: f64,
}

/// Which queries the means are taken over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Averaging {
    /// Every query of the qrels, as `trec_eval -c`: one not answered by the run scores 0 on
    /// every measure, and so does one without relevant judgments.
    #[default]
    Complete,
    /// Only the queries that are both in the run (with at least one document) and in the
    /// qrels, as `trec_eval` without `-c`.
    RunQueries,
}

/// Per-query scores and their means.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    /// The scored queries: those of the run that are in the qrels, in run order, then (with
    /// [`Averaging::Complete`]) the qrels queries the run does not answer, in qrels order, with
    /// zero scores. The means are taken over exactly these.
    pub queries: Vec<QueryScores>,
    /// Mean average precision.
    pub map: f64,
    /// Mean nDCG at 10.
    pub ndcg_10: f64,
    /// Mean precision at 10.
    pub p_10: f64,
    /// Mean recall at 100.
    pub recall_100: f64,
    /// Mean reciprocal rank.
    pub mrr: f64,
    /// Queries of the run that are not in the qrels (not scored), in run order.
    pub unjudged_queries: Vec<String>,
    /// Queries of the qrels that the run has no document for, in qrels order.
    pub without_results: Vec<String>,
    /// Which queries the means are over.
    pub averaging: Averaging,
}

/// Scores `runs` against `qrels`, averaging like `trec_eval -c` ([`Averaging::Complete`]).
///
/// Each ranking is scored in the order given (see the [module documentation](self)); several
/// rankings with one qid are scored as one list, in order. With no query to average over,
/// the means are 0 (where trec_eval stops with an error).
pub fn evaluate(runs: &[Ranking], qrels: &Qrels) -> EvalReport {
    evaluate_with(runs, qrels, Averaging::Complete)
}

/// Scores `runs` against `qrels`, averaging as `averaging` says; otherwise as [`evaluate`].
pub fn evaluate_with(runs: &[Ranking], qrels: &Qrels, averaging: Averaging) -> EvalReport {
    // Group by qid in first-seen order; repeated docids keep their first occurrence.
    let mut order: Vec<&str> = Vec::new();
    let mut lists: HashMap<&str, (Vec<&str>, HashSet<&str>)> = HashMap::new();
    for run in runs {
        let (docs, seen) = lists.entry(run.qid.as_str()).or_insert_with(|| {
            order.push(run.qid.as_str());
            (Vec::new(), HashSet::new())
        });
        for (doc, _) in &run.docs {
            if seen.insert(doc.as_str()) {
                docs.push(doc.as_str());
            }
        }
    }
    let answered = |qid: &str| lists.get(qid).is_some_and(|(docs, _)| !docs.is_empty());

    let mut queries = Vec::new();
    let mut unjudged_queries = Vec::new();
    for qid in order {
        let docs = lists.get(qid).map_or(&[][..], |(docs, _)| docs.as_slice());
        match qrels.judgments(qid) {
            None => unjudged_queries.push(qid.to_owned()),
            Some(judgments) if !docs.is_empty() => queries.push(score(judgments, docs)),
            Some(_) => {}
        }
    }
    let without_results: Vec<String> = qrels
        .queries()
        .filter(|q| !answered(q))
        .map(str::to_owned)
        .collect();
    if averaging == Averaging::Complete {
        for qid in &without_results {
            if let Some(judgments) = qrels.judgments(qid) {
                queries.push(score(judgments, &[]));
            }
        }
    }

    let mean = |f: fn(&QueryScores) -> f64| {
        if queries.is_empty() {
            0.0
        } else {
            queries.iter().map(f).sum::<f64>() / queries.len() as f64
        }
    };
    EvalReport {
        map: mean(|q| q.ap),
        ndcg_10: mean(|q| q.ndcg_10),
        p_10: mean(|q| q.p_10),
        recall_100: mean(|q| q.recall_100),
        mrr: mean(|q| q.rr),
        queries,
        unjudged_queries,
        without_results,
        averaging,
    }
}

/// Scores one query's de-duplicated list. Sums run in rank order, as in trec_eval.
fn score(judgments: &Judgments, docs: &[&str]) -> QueryScores {
    let discount = |i: usize| ((i + 2) as f64).log2(); // rank i + 1
    let (mut found, mut precision_sum, mut dcg, mut rr) = (0usize, 0.0, 0.0, 0.0);
    let (mut found_10, mut found_100) = (0usize, 0usize);
    for (i, doc) in docs.iter().enumerate() {
        let grade = judgments.grades.get(*doc).copied().unwrap_or(0);
        if grade <= 0 {
            continue;
        }
        found += 1;
        precision_sum += found as f64 / (i + 1) as f64;
        if found == 1 {
            rr = 1.0 / (i + 1) as f64;
        }
        if i < CUT_10 {
            found_10 += 1;
            dcg += f64::from(grade) / discount(i);
        }
        if i < CUT_100 {
            found_100 += 1;
        }
    }
    let ideal: f64 = judgments
        .ideal
        .iter()
        .take(CUT_10)
        .enumerate()
        .map(|(i, &g)| f64::from(g) / discount(i))
        .sum();
    let relevant = judgments.relevant;
    let over_relevant = |x: f64| {
        if relevant > 0 {
            x / relevant as f64
        } else {
            0.0
        }
    };
    QueryScores {
        qid: judgments.qid.clone(),
        retrieved: docs.len(),
        relevant,
        relevant_retrieved: found,
        ap: over_relevant(precision_sum),
        ndcg_10: if ideal > 0.0 { dcg / ideal } else { 0.0 },
        p_10: found_10 as f64 / CUT_10 as f64,
        recall_100: over_relevant(found_100 as f64),
        rr,
    }
}

/// Writes `runs` as a TREC run file: one `qid Q0 docid rank score tag` line per document, ranks
/// from 1 in the order given, repeated docids skipped.
///
/// trec_eval re-sorts each query by score (see the [module documentation](self)); scores are
/// written exactly (shortest round-trip form), so it finds the order given wherever scores
/// strictly decrease. A qid, docid or tag that is empty or holds whitespace, or a score that
/// is not finite, would make an unreadable file and fails with
/// [`std::io::ErrorKind::InvalidInput`].
pub fn write_run(
    runs: &[Ranking],
    tag: &str,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    check_field("tag", tag)?;
    for run in runs {
        check_field("query id", &run.qid)?;
        for (rank, (doc, score)) in run.unique_docs().enumerate() {
            check_field("docid", doc)?;
            if !score.is_finite() {
                return Err(invalid(format!(
                    "score {score} of {doc:?} for query {:?} is not finite",
                    run.qid
                )));
            }
            writeln!(out, "{} Q0 {doc} {} {score} {tag}", run.qid, rank + 1)?;
        }
    }
    Ok(())
}

fn check_field(what: &str, value: &str) -> std::io::Result<()> {
    if value.is_empty() || value.contains(char::is_whitespace) {
        return Err(invalid(format!(
            "{what} {value:?} is empty or contains whitespace"
        )));
    }
    Ok(())
}

fn invalid(message: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, message)
}

/// The lines worth parsing, numbered from 1: a leading byte-order mark, trailing `\r`, blank
/// lines and `#` comments removed.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines().enumerate().filter_map(|(i, l)| {
        let l = l.trim_end_matches('\r');
        let t = l.trim_start();
        (!t.is_empty() && !t.starts_with('#')).then_some((i + 1, l))
    })
}

fn read(path: &Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_owned(),
        source,
    })
}

fn in_file(path: &Path, error: EvalError) -> EvalError {
    EvalError::InFile {
        path: path.to_owned(),
        error: Box::new(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values below were computed by trec_eval 9 through pytrec_eval
    /// (pytrec-eval-terrier 0.5.11), measures `map ndcg_cut.10 P.10 recall.100 recip_rank`,
    /// with strictly decreasing scores so that its order is the order given here.
    fn close(ours: f64, reference: f64) {
        assert!(
            (ours - reference).abs() < 1e-12,
            "{ours} != reference {reference}"
        );
    }

    fn ranking(qid: &str, docs: &[&str]) -> Ranking {
        let n = docs.len() as f32;
        Ranking {
            qid: qid.into(),
            docs: (0..docs.len())
                .map(|i| (docs[i].to_owned(), n - i as f32))
                .collect(),
        }
    }

    fn qrels(text: &str) -> Qrels {
        Qrels::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    const GRADED: &str = "\
# graded judgments; d6 is judged -1 (non-relevant)
q1 0 d1 2
q1 0 d2 1
q1 0 d3 0
q1 0 d4 1
q1 0 d5 2
q1 0 d6 -1
q2 0 e1 1
q2 0 e2 0
q3 0 f1 0

q4 0 g1 1
q4 0 g2 2
";

    fn graded_run() -> Vec<Ranking> {
        let q1 = "d3 x1 d1 d6 d2 x2 x3 x4 x5 x6 x7 d4 d1 d5";
        vec![
            ranking("q1", &q1.split(' ').collect::<Vec<_>>()),
            ranking("q2", &["e2", "e1", "e2"]), // short run, repeated docid
            ranking("q3", &["f1", "z1"]),       // no relevant document judged
            ranking("q5", &["a"]),              // not in the qrels
            ranking("q4", &[]),                 // empty: as if absent
        ]
    }

    #[test]
    fn graded_case_matches_trec_eval_per_query() {
        let report = evaluate(&graded_run(), &qrels(GRADED));
        let qids: Vec<&str> = report.queries.iter().map(|q| q.qid.as_str()).collect();
        assert_eq!(qids, ["q1", "q2", "q3", "q4"]);
        let [q1, q2, q3, q4] = &report.queries[..] else {
            panic!("four queries")
        };
        assert_eq!(
            (q1.retrieved, q1.relevant, q1.relevant_retrieved),
            (13, 4, 4)
        );
        close(q1.ap, 0.3227564102564103);
        close(q1.ndcg_10, 0.3307909069025477);
        close(q1.p_10, 0.2);
        close(q1.recall_100, 1.0);
        close(q1.rr, 0.3333333333333333);
        assert_eq!(
            (q2.retrieved, q2.relevant, q2.relevant_retrieved),
            (2, 1, 1)
        );
        close(q2.ap, 0.5);
        close(q2.ndcg_10, 0.6309297535714575);
        close(q2.p_10, 0.1);
        close(q2.recall_100, 1.0);
        close(q2.rr, 0.5);
        assert_eq!((q3.retrieved, q3.relevant), (2, 0));
        for v in [q3.ap, q3.ndcg_10, q3.p_10, q3.recall_100, q3.rr] {
            close(v, 0.0);
        }
        // q4 has no results: a zero row (trec_eval -c).
        assert_eq!((q4.retrieved, q4.relevant), (0, 2));
        for v in [q4.ap, q4.ndcg_10, q4.p_10, q4.recall_100, q4.rr] {
            close(v, 0.0);
        }
        assert_eq!(report.unjudged_queries, ["q5"]);
        assert_eq!(report.without_results, ["q4"]);
    }

    #[test]
    fn complete_averaging_is_trec_eval_c() {
        // Sums of the trec_eval per-query values over the 4 qrels queries.
        let report = evaluate(&graded_run(), &qrels(GRADED));
        assert_eq!(report.averaging, Averaging::Complete);
        close(report.map, 0.20568910256410255);
        close(report.ndcg_10, 0.2404301651185013);
        close(report.p_10, 0.07500000000000001);
        close(report.recall_100, 0.5);
        close(report.mrr, 0.20833333333333331);
    }

    #[test]
    fn run_queries_averaging_is_plain_trec_eval() {
        let report = evaluate_with(&graded_run(), &qrels(GRADED), Averaging::RunQueries);
        assert_eq!(report.queries.len(), 3);
        assert_eq!(report.without_results, ["q4"]);
        close(report.map, 0.2742521367521367);
        close(report.ndcg_10, 0.32057355349133504);
        close(report.p_10, 0.10000000000000002);
        close(report.recall_100, 0.6666666666666666);
        close(report.mrr, 0.27777777777777773);
    }

    #[test]
    fn cutoffs_at_10_and_100() {
        // 160 documents; relevant at ranks 1, 100, 101, 150 and one never retrieved.
        let docs: Vec<String> = (0..160).map(|i| format!("n{i}")).collect();
        let docs: Vec<&str> = docs.iter().map(String::as_str).collect();
        let judged = "q 0 n0 1\nq 0 n99 2\nq 0 n100 1\nq 0 n149 3\nq 0 never 1\nq 0 n5 0\n";
        let report = evaluate(&[ranking("q", &docs)], &qrels(judged));
        let q = &report.queries[0];
        assert_eq!((q.retrieved, q.relevant, q.relevant_retrieved), (160, 5, 4));
        close(q.ap, 0.21527392739273926);
        close(q.ndcg_10, 0.17923109911511356);
        close(q.p_10, 0.1);
        close(q.recall_100, 0.4);
        close(q.rr, 1.0);
    }

    #[test]
    fn scores_the_given_order_not_the_scores() {
        let judged = qrels("q 0 good 1\n");
        let run = Ranking {
            qid: "q".into(),
            docs: vec![("bad".into(), 1.0), ("good".into(), 2.0)],
        };
        close(evaluate(&[run], &judged).queries[0].rr, 0.5);
    }

    #[test]
    fn sort_like_trec_eval_breaks_ties_by_descending_docid() {
        let mut run = Ranking {
            qid: "t".into(),
            docs: [
                ("a", 1.0),
                ("b", 1.0),
                ("c", 0.5),
                ("nan", f32::NAN),
                ("d", 2.0),
                ("e", 1.0),
                ("ab", 1.0),
            ]
            .iter()
            .map(|&(d, s)| (d.to_owned(), s))
            .collect(),
        };
        run.sort_like_trec_eval();
        let order: Vec<&str> = run.docs.iter().map(|(d, _)| d.as_str()).collect();
        assert_eq!(order, ["d", "e", "b", "ab", "a", "c", "nan"]);
        // trec_eval on the same scores (without the NaN document).
        run.docs.pop();
        let report = evaluate(&[run], &qrels("t 0 a 1\nt 0 b 0\nt 0 c 2\nt 0 d 1\n"));
        let q = &report.queries[0];
        close(q.ap, 0.6333333333333333);
        close(q.ndcg_10, 0.6704932229974012);
        close(q.p_10, 0.3);
        close(q.recall_100, 1.0);
        close(q.rr, 1.0);
    }

    #[test]
    fn rankings_sharing_a_qid_are_one_list() {
        let judged = qrels("q 0 a 1\nq 0 b 1\n");
        let split = [ranking("q", &["x", "a"]), ranking("q", &["a", "b"])];
        let whole = [ranking("q", &["x", "a", "b"])];
        assert_eq!(
            evaluate(&split, &judged).queries,
            evaluate(&whole, &judged).queries
        );
    }

    #[test]
    fn nothing_to_average_gives_zero_means() {
        let report = evaluate(&[ranking("q9", &["a"])], &Qrels::default());
        assert!(report.queries.is_empty());
        assert_eq!(report.map, 0.0);
        assert_eq!(report.unjudged_queries, ["q9"]);
    }

    #[test]
    fn qrels_accessors() {
        let q = qrels("\u{feff}q2 0 a 1\r\n  # comment\r\nq1 Q0 b 0\nq2 0 c 3\nq1 0 d -1\n");
        assert_eq!(q.queries().collect::<Vec<_>>(), ["q2", "q1"]);
        assert_eq!(
            (q.relevant("q2"), q.relevant("q1"), q.relevant("zz")),
            (2, 0, 0)
        );
        assert_eq!(q.grade("q2", "c"), Some(3));
        assert_eq!(q.grade("q1", "d"), Some(-1));
        assert_eq!(q.grade("q1", "a"), None);
    }

    fn parse_error(
        result: Result<impl std::fmt::Debug, EvalError>,
    ) -> (&'static str, usize, String) {
        match result {
            Err(EvalError::Parse {
                what,
                line,
                message,
            }) => (what, line, message),
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn qrels_errors_name_the_line() {
        let (what, line, message) = parse_error(Qrels::parse("q 0 a 1\n\nq 0 b\n"));
        assert_eq!((what, line), ("qrels", 3));
        assert!(message.contains("found 3"), "{message}");
        let (_, line, message) = parse_error(Qrels::parse("q 0 a 1.5\n"));
        assert_eq!(line, 1);
        assert!(message.contains("not an integer"), "{message}");
        let (_, line, message) = parse_error(Qrels::parse("q 0 a 1\nq 0 a 0\n"));
        assert_eq!(line, 2);
        assert!(message.contains("judged twice"), "{message}");
    }

    #[test]
    fn queries_file() {
        let text = "# topics\n301\tinternational organized crime \n\n302\tpolio\r\n";
        let queries = parse_queries(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            queries,
            [
                ("301".to_owned(), "international organized crime".to_owned()),
                ("302".to_owned(), "polio".to_owned())
            ]
        );
        for (text, line, needle) in [
            ("1\ta\n2 b\n", 2, "no tab"),
            ("1\ta\n\n1\tb\n", 3, "already used on line 1"),
            ("a b\tc\n", 1, "whitespace"),
            ("\tc\n", 1, "empty query id"),
            ("7\t  \n", 1, "no text"),
        ] {
            let (what, at, message) = parse_error(parse_queries(text));
            assert_eq!((what, at), ("queries", line), "{text:?}");
            assert!(message.contains(needle), "{message}");
        }
    }

    #[test]
    fn files_name_their_path() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let missing = dir.path().join("missing.qrels");
        assert!(matches!(
            Qrels::from_path(&missing),
            Err(EvalError::Io { path, .. }) if path == missing
        ));
        let bad = dir.path().join("topics.tsv");
        std::fs::write(&bad, "1\tok\nnot a query\n")?;
        let Err(error) = read_queries(&bad) else {
            panic!("bad queries file read")
        };
        assert_eq!(
            error.to_string(),
            format!(
                "{}: queries line 2: expected id<TAB>text, found no tab",
                bad.display()
            )
        );
        let good = dir.path().join("qrels");
        std::fs::write(&good, GRADED)?;
        assert_eq!(Qrels::from_path(&good)?.relevant("q1"), 4);
        Ok(())
    }

    #[test]
    fn run_files_read_back_in_trec_eval_order() {
        // Written, then read: the same rankings.
        let runs = [
            ranking("301", &["FT-1", "LA-2", "XIE-3"]),
            ranking("302", &["A", "B"]),
        ];
        let mut out = Vec::new();
        write_run(&runs, "t", &mut out).expect("writes");
        let back = parse_run(&String::from_utf8_lossy(&out)).expect("parses");
        let docs = |r: &Ranking| r.docs.iter().map(|d| d.0.clone()).collect::<Vec<_>>();
        assert_eq!(back.len(), 2);
        assert_eq!(docs(&back[0]), ["FT-1", "LA-2", "XIE-3"]);
        assert_eq!(docs(&back[1]), ["A", "B"]);
        // The score decides the order, not the rank column; ties by docid, descending.
        let back = parse_run("1 Q0 a 1 0.5 x\n1 Q0 b 2 0.9 x\n1 Q0 c 3 0.5 x\n").expect("parses");
        assert_eq!(docs(&back[0]), ["b", "c", "a"]);
        // Malformed lines name the line.
        let e = parse_run("1 Q0 a 1 0.5 x\n1 Q0 b 2 high x\n").unwrap_err();
        assert_eq!(e.to_string(), "run line 2: score \"high\" is not a number");
        assert!(parse_run("1 Q0 a 1 0.5\n").is_err());
    }

    #[test]
    fn run_file_lines() -> std::io::Result<()> {
        let runs = [
            Ranking {
                qid: "301".into(),
                docs: vec![
                    ("FT-1".into(), 12.5),
                    ("LA-2".into(), 0.1),
                    ("FT-1".into(), 0.05),
                    ("XIE-3".into(), -3.0),
                ],
            },
            ranking("302", &[]),
        ];
        let mut out = Vec::new();
        write_run(&runs, "newsdex-bm25", &mut out)?;
        assert_eq!(
            String::from_utf8_lossy(&out),
            "301 Q0 FT-1 1 12.5 newsdex-bm25\n\
             301 Q0 LA-2 2 0.1 newsdex-bm25\n\
             301 Q0 XIE-3 3 -3 newsdex-bm25\n"
        );
        let invalid = |runs: &[Ranking], tag: &str| {
            write_run(runs, tag, &mut Vec::new()).map_err(|e| e.kind())
        };
        assert_eq!(
            invalid(&runs, "two words"),
            Err(std::io::ErrorKind::InvalidInput)
        );
        assert_eq!(
            invalid(&[ranking("a b", &["x"])], "t"),
            Err(std::io::ErrorKind::InvalidInput)
        );
        let nan = Ranking {
            qid: "q".into(),
            docs: vec![("x".into(), f32::NAN)],
        };
        assert_eq!(invalid(&[nan], "t"), Err(std::io::ErrorKind::InvalidInput));
        Ok(())
    }

    #[test]
    fn report_serialises() {
        let report = evaluate(&graded_run(), &qrels(GRADED));
        let json = serde_json::to_value(&report).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(json["averaging"], "complete");
        assert_eq!(json["queries"][0]["qid"], "q1");
        assert_eq!(json["without_results"][0], "q4");
    }
}
