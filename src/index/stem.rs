//! English stemming with a cache: the same stems as tantivy's `Stemmer` (the same `frostem`
//! algorithm, so indexes made with either agree), at a fraction of the cost on news text,
//! where a few thousand words make most of the tokens. The cache is per thread.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::cell::RefCell;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Words remembered per thread; the cache starts afresh when full (a few MB at most).
const CACHE_WORDS: usize = 50_000;

thread_local! {
    /// Word → its stem (`None`: the word is its own stem), shared by every analyzer of the
    /// thread: the indexing threads and a search's snippets alike make new analyzers often.
    static CACHE: RefCell<HashMap<Box<str>, Option<Box<str>>>> = RefCell::new(HashMap::default());
}

/// The English stemmer as a token filter, remembering the stems it computed.
#[derive(Clone, Default)]
pub struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { inner }
    }
}

/// See [`CachedStemmer`].
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: None,
        }
    }
}

/// See [`CachedStemmer`].
pub struct CachedStemmerStream<T> {
    tail: T,
    /// Made on the first cache miss of the stream.
    stemmer: Option<frostem::Stemmer>,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let stemmer = &mut self.stemmer;
        CACHE.with_borrow_mut(|cache| {
            let stem = match cache.get(token.text.as_str()) {
                Some(stem) => stem.as_deref(),
                None => {
                    let stemmer = stemmer
                        .get_or_insert_with(|| frostem::Stemmer::new(frostem::Algorithm::English));
                    let stem = match stemmer.stem(&token.text) {
                        Cow::Borrowed(s) if s == token.text => None,
                        other => Some(other.into_owned().into_boxed_str()),
                    };
                    if cache.len() >= CACHE_WORDS {
                        cache.clear();
                    }
                    cache
                        .entry(token.text.as_str().into())
                        .or_insert(stem)
                        .as_deref()
                }
            };
            if let Some(stem) = stem {
                token.text.clear();
                token.text.push_str(stem);
            }
        });
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
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn same_stems_as_tantivys_stemmer_cached_or_not() {
        let text = "Ministers were meeting the striking dockworkers; the ministers' meetings \
                    continued, generously, as negotiations resumed and talks were relaunched. \
                    Ministers meeting again: sky skies dying lying news";
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(tantivy::tokenizer::Language::English))
            .build();
        let mut cached = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(CachedStemmer)
            .build();
        let expected = tokens(&mut plain, text);
        assert!(expected.contains(&"minist".to_string()), "{expected:?}");
        // Twice: the second time every word comes from the cache.
        assert_eq!(tokens(&mut cached, text), expected);
        assert_eq!(tokens(&mut cached, text), expected);
    }
}
