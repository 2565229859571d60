//! The query language: parse what a user types into a [`Query`] tree.
//!
//! ```text
//! putin trump              both words (AND is the default)
//! "pragmatic cooperation"  a phrase
//! putin OR trump           either
//! -syria  NOT syria        exclusion
//! (putin OR trump) kremlin grouping
//! title:putin  body:...    field scope; also person:, org:, place:, entity:, other:,
//!                          publisher:, lang:, id:, date:
//! person:"Vladimir Putin"  scoped phrase;  person:(putin OR assad) scoped group
//! person:="Vladimir Putin" the exact canonical name (a facet filter)
//! date:2017-12  date:[2017-01-01 TO 2017-06-30]  date:[2017 TO *]
//! ```
//! A malformed query gives a [`QueryError`] pointing at the problem.
//!
//! Words are ANDed by default ([`Mode::All`]). In [`Mode::Any`] — asked for, or chosen by
//! [`Mode::Auto`] for a query typed as a sentence (five words or more, or a question, without
//! query syntax) — every word is optional and ranking decides: common English words ("which",
//! "the", "did") are dropped, exclusions still exclude, and punctuation is never an error.

use crate::article::EntityKind;
use crate::normalise::date::parse_period;
use std::fmt;

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The root of the query tree; `None` matches every article.
    pub root: Option<Expr>,
}

/// A node of the query tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Every clause with `Occur::Must` must match, none with `Occur::MustNot`.
    And(Vec<(Occur, Expr)>),
    /// At least one must match.
    Or(Vec<Expr>),
    /// Natural-language combination: clauses with `Occur::Must` are optional and score the
    /// match (at least one must match), clauses with `Occur::MustNot` exclude.
    Any(Vec<(Occur, Expr)>),
    /// A single condition.
    Leaf(Leaf),
}

/// Whether a clause of an [`Expr::And`] must or must not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occur {
    /// Must match.
    Must,
    /// Must not match.
    MustNot,
}

/// A single condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    /// Which field(s) it looks at.
    pub scope: Scope,
    /// What it looks for.
    pub value: Value,
}

/// Field scope of a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Title and body (the default).
    Text,
    /// Title only.
    Title,
    /// Body only.
    Body,
    /// Entity names of one kind, or of any kind (`None`).
    Entity(Option<EntityKind>),
    /// An entity's exact canonical name (`person:="Vladimir Putin"`): the facet, no analysis.
    Exact(Option<EntityKind>),
    /// Publisher name.
    Publisher,
    /// Language code.
    Language,
    /// Article id.
    Id,
    /// Publication date.
    Date,
}

/// What a condition looks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A word as typed (may analyse into several tokens, e.g. "U.S.").
    Word(String),
    /// A quoted phrase.
    Phrase(String),
    /// A date range `[start, end)` in seconds since 1970 (either side open).
    Range(Option<i64>, Option<i64>),
}

/// How the words of a query combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// [`Mode::Any`] for a query typed as a sentence (a question, or five words or more,
    /// without quotes, fields, parentheses, exclusions or OR), [`Mode::All`] otherwise.
    #[default]
    Auto,
    /// Every word must match (the query language's default AND).
    All,
    /// Any word may match; articles matching more of them, and rarer ones, rank higher.
    /// Common words are dropped; a query that does not parse is read as plain words.
    Any,
}

/// Words dropped from natural-language queries: function words and the words of a request
/// ("which articles mention ...?").
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "article", "articles",
    "as", "at", "be", "been", "being", "but", "by", "can", "could", "did", "do", "does", "doing",
    "for", "from", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his",
    "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "our", "s",
    "she", "should", "so", "some", "stories", "story", "such", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "to", "us", "was", "we", "were",
    "what", "when", "where", "which", "who", "whom", "whose", "why", "will", "with", "would",
    "you", "your",
];

