//! The analyzer of the search index: how text becomes terms, in every script. The same rules
//! are implemented in `static/js/search-core.js` (`tokens`), so the browser finds what the CLI
//! finds; a unit test here and the parity test (`tests/browser_search.rs`) compare them.
//!
//! 1. **Runs.** Text is cut into runs of *word characters* (Unicode `Alphabetic`, `Numeric`
//!    or a combining mark, `General_Category=M`) and runs of *CJK characters* (the ranges of
//!    [`is_cjk`]: Han, Hiragana, Katakana with the prolonged sound mark `ー`, Hangul);
//!    anything else separates. A word run stops where a CJK run starts (`PostgreSQL数据库` is
//!    `postgresql` + CJK). Marks are word characters so that Devanagari, Arabic or Thai words
//!    with vowel signs stay whole (tantivy's `SimpleTokenizer` cut them at every virama).
//!    Splitting on every non-word character (not UAX #29, which keeps `example.com` and
//!    `3.14` whole) keeps identifiers findable by their parts and is exact to port to JS
//!    (`Intl.Segmenter` uses ICU's dictionaries and differs from `unicode-segmentation`).
//! 2. **CJK bigrams.** A CJK run of one character is one term; a longer run gives its
//!    overlapping bigrams (`在庫管理` → `在庫`, `庫管`, `管理`), at consecutive positions, so a
//!    word inside a longer run is found by its bigrams and a phrase query matches the run.
//!    This is the dictionary-free segmentation of Lucene's `CJKBigramFilter` and Pagefind's
//!    fallback; queries are segmented the same way, and every bigram must match.
//! 3. **Long runs** of [`MAX_TOKEN_BYTES`] UTF-8 bytes or more (hashes, base64, a 200 KB
//!    token) are dropped, as tantivy's `RemoveLongFilter::limit(40)` does.
//! 4. **Lowercase** each character (`char::to_lowercase`), then **fold diacritics** of
//!    non-ASCII terms: compatibility decomposition (NFKD), combining marks U+0300–U+036F
//!    removed, recomposed (NFC): `Café` → `cafe`, `ｆｕｌｌ` → `full`, `ガ` stays `ガ` (its
//!    voicing mark U+3099 is not in the removed block).
//! 5. **Stem** with the Snowball English stemmer (tantivy's, cached: [`super::stem`]) only when
//!    the site's language is English ([`Stemming::English`]); CJK terms are never stemmed.

use std::collections::HashMap;

use tantivy::tokenizer::{
    Language, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Runs of this many UTF-8 bytes or more are not indexed (tantivy's `en_stem` limit).
pub const MAX_TOKEN_BYTES: usize = 40;

/// Words remembered per analyzer before the stem cache starts again empty.
const MAX_WORDS: usize = 64 * 1024;

/// Whether terms are stemmed, from the site's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stemming {
    /// Snowball English (the language tag is `en` or `en-*`).
    English,
    /// No stemming (any other language: no stemmer of ours fits it).
    None,
}

impl Stemming {
    /// The stemming for BCP 47 tag `lang` (`en`, `en-GB` → English; `ja`, `zh-CN`, `fr`... →
    /// none; an empty tag counts as English, the default of book.toml).
    pub fn for_language(lang: &str) -> Stemming {
        let primary = lang.trim().split(['-', '_']).next().unwrap_or("");
        if primary.is_empty() || primary.eq_ignore_ascii_case("en") {
            Stemming::English
        } else {
            Stemming::None
        }
    }

    /// The tantivy tokenizer name the schema uses for this stemming.
    pub fn tokenizer_name(self) -> &'static str {
        match self {
            Stemming::English => "skillsite_en",
            Stemming::None => "skillsite",
        }
    }

    /// The manifest's `stem` value (`"en"` or `""`), read by the browser client.
    pub fn manifest_value(self) -> &'static str {
        match self {
            Stemming::English => "en",
            Stemming::None => "",
        }
    }
}

