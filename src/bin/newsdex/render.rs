//! Output: search hits as text (bold highlights on a terminal, `**markers**` when piped),
//! JSON and JSON Lines; index summaries; statistics with bar charts.

use crate::args::Color;
use newsdex::index::Stats;
use newsdex::{Article, Event, Highlight, IndexReport, ReadOptions, SearchResults};
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// How highlights and headings are marked.
pub struct Style {
    ansi: bool,
}

impl Style {
    pub fn new(color: Color) -> Self {
        let ansi = match color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        Style { ansi }
    }

    /// A highlight: bold yellow on a terminal. Inside bold text (`in_bold`) only the colour
    /// is reset after it, so the surrounding text stays bold.
    fn mark(&self, s: &str, in_bold: bool) -> String {
        if self.ansi {
            let end = if in_bold { "\x1b[39m" } else { "\x1b[22;39m" };
            format!("\x1b[1;33m{s}{end}")
        } else {
            format!("**{s}**")
        }
    }

    pub fn bold(&self, s: &str) -> String {
        if self.ansi {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    pub fn dim(&self, s: &str) -> String {
        if self.ansi {
            format!("\x1b[2m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// Write to stdout; a closed pipe (`| head`) is not an error.
pub fn write_stdout(s: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// `text` with the `char` ranges `highlights` (offsets relative to `base`) marked.
fn highlight(
    text: &str,
    base: usize,
    highlights: &[Highlight],
    style: &Style,
    in_bold: bool,
) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut pos = 0;
    for h in highlights {
        let (s, e) = (h.start.saturating_sub(base), h.end.saturating_sub(base));
        if s < pos || e > chars.len() || s >= e {
            continue;
        }
        out.extend(&chars[pos..s]);
        out.push_str(&style.mark(&chars[s..e].iter().collect::<String>(), in_bold));
        pos = e;
    }
    out.extend(&chars[pos..]);
    out
}

pub fn date_label(a: &Article) -> String {
    match &a.date {
        None => "undated".to_string(),
        Some(d) => {
            let fmt = match d.precision {
                newsdex::DatePrecision::Year => "%Y",
                newsdex::DatePrecision::Month => "%Y-%m",
                newsdex::DatePrecision::Day => "%Y-%m-%d",
                newsdex::DatePrecision::Instant => "%Y-%m-%d %H:%M",
            };
            d.instant.format(fmt).to_string()
        }
    }
}

pub fn search_text(r: &SearchResults, style: &Style) -> String {
    let mut out = String::new();
    let sort = match r.sort {
        newsdex::Sort::Relevance => "best match first",
        newsdex::Sort::Newest => "newest first",
        newsdex::Sort::Oldest => "oldest first",
    };
    let noun = if r.total == 1 { "article" } else { "articles" };
    let query = if r.query.trim().is_empty() {
        "everything".to_string()
    } else {
        r.query.clone()
    };
    if r.hits.is_empty() {
        if r.total == 0 {
            let _ = writeln!(out, "No article matches {query}.");
        } else if r.offset >= r.total {
            let _ = writeln!(
                out,
                "{} {noun} match {query}; none after the first {}.",
                r.total, r.offset
            );
        } else {
            let _ = writeln!(out, "{} {noun} match {query}.", r.total);
        }
        return out;
    }
    if r.relaxed {
        let _ = writeln!(
            out,
            "No article has every word of {query}; showing articles with any of them."
        );
    } else if r.mode == newsdex::Mode::Any && !r.query.starts_with("similar:") {
        let _ = writeln!(out, "Read as natural language: any word may match.");
    }
    let first = r.offset + 1;
    let last = r.offset + r.hits.len();
    let folded = if r.folded && r.hits.iter().any(|h| h.copies > 0) {
        " (copies of one story folded)"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "{first}–{last} of {} {noun} matching {query}, {sort}{folded}\n",
        crate::views::thousands(r.total as u64)
    );
    let width = last.to_string().len();
    for hit in &r.hits {
        let _ = writeln!(
            out,
            "{:>width$}. {}",
            hit.rank,
            style.bold(&highlight(
                &hit.article.title,
                0,
                &hit.title_highlights,
                style,
                true
            ))
        );
        let pad = " ".repeat(width + 2);
        let mut meta = vec![date_label(&hit.article)];
        if let Some(p) = &hit.article.publisher {
            meta.push(p.clone());
        }
        if !hit.article.authors.is_empty() {
            meta.push(hit.article.authors.join(", "));
        }
        meta.push(format!("score {:.2}", hit.score));
        let _ = writeln!(out, "{pad}{}", style.dim(&meta.join(" · ")));
        for f in &hit.fragments {
            let text = highlight(
                &f.text,
                f.start - usize::from(f.text.starts_with('…')),
                &f.highlights,
                style,
                false,
            );
            let _ = writeln!(out, "{pad}{text}");
        }
        if hit.copies > 0 {
            let more = if hit.copies == 1 { "copy" } else { "copies" };
            let _ = writeln!(
                out,
                "{pad}{}",
                style.dim(&format!(
                    "+ {} more {more} of this story (--all-copies to list them)",
                    hit.copies
                ))
            );
        }
        let mut source = hit.article.source.path.clone();
        if let Some(member) = &hit.article.source.member {
            let _ = write!(source, "!/{member}");
        }
        if let Some(r) = hit.article.source.record {
            let _ = write!(source, ":{r}");
        }
        let _ = writeln!(
            out,
            "{pad}{}\n",
            style.dim(&format!("id {} · {source}", hit.article.id))
        );
    }
    out
}

pub fn search_jsonl(r: &SearchResults) -> anyhow::Result<String> {
    json_lines(&r.hits)
}

/// One JSON object per line.
pub fn json_lines<T: serde::Serialize>(items: &[T]) -> anyhow::Result<String> {
    let mut out = String::new();
    for item in items {
        out.push_str(&serde_json::to_string(item)?);
        out.push('\n');
    }
    Ok(out)
}

pub fn index_report(r: &IndexReport, dir: &Path, paths: &[PathBuf]) -> String {
    let inputs: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let secs = r.elapsed.as_secs_f64().max(1e-6);
    let articles = r.indexed + r.updated + r.duplicate_ids;
    let formats: Vec<String> = r.formats.iter().map(|(f, n)| format!("{f} {n}")).collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Indexed {} into {} in {secs:.2} s",
        inputs.join(", "),
        dir.display()
    );
    let _ = writeln!(
        out,
        "  files      {} read, {} unchanged, {} removed, {} skipped",
        r.files, r.files_unchanged, r.files_removed, r.files_skipped
    );
    let _ = writeln!(
        out,
        "  articles   {} indexed ({} copies of stories already indexed), {} updated, {} removed, {} duplicate ids",
        r.indexed, r.duplicates, r.updated, r.removed, r.duplicate_ids
    );
    if !formats.is_empty() {
        let _ = writeln!(out, "  formats    {}", formats.join(", "));
    }
    if r.not_articles > 0 {
        let _ = writeln!(
            out,
            "  warnings   {} (and {} notes of input holding no article)",
            r.warnings, r.not_articles
        );
    } else {
        let _ = writeln!(out, "  warnings   {}", r.warnings);
    }
    let _ = writeln!(
        out,
        "  speed      {:.0} articles/s, {:.1} MB/s read",
        articles as f64 / secs,
        r.bytes as f64 / secs / 1e6
    );
    let _ = writeln!(out, "  index      {} articles in total", r.total_in_index);
    out
}

/// Print normalised articles as JSONL; returns (articles, files, warnings).
pub fn normalize(paths: &[PathBuf], options: &ReadOptions) -> anyhow::Result<(u64, usize, u64)> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut articles, mut files, mut warnings) = (0u64, 0usize, 0u64);
    let mut failure: Option<std::io::Error> = None;
    newsdex::read_paths(paths, options, &mut |event| match event {
        Event::Article(a) => {
            articles += 1;
            if failure.is_none() {
                let line = serde_json::to_string(&a).unwrap_or_default();
                if let Err(e) = writeln!(out, "{line}") {
                    failure = Some(e);
                }
            }
        }
        Event::Warning(e) if e.is_not_an_article() => eprintln!("note: {e}"),
        Event::Warning(e) => {
            warnings += 1;
            eprintln!("warning: {e}");
        }
        Event::FileDone { .. } => files += 1,
        _ => {}
    });
    match failure.map_or_else(|| out.flush(), Err) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other?,
    }
    Ok((articles, files, warnings))
}

pub fn bar(count: u64, max: u64, width: usize) -> String {
    let n = ((count as f64 / max.max(1) as f64) * width as f64).round() as usize;
    "█".repeat(n.max(1))
}

pub fn stats_text(s: &Stats, dir: &Path, style: &Style) -> String {
    let mut out = String::new();
    let size = s.index_bytes as f64 / 1e6;
    let _ = writeln!(
        out,
        "{}  {} ({} segment{}, {size:.1} MB)",
        style.bold("Index     "),
        dir.display(),
        s.segments,
        if s.segments == 1 { "" } else { "s" }
    );
    let _ = writeln!(
        out,
        "{}  {} ({} dated; {} distinct stories, {} copies folded)",
        style.bold("Articles  "),
        s.articles,
        s.dated,
        s.stories,
        s.articles.saturating_sub(s.stories)
    );
    if let (Some(a), Some(b)) = (&s.earliest, &s.latest) {
        let _ = writeln!(
            out,
            "{}  {} – {}",
            style.bold("Dates     "),
            &a[..10],
            &b[..10]
        );
    }
    let list = |v: &[newsdex::index::Count]| {
        v.iter()
            .map(|c| format!("{} {}", c.name, c.count))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let _ = writeln!(out, "{}  {}", style.bold("Formats   "), list(&s.formats));
    let _ = writeln!(out, "{}  {}", style.bold("Languages "), list(&s.languages));
    for (kind, counts) in &s.top_entities {
        let _ = writeln!(
            out,
            "\n{}",
            style.bold(&format!("Top {kind} entities (articles)"))
        );
        let width = counts
            .iter()
            .map(|c| c.name.chars().count())
            .max()
            .unwrap_or(0);
        let max = counts.first().map_or(1, |c| c.count);
        for c in counts {
            let _ = writeln!(
                out,
                "  {:<width$}  {:>5}  {}",
                c.name,
                c.count,
                bar(c.count, max, 30)
            );
        }
    }
    out
}
