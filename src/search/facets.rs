//! Counting what a query matches: facets (entities, publishers, languages, calendar years
//! and months), timelines by calendar day, month or year, and the entities of a result set
//! with their co-mentions.
//!
//! Everything is counted in one pass over the matching documents by [`Tally`], a tantivy
//! collector that reads the fast columns (`entity` facets, `publisher_key`, `language`,
//! `date`); dates are bucketed by calendar day and grouped into real calendar months and
//! years afterwards (tantivy's date histogram has only fixed intervals).

use super::{Compiled, SearchRequest};
use crate::article::EntityKind;
use crate::error::{Error, Result};
use crate::index::dictionary::{EntityRef, SegmentEntities};
use crate::index::{Archive, Count, Dictionary, NameCount};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Query as TQuery;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Most aliases listed with an entity of an [`EntityReport`].
pub const MAX_ALIASES: usize = 8;

/// Seconds in a day.
const DAY: i64 = 86_400;
/// Days from 0001-01-01 (day 1 of the common era) to 1970-01-01.
const UNIX_EPOCH_CE_DAYS: i64 = 719_163;

/// Counts of the articles matching a query.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Facets {
    /// The most frequent entities of each kind, by number of matching articles.
    pub entities: BTreeMap<EntityKind, Vec<Count>>,
    /// Matching articles per publisher, most first.
    pub publishers: Vec<Count>,
    /// Matching articles per language code, most first.
    pub languages: Vec<Count>,
    /// Matching articles per calendar year (`1987`), oldest first; years without any left out.
    pub years: Vec<Count>,
    /// Matching articles per calendar month (`1987-03`), oldest first; months without any
    /// left out.
    pub months: Vec<Count>,
    /// Matching articles without a date.
    pub undated: u64,
}

/// Calendar period of a [`Timeline`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// Calendar days (`1987-03-02`).
    Day,
    /// Calendar months (`1987-03`).
    #[default]
    Month,
    /// Calendar years (`1987`).
    Year,
}

impl Period {
    /// The period's name (`day`, `month`, `year`).
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Month => "month",
            Period::Year => "year",
        }
    }
}

/// Matching articles per calendar period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    /// The query as given.
    pub query: String,
    /// The period of each bucket.
    pub by: Period,
    /// Number of matching articles (dated or not).
    pub total: u64,
    /// Matching articles without a date (in no bucket).
    pub undated: u64,
    /// One bucket per period from the first to the last dated match (or the whole
    /// `from`/`to` range of the request), empty periods included, oldest first.
    pub buckets: Vec<Bucket>,
}

/// One period of a [`Timeline`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    /// The period: `1987`, `1987-03` or `1987-03-02`.
    pub period: String,
    /// Its first day (`1987-03-01`).
    pub start: String,
    /// Matching articles dated in it.
    pub count: u64,
}

/// The entities of the articles matching a query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityReport {
    /// The query as given (empty: the whole archive).
    pub query: String,
    /// Number of matching articles.
    pub total: u64,
    /// The most frequent entities, most articles first.
    pub entities: Vec<EntityCount>,
}

/// One entity of an [`EntityReport`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityCount {
    /// Its kind.
    pub kind: EntityKind,
    /// Its canonical name.
    pub name: String,
    /// The most frequent other names of it in the archive (at most 8), with
    /// the number of articles using each (from the archive's [`Dictionary`]).
    pub aliases: Vec<NameCount>,
    /// Matching articles that mention it (under any of its names).
    pub count: u64,
    /// Share of the matching articles that mention it (0–1).
    pub share: f64,
    /// The entities most often mentioned in the same matching articles, with the number of
    /// articles mentioning both.
    pub co_mentions: Vec<CoMention>,
}

/// An entity mentioned together with another one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoMention {
    /// Its kind.
    pub kind: EntityKind,
    /// Its canonical name.
    pub name: String,
    /// Matching articles mentioning both.
    pub count: u64,
}

/// What one pass over the matches counted.
#[derive(Debug, Default)]
pub(crate) struct Tallies {
    total: u64,
    entities: HashMap<(EntityKind, String), u64>,
    publishers: HashMap<String, u64>,
    languages: HashMap<String, u64>,
    /// Matches per day (days since 1970-01-01).
    days: BTreeMap<i64, u64>,
    undated: u64,
}

