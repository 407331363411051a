//! The static search export re-run for a change set (`serve`): an edit re-encodes the terms
//! of the documents it changed and compresses again only the index files whose bytes change.
//!
//! [`Incremental`] keeps what the last export was made of ([`export`]'s tables: every term's
//! encoded posting and position strings, the fieldnorms, the token totals, the fragments) and
//! the files it made. Given the documents of the next export it finds those that differ (same
//! number of documents, same stemming; anything else is a full export), indexes their old and
//! new versions in two small tantivy indexes with the site's schema and analyzers (so their
//! terms, frequencies, positions and fieldnorms are tantivy's own), takes the old postings out
//! of the terms they were in and puts the new ones in. The file cuts are content-defined
//! (`export::runs`), so the shards, lexicons and fragment files away from the edit keep their
//! bytes and are taken from the last export instead of being compressed again.
//!
//! The result is the same, byte for byte, as a fresh [`export::export`] of the same documents;
//! the tests below check that over random edits, and `tests/serve.rs` checks every served
//! byte against a fresh build.

use std::collections::{BTreeMap, HashSet};

use super::export::{self, encode_positions, encode_postings, FileCache, Tables, TermRow};
use super::schema::TEXT_FIELDS;
use super::{analyze::Stemming, build_index_with, index_stemming, SearchDoc};
use crate::render::OutFile;

/// What the last export was made of, for the next one ([`Incremental::export`]).
pub struct Incremental {
    /// The documents exported, in id order.
    docs: Vec<SearchDoc>,
    stemming: Stemming,
    tables: Tables,
    cache: FileCache,
}

/// How an [`Incremental::export`] went: for `serve`'s log and the tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Documents re-indexed (all of them for a full export).
    pub docs: usize,
    /// Whether it was a full export.
    pub full: bool,
    /// Index files made anew (the rest were the last export's).
    pub compressed: usize,
    /// Files in the export.
    pub files: usize,
}

/// More changed documents than this share of all, and a full export is as quick.
const FULL_SHARE: usize = 4;

impl Incremental {
    /// The static search files of `docs` (as [`super::export_docs`] makes them), re-using
    /// `last` where the documents are the same. Returns what the next export needs, the
    /// files and what was done.
    ///
    /// Errors: tantivy failures (as a message).
    pub fn export(
        last: Option<Incremental>,
        docs: Vec<SearchDoc>,
    ) -> Result<(Incremental, Vec<OutFile>, Stats), String> {
        let stemming = index_stemming(&docs);
        let Some(mut inc) = last.filter(|l| l.stemming == stemming && l.docs.len() == docs.len())
        else {
            return Self::full(docs, stemming);
        };
        let changed: Vec<usize> = (0..docs.len())
            .filter(|&i| docs[i] != inc.docs[i])
            .collect();
        if changed.len() * FULL_SHARE > docs.len().max(1) {
            return Self::full(docs, stemming);
        }
        if !changed.is_empty() {
            splice(&mut inc.tables, &inc.docs, &docs, &changed, stemming)
                .map_err(|e| e.to_string())?;
        }
        inc.docs = docs;
        let (files, compressed) = inc.tables.files(&inc.docs, stemming, Some(&mut inc.cache));
        let stats = Stats {
            docs: changed.len(),
            full: false,
            compressed,
            files: files.len(),
        };
        Ok((inc, files, stats))
    }

    fn full(
        docs: Vec<SearchDoc>,
        stemming: Stemming,
    ) -> Result<(Incremental, Vec<OutFile>, Stats), String> {
        let n = docs.len();
        let built = build_index_with(docs, None, stemming).map_err(|e| e.to_string())?;
        let tables = Tables::read(&built).map_err(|e| e.to_string())?;
        let mut cache = FileCache::new();
        let (files, compressed) = tables.files(&built.docs, stemming, Some(&mut cache));
        let stats = Stats {
            docs: n,
            full: true,
            compressed,
            files: files.len(),
        };
        Ok((
            Incremental {
                docs: built.docs,
                stemming,
                tables,
                cache,
            },
            files,
            stats,
        ))
    }
}

