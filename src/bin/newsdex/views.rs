//! Output of the browsing commands: facets, timelines, entities, one article, evaluation
//! reports, and CSV for every result list.

use crate::render::{bar, date_label, Style};
use newsdex::eval::ranking::EvalReport;
use newsdex::{Article, EntityReport, Facets, SearchResults, Timeline};
use std::fmt::Write as _;

pub use newsdex::chart::thousands;

/// Rows of `(label, count)` as aligned lines with bars scaled to the largest count.
fn bar_rows(out: &mut String, rows: &[(String, u64)], width: usize, indent: &str) {
    let label_width = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0);
    let count_width = thousands(max).len();
    for (label, count) in rows {
        let drawn = if *count == 0 {
            String::new()
        } else {
            bar(*count, max, width)
        };
        let _ = writeln!(
            out,
            "{indent}{label:<label_width$}  {:>count_width$}  {drawn}",
            thousands(*count)
        );
    }
}

/// The facets of a search, as bar lists.
pub fn facets_text(f: &Facets, style: &Style) -> String {
    let mut out = String::new();
    let mut section = |title: &str, rows: Vec<(String, u64)>| {
        if rows.is_empty() {
            return;
        }
        let _ = writeln!(out, "{}", style.bold(title));
        bar_rows(&mut out, &rows, 30, "  ");
        out.push('\n');
    };
    let counts = |v: &[newsdex::index::Count]| -> Vec<(String, u64)> {
        v.iter().map(|c| (c.name.clone(), c.count)).collect()
    };
    for (kind, list) in &f.entities {
        let title = match kind {
            newsdex::EntityKind::Person => "People",
            newsdex::EntityKind::Organization => "Organisations",
            newsdex::EntityKind::Place => "Places",
            newsdex::EntityKind::Other => "Other names",
        };
        section(title, counts(list));
    }
    section("Publishers", counts(&f.publishers));
    section("Languages", counts(&f.languages));
    let mut years = counts(&f.years);
    if f.undated > 0 {
        years.push(("undated".into(), f.undated));
    }
    section("Years", years);
    // Months: the latest 24 with matches, oldest first (all of them are in --format json).
    let skip = f.months.len().saturating_sub(24);
    let title = if skip > 0 {
        format!("Months (latest 24 of {})", f.months.len())
    } else {
        "Months".to_string()
    };
    section(&title, counts(&f.months[skip..]));
    out
}

/// A timeline as a terminal bar chart, one line per period.
pub fn timeline_text(t: &Timeline, style: &Style) -> String {
    let mut out = String::new();
    let query = if t.query.trim().is_empty() {
        "every article".to_string()
    } else {
        format!("articles matching {}", t.query)
    };
    let dated = t.total - t.undated;
    let _ = write!(
        out,
        "{}",
        style.bold(&format!("{} per {}", capitalise(&query), t.by.as_str()))
    );
    match (t.buckets.first(), t.buckets.last()) {
        (Some(a), Some(b)) => {
            let _ = writeln!(
                out,
                " ({} – {}): {} dated, {} undated\n",
                a.period,
                b.period,
                thousands(dated),
                thousands(t.undated)
            );
        }
        _ => {
            let _ = writeln!(out, ": no dated article ({} undated)", thousands(t.undated));
            return out;
        }
    }
    let rows: Vec<(String, u64)> = t
        .buckets
        .iter()
        .map(|b| (b.period.clone(), b.count))
        .collect();
    let label_width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0);
    let count_width = thousands(max).len();
    let mut i = 0;
    while i < rows.len() {
        let run = rows[i..].iter().take_while(|r| r.1 == 0).count();
        if run > EMPTY_RUN {
            let _ = writeln!(
                out,
                "{:<label_width$}  {}",
                "⋮",
                style.dim(&format!(
                    "{} {}s with none ({} – {})",
                    thousands(run as u64),
                    t.by.as_str(),
                    rows[i].0,
                    rows[i + run - 1].0
                ))
            );
            i += run;
            continue;
        }
        let (label, count) = &rows[i];
        let drawn = if *count == 0 {
            String::new()
        } else {
            bar(*count, max, 50)
        };
        let _ = writeln!(
            out,
            "{label:<label_width$}  {:>count_width$}  {drawn}",
            thousands(*count)
        );
        i += 1;
    }
    out
}

