//! Trains newsdex's entity model: an averaged structured perceptron (Collins 2002) over the
//! recogniser's own features (`newsdex::normalise::entities::dev`), first-order transitions,
//! Viterbi decoding, one training sequence per candidate segment.
//!
//! Deterministic: one thread, documents and segments in file order, a fixed-seed shuffle
//! each epoch; the same data and seed give the same bytes. `--check` compares the result
//! with the shipped model instead of writing it.

use anyhow::{bail, Context, Result};
use clap::Parser;
use newsdex::eval::ner::{self, Document};
use newsdex::normalise::entities::dev::{self, Model, Part, Scratch, BUCKET_BITS, L};
use newsdex::normalise::entities::Recogniser;
use newsdex::EntityKind;
use std::path::PathBuf;
use std::time::Instant;

/// Train the entity model compiled into newsdex.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// CoNLL-2003-format training files (gzip or not).
    #[arg(long, default_value = "../shared/corpora/conll2003-train/eng.train.gz")]
    train: Vec<PathBuf>,
    /// Files to report F1 on after each epoch (to choose settings; never trained on).
    #[arg(long)]
    dev: Vec<PathBuf>,
    /// Passes over the training data.
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    /// Seed of the shuffle.
    #[arg(long, default_value_t = 13)]
    seed: u64,
    /// Share of training tokens whose own-word features are hidden in each pass, so the model
    /// learns to recognise names it has not seen from their context, shape and lists.
    #[arg(long, default_value_t = 0.0)]
    dropout: f64,
    /// Do not also train on a copy of every document with initialisms and abbreviations
    /// written without periods ("US", "UK", "Mr", "Corp"), as much of today's news has them.
    #[arg(long)]
    no_augment: bool,
    /// Plain-text files to tag with the trained model, printing what it finds (a quick look).
    #[arg(long = "try")]
    try_files: Vec<PathBuf>,
    /// Where to write the model.
    #[arg(long, default_value = "src/normalise/entities/ner-model.bin")]
    out: PathBuf,
    /// Compare the trained model with the file at `--out` instead of writing it; exit 1 if
    /// they differ.
    #[arg(long)]
    check: bool,
    /// Print the model at `--out` (header, transitions, this many largest weights) and stop:
    /// a readable view for reviewing a retrained model.
    #[arg(long, value_name = "N")]
    dump: Option<usize>,
}

/// One training sequence: a segment's tokens' features and gold labels.
struct Sequence {
    features: Vec<u32>,
    /// Whether each feature is about the word itself (what dropout may hide).
    lexical: Vec<bool>,
    offsets: Vec<usize>,
    gold: Vec<u8>,
}

/// Templates that name the word itself (see `features.rs`): word, exact word, prefix,
/// suffixes, and the word with a neighbour.
const LEXICAL: [u8; 8] = [1, 2, 4, 5, 6, 7, 12, 13];

/// splitmix64: a small, fixed, well-mixed generator for the shuffle.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

fn kind(conll: &str) -> EntityKind {
    match conll {
        "PER" => EntityKind::Person,
        "ORG" => EntityKind::Organization,
        "LOC" => EntityKind::Place,
        _ => EntityKind::Other,
    }
}

/// A segment's gold labels: a name cut by the segment's edge keeps the part inside it.
fn clip(gold: &[u8]) -> Vec<u8> {
    let n = gold.len();
    (0..n)
        .map(|k| {
            let Some((kind, part)) = dev::kind_of(usize::from(gold[k])) else {
                return 0;
            };
            let first = k == 0 && matches!(part, Part::Inside | Part::Last);
            let last = k + 1 == n && matches!(part, Part::Begin | Part::Inside);
            let part = match (first, last, part) {
                (true, true, _) => Part::Unit,
                (true, false, Part::Inside) => Part::Begin,
                (true, false, _) => Part::Unit,
                (false, true, Part::Begin) => Part::Unit,
                (false, true, _) => Part::Last,
                _ => part,
            };
            dev::label(kind, part) as u8
        })
        .collect()
}