/// Registers both analyzers on `index`, so an index of either stemming can be written,
/// queried and highlighted.
pub fn register(index: &tantivy::Index) {
    for s in [Stemming::English, Stemming::None] {
        index.tokenizers().register(s.tokenizer_name(), analyzer(s));
    }
}

/// The analyzer for `stemming`, as a tantivy [`TextAnalyzer`].
pub fn analyzer(stemming: Stemming) -> TextAnalyzer {
    TextAnalyzer::from(SkillsiteTokenizer::new(stemming))
}

/// Whether `c` is a CJK character segmented into bigrams: Hiragana U+3041–U+309F, Katakana
/// U+30A0–U+30FA and U+30FC–U+30FF (the middle dot U+30FB separates), Katakana phonetic
/// extensions U+31F0–U+31FF, halfwidth Katakana U+FF66–U+FF9F, the iteration marks and `〇`
/// U+3005–U+3007, Han (CJK Unified Ideographs U+4E00–U+9FFF, extension A U+3400–U+4DBF,
/// compatibility U+F900–U+FAFF, extensions B–I U+20000–U+323AF), Hangul syllables
/// U+AC00–U+D7AF, Hangul Jamo U+1100–U+11FF and compatibility Jamo U+3131–U+318E.
/// `static/js/search-core.js` (`isCjk`) has the same ranges.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3041..=0x309F
        | 0x30A0..=0x30FA
        | 0x30FC..=0x30FF
        | 0x31F0..=0x31FF
        | 0xFF66..=0xFF9F
        | 0x3005..=0x3007
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x323AF
        | 0xAC00..=0xD7AF
        | 0x1100..=0x11FF
        | 0x3131..=0x318E)
}

/// Whether `c` belongs to a word run (not CJK): alphabetic, numeric or a combining mark.
pub fn is_word(c: char) -> bool {
    !is_cjk(c) && (c.is_alphanumeric() || is_combining_mark(c))
}

/// Lowercases `word` and folds its diacritics (steps 4 of the module documentation).
pub fn normalize(word: &str) -> String {
    let lower: String = word.chars().flat_map(char::to_lowercase).collect();
    if lower.is_ascii() {
        return lower;
    }
    lower
        .nfkd()
        .filter(|c| !matches!(*c as u32, 0x0300..=0x036F))
        .nfc()
        .collect()
}

/// A piece of text to index: byte range in the source and whether it is a CJK run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset after the last character.
    pub end: usize,
    /// A CJK run (bigrams) rather than a word.
    pub cjk: bool,
}

/// The word and CJK runs of `text`, in order (step 1).
pub fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut cur: Option<Run> = None;
    for (i, c) in text.char_indices() {
        let class = if is_cjk(c) {
            Some(true)
        } else if is_word(c) {
            Some(false)
        } else {
            None
        };
        match (class, cur.as_mut()) {
            (Some(cjk), Some(r)) if r.cjk == cjk => r.end = i + c.len_utf8(),
            (Some(cjk), _) => {
                out.extend(cur.take());
                cur = Some(Run {
                    start: i,
                    end: i + c.len_utf8(),
                    cjk,
                });
            }
            (None, _) => out.extend(cur.take()),
        }
    }
    out.extend(cur);
    out
}

/// The terms of `text` with their byte ranges, as the index makes them (every step of the
/// module documentation). Positions are the indexes in the returned list.
pub fn terms(text: &str, stemming: Stemming) -> Vec<(String, usize, usize)> {
    let mut stems = Stems::default();
    let mut out = Vec::new();
    terms_into(text, stemming, &mut stems, &mut |t, s, e| {
        out.push((t, s, e));
    });
    out
}

/// The terms (analyzed) of `text`, without offsets.
pub fn analyze(text: &str, stemming: Stemming) -> Vec<String> {
    terms(text, stemming).into_iter().map(|t| t.0).collect()
}