/// Runs of more empty periods than this are one line of a text timeline.
const EMPTY_RUN: usize = 3;

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The entities of a result set: a ranked table with shares and co-mentions.
pub fn entities_text(r: &EntityReport, style: &Style) -> String {
    let mut out = String::new();
    let scope = if r.query.trim().is_empty() {
        "the archive".to_string()
    } else {
        format!("articles matching {}", r.query)
    };
    if r.entities.is_empty() {
        let _ = writeln!(
            out,
            "No entities in {scope} ({} articles).",
            thousands(r.total)
        );
        return out;
    }
    let _ = writeln!(
        out,
        "{}\n",
        style.bold(&format!(
            "Top {} entities of {scope} ({} articles)",
            r.entities.len(),
            thousands(r.total)
        ))
    );
    let name_width = r
        .entities
        .iter()
        .map(|e| e.name.chars().count())
        .max()
        .unwrap_or(0);
    let count_width = thousands(r.entities[0].count).len().max(5);
    let max = r.entities.iter().map(|e| e.count).max().unwrap_or(1);
    let rank_width = r.entities.len().to_string().len();
    for (i, e) in r.entities.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:>rank_width$}. {:<12} {:<name_width$}  {:>count_width$}  {:>4.0}%  {}",
            i + 1,
            e.kind.as_str(),
            e.name,
            thousands(e.count),
            e.share * 100.0,
            bar(e.count, max, 20)
        );
        let aliases = display_aliases(e, 6);
        if !aliases.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                style.dim(&format!(
                    "{:rank_width$}  {:<12} also {}",
                    "",
                    "",
                    aliases.join(", ")
                ))
            );
        }
        if !e.co_mentions.is_empty() {
            let with: Vec<String> = e
                .co_mentions
                .iter()
                .map(|c| format!("{} ({})", c.name, thousands(c.count)))
                .collect();
            let _ = writeln!(
                out,
                "{}",
                style.dim(&format!(
                    "{:rank_width$}  {:<12} with {}",
                    "",
                    "",
                    with.join(", ")
                ))
            );
        }
    }
    out
}

/// The other names of an entity worth showing: case variants of one name ("AMERICA",
/// "America") once, at most `max`, with a count of the rest.
fn display_aliases(e: &newsdex::EntityCount, max: usize) -> Vec<String> {
    let mut seen = std::collections::HashSet::from([e.name.to_lowercase()]);
    let distinct: Vec<&str> = e
        .aliases
        .iter()
        .map(|a| a.name.as_str())
        .filter(|a| seen.insert(a.to_lowercase()))
        .collect();
    let mut out: Vec<String> = distinct.iter().take(max).map(|a| a.to_string()).collect();
    if distinct.len() > max {
        out.push(format!("+{} more", distinct.len() - max));
    }
    out
}

/// One whole article: headline, metadata, entities, body.
pub fn article_text(a: &Article, style: &Style) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", style.bold(&a.title));
    let mut meta = vec![date_label(a)];
    if let Some(d) = &a.date {
        meta[0] = format!("{} ({})", meta[0], d.origin.as_str());
    }
    if let Some(p) = &a.publisher {
        meta.push(p.clone());
    }
    if !a.authors.is_empty() {
        meta.push(format!("by {}", a.authors.join(", ")));
    }
    if let Some(l) = &a.language {
        meta.push(l.clone());
    }
    let _ = writeln!(out, "{}", style.dim(&meta.join(" · ")));
    if let Some(u) = &a.url {
        let _ = writeln!(out, "{}", style.dim(u));
    }
    let mut source = a.source.path.clone();
    if let Some(m) = &a.source.member {
        let _ = write!(source, "!/{m}");
    }
    if let Some(r) = a.source.record {
        let _ = write!(source, ":{r}");
    }
    let _ = writeln!(
        out,
        "{}",
        style.dim(&format!(
            "id {} · {} · {source}",
            a.id,
            a.source.format.as_str()
        ))
    );
    if !a.topics.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            style.dim(&format!("topics: {}", a.topics.join(", ")))
        );
    }
    if !a.entities.is_empty() {
        out.push('\n');
        for kind in newsdex::EntityKind::ALL {
            let names: Vec<String> = a
                .entities
                .iter()
                .filter(|e| e.kind == kind)
                .map(|e| {
                    let mut s = e.name.clone();
                    if e.mentions.is_empty() {
                        // Named by the source's metadata, not found in the text.
                        s.push_str(" (declared)");
                    } else {
                        let _ = write!(s, " ×{}", e.mentions.len());
                    }
                    if !e.aliases.is_empty() {
                        let _ = write!(s, " (also {})", e.aliases.join(", "));
                    }
                    s
                })
                .collect();
            if !names.is_empty() {
                let _ = writeln!(
                    out,
                    "{:<13} {}",
                    format!("{}:", kind.as_str()),
                    names.join(" · ")
                );
            }
        }
    }
    out.push('\n');
    for paragraph in a.body.split("\n\n") {
        let _ = writeln!(out, "{}\n", paragraph.trim_end());
    }
    out
}

