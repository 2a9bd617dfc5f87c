//! Shared pieces of the fuzz targets: a fixed configuration, a tiny fixed
//! site, and the invariants every target asserts. Everything is built in
//! memory with the same functions `sitrep::load` calls on file text.

mod edit_all;
pub use edit_all::edit_all;

use sitrep::check;
use sitrep::config::{self, Config};
use sitrep::diag::Diagnostic;
use sitrep::markdown;
use sitrep::model::incident::{self, Record, Time};
use sitrep::model::runbook::{self, Runbook};
use sitrep::model::site::Site;
use std::path::PathBuf;
use std::sync::OnceLock;

mod no_script;
pub use no_script::assert_no_script;

/// Makes the calling thread the only thread of rayon's global pool, so the
/// checker's `par_iter`s run inline: no hand-off to worker threads per
/// input (a third of the time otherwise), the same order every run, and a
/// panic's backtrace on the fuzzing thread. Call it from the target's
/// `init`.
pub fn init() {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .use_current_thread()
        .build_global()
        .expect("rayon's global pool was already built");
    let _ = config();
    let _ = fixed_runbooks();
}

/// The `now` of every check (a fixed time, so a crash replays).
pub fn now() -> Time {
    chrono::DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
        .expect("fixed time")
        .with_timezone(&chrono::Utc)
}

/// sitrep.yaml of the fuzzed site: the service ids and recipients used by
/// the repository's records and fixtures, in a zone with DST.
pub const CONFIG: &str = "title: Fuzz
timezone: Europe/Paris
base_url: https://status.example.com/ops/
services:
  - { id: web, name: Web }
  - { id: api, name: API }
  - { id: webshop, name: Web shop }
  - { id: payments, name: Payments }
  - { id: shop, name: Shop }
  - { id: storefront, name: Storefront }
  - { id: login, name: Login }
  - { id: order-api, name: Order API }
  - { id: scanners, name: Scanners }
  - { id: mail, name: Mail }
  - { id: mail-relay, name: Mail relay }
  - { id: edi, name: EDI }
recipients:
  service-owner: Service owner
  om-team: O&M team
  rd-leader: R&D leader
  customers: Customers
  leadership: IT leadership
";

/// The runbooks of the fixed site: the slugs records name in the
/// repository (`runbook: outage/high-priority`, …), a section page, and
/// links between them.
const RUNBOOKS: &[(&str, &str)] = &[
    (
        "outage/_index.md",
        "---\ntitle: Outage\nweight: 10\n---\nOutages.\n",
    ),
    (
        "outage/high-priority.md",
        "---\ntitle: High-priority outage\nowner: Ops\nlast_reviewed: 2026-10-05\nservices: [web, api, storefront]\nlevels: [1, 2]\n---\n## Up to 5 minutes\n\nOpen a ticket. See [levels](../reference/severity-levels.md#the-three-levels).\n\n## Customer alert\n\n- [ ] send it\n",
    ),
    (
        "outage/child-tickets.md",
        "---\ntitle: Child tickets\nowner: Ops\nlast_reviewed: 2026-01-05\nlevels: [1, 2]\n---\n## Children\n\nLink them to the [parent](high-priority.md).\n",
    ),
    (
        "response/problem-response.md",
        "---\ntitle: Problem response\nowner: Ops\nlast_reviewed: 2026-10-05\nlevels: [1, 2, 3]\n---\n## Lead\n\nText.\n",
    ),
    (
        "reference/severity-levels.md",
        "---\ntitle: Severity levels\nowner: Ops\nlast_reviewed: 2026-11-02\nlevels: [1, 2, 3]\n---\n## The three levels\n\n| Level | Name |\n|---|---|\n| 1 | Critical |\n",
    ),
    (
        "change/emergency-change.md",
        "---\ntitle: Emergency change\nowner: Ops\nlast_reviewed: 2026-10-05\n---\n## Steps\n\n1. Ask.\n",
    ),
];