/// Whether a word typed in a query is a stop word of natural-language queries.
pub fn is_stop_word(word: &str) -> bool {
    let w = word
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let w = w
        .strip_suffix("'s")
        .or_else(|| w.strip_suffix("’s"))
        .unwrap_or(&w);
    STOP_WORDS.binary_search(&w).is_ok()
}

/// A query that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct QueryError {
    /// The query as typed.
    pub query: String,
    /// Where the problem is (a `char` offset into the query).
    pub position: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "invalid query: {} (at column {})",
            self.message,
            self.position + 1
        )?;
        writeln!(f, "  {}", self.query)?;
        write!(f, "  {}^", " ".repeat(self.position))
    }
}

/// Field names the language knows, with their scope.
const FIELDS: &[(&str, Scope)] = &[
    ("title", Scope::Title),
    ("body", Scope::Body),
    ("text", Scope::Text),
    ("person", Scope::Entity(Some(EntityKind::Person))),
    ("people", Scope::Entity(Some(EntityKind::Person))),
    ("org", Scope::Entity(Some(EntityKind::Organization))),
    (
        "organization",
        Scope::Entity(Some(EntityKind::Organization)),
    ),
    (
        "organisation",
        Scope::Entity(Some(EntityKind::Organization)),
    ),
    ("place", Scope::Entity(Some(EntityKind::Place))),
    ("location", Scope::Entity(Some(EntityKind::Place))),
    ("other", Scope::Entity(Some(EntityKind::Other))),
    ("entity", Scope::Entity(None)),
    ("publisher", Scope::Publisher),
    ("source", Scope::Publisher),
    ("lang", Scope::Language),
    ("language", Scope::Language),
    ("id", Scope::Id),
    ("date", Scope::Date),
];

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Quoted(String),
    Field(Scope),
    Range(String),
    LParen,
    RParen,
    Minus,
    Plus,
    Or,
    And,
    Not,
}

struct Lexer<'a> {
    query: &'a str,
    chars: Vec<char>,
    pos: usize,
}