/// Postings of a small index by field and term: `(doc of the change set, tf, positions)`.
type Small = Vec<BTreeMap<String, Vec<(u32, u32, Vec<u32>)>>>;

/// Indexes `docs` alone and returns their postings (documents numbered as in `docs`), their
/// fieldnorm ids (`[field][doc]`) and their token totals per field.
fn small_index(
    docs: Vec<SearchDoc>,
    stemming: Stemming,
) -> tantivy::Result<(Small, Vec<Vec<u8>>, Vec<u64>)> {
    let n = docs.len();
    let built = build_index_with(docs, None, stemming)?;
    // A handful of documents, one writer thread: one segment, whose ids are the order of
    // `docs` (what `build_index_with` reorders by is then the identity).
    debug_assert_eq!(built.docs.len(), n);
    let seg = export::read_postings(&built)?;
    let mut small: Small = vec![BTreeMap::new(); TEXT_FIELDS.len()];
    for (i, term, list) in seg.postings {
        small[i].insert(term, list);
    }
    Ok((small, seg.norms, seg.tokens))
}

/// Replaces documents `changed` of `tables` (made of `old`) by their versions in `new`.
fn splice(
    tables: &mut Tables,
    old: &[SearchDoc],
    new: &[SearchDoc],
    changed: &[usize],
    stemming: Stemming,
) -> tantivy::Result<()> {
    let (old_small, _, old_tokens) =
        small_index(changed.iter().map(|&i| old[i].clone()).collect(), stemming)?;
    let (new_small, new_norms, new_tokens) =
        small_index(changed.iter().map(|&i| new[i].clone()).collect(), stemming)?;
    let ids: Vec<u32> = changed.iter().map(|&i| i as u32).collect();
    let gone: HashSet<u32> = ids.iter().copied().collect();
    // Fieldnorms first: every posting list re-encoded below reads them.
    for f in 0..TEXT_FIELDS.len() {
        for (j, &d) in ids.iter().enumerate() {
            tables.norms[f][d as usize] = new_norms[f].get(j).copied().unwrap_or(0);
        }
        tables.tokens[f] = tables.tokens[f] - old_tokens[f] + new_tokens[f];
    }
    let n_docs = tables.n_docs as usize;
    let mut touched: HashSet<String> = HashSet::new();
    for f in 0..TEXT_FIELDS.len() {
        let terms: std::collections::BTreeSet<&String> =
            old_small[f].keys().chain(new_small[f].keys()).collect();
        for term in terms {
            let at = match tables.terms.binary_search_by(|t| t.text.as_str().cmp(term)) {
                Ok(at) => at,
                Err(at) => {
                    tables.terms.insert(at, TermRow::new(term.clone()));
                    at
                }
            };
            let row = &mut tables.terms[at];
            let pairs = decode_postings(&row.postings[f], n_docs);
            let positioned = TEXT_FIELDS[f].positions;
            let positions = if positioned {
                decode_positions(&row.positions[f], &pairs)
            } else {
                vec![Vec::new(); pairs.len()]
            };
            let mut list: Vec<(u32, u32, Vec<u32>)> = pairs
                .into_iter()
                .zip(positions)
                .filter(|((d, _), _)| !gone.contains(d))
                .map(|((d, tf), p)| (d, tf, p))
                .collect();
            if let Some(added) = new_small[f].get(term) {
                list.extend(
                    added
                        .iter()
                        .map(|(j, tf, p)| (ids[*j as usize], *tf, p.clone())),
                );
            }
            list.sort_by_key(|(d, _, _)| *d);
            let pairs: Vec<(u32, u32)> = list.iter().map(|(d, tf, _)| (*d, *tf)).collect();
            row.lens[f] = pairs.len() as u32;
            row.postings[f] = if pairs.is_empty() {
                String::new()
            } else {
                encode_postings(&pairs, &tables.norms[f]).0
            };
            if positioned {
                row.positions[f] = encode_positions(list.iter().map(|(_, _, p)| p.as_slice()));
            }
            touched.insert(term.clone());
        }
    }
    tables.terms.retain(|t| t.df() > 0);
    for row in tables
        .terms
        .iter_mut()
        .filter(|t| touched.contains(&t.text))
    {
        row.refresh();
    }
    for &d in changed {
        tables.frags[d] = export::fragment_json(&new[d]);
    }
    Ok(())
}

