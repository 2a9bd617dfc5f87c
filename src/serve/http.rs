//! HTTP details of the preview server: safe request paths, content types.

use super::live::Served;

/// The output-relative path a request asks for, or `None` when it is not a
/// safe path inside the output (`..`, encoded separators, backslashes).
pub fn request_path(url: &str, base: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = crate::escape::percent_decode(path)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let rest = decoded
        .strip_prefix(base)
        .or_else(|| (decoded.clone() + "/").strip_prefix(base).map(|_| ""))?;
    let mut parts = Vec::new();
    for seg in rest.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    // A segment that was an encoded `/` must not make a new path.
    if path.to_ascii_lowercase().contains("%2f") || path.to_ascii_lowercase().contains("%5c") {
        return None;
    }
    let joined = parts.join("/");
    if joined.is_empty() || rest.ends_with('/') {
        Some(if joined.is_empty() {
            "index.html".to_owned()
        } else {
            format!("{joined}/index.html")
        })
    } else {
        Some(joined)
    }
}

pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "atom" => "application/atom+xml",
        "rss" => "application/rss+xml",
        "ics" => "text/calendar; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" | "md" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Finds the file for a request: exact, or a folder's `index.html`.
pub fn lookup<'a>(files: &'a Served, rel: &str) -> Option<(&'a str, &'a [u8])> {
    if let Some((k, v)) = files.get_key_value(rel) {
        return Some((k.as_str(), v.as_slice()));
    }
    let idx = format!("{}/index.html", rel.trim_end_matches('/'));
    files
        .get_key_value(&idx)
        .map(|(k, v)| (k.as_str(), v.as_slice()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_paths() {
        assert_eq!(request_path("/", "/").as_deref(), Some("index.html"));
        assert_eq!(
            request_path("/runbooks/a/", "/").as_deref(),
            Some("runbooks/a/index.html")
        );
        assert_eq!(
            request_path("/static/style.css?x=1", "/").as_deref(),
            Some("static/style.css")
        );
        assert_eq!(
            request_path("/ops/runbooks/", "/ops/").as_deref(),
            Some("runbooks/index.html")
        );
        assert_eq!(request_path("/ops", "/ops/").as_deref(), Some("index.html"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a%2f..%2fb",
            "/a\\..\\b",
            "/static/%5c..",
            "/%ff",
        ] {
            assert_eq!(request_path(bad, "/"), None, "{bad}");
        }
        assert_eq!(request_path("/other/", "/ops/"), None);
    }
}
