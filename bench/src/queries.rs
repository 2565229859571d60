//! The fixed query sets (`bench/queries/*.txt`) and their translation for each system:
//! a newsdex [`SearchRequest`], the arguments of `newsdex search`, and an FTS5 `MATCH`
//! expression with a date condition and an order.
//!
//! A line is a query as typed to `newsdex search`, optionally followed by a tab and options:
//! `sort=newest`, `sort=oldest`, `from=PERIOD`, `to=PERIOD` (periods `YYYY`, `YYYY-MM`,
//! `YYYY-MM-DD`). Blank lines and lines starting with `#` are skipped.
//!
//! The FTS5 side is derived from newsdex's own parse of the query ([`newsdex::Query`]):
//! words and phrases become quoted FTS5 strings (ANDed), `title:` a column filter, an entity
//! scope (`person:`, `org:`, `place:`, `entity:`) a plain match of the name in title or body
//! (FTS5 knows no entities), `date:` ranges and `from`/`to` a condition on the date column,
//! and `sort` an `ORDER BY date`.

use anyhow::{bail, Context, Result};
use newsdex::search::query::{Expr, Leaf, Occur, Scope, Value};
use newsdex::{Mode, Query, SearchRequest, Sort};
use std::path::Path;

/// One benchmark query.
#[derive(Debug, Clone)]
pub struct BenchQuery {
    /// The query text as typed.
    pub text: String,
    /// Order of results.
    pub sort: Sort,
    /// `--from` period.
    pub from: Option<String>,
    /// `--to` period.
    pub to: Option<String>,
    /// The FTS5 translation.
    pub fts: FtsQuery,
}

/// A query for the FTS5 peer.
#[derive(Debug, Clone, PartialEq)]
pub struct FtsQuery {
    /// The `MATCH` expression.
    pub matches: String,
    /// Dates in `[start, end)`, seconds since 1970 (either side open).
    pub date: (Option<i64>, Option<i64>),
    /// Order of results.
    pub sort: Sort,
}

impl BenchQuery {
    /// The line as written in a query file.
    pub fn line(&self) -> String {
        let mut opts = Vec::new();
        match self.sort {
            Sort::Newest => opts.push("sort=newest".to_string()),
            Sort::Oldest => opts.push("sort=oldest".to_string()),
            Sort::Relevance => {}
        }
        if let Some(f) = &self.from {
            opts.push(format!("from={f}"));
        }
        if let Some(t) = &self.to {
            opts.push(format!("to={t}"));
        }
        if opts.is_empty() {
            self.text.clone()
        } else {
            format!("{}\t{}", self.text, opts.join(" "))
        }
    }

    /// The library request: top 10 with snippets (3 fragments per hit), as the CLI asks.
    pub fn request(&self) -> SearchRequest {
        let mut r = SearchRequest::new(&self.text).limit(10).sort(self.sort);
        if let Some(f) = &self.from {
            r = r.from(f);
        }
        if let Some(t) = &self.to {
            r = r.to(t);
        }
        r
    }

    /// Arguments after `newsdex --index DIR search`.
    pub fn cli_args(&self) -> Vec<String> {
        let mut args = vec![self.text.clone()];
        match self.sort {
            Sort::Newest => args.extend(["--sort".into(), "newest".into()]),
            Sort::Oldest => args.extend(["--sort".into(), "oldest".into()]),
            Sort::Relevance => {}
        }
        if let Some(f) = &self.from {
            args.extend(["--from".into(), f.clone()]);
        }
        if let Some(t) = &self.to {
            args.extend(["--to".into(), t.clone()]);
        }
        args
    }

    /// Rough kind, for the per-kind summary: sorted, dated, entity, phrase or keywords.
    pub fn kind(&self) -> &'static str {
        if self.sort != Sort::Relevance {
            "sorted by date"
        } else if self.from.is_some() || self.to.is_some() || self.text.contains("date:") {
            "date-filtered"
        } else if ["person:", "org:", "place:", "entity:"]
            .iter()
            .any(|s| self.text.contains(s))
        {
            "entity"
        } else if self.text.contains('"') {
            "phrase"
        } else {
            "keywords"
        }
    }
}

/// Read a query file.
pub fn read(path: &Path) -> Result<Vec<BenchQuery>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        out.push(parse_line(line).with_context(|| format!("{}, line {}", path.display(), i + 1))?);
    }
    Ok(out)
}

/// Parse one line of a query file.
pub fn parse_line(line: &str) -> Result<BenchQuery> {
    let (text, opts) = line.split_once('\t').unwrap_or((line, ""));
    let mut q = BenchQuery {
        text: text.trim().to_string(),
        sort: Sort::Relevance,
        from: None,
        to: None,
        fts: FtsQuery {
            matches: String::new(),
            date: (None, None),
            sort: Sort::Relevance,
        },
    };
    for opt in opts.split_whitespace() {
        match opt.split_once('=') {
            Some(("sort", "newest")) => q.sort = Sort::Newest,
            Some(("sort", "oldest")) => q.sort = Sort::Oldest,
            Some(("from", p)) => q.from = Some(p.to_string()),
            Some(("to", p)) => q.to = Some(p.to_string()),
            _ => bail!("unknown option {opt:?} (sort=newest|oldest, from=PERIOD, to=PERIOD)"),
        }
    }
    q.fts = translate(&q)?;
    Ok(q)
}

