//! The static browser index, exported from the tantivy index so the browser ranks exactly as
//! `skillsite search` does. Every file is a script calling `window.__skillsiteSearch`, so it
//! loads with a `<script>` element from any base path and from `file://` (where `fetch` of
//! JSON fails):
//!
//! - `search/manifest.js` → `.manifest({...})`: document count, per-field boosts and token
//!   totals (BM25's average lengths), tantivy's fieldnorm decoding table, the lexicon keys
//!   (`lex`), the stemming (`stem`: `"en"` or `""`, see [`super::analyze`]) and the facet
//!   values with their counts.
//! - `search/shards/K.js` → `.shard(K, {term: [df, postings...]})`: the postings of a run of
//!   consecutive terms (in code-point order) of about [`SHARD_TARGET`] bytes; `K` counts from
//!   0. For each term: its document frequency summed over the fields, then one posting string
//!   per field in [`TEXT_FIELDS`](super::schema::TEXT_FIELDS) order (`""` when the term is not
//!   in that field; trailing empty strings are dropped).
//! - `search/pos/K.js` → `.pos(K, {term: [positions...]})`: for the terms of shard `K`, one
//!   string per field with positions (title, headings, description, body; trailing empty
//!   ones dropped): for each document of the term's posting list in that field, in order, its
//!   `tf` positions as `varint(delta)` (from the previous position in the document, the first
//!   from 0), base64. Loaded only for `"phrase"` queries, which the browser then checks as
//!   tantivy's `PhraseQuery` does (consecutive positions in one field).
//! - `search/lex/K.js` → `.lex(K, [[term, df, shard]...])`: a run of consecutive terms of
//!   about [`LEX_TARGET`] bytes, each with its summed document frequency and the number of
//!   its shard. The manifest's `lex[K]` is the shortest prefix of the run's first term that
//!   sorts after the previous run's last term (`""` for the first run), so a term is in the
//!   lexicon of the last key `<=` it, and the terms starting with a prefix are in that
//!   prefix's lexicon and the following ones whose keys start with it. A lookup loads one
//!   lexicon, then one shard; typo and prefix expansion read the lexicons of the term's first
//!   two characters (prefix expansion: of the typed word) and load only the shards of the
//!   chosen terms. Runs rather than prefixes keep the file count bounded by the number of
//!   documents (see [`target`]) at any vocabulary, and the manifest small (a CJK site's
//!   bigrams made one file per bigram with prefix keys).
//! - `search/norms/FIELD.js` → `.norms(field, base64)`: the fieldnorm id of every document in
//!   the field, for its dense posting lists (written only for fields that have one).
//! - `search/facets/NAME.js` → `.facet(name, {value: docs})`: documents of each facet value.
//! - `search/docs/C.js` → `.docs(c, "H4sI...")`: the fragments of a run of consecutive
//!   documents, starting at document `chunks[c]` of the manifest: what a result shows (title, URL,
//!   kind, facets, description) and the text of its sections, for snippets; fetched only for
//!   shown results. Runs are cut at about [`DOC_CHUNK_TARGET`] bytes (uncompressed), so a site
//!   writes a few hundred fragment files rather than one per page (creating thousands of small
//!   files is a large part of a build's time on some file systems).
//!
//! Every file but the manifest is written with its data (the last argument) gzip-compressed,
//! as a base64 string, when that is smaller ([`packed_script`]; read back with [`unpack`]):
//! `.docs(c, "H4sI...")`. Fragments are prose, which gzip makes 2.5 times smaller even in
//! base64, and were three quarters of the index; postings and positions, base64 already,
//! gain a tenth to a third.
//!
//! Posting strings are unpadded base64 (standard alphabet). Sparse lists hold, for each
//! document in increasing id order: `varint(delta << 1 | (tf > 1))`, then `varint(tf)` when
//! `tf > 1`, then the fieldnorm id byte (tantivy's quantized field length, decoded with the
//! manifest's `fieldnorms` table); `delta` is the id minus the previous id, the first counted
//! from -1. Dense lists (string starting with `~`, see [`encode_postings`]) hold a bitmap of
//! `ceil(docs / 8)` bytes, 4-bit frequencies and escapes, and use the norms file. Facet
//! document lists and the manifest's `chunks` (the first document of each fragment file) are
//! base64 of `varint(delta)` alone ([`encode_docs`]).

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, TERMINATED};

use super::schema::{FACETS, TEXT_FIELDS};
use super::{facet_key, BuiltIndex, SearchDoc, SEARCH_DIR};
use crate::render::OutFile;

/// Shard files hold runs of terms of about this many bytes (a single term may exceed it; a
/// large site gets larger shards, see [`target`]: at most one shard, and one positions file,
/// per 20 documents).
pub const SHARD_TARGET: usize = 16 * 1024;
/// The same for lexicon files (at most one per 30 documents).
pub const LEX_TARGET: usize = 8 * 1024;
/// UTF-8 bytes of text kept per section in a document fragment (bytes, not characters, so
/// that a CJK page's fragment is not three times larger).
pub const SECTION_BYTES: usize = 1_200;
/// UTF-8 bytes of text kept per document fragment, over all sections.
pub const DOC_BYTES: usize = 3_000;
/// Fragments are grouped into files of about this many bytes (a single fragment may exceed
/// it; at most one file per 12 documents).
pub const DOC_CHUNK_TARGET: usize = 8 * 1024;
/// Version of the file format, checked by the client.
pub const FORMAT: u32 = 5;