/// The `(doc, tf)` list of a posting string ([`encode_postings`], sparse or dense) of an
/// index of `n_docs` documents; empty for `""` or a string that does not decode.
fn decode_postings(s: &str, n_docs: usize) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    if s.is_empty() {
        return out;
    }
    if let Some(dense) = s.strip_prefix('~') {
        let Some(bytes) = export::unbase64(dense) else {
            return out;
        };
        let map = n_docs.div_ceil(8).min(bytes.len());
        let docs: Vec<u32> = (0..map * 8)
            .filter(|&d| bytes[d / 8] >> (d % 8) & 1 == 1)
            .map(|d| d as u32)
            .collect();
        let nibbles = &bytes[map..(map + docs.len().div_ceil(2)).min(bytes.len())];
        let mut escapes = bytes[(map + nibbles.len()).min(bytes.len())..]
            .iter()
            .copied();
        for (k, &d) in docs.iter().enumerate() {
            let nib = nibbles
                .get(k / 2)
                .map_or(0, |b| if k % 2 == 0 { b & 15 } else { b >> 4 });
            let tf = if nib == 15 {
                read_varint(&mut escapes) as u32
            } else {
                u32::from(nib)
            };
            out.push((d, tf));
        }
        return out;
    }
    let Some(bytes) = export::unbase64(s) else {
        return out;
    };
    let mut it = bytes.into_iter();
    let mut prev: i64 = -1;
    while it.len() > 0 {
        let v = read_varint(&mut it);
        prev += (v >> 1) as i64;
        let tf = if v & 1 == 1 {
            read_varint(&mut it) as u32
        } else {
            1
        };
        it.next(); // the fieldnorm id, re-read from the tables when encoding
        out.push((prev as u32, tf));
    }
    out
}

/// The positions of each posting of `pairs` from a position string ([`encode_positions`]).
fn decode_positions(s: &str, pairs: &[(u32, u32)]) -> Vec<Vec<u32>> {
    let bytes = export::unbase64(s).unwrap_or_default();
    let mut it = bytes.into_iter();
    pairs
        .iter()
        .map(|&(_, tf)| {
            let mut prev = 0u32;
            (0..tf)
                .map(|_| {
                    prev += read_varint(&mut it) as u32;
                    prev
                })
                .collect()
        })
        .collect()
}

