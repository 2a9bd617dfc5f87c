//! The search index, split as Pagefind splits its own: a small manifest,
//! the words in chunks by alphabetical range, and the results' titles and
//! excerpts in fragments of a few documents. A reader's browser fetches the
//! manifest, the chunk of each word typed and the fragments of the results
//! it shows: a few tens of KB per query whatever the size of the site.
//!
//! `static/search.js` reads these files; its tokenizer is this one's twin.

use rayon::prelude::*;
use serde_json::json;
use std::borrow::Cow;
use std::collections::HashMap;

/// Documents per fragment file: ten results cost at most ten small files.
pub const FRAGMENT_DOCS: usize = 8;
/// A chunk closes once it holds this many bytes of postings.
const CHUNK_BYTES: usize = 20 * 1024;
/// Longer "words" are hashes, base64 or URLs: no one types them.
const MAX_WORD: usize = 40;
/// The excerpt shown under a result.
const EXCERPT: usize = 160;

/// One page as the index sees it.
pub struct Doc {
    pub title: String,
    pub url: String,
    pub kind: &'static str,
    /// Searched, not shown: headings and text.
    pub body: String,
    /// Shown under the title.
    pub excerpt: String,
}

/// The files of the index, by path below `search/`.
pub struct Index {
    pub manifest: Vec<u8>,
    pub chunks: Vec<Vec<u8>>,
    pub fragments: Vec<Vec<u8>>,
}

fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFF66..=0xFF9F | 0x20000..=0x2FFFF)
}

/// The words of `text`, lower-cased: runs of letters and digits, and in
/// Chinese and Japanese (written without spaces) every pair of characters.
/// `emit` gets each word, and the same as a slice of `text` when it was
/// already in lower case: the others are lower-cased into one buffer, so
/// that a word the index has already costs no allocation.
pub fn words<'t>(text: &'t str, mut emit: impl FnMut(&str, Option<&'t str>)) {
    let mut buf = String::new();
    // (start, needs lower-casing) of the word being read.
    let mut word: Option<(usize, bool)> = None;
    // (start of the previous CJK character, characters in the run).
    let mut cjk: Option<(usize, usize)> = None;
    let mut emit_word =
        |start: usize, end: usize, lower: bool, emit: &mut dyn FnMut(&str, Option<&'t str>)| {
            let w: &'t str = &text[start..end];
            // Bytes first: counting characters of every word cost more than
            // hashing it.
            let too_long = w.len() > MAX_WORD && w.chars().nth(MAX_WORD).is_some();
            if !lower {
                if !too_long {
                    emit(w, Some(w));
                }
                return;
            }
            if !too_long {
                buf.clear();
                buf.extend(w.chars().flat_map(char::to_lowercase));
                emit(&buf, None);
            }
            // And its parts, when it is written in camel case as alert
            // names are (`etcdHighFsyncDurations`: etcd, high, fsync, …).
            for part in camel_parts(w) {
                buf.clear();
                buf.extend(part.chars().flat_map(char::to_lowercase));
                if buf == part {
                    emit(part, Some(part));
                } else {
                    emit(&buf, None);
                }
            }
        };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII, most of any runbook, without decoding characters.
        if b < 0x80 {
            if let Some((prev, run)) = cjk.take() {
                if run == 1 {
                    {
                        let w = &text[prev..i];
                        emit(w, Some(w));
                    }
                }
            }
            if b.is_ascii_alphanumeric() {
                let upper = b.is_ascii_uppercase();
                match &mut word {
                    Some((_, lower)) => *lower |= upper,
                    None => word = Some((i, upper)),
                }
            } else if let Some((start, lower)) = word.take() {
                emit_word(start, i, lower, &mut emit);
            }
            i += 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let len = c.len_utf8();
        if is_cjk(c) {
            if let Some((start, lower)) = word.take() {
                emit_word(start, i, lower, &mut emit);
            }
            match cjk {
                Some((prev, run)) => {
                    {
                        let w = &text[prev..i + len];
                        emit(w, Some(w));
                    }
                    cjk = Some((i, run + 1));
                }
                None => cjk = Some((i, 1)),
            }
            i += len;
            continue;
        }
        if let Some((prev, run)) = cjk.take() {
            if run == 1 {
                {
                    let w = &text[prev..i];
                    emit(w, Some(w));
                }
            }
        }
        if c.is_alphanumeric() {
            let upper = !c.is_lowercase() && c.to_lowercase().next() != Some(c);
            match &mut word {
                Some((_, lower)) => *lower |= upper,
                None => word = Some((i, upper)),
            }
        } else if let Some((start, lower)) = word.take() {
            emit_word(start, i, lower, &mut emit);
        }
        i += len;
    }
    if let Some((start, lower)) = word {
        emit_word(start, text.len(), lower, &mut emit);
    }
    if let Some((prev, 1)) = cjk {
        {
            let w = &text[prev..];
            emit(w, Some(w));
        }
    }
}

