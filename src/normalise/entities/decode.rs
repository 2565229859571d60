//! Labels and decoding: the best sequence of BILOU labels for a segment of tokens (`B`egin,
//! `I`nside, `L`ast of a name of several words, `U`nit: a name of one word, `O`utside), by
//! Viterbi over emission and transition scores. Illegal sequences (`O` → `I-PER`, `B-ORG` →
//! `L-LOC`, a segment ending on `B-`) are never taken; ties go to the lower label number, so
//! decoding is deterministic.

use crate::article::EntityKind;

/// The labels, in model order: `O`, then `B-`, `I-`, `L-` and `U-` of each type.
pub const LABELS: [&str; 17] = [
    "O", "B-PER", "I-PER", "L-PER", "U-PER", "B-ORG", "I-ORG", "L-ORG", "U-ORG", "B-LOC", "I-LOC",
    "L-LOC", "U-LOC", "B-MISC", "I-MISC", "L-MISC", "U-MISC",
];

/// Where in a name a label's token stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// First word of several.
    Begin,
    /// Neither first nor last.
    Inside,
    /// Last word of several.
    Last,
    /// The only word.
    Unit,
}

/// How many labels there are.
pub const L: usize = LABELS.len();

/// The number of a kind in labels and features: its place in [`EntityKind::ALL`] (a trained
/// model depends on it).
pub fn kind_index(kind: EntityKind) -> usize {
    EntityKind::ALL.iter().position(|&k| k == kind).unwrap_or(0)
}

/// The label of a token of an entity of this kind, at this part of it.
#[cfg(any(test, feature = "dev"))]
pub fn label(kind: EntityKind, part: Part) -> usize {
    1 + 4 * kind_index(kind)
        + match part {
            Part::Begin => 0,
            Part::Inside => 1,
            Part::Last => 2,
            Part::Unit => 3,
        }
}

/// The kind of entity a label is part of, and where (`None` for `O`).
pub fn kind_of(label: usize) -> Option<(EntityKind, Part)> {
    let i = label.checked_sub(1)?;
    let kind = *EntityKind::ALL.get(i / 4)?;
    let part = match i % 4 {
        0 => Part::Begin,
        1 => Part::Inside,
        2 => Part::Last,
        _ => Part::Unit,
    };
    Some((kind, part))
}

/// Whether a label leaves a name open (`B-`, `I-`), so that the next must continue it.
fn open(label: usize) -> Option<EntityKind> {
    match kind_of(label) {
        Some((kind, Part::Begin | Part::Inside)) => Some(kind),
        _ => None,
    }
}

/// Whether `next` may follow `prev` (`None`: the segment's start).
pub fn allowed(prev: Option<usize>, next: usize) -> bool {
    let open = prev.and_then(open);
    match kind_of(next) {
        Some((kind, Part::Inside | Part::Last)) => open == Some(kind),
        _ => open.is_none(),
    }
}

/// Whether a segment may end on `label`.
pub fn may_end(label: usize) -> bool {
    open(label).is_none()
}

/// For each label, the labels that may come before it, in increasing order (so that ties
/// still go to the lowest).
static PREDECESSORS: std::sync::LazyLock<Vec<Vec<u8>>> = std::sync::LazyLock::new(|| {
    (0..L)
        .map(|y| {
            (0..L)
                .filter(|&p| allowed(Some(p), y))
                .map(|p| p as u8)
                .collect()
        })
        .collect()
});

/// Reusable buffers of [`viterbi`].
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    score: Vec<f32>,
    back: Vec<u8>,
}

