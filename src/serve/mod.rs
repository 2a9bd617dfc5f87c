//! `sitrep serve`: the preview loop. The site is rendered into memory and
//! never written to disk, so a `public/` built for deployment is never
//! touched. A watcher rebuilds what changed; open pages reload by
//! themselves; input errors show in an overlay over the last good site.

pub mod http;
pub mod live;
mod watch;

use crate::diag::Diagnostic;
use crate::escape::markup;
use crate::output;
use crate::output::Totals;
use crate::pipeline::BuildOptions;
use crate::term::color_enabled;
use anyhow::{anyhow, Result};
use live::Served;
use live::{Live, Rebuild};
use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, SystemTime};

const EVENTS: &str = "__sitrep/events";
const SCRIPT: &str = "__sitrep/live.js";
const LIVE_JS: &str = include_str!("live.js");
/// How long an event request waits for a rebuild before it ends (the
/// browser reconnects at once, and the page's generation in the URL means
/// no rebuild is missed in between). Short, because browsers allow six
/// connections per host: many open tabs must not starve page loads.
const EVENT_WAIT: Duration = Duration::from_secs(5);
const WORKERS: usize = 8;

/// What the request threads read.
struct Shared {
    files: Arc<Served>,
    modified: HashMap<String, SystemTime>,
    /// The overlay while input errors stand.
    overlay: Option<String>,
    generation: u64,
}

type State = Arc<(Mutex<Shared>, Condvar)>;

fn overlay_html(errors: &[Diagnostic]) -> String {
    let mut s = String::from(
        "<div id=\"sitrep-overlay\" role=\"alert\" style=\"position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:2147483647;background:#fff8f7;color:#3b0a05;border-top:4px solid #b42318;padding:1rem 1.25rem;font:14px/1.45 ui-monospace,Menlo,Consolas,monospace\">",
    );
    s.push_str(&format!(
        "<p style=\"margin:0 0 .5rem;font-weight:700\">sitrep: {} input error{} — showing the last good build until they are fixed</p><ul style=\"margin:0;padding-left:1.25rem\">",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    ));
    for d in errors.iter().take(50) {
        s.push_str(&format!(
            "<li><strong>{}</strong> {}:{}:{}: {}</li>",
            markup(d.rule.id),
            markup(&d.file),
            d.line,
            d.column,
            markup(&d.message)
        ));
    }
    s.push_str("</ul></div>");
    s
}

fn etag(bytes: &[u8], generation_part: &str) -> String {
    let h = crate::hash::fnv1a([bytes]);
    format!("\"{h:016x}{generation_part}\"")
}

