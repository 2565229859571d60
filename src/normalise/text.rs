//! Text cleaning: Unicode normalisation, white space, mojibake, paragraphs, glued sentences.

use regex::Regex;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

/// Clean raw text: NFC, `\n` line ends, no control or zero-width characters, no
/// non-breaking or repeated spaces inside lines, mojibake repaired, lines trimmed (an indented
/// line keeps one leading space).
/// Line structure is kept (paragraph detection needs it).
pub fn clean(input: &str) -> String {
    let repaired = repair_mojibake(input).replace("\r\n", "\n");
    let mut out = String::with_capacity(repaired.len());
    let composed = match unicode_normalization::is_nfc_quick(repaired.chars()) {
        unicode_normalization::IsNormalized::Yes => repaired,
        _ => repaired.nfc().collect::<String>(),
    };
    for line in composed.split(['\n', '\r', '\u{2028}', '\u{2029}']) {
        let mut last_space = true;
        let start = out.len();
        // An indented line keeps one leading space: wire copy marks paragraphs so.
        if (line.starts_with("  ") || line.starts_with('\t')) && !line.trim().is_empty() {
            out.push(' ');
        }
        for c in line.chars() {
            let c = match c {
                '\u{00a0}'
                | '\u{2000}'..='\u{200a}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\t' => ' ',
                '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{00ad}' => continue,
                c if c.is_control() => continue,
                c => c,
            };
            if c == ' ' {
                if last_space {
                    continue;
                }
                last_space = true;
            } else {
                last_space = false;
            }
            out.push(c);
        }
        while out.len() > start && out.ends_with(' ') {
            out.pop();
        }
        out.push('\n');
    }
    // `\r\n` produced an empty piece between `\r` and `\n`; blank lines are collapsed anyway
    // by paragraph detection, but keep the structure tidy.
    out.replace("\n\n\n", "\n\n").trim().to_string()
}

/// Text that was UTF-8, decoded as Windows-1252 and encoded to UTF-8 again ("Ã©" for "é",
/// "â€™" for "’") is turned back, when doing so removes every sign of the damage.
fn repair_mojibake(text: &str) -> std::borrow::Cow<'_, str> {
    const SIGNS: [&str; 6] = ["Ã©", "Ã¨", "Ã¼", "Ã¶", "â€™", "â€œ"];
    if !SIGNS.iter().any(|s| text.contains(s)) {
        return text.into();
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    if unmappable {
        return text.into();
    }
    match std::str::from_utf8(&bytes) {
        Ok(fixed) if !SIGNS.iter().any(|s| fixed.contains(s)) => fixed.to_string().into(),
        _ => text.into(),
    }
}

/// Split cleaned text into paragraphs.
///
/// Three shapes occur: paragraphs separated by blank lines (lines inside one are joined),
/// one paragraph per line (scraper dumps), and hard-wrapped text without blank lines (wire
/// copy), where a paragraph ends at an indented line or a short line ending a sentence.
pub fn paragraphs(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let has_blank = lines.iter().any(|l| l.trim().is_empty());
    let mut out = Vec::new();
    if has_blank {
        for block in text.split("\n\n") {
            push_wrapped(&mut out, &block.lines().collect::<Vec<_>>());
        }
    } else {
        push_wrapped(&mut out, &lines);
    }
    out.retain(|p: &String| !p.is_empty());
    out
}

/// Add the paragraphs of a block of non-blank lines: joined where the lines look
/// hard-wrapped at a fixed width, one per line otherwise.
fn push_wrapped(out: &mut Vec<String>, lines: &[&str]) {
    let lens: Vec<usize> = lines.iter().map(|l| l.trim().chars().count()).collect();
    let mut sorted = lens.clone();
    sorted.sort_unstable();
    let width = sorted.get(sorted.len() * 9 / 10).copied().unwrap_or(0);
    // Wrapped text has most lines of nearly one width; scraped paragraphs vary wildly.
    let body_lines = &lens[..lens.len().saturating_sub(1)];
    let near_width = body_lines.iter().filter(|&&l| l * 10 >= width * 7).count();
    let wrapped =
        lines.len() > 1 && width > 0 && width <= 100 && near_width * 10 >= body_lines.len() * 6;
    // Wire copy that marks paragraphs by indenting them: there, a short line that does not end
    // a sentence is only a wrap ("Medivix Inc said its American / Subscription Plan Inc ...").
    let indents = lines
        .iter()
        .skip(1)
        .any(|l| l.starts_with(' ') || l.starts_with('\t'));
    let mut current = String::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let indented = line.starts_with(' ') || line.starts_with('\t');
        // A list item ("- Headline", "• Headline") is a paragraph of its own.
        let bullet = trimmed.starts_with(['-', '•', '*', '–', '—', '·', '›', '»'])
            && trimmed.chars().nth(1) == Some(' ');
        let starts_paragraph = if i == 0 || bullet {
            true
        } else {
            let prev = lines[i - 1].trim();
            let prev_len = lens[i - 1];
            // A line that continues a sentence in lower case continues the paragraph.
            let continues = !ends_sentence(prev) && trimmed.starts_with(|c: char| c.is_lowercase());
            if continues {
                false
            } else if !wrapped && !indents {
                true
            } else {
                indented
                    || (prev_len * 10 < width * 7 && ends_sentence(prev))
                    || (!indents && prev_len * 10 < width * 5)
            }
        };
        if starts_paragraph && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            if current.ends_with('-') && trimmed.starts_with(|c: char| c.is_lowercase()) {
                current.pop(); // a word hyphenated at the line end
            } else {
                current.push(' ');
            }
        }
        current.push_str(trimmed);
    }
    if !current.is_empty() {
        out.push(current);
    }
}

