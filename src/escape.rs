//! The one escaper for HTML and XML text: pages (through Tera), feeds,
//! the sitemap, badges, the JUnit report and the preview's error overlay.

/// Escapes `&`, `<`, `>`, `"` and `'` for element text and quoted
/// attribute values, and drops the characters XML 1.0 forbids (C0 controls
/// but tab, line feed and carriage return; U+FFFE and U+FFFF): one of them
/// in a record's title would make a feed ill-formed, and in HTML they are
/// parse errors that show as nothing. (Tera's own escaper also rewrites
/// `/`, which makes every URL unreadable.)
pub fn markup(s: &str) -> String {
    // One pass over the bytes, copying the runs between the characters that
    // change. Each of those is one ASCII byte, or U+FFFE/U+FFFF (EF BF BE/BF),
    // so every slice boundary below is a character boundary.
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    let (mut last, mut i) = (0, 0);
    while i < b.len() {
        let (with, len) = match b[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            c if c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r') => ("", 1),
            0xEF if b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)) => {
                ("", 3)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(s.get(last..i).unwrap_or(""));
        out.push_str(with);
        i += len;
        last = i;
    }
    out.push_str(s.get(last..).unwrap_or(""));
    out
}

/// `%20` → ` `; `None` for a malformed escape or bytes that are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A path as a URL: bytes outside the characters a path may hold as they
/// are (letters, digits, `-._~/!$&'()*+,;=:@`) become `%XX`, so `a#b.png`
/// and `100%.png` stay file names.
pub fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{markup, percent_decode, percent_encode_path};

    /// The plain definition the byte loop must match.
    fn reference(s: &str) -> String {
        s.chars()
            .filter(|c| {
                !((*c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
                    || matches!(c, '\u{fffe}' | '\u{ffff}'))
            })
            .map(|c| match c {
                '&' => "&amp;".to_owned(),
                '<' => "&lt;".to_owned(),
                '>' => "&gt;".to_owned(),
                '"' => "&quot;".to_owned(),
                '\'' => "&#39;".to_owned(),
                c => c.to_string(),
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn matches_the_plain_definition(s in "(\\PC|[&<>\"'\u{0}-\u{1f}\u{fffd}-\u{ffff}\u{f000}])*") {
            proptest::prop_assert_eq!(markup(&s), reference(&s));
        }
    }

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

    #[test]
    fn paths_are_encoded_once() {
        assert_eq!(
            percent_encode_path("img/a#b c?.png"),
            "img/a%23b%20c%3F.png"
        );
        assert_eq!(percent_encode_path("100%.png"), "100%25.png");
        assert_eq!(percent_encode_path("ü.png"), "%C3%BC.png");
        let p = "img/a#b 100%.png";
        assert_eq!(percent_decode(&percent_encode_path(p)).as_deref(), Some(p));
    }
}