impl Lexer<'_> {
    fn error(&self, position: usize, message: impl Into<String>) -> QueryError {
        QueryError {
            query: self.query.to_string(),
            position,
            message: message.into(),
        }
    }

    fn tokens(mut self) -> Result<Vec<(Tok, usize)>, QueryError> {
        let mut out = Vec::new();
        while self.pos < self.chars.len() {
            let c = self.chars[self.pos];
            let start = self.pos;
            match c {
                c if c.is_whitespace() => self.pos += 1,
                '(' => {
                    out.push((Tok::LParen, start));
                    self.pos += 1;
                }
                ')' => {
                    out.push((Tok::RParen, start));
                    self.pos += 1;
                }
                '"' | '“' | '”' => {
                    let end = self.chars[start + 1..]
                        .iter()
                        .position(|&c| matches!(c, '"' | '“' | '”'))
                        .ok_or_else(|| self.error(start, "unclosed quote: add the closing \""))?;
                    let text: String = self.chars[start + 1..start + 1 + end].iter().collect();
                    out.push((Tok::Quoted(text), start));
                    self.pos = start + end + 2;
                }
                '-' | '+'
                    if self
                        .chars
                        .get(start + 1)
                        .is_some_and(|n| !n.is_whitespace()) =>
                {
                    let at_word_start = start == 0
                        || self.chars[start - 1].is_whitespace()
                        || self.chars[start - 1] == '(';
                    if at_word_start {
                        out.push((if c == '-' { Tok::Minus } else { Tok::Plus }, start));
                        self.pos += 1;
                    } else {
                        self.word(&mut out)?;
                    }
                }
                '-' | '+' => self.pos += 1, // a lone dash is punctuation
                _ => self.word(&mut out)?,
            }
        }
        Ok(out)
    }

    fn word(&mut self, out: &mut Vec<(Tok, usize)>) -> Result<(), QueryError> {
        let start = self.pos;
        while self.pos < self.chars.len() {
            let c = self.chars[self.pos];
            if c.is_whitespace() || matches!(c, '(' | ')' | '"' | '“' | '”') {
                break;
            }
            if c == ':' {
                let name: String = self.chars[start..self.pos].iter().collect();
                if name.chars().all(char::is_alphabetic) && !name.is_empty() {
                    let lower = name.to_lowercase();
                    let Some(&(_, scope)) = FIELDS.iter().find(|(n, _)| *n == lower) else {
                        let known: Vec<&str> = FIELDS.iter().map(|(n, _)| *n).collect();
                        return Err(self.error(
                            start,
                            format!(
                                "unknown field `{name}:` (known fields: {}; put the word in quotes to search for it literally)",
                                known.join(", ")
                            ),
                        ));
                    };
                    self.pos += 1;
                    // `person:="Vladimir Putin"`: the exact canonical name.
                    let scope = match scope {
                        Scope::Entity(kind) if self.chars.get(self.pos) == Some(&'=') => {
                            self.pos += 1;
                            Scope::Exact(kind)
                        }
                        other => other,
                    };
                    out.push((Tok::Field(scope), start));
                    if self.chars.get(self.pos) == Some(&'[') {
                        let open = self.pos;
                        let end = self.chars[open..]
                            .iter()
                            .position(|&c| c == ']')
                            .ok_or_else(|| {
                                self.error(open, "unclosed date range: add the closing ]")
                            })?;
                        let text: String = self.chars[open + 1..open + end].iter().collect();
                        out.push((Tok::Range(text), open));
                        self.pos = open + end + 1;
                    }
                    return Ok(());
                }
            }
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        let tok = match text.as_str() {
            "OR" | "||" => Tok::Or,
            "AND" | "&&" => Tok::And,
            "NOT" => Tok::Not,
            _ => Tok::Word(text),
        };
        out.push((tok, start));
        Ok(())
    }
}