/// Whether a line ends a sentence (terminal punctuation, possibly inside quotes/brackets).
pub fn ends_sentence(s: &str) -> bool {
    let s = s.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»']);
    s.ends_with(['.', '!', '?', '…', ':'])
}

/// Split a paragraph where a scraper glued two blocks together without a space:
/// `"...all the difference.Vladimir Putin has called..."`. Returns the pieces.
///
/// Only a lower-case letter, a sentence end and an upper-case letter followed by a
/// lower-case one count, so "U.S.", "3.5", "e.g." and "example.com" are left alone.
pub fn split_glued(paragraph: &str) -> Vec<&str> {
    static GLUE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"\p{Ll}[a-z]?[.!?]["”’']?(\p{Lu}\p{Ll})"#).expect("valid regex")
    });
    let mut pieces = Vec::new();
    let mut start = 0;
    for c in GLUE.captures_iter(paragraph) {
        let Some(next) = c.get(1) else { continue };
        let whole = c.get(0).map_or("", |m| m.as_str());
        // "Mr.Smith"-style abbreviations and initials are not sentence ends.
        let word_before = paragraph[..next.start()]
            .rsplit(|ch: char| ch.is_whitespace())
            .next()
            .unwrap_or("");
        if is_abbreviation(word_before.trim_end_matches(['.', '"', '”', '’', '\'']))
            || whole.contains("..")
        {
            continue;
        }
        pieces.push(paragraph[start..next.start()].trim());
        start = next.start();
    }
    pieces.push(paragraph[start..].trim());
    pieces.retain(|p| !p.is_empty());
    pieces
}

/// Common abbreviations that end with a period but do not end a sentence.
pub fn is_abbreviation(word: &str) -> bool {
    const ABBR: [&str; 32] = [
        "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Sr", "Jr", "Gen", "Col", "Lt", "Capt", "Sgt",
        "Rev", "Gov", "Sen", "Rep", "No", "vs", "etc", "Inc", "Corp", "Ltd", "Co", "Jan", "Feb",
        "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    ];
    let w = word.rsplit(['(', '“', '"']).next().unwrap_or(word);
    ABBR.contains(&w) || (w.chars().count() == 1 && w.chars().all(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indented_wire_copy_splits_only_at_indents_and_sentence_ends() {
        let wire = "Medivix Inc said its American\nSubscription Plan Inc subsidiary signed a contract with\n<Midwest Benefits Corp> to provide mail order prescription\nservices for employees of 300 companies.\n    Midwest acts as a third party administrator for the\ncompanies, Medivix said.\n";
        let ps = paragraphs(wire);
        assert_eq!(ps.len(), 2, "{ps:?}");
        assert!(ps[0].starts_with("Medivix Inc said its American Subscription Plan"));
    }

    #[test]
    fn cleaning() {
        assert_eq!(
            clean("  A\u{00a0}\u{00a0}title \r\nbody\u{200b} text\t\tend  "),
            "A title\nbody text end"
        );
        assert_eq!(clean("Cafe\u{301}"), "Café");
        assert_eq!(
            clean("the minister\u{00e2}\u{20ac}\u{2122}s plan"),
            "the minister’s plan"
        );
    }

    #[test]
    fn paragraph_shapes() {
        let per_line = "First paragraph is long enough to be a paragraph of its own here.\nShort line\nThird one.";
        assert_eq!(paragraphs(per_line).len(), 3);
        let blank = "One\nwrapped line.\n\nTwo.";
        assert_eq!(paragraphs(blank), ["One wrapped line.", "Two."]);
        let wire = "    The bank said it would raise rates by half a point\nfrom next week, citing inflation.\n    Analysts had expected the move, which\nfollows a similar step in March.";
        assert_eq!(
            paragraphs(wire),
            [
                "The bank said it would raise rates by half a point from next week, citing inflation.",
                "Analysts had expected the move, which follows a similar step in March."
            ]
        );
    }

    #[test]
    fn glued_sentences() {
        assert_eq!(
            split_glued(
                "Your support makes all the difference.Vladimir Putin has called for talks."
            ),
            [
                "Your support makes all the difference.",
                "Vladimir Putin has called for talks."
            ]
        );
        for keep in [
            "The U.S. and Mr.Smith agreed.",
            "Growth was 3.5 percent.",
            "See example.com for details.",
            "He said so.  Then left.",
        ] {
            assert_eq!(split_glued(keep), [keep.trim()], "{keep}");
        }
    }
}
