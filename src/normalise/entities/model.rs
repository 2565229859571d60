//! The tagger's model: its file format, loading, and emission scores.
//!
//! A model file is a header followed by a deflate-compressed payload:
//!
//! | bytes | what |
//! |---|---|
//! | 12 | magic `NEWSDEX-NER\0` |
//! | 4 | format version ([`FORMAT_VERSION`]), little-endian |
//! | 8 | xxh3 of the feature templates ([`super::features::TEMPLATES`]) |
//! | 4 | bucket bits |
//! | 4 + n | the labels, comma-separated, with their length |
//! | 4 | scale: a weight is its stored `i16` divided by it |
//! | rest | deflate of: a bitmap of the buckets that have weights, then those buckets' `i16` weights (one per label), then the transition, start and end scores (`f32`) |
//!
//! In memory only the buckets that have weights are kept, in an open-addressing table (about
//! 2.5 times smaller than their count in slots): a few MB that load in milliseconds, where a
//! dense table of every bucket would be 19 MB. A token's scores are one probe per feature.

use super::decode::{L, LABELS};
use super::features::{BUCKET_BITS, TEMPLATES};
use std::io::Read;
use xxhash_rust::xxh3::xxh3_64;

/// The first bytes of every model file.
pub const MAGIC: &[u8; 12] = b"NEWSDEX-NER\0";
/// The version of the file format written and read here.
pub const FORMAT_VERSION: u32 = 1;

/// Why a model could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The bytes do not start with the magic `NEWSDEX-NER\0`.
    #[error("not a newsdex entity model (bad magic bytes)")]
    NotAModel,
    /// The file format is another version.
    #[error("entity model format version {found}, but this newsdex reads version {supported}")]
    Version {
        /// The version in the file.
        found: u32,
        /// The version this build reads.
        supported: u32,
    },
    /// The model was trained on other feature templates (or another bucket count).
    #[error("entity model was trained with other features than this newsdex computes; retrain it")]
    Features,
    /// The model's labels are not this build's.
    #[error("entity model labels {found:?} are not {expected:?}")]
    Labels {
        /// The labels in the file.
        found: String,
        /// The labels this build decodes.
        expected: String,
    },
    /// The file ends early or its payload is damaged.
    #[error("entity model is truncated or corrupt: {what}")]
    Corrupt {
        /// What was wrong.
        what: String,
    },
}

/// The weights of the buckets that have some: `rows[slot * L..][..L]` belong to bucket
/// `keys[slot] - 1` (0: an empty slot), found by linear probing from `bucket & mask`.
#[derive(Clone, Default, PartialEq)]
struct Table {
    keys: Vec<u32>,
    rows: Vec<i16>,
    mask: usize,
}

impl Table {
    fn with_rows(n: usize) -> Table {
        let slots = (n * 2 + 1).next_power_of_two().max(64);
        Table {
            keys: vec![0; slots],
            rows: vec![0; slots * L],
            mask: slots - 1,
        }
    }

    fn insert(&mut self, bucket: u32, row: &[i16]) {
        let mut slot = bucket as usize & self.mask;
        while self.keys[slot] != 0 {
            slot = (slot + 1) & self.mask;
        }
        self.keys[slot] = bucket + 1;
        self.rows[slot * L..(slot + 1) * L].copy_from_slice(row);
    }

    fn get(&self, bucket: u32) -> Option<&[i16]> {
        let mut slot = bucket as usize & self.mask;
        loop {
            match self.keys[slot] {
                0 => return None,
                k if k == bucket + 1 => return Some(&self.rows[slot * L..(slot + 1) * L]),
                _ => slot = (slot + 1) & self.mask,
            }
        }
    }

    /// `(bucket, row)` in bucket order.
    fn sorted(&self) -> Vec<(u32, &[i16])> {
        let mut v: Vec<(u32, &[i16])> = self
            .keys
            .iter()
            .enumerate()
            .filter(|(_, &k)| k != 0)
            .map(|(slot, &k)| (k - 1, &self.rows[slot * L..(slot + 1) * L]))
            .collect();
        v.sort_unstable_by_key(|&(b, _)| b);
        v
    }
}

/// A loaded model: weights by bucket and label, and label-transition scores.
#[derive(Clone)]
pub struct Model {
    table: Table,
    scale: f32,
    /// `transitions[a * L + b]`: label `b` after label `a`.
    pub(crate) transitions: Vec<f32>,
    /// Score of each label first in a segment.
    pub(crate) start: Vec<f32>,
    /// Score of each label last in a segment.
    pub(crate) end: Vec<f32>,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("buckets", &self.used_buckets())
            .field("scale", &self.scale)
            .finish_non_exhaustive()
    }
}

fn labels_text() -> String {
    LABELS.join(",")
}

/// Reads `N` bytes at `*at`, advancing it.
fn take<'a>(bytes: &'a [u8], at: &mut usize, n: usize) -> Result<&'a [u8], ModelError> {
    let out = bytes
        .get(*at..at.saturating_add(n))
        .ok_or_else(|| ModelError::Corrupt {
            what: format!("ends at byte {} of {} needed", bytes.len(), *at + n),
        })?;
    *at += n;
    Ok(out)
}

