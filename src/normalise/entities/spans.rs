//! Names found in a text, as byte spans with what is known of them.

use crate::article::EntityKind;

/// A name found in a text, with what is known of it so far.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    /// The name's words as written (possessive removed).
    pub tokens: Vec<String>,
    pub surface: String,
    pub canonical: String,
    pub kind: Option<EntityKind>,
    /// From the gazetteer.
    pub known: bool,
    /// A title before it marks it as a person.
    pub titled: bool,
}
