//! Querying the tantivy index (`skillsite search`). The browser client
//! (`static/js/search-core.js`) implements the same rules over the static export, so both
//! rank alike; `docs/search.md` states them for users:
//!
//! - A query is words, `"phrases"` and `field:value` filters on the facets ([`FACETS`];
//!   `tag:` means `tags:`). Words go through the index's analyzer ([`super::analyze`]: a CJK
//!   run becomes its bigrams, each a word of its own; stemmed on English sites).
//! - Every word must match (AND), in any full-text field. A word scores the sum of BM25 over
//!   the fields it occurs in, each times the field's boost ([`TEXT_FIELDS`]); a document's
//!   score is the sum over words. Filters and phrases only filter (score 0); in the browser a
//!   phrase counts as its words.
//! - A word that is not in the index is replaced by its close spellings when it has 5 or more
//!   characters (typos; 1 edit, 2 from 9 characters; transpositions count as 1; the first two
//!   characters must match; the 3 closest, then the most frequent). In prefix mode (the
//!   browser, `--prefix`), the last word, from 3 characters, also matches the 5 most frequent
//!   terms that start with it and the terms it starts with that are at most 4 characters
//!   shorter (stems the word was cut back to); when the word is itself indexed, it matches
//!   the 5 most frequent longer terms that start with it too, at [`PREFIX_WEIGHT`]. A single
//!   CJK character (a query too short for a bigram) always matches the 5 most frequent terms
//!   it starts.
//! - A phrase of two or more terms must appear as written in title, headings, description or
//!   body (tantivy's `PhraseQuery`; the browser checks the exported positions).
//! - Ties are broken by document id, as tantivy does.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, Score, TantivyDocument, Term};

use super::schema::{Fields, FACETS, TEXT_FIELDS};

/// Most prefix expansions of the word being typed.
pub const PREFIX_EXPANSIONS: usize = 5;
/// Most typo corrections of a word.
pub const FUZZY_EXPANSIONS: usize = 3;

/// One item of a parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// A word as typed.
    Word(String),
    /// A quoted phrase, without the quotes.
    Phrase(String),
    /// A facet filter: facet name (as in [`FACETS`]) and lowercased value.
    Filter(String, String),
}

/// Splits a query into words, phrases and filters. A `name:value` whose name is not a facet
/// is read as words. An unclosed quote runs to the end.
pub fn parse(query: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let chars: Vec<char> = query.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        if chars[i] == '"' {
            let end = chars[i + 1..]
                .iter()
                .position(|&c| c == '"')
                .map_or(chars.len(), |p| i + 1 + p);
            parts.push(Part::Phrase(chars[i + 1..end].iter().collect()));
            i = end + 1;
            continue;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '"' {
            i += 1;
        }
        let token: String = chars[start..i].iter().collect();
        // `name:"quoted value"`
        let mut quoted = None;
        if token.ends_with(':') && i < chars.len() && chars[i] == '"' {
            let end = chars[i + 1..]
                .iter()
                .position(|&c| c == '"')
                .map_or(chars.len(), |p| i + 1 + p);
            quoted = Some(chars[i + 1..end].iter().collect::<String>());
            i = end + 1;
        }
        if let Some((name, value)) = token.split_once(':') {
            let name = name.to_lowercase();
            let name = if name == "tag" {
                "tags".to_string()
            } else {
                name
            };
            if FACETS.contains(&name.as_str()) {
                let value = quoted.clone().unwrap_or_else(|| value.to_string());
                if !value.trim().is_empty() {
                    parts.push(Part::Filter(name, super::facet_key(&value)));
                }
                continue;
            }
        }
        parts.push(Part::Word(token));
        if let Some(q) = quoted {
            parts.push(Part::Phrase(q));
        }
    }
    parts
}

/// A word of the query after analysis: the term and how it may expand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// The analyzed (stemmed) term.
    pub term: String,
    /// From a phrase: exact term only.
    pub exact: bool,
    /// The word being typed (prefix mode only).
    pub open: bool,
}

/// The clauses of a query: each analyzed term of its words and phrases, in order. With
/// `prefix`, the last term is open when the query ends with a plain word (no trailing space).
pub fn clauses(
    parts: &[Part],
    query: &str,
    prefix: bool,
    analyzer: &mut TextAnalyzer,
) -> Vec<Clause> {
    let mut out = Vec::new();
    for p in parts {
        let (text, exact) = match p {
            Part::Word(w) => (w, false),
            Part::Phrase(w) => (w, true),
            Part::Filter(..) => continue,
        };
        for term in analyze(analyzer, text) {
            out.push(Clause {
                term,
                exact,
                open: false,
            });
        }
    }
    let typing = prefix
        && matches!(parts.last(), Some(Part::Word(_)))
        && !query.ends_with(char::is_whitespace);
    if typing {
        if let Some(last) = out.last_mut() {
            last.open = true;
        }
    }
    out
}

