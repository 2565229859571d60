//! The entity pass alone (issue 13): newsdex's recogniser over each article's title and body,
//! on one thread, timed around the extraction only (reading and JSON parsing excluded). The
//! model loads before timing starts; its load time is reported on its own.

use crate::corpus;
use anyhow::Result;
use newsdex::normalise::entities::Recogniser;
use std::path::Path;
use std::time::Instant;

/// Figures of one entity pass.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EntityPass {
    /// Corpus name.
    pub name: String,
    /// Articles extracted.
    pub articles: u64,
    /// Bytes of title + body text.
    pub text_bytes: u64,
    /// Seconds inside the extractor.
    pub seconds: f64,
    /// Text per second, in MB (10^6 bytes), one core.
    pub mb_per_second: f64,
    /// Mean microseconds per article.
    pub us_per_article: f64,
    /// Entities found (all kinds), per article.
    pub entities_per_article: f64,
    /// Milliseconds to load the shipped model (once per process).
    pub model_load_ms: f64,
}

/// Runs the pass over the JSONL file at `path` (at most `limit` articles, 0: all).
pub fn measure(name: &str, path: &Path, limit: u64) -> Result<EntityPass> {
    let started = Instant::now();
    let recogniser = Recogniser::shipped();
    let model_load_ms = started.elapsed().as_secs_f64() * 1e3;
    let (mut seconds, mut articles, mut bytes, mut entities) = (0.0, 0u64, 0u64, 0usize);
    corpus::for_each(path, |doc| {
        if limit > 0 && articles >= limit {
            return Ok(());
        }
        let title = doc.title.unwrap_or_default();
        let body = doc.body.unwrap_or_default();
        let t = Instant::now();
        let found = recogniser.extract(&title, &body, &[]);
        seconds += t.elapsed().as_secs_f64();
        entities += found.len();
        articles += 1;
        bytes += (title.len() + body.len()) as u64;
        Ok(())
    })?;
    let per = |x: f64| {
        if articles == 0 {
            0.0
        } else {
            x / articles as f64
        }
    };
    Ok(EntityPass {
        name: name.to_string(),
        articles,
        text_bytes: bytes,
        seconds,
        mb_per_second: if seconds > 0.0 {
            bytes as f64 / 1e6 / seconds
        } else {
            0.0
        },
        us_per_article: per(seconds * 1e6),
        entities_per_article: per(entities as f64),
        model_load_ms,
    })
}

/// The pass as a Markdown table row (see [`TABLE_HEAD`]).
pub fn row(p: &EntityPass) -> String {
    format!(
        "| {} | {} | {:.1} | {:.2} | **{:.1}** | {:.0} | {:.1} | {:.0} |",
        p.name,
        p.articles,
        p.text_bytes as f64 / 1e6,
        p.seconds,
        p.mb_per_second,
        p.us_per_article,
        p.entities_per_article,
        p.model_load_ms
    )
}

/// Head of the table [`row`] writes.
pub const TABLE_HEAD: &str = "| corpus | articles | text MB | seconds | MB/s (one core) | µs/article | entities/article | model load ms |\n|---|---|---|---|---|---|---|---|";
