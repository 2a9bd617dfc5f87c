//! The preview server: incremental rebuilds equal full builds, and the real
//! server over HTTP (pages, 404, 304, traversal, live reload, overlay).
#![allow(clippy::print_stdout)] // the load test prints what it measured

mod common;
use common::*;
use sitrep::pipeline::{render_site, BuildOptions};
use sitrep::serve::live::Live;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-23T12:00:00Z";

/// A copy of the repository's example site.
fn example_site() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    fs::copy(repo.join("sitrep.yaml"), d.path().join("sitrep.yaml")).unwrap();
    copy_dir(&repo.join("content"), &d.path().join("content"));
    copy_dir(&repo.join("incidents"), &d.path().join("incidents"));
    d
}

fn opts() -> BuildOptions {
    BuildOptions {
        now: NOW.parse().unwrap(),
        ..BuildOptions::default()
    }
}

fn assert_equals_full(live: &Live, root: &Path, step: &str) {
    let full = render_site(root, &opts())
        .unwrap()
        .files
        .expect("no input errors");
    let got: Vec<&String> = live.files.keys().collect();
    let want: Vec<&String> = full.keys().collect();
    assert_eq!(got, want, "{step}: the set of files differs");
    for (k, v) in &full {
        assert!(
            live.files.get(k).map(|b| b.as_slice()) == Some(v.as_slice()),
            "{step}: {k} differs from a full build"
        );
    }
}

#[test]
fn incremental_rebuilds_equal_full_builds() {
    let site = example_site();
    let root = site.path();
    let (mut live, _) = Live::new(root, &opts()).unwrap();
    assert!(live.errors.is_empty());
    assert_equals_full(&live, root, "start");

    let runbook = "content/outage/high-priority.md";
    let text = fs::read_to_string(root.join(runbook)).unwrap();
    type Step<'a> = Box<dyn Fn(&Path) + 'a>;
    let steps: Vec<(&str, Step)> = vec![
        (
            "edit a runbook body",
            Box::new(move |r: &Path| write(r, runbook, &format!("{text}\n\nOne more line.\n"))),
        ),
        (
            "rename a runbook",
            Box::new(|r: &Path| {
                let t = fs::read_to_string(r.join(runbook)).unwrap().replacen(
                    "title: High-priority outage procedure",
                    "title: Outage procedure (high priority)",
                    1,
                );
                write(r, runbook, &t);
            }),
        ),
        (
            "add a heading to a runbook",
            Box::new(|r: &Path| {
                let t = fs::read_to_string(r.join(runbook)).unwrap();
                write(
                    r,
                    runbook,
                    &format!("{t}\n\n## Wind-down checklist\n\nDone.\n"),
                );
            }),
        ),
        (
            "change a runbook's services and review date",
            Box::new(|r: &Path| {
                let t = fs::read_to_string(r.join(runbook))
                    .unwrap()
                    .replacen("services: [storefront, login,", "services: [login,", 1)
                    .replacen("last_reviewed: 2026-10-05", "last_reviewed: 2024-01-05", 1);
                write(r, runbook, &t);
            }),
        ),
        (
            "add a runbook",
            Box::new(|r: &Path| {
                write(r, "content/outage/new-one.md", "---\ntitle: New one\nowner: Ops\nlast_reviewed: 2026-11-01\nservices: [storefront]\n---\n## Hello\n")
            }),
        ),
        (
            "edit a section intro",
            Box::new(|r: &Path| {
                let t = fs::read_to_string(r.join("content/outage/_index.md"))
                    .unwrap()
                    .replacen("title:", "title: Renamed -", 1);
                write(r, "content/outage/_index.md", &t);
            }),
        ),
        (
            "edit an incident",
            Box::new(|r: &Path| {
                let f = first_record(r);
                let t = fs::read_to_string(r.join(&f)).unwrap();
                let t = t.replacen("\ntitle: ", "\ntitle: Edited - ", 1);
                write(r, &f, &t);
            }),
        ),
        (
            "add a child incident",
            Box::new(|r: &Path| {
                write(r, "incidents/2026/child-new.yaml", "id: INC-2026-0099\ntitle: New child\nseverity: 3\nparent: INC-2026-0007\nrunbook: outage/new-one\nservices: [storefront]\nreported_at: 2026-11-20 09:00\nresponded_at: 2026-11-20 09:10\nrecovered_at: 2026-11-20 10:00\nresolved_at: 2026-11-20 11:00\nclosed_at: 2026-11-20 12:00\n");
            }),
        ),
        (
            "delete the runbook again",
            Box::new(|r: &Path| {
                fs::remove_file(r.join("content/outage/new-one.md")).unwrap();
                // Keep inputs valid: the child no longer names it.
                let t = fs::read_to_string(r.join("incidents/2026/child-new.yaml"))
                    .unwrap()
                    .replace("runbook: outage/new-one\n", "");
                write(r, "incidents/2026/child-new.yaml", &t);
            }),
        ),
    ];
    let mut changed_sets: Vec<Vec<String>> = vec![
        vec![runbook.into()],
        vec![runbook.into()],
        vec![runbook.into()],
        vec![runbook.into()],
        vec!["content/outage/new-one.md".into()],
        vec!["content/outage/_index.md".into()],
        vec![first_record(root)],
        vec!["incidents/2026/child-new.yaml".into()],
        vec![
            "content/outage/new-one.md".into(),
            "incidents/2026/child-new.yaml".into(),
        ],
    ];
    for ((name, step), changed) in steps.iter().zip(changed_sets.drain(..)) {
        step(root);
        let r = live.apply(&changed).unwrap();
        assert_eq!(r.errors, 0, "{name}: {:?}", live.errors);
        assert_equals_full(&live, root, name);
    }
}

