//! The tantivy schema of the search index, and the per-field boosts shared by the CLI query
//! and the browser client (the manifest carries them, so both rank with the same numbers).

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};

use super::analyze::Stemming;

/// A full-text field: its name and its boost in queries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextField {
    /// Field name in the tantivy schema and in the manifest.
    pub name: &'static str,
    /// Multiplier of the field's BM25 score (an `f32`, as tantivy uses).
    pub boost: f32,
    /// Whether the text is stored in the index (needed for CLI snippets and display).
    pub stored: bool,
    /// Whether positions are indexed (for `"phrase"` filters in the CLI).
    pub positions: bool,
}

/// The full-text fields, in the order the static export numbers them (field `i` of a posting
/// entry is `TEXT_FIELDS[i]`). Code blocks are indexed, but weighted low.
pub const TEXT_FIELDS: [TextField; 6] = [
    TextField {
        name: "title",
        boost: 4.0,
        stored: true,
        positions: true,
    },
    TextField {
        name: "headings",
        boost: 2.0,
        stored: false,
        positions: true,
    },
    TextField {
        name: "description",
        boost: 2.0,
        stored: true,
        positions: true,
    },
    TextField {
        name: "body",
        boost: 1.0,
        stored: true,
        positions: true,
    },
    TextField {
        name: "code",
        boost: 0.3,
        stored: false,
        positions: false,
    },
    TextField {
        name: "url",
        boost: 1.5,
        stored: false,
        positions: false,
    },
];

/// Keyword fields used as facets and filters (`type:technique`). Values are indexed
/// lowercased and untokenized; a document may have several `tags`.
pub const FACETS: [&str; 6] = ["kind", "pack", "type", "level", "tags", "status"];

/// Handles to every field of the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// The tantivy schema.
    pub schema: Schema,
    /// Full-text fields, in [`TEXT_FIELDS`] order.
    pub text: Vec<Field>,
    /// Facet fields, in [`FACETS`] order.
    pub facets: Vec<Field>,
    /// The page URL as written to the site (root-relative, maybe with `#anchor`); stored only.
    pub href: Field,
    /// Position of the document in the list it was indexed from (a fast `u64`), so exports can
    /// map tantivy's document ids back to their source.
    pub ord: Field,
    /// Whether the text fields are stemmed: their tokenizer is
    /// [`Stemming::tokenizer_name`] (the analyzers of [`super::analyze`], registered on every
    /// index by [`super::analyze::register`]).
    pub stemming: Stemming,
}

impl Fields {
    /// Builds the schema with English stemming.
    pub fn new() -> Fields {
        Fields::with_stemming(Stemming::English)
    }

    /// Builds the schema, its text fields analyzed with `stemming`.
    pub fn with_stemming(stemming: Stemming) -> Fields {
        let mut b = Schema::builder();
        let text = TEXT_FIELDS
            .iter()
            .map(|f| {
                let record = if f.positions {
                    IndexRecordOption::WithFreqsAndPositions
                } else {
                    IndexRecordOption::WithFreqs
                };
                let indexing = TextFieldIndexing::default()
                    .set_tokenizer(stemming.tokenizer_name())
                    .set_index_option(record);
                let mut opts = TextOptions::default().set_indexing_options(indexing);
                if f.stored {
                    opts = opts.set_stored();
                }
                b.add_text_field(f.name, opts)
            })
            .collect();
        let facets = FACETS
            .iter()
            .map(|name| b.add_text_field(name, STRING | STORED))
            .collect();
        let href = b.add_text_field("href", STORED);
        let ord = b.add_u64_field("ord", NumericOptions::from(FAST));
        Fields {
            schema: b.build(),
            text,
            facets,
            href,
            ord,
            stemming,
        }
    }

    /// Rebuilds the handles from an index's schema (for an index read from disk).
    ///
    /// Errors: the schema lacks one of the fields (an index written by another version).
    pub fn from_schema(schema: &Schema) -> Result<Fields, String> {
        let get = |name: &str| {
            schema.get_field(name).map_err(|_| {
                format!("the search index has no `{name}` field; rebuild it with `skillsite build`")
            })
        };
        let title = get("title")?;
        let stemming = match schema.get_field_entry(title).field_type() {
            tantivy::schema::FieldType::Str(o) => match o.get_indexing_options().map(|i| i.tokenizer()) {
                Some(n) if n == Stemming::English.tokenizer_name() => Stemming::English,
                Some(n) if n == Stemming::None.tokenizer_name() => Stemming::None,
                _ => return Err("the search index was written by another version of skillsite; rebuild it with `skillsite build`".into()),
            },
            _ => return Err("the search index has no text `title` field; rebuild it with `skillsite build`".into()),
        };
        Ok(Fields {
            stemming,
            schema: schema.clone(),
            text: TEXT_FIELDS
                .iter()
                .map(|f| get(f.name))
                .collect::<Result<_, _>>()?,
            facets: FACETS.iter().map(|n| get(n)).collect::<Result<_, _>>()?,
            href: get("href")?,
            ord: get("ord")?,
        })
    }

    /// The facet field called `name` (`tag` is accepted for `tags`).
    pub fn facet(&self, name: &str) -> Option<(usize, Field)> {
        let name = if name == "tag" { "tags" } else { name };
        FACETS
            .iter()
            .position(|f| *f == name)
            .map(|i| (i, self.facets[i]))
    }
}

impl Default for Fields {
    fn default() -> Self {
        Fields::new()
    }
}
