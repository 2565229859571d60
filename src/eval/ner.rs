//! Named-entity evaluation on CoNLL-2003-format files: exact-span precision, recall and F1,
//! as `conlleval` computes them.
//!
//! Each document's tokens are joined back into text (no space before `,` `.` `'s` ...,
//! sentences on lines of their own), newsdex's extractor runs over that text as an article
//! body, and every mention it finds is mapped back to the tokens it covers. A predicted entity
//! is correct when its first and last token and its type equal a gold entity's. newsdex's
//! kinds map to CoNLL's types: person → PER, organization → ORG, place → LOC, other → MISC.
//!
//! Gold entities are read from the last column, in IOB1 (CoNLL-2003's own: `I-` throughout,
//! `B-` only between two adjacent entities of one type) or IOB2 (`B-` at every start).
//! `-DOCSTART-` lines separate documents, wherever they stand.

use super::ranking::EvalError;
use crate::article::{EntityKind, TextField};
use crate::normalise::entities::Recogniser;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Read;
use std::ops::Range;
use std::path::Path;

/// The entity types scored, in report order.
pub const TYPES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

/// One document of a CoNLL file: its sentences of `(token, tag)`.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Sentences, each a list of `(token, NER tag)`.
    pub sentences: Vec<Vec<(String, String)>>,
}

/// An entity as a token range of a document: sentence, first token, token after the last.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Span {
    sentence: usize,
    start: usize,
    end: usize,
    kind: &'static str,
}

/// Precision, recall and F1 of one entity type (or of several, micro-averaged).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Entities in the gold annotation.
    pub gold: usize,
    /// Entities the extractor found.
    pub predicted: usize,
    /// Found entities with the gold span and type.
    pub correct: usize,
    /// `correct / predicted` (0 when nothing was predicted).
    pub precision: f64,
    /// `correct / gold` (0 when there is no gold entity).
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl Scores {
    fn new(gold: usize, predicted: usize, correct: usize) -> Scores {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let (precision, recall) = (ratio(correct, predicted), ratio(correct, gold));
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Scores {
            gold,
            predicted,
            correct,
            precision,
            recall,
            f1,
        }
    }
}

/// A disagreement between the extractor and the gold annotation, for reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    /// The document (1-based).
    pub document: usize,
    /// The words of the span.
    pub text: String,
    /// The gold type of this exact span, if it is a gold entity.
    pub gold: Option<&'static str>,
    /// The type the extractor gave this exact span, if it found it.
    pub predicted: Option<&'static str>,
    /// How many times this disagreement occurs.
    pub times: usize,
}

/// The scores of one entity type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeScores {
    /// `PER`, `ORG`, `LOC` or `MISC`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Its scores.
    #[serde(flatten)]
    pub scores: Scores,
}

/// The result of [`evaluate`].
#[derive(Debug, Clone, Serialize)]
pub struct NerReport {
    /// Documents read.
    pub documents: usize,
    /// Sentences read.
    pub sentences: usize,
    /// Tokens read.
    pub tokens: usize,
    /// Bytes of text the extractor read.
    pub bytes: usize,
    /// Time spent in the extractor, one thread.
    pub seconds: f64,
    /// Text extracted per second on one core, in MB (10^6 bytes).
    pub mb_per_second: f64,
    /// Scores per type, in the order of [`TYPES`].
    pub types: Vec<TypeScores>,
    /// PER, ORG and LOC together (micro-averaged): the headline figure.
    pub per_org_loc: Scores,
    /// All four types together.
    pub all: Scores,
    /// Up to the number asked for of disagreements, most frequent first.
    pub disagreements: Vec<Disagreement>,
}

