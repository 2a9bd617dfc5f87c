//! JSON writing shared by the site (API, search index) and `check`'s report.

/// JSON that is safe to embed anywhere: `<`, `>` and `&` only ever occur
/// inside strings, where their `\u` escapes mean the same.
pub fn json_bytes(v: &impl serde::Serialize) -> Vec<u8> {
    let mut out = EscapeJson(Vec::new());
    // Writing into a Vec cannot fail; a value that cannot be serialized
    // (never the case for sitrep's own types) gives an empty file.
    if serde_json::to_writer(&mut out, v).is_err() {
        return Vec::new();
    }
    out.0
}

/// Escapes `<`, `>` and `&` as JSON is written, instead of copying the
/// whole text once per character (the search index of 10,000 runbooks is
/// 20 MB). Those bytes never occur inside a multi-byte UTF-8 character.
struct EscapeJson(Vec<u8>);

impl std::io::Write for EscapeJson {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for &b in buf {
            match b {
                b'<' => self.0.extend_from_slice(b"\\u003c"),
                b'>' => self.0.extend_from_slice(b"\\u003e"),
                b'&' => self.0.extend_from_slice(b"\\u0026"),
                _ => self.0.push(b),
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A sequence serialized from a fresh iterator, never collected.
pub struct Lazy<F>(pub F);

impl<F, I> serde::Serialize for Lazy<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: serde::Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_bytes_escapes_markup_inside_strings() {
        let v = serde_json::json!({"t": "</script><b>&amp; é"});
        let s = String::from_utf8(super::json_bytes(&v)).unwrap();
        assert_eq!(s, r#"{"t":"\u003c/script\u003e\u003cb\u003e\u0026amp; é"}"#);
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