/// The parts of a camel-case word, split before each capital that follows
/// a small letter or a digit; none when there is no such capital.
fn camel_parts(w: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut from, mut prev_small) = (0, false);
    for (i, c) in w.char_indices() {
        if c.is_uppercase() && prev_small {
            parts.push(&w[from..i]);
            from = i;
        }
        prev_small = c.is_lowercase() || c.is_numeric();
    }
    if parts.is_empty() {
        return parts;
    }
    parts.push(&w[from..]);
    parts.retain(|p| p.chars().nth(MAX_WORD).is_none());
    parts
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                s.push(B64[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// A sorted list of document numbers: the gaps in base 36 joined by `,`,
/// or, where shorter (a word on most pages), `#` and a bitmap in base64.
pub fn encode_postings(ids: &[u32], docs: usize) -> String {
    let mut gaps = String::new();
    let mut last = 0u32;
    for (i, &id) in ids.iter().enumerate() {
        if i > 0 {
            gaps.push(',');
        }
        push_base36(&mut gaps, id - if i == 0 { 0 } else { last });
        last = id;
    }
    let bitmap_len = docs.div_ceil(8).div_ceil(3) * 4 + 1;
    if gaps.len() <= bitmap_len {
        return gaps;
    }
    let mut bits = vec![0u8; docs.div_ceil(8)];
    for &id in ids {
        bits[id as usize / 8] |= 1 << (id % 8);
    }
    format!("#{}", base64(&bits))
}

fn push_base36(s: &mut String, mut n: u32) {
    let mut buf = [0u8; 8];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    s.push_str(std::str::from_utf8(&buf[i..]).unwrap_or("0"));
}

/// Every word's documents, and those that have it in their title.
/// foldhash rather than std's SipHash: a large site looks up millions of
/// words here, and no reader chooses them to collide.
type Postings<'d> = HashMap<Cow<'d, str>, Lists, foldhash::fast::FixedState>;

/// A word's documents, and those with the word in their title.
type Lists = (Vec<u32>, Vec<u32>);

fn postings<'d>(docs: &'d [Doc]) -> Postings<'d> {
    // Parts of the site in parallel, each in document order, then joined
    // in that order: every list comes out sorted, each id once. A few
    // parts per thread: each part's map grows to most of the vocabulary.
    let part_len = docs
        .len()
        .div_ceil(rayon::current_num_threads() * 4)
        .max(256);
    let parts: Vec<Postings<'d>> = docs
        .par_chunks(part_len)
        .enumerate()
        .map(|(n, part)| {
            let mut map: Postings<'d> = HashMap::default();
            for (i, d) in part.iter().enumerate() {
                let id = (n * part_len + i) as u32;
                let mut add = |w: &str, borrowed: Option<&'d str>, title: bool| {
                    let e = match map.get_mut(w) {
                        Some(e) => e,
                        None => {
                            let key =
                                borrowed.map_or_else(|| Cow::Owned(w.to_owned()), Cow::Borrowed);
                            map.entry(key).or_default()
                        }
                    };
                    if e.0.last() != Some(&id) {
                        e.0.push(id);
                    }
                    if title && e.1.last() != Some(&id) {
                        e.1.push(id);
                    }
                };
                words(&d.title, |w, b| add(w, b, true));
                words(&d.body, |w, b| add(w, b, false));
            }
            map
        })
        .collect();
    let mut parts = parts.into_iter();
    let mut out = parts.next().unwrap_or_default();
    for part in parts {
        for (w, (all, title)) in part {
            let e = out.entry(w).or_default();
            e.0.extend(all);
            e.1.extend(title);
        }
    }
    out
}

fn excerpt(text: &str) -> String {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() <= EXCERPT {
        return t;
    }
    let cut: String = t.chars().take(EXCERPT).collect();
    // Whole words: back to the last space when there is one.
    let cut = match cut.rfind(' ') {
        Some(i) if i > EXCERPT / 2 => &cut[..i],
        _ => &cut,
    };
    format!("{cut}…")
}