/// The collector counting facets of every match (entities merged as the dictionary says).
struct Tally {
    dictionary: Option<Arc<Dictionary>>,
}

struct SegmentTally {
    entities: SegmentEntities,
    dictionary: Option<Arc<Dictionary>>,
    /// Scratch: the entities of one document.
    refs: Vec<EntityRef>,
    entity_counts: HashMap<EntityRef, u32>,
    publisher: Option<StrColumn>,
    publisher_counts: Vec<u32>,
    language: Option<StrColumn>,
    language_counts: Vec<u32>,
    date: Option<Column<i64>>,
    days: HashMap<i64, u64>,
    undated: u64,
    total: u64,
}

fn str_column(segment: &SegmentReader, field: &str) -> Option<StrColumn> {
    segment.fast_fields().str(field).ok().flatten()
}

impl Collector for Tally {
    type Fruit = Tallies;
    type Child = SegmentTally;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentTally> {
        let publisher = str_column(segment, "publisher_key");
        let language = str_column(segment, "language");
        let terms = |c: &Option<StrColumn>| c.as_ref().map_or(0, |c| c.num_terms());
        Ok(SegmentTally {
            entities: SegmentEntities::new(segment, self.dictionary.as_deref()),
            dictionary: self.dictionary.clone(),
            refs: Vec::new(),
            entity_counts: HashMap::new(),
            publisher_counts: vec![0; terms(&publisher)],
            language_counts: vec![0; terms(&language)],
            publisher,
            language,
            date: segment.fast_fields().i64("date").ok(),
            days: HashMap::new(),
            undated: 0,
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Tallies>) -> tantivy::Result<Tallies> {
        let mut all = Tallies::default();
        for f in fruits {
            all.total += f.total;
            all.undated += f.undated;
            for (k, v) in f.entities {
                *all.entities.entry(k).or_default() += v;
            }
            for (k, v) in f.publishers {
                *all.publishers.entry(k).or_default() += v;
            }
            for (k, v) in f.languages {
                *all.languages.entry(k).or_default() += v;
            }
            for (k, v) in f.days {
                *all.days.entry(k).or_default() += v;
            }
        }
        Ok(all)
    }
}

/// Add one to the count of the (single) term of `doc` in a string column.
fn count_str(column: &Option<StrColumn>, counts: &mut [u32], doc: DocId) {
    if let Some(ord) = column.as_ref().and_then(|c| c.ords().first(doc)) {
        if let Some(n) = counts.get_mut(ord as usize) {
            *n += 1;
        }
    }
}

/// Non-zero counts of a string column, by term.
fn resolve_str(column: &Option<StrColumn>, counts: &[u32]) -> HashMap<String, u64> {
    let mut out = HashMap::new();
    let Some(column) = column else {
        return out;
    };
    for (ord, &n) in counts.iter().enumerate() {
        let mut term = String::new();
        if n > 0 && column.ord_to_str(ord as u64, &mut term).unwrap_or(false) {
            out.insert(term, u64::from(n));
        }
    }
    out
}

impl SegmentCollector for SegmentTally {
    type Fruit = Tallies;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.total += 1;
        self.entities.of(doc, &mut self.refs);
        for r in &self.refs {
            *self.entity_counts.entry(*r).or_default() += 1;
        }
        count_str(&self.publisher, &mut self.publisher_counts, doc);
        count_str(&self.language, &mut self.language_counts, doc);
        match self.date.as_ref().and_then(|c| c.first(doc)) {
            Some(ts) => *self.days.entry(ts.div_euclid(DAY)).or_default() += 1,
            None => self.undated += 1,
        }
    }

    fn harvest(self) -> Tallies {
        let mut entities = HashMap::new();
        let mut names = self.entities.names(
            self.dictionary.as_deref(),
            self.entity_counts.keys().copied(),
        );
        for (r, n) in self.entity_counts {
            if let Some(key) = names.remove(&r) {
                *entities.entry(key).or_default() += u64::from(n);
            }
        }
        Tallies {
            total: self.total,
            publishers: resolve_str(&self.publisher, &self.publisher_counts),
            languages: resolve_str(&self.language, &self.language_counts),
            entities,
            days: self.days.into_iter().collect(),
            undated: self.undated,
        }
    }
}

/// The calendar date of a day number (days since 1970-01-01).
fn date_of_day(day: i64) -> Option<NaiveDate> {
    i32::try_from(day + UNIX_EPOCH_CE_DAYS)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// The day number of a date.
fn day_of_date(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - UNIX_EPOCH_CE_DAYS
}

/// The first day of the period holding `date`.
fn period_start(date: NaiveDate, by: Period) -> NaiveDate {
    match by {
        Period::Day => date,
        Period::Month => date.with_day(1).unwrap_or(date),
        Period::Year => date.with_ordinal(1).unwrap_or(date),
    }
}

/// The first day of the period after the one starting on `start`.
fn next_period(start: NaiveDate, by: Period) -> Option<NaiveDate> {
    match by {
        Period::Day => start.succ_opt(),
        Period::Month => start.checked_add_months(chrono::Months::new(1)),
        Period::Year => start.checked_add_months(chrono::Months::new(12)),
    }
}

/// A period's label: `1987`, `1987-03`, `1987-03-02`.
fn period_label(start: NaiveDate, by: Period) -> String {
    match by {
        Period::Day => start.format("%Y-%m-%d").to_string(),
        Period::Month => format!("{:04}-{:02}", start.year(), start.month()),
        Period::Year => format!("{:04}", start.year()),
    }
}

/// Most frequent first, then by name; at most `top` (all when `top` is `usize::MAX`).
fn ranked(counts: HashMap<String, u64>, top: usize) -> Vec<Count> {
    let mut list: Vec<Count> = counts
        .into_iter()
        .map(|(name, count)| Count { name, count })
        .collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    list.truncate(top);
    list
}

/// Counts per period, chronological, without empty periods.
fn by_period(days: &BTreeMap<i64, u64>, by: Period) -> Vec<Count> {
    let mut out: Vec<Count> = Vec::new();
    for (&day, &n) in days {
        let Some(date) = date_of_day(day) else {
            continue;
        };
        let label = period_label(period_start(date, by), by);
        match out.last_mut() {
            Some(last) if last.name == label => last.count += n,
            _ => out.push(Count {
                name: label,
                count: n,
            }),
        }
    }
    out
}

/// Most periods a timeline fills in (about 270 years of days).
const MAX_BUCKETS: usize = 100_000;

impl Archive {
    /// Count everything about the matches of `query` in one pass.
    fn tally(&self, query: &dyn TQuery) -> Result<Tallies> {
        let searcher = self.reader.searcher();
        Ok(searcher.search(
            query,
            &Tally {
                dictionary: Some(self.dictionary()?),
            },
        )?)
    }

    /// Facets of the matches of a compiled query.
    pub(crate) fn facets_of(&self, query: &dyn TQuery, top: usize) -> Result<Facets> {
        let t = self.tally(query)?;
        let mut entities: BTreeMap<EntityKind, HashMap<String, u64>> = BTreeMap::new();
        for ((kind, name), n) in t.entities {
            entities.entry(kind).or_default().insert(name, n);
        }
        Ok(Facets {
            entities: entities
                .into_iter()
                .map(|(kind, counts)| (kind, ranked(counts, top)))
                .collect(),
            publishers: ranked(t.publishers, top),
            languages: ranked(t.languages, top),
            years: by_period(&t.days, Period::Year),
            months: by_period(&t.days, Period::Month),
            undated: t.undated,
        })
    }

    /// Matching articles per calendar day, month or year (the request's paging, sorting and
    /// facets are ignored; its query and filters apply).
    ///
    /// ```no_run
    /// # fn main() -> newsdex::Result<()> {
    /// let archive = newsdex::Archive::open("newsdex-index")?;
    /// let t = archive.timeline(&newsdex::SearchRequest::new("cocoa"), newsdex::Period::Month)?;
    /// for b in &t.buckets {
    ///     println!("{} {}", b.period, b.count);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn timeline(&self, request: &SearchRequest, by: Period) -> Result<Timeline> {
        let Compiled { query, .. } = self.compile(request)?;
        let t = self.tally(&query)?;
        let bound = |s: &Option<String>, end: bool| {
            s.as_deref()
                .and_then(crate::normalise::date::parse_period)
                .map(|(a, b)| {
                    if end {
                        (b - 1).div_euclid(DAY)
                    } else {
                        a.div_euclid(DAY)
                    }
                })
        };
        let first = bound(&request.from, false).or_else(|| t.days.keys().next().copied());
        let last = bound(&request.to, true).or_else(|| t.days.keys().next_back().copied());
        let mut buckets = Vec::new();
        if let (Some(first), Some(last)) = (first.and_then(date_of_day), last.and_then(date_of_day))
        {
            let mut start = period_start(first, by);
            while start <= last {
                if buckets.len() >= MAX_BUCKETS {
                    return Err(Error::InvalidRequest(
                        "the timeline would have over 100,000 periods: use a longer period (--by month or year) or a shorter --from/--to range",
                    ));
                }
                let Some(next) = next_period(start, by) else {
                    break;
                };
                let (a, b) = (day_of_date(start), day_of_date(next));
                let count = t.days.range(a..b).map(|(_, n)| n).sum();
                buckets.push(Bucket {
                    period: period_label(start, by),
                    start: start.format("%Y-%m-%d").to_string(),
                    count,
                });
                start = next;
            }
        }
        Ok(Timeline {
            query: request.query.clone(),
            by,
            total: t.total,
            undated: t.undated,
            buckets,
        })
    }

    /// The `top` entities of the articles matching a request (of one kind, or any), each
    /// with the `co` entities most often mentioned in the same articles. An empty query
    /// covers the whole archive.
    pub fn entities(
        &self,
        request: &SearchRequest,
        kind: Option<EntityKind>,
        top: usize,
        co: usize,
    ) -> Result<EntityReport> {
        let Compiled { query, .. } = self.compile(request)?;
        let t = self.tally(&query)?;
        let mut list: Vec<((EntityKind, String), u64)> = t
            .entities
            .into_iter()
            .filter(|((k, _), _)| kind.is_none_or(|want| want == *k))
            .collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        list.truncate(top);
        let targets: Vec<(EntityKind, String)> = list.iter().map(|(key, _)| key.clone()).collect();
        let dictionary = self.dictionary()?;
        let mut co_counts = if co > 0 && !targets.is_empty() {
            self.reader.searcher().search(
                &query,
                &CoMentions {
                    targets,
                    dictionary: Some(Arc::clone(&dictionary)),
                },
            )?
        } else {
            HashMap::new()
        };
        let total = t.total;
        let entries = dictionary.entries()?;
        let entities = list
            .into_iter()
            .enumerate()
            .map(|(i, ((kind, name), count))| {
                let mut with: Vec<CoMention> = co_counts
                    .remove(&i)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|((kind, name), count)| CoMention { kind, name, count })
                    .collect();
                with.sort_by(|a, b| {
                    b.count
                        .cmp(&a.count)
                        .then_with(|| (a.kind, &a.name).cmp(&(b.kind, &b.name)))
                });
                with.truncate(co);
                let aliases = entries
                    .iter()
                    .find(|e| e.kind == kind && e.name == name)
                    .map(|e| e.aliases.iter().take(MAX_ALIASES).cloned().collect())
                    .unwrap_or_default();
                EntityCount {
                    kind,
                    name,
                    aliases,
                    count,
                    share: if total == 0 {
                        0.0
                    } else {
                        count as f64 / total as f64
                    },
                    co_mentions: with,
                }
            })
            .collect();
        Ok(EntityReport {
            query: request.query.clone(),
            total,
            entities,
        })
    }
}

