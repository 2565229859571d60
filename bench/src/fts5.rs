//! The peer: SQLite FTS5 through rusqlite (bundled SQLite), on the same documents and queries.
//!
//! Table `a(title, body, date UNINDEXED)` with `tokenize='porter unicode61'` (English stemming,
//! as newsdex stems English) and its `rank` set to `bm25(0.5, 1.0)` (the title weighted as
//! newsdex weighs it); all rows inserted in one transaction; SQLite's default settings otherwise
//! (journal, page cache, FTS5 automerge). A query returns the top 10 by rank or by date, each
//! with its title, date and a `snippet()` of the body, plus the number of matching rows
//! (newsdex reports it too).
//!
//! The statements take the fast paths FTS5 offers, so the peer is not handicapped by naive
//! SQL: `ORDER BY rank LIMIT 10` lets FTS5 sort inside the virtual table, so `snippet()` runs
//! for the 10 rows returned only (`ORDER BY bm25(a, ...)` would compute it for every match);
//! date order picks the 10 row ids first and computes snippets for those alone.

use crate::queries::FtsQuery;
use anyhow::{Context, Result};
use newsdex::Sort;
use rusqlite::{params, Connection};
use std::path::Path;
use std::time::Instant;

/// What building the FTS5 database did (printed as JSON by the child process).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct BuildReport {
    /// Rows inserted.
    pub articles: u64,
    /// Seconds from opening the input to the end of the commit.
    pub seconds: f64,
    /// SQLite version.
    pub sqlite: String,
}

/// Build a fresh FTS5 database at `db` from the JSONL file `input`.
pub fn build(input: &Path, db: &Path) -> Result<BuildReport> {
    let started = Instant::now();
    for suffix in ["", "-journal", "-wal"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        match std::fs::remove_file(&p) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("removing {}", db.display()))
            }
            _ => {}
        }
    }
    let mut conn = Connection::open(db).with_context(|| format!("creating {}", db.display()))?;
    conn.execute_batch(
        "CREATE VIRTUAL TABLE a USING fts5(title, body, date UNINDEXED, tokenize='porter unicode61');
         INSERT INTO a(a, rank) VALUES('rank', 'bm25(0.5, 1.0)');",
    )?;
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare("INSERT INTO a(title, body, date) VALUES (?1, ?2, ?3)")?;
        crate::corpus::for_each(input, |doc| {
            let date = doc.date.as_deref().and_then(crate::corpus::epoch_seconds);
            insert.execute(params![
                doc.title.unwrap_or_default(),
                doc.body.unwrap_or_default(),
                date
            ])?;
            Ok(())
        })?;
    }
    tx.commit()?;
    let articles: i64 = conn.query_row("SELECT count(*) FROM a", [], |r| r.get(0))?;
    let sqlite: String = conn.query_row("SELECT sqlite_version()", [], |r| r.get(0))?;
    drop(conn);
    Ok(BuildReport {
        articles: articles.max(0) as u64,
        seconds: started.elapsed().as_secs_f64(),
        sqlite,
    })
}

/// One hit of the peer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FtsHit {
    /// Row id.
    pub rowid: i64,
    /// Headline.
    pub title: String,
    /// Seconds since 1970.
    pub date: Option<i64>,
    /// `snippet()` of the body.
    pub snippet: String,
}

/// Answers of the peer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FtsResults {
    /// Matching rows.
    pub total: u64,
    /// The top 10.
    pub hits: Vec<FtsHit>,
}

/// An open FTS5 database.
pub struct Fts5 {
    conn: Connection,
}

impl Fts5 {
    /// Open the database built by [`build`].
    pub fn open(db: &Path) -> Result<Fts5> {
        let conn = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .with_context(|| format!("opening {}", db.display()))?;
        conn.set_prepared_statement_cache_capacity(512);
        Ok(Fts5 { conn })
    }

    /// Top 10 with snippets, and the count.
    pub fn search(&self, q: &FtsQuery) -> Result<FtsResults> {
        Ok(FtsResults {
            hits: self.top(q)?,
            total: self.count(q)?,
        })
    }

    /// The top 10 with snippets.
    pub fn top(&self, q: &FtsQuery) -> Result<Vec<FtsHit>> {
        let filter = filter(q);
        const COLUMNS: &str = "a.rowid, a.title, a.date, snippet(a, 1, '[', ']', '…', 24)";
        let sql = match q.sort {
            Sort::Relevance => {
                format!("SELECT {COLUMNS} FROM a WHERE {filter} ORDER BY rank LIMIT 10")
            }
            Sort::Newest | Sort::Oldest => {
                let dir = if q.sort == Sort::Newest {
                    "DESC"
                } else {
                    "ASC"
                };
                format!(
                    "WITH top AS (SELECT rowid AS id, date AS d FROM a WHERE {filter} \
                     ORDER BY date {dir} LIMIT 10) \
                     SELECT {COLUMNS} FROM top JOIN a ON a.rowid = top.id \
                     WHERE a MATCH ?1 ORDER BY top.d {dir}"
                )
            }
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        bind(&mut stmt, q)?;
        let mut rows = stmt.raw_query();
        let mut hits = Vec::with_capacity(10);
        while let Some(row) = rows.next()? {
            hits.push(FtsHit {
                rowid: row.get(0)?,
                title: row.get(1)?,
                date: row.get(2)?,
                snippet: row.get(3)?,
            });
        }
        Ok(hits)
    }

    /// The number of matching rows.
    pub fn count(&self, q: &FtsQuery) -> Result<u64> {
        let sql = format!("SELECT count(*) FROM a WHERE {}", filter(q));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        bind(&mut stmt, q)?;
        let mut rows = stmt.raw_query();
        let total: i64 = match rows.next()? {
            Some(row) => row.get(0)?,
            None => 0,
        };
        Ok(total.max(0) as u64)
    }
}

/// The `WHERE` condition of `q` (`?1` the match, `?2`/`?3` the date bounds).
fn filter(q: &FtsQuery) -> String {
    let mut filter = String::from("a MATCH ?1");
    if q.date.0.is_some() {
        filter.push_str(" AND a.date >= ?2");
    }
    if q.date.1.is_some() {
        filter.push_str(" AND a.date < ?3");
    }
    filter
}

fn bind(stmt: &mut rusqlite::CachedStatement<'_>, q: &FtsQuery) -> Result<()> {
    stmt.raw_bind_parameter(1, &q.matches)?;
    if let Some(from) = q.date.0 {
        stmt.raw_bind_parameter(2, from)?;
    }
    if let Some(to) = q.date.1 {
        stmt.raw_bind_parameter(3, to)?;
    }
    Ok(())
}
