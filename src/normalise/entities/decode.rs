//! Labels and decoding: the best sequence of BIO labels for a segment of tokens, by Viterbi
//! over emission and transition scores. Illegal transitions (`O` → `I-PER`, `B-ORG` →
//! `I-LOC`) are never taken; ties go to the lower label number, so decoding is deterministic.

use crate::article::EntityKind;

/// The labels, in model order: `O`, then `B-` and `I-` of each type.
pub const LABELS: [&str; 9] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];

/// How many labels there are.
pub const L: usize = LABELS.len();

/// The label of the first token of an entity of this kind.
pub fn begin(kind: EntityKind) -> usize {
    1 + 2 * match kind {
        EntityKind::Person => 0,
        EntityKind::Organization => 1,
        EntityKind::Place => 2,
        EntityKind::Other => 3,
    }
}

/// The kind of entity a label is part of (`None` for `O`), and whether it continues one.
pub fn kind_of(label: usize) -> Option<(EntityKind, bool)> {
    let kind = match (label.checked_sub(1)?) / 2 {
        0 => EntityKind::Person,
        1 => EntityKind::Organization,
        2 => EntityKind::Place,
        3 => EntityKind::Other,
        _ => return None,
    };
    Some((kind, label.is_multiple_of(2)))
}

/// Whether `next` may follow `prev` (`None`: the segment's start).
pub fn allowed(prev: Option<usize>, next: usize) -> bool {
    match kind_of(next) {
        Some((kind, true)) => prev.is_some_and(|p| p == begin(kind) || p == begin(kind) + 1),
        _ => true,
    }
}

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
    scratch.score.clear();
    scratch.score.resize(n * L, f32::NEG_INFINITY);
    scratch.back.clear();
    scratch.back.resize(n * L, 0);
    for y in 0..L {
        if allowed(None, y) {
            scratch.score[y] = start[y] + emissions[y];
        }
    }
    for i in 1..n {
        for y in 0..L {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0u8;
            for p in 0..L {
                if !allowed(Some(p), y) {
                    continue;
                }
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
            assert_eq!(kind_of(begin(kind)), Some((kind, false)));
            assert_eq!(kind_of(begin(kind) + 1), Some((kind, true)));
            assert!(LABELS[begin(kind)].starts_with("B-"));
        }
        assert_eq!(kind_of(0), None);
    }

    #[test]
    fn illegal_transitions_are_never_taken() {
        // I-PER scores best everywhere, but cannot start a segment nor follow O.
        let mut e = vec![0.0f32; 3 * L];
        for i in 0..3 {
            e[i * L + 2] = 10.0;
        }
        e[1] = 1.0; // B-PER at the first token
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
        assert_eq!(out, [1, 2, 2]);
        // Without B-PER ever scoring, I-PER can still not be reached from O.
        e[1] = -100.0;
        e[3] = 5.0; // B-ORG
        viterbi(
            &e,
            &zero,
            &[0.0; L],
            &[0.0; L],
            &mut Scratch::default(),
            &mut out,
        );
        for w in out.windows(2) {
            assert!(
                allowed(Some(usize::from(w[0])), usize::from(w[1])),
                "{out:?}"
            );
        }
        assert!(allowed(None, usize::from(out[0])));
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
        // A transition B-LOC → I-LOC worth more than anything else.
        let mut t = vec![0.0f32; L * L];
        t[5 * L + 6] = 3.0;
        viterbi(
            &e,
            &t,
            &[0.0; L],
            &[0.0; L],
            &mut Scratch::default(),
            &mut out,
        );
        assert_eq!(out, [5, 6]);
    }
}