/// Co-mention counts: for each target entity (by position), the other entities of the
/// matches that mention it.
type CoCounts = HashMap<usize, HashMap<(EntityKind, String), u64>>;

/// The collector counting, for a few target entities, the entities mentioned with them.
struct CoMentions {
    targets: Vec<(EntityKind, String)>,
    dictionary: Option<Arc<Dictionary>>,
}

struct SegmentCoMentions {
    entities: SegmentEntities,
    dictionary: Option<Arc<Dictionary>>,
    /// Each target in this segment (absent from it: `None`).
    targets: Vec<Option<EntityRef>>,
    refs: Vec<EntityRef>,
    counts: HashMap<(usize, EntityRef), u64>,
}

impl Collector for CoMentions {
    type Fruit = CoCounts;
    type Child = SegmentCoMentions;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentCoMentions> {
        let entities = SegmentEntities::new(segment, self.dictionary.as_deref());
        let targets = self
            .targets
            .iter()
            .map(|(kind, name)| entities.find(self.dictionary.as_deref(), *kind, name))
            .collect();
        Ok(SegmentCoMentions {
            entities,
            dictionary: self.dictionary.clone(),
            targets,
            refs: Vec::new(),
            counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<CoCounts>) -> tantivy::Result<CoCounts> {
        let mut all = CoCounts::new();
        for f in fruits {
            for (target, with) in f {
                let into = all.entry(target).or_default();
                for (k, v) in with {
                    *into.entry(k).or_default() += v;
                }
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentCoMentions {
    type Fruit = CoCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.entities.of(doc, &mut self.refs);
        for (i, target) in self.targets.iter().enumerate() {
            let Some(target) = target else {
                continue;
            };
            if self.refs.contains(target) {
                for &o in self.refs.iter().filter(|o| **o != *target) {
                    *self.counts.entry((i, o)).or_default() += 1;
                }
            }
        }
    }

    fn harvest(self) -> CoCounts {
        let mut out = CoCounts::new();
        let names = self.entities.names(
            self.dictionary.as_deref(),
            self.counts.keys().map(|(_, r)| *r),
        );
        for ((i, r), n) in self.counts {
            if let Some(key) = names.get(&r) {
                *out.entry(i).or_default().entry(key.clone()).or_default() += n;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::entity_of_facet;

    fn day(y: i32, m: u32, d: u32) -> i64 {
        day_of_date(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn days_and_dates_round_trip_across_eras() {
        for (y, m, d) in [
            (1970, 1, 1),
            (1665, 9, 2),
            (1, 1, 1),
            (2024, 2, 29),
            (9999, 12, 31),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(date_of_day(day_of_date(date)), Some(date));
        }
        assert_eq!(day(1970, 1, 2), 1);
        assert_eq!(
            (-1_i64).div_euclid(DAY),
            -1,
            "a second before 1970 is 1969-12-31"
        );
    }

    #[test]
    fn calendar_months_not_fixed_intervals() {
        let days: BTreeMap<i64, u64> = [
            (day(1987, 1, 31), 1),
            (day(1987, 2, 1), 2),
            (day(1987, 2, 28), 1),
            (day(1987, 3, 1), 4),
            (day(1988, 2, 29), 1),
        ]
        .into_iter()
        .collect();
        let months: Vec<(String, u64)> = by_period(&days, Period::Month)
            .into_iter()
            .map(|c| (c.name, c.count))
            .collect();
        assert_eq!(
            months,
            [
                ("1987-01".into(), 1),
                ("1987-02".into(), 3),
                ("1987-03".into(), 4),
                ("1988-02".into(), 1)
            ]
        );
        let years: Vec<u64> = by_period(&days, Period::Year)
            .iter()
            .map(|c| c.count)
            .collect();
        assert_eq!(years, [8, 1]);
    }

    #[test]
    fn periods_step_by_calendar() {
        let jan31 = NaiveDate::from_ymd_opt(1987, 1, 31).unwrap();
        let start = period_start(jan31, Period::Month);
        assert_eq!(period_label(start, Period::Month), "1987-01");
        let feb = next_period(start, Period::Month).unwrap();
        assert_eq!(feb.to_string(), "1987-02-01");
        assert_eq!(
            next_period(feb, Period::Month).unwrap().to_string(),
            "1987-03-01"
        );
        assert_eq!(
            period_label(period_start(jan31, Period::Year), Period::Year),
            "1987"
        );
        assert_eq!(period_label(jan31, Period::Day), "1987-01-31");
    }

    #[test]
    fn entity_facets_parse_back() {
        let f = crate::index::schema::entity_facet(EntityKind::Organization, "AT/T Corp");
        assert_eq!(
            entity_of_facet(&f),
            Some((EntityKind::Organization, "AT/T Corp".to_string()))
        );
    }
}