/// Exports the static index of `built` as site files under [`SEARCH_DIR`].
///
/// Errors: tantivy read failures.
pub fn export(built: &BuiltIndex) -> tantivy::Result<Vec<OutFile>> {
    let tables = Tables::read(built)?;
    Ok(tables.files(&built.docs, built.fields.stemming, None).0)
}

/// What the static index is made of, before it is cut into files: tantivy's term dictionary
/// with each term's posting and position strings already encoded, the fieldnorms, the token
/// totals and each document's fragment. [`export`] reads it from an index and writes it out;
/// [`super::incremental`] keeps it between exports of `serve` and splices an edit's documents
/// into it, so that the same [`Tables::files`] makes the same bytes as a fresh export.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Tables {
    /// Number of documents (tantivy's `max_doc` of the one segment).
    pub n_docs: u32,
    /// Tokens of each text field over all documents ([`TEXT_FIELDS`] order; BM25's averages).
    pub tokens: Vec<u64>,
    /// Fieldnorm id of every document, for each text field.
    pub norms: Vec<Vec<u8>>,
    /// Every term, in code-point order (tantivy's dictionary order).
    pub terms: Vec<TermRow>,
    /// Each document's fragment, JSON ([`fragment`]).
    pub frags: Vec<String>,
}

/// One term of [`Tables`].
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TermRow {
    /// The term.
    pub text: String,
    /// Documents of the term in each text field (posting list lengths).
    pub lens: Vec<u32>,
    /// Posting string of each text field ([`encode_postings`]; `""` when not in the field).
    pub postings: Vec<String>,
    /// Position string of each text field (`""` for fields without positions or without the
    /// term).
    pub positions: Vec<String>,
    /// The shard entry, `"term":[df,postings...]` ([`TermRow::refresh`]).
    pub json: String,
    /// The positions entry, `"term":[positions...]`, when any field has positions.
    pub pos_json: Option<String>,
}

impl TermRow {
    /// An empty row for `text`, before any field is filled.
    pub fn new(text: String) -> TermRow {
        TermRow {
            text,
            lens: vec![0; TEXT_FIELDS.len()],
            postings: vec![String::new(); TEXT_FIELDS.len()],
            positions: vec![String::new(); TEXT_FIELDS.len()],
            json: String::new(),
            pos_json: None,
        }
    }

    /// The document frequency the lexicon and shard give: summed over the fields.
    pub fn df(&self) -> u64 {
        self.lens.iter().map(|&l| u64::from(l)).sum()
    }

    /// Makes [`TermRow::json`] and [`TermRow::pos_json`] again from the fields.
    pub fn refresh(&mut self) {
        let key = serde_json::to_string(&self.text).unwrap_or_default();
        let mut arr = vec![Value::from(self.df())];
        arr.extend(self.postings.iter().map(|p| Value::from(p.as_str())));
        while arr.len() > 1 && arr.last().is_some_and(|v| v.as_str() == Some("")) {
            arr.pop();
        }
        self.json = format!("{key}:{}", Value::Array(arr));
        let mut pos: Vec<Value> = self
            .positions
            .iter()
            .map(|p| Value::from(p.as_str()))
            .collect();
        while pos.last().is_some_and(|v| v.as_str() == Some("")) {
            pos.pop();
        }
        self.pos_json = (!pos.is_empty()).then(|| format!("{key}:{}", Value::Array(pos)));
    }
}

/// The files made last time, by path: the call head and data they were made from, and the
/// file. [`Tables::files`] reuses a file whose head and data are the same (compressing is most
/// of an export's time), so an edit compresses only the files it changed.
pub(super) type FileCache = std::collections::HashMap<String, (String, String, OutFile)>;

/// The terms, fieldnorms and token totals of `seg`'s text fields, one entry per term and
/// field: `(field, term, [(doc, tf, positions)])` in field then term order, plus
/// `norms[field][doc]` and `tokens[field]`. The positions are empty for fields without them.
pub(super) type FieldPostings = Vec<(usize, String, Vec<(u32, u32, Vec<u32>)>)>;

/// What [`read_postings`] reads off an index.
pub(super) struct Segment {
    /// Every term of every text field with its postings.
    pub postings: FieldPostings,
    /// Fieldnorm id of every document, per text field.
    pub norms: Vec<Vec<u8>>,
    /// Tokens of each text field over all documents.
    pub tokens: Vec<u64>,
    /// Number of documents.
    pub n_docs: u32,
}