struct Parser<'a> {
    query: &'a str,
    tokens: Vec<(Tok, usize)>,
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, position: usize, message: impl Into<String>) -> QueryError {
        QueryError {
            query: self.query.to_string(),
            position,
            message: message.into(),
        }
    }

    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|(t, _)| t)
    }

    fn here(&self) -> usize {
        self.tokens
            .get(self.pos)
            .map_or_else(|| self.query.chars().count(), |(_, p)| *p)
    }

    fn or(&mut self, scope: Scope) -> Result<Expr, QueryError> {
        if self.peek() == Some(&Tok::Or) {
            return Err(self.error(self.here(), "OR needs a term before it"));
        }
        let mut alternatives = vec![self.and(scope)?];
        while self.peek() == Some(&Tok::Or) {
            let at = self.here();
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::RParen) | Some(Tok::Or)) {
                return Err(self.error(at, "OR needs a term after it"));
            }
            alternatives.push(self.and(scope)?);
        }
        Ok(if alternatives.len() == 1 {
            alternatives.remove(0)
        } else {
            Expr::Or(alternatives)
        })
    }

    fn and(&mut self, scope: Scope) -> Result<Expr, QueryError> {
        let mut clauses = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::Or) | Some(Tok::RParen) => break,
                Some(Tok::And) => {
                    let at = self.here();
                    self.pos += 1;
                    if clauses.is_empty()
                        || matches!(self.peek(), None | Some(Tok::Or) | Some(Tok::RParen))
                    {
                        return Err(self.error(at, "AND needs a term on both sides"));
                    }
                }
                _ => clauses.push(self.unary(scope)?),
            }
        }
        if clauses.is_empty() {
            return Err(self.error(self.here(), "expected a search term here"));
        }
        Ok(if clauses.len() == 1 && clauses[0].0 == Occur::Must {
            clauses.remove(0).1
        } else {
            Expr::And(clauses)
        })
    }

    fn unary(&mut self, scope: Scope) -> Result<(Occur, Expr), QueryError> {
        match self.peek() {
            Some(Tok::Minus) | Some(Tok::Not) => {
                let at = self.here();
                self.pos += 1;
                if matches!(self.peek(), None | Some(Tok::Or) | Some(Tok::RParen)) {
                    return Err(self.error(at, "nothing to exclude after `-`/NOT"));
                }
                let (occur, expr) = self.unary(scope)?;
                let flipped = if occur == Occur::Must {
                    Occur::MustNot
                } else {
                    Occur::Must
                };
                Ok((flipped, expr))
            }
            Some(Tok::Plus) => {
                self.pos += 1;
                self.unary(scope)
            }
            _ => Ok((Occur::Must, self.primary(scope)?)),
        }
    }

    fn primary(&mut self, scope: Scope) -> Result<Expr, QueryError> {
        let at = self.here();
        let Some((tok, _)) = self.tokens.get(self.pos).cloned() else {
            return Err(self.error(at, "expected a search term here"));
        };
        self.pos += 1;
        match tok {
            Tok::Word(w) => self.leaf(scope, Value::Word(w), at),
            Tok::Quoted(p) => {
                if p.trim().is_empty() {
                    return Err(self.error(at, "empty phrase \"\""));
                }
                self.leaf(scope, Value::Phrase(p), at)
            }
            Tok::LParen => {
                let inner = self.or(scope)?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(self.error(at, "unclosed parenthesis: add the closing )"));
                }
                self.pos += 1;
                Ok(inner)
            }
            Tok::RParen => Err(self.error(at, "unexpected ) without a matching (")),
            Tok::Field(inner) => {
                if scope != Scope::Text && scope != inner {
                    return Err(self.error(at, "a field cannot be nested inside another field"));
                }
                match self.tokens.get(self.pos).cloned() {
                    None | Some((Tok::Or | Tok::And | Tok::RParen, _)) => Err(self.error(
                        at,
                        "this field needs a value after the colon, e.g. person:putin",
                    )),
                    Some((Tok::Range(r), pos)) if inner == Scope::Date => {
                        self.pos += 1;
                        self.range(&r, pos)
                    }
                    _ => self.primary(inner),
                }
            }
            Tok::Range(_) => Err(self.error(at, "a [range] is only allowed after date:")),
            Tok::Or | Tok::And | Tok::Not | Tok::Minus | Tok::Plus => {
                Err(self.error(at, "expected a search term here"))
            }
        }
    }

    fn leaf(&self, scope: Scope, value: Value, at: usize) -> Result<Expr, QueryError> {
        if let (Scope::Date, Value::Word(text) | Value::Phrase(text)) = (scope, &value) {
            let (start, end) = parse_period(text).ok_or_else(|| {
                self.error(
                    at,
                    format!("cannot read the date {text:?}: use YYYY, YYYY-MM or YYYY-MM-DD"),
                )
            })?;
            return Ok(Expr::Leaf(Leaf {
                scope,
                value: Value::Range(Some(start), Some(end)),
            }));
        }
        Ok(Expr::Leaf(Leaf { scope, value }))
    }

    fn range(&self, text: &str, at: usize) -> Result<Expr, QueryError> {
        let parts: Vec<&str> = text.split(" TO ").collect();
        let [from, to] = parts[..] else {
            return Err(self.error(
                at,
                "a date range is written [FROM TO TO], e.g. [2017-01 TO 2017-06]",
            ));
        };
        let bound = |s: &str, upper: bool| -> Result<Option<i64>, QueryError> {
            let s = s.trim();
            if s == "*" || s.is_empty() {
                return Ok(None);
            }
            let (start, end) = parse_period(s).ok_or_else(|| {
                self.error(
                    at,
                    format!("cannot read the date {s:?}: use YYYY, YYYY-MM or YYYY-MM-DD"),
                )
            })?;
            Ok(Some(if upper { end } else { start }))
        };
        Ok(Expr::Leaf(Leaf {
            scope: Scope::Date,
            value: Value::Range(bound(from, false)?, bound(to, true)?),
        }))
    }
}