/// One LEB128 value ([`export::varint`]); 0 at the end of the input.
fn read_varint(it: &mut impl Iterator<Item = u8>) -> u64 {
    let (mut v, mut shift) = (0u64, 0);
    for b in it.by_ref() {
        v |= u64::from(b & 127) << shift;
        shift += 7;
        if b & 128 == 0 {
            break;
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::Section;

    /// A small deterministic random generator (xorshift), so a failure repeats.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const WORDS: &[&str] = &[
        "deploy",
        "rollback",
        "terraform",
        "state",
        "secret",
        "rotate",
        "kubernetes",
        "pod",
        "canary",
        "incident",
        "page",
        "runbook",
        "skill",
        "agent",
        "hook",
        "server",
        "cache",
        "index",
        "shard",
        "lexicon",
        "fragment",
        "build",
        "serve",
        "watch",
        "在庫",
        "管理",
    ];

    /// `min` plus up to `spread - 1` random words.
    fn text(rng: &mut Rng, min: usize, spread: usize) -> String {
        let words = min + rng.below(spread.max(1));
        (0..words)
            .map(|_| {
                let w = WORDS[rng.below(WORDS.len())];
                // Some words of their own, so that edits add and remove terms.
                if rng.below(6) == 0 {
                    format!("{w}{}", rng.below(500))
                } else {
                    w.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn doc(rng: &mut Rng, i: usize) -> SearchDoc {
        // Some documents long enough for dense posting lists and large fieldnorms.
        let body = if i % 7 == 0 {
            text(rng, 400, 1)
        } else {
            text(rng, 5, 80)
        };
        SearchDoc {
            title: text(rng, 1, 4),
            url: format!("p/{i}.html"),
            kind: ["page", "skill", "runbook"][i % 3].into(),
            headings: {
                let n = rng.below(4);
                (0..n).map(|_| text(rng, 2, 1)).collect()
            },
            sections: vec![Section::default()],
            description: text(rng, 0, 10),
            code: if rng.below(3) == 0 {
                text(rng, 6, 1)
            } else {
                String::new()
            },
            tags: vec![WORDS[rng.below(5)].into()],
            body,
            ..SearchDoc::default()
        }
    }

    fn fresh(docs: &[SearchDoc]) -> Vec<OutFile> {
        crate::index::export_docs(docs.to_vec()).unwrap().files
    }

    #[test]
    fn edits_give_the_bytes_of_a_fresh_export() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut docs: Vec<SearchDoc> = (0..300).map(|i| doc(&mut rng, i)).collect();
        let (mut inc, files, stats) = Incremental::export(None, docs.clone()).unwrap();
        assert!(stats.full);
        assert_eq!(files, fresh(&docs));
        let mut reused = 0;
        for round in 0..12 {
            // One to three documents edited: a new body, title, headings or a removed body.
            for _ in 0..1 + rng.below(3) {
                let i = rng.below(docs.len());
                match rng.below(4) {
                    0 => docs[i].body = text(&mut rng, 3, 200),
                    1 => docs[i].title = text(&mut rng, 2, 1),
                    2 => docs[i].headings.push(text(&mut rng, 3, 1)),
                    _ => docs[i].body.clear(),
                }
            }
            let (next, files, stats) = Incremental::export(Some(inc), docs.clone()).unwrap();
            inc = next;
            assert!(!stats.full, "round {round}: {stats:?}");
            let want = fresh(&docs);
            assert_eq!(files.len(), want.len(), "round {round}");
            for (got, want) in files.iter().zip(&want) {
                assert_eq!(got, want, "round {round}: {}", want.path());
            }
            assert!(
                stats.compressed < stats.files - 1,
                "round {round}: {stats:?}"
            );
            reused += stats.files - stats.compressed;
        }
        assert!(reused > 0, "no file was taken from the last export");
    }

    #[test]
    fn other_documents_give_a_full_export() {
        let mut rng = Rng(7);
        let docs: Vec<SearchDoc> = (0..20).map(|i| doc(&mut rng, i)).collect();
        let (inc, _, _) = Incremental::export(None, docs.clone()).unwrap();
        let fewer = docs[..19].to_vec();
        let (_, files, stats) = Incremental::export(Some(inc), fewer.clone()).unwrap();
        assert!(stats.full);
        assert_eq!(files, fresh(&fewer));
    }

    #[test]
    fn postings_decode() {
        let norms = vec![3u8; 40];
        for list in [
            vec![(0u32, 1u32), (5, 2), (39, 300)],
            (0..40).map(|d| (d, 1 + d % 20)).collect(),
        ] {
            let (s, _) = encode_postings(&list, &norms);
            assert_eq!(decode_postings(&s, 40), list, "{s}");
        }
        let pos = vec![vec![1u32, 4, 9], vec![0]];
        let s = encode_positions(pos.iter().map(Vec::as_slice));
        assert_eq!(decode_positions(&s, &[(0, 3), (1, 1)]), pos);
    }
}
