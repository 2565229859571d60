//! The benchmark's view of an input file: JSON Lines (plain or gzip) with `title`, `body` and
//! `date`, read the same way for both systems' statistics and for the FTS5 peer.
//!
//! The peer gets the bare title and body text and the date; newsdex reads the same file through
//! its whole pipeline (format sniffing, cleaning, boilerplate, dates, language, entities,
//! near-duplicates).

use anyhow::{Context, Result};
use serde::Deserialize;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// One record as the peer sees it.
#[derive(Debug, Deserialize)]
pub struct Doc {
    /// Headline.
    #[serde(default)]
    pub title: Option<String>,
    /// Article text (`text` in some exports).
    #[serde(default, alias = "text")]
    pub body: Option<String>,
    /// RFC 3339 date, when the record has one.
    #[serde(default)]
    pub date: Option<String>,
}

/// Size of a corpus file, counted while reading it.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct TextStats {
    /// Records with a title or a body.
    pub articles: u64,
    /// Bytes of title + body text (UTF-8), the "text" of MB/s and of the index-size ratio.
    pub text_bytes: u64,
    /// Bytes of the file once decompressed.
    pub raw_bytes: u64,
    /// Bytes of the file on disk.
    pub file_bytes: u64,
}

/// Open `path` for reading, decompressing gzip (by its magic bytes).
pub fn open(path: &Path) -> Result<Box<dyn BufRead>> {
    let mut file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut magic = [0u8; 2];
    let n = file.read(&mut magic)?;
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    if n == 2 && magic == [0x1f, 0x8b] {
        Ok(Box::new(BufReader::with_capacity(
            1 << 20,
            flate2::read::MultiGzDecoder::new(file),
        )))
    } else {
        Ok(Box::new(BufReader::with_capacity(1 << 20, file)))
    }
}

/// Call `f` for every record of the JSONL file at `path`; returns the file's statistics.
/// Lines that are not JSON objects with a title or body are counted in `raw_bytes` only.
pub fn for_each(path: &Path, mut f: impl FnMut(Doc) -> Result<()>) -> Result<TextStats> {
    let mut stats = TextStats {
        file_bytes: std::fs::metadata(path)
            .with_context(|| format!("reading {}", path.display()))?
            .len(),
        ..TextStats::default()
    };
    let mut reader = open(path)?;
    let mut line = String::new();
    let mut number = 0u64;
    loop {
        line.clear();
        let n = reader
            .read_line(&mut line)
            .with_context(|| format!("reading {}", path.display()))?;
        if n == 0 {
            break;
        }
        number += 1;
        stats.raw_bytes += n as u64;
        if line.trim().is_empty() {
            continue;
        }
        let doc: Doc = serde_json::from_str(&line)
            .with_context(|| format!("{}, line {number}", path.display()))?;
        let title = doc.title.as_deref().unwrap_or_default().len();
        let body = doc.body.as_deref().unwrap_or_default().len();
        if title + body == 0 {
            continue;
        }
        stats.articles += 1;
        stats.text_bytes += (title + body) as u64;
        f(doc)?;
    }
    Ok(stats)
}

/// Seconds since 1970 of an RFC 3339 date (`1987-02-26T15:01:01Z`, `+02:00` offsets) or a
/// plain `YYYY-MM-DD`; `None` when it is neither.
pub fn epoch_seconds(date: &str) -> Option<i64> {
    let d = date.trim();
    let num = |s: &str| s.parse::<i64>().ok();
    let year = num(d.get(0..4)?)?;
    if d.get(4..5)? != "-" || d.get(7..8)? != "-" {
        return None;
    }
    let month = num(d.get(5..7)?)?;
    let day = num(d.get(8..10)?)?;
    let mut secs = days_from_civil(year, month, day) * 86_400;
    let rest = &d[10..];
    if let Some(time) = rest.strip_prefix(['T', ' ']) {
        let h = num(time.get(0..2)?)?;
        let m = num(time.get(3..5)?)?;
        let s = num(time.get(6..8)?)?;
        secs += h * 3600 + m * 60 + s;
        // Skip fractional seconds, then apply the offset.
        let tail = time[8..].trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
        if let Some(off) = tail.get(1..).filter(|_| tail.starts_with(['+', '-'])) {
            let oh = num(off.get(0..2)?)?;
            let om = num(off.get(3..5)?)?;
            let sign = if tail.starts_with('+') { 1 } else { -1 };
            secs -= sign * (oh * 3600 + om * 60);
        }
    }
    Some(secs)
}

/// `[start, end)` in seconds since 1970 of a period `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn period(text: &str) -> Option<(i64, i64)> {
    let parts: Vec<i64> = text
        .split('-')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let day = |y, m, d| days_from_civil(y, m, d) * 86_400;
    match parts[..] {
        [y] => Some((day(y, 1, 1), day(y + 1, 1, 1))),
        [y, m] if (1..=12).contains(&m) => {
            let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            Some((day(y, m, 1), day(ny, nm, 1)))
        }
        [y, m, d] if (1..=12).contains(&m) && (1..=31).contains(&d) => {
            Some((day(y, m, d), day(y, m, d) + 86_400))
        }
        _ => None,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Total size in bytes of the files under `dir` (recursively).
pub fn dir_size(dir: &Path) -> Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let entry = entry?;
        let meta = entry.metadata()?;
        total += if meta.is_dir() {
            dir_size(&entry.path())?
        } else {
            meta.len()
        };
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(epoch_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(epoch_seconds("1987-02-26T15:01:01Z"), Some(541_350_061));
        assert_eq!(
            epoch_seconds("1987-02-26T17:01:01+02:00"),
            Some(541_350_061)
        );
        assert_eq!(epoch_seconds("1987-02-26"), Some(541_296_000));
        assert_eq!(epoch_seconds("Feb 1987"), None);
        assert_eq!(period("1987-12"), Some((565_315_200, 567_993_600)));
        assert_eq!(period("1987-13"), None);
    }
}