#[test]
fn a_body_edit_re_renders_only_the_runbook_page() {
    let site = example_site();
    let root = site.path();
    let (mut live, full) = Live::new(root, &opts()).unwrap();
    let runbook = "content/outage/high-priority.md";
    let text = fs::read_to_string(root.join(runbook)).unwrap();
    write(
        root,
        runbook,
        &text.replacen("Use this procedure", "Follow this procedure", 1),
    );
    let r = live.apply(&[runbook.into()]).unwrap();
    // The page itself, and the search files that hold its words (with the
    // manifest, whose version follows them); not the
    // runbook index, the search page or the service pages.
    assert_eq!(r.changed[0], "runbooks/outage/high-priority/index.html");
    assert!(r.changed.contains(&"search/manifest.json".to_owned()));
    assert!(
        r.changed[1..]
            .iter()
            .all(|p| p.starts_with("search/") && p.ends_with(".json")),
        "{:?}",
        r.changed
    );
    let search_files = live
        .files
        .keys()
        .filter(|p| p.starts_with("search/") && p.ends_with(".json"))
        .count();
    assert_eq!(r.pages, 1 + search_files, "of {}", full.pages);
    assert_equals_full(&live, root, "body edit");
}

/// A site's own strings (`i18n/<language>.yaml`) show on the next render.
#[test]
fn an_edited_strings_file_reloads_the_theme() {
    let site = example_site();
    let root = site.path();
    let (mut live, _) = Live::new(root, &opts()).unwrap();
    write(
        root,
        "i18n/en.yaml",
        "status.subscribe: \"Stay informed\"\n",
    );
    let r = live.apply(&["i18n/en.yaml".into()]).unwrap();
    assert!(r.full, "a strings file reloads the theme");
    let status = String::from_utf8_lossy(&live.files["index.html"]).into_owned();
    assert!(status.contains(">Stay informed</h2>"), "{status}");
    assert_equals_full(&live, root, "strings file");
}