/// The terms an analyzer makes of `text`.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), over chars.
pub fn osa_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

/// The vocabulary a query expands against: every term with its document frequency summed
/// over the full-text fields.
pub trait Vocabulary {
    /// Summed document frequency of `term` (0 when absent).
    fn df(&self, term: &str) -> u64;
    /// Every term starting with `prefix` (at least 2 characters), with its summed frequency.
    fn with_prefix(&self, prefix: &str) -> Vec<(String, u64)>;
}

/// The weight of a prefix expansion of a word that is itself in the index (`postgres` →
/// `postgresql`), times the field boost: such pages rank below those with the word itself.
/// A power of two, so that the browser's `f32` products equal tantivy's in any order.
pub const PREFIX_WEIGHT: f32 = 0.5;

/// The terms clause `c` stands for, sorted, each with its weight (1, or [`PREFIX_WEIGHT`]):
/// itself when indexed, and then, when open, also the [`PREFIX_EXPANSIONS`] most frequent
/// longer terms that start with it, at [`PREFIX_WEIGHT`]; otherwise its typo corrections and,
/// when open, its prefix expansions (see the module documentation), at weight 1. A single CJK
/// character (not a bigram) is always open. Empty when nothing matches.
pub fn expand(c: &Clause, vocab: &dyn Vocabulary) -> Vec<(String, f32)> {
    let n = c.term.chars().count();
    let lone_cjk = n == 1 && c.term.chars().all(super::analyze::is_cjk) && !c.exact;
    let open = (c.open && n >= 3) || lone_cjk;
    if vocab.df(&c.term) > 0 {
        let mut out = vec![(c.term.clone(), 1.0)];
        if open {
            let mut longer: Vec<(String, u64)> = vocab
                .with_prefix(&c.term)
                .into_iter()
                .filter(|(t, _)| t.len() > c.term.len() && t.starts_with(&c.term))
                .collect();
            longer.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            out.extend(
                longer
                    .into_iter()
                    .take(PREFIX_EXPANSIONS)
                    .map(|(t, _)| (t, PREFIX_WEIGHT)),
            );
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        return out;
    }
    if c.exact {
        return Vec::new();
    }
    if n < 2 && !lone_cjk {
        return Vec::new();
    }
    let head: String = c.term.chars().take(2).collect();
    let fuzzy = n >= 5;
    if !fuzzy && !open {
        return Vec::new();
    }
    let group = vocab.with_prefix(&head);
    let mut out: BTreeSet<String> = BTreeSet::new();
    if open {
        let mut starts: Vec<&(String, u64)> = group
            .iter()
            .filter(|(t, _)| t.starts_with(&c.term))
            .collect();
        starts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out.extend(
            starts
                .iter()
                .take(PREFIX_EXPANSIONS)
                .map(|(t, _)| t.clone()),
        );
        let min = 3.max(n.saturating_sub(4));
        out.extend(
            group
                .iter()
                .filter(|(t, _)| c.term.starts_with(t.as_str()) && t.chars().count() >= min)
                .map(|(t, _)| t.clone()),
        );
    }
    if fuzzy {
        let max = if n >= 9 { 2 } else { 1 };
        let mut near: Vec<(usize, &String, u64)> = group
            .iter()
            .filter(|(t, _)| t.chars().count().abs_diff(n) <= max)
            .map(|(t, df)| (osa_distance(t, &c.term), t, *df))
            .filter(|(d, _, _)| *d <= max)
            .collect();
        near.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| b.2.cmp(&a.2))
                .then_with(|| a.1.cmp(b.1))
        });
        out.extend(
            near.iter()
                .take(FUZZY_EXPANSIONS)
                .map(|(_, t, _)| (*t).clone()),
        );
    }
    out.into_iter().map(|t| (t, 1.0)).collect()
}

/// A search index opened for queries.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

/// What to return.
#[derive(Debug, Clone, Copy)]
pub struct SearchOptions {
    /// Most results returned.
    pub limit: usize,
    /// Treat the last word as a prefix, as the browser does while typing.
    pub prefix: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            prefix: false,
        }
    }
}