/// The training sequences of some documents, and how many gold entity tokens fall outside
/// candidate segments (the tagger cannot find those).
fn sequences(docs: &[Document]) -> (Vec<Sequence>, usize, usize) {
    let mut out = Vec::new();
    let (mut entity_tokens, mut missed) = (0, 0);
    for doc in docs {
        let (text, entities) = ner::text_and_entities(doc);
        let p = dev::prepare(&text);
        let mut gold = vec![0u8; p.tokens.len()];
        for (range, conll) in &entities {
            let inside: Vec<usize> = (0..p.tokens.len())
                .filter(|&i| p.tokens[i].start < range.end && range.start < p.tokens[i].end)
                .collect();
            for (k, &i) in inside.iter().enumerate() {
                let part = match (k == 0, k + 1 == inside.len()) {
                    (true, true) => Part::Unit,
                    (true, false) => Part::Begin,
                    (false, true) => Part::Last,
                    (false, false) => Part::Inside,
                };
                gold[i] = dev::label(kind(conll), part) as u8;
            }
        }
        let mut in_segment = vec![false; gold.len()];
        let f = &p.features;
        for seg in &f.segments {
            in_segment[seg.clone()].fill(true);
            let base = f.offsets[seg.start];
            out.push(Sequence {
                features: f.features[base..f.offsets[seg.end]].to_vec(),
                lexical: f.templates[base..f.offsets[seg.end]]
                    .iter()
                    .map(|t| LEXICAL.contains(t))
                    .collect(),
                offsets: f.offsets[seg.start..=seg.end]
                    .iter()
                    .map(|o| o - base)
                    .collect(),
                gold: clip(&gold[seg.clone()]),
            });
        }
        for (i, &y) in gold.iter().enumerate() {
            if y > 0 {
                entity_tokens += 1;
                missed += usize::from(!in_segment[i]);
            }
        }
    }
    (out, entity_tokens, missed)
}

/// Weights being trained, with the sums for averaging.
struct Perceptron {
    w: Vec<f32>,
    /// Σ c·Δw, so that the average is `w - u / c`.
    u: Vec<f32>,
    c: f32,
}

impl Perceptron {
    fn new(n: usize) -> Perceptron {
        Perceptron {
            w: vec![0.0; n],
            u: vec![0.0; n],
            c: 1.0,
        }
    }
    fn add(&mut self, i: usize, d: f32) {
        self.w[i] += d;
        self.u[i] += self.c * d;
    }
    fn average(&self) -> Vec<f32> {
        self.w
            .iter()
            .zip(&self.u)
            .map(|(w, u)| w - u / self.c)
            .collect()
    }
}

/// Weights: buckets × labels, then transitions, start and end.
const fn layout() -> (usize, usize, usize, usize) {
    let emissions = (1usize << BUCKET_BITS) * L;
    let transitions = emissions;
    let start = transitions + L * L;
    let end = start + L;
    (transitions, start, end, end + L)
}

fn model_of(weights: &[f32]) -> Model {
    let (t, s, e, n) = layout();
    Model::from_weights(
        &weights[..t],
        &weights[t..s],
        &weights[s..e],
        &weights[e..n],
    )
}

fn decode(
    p: &[f32],
    seq: &Sequence,
    hidden: &[bool],
    scratch: &mut Scratch,
    em: &mut Vec<f32>,
    out: &mut Vec<u8>,
) {
    let (t, s, e, n) = layout();
    em.clear();
    for (i, &hide) in hidden.iter().enumerate().take(seq.gold.len()) {
        let mut sum = [0f32; L];
        for k in seq.offsets[i]..seq.offsets[i + 1] {
            if hide && seq.lexical[k] {
                continue;
            }
            let f = seq.features[k];
            let row = &p[f as usize * L..(f as usize + 1) * L];
            for (a, w) in sum.iter_mut().zip(row) {
                *a += w;
            }
        }
        em.extend_from_slice(&sum);
    }
    dev::viterbi(em, &p[t..s], &p[s..e], &p[e..n], scratch, out);
}