/// Reads every text field's postings of the one segment of `built` ([`FieldPostings`]).
pub(super) fn read_postings(built: &BuiltIndex) -> tantivy::Result<Segment> {
    let reader = built.index.reader()?;
    let searcher = reader.searcher();
    let mut out = Vec::new();
    let mut norms_all = Vec::new();
    let mut tokens = vec![0u64; TEXT_FIELDS.len()];
    // The index has one segment (see `build_index`); with several, ids would collide.
    let Some(seg) = searcher.segment_readers().first() else {
        return Ok(Segment {
            postings: out,
            norms: vec![Vec::new(); TEXT_FIELDS.len()],
            tokens,
            n_docs: 0,
        });
    };
    let n_docs = seg.max_doc();
    let mut pos_buf: Vec<u32> = Vec::new();
    for (i, &field) in built.fields.text.iter().enumerate() {
        let inverted = seg.inverted_index(field)?;
        tokens[i] = inverted.total_num_tokens();
        let reader = seg.get_fieldnorms_reader(field)?;
        norms_all.push((0..n_docs).map(|d| reader.fieldnorm_id(d)).collect());
        let with_positions = TEXT_FIELDS[i].positions;
        let record = if with_positions {
            IndexRecordOption::WithFreqsAndPositions
        } else {
            IndexRecordOption::WithFreqs
        };
        let mut stream = inverted.terms().stream()?;
        while stream.advance() {
            let Ok(term) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            let mut postings = inverted.read_postings_from_terminfo(stream.value(), record)?;
            let mut list = Vec::new();
            let mut doc = postings.doc();
            while doc != TERMINATED {
                let mut pos = Vec::new();
                if with_positions {
                    pos_buf.clear();
                    postings.positions(&mut pos_buf);
                    pos.extend_from_slice(&pos_buf);
                }
                list.push((doc, postings.term_freq(), pos));
                doc = postings.advance();
            }
            out.push((i, term.to_string(), list));
        }
    }
    Ok(Segment {
        postings: out,
        norms: norms_all,
        tokens,
        n_docs,
    })
}

/// The position string of one posting list: for each document in order, its positions as
/// `varint(delta)` from the previous one (the first from 0), base64; `""` when empty.
pub(super) fn encode_positions<'a>(lists: impl IntoIterator<Item = &'a [u32]>) -> String {
    let mut bytes = Vec::new();
    for pos in lists {
        let mut prev = 0u32;
        for &p in pos {
            varint(&mut bytes, u64::from(p - prev));
            prev = p;
        }
    }
    if bytes.is_empty() {
        String::new()
    } else {
        base64(&bytes)
    }
}

impl Tables {
    /// Reads the tables of `built`'s one segment.
    ///
    /// Errors: tantivy read failures.
    pub fn read(built: &BuiltIndex) -> tantivy::Result<Tables> {
        let Segment {
            postings,
            norms,
            tokens,
            n_docs,
        } = read_postings(built)?;
        let mut terms: BTreeMap<String, TermRow> = BTreeMap::new();
        for (i, term, list) in postings {
            let pairs: Vec<(u32, u32)> = list.iter().map(|(d, tf, _)| (*d, *tf)).collect();
            let row = terms
                .entry(term)
                .or_insert_with_key(|t| TermRow::new(t.clone()));
            row.lens[i] = pairs.len() as u32;
            row.postings[i] = encode_postings(&pairs, &norms[i]).0;
            if TEXT_FIELDS[i].positions {
                row.positions[i] = encode_positions(list.iter().map(|(_, _, p)| p.as_slice()));
            }
        }
        let mut terms: Vec<TermRow> = terms.into_values().collect();
        terms.par_iter_mut().for_each(TermRow::refresh);
        Ok(Tables {
            n_docs,
            tokens,
            norms,
            terms,
            frags: built.docs.par_iter().map(fragment_json).collect(),
        })
    }