/// One result.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    /// 1-based rank.
    pub rank: usize,
    /// BM25 score (0 for a filter-only query).
    pub score: Score,
    /// Title.
    pub title: String,
    /// Root-relative URL of the page (maybe with `#anchor`).
    pub url: String,
    /// Kind (`skill`, `runbook`, `section`, `page`).
    pub kind: String,
    /// Facet values as indexed (lowercase): types, level, pack, tags.
    pub types: Vec<String>,
    /// Level.
    pub level: String,
    /// Pack name.
    pub pack: String,
    /// Tags.
    pub tags: Vec<String>,
    /// A planned skill (not written yet).
    pub planned: bool,
    /// A passage of the body around the matched words (plain text), or the description.
    pub snippet: String,
    /// Byte ranges of matched words in `snippet`.
    pub highlights: Vec<(usize, usize)>,
}

/// The results of a query.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Results {
    /// The query as given.
    pub query: String,
    /// How many documents match.
    pub total: usize,
    /// The best `limit` of them, best first.
    pub hits: Vec<Hit>,
}

struct TantivyVocabulary<'a> {
    searcher: &'a tantivy::Searcher,
    fields: &'a Fields,
}

impl TantivyVocabulary<'_> {
    fn field_df(&self, i: usize, term: &str) -> u64 {
        self.searcher
            .doc_freq(&Term::from_field_text(self.fields.text[i], term))
            .unwrap_or(0)
    }
}