fn train(seqs: &[Sequence], args: &Args, dev_sets: &[(String, Vec<Document>)]) -> Result<Model> {
    let (t, s, e, n) = layout();
    let mut p = Perceptron::new(n);
    let mut order: Vec<usize> = (0..seqs.len()).collect();
    let mut rng = Rng(args.seed);
    let (mut scratch, mut em, mut pred) = (Scratch::default(), Vec::new(), Vec::new());
    let mut hidden = Vec::new();
    for epoch in 1..=args.epochs {
        let started = Instant::now();
        rng.shuffle(&mut order);
        let mut wrong = 0usize;
        for &k in &order {
            let seq = &seqs[k];
            hidden.clear();
            hidden.extend(
                (0..seq.gold.len())
                    .map(|_| ((rng.next() >> 11) as f64) < args.dropout * (1u64 << 53) as f64),
            );
            decode(&p.w, seq, &hidden, &mut scratch, &mut em, &mut pred);
            if pred != seq.gold {
                wrong += 1;
                for i in 0..seq.gold.len() {
                    let (g, y) = (usize::from(seq.gold[i]), usize::from(pred[i]));
                    if g != y {
                        for k in seq.offsets[i]..seq.offsets[i + 1] {
                            if hidden[i] && seq.lexical[k] {
                                continue;
                            }
                            let f = seq.features[k];
                            p.add(f as usize * L + g, 1.0);
                            p.add(f as usize * L + y, -1.0);
                        }
                    }
                    let (pg, py) = if i == 0 {
                        (s + g, s + y)
                    } else {
                        let (a, b) = (usize::from(seq.gold[i - 1]), usize::from(pred[i - 1]));
                        (t + a * L + g, t + b * L + y)
                    };
                    if pg != py {
                        p.add(pg, 1.0);
                        p.add(py, -1.0);
                    }
                }
                let last = seq.gold.len() - 1;
                let (g, y) = (usize::from(seq.gold[last]), usize::from(pred[last]));
                if g != y {
                    p.add(e + g, 1.0);
                    p.add(e + y, -1.0);
                }
            }
            p.c += 1.0;
        }
        eprintln!(
            "epoch {epoch}: {wrong} of {} segments wrong ({:.1} s)",
            seqs.len(),
            started.elapsed().as_secs_f64()
        );
        if !dev_sets.is_empty() {
            let model = model_of(&p.average());
            let rec = Recogniser::from_bytes(&model.to_bytes())?;
            for (name, docs) in dev_sets {
                let r = ner::evaluate_with(&rec, docs, 0);
                let f1 = |k: &str| {
                    r.types
                        .iter()
                        .find(|t| t.kind == k)
                        .map_or(0.0, |t| t.scores.f1)
                };
                eprintln!(
                    "  {name}: PER+ORG+LOC F1 {:.4} (P {:.4} R {:.4}) · PER {:.3} ORG {:.3} LOC {:.3} MISC {:.3} · {:.1} MB/s",
                    r.per_org_loc.f1,
                    r.per_org_loc.precision,
                    r.per_org_loc.recall,
                    f1("PER"),
                    f1("ORG"),
                    f1("LOC"),
                    f1("MISC"),
                    r.mb_per_second
                );
            }
        }
    }
    Ok(model_of(&p.average()))
}

/// The document with initialisms and abbreviations written without periods (`U.S.` → `US`,
/// `Mr.` → `Mr`), as much of today's news writes them; `None` when nothing changes.
fn without_periods(doc: &Document) -> Option<Document> {
    let mut changed = false;
    let sentences = doc
        .sentences
        .iter()
        .map(|s| {
            s.iter()
                .map(|(token, tag)| {
                    let letters = token.chars().filter(|c| c.is_alphabetic()).count();
                    let bare = token.replace('.', "");
                    let initialism = token.len() >= 3
                        && token.ends_with('.')
                        && token.chars().next().is_some_and(char::is_uppercase)
                        && (1..=4).contains(&letters)
                        && token.chars().all(|c| c.is_alphabetic() || c == '.');
                    if initialism && !bare.is_empty() {
                        changed = true;
                        (bare, tag.clone())
                    } else {
                        (token.clone(), tag.clone())
                    }
                })
                .collect()
        })
        .collect();
    changed.then_some(Document { sentences })
}