/// Parses CoNLL text (see the [module documentation](self)).
pub fn parse_conll(text: &str) -> Result<Vec<Document>, EvalError> {
    let mut docs = Vec::new();
    let mut doc = Document::default();
    let mut sentence: Vec<(String, String)> = Vec::new();
    let end_sentence = |doc: &mut Document, sentence: &mut Vec<(String, String)>| {
        if !sentence.is_empty() {
            doc.sentences.push(std::mem::take(sentence));
        }
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            end_sentence(&mut doc, &mut sentence);
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields[0] == "-DOCSTART-" {
            end_sentence(&mut doc, &mut sentence);
            if !doc.sentences.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        let (Some(token), Some(tag), true) = (fields.first(), fields.last(), fields.len() >= 2)
        else {
            return Err(EvalError::Parse {
                what: "CoNLL",
                line: n + 1,
                message: "expected a token and a tag".into(),
            });
        };
        if *tag != "O" && type_of(tag).is_none() {
            return Err(EvalError::Parse {
                what: "CoNLL",
                line: n + 1,
                message: format!("unknown tag {tag:?} (expected O, I-X or B-X with X one of PER, ORG, LOC, MISC)"),
            });
        }
        sentence.push((token.to_string(), tag.to_string()));
    }
    end_sentence(&mut doc, &mut sentence);
    if !doc.sentences.is_empty() {
        docs.push(doc);
    }
    Ok(docs)
}

/// Reads a CoNLL file, gzip-compressed or not.
pub fn read_conll(path: &Path) -> Result<Vec<Document>, EvalError> {
    let io = |source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    };
    let bytes = std::fs::read(path).map_err(io)?;
    let mut text = String::new();
    if bytes.starts_with(&[0x1f, 0x8b]) {
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .map_err(io)?;
    } else {
        text = String::from_utf8(bytes)
            .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
    }
    parse_conll(&text).map_err(|e| EvalError::InFile {
        path: path.to_path_buf(),
        error: Box::new(e),
    })
}

/// The type of an `I-X` / `B-X` tag.
fn type_of(tag: &str) -> Option<&'static str> {
    let t = tag.strip_prefix("I-").or_else(|| tag.strip_prefix("B-"))?;
    TYPES.iter().copied().find(|&x| x == t)
}

/// The gold entities of a document.
fn gold_spans(doc: &Document) -> Vec<Span> {
    let mut spans = Vec::new();
    for (s, sentence) in doc.sentences.iter().enumerate() {
        let mut open: Option<Span> = None;
        for (i, (_, tag)) in sentence.iter().enumerate() {
            let kind = type_of(tag);
            let begins = tag.starts_with("B-");
            match (&mut open, kind) {
                (Some(span), Some(k)) if span.kind == k && !begins => span.end = i + 1,
                _ => {
                    spans.extend(open.take());
                    open = kind.map(|kind| Span {
                        sentence: s,
                        start: i,
                        end: i + 1,
                        kind,
                    });
                }
            }
        }
        spans.extend(open);
    }
    spans
}

/// Tokens that attach to the word before them.
fn no_space_before(token: &str) -> bool {
    matches!(
        token,
        "," | "."
            | ";"
            | ":"
            | "!"
            | "?"
            | ")"
            | "]"
            | "}"
            | "%"
            | "'s"
            | "'S"
            | "'"
            | "n't"
            | "'re"
            | "'ve"
            | "'ll"
            | "'d"
            | "'m"
    )
}

/// Tokens the next word attaches to.
fn no_space_after(token: &str) -> bool {
    matches!(token, "(" | "[" | "{" | "$")
}

/// The document as text, and each token's char range: `ranges[sentence][token]`.
fn detokenize(doc: &Document) -> (String, Vec<Vec<(usize, usize)>>) {
    let mut text = String::new();
    let mut chars = 0usize;
    let mut ranges = Vec::with_capacity(doc.sentences.len());
    for sentence in &doc.sentences {
        if !text.is_empty() {
            text.push('\n');
            chars += 1;
        }
        let mut r = Vec::with_capacity(sentence.len());
        let mut quote_open = false;
        let mut glue_next = true;
        for (token, _) in sentence {
            let is_quote = token == "\"";
            let glue = glue_next || no_space_before(token) || (is_quote && quote_open);
            if !glue {
                text.push(' ');
                chars += 1;
            }
            let start = chars;
            text.push_str(token);
            chars += token.chars().count();
            r.push((start, chars));
            glue_next = no_space_after(token) || (is_quote && !quote_open);
            if is_quote {
                quote_open = !quote_open;
            }
        }
        ranges.push(r);
    }
    (text, ranges)
}

fn conll_type(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "PER",
        EntityKind::Organization => "ORG",
        EntityKind::Place => "LOC",
        EntityKind::Other => "MISC",
    }
}

