//! `sitrep serve`: build in memory and serve it. The site is never written
//! to disk, so a `public/` built for deployment is never touched.

use crate::cli::{color_enabled, totals};
use crate::output;
use crate::render::{pages::Files, render_site, BuildOptions};
use anyhow::{anyhow, Result};
use std::path::Path;
use std::process::ExitCode;

/// The output-relative path a request asks for, or `None` when it is not a
/// safe path inside the output (`..`, encoded separators, backslashes).
pub fn request_path(url: &str, base: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
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

fn percent_decode(s: &str) -> Option<String> {
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
pub fn lookup<'a>(files: &'a Files, rel: &str) -> Option<(&'a str, &'a [u8])> {
    if let Some((k, v)) = files.get_key_value(rel) {
        return Some((k.as_str(), v.as_slice()));
    }
    let idx = format!("{}/index.html", rel.trim_end_matches('/'));
    files
        .get_key_value(&idx)
        .map(|(k, v)| (k.as_str(), v.as_slice()))
}

pub fn run(root: &Path, opts: &BuildOptions, bind: &str, port: u16) -> Result<ExitCode> {
    let rendered = render_site(root, opts)?;
    let Some(files) = rendered.files else {
        let inputs: Vec<_> = rendered
            .diags
            .iter()
            .filter(|d| d.is_input())
            .cloned()
            .collect();
        eprint!(
            "{}",
            output::human(&inputs, root, totals(&rendered.site), color_enabled())
        );
        eprintln!("error: input errors stand; fix them and run `sitrep serve` again");
        return Ok(ExitCode::from(1));
    };
    let base = rendered.site.config.base_path();
    let server = tiny_http::Server::http((bind, port))
        .map_err(|e| anyhow!("cannot listen on {bind}:{port}: {e}"))?;
    let addr = server
        .server_addr()
        .to_ip()
        .map_or_else(|| format!("{bind}:{port}"), |a| a.to_string());
    println!(
        "serving {} pages at http://{addr}{base} (Ctrl-C to stop)",
        files.len()
    );
    for req in server.incoming_requests() {
        let (status, path, body) =
            match request_path(req.url(), &base).and_then(|p| lookup(&files, &p)) {
                Some((p, b)) => (200, p.to_owned(), b.to_vec()),
                None => (
                    404,
                    "404.html".to_owned(),
                    files.get("404.html").cloned().unwrap_or_default(),
                ),
            };
        let head = matches!(req.method(), tiny_http::Method::Head);
        let header =
            tiny_http::Header::from_bytes(&b"Content-Type"[..], content_type(&path).as_bytes())
                .map_err(|()| anyhow!("bad header"))?;
        let len = body.len();
        let resp = tiny_http::Response::new(
            tiny_http::StatusCode(status),
            vec![header],
            std::io::Cursor::new(if head { Vec::new() } else { body }),
            Some(len),
            None,
        );
        let _ = req.respond(resp);
    }
    Ok(ExitCode::SUCCESS)
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
