//! The recording commands (CLI.md, "Recording an incident"): one test per
//! command and per refusal on a hand-written record, and one level-1
//! incident replayed from report to close with commands only (the report's
//! prose aside), checked after every step.

mod common;
use common::*;
use std::fs;
use std::path::Path;

const ID: &str = "INC-2026-0100";
const FILE: &str = "incidents/INC-2026-0100.yaml";

/// The fixture site, copied so that it can be written.
fn site() -> tempfile::TempDir {
    let d = tempfile::tempdir().expect("tempdir");
    copy_dir(&repo().join("tests/fixtures/record"), d.path());
    d
}

fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).expect("read")
}

/// `check --incident` diagnostics as (family, level, rule, line).
fn diagnostics(root: &Path, now: &str, id: &str) -> Vec<(String, String, String, u64)> {
    let v = json_of(root, now, &["check", "--format", "json", "--incident", id]);
    v["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["waived"] == false)
        .map(|d| {
            (
                d["family"].as_str().unwrap_or("").to_owned(),
                d["level"].as_str().unwrap_or("").to_owned(),
                d["rule"].as_str().unwrap_or("").to_owned(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// The input errors `check --incident` reports.
fn input_errors(root: &Path, now: &str, id: &str) -> Vec<String> {
    diagnostics(root, now, id)
        .into_iter()
        .filter(|(family, level, ..)| family == "input" && level == "error")
        .map(|(_, _, rule, line)| format!("{rule}:{line}"))
        .collect()
}

/// Runs a recording command that must succeed; returns its stdout.
fn ok(root: &Path, now: &str, args: &[&str]) -> String {
    let o = run(root, now, args);
    assert_eq!(
        o.code, 0,
        "{args:?}\nstdout: {}\nstderr: {}",
        o.stdout, o.stderr
    );
    o.stdout
}

// ------------------------------------------------------------ each command

const NOW: &str = "2026-05-02 02:00";

#[test]
fn respond_fills_the_field_after_the_report_and_names_the_lead() {
    let d = site();
    let before = read(d.path(), FILE);
    let out = ok(
        d.path(),
        NOW,
        &["respond", ID, "--at", "01:15", "--by", "Kim Lee"],
    );
    assert!(
        out.starts_with(&format!(
            "recorded in {FILE}:\n  responded_at: 2026-05-02 01:15\n  roles.tech_lead: Kim Lee\n"
        )),
        "{out}"
    );
    // Then what falls due next, as `due --incident` prints it.
    assert!(out.contains(&format!("\n{ID}  level 3 (Minor)")), "{out}");
    assert_eq!(
        read(d.path(), FILE),
        before
            .replace(
                "services: [booking]\n",
                "services: [booking]\nroles:\n  tech_lead: Kim Lee\n"
            )
            .replace(
                "reported_at: 2026-05-02 01:10\n",
                "reported_at: 2026-05-02 01:10\nresponded_at: 2026-05-02 01:15\n"
            )
    );
}

#[test]
fn log_appends_in_the_lists_own_layout() {
    let d = site();
    let before = read(d.path(), FILE);
    ok(
        d.path(),
        NOW,
        &[
            "-q",
            "log",
            ID,
            "--at",
            "01:30",
            "-m",
            "Rolled back deploy #4821",
            "--by",
            "Kim Lee",
        ],
    );
    assert_eq!(
        read(d.path(), FILE),
        before.replace(
            "  text: Pager fired for booking latency.\n",
            "  text: Pager fired for booking latency.\n- at: 2026-05-02 01:30\n  by: Kim Lee\n  text: \"Rolled back deploy #4821\"\n"
        )
    );
    // An earlier time goes before the later entry: lists stay in time order.
    ok(
        d.path(),
        NOW,
        &["-q", "log", ID, "--at", "01:11", "-m", "First call"],
    );
    let text = read(d.path(), FILE);
    assert!(
        text.contains("timeline:\n- at: 2026-05-02 01:11\n  text: First call\n- at: 01:12\n"),
        "{text}"
    );
}

#[test]
fn update_appends_to_a_flow_list() {
    let d = site();
    let before = read(d.path(), FILE);
    ok(
        d.path(),
        NOW,
        &[
            "-q",
            "update",
            ID,
            "--at",
            "01:40",
            "--status",
            "identified",
            "-m",
            "A slow database query; a fix is rolling out.",
        ],
    );
    assert_eq!(
        read(d.path(), FILE),
        before.replace(
            "text: \"We are looking into slow bookings.\" }]",
            "text: \"We are looking into slow bookings.\" }, { at: 2026-05-02 01:40, status: identified, text: \"A slow database query; a fix is rolling out.\" }]"
        )
    );
}

#[test]
fn notify_adds_the_missing_list_in_the_templates_place() {
    let d = site();
    let before = read(d.path(), FILE);
    ok(
        d.path(),
        NOW,
        &[
            "-q",
            "notify",
            ID,
            "--at",
            "01:25",
            "--kind",
            "initial",
            "--channel",
            "sms,email",
            "--to",
            "service-owner",
            "--to",
            "om-team",
            "--cc",
            "Duty manager Ana Ruiz",
            "-m",
            "Bookings slow",
        ],
    );
    assert_eq!(
        read(d.path(), FILE),
        before.replace(
            "reported_at: 2026-05-02 01:10\n",
            "reported_at: 2026-05-02 01:10\nnotifications:\n  - at: 2026-05-02 01:25\n    kind: initial\n    channels: [sms, email]\n    to: [service-owner, om-team]\n    cc: [Duty manager Ana Ruiz]\n    summary: Bookings slow\n"
        )
    );
}

#[test]
fn escalate_writes_the_entry_and_the_severity() {
    let d = site();
    let before = read(d.path(), FILE);
    let out = ok(
        d.path(),
        NOW,
        &[
            "escalate",
            ID,
            "--at",
            "01:50",
            "--level",
            "2",
            "--reason",
            "Half of bookings fail",
        ],
    );
    assert!(
        out.contains(
            "escalations: 2026-05-02 01:50 level 3 → 2: Half of bookings fail\n  severity: 2\n"
        ),
        "{out}"
    );
    assert!(out.contains(&format!("{ID}  level 2 (Major)")), "{out}");
    assert_eq!(
        read(d.path(), FILE),
        before.replace("severity: 3\n", "severity: 2\n").replace(
            "reported_at: 2026-05-02 01:10\n",
            "reported_at: 2026-05-02 01:10\nescalations:\n  - at: 2026-05-02 01:50\n    from: 3\n    to: 2\n    reason: Half of bookings fail\n"
        )
    );
}

#[test]
fn recover_resolve_and_close_a_level_3_incident() {
    let d = site();
    for (cmd, at) in [
        ("recover", "01:45"),
        ("resolve", "01:50"),
        ("close", "01:55"),
    ] {
        ok(d.path(), NOW, &["-q", cmd, ID, "--at", at]);
    }
    let text = read(d.path(), FILE);
    assert!(text.contains("reported_at: 2026-05-02 01:10\nrecovered_at: 2026-05-02 01:45\nresolved_at: 2026-05-02 01:50\nclosed_at: 2026-05-02 01:55\n"), "{text}");
    assert!(text.starts_with("# Hand-written by the night shift; sitrep must keep this comment.\n"));
    assert_eq!(input_errors(d.path(), NOW, ID), Vec::<String>::new());
}

#[test]
fn notify_owed_records_what_due_lists() {
    let d = site();
    // Level 2 owes an initial notice within 30m of the report.
    ok(
        d.path(),
        NOW,
        &["-q", "escalate", ID, "--at", "01:11", "--level", "2"],
    );
    let out = ok(d.path(), NOW, &["notify", ID, "--owed", "--at", "01:20"]);
    assert!(
        out.contains("notifications: 2026-05-02 01:20 initial notice (due by 2026-05-02 01:41)"),
        "{out}"
    );
    assert!(
        out.contains(
            "  done 01:20            initial notice (for the change to level 2 at 01:11)\n"
        ),
        "{out}"
    );
    let text = read(d.path(), FILE);
    // One entry per delivery: each says which channels reached whom.
    assert!(text.contains("notifications:\n  - at: 2026-05-02 01:20\n    kind: initial\n    channels: [sms, email]\n    to: [service-owner, om-team]\n  - at: 2026-05-02 01:20\n    kind: initial\n    channels: [phone]\n    to: [rd-leader]\n"), "{text}");
    // Nothing owed now: exit 0, a message, the file unchanged.
    let before = read(d.path(), FILE);
    let o = run(d.path(), "2026-05-02 01:25", &["notify", ID, "--owed"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.starts_with("nothing is owed"), "{}", o.stdout);
    assert_eq!(read(d.path(), FILE), before);
}

#[test]
fn at_takes_relative_times() {
    let d = site();
    ok(
        d.path(),
        "2026-05-02 01:40",
        &["-q", "log", ID, "--at", "-15m", "-m", "a"],
    );
    ok(
        d.path(),
        "2026-05-02 01:40",
        &["-q", "log", ID, "--at", "now", "-m", "b"],
    );
    ok(
        d.path(),
        "2026-05-02T01:40:00+02:00",
        &["-q", "log", ID, "-m", "c"],
    );
    let text = read(d.path(), FILE);
    assert!(text.contains("- at: 2026-05-02 01:25\n  text: a\n- at: 2026-05-02 01:40\n  text: b\n- at: 2026-05-02 01:40\n  text: c\n"), "{text}");
}

// ---------------------------------------------------------------- refusals

#[test]
fn refusals_name_the_fix_and_change_nothing() {
    let d = site();
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["respond", "INC-2026-0101"],
            2,
            "did you mean `INC-2026-0100`?",
        ),
        (
            &["update", ID, "--status", "fixed", "-m", "x"],
            1,
            "`fixed` is not an update status",
        ),
        (
            &["notify", ID, "--kind", "initail", "--to", "om-team"],
            1,
            "did you mean `initial`?",
        ),
        (
            &[
                "notify",
                ID,
                "--kind",
                "initial",
                "--channel",
                "mail",
                "--to",
                "om-team",
            ],
            1,
            "did you mean `email`?",
        ),
        (
            &["notify", ID, "--kind", "initial", "--to", "om-taem"],
            1,
            "`om-taem` is not a recipient: did you mean `om-team`?",
        ),
        (
            &["escalate", ID, "--level", "7"],
            1,
            "the policy defines 1 (Critical), 2 (Major), 3 (Minor)",
        ),
        (
            &["escalate", ID, "--level", "3"],
            2,
            "is already at level 3",
        ),
        (
            &["log", ID, "-m", "x", "--at", "01:00"],
            1,
            "is before the report at 2026-05-02 01:10",
        ),
        (
            &["log", ID, "-m", "x", "--at", "2026-05-02 03:00"],
            1,
            "is in the future",
        ),
        (&["log", ID, "-m", " "], 2, "--message must not be empty"),
        (
            &["log", ID, "-m", "x", "--at", "soon"],
            2,
            "--at `soon` is not a time",
        ),
        (
            &["draft", ID, "apology"],
            2,
            "`apology` is not a notice sitrep drafts",
        ),
    ];
    let before = read(d.path(), FILE);
    for (args, code, msg) in cases {
        let o = run(d.path(), NOW, args);
        assert_eq!(o.code, *code, "{args:?}: {}", o.stderr);
        assert!(o.stderr.contains(msg), "{args:?}: {}", o.stderr);
        assert_eq!(
            o.stderr.lines().count(),
            1,
            "{args:?}: one line\n{}",
            o.stderr
        );
        assert_eq!(read(d.path(), FILE), before, "{args:?} changed the file");
    }
    // A second close; a recovery after the close (check's `time-order`).
    ok(d.path(), NOW, &["-q", "close", ID, "--at", "01:50"]);
    let closed = read(d.path(), FILE);
    let o = run(d.path(), NOW, &["close", ID]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("already has closed_at: 2026-05-02 01:50"),
        "{}",
        o.stderr
    );
    let o = run(d.path(), NOW, &["recover", ID]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("[time-order]"), "{}", o.stderr);
    assert_eq!(read(d.path(), FILE), closed);
}

#[test]
fn a_broken_or_read_only_record_is_left_alone() {
    let d = site();
    let path = d.path().join(FILE);
    // A YAML error: exit 2.
    let broken = format!("{}oops: [\n", read(d.path(), FILE));
    fs::write(&path, &broken).unwrap();
    let o = run(d.path(), NOW, &["respond", ID]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_eq!(read(d.path(), FILE), broken);
    // An input error: exit 1, fix it first.
    let bad = read(d.path(), FILE).replace("oops: [\n", "impact: huge\n");
    fs::write(&path, &bad).unwrap();
    let o = run(d.path(), NOW, &["respond", ID]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("has 1 input error; fix it first"),
        "{}",
        o.stderr
    );
    assert_eq!(read(d.path(), FILE), bad);
    // Read-only: exit 2 (unless root, who may write anyway: then skip).
    let good = bad.replace("impact: huge\n", "");
    fs::write(&path, &good).unwrap();
    let mut perm = fs::metadata(&path).unwrap().permissions();
    perm.set_readonly(true);
    fs::set_permissions(&path, perm.clone()).unwrap();
    let o = run(d.path(), NOW, &["respond", ID]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("is read-only"), "{}", o.stderr);
    assert_eq!(read(d.path(), FILE), good);
    // Nothing is left beside it.
    let names: Vec<String> = fs::read_dir(d.path().join("incidents"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["INC-2026-0100.yaml".to_owned()]);
}

#[cfg(unix)]
#[test]
fn a_symlinked_record_stays_a_link() {
    let d = site();
    let real = d.path().join("records-elsewhere.yaml");
    fs::rename(d.path().join(FILE), &real).unwrap();
    std::os::unix::fs::symlink(&real, d.path().join(FILE)).unwrap();
    // The loader reads the link's file; the edit goes where it points.
    ok(d.path(), NOW, &["-q", "respond", ID, "--at", "01:15"]);
    assert!(fs::symlink_metadata(d.path().join(FILE))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(read(d.path(), "records-elsewhere.yaml").contains("responded_at: 2026-05-02 01:15"));
}

// ------------------------------------------------------------------ drafts

#[test]
fn draft_text_names_recipients_and_addresses() {
    let d = site();
    let out = ok(d.path(), NOW, &["draft", ID, "initial", "--at", "01:20"]);
    assert!(out.starts_with("To: Booking product owner (service-owner) <booking-owner@example.invalid, +49 30 5550 0101>; Operations on call (om-team) <ops-oncall@example.invalid>; Head of engineering (rd-leader)\nSubject: [Level 3 Minor] Booking portal slow (INC-2026-0100)\n\n"), "{out}");
    assert!(
        out.contains("Reported at: 2026-05-02 01:10 (Europe/Berlin)"),
        "{out}"
    );
    // The site's own template replaces the built-in one.
    write(
        d.path(),
        "templates/notices/initial.md",
        "Subject: {{ incident.id }} started\n\nLevel {{ incident.level }}: {{ incident.title }}.\n",
    );
    let out = ok(d.path(), NOW, &["draft", ID, "initial"]);
    assert!(
        out.ends_with("Subject: INC-2026-0100 started\n\nLevel 3: Booking portal slow.\n"),
        "{out}"
    );
    // A template error names the file.
    write(
        d.path(),
        "templates/notices/initial.md",
        "Subject: {{ incident.id }\n",
    );
    let o = run(d.path(), NOW, &["draft", ID, "initial"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("templates/notices/initial.md"),
        "{}",
        o.stderr
    );
}

#[test]
fn every_draft_kind_renders_and_eml_parses() {
    let d = site();
    for kind in [
        "initial",
        "progress",
        "rectification",
        "overdue",
        "customer",
        "leadership",
        "resolution",
    ] {
        let out = ok(
            d.path(),
            NOW,
            &["draft", ID, kind, "--format", "eml", "--at", "01:30"],
        );
        let msg = mail_parser::MessageParser::default()
            .parse(out.as_bytes())
            .unwrap_or_else(|| panic!("{kind}: not a message\n{out}"));
        let subject = msg.subject().unwrap_or_default();
        assert!(!subject.is_empty(), "{kind}: no subject\n{out}");
        assert!(msg.date().is_some(), "{kind}: no date");
        assert_eq!(
            msg.date().map(|d| d.to_rfc3339()),
            Some("2026-05-01T23:30:00Z".to_owned()),
            "{kind}"
        );
        assert!(msg.from().is_some(), "{kind}: no From");
        let body = msg.body_text(0).unwrap_or_default();
        assert!(
            !body.contains("{{") && !body.contains("{%"),
            "{kind}: {body}"
        );
        // Same --at, same bytes.
        assert_eq!(
            out,
            ok(
                d.path(),
                NOW,
                &["draft", ID, kind, "--format", "eml", "--at", "01:30"]
            )
        );
        if kind == "customer" {
            let to: Vec<String> = msg
                .to()
                .into_iter()
                .flat_map(|a| a.iter())
                .filter_map(|a| a.address().map(str::to_owned))
                .collect();
            assert_eq!(to, vec!["shippers@example.invalid".to_owned()]);
            assert!(subject.contains("Booking portal"), "{subject}");
        }
    }
}

// --------------------------------------------------------- CLI conventions

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = output(sitrep().args(["completions", shell]));
        assert_eq!(o.code, 0, "{shell}: {}", o.stderr);
        assert!(o.stdout.contains("escalate"), "{shell}");
    }
    let o = output(sitrep().arg("man"));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.starts_with(".ie \\n(.g .ds Aq"),
        "{}",
        &o.stdout[..80.min(o.stdout.len())]
    );
    assert!(o.stdout.contains("respond"));
}

#[test]
fn serve_on_a_busy_port_suggests_port_0() {
    let d = site();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let o = run(d.path(), NOW, &["serve", "-p", &port]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("`--port 0`"), "{}", o.stderr);
}

// ------------------------------------------------------ a whole incident

#[test]
fn a_level_1_incident_from_report_to_close_with_commands_only() {
    let d = site();
    let root = d.path();
    let o = run(
        root,
        "2026-05-02 02:41",
        &[
            "new",
            "incident",
            "--title",
            "Bookings fail at payment",
            "--severity",
            "2",
            "--service",
            "booking",
            "--manager",
            "Pat Doe",
            "--at",
            "02:40",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let id = "INC-2026-0101";
    let file = "incidents/INC-2026-0101.yaml";
    // A hand-written comment at the top, as people add them.
    let text = format!(
        "# Bridge: meet.example.invalid/harbor-p1\n{}",
        read(root, file)
    );
    fs::write(root.join(file), text).unwrap();

    let steps: &[(&str, &[&str])] = &[
        (
            "2026-05-02 02:47",
            &["respond", id, "--at", "02:46", "--by", "Sam Roe"],
        ),
        ("2026-05-02 03:05", &["notify", id, "--owed"]),
        (
            "2026-05-02 03:08",
            &[
                "update",
                id,
                "--status",
                "investigating",
                "-m",
                "Some bookings fail at payment; we are investigating.",
            ],
        ),
        (
            "2026-05-02 03:16",
            &[
                "log",
                id,
                "--at",
                "-1m",
                "-m",
                "Payment provider returns 502s",
                "--by",
                "Sam Roe",
            ],
        ),
        (
            "2026-05-02 03:30",
            &[
                "escalate",
                id,
                "--at",
                "03:29",
                "--level",
                "1",
                "--reason",
                "Every booking fails at payment",
            ],
        ),
        ("2026-05-02 03:40", &["notify", id, "--owed"]),
        (
            "2026-05-02 03:50",
            &[
                "update",
                id,
                "--status",
                "identified",
                "-m",
                "An expired certificate at the payment provider; it is being renewed.",
            ],
        ),
        (
            "2026-05-02 04:05",
            &[
                "notify",
                id,
                "--kind",
                "progress",
                "--channel",
                "sms,email",
                "--to",
                "service-owner,om-team",
                "-m",
                "Certificate renewal in progress",
            ],
        ),
        ("2026-05-02 04:10", &["recover", id]),
        ("2026-05-02 04:20", &["notify", id, "--owed"]),
        (
            "2026-05-02 04:25",
            &[
                "update",
                id,
                "--status",
                "monitoring",
                "-m",
                "Bookings work again; we are watching closely.",
            ],
        ),
        ("2026-05-02 05:00", &["resolve", id]),
        (
            "2026-05-02 05:01",
            &[
                "update",
                id,
                "--at",
                "05:00",
                "--status",
                "resolved",
                "-m",
                "Resolved: bookings and payments work normally.",
            ],
        ),
    ];
    for (now, args) in steps {
        let o = run(root, now, args);
        assert_eq!(o.code, 0, "{args:?}\n{}\n{}", o.stdout, o.stderr);
        let d = diagnostics(root, now, id);
        assert!(
            d.iter().all(|(family, ..)| family != "input"),
            "{args:?}: {d:?}\n{}",
            read(root, file)
        );
    }
    // Closing without the report is refused, with the finding, file unchanged.
    let before = read(root, file);
    let o = run(root, "2026-05-02 08:00", &["close", id]);
    assert_eq!(o.code, 1, "{}", o.stdout);
    assert!(o.stderr.contains("error[report-missing]"), "{}", o.stderr);
    assert_eq!(read(root, file), before);
    // The report is prose, written by hand.
    let with_report = format!("{before}\nreport:\n  conditions: Every booking failed at payment for 90 minutes.\n  actions: The payment provider renewed its certificate; we retried the failed bookings.\n  needs: Watch the provider's certificate expiry from our side.\n  completed_at: 2026-05-02 07:30\n");
    fs::write(root.join(file), &with_report).unwrap();
    ok(root, "2026-05-02 08:00", &["close", id]);

    let end = "2026-05-02 08:01";
    let o = run(root, end, &["check", "--incident", id]);
    assert_eq!(o.code, 0, "no errors at the end:\n{}", o.stdout);
    let text = read(root, file);
    assert!(
        text.starts_with(
            "# Bridge: meet.example.invalid/harbor-p1\n# Written by `sitrep new incident`."
        ),
        "{text}"
    );
    for kept in [
        "#   tech_lead:",
        "#     from: 2",
        "#     status: investigating      # investigating | identified | monitoring | resolved",
    ] {
        // `#   tech_lead:` became the value; the others stay.
        if kept == "#   tech_lead:" {
            assert!(text.contains("  tech_lead: Sam Roe\n"), "{text}");
        } else {
            assert!(
                text.contains(kept),
                "template comment `{kept}` lost:\n{text}"
            );
        }
    }
    assert!(text.contains("severity: 1 "), "{text}");
    assert!(text.contains("closed_at: 2026-05-02 08:00\n"), "{text}");
}

// ------------------------------------------- found by trying it adversarially

#[test]
fn commands_run_at_once_on_one_record_lose_nothing() {
    let d = site();
    let children: Vec<std::process::Child> = (0..8)
        .map(|i| {
            std::process::Command::new(env!("CARGO_BIN_EXE_sitrep"))
                .arg("--root")
                .arg(d.path())
                .args(["--now", NOW, "-q", "log", ID, "--at", "01:30", "-m"])
                .arg(format!("entry {i}"))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawns")
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().expect("waits");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let text = read(d.path(), FILE);
    for i in 0..8 {
        assert!(
            text.contains(&format!("text: entry {i}\n")),
            "entry {i} lost:\n{text}"
        );
    }
}

#[test]
fn a_broken_sitrep_yaml_is_refused_not_guessed() {
    let d = site();
    let cfg =
        read(d.path(), "sitrep.yaml").replace("timezone: Europe/Berlin", "timezone: Mars/Olympus");
    fs::write(d.path().join("sitrep.yaml"), cfg).unwrap();
    let before = read(d.path(), FILE);
    let o = run(d.path(), NOW, &["respond", ID]);
    assert_eq!(o.code, 2, "{}", o.stdout);
    assert!(o.stderr.contains("sitrep.yaml:"), "{}", o.stderr);
    assert_eq!(read(d.path(), FILE), before);
}

#[test]
fn entries_may_go_back_to_when_impact_began() {
    let d = site();
    let text =
        read(d.path(), FILE).replace("reported_at:", "started_at: 2026-05-02 00:50\nreported_at:");
    fs::write(d.path().join(FILE), text).unwrap();
    ok(
        d.path(),
        NOW,
        &[
            "-q",
            "log",
            ID,
            "--at",
            "00:55",
            "-m",
            "First alert, unseen",
        ],
    );
    let o = run(d.path(), NOW, &["log", ID, "--at", "00:45", "-m", "x"]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr
            .contains("is before impact began (started_at) at 2026-05-02 00:50"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_bare_time_after_now_is_yesterdays() {
    let d = site();
    let text = read(d.path(), FILE).replace(
        "reported_at: 2026-05-02 01:10",
        "reported_at: 2026-05-01 23:10",
    );
    let text = text
        .replace("- at: 01:12", "- at: 23:12")
        .replace("at: \"01:20\"", "at: \"23:20\"");
    fs::write(d.path().join(FILE), text).unwrap();
    ok(
        d.path(),
        "2026-05-02 00:10",
        &["-q", "log", ID, "--at", "23:30", "-m", "Before midnight"],
    );
    assert!(read(d.path(), FILE).contains("- at: 2026-05-01 23:30\n  text: Before midnight\n"));
}

#[test]
fn notify_prints_cc_and_merges_repeats() {
    let d = site();
    let out = ok(
        d.path(),
        NOW,
        &[
            "notify",
            ID,
            "--at",
            "01:25",
            "--kind",
            "initial",
            "--channel",
            "sms,sms",
            "--to",
            "om-team,om-team",
            "--cc",
            "rd-leader",
        ],
    );
    assert!(
        out.contains("notifications: 2026-05-02 01:25 initial by sms to om-team, cc rd-leader\n"),
        "{out}"
    );
    assert!(read(d.path(), FILE)
        .contains("    channels: [sms]\n    to: [om-team]\n    cc: [rd-leader]\n"));
    let o = run(
        d.path(),
        NOW,
        &[
            "notify", ID, "--kind", "initial", "--to", "om-team", "-m", "",
        ],
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
}

#[test]
fn respond_says_whom_a_new_lead_replaces() {
    let d = site();
    let text = read(d.path(), FILE).replace(
        "services: [booking]\n",
        "services: [booking]\nroles:\n  tech_lead: Ana Ruiz\n",
    );
    fs::write(d.path().join(FILE), text).unwrap();
    let out = ok(
        d.path(),
        NOW,
        &["respond", ID, "--at", "01:15", "--by", "Kim Lee"],
    );
    assert!(
        out.contains("roles.tech_lead: Kim Lee (was Ana Ruiz)"),
        "{out}"
    );
}

#[test]
fn escalations_are_recorded_in_order() {
    let d = site();
    ok(
        d.path(),
        NOW,
        &["-q", "escalate", ID, "--at", "01:40", "--level", "2"],
    );
    let before = read(d.path(), FILE);
    let o = run(
        d.path(),
        NOW,
        &["escalate", ID, "--at", "01:30", "--level", "1"],
    );
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("is before the last change of level, at 2026-05-02 01:40"),
        "{}",
        o.stderr
    );
    assert_eq!(read(d.path(), FILE), before);
}

#[test]
fn eml_without_addresses_and_bad_senders() {
    let d = site();
    // leadership has no address: an empty group, the names in the body.
    let out = ok(
        d.path(),
        NOW,
        &["draft", ID, "leadership", "--format", "eml"],
    );
    assert!(
        out.contains("\r\nTo: \"undisclosed-recipients\":;\r\n"),
        "{out}"
    );
    assert!(
        out.contains("[Also for, with no address in sitrep.yaml: IT leadership (leadership)]"),
        "{out}"
    );
    let o = run(
        d.path(),
        NOW,
        &[
            "draft",
            ID,
            "initial",
            "--format",
            "eml",
            "--from",
            "not an address",
        ],
    );
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("is not a mail address"), "{}", o.stderr);
    let o = run(d.path(), NOW, &["draft", ID, "initial", "--at", "01:00"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("is before the report"), "{}", o.stderr);
}

/// CLI.md: each option described once, its default once (clap adds the
/// `[default: …]`; a description that repeats it would say it twice).
#[test]
fn every_option_is_described_once() {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, path: &str, bad: &mut Vec<String>) {
        for a in cmd.get_arguments() {
            let id = a.get_id().as_str();
            if matches!(id, "help" | "version") {
                continue;
            }
            let help = a.get_help().map(ToString::to_string).unwrap_or_default();
            if help.trim().is_empty() {
                bad.push(format!("{path} {id}: no description"));
            }
            if !a.get_default_values().is_empty() && help.contains("default") {
                bad.push(format!("{path} {id}: the default is said twice"));
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), bad);
        }
    }
    let mut bad = Vec::new();
    walk(&sitrep::cli::Cli::command(), "sitrep", &mut bad);
    assert!(bad.is_empty(), "{bad:#?}");
}

/// `check_record`, which the recording commands use, reports for a record
/// exactly what `check` reports for its file: on the example site and on
/// every rule's fixture sites.
#[test]
fn check_record_agrees_with_check() {
    let mut roots = vec![repo()];
    for e in walkdir::WalkDir::new(repo().join("tests/fixtures/rules"))
        .min_depth(2)
        .max_depth(2)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().join("sitrep.yaml").is_file() {
            roots.push(e.path().to_path_buf());
        }
    }
    assert!(roots.len() > 50, "{}", roots.len());
    let now = "2026-11-23T12:00:00Z".parse().expect("time");
    let mut compared = 0;
    for root in roots {
        let site = sitrep::load::load(&root).expect("loads");
        let all = sitrep::check::check(&site, now);
        for rec in &site.records {
            let want: Vec<_> = all.iter().filter(|d| d.file == rec.file).cloned().collect();
            let got = sitrep::check::check_record(&site, now, &rec.file);
            assert_eq!(got, want, "{}: {}", root.display(), rec.file);
            compared += 1;
        }
    }
    assert!(compared > 80, "{compared}");
}

#[test]
fn quiet_leaves_out_the_checklist_and_verbose_traces() {
    let d = site();
    let out = ok(
        d.path(),
        NOW,
        &["-q", "log", ID, "--at", "01:30", "-m", "a"],
    );
    assert_eq!(
        out,
        format!("recorded in {FILE}:\n  timeline: 2026-05-02 01:30 a\n")
    );
    let o = run(
        d.path(),
        NOW,
        &["-v", "log", ID, "--at", "01:31", "-m", "b"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("trace: load done at"), "{}", o.stderr);
    assert!(o.stdout.contains("Due at 2026-05-02 02:00"), "{}", o.stdout);
}

/// Root edits someone's record: it stays theirs (skipped where the test
/// may not give a file away).
#[cfg(unix)]
#[test]
fn a_rewritten_record_keeps_its_owner() {
    use std::os::unix::fs::MetadataExt;
    let d = site();
    let path = d.path().join(FILE);
    if std::os::unix::fs::chown(&path, Some(65534), Some(65534)).is_err() {
        return;
    }
    ok(
        d.path(),
        NOW,
        &["-q", "log", ID, "--at", "01:30", "-m", "a"],
    );
    let meta = fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
}