fn terms_into(
    text: &str,
    stemming: Stemming,
    stems: &mut Stems,
    emit: &mut dyn FnMut(String, usize, usize),
) {
    for run in runs(text) {
        if run.end - run.start >= MAX_TOKEN_BYTES && !run.cjk {
            continue;
        }
        let s = &text[run.start..run.end];
        if run.cjk {
            let chars: Vec<(usize, char)> = s.char_indices().collect();
            if chars.len() == 1 {
                emit(normalize(s), run.start, run.end);
                continue;
            }
            for w in chars.windows(2) {
                let from = w[0].0;
                let to = w[1].0 + w[1].1.len_utf8();
                emit(normalize(&s[from..to]), run.start + from, run.start + to);
            }
        } else {
            let mut word = normalize(s);
            if stemming == Stemming::English {
                stems.stem(&mut word);
            }
            emit(word, run.start, run.end);
        }
    }
}

/// Words seen and their English stems, and the stemmer for new words (tantivy's).
#[derive(Clone)]
struct Stems {
    seen: HashMap<String, String>,
    stemmer: TextAnalyzer,
}

impl Default for Stems {
    fn default() -> Self {
        Stems {
            seen: HashMap::new(),
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
        }
    }
}

impl Stems {
    /// Replaces `word` by its stem.
    fn stem(&mut self, word: &mut String) {
        if let Some(stem) = self.seen.get(word.as_str()) {
            word.clone_from(stem);
            return;
        }
        let stem = {
            let mut stream = self.stemmer.token_stream(word);
            if stream.advance() {
                stream.token().text.clone()
            } else {
                word.clone()
            }
        };
        if self.seen.len() >= MAX_WORDS {
            self.seen.clear();
        }
        self.seen
            .insert(std::mem::replace(word, stem.clone()), stem);
    }
}

/// The tantivy tokenizer of [`analyzer`]: the whole chain in one pass, the stem cache kept
/// across texts.
#[derive(Clone)]
pub struct SkillsiteTokenizer {
    stemming: Stemming,
    stems: Stems,
    tokens: Vec<Token>,
}

impl SkillsiteTokenizer {
    /// A tokenizer with an empty stem cache.
    pub fn new(stemming: Stemming) -> Self {
        SkillsiteTokenizer {
            stemming,
            stems: Stems::default(),
            tokens: Vec::new(),
        }
    }
}

