//! Dates: from metadata in any common notation, from a dateline, from the file path.
//!
//! Every date keeps its precision (year, month, day, instant) and where it was found. Years
//! 1 to 9999 are valid everywhere; nothing here ever falls back to the file time or "now".

use crate::article::{ArticleDate, DateOrigin, DatePrecision};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use regex::Regex;
use std::sync::LazyLock;

/// A date and its precision.
pub type Dated = (DateTime<Utc>, DatePrecision);

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The month a word names (`March`, `Mar.`, `sept`), 1–12.
pub(crate) fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if w == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .zip(full)
        .position(|(short, long)| w == *short || w == long)
        .map(|i| i as u32 + 1)
}

fn day_start(y: i32, m: u32, d: u32) -> Option<DateTime<Utc>> {
    if !(1..=9999).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d).map(|d| d.and_time(NaiveTime::MIN).and_utc())
}

/// Parse a date as written in metadata (JSON field, feed, meta tag).
pub fn parse(input: &str) -> Option<Dated> {
    let s = input.trim();
    // "2010-01-01 09:32:17 UTC": a zone name chrono's formats do not take.
    let s = s
        .strip_suffix(" UTC")
        .or_else(|| s.strip_suffix(" GMT"))
        .map_or(s, str::trim_end);
    if s.is_empty() {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return in_range(dt.with_timezone(&Utc), DatePrecision::Instant);
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return in_range(dt.with_timezone(&Utc), DatePrecision::Instant);
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S %z",
        "%d-%b-%Y %H:%M:%S%.f",
        "%a, %d %b %Y %H:%M:%S",
        // ISO 8601 basic format, as in NITF `norm` attributes.
        "%Y%m%dT%H%M%S%z",
        "%Y%m%dT%H%M%SZ",
        "%Y%m%dT%H%M%S",
        "%Y%m%dT%H%M%z",
        "%Y%m%dT%H%MZ",
        "%Y%m%dT%H%M",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
            return in_range(dt.with_timezone(&Utc), DatePrecision::Instant);
        }
        if let Ok(ndt) = NaiveDateTime::parse_from_str(s, fmt) {
            return in_range(ndt.and_utc(), DatePrecision::Instant);
        }
    }
    static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(\d{1,4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$").expect("valid regex")
    });
    if let Some(c) = NUMERIC.captures(s) {
        let y: i32 = c[1].parse().ok()?;
        // "14-12-29": a two-digit year is ambiguous, not the year 14.
        if c[1].len() != 4 && c.get(2).is_some() {
            return None;
        }
        // A bare number of 1-3 digits is a year only when written with 4 digits ("0800").
        if c.get(2).is_none() && c[1].len() != 4 {
            return None;
        }
        return match (c.get(2), c.get(3)) {
            (None, _) => day_start(y, 1, 1).map(|d| (d, DatePrecision::Year)),
            (Some(m), None) => {
                day_start(y, m.as_str().parse().ok()?, 1).map(|d| (d, DatePrecision::Month))
            }
            (Some(m), Some(d)) => day_start(y, m.as_str().parse().ok()?, d.as_str().parse().ok()?)
                .map(|d| (d, DatePrecision::Day)),
        };
    }
    // ISO 8601 basic dates (NITF `norm` attributes): "20190412".
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        let (y, m, d) = (
            s[..4].parse().ok()?,
            s[4..6].parse().ok()?,
            s[6..].parse().ok()?,
        );
        return day_start(y, m, d).map(|d| (d, DatePrecision::Day));
    }
    // Unix timestamps in seconds or milliseconds.
    if s.len() >= 9 && s.len() <= 13 && s.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = s.parse().ok()?;
        let secs = if s.len() == 13 { n / 1000 } else { n };
        return Utc
            .timestamp_opt(secs, 0)
            .single()
            .and_then(|d| in_range(d, DatePrecision::Instant));
    }
    prose(s)
}

fn in_range(dt: DateTime<Utc>, precision: DatePrecision) -> Option<Dated> {
    (1..=9999).contains(&dt.year()).then_some((dt, precision))
}

