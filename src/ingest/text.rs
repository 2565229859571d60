//! Plain-text articles: the headline is the first non-empty line, the rest is the body.
//!
//! The reader only decodes; choosing the headline (skipping page furniture above it) and
//! finding paragraphs belong to the normaliser, which sees `title: None`.

use super::RawArticle;
use crate::article::SourceRef;

/// Read one plain-text article.
pub fn read(text: &str, source: SourceRef) -> RawArticle {
    let mut raw = RawArticle::new(source);
    raw.body = text.to_string();
    raw
}

/// Why a text file is not an article, if it plainly is not: a list of one or two words per
/// line (a code list, an index), or columns of tokens (a CoNLL file, a table dump).
pub fn not_prose(text: &str) -> Option<&'static str> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(2000)
        .collect();
    if lines.len() < 20 {
        return None;
    }
    let words = |l: &str| l.split_whitespace().count();
    let short = lines.iter().filter(|l| words(l) <= 2).count();
    if short * 100 >= lines.len() * 95 {
        return Some("a list of words or codes, one per line, not prose");
    }
    // Columns: most lines have the same number (3-8) of fields and no sentence punctuation
    // but for single-character fields.
    let mut counts = std::collections::HashMap::new();
    for l in &lines {
        *counts.entry(words(l)).or_insert(0usize) += 1;
    }
    let (fields, n) = counts.into_iter().max_by_key(|&(_, n)| n).unwrap_or((0, 0));
    let tabular = lines
        .iter()
        .filter(|l| l.contains('\t') || words(l) == fields)
        .count();
    if (3..=8).contains(&fields) && n * 100 >= lines.len() * 80 && tabular * 100 >= lines.len() * 90
    {
        return Some("columns of tokens (a CoNLL or table file), not prose");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_columns_are_not_prose() {
        let list: String = (0..100).map(|i| format!("code-{i}\n")).collect();
        assert!(not_prose(&list).is_some());
        let conll: String = (0..100).map(|i| format!("Word{i} NNP I-NP O\n")).collect();
        assert!(not_prose(&conll).is_some());
        let prose =
            "The harbour board met on Tuesday.\nIt approved night shipping after a long debate.\n"
                .repeat(20);
        assert_eq!(not_prose(&prose), None);
        let short_lines = "Headline\n\nOne paragraph of an article with several words in it.\n";
        assert_eq!(not_prose(short_lines), None);
    }
}