impl Vocabulary for TantivyVocabulary<'_> {
    fn df(&self, term: &str) -> u64 {
        (0..TEXT_FIELDS.len()).map(|i| self.field_df(i, term)).sum()
    }

    fn with_prefix(&self, prefix: &str) -> Vec<(String, u64)> {
        let mut all: BTreeMap<String, u64> = BTreeMap::new();
        for seg in self.searcher.segment_readers() {
            for &field in &self.fields.text {
                let Ok(inverted) = seg.inverted_index(field) else {
                    continue;
                };
                let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream()
                else {
                    continue;
                };
                while stream.advance() {
                    let Ok(t) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    if !t.starts_with(prefix) {
                        break;
                    }
                    *all.entry(t.to_string()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        all.into_iter().collect()
    }
}

impl SearchIndex {
    /// Opens the tantivy index in folder `dir` (holding `meta.json`).
    ///
    /// Errors: no index there, or one tantivy cannot read.
    pub fn open(dir: &Path) -> Result<SearchIndex, String> {
        let index = Index::open_in_dir(dir)
            .map_err(|e| format!("cannot open the search index in {}: {e}", dir.display()))?;
        SearchIndex::from_index(index)
    }

    /// Wraps an index built by [`super::build_index`] or opened elsewhere.
    ///
    /// Errors: the index lacks skillsite's fields.
    pub fn from_index(index: Index) -> Result<SearchIndex, String> {
        let fields = Fields::from_schema(&index.schema())?;
        super::analyze::register(&index);
        let reader = index.reader().map_err(|e| e.to_string())?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
        })
    }

    /// Runs `query`. Errors: tantivy failures, as text.
    pub fn search(&self, query: &str, opts: SearchOptions) -> Result<Results, String> {
        let searcher = self.reader.searcher();
        let fields = &self.fields;
        let mut analyzer = self
            .index
            .tokenizer_for_field(fields.text[0])
            .map_err(|e| e.to_string())?;
        let parts = parse(query);
        let clauses = clauses(&parts, query, opts.prefix, &mut analyzer);
        let vocab = TantivyVocabulary {
            searcher: &searcher,
            fields,
        };
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut body_terms: BTreeMap<String, Score> = BTreeMap::new();
        let mut impossible = false;
        for c in &clauses {
            let terms = expand(c, &vocab);
            let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for (t, weight) in &terms {
                for (i, &field) in fields.text.iter().enumerate() {
                    if vocab.field_df(i, t) == 0 {
                        continue;
                    }
                    let q = TermQuery::new(
                        Term::from_field_text(field, t),
                        IndexRecordOption::WithFreqs,
                    );
                    should.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(q), TEXT_FIELDS[i].boost * weight)),
                    ));
                }
                body_terms.insert(t.clone(), 1.0);
            }
            if should.is_empty() {
                impossible = true;
            }
            must.push((Occur::Must, Box::new(BooleanQuery::new(should))));
        }
        // Filters: values of one facet are alternatives; different facets all apply.
        let mut by_facet: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for p in &parts {
            if let Part::Filter(name, value) = p {
                by_facet
                    .entry(name.as_str())
                    .or_default()
                    .push(value.as_str());
            }
        }
        for (name, values) in by_facet {
            let Some((_, field)) = fields.facet(name) else {
                continue;
            };
            let any: Vec<(Occur, Box<dyn Query>)> = values
                .iter()
                .map(|v| {
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(
                            Term::from_field_text(field, v),
                            IndexRecordOption::Basic,
                        )) as Box<dyn Query>,
                    )
                })
                .collect();
            must.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0)),
            ));
        }
        // Phrases of two or more words must appear as written, in one of the prose fields.
        for p in &parts {
            let Part::Phrase(text) = p else { continue };
            let terms = analyze(&mut analyzer, text);
            if terms.len() < 2 {
                continue;
            }
            let any: Vec<(Occur, Box<dyn Query>)> = (0..TEXT_FIELDS.len())
                .filter(|&i| TEXT_FIELDS[i].positions)
                .map(|i| {
                    let ts = terms
                        .iter()
                        .map(|t| Term::from_field_text(fields.text[i], t))
                        .collect();
                    (
                        Occur::Should,
                        Box::new(PhraseQuery::new(ts)) as Box<dyn Query>,
                    )
                })
                .collect();
            must.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0)),
            ));
        }
        if must.is_empty() || impossible {
            return Ok(Results {
                query: query.to_string(),
                total: 0,
                hits: Vec::new(),
            });
        }
        let q = BooleanQuery::new(must);
        let (top, total) = searcher
            .search(
                &q,
                &(
                    TopDocs::with_limit(opts.limit.max(1)).order_by_score(),
                    Count,
                ),
            )
            .map_err(|e| e.to_string())?;
        let snippets = SnippetGenerator::new(body_terms, analyzer.clone(), fields.text[3], 180);
        let mut hits = Vec::new();
        for (rank, (score, addr)) in top.into_iter().enumerate() {
            let doc: TantivyDocument = searcher.doc(addr).map_err(|e| e.to_string())?;
            let get = |f| {
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let all = |f| {
                doc.get_all(f)
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect::<Vec<_>>()
            };
            let facet = |name: &str| fields.facet(name).map(|(_, f)| get(f)).unwrap_or_default();
            let body = get(fields.text[3]);
            let snippet = snippets.snippet(&body);
            let (text, highlights) = if snippet.is_empty() {
                let d = get(fields.text[2]);
                let text = if d.is_empty() {
                    body.chars().take(180).collect()
                } else {
                    d
                };
                (text, Vec::new())
            } else {
                (
                    snippet.fragment().to_string(),
                    snippet
                        .highlighted()
                        .iter()
                        .map(|r| (r.start, r.end))
                        .collect(),
                )
            };
            hits.push(Hit {
                rank: rank + 1,
                score,
                title: get(fields.text[0]),
                url: get(fields.href),
                kind: facet("kind"),
                types: fields
                    .facet("type")
                    .map(|(_, f)| all(f))
                    .unwrap_or_default(),
                level: facet("level"),
                pack: facet("pack"),
                tags: fields
                    .facet("tags")
                    .map(|(_, f)| all(f))
                    .unwrap_or_default(),
                planned: facet("status") == "planned",
                snippet: text.split_whitespace().collect::<Vec<_>>().join(" "),
                highlights: Vec::new(),
            });
            // Highlights refer to the fragment before whitespace was squeezed: recompute them.
            let last = hits.last_mut().expect("just pushed");
            last.highlights = squeeze_ranges(&text, &highlights);
        }
        Ok(Results {
            query: query.to_string(),
            total,
            hits,
        })
    }
}

/// Maps byte ranges of `text` to ranges in `text` with whitespace runs squeezed to one space
/// and the ends trimmed (as [`Hit::snippet`] is).
fn squeeze_ranges(text: &str, ranges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut map = vec![0usize; text.len() + 1];
    let mut out_len = 0usize;
    let mut pending_space = false;
    let mut started = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            pending_space = started;
            map[i] = out_len;
            continue;
        }
        if pending_space {
            out_len += 1;
            pending_space = false;
        }
        started = true;
        for k in 0..c.len_utf8() {
            map[i + k] = out_len + k;
        }
        out_len += c.len_utf8();
    }
    map[text.len()] = out_len;
    ranges
        .iter()
        .map(|&(s, e)| (map[s.min(text.len())], map[e.min(text.len())]))
        .collect()
}