/// `serve` checks only the edited runbooks when no heading id, slug or
/// file changed; each step's findings must equal a fresh check's.
#[test]
fn runbook_edits_find_what_a_full_check_finds() {
    let site = example_site();
    let root = site.path();
    let (mut live, _) = Live::new(root, &opts()).unwrap();
    let now: chrono::DateTime<chrono::Utc> = NOW.parse().unwrap();
    let high = "content/outage/high-priority.md";
    let bridge = "content/response/bridge-call.md";
    let original = fs::read_to_string(root.join(high)).unwrap();
    let steps: Vec<(&str, String)> = vec![
        // A broken link in the body, then gone again.
        (
            high,
            original.replacen("Use this procedure", "Use [this](nowhere.md) procedure", 1),
        ),
        (high, original.clone()),
        // Front matter only: the owner goes, the review date moves ahead.
        (
            high,
            original.replacen("owner: Customer Services Manager\n", "", 1),
        ),
        (
            high,
            original.replacen("last_reviewed: 2026-10-05", "last_reviewed: 2027-01-05", 1),
        ),
        (
            high,
            original.replacen("last_reviewed: 2026-10-05", "last_reviewed: 2020-01-05", 1),
        ),
        (high, original.clone()),
        // A heading another runbook links to changes its id.
        (
            bridge,
            fs::read_to_string(root.join(bridge)).unwrap().replacen(
                "## The exercise: a night release",
                "## The drill: a night release",
                1,
            ),
        ),
    ];
    for (i, (file, text)) in steps.iter().enumerate() {
        write(root, file, text);
        live.apply(&[(*file).into()]).unwrap();
        let fresh = sitrep::load::load(root).unwrap();
        let want = sitrep::check::check(&fresh, now);
        assert_eq!(live.diagnostics(), want.as_slice(), "step {i}: {file}");
    }
    // The renamed anchor is a broken link in the runbook that points at it.
    assert!(live
        .diagnostics()
        .iter()
        .any(|d| d.rule.id == "broken-link" && d.file == "content/response/can-report.md"));
}

#[test]
fn editor_scratch_files_do_not_rebuild_everything() {
    let site = example_site();
    let root = site.path();
    let (mut live, _) = Live::new(root, &opts()).unwrap();
    // vim writes and deletes `4913` to test the folder; `sed -i` renames a
    // `sedXXXXXX` over the file. Neither is a folder of the site.
    write(root, "content/outage/4913", "");
    assert!(!live.apply(&["content/outage/4913".into()]).unwrap().full);
    fs::remove_file(root.join("content/outage/4913")).unwrap();
    assert!(!live.apply(&["content/outage/4913".into()]).unwrap().full);
    let gone = [
        "content/outage/sedAb12Cd".into(),
        "content/outage/high-priority.md".into(),
    ];
    let r = live.apply(&gone).unwrap();
    assert!(!r.full, "{r:?}");
    // A folder that held runbooks and is gone is a full reload.
    fs::remove_dir_all(root.join("content/outage")).unwrap();
    assert!(live.apply(&["content/outage".into()]).unwrap().full);
}

fn first_record(root: &Path) -> String {
    let mut files: Vec<String> = walkdir::WalkDir::new(root.join("incidents/2026"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files.into_iter().next().unwrap()
}

#[test]
fn input_errors_keep_the_last_good_site() {
    let site = example_site();
    let root = site.path();
    let (mut live, _) = Live::new(root, &opts()).unwrap();
    let before = live.files.clone();
    let f = first_record(root);
    let good = fs::read_to_string(root.join(&f)).unwrap();
    write(root, &f, "id: [broken\n");
    let r = live.apply(std::slice::from_ref(&f)).unwrap();
    // The yaml error, and its children's parent link now points nowhere.
    assert!(r.errors >= 1);
    assert!(
        live.errors
            .iter()
            .any(|d| d.rule.id == "yaml" && d.file == f),
        "{:?}",
        live.errors
    );
    assert!(live.files == before, "the last good site is kept");
    write(root, &f, &good);
    let r = live.apply(std::slice::from_ref(&f)).unwrap();
    assert_eq!(r.errors, 0);
    assert!(live.errors.is_empty());
    assert_equals_full(&live, root, "fixed");
}

// ---------------------------------------------------------------------------
// The real server.

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .arg("--root")
        .arg(root)
        .args(["serve", "--port", "0", "--now", NOW])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let mut lines = BufReader::new(out).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    let port = loop {
        assert!(Instant::now() < deadline, "server did not start");
        let line = lines.next().unwrap().unwrap();
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, port }
}

struct Resp {
    status: u16,
    headers: String,
    body: String,
}

fn request(port: u16, method: &str, path: &str, extra: &str) -> Resp {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(40))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{extra}\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).unwrap_or("0").parse().unwrap_or(0);
    Resp {
        status,
        headers: head.to_lowercase(),
        body: body.to_owned(),
    }
}

fn get(port: u16, path: &str) -> Resp {
    request(port, "GET", path, "")
}

