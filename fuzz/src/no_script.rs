//! The one check every fuzz target and the seed replay make of HTML:
//! no script, no event handler, no `javascript:`/`data:` link.

/// The attribute names of a tag's text (`a href="x" title='y'` → href,
/// title), values skipped with their quotes.
fn attribute_names(tag: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut chars = tag.chars().skip_while(|c| !c.is_whitespace()).peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == '/') {
            chars.next();
        }
        let name: String =
            std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace() && *c != '=')).collect();
        if name.is_empty() {
            break;
        }
        names.push(name);
        if chars.next_if_eq(&'=').is_some() {
            match chars.peek().copied() {
                Some(q @ ('"' | '\'')) => {
                    chars.next();
                    for c in chars.by_ref() {
                        if c == q {
                            break;
                        }
                    }
                }
                _ => while chars.next_if(|c| !c.is_whitespace()).is_some() {},
            }
        }
    }
    names
}

/// HTML from `markdown` must carry no script: no `<script` tag, no event
/// handler attribute, and no `javascript:`/`vbscript:`/`data:` URL in an
/// `href` or `src`.
pub fn assert_no_script(html: &str, input: &str) {
    let lower = html.to_ascii_lowercase();
    // Text has `<` as `&lt;` and attribute values have `>` as `&gt;`, so
    // each raw `<` … `>` is one tag of the output.
    for tag in lower.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        assert!(
            !tag.starts_with("script"),
            "a <script> tag in the HTML of {input:?}:\n{html}"
        );
        // Raw HTML is kept when allow-listed: its attributes never carry
        // an event handler.
        for name in attribute_names(tag) {
            assert!(
                !(name.starts_with("on") && name.len() > 2),
                "an event handler `{name}` in the HTML of {input:?}:\n{html}"
            );
        }
        for attr in [" href=\"", " src=\""] {
            let Some(i) = tag.find(attr) else { continue };
            let value: String = tag[i + attr.len()..]
                .split('"')
                .next()
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect();
            for scheme in ["javascript:", "vbscript:", "data:"] {
                assert!(
                    !value.starts_with(scheme),
                    "a {scheme} URL in the HTML of {input:?}:\n{html}"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::assert_no_script;

    #[test]
    fn handlers_and_scripts_are_caught_text_is_not() {
        for bad in [
            "<img src=x onerror=alert(1)>",
            "<p><b onclick='x()'>b</b></p>",
            "<a href=\"javascript:x\">a</a>",
            "<script>x</script>",
        ] {
            assert!(
                std::panic::catch_unwind(|| assert_no_script(bad, "t")).is_err(),
                "{bad}"
            );
        }
        assert_no_script("<abbr title=\"on=x\">d</abbr> &lt;x onerror=1&gt;", "t");
    }
}