fn translate(q: &BenchQuery) -> Result<FtsQuery> {
    let (parsed, mode) = Query::parse_in(&q.text, Mode::Auto)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("newsdex does not parse it")?;
    if mode != Mode::All {
        bail!("read as a sentence (any word may match); benchmark queries must be ANDed");
    }
    let mut date = (None, None);
    let root = parsed.root.context("an empty query")?;
    let matches = expr(&root, &mut date, true)?.context("a query without words")?;
    let mut narrow = |period_text: &Option<String>, upper: bool| -> Result<()> {
        if let Some(p) = period_text {
            let (start, end) = crate::corpus::period(p).with_context(|| format!("period {p}"))?;
            if upper {
                date.1 = Some(date.1.map_or(end, |e: i64| e.min(end)));
            } else {
                date.0 = Some(date.0.map_or(start, |s: i64| s.max(start)));
            }
        }
        Ok(())
    };
    narrow(&q.from, false)?;
    narrow(&q.to, true)?;
    Ok(FtsQuery {
        matches,
        date,
        sort: q.sort,
    })
}

/// The FTS5 expression of `e`; date ranges go to `date` (only as a top-level condition).
fn expr(e: &Expr, date: &mut (Option<i64>, Option<i64>), top: bool) -> Result<Option<String>> {
    match e {
        Expr::Leaf(leaf) => leaf_expr(leaf, date, top),
        Expr::And(clauses) => {
            let mut must = Vec::new();
            let mut not = Vec::new();
            for (occur, c) in clauses {
                match (occur, expr(c, date, top && *occur == Occur::Must)?) {
                    (Occur::Must, Some(s)) => must.push(s),
                    (Occur::MustNot, Some(s)) => not.push(s),
                    (_, None) => {}
                }
            }
            if must.is_empty() {
                if not.is_empty() {
                    return Ok(None);
                }
                bail!("FTS5 cannot express a query made only of exclusions");
            }
            let mut s = if must.len() == 1 {
                must.remove(0)
            } else {
                format!("({})", must.join(" AND "))
            };
            for n in not {
                s = format!("{s} NOT {n}");
            }
            Ok(Some(s))
        }
        Expr::Or(parts) => {
            let parts = parts
                .iter()
                .map(|p| expr(p, date, false))
                .collect::<Result<Vec<_>>>()?;
            let parts: Option<Vec<String>> = parts.into_iter().collect();
            Ok(parts.map(|p| format!("({})", p.join(" OR "))))
        }
        Expr::Any(_) => bail!("natural-language queries are not in the benchmark"),
    }
}

fn leaf_expr(
    leaf: &Leaf,
    date: &mut (Option<i64>, Option<i64>),
    top: bool,
) -> Result<Option<String>> {
    let words = match &leaf.value {
        Value::Word(w) | Value::Phrase(w) => w,
        Value::Range(from, to) => {
            if !top || leaf.scope != Scope::Date {
                bail!("a date range must be a top-level condition");
            }
            *date = (*from, *to);
            return Ok(None);
        }
    };
    let quoted = format!("\"{}\"", words.replace('"', "\"\""));
    match leaf.scope {
        Scope::Text | Scope::Entity(_) | Scope::Exact(_) => Ok(Some(quoted)),
        Scope::Title => Ok(Some(format!("title : {quoted}"))),
        Scope::Body => Ok(Some(format!("body : {quoted}"))),
        Scope::Date => {
            // `date:2017-12`: parsed as a range by newsdex; a word here is unexpected.
            bail!("a date that is not a range")
        }
        other => bail!("{other:?} has no FTS5 translation"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translations() {
        let q = parse_line("oil prices").unwrap();
        assert_eq!(q.fts.matches, "(\"oil\" AND \"prices\")");
        let q = parse_line("person:\"James Baker\" \"interest rates\"").unwrap();
        assert_eq!(q.fts.matches, "(\"James Baker\" AND \"interest rates\")");
        let q = parse_line("coffee date:[1987-03 TO 1987-04]\tsort=newest").unwrap();
        assert_eq!(q.fts.matches, "\"coffee\"");
        assert_eq!(q.fts.date, (Some(541_555_200), Some(546_825_600)));
        assert_eq!(q.fts.sort, Sort::Newest);
        let q = parse_line("grain\tfrom=1987-03 to=1987-03").unwrap();
        assert_eq!(q.fts.date, (Some(541_555_200), Some(544_233_600)));
        assert_eq!(
            q.cli_args(),
            ["grain", "--from", "1987-03", "--to", "1987-03"]
        );
        assert!(parse_line("what did the central banks say about interest rates").is_err());
    }
}