/// Dates written in words: "March 3, 2016", "3 March 2016", "Mar. 2016", "Sat 30 Dec 2017".
fn prose(s: &str) -> Option<Dated> {
    static MDY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b([a-z]{3,9}\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
            .expect("valid regex")
    });
    static DMY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9}\.?),?\s+(\d{4})\b")
            .expect("valid regex")
    });
    static MY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b([a-z]{3,9}\.?),?\s+(\d{4})\b").expect("valid regex"));
    if let Some(c) = MDY.captures(s) {
        if let Some(m) = month_number(&c[1]) {
            let day = day_start(c[3].parse().ok()?, m, c[2].parse().ok()?)?;
            return Some((day, DatePrecision::Day));
        }
    }
    if let Some(c) = DMY.captures(s) {
        if let Some(m) = month_number(&c[2]) {
            let day = day_start(c[3].parse().ok()?, m, c[1].parse().ok()?)?;
            return Some((day, DatePrecision::Day));
        }
    }
    if let Some(c) = MY.captures(s) {
        if let Some(m) = month_number(&c[1]) {
            let day = day_start(c[2].parse().ok()?, m, 1)?;
            return Some((day, DatePrecision::Month));
        }
    }
    None
}

/// A date in the file path: `…/2017/12/30/…`, `…/2017-12-30-slug.txt`, `…/2017/12/…`.
///
/// The match nearest the file name wins. Years from 1000 to 2999 only, so that numbers in
/// paths are not taken for dates.
pub fn from_path(path: &str) -> Option<Dated> {
    static YMD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[/\\_-])([12]\d{3})[/\\_-]?(0[1-9]|1[0-2])(?:[/\\_-]?(0[1-9]|[12]\d|3[01]))?(?:[/\\_.-]|$)")
            .expect("valid regex")
    });
    let c = YMD.captures_iter(path).last()?;
    let y = c[1].parse().ok()?;
    let m = c[2].parse().ok()?;
    match c.get(3) {
        Some(d) => day_start(y, m, d.as_str().parse().ok()?).map(|d| (d, DatePrecision::Day)),
        None => day_start(y, m, 1).map(|d| (d, DatePrecision::Month)),
    }
}

/// A dateline at the start of an article: "BERLIN, March 3, 2016 (Capital Wire) -",
/// "STOCKHOLM, 14 February 2018 —", "LONDON — March 3, 2018 —".
///
/// The text must start with the place in capitals; the date must have a year.
pub fn from_dateline(text: &str) -> Option<Dated> {
    let (dateline, head) = dateline(text)?;
    prose(&dateline).or_else(|| prose(&head))
}

/// The dateline of a text (up to its dash) and the first 120 chars, when the text starts
/// with a place in capitals.
fn dateline(text: &str) -> Option<(String, String)> {
    static PLACE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*[A-Z][A-Z'’.-]+(?:[ /][A-Z][A-Za-z'’.-]*)*\s*(?:,|—|–|-|\()")
            .expect("valid regex")
    });
    let m = PLACE.find(text)?;
    let head: String = text[m.start()..].chars().take(120).collect();
    // The dateline ends at its dash; the date must come before it.
    let cut = head[m.len().min(head.len())..]
        .find(['—', '–'])
        .or_else(|| head[m.len().min(head.len())..].find(" - "))
        .map_or(head.len(), |i| i + m.len());
    Some((head[..cut.min(head.len())].to_string(), head))
}

/// Month and day of a dateline that gives no year: "MOSCOW, Dec 30 (Reuters) -".
fn dateline_month_day(text: &str) -> Option<(u32, u32)> {
    static MD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b([a-z]{3,9}\.?)\s+(\d{1,2})\b|\b(\d{1,2})\s+([a-z]{3,9})\b")
            .expect("valid regex")
    });
    let (dateline, _) = dateline(text)?;
    MD.captures_iter(&dateline).find_map(|c| {
        let (month, day) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
            (Some(m), Some(d), _, _) | (_, _, Some(d), Some(m)) => (m.as_str(), d.as_str()),
            _ => return None,
        };
        let day: u32 = day.parse().ok()?;
        Some((month_number(month)?, day)).filter(|_| (1..=31).contains(&day))
    })
}