/// An evaluation report: the means, and every query's scores when asked.
pub fn eval_text(r: &EvalReport, per_query: bool, failed: &[(String, String)]) -> String {
    let mut out = String::new();
    if per_query {
        let _ = writeln!(
            out,
            "{:<8} {:>6} {:>6} {:>6} {:>8} {:>8} {:>6} {:>6} {:>6}",
            "query", "found", "rel", "relret", "AP", "nDCG@10", "P@10", "R@100", "RR"
        );
        for q in &r.queries {
            let _ = writeln!(
                out,
                "{:<8} {:>6} {:>6} {:>6} {:>8.4} {:>8.4} {:>6.3} {:>6.3} {:>6.3}",
                q.qid,
                q.retrieved,
                q.relevant,
                q.relevant_retrieved,
                q.ap,
                q.ndcg_10,
                q.p_10,
                q.recall_100,
                q.rr
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "queries    {}", r.queries.len());
    let _ = writeln!(out, "MAP        {:.4}", r.map);
    let _ = writeln!(out, "nDCG@10    {:.4}", r.ndcg_10);
    let _ = writeln!(out, "P@10       {:.4}", r.p_10);
    let _ = writeln!(out, "R@100      {:.4}", r.recall_100);
    let _ = writeln!(out, "MRR        {:.4}", r.mrr);
    if !r.without_results.is_empty() {
        let _ = writeln!(
            out,
            "no results {} (counted as 0)",
            r.without_results.join(", ")
        );
    }
    if !r.unjudged_queries.is_empty() {
        let _ = writeln!(
            out,
            "unjudged   {} (not scored)",
            r.unjudged_queries.join(", ")
        );
    }
    for (qid, e) in failed {
        let _ = writeln!(out, "failed     {qid}: {}", e.lines().next().unwrap_or(""));
    }
    out
}

/// CSV of a result list: one row per hit.
pub fn hits_csv(r: &SearchResults) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "rank",
        "score",
        "id",
        "date",
        "publisher",
        "title",
        "snippet",
        "copies",
        "cluster",
        "url",
        "source",
    ])?;
    for h in &r.hits {
        let a = &h.article;
        let snippet: Vec<&str> = h.fragments.iter().map(|f| f.text.as_str()).collect();
        w.write_record([
            h.rank.to_string(),
            format!("{:.4}", h.score),
            a.id.to_string(),
            a.date.as_ref().map(|d| d.to_rfc3339()).unwrap_or_default(),
            a.publisher.clone().unwrap_or_default(),
            a.title.clone(),
            snippet.join(" … "),
            h.copies.to_string(),
            h.cluster.clone(),
            a.url.clone().unwrap_or_default(),
            a.source.display_path().to_string_lossy().into_owned(),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// CSV of a timeline: `period,start,count`.
pub fn timeline_csv(t: &Timeline) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["period", "start", "count"])?;
    for b in &t.buckets {
        w.write_record([b.period.as_str(), b.start.as_str(), &b.count.to_string()])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// CSV of an entity report: one row per entity, co-mentions joined.
pub fn entities_csv(r: &EntityReport) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "rank",
        "kind",
        "name",
        "count",
        "share",
        "aliases",
        "co_mentions",
    ])?;
    for (i, e) in r.entities.iter().enumerate() {
        let with: Vec<String> = e
            .co_mentions
            .iter()
            .map(|c| format!("{} ({})", c.name, c.count))
            .collect();
        w.write_record([
            (i + 1).to_string(),
            e.kind.as_str().to_string(),
            e.name.clone(),
            e.count.to_string(),
            format!("{:.4}", e.share),
            e.aliases
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            with.join("; "),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// An entity-extraction evaluation as a table.
pub fn ner_text(r: &newsdex::eval::ner::NerReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} documents, {} sentences, {} tokens; extraction {:.1} MB/s on one core\n",
        thousands(r.documents as u64),
        thousands(r.sentences as u64),
        thousands(r.tokens as u64),
        r.mb_per_second
    );
    let _ = writeln!(
        out,
        "{:<13} {:>6} {:>9} {:>7} {:>9} {:>7} {:>7}",
        "type", "gold", "predicted", "correct", "precision", "recall", "F1"
    );
    let row = |out: &mut String, name: &str, s: &newsdex::eval::ner::Scores| {
        let _ = writeln!(
            out,
            "{name:<13} {:>6} {:>9} {:>7} {:>9.4} {:>7.4} {:>7.4}",
            s.gold, s.predicted, s.correct, s.precision, s.recall, s.f1
        );
    };
    for t in &r.types {
        row(&mut out, t.kind, &t.scores);
    }
    row(&mut out, "PER+ORG+LOC", &r.per_org_loc);
    row(&mut out, "all", &r.all);
    if !r.disagreements.is_empty() {
        let _ = writeln!(
            out,
            "\nMost frequent disagreements (times, gold → found, doc):"
        );
        for d in &r.disagreements {
            let _ = writeln!(
                out,
                "{:>5}  {:<40} {} → {}  (doc {})",
                d.times,
                d.text,
                d.gold.unwrap_or("-"),
                d.predicted.unwrap_or("-"),
                d.document
            );
        }
    }
    out
}

/// Agreement with an archive's declared entities as a table.
pub fn agreement_text(r: &newsdex::eval::ner::Agreement) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} articles declaring entities; extraction {:.1} MB/s on one core\n",
        thousands(r.articles as u64),
        r.mb_per_second
    );
    let _ = writeln!(
        out,
        "{:<13} {:>8} {:>8} {:>8} {:>7} {:>8}",
        "kind", "articles", "declared", "found", "recall", "extra"
    );
    for k in &r.kinds {
        let _ = writeln!(
            out,
            "{:<13} {:>8} {:>8} {:>8} {:>7.4} {:>8}",
            k.kind, k.articles, k.declared, k.found, k.recall, k.extra
        );
    }
    out
}