#[test]
fn serves_pages_types_404_304_and_refuses_traversal() {
    let site = example_site();
    let srv = start(site.path(), &[]);
    let home = get(srv.port, "/");
    assert_eq!(home.status, 200);
    assert!(home.headers.contains("content-type: text/html"));
    assert!(
        home.body.contains("__sitrep/live.js"),
        "live reload script injected in serve mode"
    );
    let css = get(srv.port, "/static/style.css");
    assert!(css.headers.contains("content-type: text/css"));
    let json = get(srv.port, "/search/manifest.json");
    assert!(json.headers.contains("content-type: application/json"));
    let xml = get(srv.port, "/sitemap.xml");
    assert!(xml.headers.contains("content-type: application/xml"));
    let js = get(srv.port, "/__sitrep/live.js");
    assert!(js.headers.contains("content-type: text/javascript"));
    let missing = get(srv.port, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"));
    for bad in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2fsitrep.yaml",
        "/..\\sitrep.yaml",
        "//etc/passwd",
        "/static/%5c..%5csitrep.yaml",
    ] {
        let r = get(srv.port, bad);
        assert_eq!(r.status, 404, "{bad}");
        assert!(!r.body.contains("title:"), "{bad}");
    }
    let etag = home
        .headers
        .lines()
        .find_map(|l| l.strip_prefix("etag: "))
        .unwrap()
        .trim()
        .to_owned();
    let again = request(srv.port, "GET", "/", &format!("If-None-Match: {etag}\r\n"));
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let head = request(srv.port, "HEAD", "/runbooks/", "");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(head.headers.contains("last-modified: "));
}

#[test]
fn a_build_output_folder_is_never_touched() {
    let site = example_site();
    for dir in ["internal", "public"] {
        write(site.path(), &format!("{dir}/keep.txt"), "mine");
    }
    let srv = start(site.path(), &[]);
    assert_eq!(get(srv.port, "/").status, 200);
    drop(srv);
    for dir in ["internal", "public"] {
        let keep = site.path().join(dir).join("keep.txt");
        assert_eq!(fs::read_to_string(keep).unwrap(), "mine");
        assert_eq!(fs::read_dir(site.path().join(dir)).unwrap().count(), 1);
    }
}