    /// The site files of the tables (see the module docs), for the documents `docs` (in id
    /// order; their facets) analysed with `stemming`. With a `cache`, a file whose call is the
    /// same as last time is taken from it rather than compressed again, and the cache is
    /// replaced by this export's files. Returns the files and how many were compressed (made
    /// anew rather than taken from the cache).
    pub fn files(
        &self,
        docs: &[SearchDoc],
        stemming: super::analyze::Stemming,
        cache: Option<&mut FileCache>,
    ) -> (Vec<OutFile>, usize) {
        let n = self.n_docs as usize;
        let mut files = Vec::new();
        for (i, norms) in self.norms.iter().enumerate() {
            if self.terms.iter().any(|t| t.postings[i].starts_with('~')) {
                files.push(Pending::new(
                    format!("{SEARCH_DIR}/norms/{}.js", TEXT_FIELDS[i].name),
                    format!("norms(\"{}\"", TEXT_FIELDS[i].name),
                    pack_norms(norms).to_string(),
                ));
            }
        }
        // Shards: runs of consecutive terms (in code-point order) of about `shard_target` bytes.
        let sizes: Vec<usize> = self.terms.iter().map(|t| t.json.len() + 1).collect();
        let keys: Vec<u64> = self
            .terms
            .iter()
            .map(|t| fnv1a(t.text.as_bytes()))
            .collect();
        let shard_runs = runs(&sizes, &keys, target(&sizes, SHARD_TARGET, n / 20));
        let mut shard_of = vec![0usize; self.terms.len()];
        for (k, run) in shard_runs.iter().enumerate() {
            let rows = &self.terms[run.clone()];
            files.push(Pending::new(
                format!("{SEARCH_DIR}/shards/{k}.js"),
                format!("shard({k}"),
                join_in("{", rows.iter().map(|t| t.json.as_str()), "}"),
            ));
            // The positions of the same terms, for phrase queries only.
            files.push(Pending::new(
                format!("{SEARCH_DIR}/pos/{k}.js"),
                format!("pos({k}"),
                join_in("{", rows.iter().filter_map(|t| t.pos_json.as_deref()), "}"),
            ));
            for i in run.clone() {
                shard_of[i] = k;
            }
        }
        // Lexicons: every term, its frequency and its shard, in runs of consecutive terms like
        // the shards (smaller); the manifest lists the shortest key that starts each run.
        let lex_entries: Vec<String> = self
            .terms
            .iter()
            .enumerate()
            .map(|(i, t)| {
                serde_json::to_string(&(&t.text, t.df(), shard_of[i])).unwrap_or_default()
            })
            .collect();
        let sizes: Vec<usize> = lex_entries.iter().map(|e| e.len() + 1).collect();
        let mut lex_keys = Vec::new();
        for (k, run) in runs(&sizes, &keys, target(&sizes, LEX_TARGET, n / 30))
            .into_iter()
            .enumerate()
        {
            files.push(Pending::new(
                format!("{SEARCH_DIR}/lex/{k}.js"),
                format!("lex({k}"),
                join_in(
                    "[",
                    lex_entries[run.clone()].iter().map(String::as_str),
                    "]",
                ),
            ));
            lex_keys.push(if run.start == 0 {
                String::new()
            } else {
                separator(&self.terms[run.start - 1].text, &self.terms[run.start].text)
            });
        }

        // Facets: value → documents, and the manifest's value list.
        let mut facet_manifest = serde_json::Map::new();
        for (fi, name) in FACETS.iter().enumerate() {
            let mut values: BTreeMap<String, (String, Vec<u32>)> = BTreeMap::new();
            for (id, d) in docs.iter().enumerate() {
                for v in d.facet_values(fi) {
                    let label = if *name == "pack" && !d.pack_title.is_empty() {
                        d.pack_title.clone()
                    } else {
                        v.clone()
                    };
                    values
                        .entry(facet_key(&v))
                        .or_insert_with(|| (label, Vec::new()))
                        .1
                        .push(id as u32);
                }
            }
            let mut lists = serde_json::Map::new();
            let mut listed = Vec::new();
            for (key, (label, docs)) in &values {
                lists.insert(key.clone(), Value::from(encode_docs(docs)));
                listed.push(json!([key, label, docs.len()]));
            }
            facet_manifest.insert((*name).to_string(), Value::Array(listed));
            let name_json = serde_json::to_string(name).unwrap_or_default();
            files.push(Pending::new(
                format!("{SEARCH_DIR}/facets/{name}.js"),
                format!("facet({name_json}"),
                Value::Object(lists).to_string(),
            ));
        }

        // Documents: fragments in runs of consecutive ids, cut by their uncompressed size and
        // by their URLs (so an edit moves few cuts).
        let sizes: Vec<usize> = self.frags.iter().map(|f| f.len() + 1).collect();
        let url_keys: Vec<u64> = docs.iter().map(|d| fnv1a(d.url.as_bytes())).collect();
        let chunk_runs = runs(&sizes, &url_keys, target(&sizes, DOC_CHUNK_TARGET, n / 12));
        let chunk_starts: Vec<u32> = chunk_runs.iter().map(|r| r.start as u32).collect();
        for (c, run) in chunk_runs.into_iter().enumerate() {
            files.push(Pending::new(
                format!("{SEARCH_DIR}/docs/{c}.js"),
                format!("docs({c}"),
                join_in("[", self.frags[run].iter().map(String::as_str), "]"),
            ));
        }
        // Every file but the manifest is written compressed when that makes it smaller: on all
        // cores, in the order above.
        let mut made_anew = files.len();
        let mut files: Vec<OutFile> = match cache {
            None => files.into_par_iter().map(Pending::finish).collect(),
            Some(cache) => {
                let old = std::mem::take(cache);
                let made: Vec<(bool, String, String, String, OutFile)> = files
                    .into_par_iter()
                    .map(|p| match old.get(&p.path) {
                        Some((head, data, file)) if *head == p.head && *data == p.data => {
                            (false, p.path, p.head, p.data, file.clone())
                        }
                        _ => {
                            let (path, head, data) =
                                (p.path.clone(), p.head.clone(), p.data.clone());
                            (true, path, head, data, p.finish())
                        }
                    })
                    .collect();
                made_anew = made.iter().filter(|m| m.0).count();
                let mut out = Vec::with_capacity(made.len());
                for (_, path, head, data, file) in made {
                    out.push(file.clone());
                    cache.insert(path, (head, data, file));
                }
                out
            }
        };

        let manifest = json!({
            "format": FORMAT,
            "docs": self.n_docs,
            "chunks": encode_docs(&chunk_starts),
            "fields": TEXT_FIELDS.iter().zip(&self.tokens).map(|(f, t)| json!({"name": f.name, "boost": f.boost, "tokens": t})).collect::<Vec<_>>(),
            "fieldnorms": (0..=255u8).map(FieldNormReader::id_to_fieldnorm).collect::<Vec<_>>(),
            "lex": lex_keys,
            "stem": stemming.manifest_value(),
            "facets": facet_manifest,
        });
        files.push(script(
            &format!("{SEARCH_DIR}/manifest.js"),
            &format!("manifest({manifest})"),
        ));
        (files, made_anew)
    }
}