/// Records of the fixed site used by the `config` target: a parent, a
/// child, and a maintenance window.
pub const RECORDS: &[(&str, &str)] = &[
    (
        "incidents/2026/inc-1.yaml",
        "id: INC-2026-0101\ntitle: Checkout down\nseverity: 1\nservices: [webshop, payments]\nrunbook: outage/high-priority\nreported_at: 2026-03-29 01:50\nresponded_at: 2026-03-29 01:55\nrecovered_at: 2026-03-29 03:40\nresolved_at: 2026-03-30 14:00\nescalations:\n  - at: 02:10\n    from: 2\n    to: 1\n    reason: Everyone.\nnotifications:\n  - at: 02:05\n    kind: initial\n    channels: [sms, email, phone]\n    to: [service-owner, rd-leader]\n    cc: [om-team]\n    summary: Checkout failing.\n  - at: 03:50\n    kind: rectification\n    channels: [sms, email]\n    to: [service-owner]\n    cc: [om-team]\n    summary: Working since 03:40.\nwaivers:\n  - rule: notify-customer\n    reason: test\n",
    ),
    (
        "incidents/2026/inc-2.yaml",
        "id: INC-2026-0102\ntitle: Shop child\nseverity: 2\nparent: INC-2026-0101\nservices: [shop]\nreported_at: 2026-10-25 02:30\n",
    ),
    (
        "incidents/maintenance/mnt-1.yaml",
        "kind: maintenance\nid: MNT-2026-001\ntitle: Patch\nservices: [web]\nscheduled_start: 2026-12-01 22:00\nscheduled_end: 2026-12-02 01:00\n",
    ),
];

/// The fixed configuration, read once.
pub fn config() -> &'static Config {
    static CFG: OnceLock<Config> = OnceLock::new();
    CFG.get_or_init(|| {
        let (c, d) = config::read(CONFIG);
        assert!(d.is_empty(), "the fuzz configuration is invalid: {d:?}");
        c
    })
}

/// The fixed runbooks, read with `cfg`.
pub fn runbooks(cfg: &Config) -> Vec<Runbook> {
    RUNBOOKS
        .iter()
        .map(|(rel, text)| runbook::read(&format!("content/{rel}"), rel, text, cfg).0)
        .collect()
}

/// The fixed runbooks, read with the fixed configuration, once.
pub fn fixed_runbooks() -> &'static [Runbook] {
    static RBS: OnceLock<Vec<Runbook>> = OnceLock::new();
    RBS.get_or_init(|| runbooks(config()))
}

/// Builds the site as `sitrep::load::load` does from what was read, checks
/// it, and asserts what tests/properties.rs asserts of every finding.
pub fn check_site(
    cfg: Config,
    runbooks: Vec<Runbook>,
    records: Vec<Record>,
    load_diags: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let site = Site::new(PathBuf::from("."), cfg, runbooks, records, load_diags);
    let diags = check::check(&site, now());
    for d in &diags {
        assert!(
            d.line >= 1 && d.column >= 1,
            "a finding without a position: {d:?}"
        );
        assert!(
            sitrep::diag::rules::by_id(d.rule.id).is_some(),
            "a finding with an unknown rule: {d:?}"
        );
    }
    diags
}

/// Reads each text as a record of the site, as `load::read_record` does.
pub fn read_records<'a>(
    texts: impl IntoIterator<Item = (String, &'a str)>,
    cfg: &Config,
) -> (Vec<Record>, Vec<Diagnostic>) {
    let mut records = Vec::new();
    let mut diags = Vec::new();
    for (file, text) in texts {
        let (rec, d) = incident::read(&file, text, cfg);
        records.push(rec);
        diags.extend(d);
    }
    (records, diags)
}

/// Renders a runbook body as the site renders it (`render::pages`): `.md`
/// links go through `check::checked_link`.
pub fn runbook_html(rb: &Runbook) -> String {
    let rewrite = |dest: &str| -> String {
        match check::checked_link(&rb.file, dest) {
            Some((Some(file), frag)) => match frag {
                Some(f) if !f.is_empty() => format!("/ops/runbooks/{file}#{f}"),
                _ => format!("/ops/runbooks/{file}"),
            },
            _ => dest.to_owned(),
        }
    };
    markdown::to_html(&rb.body, &rewrite)
}