impl Query {
    /// Parse a query in a [`Mode`]; also returns the mode used ([`Mode::Auto`] resolved).
    pub fn parse_in(text: &str, mode: Mode) -> Result<(Query, Mode), QueryError> {
        let mode = match mode {
            Mode::Auto if Self::is_sentence(text) => Mode::Any,
            Mode::Auto => Mode::All,
            other => other,
        };
        if mode == Mode::All {
            return Ok((Self::parse(text)?, mode));
        }
        let parsed = Self::parse(text).unwrap_or_else(|_| Self::bag_of_words(text));
        Ok((parsed.any(), mode))
    }

    /// Whether `text` reads as a sentence rather than a query: no query syntax, and a
    /// question or five words or more.
    fn is_sentence(text: &str) -> bool {
        let lexer = Lexer {
            query: text,
            chars: text.chars().collect(),
            pos: 0,
        };
        let Ok(tokens) = lexer.tokens() else {
            // Unbalanced quotes or brackets in a long text: a sentence, not a query.
            return text.split_whitespace().count() >= 5;
        };
        let words = tokens
            .iter()
            .filter(|(t, _)| matches!(t, Tok::Word(_)))
            .count();
        words == tokens.len() && (words >= 5 || text.trim_end().ends_with('?'))
    }

    /// Every word of `text`, ignoring punctuation and syntax.
    fn bag_of_words(text: &str) -> Query {
        let clauses: Vec<(Occur, Expr)> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '.'))
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|w| !w.is_empty())
            .map(|w| {
                (
                    Occur::Must,
                    Expr::Leaf(Leaf {
                        scope: Scope::Text,
                        value: Value::Word(w.to_string()),
                    }),
                )
            })
            .collect();
        Query {
            root: (!clauses.is_empty()).then_some(Expr::And(clauses)),
        }
    }

    /// The query with its top-level words made optional and stop words dropped.
    fn any(self) -> Query {
        let is_stop = |e: &Expr| matches!(e, Expr::Leaf(Leaf { scope: Scope::Text, value: Value::Word(w) }) if is_stop_word(w));
        let root = self.root.map(|root| match root {
            Expr::And(clauses) => {
                let content = clauses
                    .iter()
                    .any(|(o, e)| *o == Occur::Must && !is_stop(e));
                let kept: Vec<(Occur, Expr)> = clauses
                    .into_iter()
                    .filter(|(o, e)| !(content && *o == Occur::Must && is_stop(e)))
                    .collect();
                Expr::Any(kept)
            }
            other => other,
        });
        Query { root }
    }

    /// Parse a query. An empty query (or `*`) matches every article.
    pub fn parse(text: &str) -> Result<Query, QueryError> {
        let trimmed = text.trim();
        if trimmed.is_empty() || trimmed == "*" {
            return Ok(Query { root: None });
        }
        let lexer = Lexer {
            query: text,
            chars: text.chars().collect(),
            pos: 0,
        };
        let tokens = lexer.tokens()?;
        if tokens.is_empty() {
            return Ok(Query { root: None });
        }
        let mut parser = Parser {
            query: text,
            tokens,
            pos: 0,
        };
        let root = parser.or(Scope::Text)?;
        if parser.pos < parser.tokens.len() {
            return Err(parser.error(parser.here(), "unexpected ) without a matching ("));
        }
        Ok(Query { root: Some(root) })
    }

    /// Every leaf of the query, excluded ones included.
    pub fn leaves(&self) -> Vec<&Leaf> {
        fn walk<'a>(e: &'a Expr, out: &mut Vec<&'a Leaf>) {
            match e {
                Expr::Leaf(l) => out.push(l),
                Expr::Or(v) => v.iter().for_each(|x| walk(x, out)),
                Expr::And(v) | Expr::Any(v) => v.iter().for_each(|(_, x)| walk(x, out)),
            }
        }
        let mut out = Vec::new();
        if let Some(root) = &self.root {
            walk(root, &mut out);
        }
        out
    }

    /// Every leaf that must match (not under an exclusion), for highlighting.
    pub fn positive_leaves(&self) -> Vec<&Leaf> {
        fn walk<'a>(e: &'a Expr, out: &mut Vec<&'a Leaf>) {
            match e {
                Expr::Leaf(l) => out.push(l),
                Expr::Or(v) => v.iter().for_each(|x| walk(x, out)),
                Expr::And(v) | Expr::Any(v) => v
                    .iter()
                    .filter(|(o, _)| *o == Occur::Must)
                    .for_each(|(_, x)| walk(x, out)),
            }
        }
        let mut out = Vec::new();
        if let Some(root) = &self.root {
            walk(root, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(
            STOP_WORDS.windows(2).all(|w| w[0] < w[1]),
            "STOP_WORDS must be sorted and without repeats"
        );
        assert!(is_stop_word("The") && is_stop_word("what"));
        assert!(!is_stop_word("valencia"));
    }

    fn word(s: &str) -> Expr {
        Expr::Leaf(Leaf {
            scope: Scope::Text,
            value: Value::Word(s.into()),
        })
    }

    #[test]
    fn default_and_or_not() {
        let q = Query::parse("putin trump").unwrap();
        assert_eq!(
            q.root,
            Some(Expr::And(vec![
                (Occur::Must, word("putin")),
                (Occur::Must, word("trump"))
            ]))
        );
        let q = Query::parse("putin OR trump -syria").unwrap();
        assert_eq!(
            q.root,
            Some(Expr::Or(vec![
                word("putin"),
                Expr::And(vec![
                    (Occur::Must, word("trump")),
                    (Occur::MustNot, word("syria"))
                ])
            ]))
        );
    }

    #[test]
    fn fields_phrases_and_groups() {
        let q = Query::parse(r#"person:"Vladimir Putin" place:(syria OR russia) date:[2017 TO *]"#)
            .unwrap();
        let Some(Expr::And(clauses)) = q.root else {
            panic!("and expected")
        };
        assert_eq!(
            clauses[0].1,
            Expr::Leaf(Leaf {
                scope: Scope::Entity(Some(EntityKind::Person)),
                value: Value::Phrase("Vladimir Putin".into())
            })
        );
        assert!(matches!(&clauses[1].1, Expr::Or(v) if v.len() == 2));
        assert!(matches!(
            &clauses[2].1,
            Expr::Leaf(Leaf {
                scope: Scope::Date,
                value: Value::Range(Some(_), None)
            })
        ));
    }

    #[test]
    fn words_with_colons_and_hyphens() {
        assert!(Query::parse("state-owned 10:30").is_ok());
        assert!(Query::parse("al-Assad").is_ok());
    }

    #[test]
    fn errors_point_at_the_problem() {
        for (q, pos, msg) in [
            ("\"pragmatic cooperation", 0, "unclosed quote"),
            ("putin OR", 6, "OR needs a term after it"),
            ("OR putin", 0, "OR needs a term before it"),
            ("(putin trump", 0, "unclosed parenthesis"),
            ("putin)", 5, "unexpected )"),
            ("foo:bar", 0, "unknown field `foo:`"),
            ("person:", 0, "needs a value"),
            ("date:yesterday", 5, "cannot read the date"),
            ("putin NOT", 6, "nothing to exclude"),
        ] {
            let e = Query::parse(q).expect_err(q);
            assert_eq!(e.position, pos, "{q}: {e}");
            assert!(e.message.contains(msg), "{q}: {e}");
        }
    }
}