/// `open`, the `items` joined by commas, `close`.
fn join_in<'a>(open: &str, items: impl Iterator<Item = &'a str>, close: &str) -> String {
    let mut s = String::from(open);
    for (i, item) in items.enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(item);
    }
    s.push_str(close);
    s
}

/// 64-bit FNV-1a of `bytes`: a fixed function (unlike std's seeded hashers), so that where a
/// file is cut is the same in every build.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The JSON of document `d`'s fragment (what a result shows).
pub(super) fn fragment_json(d: &SearchDoc) -> String {
    serde_json::to_string(&fragment(d)).unwrap_or_default()
}

/// A list of document ids in increasing order as base64 of `varint(delta)`, the first delta
/// counted from -1 (facet lists and `manifest.chunks`; `decodeDocs` in search-core.js).
pub fn encode_docs(docs: &[u32]) -> String {
    let mut bytes = Vec::with_capacity(docs.len());
    let mut prev: i64 = -1;
    for &d in docs {
        varint(&mut bytes, (i64::from(d) - prev) as u64);
        prev = i64::from(d);
    }
    base64(&bytes)
}

/// One posting list (`(doc, tf)` in doc order) as a string: sparse (deltas, frequencies and
/// fieldnorm ids inline), or, when that is at least twice as long, dense: `~` then a bitmap
/// of the documents, their frequencies as 4-bit nibbles (15 = see the escapes) and the
/// escaped frequencies as varints; dense lists take fieldnorm ids from the field's norms file.
/// Returns the string and whether it is dense.
pub fn encode_postings(postings: &[(u32, u32)], norms: &[u8]) -> (String, bool) {
    let mut sparse = Vec::with_capacity(postings.len() * 3);
    let mut prev: i64 = -1;
    for &(doc, tf) in postings {
        let delta = (i64::from(doc) - prev) as u64;
        varint(&mut sparse, delta << 1 | u64::from(tf > 1));
        if tf > 1 {
            varint(&mut sparse, u64::from(tf));
        }
        sparse.push(norms.get(doc as usize).copied().unwrap_or(0));
        prev = i64::from(doc);
    }
    let dense_len = norms.len().div_ceil(8) + postings.len().div_ceil(2);
    if dense_len * 2 > sparse.len() {
        return (base64(&sparse), false);
    }
    let mut dense = vec![0u8; norms.len().div_ceil(8)];
    for &(doc, _) in postings {
        dense[doc as usize / 8] |= 1 << (doc % 8);
    }
    let mut escapes = Vec::new();
    for pair in postings.chunks(2) {
        let mut nib = |tf: u32| -> u8 {
            if tf >= 15 {
                varint(&mut escapes, u64::from(tf));
                15
            } else {
                tf as u8
            }
        };
        let lo = nib(pair[0].1);
        let hi = pair.get(1).map_or(0, |p| nib(p.1));
        dense.push(lo | hi << 4);
    }
    dense.extend(escapes);
    (format!("~{}", base64(&dense)), true)
}

/// A field's fieldnorm ids, palette-packed: `{"p": [distinct ids], "b": bits, "d": base64}`
/// where `d` holds each document's palette index in `b` bits, least significant bit first.
pub fn pack_norms(norms: &[u8]) -> Value {
    let mut palette: Vec<u8> = norms.to_vec();
    palette.sort_unstable();
    palette.dedup();
    let bits = (usize::BITS - palette.len().saturating_sub(1).leading_zeros()).max(1) as usize;
    let mut index = [0u8; 256];
    for (i, &p) in palette.iter().enumerate() {
        index[p as usize] = i as u8;
    }
    let mut out = vec![0u8; (norms.len() * bits).div_ceil(8)];
    for (d, &n) in norms.iter().enumerate() {
        let v = index[n as usize] as usize;
        for b in 0..bits {
            if v >> b & 1 == 1 {
                let at = d * bits + b;
                out[at / 8] |= 1 << (at % 8);
            }
        }
    }
    json!({"p": palette, "b": bits, "d": base64(&out)})
}

/// What the browser shows for one result.
#[derive(Serialize)]
struct Fragment<'a> {
    /// Title.
    t: &'a str,
    /// Root-relative URL.
    u: &'a str,
    /// Kind.
    k: &'a str,
    /// Types, level, pack title, tags.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    ty: &'a [String],
    #[serde(skip_serializing_if = "str::is_empty")]
    l: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    p: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    g: &'a [String],
    /// Planned (not written yet).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pl: bool,
    /// Description.
    #[serde(skip_serializing_if = "str::is_empty")]
    d: &'a str,
    /// Sections: `[anchor, heading, text]`.
    s: Vec<(&'a str, &'a str, String)>,
}

