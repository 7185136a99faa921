//! An `async fn` that is a method.
//!
//! `&mut self` is an argument like any other: the state machine stores the
//! reference (under another name: `self` is a keyword) and the returned
//! future borrows the cache until it completes, so the caller
//! cannot touch the cache while a lookup is in flight.

use crate::sim::async_read_file;
use explicit_async::explicit_async;
use std::collections::HashMap;

/// Remembers the files it has read.
#[derive(Debug, Default)]
pub struct FileCache {
    entries: HashMap<String, String>,
    misses: usize,
}

impl FileCache {
    /// An empty cache.
    pub fn new() -> Self {
        FileCache::default()
    }

    /// How many lookups had to read the file.
    pub fn misses(&self) -> usize {
        self.misses
    }

    /// The content of `path`, read on the first lookup and cached after.
    #[explicit_async]
    pub async fn get(&mut self, path: &str) -> String {
        if let Some(content) = self.entries.get(path) {
            return content.clone();
        }
        self.misses += 1;
        let content = async_read_file(path).await;
        self.entries.insert(path.to_owned(), content.clone());
        content
    }
}
