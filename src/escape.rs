//! The one escaper for HTML and XML text: pages (through Tera), feeds,
//! the sitemap, badges, the JUnit report and the preview's error overlay.

/// Escapes `&`, `<`, `>`, `"` and `'` for element text and quoted
/// attribute values, and drops the characters XML 1.0 forbids (C0 controls
/// but tab, line feed and carriage return; U+FFFE and U+FFFF): one of them
/// in a record's title would make a feed ill-formed, and in HTML they are
/// parse errors that show as nothing. (Tera's own escaper also rewrites
/// `/`, which makes every URL unreadable.)
pub fn markup(s: &str) -> String {
    // Most texts need nothing: one scan, one copy.
    if !s.bytes().any(|b| {
        matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | 0xEF)
            || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
    }) {
        return s.to_owned();
    }
    let mut o = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if !allowed_in_xml(c) => {}
            c => o.push(c),
        }
    }
    o
}

/// Whether XML 1.0 allows the character in a document (its `Char` rule;
/// Rust's `char` already excludes surrogates).
pub fn allowed_in_xml(c: char) -> bool {
    !((c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}'))
}

#[cfg(test)]
mod tests {
    use super::markup;

    #[test]
    fn escapes_markup_and_drops_what_xml_forbids() {
        assert_eq!(markup("plain text/with slashes"), "plain text/with slashes");
        assert_eq!(
            markup(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
        assert_eq!(markup("a\u{1}b\u{8}c\td\ne\rf"), "abc\td\ne\rf");
        assert_eq!(markup("x\u{fffe}y\u{ffff}z\u{fffd}"), "xyz\u{fffd}");
        assert_eq!(markup("Störung — 障害"), "Störung — 障害");
    }
}