impl Tokenizer for SkillsiteTokenizer {
    type TokenStream<'a> = SkillsiteTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.tokens.clear();
        let tokens = &mut self.tokens;
        terms_into(text, self.stemming, &mut self.stems, &mut |t, s, e| {
            let position = tokens.len();
            tokens.push(Token {
                offset_from: s,
                offset_to: e,
                position,
                text: t,
                position_length: 1,
            });
        });
        SkillsiteTokenStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

/// The token stream of [`SkillsiteTokenizer`].
pub struct SkillsiteTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl TokenStream for SkillsiteTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// The language of a text by its letters: `ja` when CJK characters are at least a third of
/// the letters and some of them are Hiragana or Katakana (at least 5% of the CJK ones), `ko`
/// for Hangul, `zh` for Han alone; otherwise `None` (leave the configured default). Used
/// when book.toml sets no `language`, so that a Chinese or Japanese site is not published as
/// `lang="en"` nor stemmed as English.
pub fn detect_language<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<&'static str> {
    let (mut letters, mut han, mut kana, mut hangul) = (0u64, 0u64, 0u64, 0u64);
    for t in texts {
        for c in t.chars() {
            if is_cjk(c) {
                letters += 1;
                match c as u32 {
                    0x3041..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => kana += 1,
                    0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3131..=0x318E => hangul += 1,
                    _ => han += 1,
                }
            } else if c.is_alphabetic() {
                letters += 1;
            }
        }
    }
    let cjk = han + kana + hangul;
    if letters == 0 || cjk * 3 < letters {
        return None;
    }
    Some(if hangul * 2 >= cjk {
        "ko"
    } else if kana * 20 >= cjk {
        "ja"
    } else {
        "zh"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str, s: Stemming) -> Vec<String> {
        analyze(text, s)
    }

    #[test]
    fn english_words_are_stemmed_like_en_stem() {
        let mut theirs = tantivy::tokenizer::TokenizerManager::default()
            .get("en_stem")
            .unwrap();
        // ASCII text without marks: the same terms as tantivy's en_stem.
        for text in [
            "Dogs are the bests! Running runners ran; RUNNING again.",
            "a-very-long-token-abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz short",
            "terraform state locking locks locked; Terraform's states",
            "",
        ] {
            let mut want = Vec::new();
            theirs
                .token_stream(text)
                .process(&mut |tok| want.push(tok.text.clone()));
            assert_eq!(t(text, Stemming::English), want, "{text}");
        }
        assert_eq!(
            t("Running dogs ran", Stemming::None),
            ["running", "dogs", "ran"]
        );
    }

    #[test]
    fn cjk_runs_become_bigrams() {
        assert_eq!(t("在庫管理", Stemming::None), ["在庫", "庫管", "管理"]);
        assert_eq!(t("在", Stemming::None), ["在"]);
        assert_eq!(
            t("PostgreSQL数据库 v2", Stemming::English),
            ["postgresql", "数据", "据库", "v2"]
        );
        assert_eq!(
            t("サプライチェーン・在庫", Stemming::None),
            ["サプ", "プラ", "ライ", "イチ", "チェ", "ェー", "ーン", "在庫"]
        );
        assert_eq!(t("코드 리뷰", Stemming::None), ["코드", "리뷰"]);
        // Offsets are byte ranges of the source.
        let terms = terms("a 在庫を", Stemming::None);
        assert_eq!(
            terms,
            [
                ("a".to_string(), 0, 1),
                ("在庫".to_string(), 2, 8),
                ("庫を".to_string(), 5, 11)
            ]
        );
    }

    #[test]
    fn diacritics_fold_and_marks_stay_in_words() {
        assert_eq!(
            t("Café déjà-vu NAÏVE", Stemming::None),
            ["cafe", "deja", "vu", "naive"]
        );
        assert_eq!(
            t("ｆｕｌｌ ガイド", Stemming::None),
            ["full", "ガイ", "イド"]
        );
        // Devanagari with a virama (U+094D) is one word.
        assert_eq!(t("हिन्दी", Stemming::None), ["हिन्दी"]);
        assert_eq!(
            t("Привет, мир! Γειά σου", Stemming::None),
            ["привет", "мир", "γεια", "σου"]
        );
        // Long runs are dropped; emoji and symbols separate.
        assert_eq!(
            t(&"x".repeat(200_000), Stemming::English),
            Vec::<String>::new()
        );
        assert_eq!(
            t("🚀deploy<script>", Stemming::English),
            ["deploy", "script"]
        );
    }

    #[test]
    fn languages() {
        assert_eq!(Stemming::for_language("en-GB"), Stemming::English);
        assert_eq!(Stemming::for_language("ja"), Stemming::None);
        assert_eq!(detect_language(["在庫を管理するスキルです。"]), Some("ja"));
        assert_eq!(detect_language(["代码审查的技能"]), Some("zh"));
        assert_eq!(detect_language(["코드 리뷰 기술"]), Some("ko"));
        assert_eq!(detect_language(["Deploy with Terraform, 在庫"]), None);
        assert_eq!(detect_language([""]), None);
    }

    #[test]
    fn tokenizer_positions_follow_terms() {
        let mut a = analyzer(Stemming::English);
        let mut got = Vec::new();
        a.token_stream("Running 在庫管理")
            .process(&mut |tok| got.push((tok.text.clone(), tok.position)));
        assert_eq!(
            got,
            [
                ("run".to_string(), 0),
                ("在庫".to_string(), 1),
                ("庫管".to_string(), 2),
                ("管理".to_string(), 3)
            ]
        );
    }
}
