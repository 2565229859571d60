//! The tantivy schema: every field and analyzer of a newsdex index, defined here only.
//!
//! `schema/README.md` documents the same fields and analyzer names for other tantivy
//! programs that open the index.

use crate::article::{Article, EntityKind};
use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{Index, TantivyDocument};

/// Analyzer of article text: words, lower case, ASCII folding, English stemming.
pub const TEXT_ANALYZER: &str = "newsdex_text";
/// Analyzer of names (entities, publishers): words, lower case, ASCII folding, no stemming.
pub const NAME_ANALYZER: &str = "newsdex_name";

/// Version of the schema; bumped when fields change incompatibly.
pub const SCHEMA_VERSION: u32 = 5;

/// Handles to every field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Article id, exact (`STRING`).
    pub id: Field,
    /// Headline, analyzed with positions.
    pub title: Field,
    /// Body, analyzed with positions.
    pub body: Field,
    /// Names and aliases of people.
    pub person: Field,
    /// Names and aliases of organisations.
    pub org: Field,
    /// Names and aliases of places.
    pub place: Field,
    /// Names and aliases of other entities.
    pub other: Field,
    /// Canonical entities as facets: `/person/Vladimir Putin`.
    pub entity: Field,
    /// Publication date, seconds since 1970 (any year 1–9999), indexed and fast.
    pub date: Field,
    /// Publisher name, analyzed as a name.
    pub publisher: Field,
    /// Publisher name, exact, as a fast column (facet counts).
    pub publisher_key: Field,
    /// Language code, exact and fast.
    pub language: Field,
    /// Input format, exact.
    pub format: Field,
    /// Source file path, exact (used to replace a file's articles on re-indexing).
    pub source: Field,
    /// The whole Article as JSON, stored only.
    pub article: Field,
    /// Near-duplicate story cluster (hash of its first article's id): indexed, fast, stored.
    pub cluster: Field,
    /// The near-duplicate fingerprint, a fast bytes column.
    pub fingerprint: Field,
    /// Every (kind, canonical name, alias) of the article, as a fast string column read by
    /// the entity dictionary (`None` in indexes made before schema version 4).
    pub entity_alias: Option<Field>,
}

impl Fields {
    /// The text field holding names of one entity kind.
    pub fn names(&self, kind: EntityKind) -> Field {
        match kind {
            EntityKind::Person => self.person,
            EntityKind::Organization => self.org,
            EntityKind::Place => self.place,
            EntityKind::Other => self.other,
        }
    }

    /// Fields of the schema by name; `None` when one is missing (not a newsdex index).
    pub fn from_schema(schema: &Schema) -> Result<Fields, &'static str> {
        let get = |name: &'static str| schema.get_field(name).map_err(|_| name);
        Ok(Fields {
            id: get("id")?,
            title: get("title")?,
            body: get("body")?,
            person: get("person")?,
            org: get("org")?,
            place: get("place")?,
            other: get("other")?,
            entity: get("entity")?,
            date: get("date")?,
            publisher: get("publisher")?,
            publisher_key: get("publisher_key")?,
            language: get("language")?,
            format: get("format")?,
            source: get("source")?,
            article: get("article")?,
            cluster: get("cluster")?,
            fingerprint: get("fingerprint")?,
            entity_alias: schema.get_field("entity_alias").ok(),
        })
    }
}

/// Build the schema.
pub fn build() -> Schema {
    let mut b = Schema::builder();
    let text = |analyzer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    b.add_text_field("id", STRING);
    b.add_text_field("title", text(TEXT_ANALYZER));
    b.add_text_field("body", text(TEXT_ANALYZER));
    for kind in ["person", "org", "place", "other"] {
        b.add_text_field(kind, text(NAME_ANALYZER));
    }
    b.add_facet_field("entity", FacetOptions::default());
    b.add_i64_field("date", NumericOptions::default().set_indexed().set_fast());
    b.add_text_field("publisher", text(NAME_ANALYZER));
    b.add_text_field("publisher_key", STRING | FAST);
    b.add_text_field("language", STRING | FAST);
    b.add_text_field("format", STRING);
    b.add_text_field("source", STRING);
    b.add_text_field("article", STORED);
    b.add_u64_field("cluster", INDEXED | FAST | STORED);
    b.add_bytes_field("fingerprint", FAST);
    b.add_text_field("entity_alias", TextOptions::default().set_fast("raw"));
    b.build()
}

/// Register newsdex's analyzers on an index (needed before writing or querying).
pub fn register_analyzers(index: &Index) {
    index.tokenizers().register(TEXT_ANALYZER, text_analyzer());
    index.tokenizers().register(NAME_ANALYZER, name_analyzer());
}

/// The analyzer of article text.
pub fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        // tantivy's English `Stemmer`, with a cache (the same stems).
        .filter(super::stem::CachedStemmer)
        .build()
}

/// The analyzer of names.
pub fn name_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The tantivy document of an article, in near-duplicate cluster `cluster`.
pub fn document(
    f: &Fields,
    article: &Article,
    cluster: u64,
    fingerprint: Option<&crate::dedup::Fingerprint>,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_u64(f.cluster, cluster);
    if let Some(fp) = fingerprint {
        doc.add_bytes(f.fingerprint, &fp.to_bytes());
    }
    doc.add_text(f.id, article.id.as_str());
    doc.add_text(f.title, &article.title);
    doc.add_text(f.body, &article.body);
    for e in &article.entities {
        let field = f.names(e.kind);
        doc.add_text(field, &e.name);
        for alias in &e.aliases {
            doc.add_text(field, alias);
        }
        doc.add_facet(f.entity, entity_facet(e.kind, &e.name));
        if let Some(field) = f.entity_alias {
            let sep = super::dictionary::ALIAS_SEP;
            for alias in e.aliases.iter().filter(|a| **a != e.name) {
                doc.add_text(
                    field,
                    format!("{}{sep}{}{sep}{alias}", e.kind.as_str(), e.name),
                );
            }
        }
    }
    if let Some(d) = &article.date {
        doc.add_i64(f.date, d.timestamp());
    }
    if let Some(p) = &article.publisher {
        doc.add_text(f.publisher, p);
        doc.add_text(f.publisher_key, p);
    }
    if let Some(l) = &article.language {
        doc.add_text(f.language, l);
    }
    doc.add_text(f.format, article.source.format.as_str());
    doc.add_text(f.source, &article.source.path);
    // Serialising our own plain data types cannot fail.
    doc.add_text(
        f.article,
        serde_json::to_string(article).unwrap_or_default(),
    );
    doc
}

/// The facet of an entity: `/person/Vladimir Putin` (`/` in names replaced by `∕`).
pub fn entity_facet(kind: EntityKind, name: &str) -> tantivy::schema::Facet {
    let safe = name.replace('/', "∕");
    tantivy::schema::Facet::from_path([kind.as_str(), safe.as_str()])
}

/// The kind and name of an entity facet (`/person/Vladimir Putin`).
pub(crate) fn entity_of_facet(facet: &tantivy::schema::Facet) -> Option<(EntityKind, String)> {
    let path = facet.to_path();
    let [kind, name] = path.as_slice() else {
        return None;
    };
    let kind = EntityKind::ALL.into_iter().find(|k| k.as_str() == *kind)?;
    Some((kind, name.replace('∕', "/")))
}