/// The best labels for `n = emissions.len() / L` tokens: `emissions[i * L + y]` is the score
/// of label `y` at token `i`, `transitions[a * L + b]` of `b` after `a`, `start[y]` of `y`
/// first (after an `O` outside the segment) and `end[y]` of `y` last.
pub fn viterbi(
    emissions: &[f32],
    transitions: &[f32],
    start: &[f32],
    end: &[f32],
    scratch: &mut Scratch,
    out: &mut Vec<u8>,
) {
    let n = emissions.len() / L;
    out.clear();
    if n == 0 {
        return;
    }
    if n == 1 {
        // One token (most segments): the best label that may both start and end a segment.
        let mut best = f32::NEG_INFINITY;
        let mut arg = 0u8;
        for y in 0..L {
            if allowed(None, y) && may_end(y) {
                let s = start[y] + emissions[y] + end[y];
                if s > best {
                    best = s;
                    arg = y as u8;
                }
            }
        }
        out.push(arg);
        return;
    }
    scratch.score.clear();
    scratch.score.resize(n * L, f32::NEG_INFINITY);
    scratch.back.clear();
    scratch.back.resize(n * L, 0);
    for y in 0..L {
        if allowed(None, y) {
            scratch.score[y] = start[y] + emissions[y];
        }
    }
    let before = &*PREDECESSORS;
    for i in 1..n {
        for y in 0..L {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0u8;
            for &p in &before[y] {
                let p = usize::from(p);
                let s = scratch.score[(i - 1) * L + p] + transitions[p * L + y];
                if s > best {
                    best = s;
                    arg = p as u8;
                }
            }
            scratch.score[i * L + y] = best + emissions[i * L + y];
            scratch.back[i * L + y] = arg;
        }
    }
    let mut best = f32::NEG_INFINITY;
    let mut arg = 0usize;
    for (y, e) in end.iter().enumerate().take(L) {
        if !may_end(y) {
            continue;
        }
        let s = scratch.score[(n - 1) * L + y] + e;
        if s > best {
            best = s;
            arg = y;
        }
    }
    out.resize(n, 0);
    out[n - 1] = arg as u8;
    for i in (1..n).rev() {
        arg = usize::from(scratch.back[i * L + arg]);
        out[i - 1] = arg as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        for kind in [
            EntityKind::Person,
            EntityKind::Organization,
            EntityKind::Place,
            EntityKind::Other,
        ] {
            for part in [Part::Begin, Part::Inside, Part::Last, Part::Unit] {
                assert_eq!(kind_of(label(kind, part)), Some((kind, part)));
            }
            assert!(LABELS[label(kind, Part::Unit)].starts_with("U-"));
        }
        assert_eq!(kind_of(0), None);
    }

    #[test]
    fn illegal_sequences_are_never_taken() {
        let (b, i, l, u) = (
            label(EntityKind::Person, Part::Begin),
            label(EntityKind::Person, Part::Inside),
            label(EntityKind::Person, Part::Last),
            label(EntityKind::Person, Part::Unit),
        );
        // I-PER scores best everywhere, but can neither start, follow O, nor end a segment.
        let mut e = vec![0.0f32; 3 * L];
        for t in 0..3 {
            e[t * L + i] = 10.0;
        }
        e[b] = 1.0;
        let zero = vec![0.0f32; L * L];
        let mut out = Vec::new();
        viterbi(
            &e,
            &zero,
            &[0.0; L],
            &[0.0; L],
            &mut Scratch::default(),
            &mut out,
        );
        assert_eq!(out, [b as u8, i as u8, l as u8]);
        // Without B-PER, no I- or L- can be reached: a unit or O instead.
        e[b] = -100.0;
        e[u] = 5.0;
        viterbi(
            &e,
            &zero,
            &[0.0; L],
            &[0.0; L],
            &mut Scratch::default(),
            &mut out,
        );
        assert_eq!(out[0] as usize, u);
        for w in out.windows(2) {
            assert!(
                allowed(Some(usize::from(w[0])), usize::from(w[1])),
                "{out:?}"
            );
        }
        assert!(may_end(usize::from(out[2])));
    }

    #[test]
    fn transitions_and_ties() {
        let e = vec![0.0f32; 2 * L];
        let mut out = Vec::new();
        // All equal: ties go to the lowest label, O.
        viterbi(
            &e,
            &[0.0; L * L],
            &[0.0; L],
            &[0.0; L],
            &mut Scratch::default(),
            &mut out,
        );
        assert_eq!(out, [0, 0]);
        // A transition B-LOC → L-LOC worth more than anything else.
        let (b, l) = (
            label(EntityKind::Place, Part::Begin),
            label(EntityKind::Place, Part::Last),
        );
        let mut t = vec![0.0f32; L * L];
        t[b * L + l] = 3.0;
        viterbi(
            &e,
            &t,
            &[0.0; L],
            &[0.0; L],
            &mut Scratch::default(),
            &mut out,
        );
        assert_eq!(out, [b as u8, l as u8]);
    }
}