fn u32_at(bytes: &[u8], at: &mut usize) -> Result<u32, ModelError> {
    let b = take(bytes, at, 4)?;
    Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn f32s(bytes: &[u8], at: &mut usize, n: usize) -> Result<Vec<f32>, ModelError> {
    let b = take(bytes, at, 4 * n)?;
    Ok(b.chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

impl Model {
    #[cfg(any(test, feature = "dev"))]
    /// Builds a model from trained weights (`weights[bucket * L + label]`), quantising them
    /// to `i16`.
    pub fn from_weights(weights: &[f32], transitions: &[f32], start: &[f32], end: &[f32]) -> Model {
        let max = weights.iter().fold(0.0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { 32767.0 / max } else { 1.0 };
        let quantised: Vec<i16> = weights
            .iter()
            .map(|w| (w * scale).round().clamp(-32767.0, 32767.0) as i16)
            .collect();
        let used = quantised
            .chunks_exact(L)
            .filter(|r| r.iter().any(|&w| w != 0))
            .count();
        let mut table = Table::with_rows(used);
        for (b, row) in quantised.chunks_exact(L).enumerate() {
            if row.iter().any(|&w| w != 0) {
                table.insert(b as u32, row);
            }
        }
        Model {
            table,
            scale,
            transitions: transitions.to_vec(),
            start: start.to_vec(),
            end: end.to_vec(),
        }
    }

    /// The model as file bytes (see the [module documentation](self)).
    #[cfg(any(test, feature = "dev"))]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&xxh3_64(TEMPLATES.as_bytes()).to_le_bytes());
        out.extend_from_slice(&BUCKET_BITS.to_le_bytes());
        let labels = labels_text();
        out.extend_from_slice(&(labels.len() as u32).to_le_bytes());
        out.extend_from_slice(labels.as_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        let mut payload = vec![0u8; (1usize << BUCKET_BITS).div_ceil(8)];
        let mut rows = Vec::new();
        for (b, row) in self.table.sorted() {
            let b = b as usize;
            payload[b / 8] |= 1 << (b % 8);
            for w in row {
                rows.extend_from_slice(&w.to_le_bytes());
            }
        }
        payload.extend_from_slice(&rows);
        for x in self.transitions.iter().chain(&self.start).chain(&self.end) {
            payload.extend_from_slice(&x.to_le_bytes());
        }
        use std::io::Write;
        let mut z = flate2::write::DeflateEncoder::new(out, flate2::Compression::best());
        // Writing to a Vec cannot fail.
        let _ = z.write_all(&payload);
        z.finish().unwrap_or_default()
    }

    /// Reads a model from file bytes, checking that it fits this build's features and labels.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut at = 0;
        if bytes.get(..MAGIC.len()) != Some(&MAGIC[..]) {
            return Err(ModelError::NotAModel);
        }
        at += MAGIC.len();
        let version = u32_at(bytes, &mut at)?;
        if version != FORMAT_VERSION {
            return Err(ModelError::Version {
                found: version,
                supported: FORMAT_VERSION,
            });
        }
        let templates = take(bytes, &mut at, 8)?;
        let bits = u32_at(bytes, &mut at)?;
        if templates != xxh3_64(TEMPLATES.as_bytes()).to_le_bytes() || bits != BUCKET_BITS {
            return Err(ModelError::Features);
        }
        let n = u32_at(bytes, &mut at)? as usize;
        let labels = take(bytes, &mut at, n)?;
        if labels != labels_text().as_bytes() {
            return Err(ModelError::Labels {
                found: String::from_utf8_lossy(labels).into_owned(),
                expected: labels_text(),
            });
        }
        let scale = f32::from_le_bytes(
            take(bytes, &mut at, 4)?
                .try_into()
                .map_err(|_| ModelError::NotAModel)?,
        );
        let mut payload = Vec::new();
        flate2::read::DeflateDecoder::new(&bytes[at..])
            .read_to_end(&mut payload)
            .map_err(|e| ModelError::Corrupt {
                what: e.to_string(),
            })?;
        let buckets = 1usize << BUCKET_BITS;
        let mut at = 0;
        let bitmap = take(&payload, &mut at, buckets / 8)?;
        let used: usize = bitmap.iter().map(|b| b.count_ones() as usize).sum();
        let mut table = Table::with_rows(used);
        let mut row = [0i16; L];
        for b in 0..buckets {
            if bitmap[b / 8] & (1 << (b % 8)) != 0 {
                let bytes = take(&payload, &mut at, 2 * L)?;
                for (w, c) in row.iter_mut().zip(bytes.chunks_exact(2)) {
                    *w = i16::from_le_bytes([c[0], c[1]]);
                }
                table.insert(b as u32, &row);
            }
        }
        let transitions = f32s(&payload, &mut at, L * L)?;
        let start = f32s(&payload, &mut at, L)?;
        let end = f32s(&payload, &mut at, L)?;
        if at != payload.len() {
            return Err(ModelError::Corrupt {
                what: format!("{} bytes after the payload", payload.len() - at),
            });
        }
        Ok(Model {
            table,
            scale,
            transitions,
            start,
            end,
        })
    }

    /// Appends to `out` the scores of every label for a token with these features.
    pub fn emissions(&self, features: &[u32], out: &mut Vec<f32>) {
        let mut sum = [0i32; L];
        for &f in features {
            if let Some(row) = self.table.get(f) {
                for (s, &w) in sum.iter_mut().zip(row) {
                    *s += i32::from(w);
                }
            }
        }
        out.extend(sum.iter().map(|&s| s as f32 / self.scale));
    }

    /// Buckets with at least one non-zero weight.
    pub fn used_buckets(&self) -> usize {
        self.table.keys.iter().filter(|&&k| k != 0).count()
    }

    /// A readable listing of the model: header figures, the transition scores and the
    /// largest weights by bucket, so weight changes can be reviewed.
    pub fn dump(&self, top: usize) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "labels {}\nbuckets 2^{BUCKET_BITS}, used {}\nscale {}",
            labels_text(),
            self.used_buckets(),
            self.scale
        );
        let _ = writeln!(s, "\ntransitions (row: from, column: to)");
        let _ = writeln!(
            s,
            "{:>7} {}",
            "",
            LABELS.map(|l| format!("{l:>7}")).join("")
        );
        for (a, label) in LABELS.iter().enumerate() {
            let row: String = (0..L)
                .map(|b| format!("{:>7.2}", self.transitions[a * L + b]))
                .collect();
            let _ = writeln!(s, "{label:>7} {row}");
        }
        let _ = writeln!(s, "{:>7} {}", "start", fmt_row(&self.start));
        let _ = writeln!(s, "{:>7} {}", "end", fmt_row(&self.end));
        let mut largest: Vec<(u32, usize, i16)> = self
            .table
            .sorted()
            .into_iter()
            .flat_map(|(b, row)| {
                row.iter()
                    .enumerate()
                    .filter(|(_, &w)| w != 0)
                    .map(move |(y, &w)| (b, y, w))
            })
            .collect();
        largest.sort_by_key(|&(b, y, w)| (std::cmp::Reverse(w.unsigned_abs()), b, y));
        let _ = writeln!(s, "\nlargest weights (bucket label weight)");
        for (b, y, w) in largest.into_iter().take(top) {
            let _ = writeln!(
                s,
                "{b:>8} {:>7} {:>9.3}",
                LABELS[y],
                f32::from(w) / self.scale
            );
        }
        s
    }
}

fn fmt_row(row: &[f32]) -> String {
    row.iter().map(|x| format!("{x:>7.2}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Model {
        let buckets = 1usize << BUCKET_BITS;
        let mut w = vec![0.0f32; buckets * L];
        w[7 * L + 1] = 2.0;
        w[7 * L + 3] = -1.0;
        w[(buckets - 1) * L] = 0.5;
        let t: Vec<f32> = (0..L * L).map(|i| i as f32 / 10.0).collect();
        Model::from_weights(&w, &t, &[0.25; L], &[-0.25; L])
    }

    #[test]
    fn a_model_round_trips_through_its_bytes() {
        let m = tiny();
        let bytes = m.to_bytes();
        let back = Model::from_bytes(&bytes).expect("loads");
        assert!(back.table == m.table);
        assert_eq!(back.transitions, m.transitions);
        assert_eq!(back.start, m.start);
        assert_eq!(back.end, m.end);
        assert_eq!(back.used_buckets(), 2);
        let mut e = Vec::new();
        back.emissions(&[7, 7], &mut e);
        assert!(
            (e[1] - 4.0).abs() < 1e-3 && (e[3] + 2.0).abs() < 1e-3,
            "{e:?}"
        );
        assert!(back.dump(3).contains("B-PER"));
    }

    #[test]
    fn damaged_models_are_refused_with_a_reason() {
        let bytes = tiny().to_bytes();
        assert!(matches!(
            Model::from_bytes(b"PK\x03\x04 not a model"),
            Err(ModelError::NotAModel)
        ));
        let mut v = bytes.clone();
        v[12] = 9;
        assert!(matches!(
            Model::from_bytes(&v),
            Err(ModelError::Version { found: 9, .. })
        ));
        let mut v = bytes.clone();
        v[16] ^= 1;
        assert!(matches!(Model::from_bytes(&v), Err(ModelError::Features)));
        let mut v = bytes.clone();
        v[32] = b'X';
        assert!(matches!(
            Model::from_bytes(&v),
            Err(ModelError::Labels { .. })
        ));
        for cut in [5, 20, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                matches!(
                    Model::from_bytes(&bytes[..cut]),
                    Err(ModelError::Corrupt { .. } | ModelError::NotAModel)
                ),
                "cut at {cut}"
            );
        }
    }
}