/// Resolve an article's date: metadata first, then a dateline, then the path.
pub fn resolve(
    metadata: Option<&str>,
    body: &str,
    path: &str,
    fallback: Option<&str>,
) -> Option<ArticleDate> {
    let make = |(instant, precision): Dated, origin| ArticleDate {
        instant,
        precision,
        origin,
    };
    let meta = metadata.and_then(parse);
    if let Some(d) = meta.filter(|d| d.1 != DatePrecision::Year) {
        return Some(make(d, DateOrigin::Metadata));
    }
    if let Some(d) = from_dateline(body) {
        return Some(make(d, DateOrigin::Dateline));
    }
    let by_path = from_path(path);
    // A dateline without a year takes it from a year-only date or the path; a December
    // dateline in a January folder belongs to the year before.
    if let (Some((month, day)), Some((base, precision))) =
        (dateline_month_day(body), meta.or(by_path))
    {
        let year = if precision >= DatePrecision::Month && month > base.month() + 6 {
            base.year() - 1
        } else {
            base.year()
        };
        if let Some(d) = day_start(year, month, day) {
            return Some(make((d, DatePrecision::Day), DateOrigin::Dateline));
        }
    }
    meta.map(|d| make(d, DateOrigin::Metadata))
        .or_else(|| by_path.map(|d| make(d, DateOrigin::Path)))
        .or_else(|| fallback.and_then(parse).map(|d| make(d, DateOrigin::Crawl)))
}

/// A date typed by a user, as the half-open interval `[start, end)` it stands for:
/// `2017` is the whole year, `2017-12` the month, `2017-12-30` the day, an RFC 3339
/// instant itself.
pub fn parse_period(input: &str) -> Option<(i64, i64)> {
    let (start, precision) = parse(input)?;
    let end = match precision {
        DatePrecision::Year => day_start(start.year() + 1, 1, 1)
            .map(|d| d.timestamp())
            .unwrap_or(i64::MAX),
        DatePrecision::Month => {
            let (y, m) = if start.month() == 12 {
                (start.year() + 1, 1)
            } else {
                (start.year(), start.month() + 1)
            };
            day_start(y, m, 1)
                .map(|d| d.timestamp())
                .unwrap_or(i64::MAX)
        }
        DatePrecision::Day => start.timestamp() + 86_400,
        DatePrecision::Instant => start.timestamp() + 1,
    };
    Some((start.timestamp(), end))
}