/// The longest prefix of `s` of at most `max` bytes that ends at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn fragment(d: &SearchDoc) -> Fragment<'_> {
    let mut sections = Vec::new();
    let mut budget = DOC_BYTES;
    let bounds: Vec<usize> = d
        .sections
        .iter()
        .map(|s| s.offset.min(d.body.len()))
        .chain([d.body.len()])
        .collect();
    for (i, s) in d.sections.iter().enumerate() {
        if budget == 0 {
            break;
        }
        let (from, to) = (bounds[i], bounds[i + 1].max(bounds[i]));
        let text = d.body.get(from..to).unwrap_or("").trim();
        let kept = cut(text, budget.min(SECTION_BYTES));
        budget -= kept.len();
        if kept.is_empty() && s.anchor.is_empty() {
            continue;
        }
        sections.push((s.anchor.as_str(), s.heading.as_str(), kept.to_string()));
    }
    if sections.is_empty() && d.sections.is_empty() && !d.body.is_empty() {
        sections.push(("", "", cut(&d.body, SECTION_BYTES).to_string()));
    }
    Fragment {
        t: &d.title,
        u: &d.url,
        k: &d.kind,
        ty: &d.types,
        l: &d.level,
        p: &d.pack_title,
        g: &d.tags,
        pl: d.planned,
        d: &d.description,
        s: sections,
    }
}

/// The size of the files a list of entries (`sizes` in bytes) is cut into: `base`, or more
/// when that would make more than `max_files` files (at least 1), so that the number of files
/// of the index grows with the number of pages, not with the vocabulary (a file count
/// bounded by the pages keeps deploys fast; see docs/search.md).
fn target(sizes: &[usize], base: usize, max_files: usize) -> usize {
    let total: usize = sizes.iter().sum();
    // A power of two (as `base` is), so that an edit changes it rarely.
    base.max(total.div_ceil(max_files.max(1)))
        .next_power_of_two()
}

/// Cuts a list of entries of `sizes` bytes into runs of consecutive entries of about
/// `target` bytes. Returns the runs, in order, covering all.
///
/// The cuts are content-defined, as a deduplicating backup's chunks are: a run is cut before
/// an entry once it holds half the target, with a probability of the entry's size over half
/// the target decided by the entry's `keys` hash (so about `target` bytes on average), and
/// always before an entry that would take it past twice the target (a single entry may exceed
/// that). Where a cut falls depends only on the entries since the previous cut, so an edit
/// that changes a few entries moves the cuts around them only, and the files further on keep
/// their bytes (`serve` then compresses only the files an edit changed).
fn runs(sizes: &[usize], keys: &[u64], target: usize) -> Vec<std::ops::Range<usize>> {
    let half = (target / 2).max(1) as u128;
    let mut out = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, &s) in sizes.iter().enumerate() {
        let by_key = size as u128 >= half && u128::from(keys[i] >> 32) * half < (s as u128) << 32;
        if i > start && (size + s > target * 2 || by_key) {
            out.push(start..i);
            (start, size) = (i, 0);
        }
        size += s;
    }
    if start < sizes.len() {
        out.push(start..sizes.len());
    }
    out
}

/// The shortest prefix of `next` (in characters) that sorts after `prev` (`prev < next`):
/// the manifest's key of a lexicon that starts with `next`. A term `t` is in the lexicon of
/// the last key `<= t`.
pub fn separator(prev: &str, next: &str) -> String {
    let mut end = 0;
    for (i, c) in next.char_indices() {
        end = i + c.len_utf8();
        if &next[..end] > prev {
            break;
        }
    }
    next[..end].to_string()
}

fn script(path: &str, call: &str) -> OutFile {
    OutFile::Bytes(path.to_string(), format!("{PREFIX}{call};\n").into_bytes())
}

/// What every index file's call starts with.
const PREFIX: &str = "window.__skillsiteSearch.";

/// An index file before compression: its path, its call up to the last argument (`docs(3`)
/// and that argument, JSON.
struct Pending {
    path: String,
    head: String,
    data: String,
}

impl Pending {
    fn new(path: String, head: String, data: String) -> Self {
        Pending { path, head, data }
    }

    /// The file: [`packed_script`] when that is smaller than the plain call (most are:
    /// postings are base64 text, fragments prose; a small file may not be).
    fn finish(self) -> OutFile {
        let packed = packed_script(&self.head, &self.data);
        // The plain call's length, `window.__skillsiteSearch.{head},{data});\n`, without making it.
        let plain_len = PREFIX.len() + self.head.len() + self.data.len() + 4;
        let text = if packed.len() < plain_len {
            packed
        } else {
            format!("{PREFIX}{},{});\n", self.head, self.data)
        };
        OutFile::Bytes(self.path, text.into_bytes())
    }
}

/// gzip level of the compressed index files ([`packed_script`]). The fragment files of
/// 10,000 generated pages (35.9 MB) with flate2's Rust backend, one core: level 1 makes
/// 39.8% of the bytes in 0.40 s, 2 31.6% in 0.52 s, 3 30.0% in 0.86 s, 6 29.5% in 1.68 s.
pub const GZIP_LEVEL: u32 = 3;