pub fn build(docs: &[Doc], language: &str) -> Index {
    let n = docs.len();
    let map = postings(docs);
    let mut words: Vec<(&str, &Lists)> = map.iter().map(|(w, p)| (w.as_ref(), p)).collect();
    words.sort_unstable_by_key(|(w, _)| *w);
    // `"word":["postings","title postings"]`, written in parallel.
    let entries: Vec<String> = words
        .par_iter()
        .map(|(w, (all, title))| {
            let mut e = serde_json::to_string(w).unwrap_or_default();
            e.push_str(":[\"");
            e.push_str(&encode_postings(all, n));
            e.push_str("\",\"");
            e.push_str(&encode_postings(title, n));
            e.push_str("\"]");
            e
        })
        .collect();
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    let mut firsts: Vec<&str> = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    for ((w, _), e) in words.iter().zip(&entries) {
        // Closed before a word that would take it over the size, so that
        // only a word alone (on most pages) makes a larger chunk.
        if !current.is_empty() && current.len() + e.len() >= CHUNK_BYTES {
            current.push(b'}');
            chunks.push(std::mem::take(&mut current));
        }
        if current.is_empty() {
            firsts.push(w);
            current.push(b'{');
        } else {
            current.push(b',');
        }
        current.extend_from_slice(e.as_bytes());
    }
    if !current.is_empty() {
        current.push(b'}');
        chunks.push(current);
    }
    let fragments: Vec<Vec<u8>> = docs
        .par_chunks(FRAGMENT_DOCS)
        .map(|part| {
            let list: Vec<_> = part
                .iter()
                .map(|d| json!([d.title, d.url, d.kind, excerpt(&d.excerpt)]))
                .collect();
            crate::json::json_bytes(&list)
        })
        .collect();
    // A version from the content, so that a browser's cached chunk of an
    // older build is never read with a newer manifest. foldhash with a
    // fixed seed: the same bytes give the same version, at memory speed.
    let version = {
        use std::hash::{BuildHasher, Hasher};
        let mut h = foldhash::quality::FixedState::with_seed(0).build_hasher();
        for f in chunks.iter().chain(fragments.iter()) {
            h.write(f);
            h.write_u8(0);
        }
        h.finish()
    };
    let manifest = crate::json::json_bytes(&json!({
        "version": format!("{version:016x}"),
        "language": language,
        "docs": n,
        "fragment": FRAGMENT_DOCS,
        "chunks": firsts,
    }));
    Index {
        manifest,
        chunks,
        fragments,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        words(text, |w, _| v.push(w.to_owned()));
        v
    }

    #[test]
    fn words_are_lower_cased_runs_and_cjk_pairs() {
        assert_eq!(
            all("Fail-over of DB_2, ÉTAT"),
            ["fail", "over", "of", "db", "2", "état"]
        );
        assert_eq!(all("障害対応 a 障"), ["障害", "害対", "対応", "a", "障"]);
        assert_eq!(all(&"x".repeat(41)), Vec::<String>::new());
    }

    /// The tokenizer as first written, a character at a time: the ASCII
    /// fast path must cut every text the same way.
    fn reference(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut word = String::new();
        let mut prev: Option<char> = None;
        let mut run = 0;
        let flush = |word: &mut String, out: &mut Vec<String>| {
            let low: String = word.chars().flat_map(char::to_lowercase).collect();
            if !word.is_empty() && word.chars().count() <= MAX_WORD {
                out.push(low);
            }
            // Camel parts where the fast path lower-cases: a character
            // whose lower case is another one.
            if word
                .chars()
                .any(|c| !c.is_lowercase() && c.to_lowercase().next() != Some(c))
            {
                out.extend(camel_parts(word).iter().map(|p| p.to_lowercase()));
            }
            word.clear();
        };
        for c in text.chars() {
            if is_cjk(c) {
                flush(&mut word, &mut out);
                if let Some(p) = prev {
                    out.push(format!("{p}{c}"));
                }
                prev = Some(c);
                run += 1;
                continue;
            }
            if run == 1 {
                out.push(prev.map(String::from).unwrap_or_default());
            }
            (prev, run) = (None, 0);
            if c.is_alphanumeric() {
                word.push(c);
            } else {
                flush(&mut word, &mut out);
            }
        }
        flush(&mut word, &mut out);
        if run == 1 {
            out.push(prev.map(String::from).unwrap_or_default());
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn the_fast_tokenizer_cuts_as_the_reference(text in "(\\PC|[ A-Za-z0-9_.-]){0,80}") {
            proptest::prop_assert_eq!(all(&text), reference(&text));
        }
    }

    #[test]
    fn camel_case_words_are_found_by_their_parts() {
        assert_eq!(
            all("etcdHighFsyncDurations VirtAPIDown plain Title"),
            [
                "etcdhighfsyncdurations",
                "etcd",
                "high",
                "fsync",
                "durations",
                "virtapidown",
                "virt",
                "apidown",
                "plain",
                "title"
            ]
        );
    }

    #[test]
    fn postings_take_the_shorter_encoding() {
        assert_eq!(encode_postings(&[3, 40, 41], 1000), "3,11,1");
        let dense: Vec<u32> = (0..100).collect();
        let e = encode_postings(&dense, 100);
        assert!(e.starts_with('#'), "{e}");
        // 100 bits = 13 bytes = 20 base64 characters.
        assert_eq!(e.len(), 21);
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
    }

    #[test]
    fn chunks_cover_every_word_in_order() {
        let docs: Vec<Doc> = (0..300)
            .map(|i| Doc {
                title: format!("Runbook {i}"),
                url: format!("/r/{i}/"),
                kind: "runbook",
                body: format!("word{i} shared text{}", i % 7),
                excerpt: "x".into(),
            })
            .collect();
        let idx = build(&docs, "en");
        let m: serde_json::Value = serde_json::from_slice(&idx.manifest).unwrap();
        let firsts: Vec<&str> = m["chunks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(firsts.len(), idx.chunks.len());
        assert!(firsts.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(idx.fragments.len(), 300usize.div_ceil(FRAGMENT_DOCS));
        let mut seen = 0;
        for c in &idx.chunks {
            let o: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(c).unwrap();
            seen += o.len();
        }
        // 300 word<i>, shared, text0..6, runbook, 0..299 as numbers.
        assert_eq!(seen, 300 + 1 + 7 + 1 + 300);
    }
}