fn header(name: &str, value: &str) -> Option<tiny_http::Header> {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

/// Adds the live-reload script (and the overlay) before `</body>`.
fn inject(html: &[u8], base: &str, generation: u64, overlay: Option<&str>) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let extra = format!(
        "{}<script src=\"{base}{SCRIPT}\" data-events=\"{base}{EVENTS}\" data-generation=\"{generation}\"></script>",
        overlay.unwrap_or("")
    );
    match text.rfind("</body>") {
        Some(i) => format!(
            "{}{extra}{}",
            text.get(..i).unwrap_or(""),
            text.get(i..).unwrap_or("")
        )
        .into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

fn respond(req: tiny_http::Request, state: &State, base: &str) {
    let url = req.url().to_owned();
    let path_only = url.split('?').next().unwrap_or("");
    if path_only == format!("{base}{EVENTS}") {
        // Held open until a rebuild, on a thread of its own so that open
        // tabs never starve the workers.
        let state = Arc::clone(state);
        std::thread::spawn(move || events(req, &url, &state));
        return;
    }
    let head = matches!(req.method(), tiny_http::Method::Head);
    let (files, generation, overlay, modified) = {
        let Ok(s) = state.0.lock() else { return };
        let rel = http::request_path(&url, base);
        let modified = rel.as_ref().and_then(|r| s.modified.get(r).copied());
        (
            Arc::clone(&s.files),
            s.generation,
            s.overlay.clone(),
            modified,
        )
    };
    let (status, path, body): (u16, String, Vec<u8>) = if path_only == format!("{base}{SCRIPT}") {
        (200, "live.js".into(), LIVE_JS.as_bytes().to_vec())
    } else {
        match http::request_path(&url, base).as_deref().and_then(|p| http::lookup(&files, p)) {
            Some((p, b)) => (200, p.to_owned(), b.to_vec()),
            None if files.is_empty() => (
                503,
                "error.html".into(),
                b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>sitrep: input errors</title></head><body><main><h1>The site has input errors</h1><p>Fix them and this page reloads by itself.</p></main></body></html>".to_vec(),
            ),
            None => (404, "404.html".into(), files.get("404.html").map(|b| b.to_vec()).unwrap_or_default()),
        }
    };
    let ctype = http::content_type(&path);
    let is_html = ctype.starts_with("text/html");
    let body = if is_html {
        inject(&body, base, generation, overlay.as_deref())
    } else {
        body
    };
    let tag = etag(&body, "");
    let mut headers: Vec<tiny_http::Header> = [
        header("Content-Type", ctype),
        header("ETag", &tag),
        header("Cache-Control", "no-cache"),
        header("X-Content-Type-Options", "nosniff"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Some(m) = modified {
        headers.extend(header("Last-Modified", &crate::time::http_date(m)));
    }
    let not_modified = status == 200
        && req.headers().iter().any(|h| {
            h.field.equiv("If-None-Match")
                && h.value
                    .as_str()
                    .split(',')
                    .any(|v| v.trim() == tag || v.trim() == "*")
        });
    let (status, body) = if not_modified {
        (304, Vec::new())
    } else {
        (status, body)
    };
    let len = body.len();
    let body = if head || status == 304 {
        Vec::new()
    } else {
        body
    };
    let resp = tiny_http::Response::new(
        tiny_http::StatusCode(status),
        headers,
        std::io::Cursor::new(body),
        Some(len),
        None,
    );
    let _ = req.respond(resp);
}

/// Server-sent events: one `reload` message when the generation moves past
/// the page's, then the response ends; the browser reconnects by itself.
fn events(req: tiny_http::Request, url: &str, state: &State) {
    let since: u64 = url
        .split_once("since=")
        .and_then(|(_, v)| v.split('&').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let (lock, cv) = &**state;
    let changed = match lock.lock() {
        Ok(guard) => cv
            .wait_timeout_while(guard, EVENT_WAIT, |s| s.generation <= since)
            .map(|(g, _)| g.generation > since)
            .unwrap_or(false),
        Err(_) => false,
    };
    let body = if changed {
        "retry: 300\ndata: reload\n\n"
    } else {
        "retry: 300\n: idle\n\n"
    };
    let headers: Vec<_> = [
        header("Content-Type", "text/event-stream"),
        header("Cache-Control", "no-cache"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let resp = tiny_http::Response::new(
        tiny_http::StatusCode(200),
        headers,
        std::io::Cursor::new(body.as_bytes().to_vec()),
        Some(body.len()),
        None,
    );
    let _ = req.respond(resp);
}

#[allow(clippy::print_stdout)] // a rebuild line is what serve prints as it runs
fn report(live: &Live, r: &Rebuild, root: &Path) {
    if r.errors > 0 {
        if let Some(site) = live.site() {
            eprint!(
                "{}",
                output::human(&live.errors, root, Totals::of(site), color_enabled())
            );
        }
        eprintln!("sitrep: input errors stand; serving the last good build");
    } else {
        println!(
            "rebuilt {} {} in {} ms ({} changed)",
            r.pages,
            if r.full { "files (full)" } else { "files" },
            r.millis,
            r.changed.len()
        );
    }
}

fn publish(state: &State, live: &Live, changed: &[String]) {
    let (lock, cv) = &**state;
    if let Ok(mut s) = lock.lock() {
        let now = SystemTime::now();
        for p in changed {
            s.modified.insert(p.clone(), now);
        }
        s.files = Arc::new(live.files.clone());
        s.overlay = (!live.errors.is_empty()).then(|| overlay_html(&live.errors));
        s.generation = live.generation;
    }
    cv.notify_all();
}

#[allow(clippy::print_stdout)] // the address it serves on is its result
pub fn run(
    root: &Path,
    opts: &BuildOptions,
    bind: &str,
    port: u16,
    open: bool,
) -> Result<ExitCode> {
    let (mut live, first) = Live::new(root, opts)?;
    report(&live, &first, root);
    let defaults = crate::model::config::Config::default();
    let (base, outputs) = match live.site() {
        Some(s) => (
            s.config.base_path(),
            [
                s.config.output_dir.clone(),
                s.config.public_output_dir.clone(),
            ],
        ),
        None => (
            "/".to_owned(),
            [defaults.output_dir, defaults.public_output_dir],
        ),
    };
    let started = SystemTime::now();
    let state: State = Arc::new((
        Mutex::new(Shared {
            files: Arc::new(live.files.clone()),
            modified: live.files.keys().map(|k| (k.clone(), started)).collect(),
            overlay: (!live.errors.is_empty()).then(|| overlay_html(&live.errors)),
            generation: live.generation,
        }),
        Condvar::new(),
    ));
    let server = Arc::new(
        tiny_http::Server::http((bind, port)).map_err(|e| listen_error(bind, port, e.as_ref()))?,
    );
    let addr = server
        .server_addr()
        .to_ip()
        .map_or_else(|| format!("{bind}:{port}"), |a| a.to_string());
    println!("serving at http://{addr}{base} (Ctrl-C to stop)");
    if open {
        // The page is served from here on; a missing browser is only said.
        if let Err(e) = ::open::that_detached(format!("http://{addr}{base}")) {
            eprintln!("warning: cannot open a browser: {e}");
        }
    }
    let watcher = watch::SiteWatcher::new(root, &[outputs[0].as_str(), outputs[1].as_str()])
        .map_err(|e| anyhow!("cannot watch {}: {e}", root.display()))?;
    for _ in 0..WORKERS {
        let server = Arc::clone(&server);
        let state = Arc::clone(&state);
        let base = base.clone();
        std::thread::spawn(move || {
            while let Ok(req) = server.recv() {
                respond(req, &state, &base);
            }
        });
    }
    // The watcher runs here: rebuilds are sequential by construction.
    while let Some(changed) = watcher.next_batch() {
        match live.apply(&changed) {
            Ok(r) => {
                report(&live, &r, root);
                publish(&state, &live, &r.changed);
            }
            Err(e) => eprintln!("error: {e:#}"),
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Why `serve` cannot listen, with the fix for the common case.
fn listen_error(
    bind: &str,
    port: u16,
    e: &(dyn std::error::Error + Send + Sync + 'static),
) -> anyhow::Error {
    let busy = e
        .downcast_ref::<std::io::Error>()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::AddrInUse);
    if busy {
        anyhow!("cannot listen on {bind}:{port}: the port is in use (another `sitrep serve`?); pick another with `--port`, or `--port 0` for any free one")
    } else {
        anyhow!("cannot listen on {bind}:{port}: {e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injection_goes_before_body_end() {
        let out = String::from_utf8(inject(
            b"<html><body><p>x</p></body></html>",
            "/ops/",
            7,
            Some("<div>o</div>"),
        ))
        .unwrap();
        assert!(out.ends_with("<div>o</div><script src=\"/ops/__sitrep/live.js\" data-events=\"/ops/__sitrep/events\" data-generation=\"7\"></script></body></html>"), "{out}");
    }

    #[test]
    fn overlay_escapes() {
        let d = Diagnostic::new(
            &crate::diag::rules::SCHEMA,
            "incidents/<a>.yaml",
            crate::yaml::Pos::new(3, 4),
            "bad <b>",
        );
        let h = overlay_html(&[d]);
        assert!(
            h.contains("incidents/&lt;a&gt;.yaml:3:4: bad &lt;b&gt;"),
            "{h}"
        );
        assert!(h.contains("1 input error "), "{h}");
    }
}