/// Serde adapter: RFC 3339 with a `Z` and a 4-digit year, valid for years 1 to 9999.
pub mod rfc3339 {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serialize as `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn serialize<S: Serializer>(dt: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&dt.format("%Y-%m-%dT%H:%M:%SZ"))
    }

    /// Deserialize any RFC 3339 instant.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let s = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&s)
            .map(|d| d.with_timezone(&Utc))
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(d: Option<Dated>) -> Option<(String, DatePrecision)> {
        d.map(|(t, p)| (t.format("%Y-%m-%dT%H:%M:%SZ").to_string(), p))
    }

    #[test]
    fn zone_names_and_two_digit_years() {
        assert!(parse("2010-01-01 09:32:17 UTC").is_some());
        assert_eq!(parse("14-12-29"), None);
    }

    #[test]
    fn metadata_forms() {
        use DatePrecision::*;
        let cases = [
            ("2017-12-30T18:20:00+02:00", "2017-12-30T16:20:00Z", Instant),
            (
                "Sat, 30 Dec 2017 18:20:00 +0000",
                "2017-12-30T18:20:00Z",
                Instant,
            ),
            ("26-FEB-1987 15:01:01.79", "1987-02-26T15:01:01Z", Instant),
            ("2017-12-30 18:20:00", "2017-12-30T18:20:00Z", Instant),
            ("2017-12-30", "2017-12-30T00:00:00Z", Day),
            ("2017-12", "2017-12-01T00:00:00Z", Month),
            ("2017", "2017-01-01T00:00:00Z", Year),
            ("1665-09-14", "1665-09-14T00:00:00Z", Day),
            ("0800", "0800-01-01T00:00:00Z", Year),
            ("March 3, 2016", "2016-03-03T00:00:00Z", Day),
            ("14 February 2018", "2018-02-14T00:00:00Z", Day),
            ("1514764800", "2018-01-01T00:00:00Z", Instant),
            ("20190412T093000+0100", "2019-04-12T08:30:00Z", Instant),
            ("20190412T093000Z", "2019-04-12T09:30:00Z", Instant),
            ("20190412T093000", "2019-04-12T09:30:00Z", Instant),
            ("20190412", "2019-04-12T00:00:00Z", Day),
        ];
        for (input, want, precision) in cases {
            assert_eq!(
                show(parse(input)),
                Some((want.to_string(), precision)),
                "{input}"
            );
        }
        for bad in ["", "yesterday", "0000-00-00", "2017-13-01", "12"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn path_dates() {
        assert_eq!(
            show(from_path("/news/2017/12/30/putin-message.txt")).map(|d| d.0),
            Some("2017-12-30T00:00:00Z".into())
        );
        assert_eq!(
            show(from_path("corpus/2016-05-04-slug.txt")).map(|d| d.0),
            Some("2016-05-04T00:00:00Z".into())
        );
        assert_eq!(
            show(from_path("corpus/2016/05/story.txt")),
            Some(("2016-05-01T00:00:00Z".into(), DatePrecision::Month))
        );
        assert_eq!(from_path("corpus/item-12345/story.txt"), None);
    }

    #[test]
    fn datelines() {
        for (text, want) in [
            (
                "BERLIN, March 3, 2016 (Capital Wire) - The government said",
                "2016-03-03",
            ),
            ("STOCKHOLM, 14 February 2018 — Sweden's envoy", "2018-02-14"),
            (
                "VALENCIA, Spain, Jan. 9, 2018 (Evening Sentinel) - The mayor",
                "2018-01-09",
            ),
            ("LONDON — March 3, 2018 — Ministers", "2018-03-03"),
        ] {
            let got = show(from_dateline(text)).map(|d| d.0[..10].to_string());
            assert_eq!(got.as_deref(), Some(want), "{text}");
        }
        assert_eq!(
            from_dateline("MOSCOW, Dec 30 (Reuters) - no year here"),
            None
        );
        assert_eq!(
            from_dateline("The minister said on March 3, 2016 that"),
            None
        );
    }

    #[test]
    fn a_dateline_without_year_borrows_it() {
        let day = |d: Option<ArticleDate>| {
            d.map(|d| (d.instant.format("%Y-%m-%d").to_string(), d.origin))
        };
        let wire = "MOSCOW, Dec 30 (Reuters) - The Kremlin said";
        assert_eq!(
            day(resolve(None, wire, "/news/2017/12/story.txt", None)),
            Some(("2017-12-30".into(), DateOrigin::Dateline))
        );
        assert_eq!(
            day(resolve(Some("2017"), wire, "x.txt", None)),
            Some(("2017-12-30".into(), DateOrigin::Dateline))
        );
        // Filed in the first days of January: the December before.
        assert_eq!(
            day(resolve(None, wire, "/news/2018-01-02-late.txt", None)),
            Some(("2017-12-30".into(), DateOrigin::Dateline))
        );
        // No year anywhere: no date.
        assert_eq!(resolve(None, wire, "x.txt", None), None);
        // A capture date only when nothing else dates the article, and flagged as such.
        let crawl = resolve(
            None,
            "No date here.",
            "x.html",
            Some("2024-03-06T07:45:00Z"),
        );
        assert_eq!(crawl.map(|d| d.origin), Some(DateOrigin::Crawl));
        let dated = resolve(
            Some("2020-01-02"),
            "x",
            "x.html",
            Some("2024-03-06T07:45:00Z"),
        );
        assert_eq!(dated.map(|d| d.origin), Some(DateOrigin::Metadata));
        // A full metadata date wins over everything.
        assert_eq!(
            day(resolve(Some("2016-05-04"), wire, "/2017/12/x.txt", None)),
            Some(("2016-05-04".into(), DateOrigin::Metadata))
        );
    }

    #[test]
    fn periods() {
        let (s, e) = parse_period("2017").unwrap();
        assert_eq!(e - s, 365 * 86_400);
        let (s, e) = parse_period("2016-02").unwrap();
        assert_eq!(e - s, 29 * 86_400);
        assert!(parse_period("1665").unwrap().0 < -9_000_000_000);
    }
}