/// A script like [`script`] whose last argument, the JSON `data`, is written compressed:
/// `window.__skillsiteSearch.{head},"BASE64");` where the string is the standard base64
/// (unpadded) of `data` gzip-compressed (RFC 1952, no file name, time 0: the same input makes
/// the same bytes). `head` is the call up to its last argument (`docs(3`). The browser client
/// (`unpack` in search-core.js) tells a string from data by its type, checks the gzip magic
/// bytes `1f 8b` and decompresses with `DecompressionStream("gzip")`; [`unpack`] is the
/// same in Rust. A script rather than a `.gz` file, because a `fetch` fails from `file://`.
fn packed_script(head: &str, data: &str) -> String {
    let gz = gzip(data.as_bytes());
    let mut out = String::with_capacity(gz.len() * 4 / 3 + head.len() + 40);
    out.push_str(PREFIX);
    out.push_str(head);
    out.push_str(",\"");
    out.push_str(&base64(&gz));
    out.push_str("\");\n");
    out
}

/// `bytes` gzip-compressed at [`GZIP_LEVEL`], reproducibly ([`crate::util::gzip`]).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    crate::util::gzip::compress(bytes, GZIP_LEVEL)
}

/// The data of one index file's call: its last argument as JSON, decompressed when it is a
/// string of base64 gzip bytes ([`packed_script`]). For readers of the static index other
/// than the browser (tests, tools). `None` when `text` is not one
/// `window.__skillsiteSearch.NAME(...)` call or the data does not decode.
pub fn unpack(text: &str) -> Option<(String, Vec<Value>)> {
    let call = text.trim_end().strip_suffix(';')?;
    let call = call.strip_prefix(PREFIX)?;
    let open = call.find('(')?;
    let name = call[..open].to_string();
    let args: Vec<Value> =
        serde_json::from_str(&format!("[{}]", call[open + 1..].strip_suffix(')')?)).ok()?;
    let mut args = args;
    if let Some(Value::String(s)) = args.last() {
        let bytes = unbase64(s)?;
        let json = if bytes.starts_with(&[0x1f, 0x8b]) {
            use std::io::Read as _;
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut out)
                .ok()?;
            out
        } else {
            bytes
        };
        let data = serde_json::from_slice(&json).ok()?;
        *args.last_mut()? = data;
    }
    Some((name, args))
}