/// Where the stored index of a site is, trying in order: `dir` itself (a tantivy folder),
/// `dir/tantivy` (a cache folder), the cache folder of a built site `dir`
/// ([`super::cache_dir`]: `.skillsite-cache/NAME/tantivy` beside it), `dir/search/tantivy`
/// (a site built by skillsite before the index moved out of the site), then the same for the
/// configured build folder of a project `dir`. `None` when none exists.
pub fn locate(dir: &Path) -> Option<PathBuf> {
    let candidates = |d: &Path| {
        [
            d.to_path_buf(),
            d.join(super::CACHE_TANTIVY_DIR),
            super::cache_dir(d).join(super::CACHE_TANTIVY_DIR),
            d.join("search/tantivy"),
        ]
    };
    if let Some(found) = candidates(dir)
        .into_iter()
        .find(|p| p.join("meta.json").is_file())
    {
        return Some(found);
    }
    let diags = crate::diagnostics::Diagnostics::new();
    let config = crate::load::config::Config::load(dir, &diags).ok()?;
    candidates(&config.build_dir())
        .into_iter()
        .skip(1)
        .find(|p| p.join("meta.json").is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_words_phrases_filters() {
        assert_eq!(
            parse(r#"terraform "remote state" type:Technique tag:"cloud ops" foo:bar"#),
            vec![
                Part::Word("terraform".into()),
                Part::Phrase("remote state".into()),
                Part::Filter("type".into(), "technique".into()),
                Part::Filter("tags".into(), "cloud ops".into()),
                Part::Word("foo:bar".into()),
            ]
        );
        assert_eq!(parse("  \"open"), vec![Part::Phrase("open".into())]);
        assert_eq!(parse("kind:"), vec![]);
    }

    #[test]
    fn distances() {
        assert_eq!(osa_distance("terraform", "terrafrom"), 1);
        assert_eq!(osa_distance("state", "stat"), 1);
        assert_eq!(osa_distance("kitten", "sitting"), 3);
        assert_eq!(osa_distance("", "ab"), 2);
    }

    struct Fake(Vec<(&'static str, u64)>);
    impl Vocabulary for Fake {
        fn df(&self, term: &str) -> u64 {
            self.0
                .iter()
                .find(|(t, _)| *t == term)
                .map_or(0, |(_, d)| *d)
        }
        fn with_prefix(&self, prefix: &str) -> Vec<(String, u64)> {
            self.0
                .iter()
                .filter(|(t, _)| t.starts_with(prefix))
                .map(|(t, d)| (t.to_string(), *d))
                .collect()
        }
    }

    #[test]
    fn expansions() {
        let v = Fake(vec![
            ("deploy", 9),
            ("depend", 3),
            ("terraform", 2),
            ("state", 5),
            ("statement", 1),
            ("stale", 2),
            ("在庫", 4),
            ("在宅", 1),
        ]);
        let c = |t: &str, open| Clause {
            term: t.into(),
            exact: false,
            open,
        };
        let terms =
            |c: &Clause| -> Vec<String> { expand(c, &v).into_iter().map(|t| t.0).collect() };
        assert_eq!(terms(&c("state", false)), ["state"]);
        // An indexed word being typed is also a prefix, its expansions weighted lower.
        assert_eq!(
            expand(&c("state", true), &v),
            [
                ("state".to_string(), 1.0),
                ("statement".to_string(), PREFIX_WEIGHT)
            ]
        );
        assert_eq!(terms(&c("terrafrom", false)), ["terraform"]);
        assert_eq!(terms(&c("stat", false)), Vec::<String>::new());
        assert_eq!(terms(&c("stat", true)), ["state", "statement"]);
        assert_eq!(terms(&c("deploym", true)), ["deploy"]);
        assert_eq!(terms(&c("dep", true)), ["depend", "deploy"]);
        assert_eq!(terms(&c("de", true)), Vec::<String>::new());
        // A lone CJK character stands for the bigrams it starts.
        assert_eq!(terms(&c("在", false)), ["在宅", "在庫"]);
        assert_eq!(
            terms(&Clause {
                term: "terrafrom".into(),
                exact: true,
                open: false
            }),
            Vec::<String>::new()
        );
    }

    #[test]
    fn squeezes_ranges() {
        assert_eq!(
            squeeze_ranges("a  bc\n d", &[(3, 5), (7, 8)]),
            [(2, 4), (5, 6)]
        );
    }
}
