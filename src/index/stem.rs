//! The analyzer the index is built with: tantivy's `en_stem` chain (split on non-alphanumeric
//! characters, drop tokens of 40 bytes or more, lowercase, Snowball English stemmer) with the
//! stems remembered.
//!
//! Stemming is most of the analyzer's time (about a third of the index stage at 2,000 pages),
//! and prose repeats its words: each analyzer keeps the stem of every word it has seen. The
//! tokens are exactly those of tantivy's own `en_stem` (a unit test compares them), so an
//! index built with it reads and queries like one built with the default, and
//! `static/js/search-core.js` still implements the same chain.

use std::collections::HashMap;

use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};

/// Words remembered per analyzer before the cache starts again empty (a word and its stem are
/// a few dozen bytes: about 3 MB at the limit).
const MAX_WORDS: usize = 64 * 1024;

/// tantivy's `en_stem` analyzer, with [`CachedStemmer`] in place of its `Stemmer`.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(CachedStemmer)
        .build()
}

/// English stemming through tantivy's [`Stemmer`], remembering each word's stem. Expects
/// lowercased tokens, as [`Stemmer`] does.
#[derive(Clone, Copy, Debug, Default)]
pub struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner: tokenizer,
            stems: Stems::default(),
        }
    }
}

/// The tokenizer [`CachedStemmer`] makes; holds the cache.
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
    stems: Stems,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stems: &mut self.stems,
        }
    }
}

/// Words seen and their stems, and the stemmer for new words (tantivy's, on one raw token).
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

/// The token stream of [`CachedStemmerFilter`].
pub struct CachedStemmerStream<'a, T> {
    tail: T,
    stems: &'a mut Stems,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.stems.stem(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenizerManager;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        analyzer
            .token_stream(text)
            .process(&mut |t| out.push(t.clone()));
        out
    }

    #[test]
    fn same_tokens_as_tantivys_en_stem() {
        let mut ours = analyzer();
        let mut theirs = TokenizerManager::default().get("en_stem").unwrap();
        let texts = [
            "Dogs are the bests! Running runners ran; RUNNING again.",
            "Running dogs, running DOGS: déjà-vu généralement Straße naïve",
            "a-very-long-token-abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz short",
            "",
            "terraform state locking locks locked; Terraform's states",
        ];
        for text in texts {
            // Twice each, so the second pass comes from the cache.
            for _ in 0..2 {
                assert_eq!(tokens(&mut ours, text), tokens(&mut theirs, text), "{text}");
            }
        }
        let stems: Vec<String> = tokens(&mut ours, "Running dogs ran")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(stems, ["run", "dog", "ran"]);
    }
}