/// The inverse of [`base64`] (padding and whitespace not accepted).
pub(super) fn unbase64(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6 | u32::from(v)) & 0xffff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// Lowercase hex of the UTF-8 bytes of `key` (shard file names).
pub fn hex(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

/// LEB128: 7 bits per byte, high bit set on all but the last.
pub fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Standard base64 without padding.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..=c.len() {
            s.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `decodeDocs` in search-core.js does: base64, then `varint(delta)`s.
    fn decode_docs(s: &str) -> Vec<u32> {
        const A: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let sextets: Vec<u32> = s.chars().map(|c| A.find(c).unwrap() as u32).collect();
        let mut bytes = Vec::new();
        for group in sextets.chunks(4) {
            let n = group
                .iter()
                .enumerate()
                .fold(0u32, |n, (k, v)| n | v << (18 - 6 * k));
            bytes.extend((0..group.len() - 1).map(|k| (n >> (16 - 8 * k)) as u8));
        }
        let (mut out, mut prev, mut v, mut shift) = (Vec::new(), -1i64, 0u64, 0);
        for b in bytes {
            v |= u64::from(b & 127) << shift;
            shift += 7;
            if b & 128 == 0 {
                prev += v as i64;
                out.push(prev as u32);
                (v, shift) = (0, 0);
            }
        }
        out
    }

    #[test]
    fn document_lists_round_trip() {
        for docs in [
            vec![],
            vec![0],
            vec![0, 1, 2, 5, 130, 131, 20_000],
            vec![7, 300_000],
        ] {
            assert_eq!(decode_docs(&encode_docs(&docs)), docs);
        }
        // One byte per small gap: 2,000 chunk starts two apart fit in 2,667 characters.
        let starts: Vec<u32> = (0..2000).map(|i| i * 2).collect();
        assert_eq!(encode_docs(&starts).len(), 2667);
    }

    #[test]
    fn base64_matches_known_values() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg");
        assert_eq!(base64(b"fo"), "Zm8");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foob"), "Zm9vYg");
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }

    #[test]
    fn varints() {
        let mut v = Vec::new();
        varint(&mut v, 1);
        varint(&mut v, 300);
        assert_eq!(v, [1, 0xac, 0x02]);
    }

    #[test]
    fn dense_lists_use_a_bitmap() {
        let norms = vec![7u8; 16];
        let sparse = [(3u32, 1u32), (9, 2)];
        assert_eq!(
            encode_postings(&sparse, &norms),
            (base64(&[8, 7, 13, 2, 7]), false)
        );
        let all: Vec<(u32, u32)> = (0..16).map(|d| (d, if d == 5 { 20 } else { 1 })).collect();
        let (s, dense) = encode_postings(&all, &norms);
        assert!(dense);
        let mut want = vec![0xff, 0xff];
        want.extend([0x11, 0x11, 0xf1, 0x11, 0x11, 0x11, 0x11, 0x11, 20]);
        assert_eq!(s, format!("~{}", base64(&want)));
    }

    #[test]
    fn norms_are_palette_packed() {
        assert_eq!(
            pack_norms(&[40, 40, 41, 40]),
            json!({"p": [40, 41], "b": 1, "d": "BA"})
        );
        let v = pack_norms(&[1, 2, 3, 1, 9]);
        assert_eq!(v["b"], 2);
        // indexes 0,1,2,0,3 in 2 bits: 0b_00_10_01_00 = 0x24, then 0b11 = 0x03.
        assert_eq!(v["d"], base64(&[0x24, 0x03]));
    }

    #[test]
    fn runs_and_separators() {
        // Keys that cut only before entries of half the target or more (high bits all ones),
        // and past twice the target.
        let never = [u64::MAX; 10];
        assert_eq!(runs(&[5, 5, 5, 20, 1], &never, 20), [0..3, 3..5]);
        assert_eq!(runs(&[4; 10], &never, 10), [0..5, 5..10]);
        // A key of 0 cuts once half the target is reached.
        assert_eq!(
            runs(&[5, 5, 5, 5, 5], &[0; 5], 10),
            [0..1, 1..2, 2..3, 3..4, 4..5]
        );
        assert_eq!(runs(&[], &[], 10), Vec::<std::ops::Range<usize>>::new());
        // Content-defined: changing an entry's size moves only the cuts near it.
        let keys: Vec<u64> = (0..2000u64).map(|i| fnv1a(&i.to_le_bytes())).collect();
        let mut sizes = vec![40usize; 2000];
        let before = runs(&sizes, &keys, 1024);
        sizes[100] = 400;
        let after = runs(&sizes, &keys, 1024);
        let same = before.iter().filter(|r| after.contains(r)).count();
        assert!(
            same + 4 >= before.len(),
            "{} of {} runs kept",
            same,
            before.len()
        );
        let mean = 2000 * 40 / before.len();
        assert!((512..=2048).contains(&mean), "mean run {mean} bytes");
        // At most `max_files` files: the target grows with the total, by powers of two.
        assert_eq!(target(&[100; 100], 1000, 5), 2048);
        assert_eq!(target(&[100; 100], 1000, 0), 16_384);
        assert_eq!(target(&[1; 10], 1024, 5), 1024);
        assert_eq!(separator("deploy", "deployment"), "deploym");
        assert_eq!(separator("apple", "banana"), "b");
        assert_eq!(separator("在庫", "在宅"), "在宅");
        assert_eq!(hex("té"), "74c3a9");
    }

    #[test]
    fn fragments_are_grouped_in_runs_of_documents() {
        let docs: Vec<SearchDoc> = (0..40)
            .map(|i| SearchDoc {
                title: format!("Page {i}"),
                url: format!("p{i}.html"),
                kind: "page".into(),
                body: format!("word{i} ").repeat(500),
                sections: vec![crate::index::Section::default()],
                ..Default::default()
            })
            .collect();
        let files = crate::index::export_docs(docs).unwrap().files;
        let text = |path: &str| match files.iter().find(|f| f.path() == path) {
            Some(OutFile::Bytes(_, b)) => String::from_utf8(b.clone()).unwrap(),
            _ => panic!("no {path}"),
        };
        let data = |path: &str| {
            let (_, args) = unpack(&text(path)).unwrap_or_else(|| panic!("{path} does not unpack"));
            args
        };
        let manifest = text("search/manifest.js");
        let json = manifest
            .strip_prefix("window.__skillsiteSearch.manifest(")
            .and_then(|m| m.strip_suffix(");\n"))
            .unwrap();
        let chunks = serde_json::from_str::<Value>(json).unwrap()["chunks"].clone();
        let starts: Vec<usize> = decode_docs(chunks.as_str().unwrap())
            .into_iter()
            .map(|d| d as usize)
            .collect();
        assert_eq!(starts[0], 0);
        // About one file per 12 documents (greedy runs: at most one more).
        assert!(starts.len() > 1 && starts.len() <= 4, "{starts:?}");
        let mut seen = Vec::new();
        for (c, &start) in starts.iter().enumerate() {
            let path = format!("search/docs/{c}.js");
            let file = text(&path);
            assert!(
                file.starts_with(&format!("window.__skillsiteSearch.docs({c},\"H4sI")),
                "chunk {c} is gzip in base64: {file}"
            );
            let args = data(&path);
            assert_eq!(args[0], c);
            let frags = args[1].as_array().unwrap();
            let raw = serde_json::to_string(frags).unwrap();
            assert!(
                raw.len() <= 40 * (DOC_BYTES + 200) / 3 + DOC_BYTES + 400,
                "chunk {c}: {} bytes",
                raw.len()
            );
            // Repetitive prose: the file is a fraction of its data.
            assert!(
                file.len() * 3 < raw.len(),
                "{} of {}",
                file.len(),
                raw.len()
            );
            assert_eq!(seen.len(), start, "chunk {c} starts at document {start}");
            seen.extend(frags.iter().map(|f| f["t"].as_str().unwrap().to_string()));
        }
        // Every document once, in id order (tantivy's order is the input order here).
        let want: Vec<String> = (0..40).map(|i| format!("Page {i}")).collect();
        assert_eq!(seen, want);
    }
}