/// The document as the evaluation rebuilds it into text, with each gold entity's byte range
/// in that text and its type: what a model is trained on.
pub fn text_and_entities(doc: &Document) -> (String, Vec<(Range<usize>, &'static str)>) {
    let (text, ranges) = detokenize(doc);
    // Char offsets to byte offsets.
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let entities = gold_spans(doc)
        .into_iter()
        .map(|s| {
            let r = &ranges[s.sentence];
            (bytes[r[s.start].0]..bytes[r[s.end - 1].1], s.kind)
        })
        .collect();
    (text, entities)
}

/// The extractor's entities of a document, as token spans.
fn predicted_spans(
    recogniser: &Recogniser,
    text: &str,
    ranges: &[Vec<(usize, usize)>],
) -> Vec<Span> {
    let mut spans = Vec::new();
    for entity in recogniser.extract("", text, &[]) {
        for m in &entity.mentions {
            if m.field != TextField::Body {
                continue;
            }
            // The tokens the mention overlaps; a mention never crosses sentences.
            for (s, tokens) in ranges.iter().enumerate() {
                let first = tokens.iter().position(|&(a, b)| b > m.start && a < m.end);
                let Some(first) = first else { continue };
                let last = tokens.iter().rposition(|&(a, b)| b > m.start && a < m.end);
                spans.push(Span {
                    sentence: s,
                    start: first,
                    end: last.map_or(first + 1, |l| l + 1),
                    kind: conll_type(entity.kind),
                });
                break;
            }
        }
    }
    spans.sort();
    spans.dedup();
    spans
}

/// A disagreement's words, gold type and found type.
type ErrorKey = (String, Option<&'static str>, Option<&'static str>);

/// Runs the extractor over every document and scores it against the gold entities;
/// `disagreements` is how many of the most frequent disagreements to list.
pub fn evaluate(docs: &[Document], disagreements: usize) -> NerReport {
    evaluate_with(Recogniser::shipped(), docs, disagreements)
}

/// [`evaluate`] with another recogniser than the shipped one (a model being trained).
pub fn evaluate_with(
    recogniser: &Recogniser,
    docs: &[Document],
    disagreements: usize,
) -> NerReport {
    let mut counts: HashMap<&'static str, (usize, usize, usize)> = HashMap::new();
    // (words, gold type, found type) → (times, first document)
    let mut errors: HashMap<ErrorKey, (usize, usize)> = HashMap::new();
    let (mut bytes, mut seconds, mut sentences, mut tokens) = (0, 0.0, 0, 0);
    // The model and word lists load on first use; that one-time cost is not extraction speed.
    recogniser.extract("", "Warm up.", &[]);
    for (d, doc) in docs.iter().enumerate() {
        sentences += doc.sentences.len();
        tokens += doc.sentences.iter().map(Vec::len).sum::<usize>();
        let (text, ranges) = detokenize(doc);
        bytes += text.len();
        let started = std::time::Instant::now();
        let predicted = predicted_spans(recogniser, &text, &ranges);
        seconds += started.elapsed().as_secs_f64();
        let gold = gold_spans(doc);
        for g in &gold {
            counts.entry(g.kind).or_default().0 += 1;
        }
        for p in &predicted {
            let c = counts.entry(p.kind).or_default();
            c.1 += 1;
            if gold.contains(p) {
                c.2 += 1;
            }
        }
        // Disagreements: a gold span not predicted with its type, a predicted one not gold.
        let words = |s: &Span| {
            doc.sentences[s.sentence][s.start..s.end]
                .iter()
                .map(|(t, _)| t.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let same_span =
            |a: &Span, b: &Span| (a.sentence, a.start, a.end) == (b.sentence, b.start, b.end);
        for g in gold.iter().filter(|g| !predicted.contains(g)) {
            let p = predicted.iter().find(|p| same_span(p, g)).map(|p| p.kind);
            let e = errors
                .entry((words(g), Some(g.kind), p))
                .or_insert((0, d + 1));
            e.0 += 1;
        }
        for p in predicted
            .iter()
            .filter(|p| !gold.iter().any(|g| same_span(g, p)))
        {
            let e = errors
                .entry((words(p), None, Some(p.kind)))
                .or_insert((0, d + 1));
            e.0 += 1;
        }
    }
    let scores = |types: &[&str]| {
        let (g, p, c) = types.iter().fold((0, 0, 0), |acc, t| {
            let x = counts.get(t).copied().unwrap_or_default();
            (acc.0 + x.0, acc.1 + x.1, acc.2 + x.2)
        });
        Scores::new(g, p, c)
    };
    let mut listed: Vec<Disagreement> = errors
        .into_iter()
        .map(
            |((text, gold, predicted), (times, document))| Disagreement {
                document,
                text,
                gold,
                predicted,
                times,
            },
        )
        .collect();
    listed.sort_by(|a, b| b.times.cmp(&a.times).then_with(|| a.text.cmp(&b.text)));
    listed.truncate(disagreements);
    NerReport {
        documents: docs.len(),
        sentences,
        tokens,
        bytes,
        seconds,
        mb_per_second: if seconds > 0.0 {
            bytes as f64 / 1e6 / seconds
        } else {
            0.0
        },
        types: TYPES
            .iter()
            .map(|&kind| TypeScores {
                kind,
                scores: scores(&[kind]),
            })
            .collect(),
        per_org_loc: scores(&["PER", "ORG", "LOC"]),
        all: scores(&TYPES),
        disagreements: listed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "-DOCSTART- -X- -X- O

NAIROBI NNP I-NP I-LOC
, , O O
Mr NNP I-NP O
William NNP I-NP I-PER
Ruto NNP I-NP I-PER
's POS O O
party NN I-NP O
( ( O O
UDA NNP I-NP I-ORG
) ) O O
met VBD I-VP O
Kenyan JJ I-NP I-MISC
and CC O O
Ugandan JJ I-NP B-MISC
officials NNS I-NP O
. . O O

He PRP I-NP O
said VBD I-VP O
\" \" O O
no DT O O
\" \" O O
. . O O
-DOCSTART- -X- -X- O

Paris NNP I-NP I-LOC
Lagos NNP I-NP B-LOC
";

    #[test]
    fn gold_spans_follow_iob1() {
        let docs = parse_conll(SAMPLE).expect("parses");
        assert_eq!(docs.len(), 2);
        let spans = gold_spans(&docs[0]);
        let kinds: Vec<(&str, usize, usize)> =
            spans.iter().map(|s| (s.kind, s.start, s.end)).collect();
        assert_eq!(
            kinds,
            [
                ("LOC", 0, 1),
                ("PER", 3, 5),
                ("ORG", 8, 9),
                ("MISC", 11, 12),
                ("MISC", 13, 14)
            ]
        );
        // B- splits two adjacent entities of one type.
        assert_eq!(gold_spans(&docs[1]).len(), 2);
    }

    #[test]
    fn text_is_rebuilt_with_natural_spacing() {
        let docs = parse_conll(SAMPLE).expect("parses");
        let (text, ranges) = detokenize(&docs[0]);
        assert_eq!(
            text,
            "NAIROBI, Mr William Ruto's party (UDA) met Kenyan and Ugandan officials.\nHe said \"no\"."
        );
        let chars: Vec<char> = text.chars().collect();
        let (a, b) = ranges[0][4];
        assert_eq!(chars[a..b].iter().collect::<String>(), "Ruto");
        let (a, b) = ranges[1][3];
        assert_eq!(chars[a..b].iter().collect::<String>(), "no");
    }

    #[test]
    fn scoring_is_exact_span_and_type() {
        let s = Scores::new(4, 5, 3);
        assert!((s.precision - 0.6).abs() < 1e-12);
        assert!((s.recall - 0.75).abs() < 1e-12);
        assert!((s.f1 - 2.0 * 0.6 * 0.75 / 1.35).abs() < 1e-12);
        assert_eq!(Scores::new(0, 0, 0).f1, 0.0);
        let docs = parse_conll(SAMPLE).expect("parses");
        let report = evaluate(&docs, 10);
        assert_eq!(report.documents, 2);
        assert_eq!(report.types[0].scores.gold, 1); // William Ruto
        assert_eq!(report.all.gold, 7);
        assert!(report.per_org_loc.correct <= report.per_org_loc.gold);
    }

    #[test]
    fn bad_tags_name_the_line() {
        let e = parse_conll("Paris NNP I-NP I-CITY\n").unwrap_err();
        assert!(
            e.to_string().starts_with("CoNLL line 1: unknown tag"),
            "{e}"
        );
    }
}

/// How well the extractor agrees, article by article, with the entities an archive declares
/// (Reuters-21578's PLACES, PEOPLE and ORGS): the result of [`declared_agreement`].
#[derive(Debug, Clone, Default, Serialize)]
pub struct Agreement {
    /// Articles read that declare at least one entity of a scored kind.
    pub articles: usize,
    /// Per kind (`person`, `organization`, `place`).
    pub kinds: Vec<KindAgreement>,
    /// Text the extractor read, in bytes.
    pub bytes: usize,
    /// Extraction speed on one core, MB (10^6 bytes) per second.
    pub mb_per_second: f64,
}

/// Agreement for one kind of entity.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KindAgreement {
    /// `person`, `organization` or `place`.
    pub kind: &'static str,
    /// Articles declaring at least one entity of this kind.
    pub articles: usize,
    /// Declared entities of this kind (one per article and name).
    pub declared: usize,
    /// Declared entities the extractor also found in the article's text.
    pub found: usize,
    /// `found / declared`.
    pub recall: f64,
    /// Entities of this kind the extractor found in those articles beyond the declared ones
    /// (the archive declares only the main ones, so these are not all errors).
    pub extra: usize,
}

/// Reads the articles under `paths` and compares, for each article that declares entities,
/// the declared names with what the extractor finds in its title and body alone. A declared
/// person matches a found one with the same surname (Reuters declares `reagan`, the text says
/// Ronald Reagan); other kinds match by canonical name, ignoring case.
pub fn declared_agreement(paths: &[std::path::PathBuf]) -> Agreement {
    const KINDS: [EntityKind; 3] = [
        EntityKind::Person,
        EntityKind::Organization,
        EntityKind::Place,
    ];
    let mut report = Agreement {
        kinds: KINDS
            .iter()
            .map(|k| KindAgreement {
                kind: k.as_str(),
                ..KindAgreement::default()
            })
            .collect(),
        ..Agreement::default()
    };
    let mut seconds = 0.0;
    let key = |kind: EntityKind, name: &str| {
        let name = name.to_lowercase();
        match kind {
            EntityKind::Person => name.rsplit(' ').next().unwrap_or("").to_string(),
            _ => name,
        }
    };
    crate::pipeline::read_paths(paths, &crate::ReadOptions::default(), &mut |event| {
        let crate::Event::Article(article) = event else {
            return;
        };
        let declared: Vec<(EntityKind, String)> = article
            .entities
            .iter()
            .filter(|e| e.declared && KINDS.contains(&e.kind))
            .map(|e| (e.kind, key(e.kind, &e.name)))
            .collect();
        if declared.is_empty() {
            return;
        }
        report.articles += 1;
        report.bytes += article.title.len() + article.body.len();
        let started = std::time::Instant::now();
        let found = crate::normalise::entities::extract(&article.title, &article.body, &[]);
        seconds += started.elapsed().as_secs_f64();
        for (i, kind) in KINDS.iter().enumerate() {
            let mut want: Vec<&String> = declared
                .iter()
                .filter(|(k, _)| k == kind)
                .map(|(_, n)| n)
                .collect();
            want.sort();
            want.dedup();
            if want.is_empty() {
                continue;
            }
            let got: std::collections::HashSet<String> = found
                .iter()
                .filter(|e| e.kind == *kind)
                .flat_map(|e| {
                    std::iter::once(key(*kind, &e.name))
                        .chain(e.aliases.iter().map(|a| key(*kind, a)))
                })
                .collect();
            let k = &mut report.kinds[i];
            k.articles += 1;
            k.declared += want.len();
            let hits = want.iter().filter(|n| got.contains(n.as_str())).count();
            k.found += hits;
            k.extra += found
                .iter()
                .filter(|e| e.kind == *kind)
                .count()
                .saturating_sub(hits);
        }
    });
    for k in &mut report.kinds {
        k.recall = if k.declared == 0 {
            0.0
        } else {
            k.found as f64 / k.declared as f64
        };
    }
    report.mb_per_second = if seconds > 0.0 {
        report.bytes as f64 / 1e6 / seconds
    } else {
        0.0
    };
    report
}