fn main() -> Result<()> {
    let args = Args::parse();
    if let Some(top) = args.dump {
        let bytes =
            std::fs::read(&args.out).with_context(|| format!("reading {}", args.out.display()))?;
        let rec = Recogniser::from_bytes(&bytes)
            .with_context(|| format!("loading {}", args.out.display()))?;
        print!("{}", rec.dump(top));
        return Ok(());
    }
    let bytes = model_bytes(&args)?;
    if args.check {
        let shipped =
            std::fs::read(&args.out).with_context(|| format!("reading {}", args.out.display()))?;
        if shipped != bytes {
            bail!(
                "the trained model differs from {} ({} bytes vs {})",
                args.out.display(),
                bytes.len(),
                shipped.len()
            );
        }
        eprintln!("identical to {}", args.out.display());
    } else {
        std::fs::write(&args.out, &bytes)
            .with_context(|| format!("writing {}", args.out.display()))?;
        eprintln!("wrote {}", args.out.display());
    }
    Ok(())
}

/// Trains as `args` say and returns the model file's bytes.
fn model_bytes(args: &Args) -> Result<Vec<u8>> {
    let mut docs = Vec::new();
    for path in &args.train {
        docs.extend(ner::read_conll(path).with_context(|| format!("reading {}", path.display()))?);
    }
    if !args.no_augment {
        let variants: Vec<Document> = docs.iter().filter_map(without_periods).collect();
        eprintln!("{} documents rewritten without periods", variants.len());
        docs.extend(variants);
    }
    let started = Instant::now();
    let (seqs, entity_tokens, missed) = sequences(&docs);

    eprintln!(
        "{} documents, {} segments, {} features; {missed} of {entity_tokens} entity tokens outside segments ({:.1} s)",
        docs.len(),
        seqs.len(),
        seqs.iter().map(|s| s.features.len()).sum::<usize>(),
        started.elapsed().as_secs_f64()
    );
    let mut dev_sets = Vec::new();
    for path in &args.dev {
        dev_sets.push((
            path.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            ner::read_conll(path).with_context(|| format!("reading {}", path.display()))?,
        ));
    }
    let model = train(&seqs, args, &dev_sets)?;
    let bytes = model.to_bytes();
    if !args.try_files.is_empty() {
        let rec = Recogniser::from_bytes(&bytes)?;
        for path in &args.try_files {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            let found: Vec<String> = rec
                .extract("", &text, &[])
                .iter()
                .map(|e| format!("{:?} {}", e.kind, e.name))
                .collect();
            eprintln!("{}: {}", path.display(), found.join(" · "));
        }
    }
    eprintln!(
        "model: {} bytes, {} buckets used",
        bytes.len(),
        model.used_buckets()
    );
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented command rebuilds the shipped model bit for bit. Needs the CoNLL-2003
    /// training split beside the repository (`../shared/corpora/`); skipped without it.
    /// Run: `cargo test --release -p newsdex-train-ner`.
    #[test]
    fn training_reproduces_the_shipped_model() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let train = format!("{root}/../shared/corpora/conll2003-train/eng.train.gz");
        if !std::path::Path::new(&train).exists() {
            eprintln!("skipped: {train} is absent");
            return;
        }
        let out = format!("{root}/src/normalise/entities/ner-model.bin");
        let args = Args::parse_from(["train-ner", "--train", &train, "--out", &out]);
        let bytes = model_bytes(&args).expect("trains");
        let shipped = std::fs::read(&out).expect("the shipped model");
        assert!(
            bytes == shipped,
            "retrain: cargo run --release -p newsdex-train-ner"
        );
    }

    #[test]
    fn initialisms_lose_their_periods_and_tags_stay() {
        let doc = Document {
            sentences: vec![vec![
                ("U.S.".into(), "I-LOC".into()),
                ("Mr.".into(), "O".into()),
                ("Smith".into(), "I-PER".into()),
                ("...".into(), "O".into()),
                ("a.m.".into(), "O".into()),
            ]],
        };
        let v = without_periods(&doc).expect("changed");
        let words: Vec<&str> = v.sentences[0].iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(words, ["US", "Mr", "Smith", "...", "a.m."]);
        assert_eq!(v.sentences[0][0].1, "I-LOC");
    }
}