fn wait_for(port: u16, path: &str, what: &dyn Fn(&Resp) -> bool) -> Resp {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let r = get(port, path);
        if what(&r) || Instant::now() > deadline {
            return r;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn live_reload_and_error_overlay() {
    let site = example_site();
    let root = site.path().to_path_buf();
    let srv = start(&root, &[]);
    let page = "/runbooks/outage/child-tickets/";
    let first = get(srv.port, page);
    let generation: u64 = first
        .body
        .split("data-generation=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();

    // A browser waiting for events is told to reload after an edit.
    let port = srv.port;
    let waiter = std::thread::spawn(move || {
        request(
            port,
            "GET",
            &format!("/__sitrep/events?since={generation}"),
            "",
        )
    });
    std::thread::sleep(Duration::from_millis(300));
    let rb = root.join("content/outage/child-tickets.md");
    let text = fs::read_to_string(&rb).unwrap();
    fs::write(&rb, format!("{text}\n\nLive marker 4242.\n")).unwrap();
    let event = waiter.join().unwrap();
    assert!(event.headers.contains("content-type: text/event-stream"));
    assert!(event.body.contains("data: reload"), "{}", event.body);
    let updated = wait_for(srv.port, page, &|r| r.body.contains("Live marker 4242"));
    assert!(updated.body.contains("Live marker 4242"));

    // A broken record: the last good page stays, with the overlay.
    let f = first_record(&root);
    let good = fs::read_to_string(root.join(&f)).unwrap();
    fs::write(root.join(&f), "id: [broken\n").unwrap();
    let broken = wait_for(srv.port, page, &|r| r.body.contains("sitrep-overlay"));
    assert!(broken.body.contains("sitrep-overlay"));
    assert!(
        broken.body.contains(&format!("{f}:1:")),
        "the overlay names file:line"
    );
    assert!(
        broken.body.contains("Live marker 4242"),
        "the last good site is served"
    );
    // Fixed: the overlay goes.
    fs::write(root.join(&f), good).unwrap();
    let fixed = wait_for(srv.port, page, &|r| !r.body.contains("sitrep-overlay"));
    assert!(!fixed.body.contains("sitrep-overlay"));
}

#[test]
fn base_url_paths_work_locally() {
    let site = example_site();
    let srv = start(site.path(), &[]);
    drop(srv);
    let cfg = fs::read_to_string(site.path().join("sitrep.yaml")).unwrap();
    let cfg = cfg
        .replace("base_url: \"/\"", "")
        .replace("base_url: /", "");
    fs::write(
        site.path().join("sitrep.yaml"),
        format!("base_url: /status/\n{cfg}"),
    )
    .unwrap();
    let srv = start(site.path(), &[]);
    let r = get(srv.port, "/status/runbooks/");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("href=\"/status/static/style.css\""));
    assert_eq!(get(srv.port, "/runbooks/").status, 404);
}

/// 64 concurrent clients, 20,000 requests to loopback: every answer is
/// right, none fails. Prints the rate for the record.
#[test]
fn load_64_clients_20000_requests() {
    let site = example_site();
    let srv = start(site.path(), &[]);
    let paths = [
        "/",
        "/runbooks/",
        "/static/style.css",
        "/incidents/",
        "/api/v2/summary.json",
        "/no/such/page/",
    ];
    let expect: Vec<(u16, usize)> = paths
        .iter()
        .map(|p| {
            let r = get(srv.port, p);
            (r.status, r.body.len())
        })
        .collect();
    let port = srv.port;
    let started = Instant::now();
    let clients: Vec<_> = (0..64)
        .map(|c| {
            let expect = expect.clone();
            std::thread::spawn(move || {
                let mut errors = 0usize;
                for i in 0..(20_000 / 64) {
                    let k = (c + i) % paths.len();
                    let r = request(port, "GET", paths[k], "");
                    if (r.status, r.body.len()) != expect[k] {
                        errors += 1;
                    }
                }
                errors
            })
        })
        .collect();
    let errors: usize = clients.into_iter().map(|t| t.join().unwrap()).sum();
    let secs = started.elapsed().as_secs_f64();
    let total = 64 * (20_000 / 64);
    println!(
        "load: {total} requests from 64 clients in {secs:.2} s ({:.0} requests/s), {errors} errors",
        total as f64 / secs
    );
    assert_eq!(errors, 0);
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_cleanly() {
    let site = example_site();
    let mut srv = start(site.path(), &[]);
    assert_eq!(get(srv.port, "/").status, 200);
    let pid = srv.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(5);
    let status = loop {
        if let Some(s) = srv.child.try_wait().unwrap() {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "server still running after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(!status.success() || status.code() == Some(0));
    // Nothing was written into the site.
    let names: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(sorted, ["content", "incidents", "sitrep.yaml"]);
}

/// A folder renamed or deleted arrives as one event for the folder.
#[test]
fn folders_renamed_and_deleted() {
    let site = example_site();
    let root = site.path();
    write(
        root,
        "content/extra/one.md",
        "---\ntitle: One\nowner: Ops\nlast_reviewed: 2026-11-01\n---\n## One\n",
    );
    let (mut live, _) = Live::new(root, &opts()).unwrap();
    assert!(live.files.contains_key("runbooks/extra/one/index.html"));
    fs::rename(root.join("content/extra"), root.join("content/more")).unwrap();
    live.apply(&["content/extra".into(), "content/more".into()])
        .unwrap();
    assert!(live.files.contains_key("runbooks/more/one/index.html"));
    assert_equals_full(&live, root, "folder renamed");
    fs::remove_dir_all(root.join("content/more")).unwrap();
    live.apply(&["content/more".into()]).unwrap();
    assert!(!live.files.keys().any(|k| k.starts_with("runbooks/more/")));
    assert_equals_full(&live, root, "folder deleted");
}

/// A file copied beside the runbooks (an image) is served, and a new,
/// changed or deleted one is picked up as a full build would.
#[test]
fn copied_files_follow_their_source() {
    let site = example_site();
    let root = site.path();
    let (mut live, _) = Live::new(root, &opts()).unwrap();
    let img = "content/outage/img/flow.png";
    write(root, img, "PNG one");
    assert!(live.apply(&[img.into()]).unwrap().full);
    assert_eq!(
        live.files
            .get("runbooks/outage/img/flow.png")
            .map(|b| b.as_slice()),
        Some(&b"PNG one"[..])
    );
    assert_equals_full(&live, root, "added");
    write(root, img, "PNG two");
    live.apply(&[img.into()]).unwrap();
    assert_equals_full(&live, root, "changed");
    fs::remove_file(root.join(img)).unwrap();
    live.apply(&[img.into()]).unwrap();
    assert!(!live.files.contains_key("runbooks/outage/img/flow.png"));
    assert_equals_full(&live, root, "removed");
}
