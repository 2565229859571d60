//! Minimal HTML-to-text for article bodies that arrive as HTML inside JSON fields
//! (`content` of CMS and NewsAPI exports). Whole HTML pages are a format of their own.

use regex::Regex;
use std::sync::LazyLock;

/// Whether a body is HTML markup rather than text.
pub fn looks_like_html(body: &str) -> bool {
    static TAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)</?(p|br|div|span|a|em|strong|b|i|h[1-6]|ul|li|figure|blockquote)\b[^>]*>")
            .expect("valid regex")
    });
    TAG.find_iter(body).take(2).count() >= 2
}

/// Text of an HTML fragment: block elements become paragraphs, other tags vanish,
/// entities are decoded.
pub fn to_text(html: &str) -> String {
    static DROP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?is)<script\b.*?</script\s*>|<style\b.*?</style\s*>|<noscript\b.*?</noscript\s*>|<!--.*?-->").expect("valid regex")
    });
    static BLOCK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)</?(p|div|h[1-6]|li|ul|ol|blockquote|figure|figcaption|section|article|tr|table)\b[^>]*>|<br\s*/?>").expect("valid regex")
    });
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").expect("valid regex"));
    let s = DROP.replace_all(html, "");
    let s = BLOCK.replace_all(&s, "\n\n");
    let s = TAG.replace_all(&s, "");
    decode_entities(&s)
}

fn decode_entities(s: &str) -> String {
    static ENTITY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);").expect("valid regex"));
    ENTITY
        .replace_all(s, |c: &regex::Captures| {
            let e = &c[1];
            let ch = if let Some(hex) = e.strip_prefix("#x").or_else(|| e.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = e.strip_prefix('#') {
                dec.parse().ok().and_then(char::from_u32)
            } else {
                match e {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some('\u{a0}'),
                    "mdash" => Some('—'),
                    "ndash" => Some('–'),
                    "hellip" => Some('…'),
                    "rsquo" => Some('’'),
                    "lsquo" => Some('‘'),
                    "rdquo" => Some('”'),
                    "ldquo" => Some('“'),
                    _ => None,
                }
            };
            ch.map_or_else(|| c[0].to_string(), String::from)
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_body() {
        let h = "<p>First &amp; <b>bold</b>.</p><p>Second&nbsp;one.</p>";
        assert!(looks_like_html(h));
        let t = to_text(h);
        assert!(t.contains("First & bold."));
        assert!(t.contains("Second\u{a0}one."));
        assert!(!looks_like_html("Revenue rose 5% <3 times> a year"));
    }
}
