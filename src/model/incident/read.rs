//! Reading an incident or maintenance record from its YAML text into the
//! model of `super`, with a diagnostic for everything that does not fit.

use super::*;
use crate::diag::rules;
use crate::diag::{did_you_mean, Diagnostic};
use crate::model::config::Config;
use crate::model::policy::{CHANNELS, RECORD_KINDS};
use crate::model::read::Reader;
use crate::time::{self, Stamp};
use crate::yaml::{self, Node, Pos, Value};
use std::collections::BTreeMap;

const MAINTENANCE_KEYS: &[&str] = &[
    "kind",
    "id",
    "title",
    "services",
    "scheduled_start",
    "scheduled_end",
    "updates",
    "public",
    "impact",
    "links",
    "status",
    "imported",
];
/// Reads one record file.
pub fn read(file: &str, text: &str, cfg: &Config) -> (Record, Vec<Diagnostic>) {
    let mut rec = Record::empty(file);
    let mut r = Reader::new(file, cfg.timezone);
    let node = match yaml::parse(text) {
        Ok(n) => n,
        Err(e) => {
            // Give the finding an incident id when one can be seen in the text.
            r.incident = sniff_id(text);
            rec.id = r.incident.clone();
            let help = yaml_help(&e.message);
            r.emit(&rules::YAML, e.pos, e.message, help);
            rec.input_errors = true;
            return (rec, r.out);
        }
    };
    if node.is_null() {
        r.schema(
            Pos::START,
            "the record is empty",
            "write at least id, title, severity and reported_at",
        );
        rec.input_errors = true;
        return (rec, r.out);
    }
    if node.as_map().is_none() {
        r.schema(
            node.pos,
            format!(
                "a record must be a mapping of keys to values, not {}",
                node.type_name()
            ),
            "",
        );
        rec.input_errors = true;
        return (rec, r.out);
    }
    // Read `id` and `kind` first: every other finding names the incident,
    // and the kind decides which keys are allowed.
    if let Some(idn) = node.get("id") {
        rec.id_pos = idn.pos;
        match r.text(idn, "id") {
            Some(id) if !id.trim().is_empty() => rec.id = Some(id),
            _ => r.schema(idn.pos, "`id` must not be empty", ""),
        }
        r.incident = rec.id.clone();
    }
    let id_line = node.get("id").map_or(Pos::START, |n| n.pos);
    if let Some(k) = node.get("kind") {
        if r.choice(k, "kind", &["incident", "maintenance"]) == Some("maintenance") {
            rec.kind = Kind::Maintenance;
        }
    }
    let allowed = if rec.kind == Kind::Maintenance {
        MAINTENANCE_KEYS
    } else {
        super::KEYS
    };
    let what = if rec.kind == Kind::Maintenance {
        "a maintenance record"
    } else {
        "an incident record"
    };
    let Some(fields) = r.fields(&node, allowed, what) else {
        rec.input_errors = true;
        return (rec, r.out);
    };
    let required: &[&str] = if rec.kind == Kind::Maintenance {
        &["id", "title", "scheduled_start", "scheduled_end"]
    } else {
        &["id", "title", "severity", "reported_at"]
    };
    r.require(&fields, required, id_line, what);

    // Lifecycle times come first: list entries take their dates from them.
    for (k, v) in &fields {
        if let Some(f) = LIFECYCLE.iter().find(|f| *f == k) {
            if let Some(Stamp::At(t)) = r.stamp(v, f, false) {
                rec.times.insert(
                    f,
                    At {
                        time: t,
                        pos: v.pos,
                    },
                );
            }
        }
        if matches!(*k, "scheduled_start" | "scheduled_end") {
            if let Some(Stamp::At(t)) = r.stamp(v, k, false) {
                let at = Some(At {
                    time: t,
                    pos: v.pos,
                });
                if *k == "scheduled_start" {
                    rec.scheduled_start = at;
                } else {
                    rec.scheduled_end = at;
                }
            }
        }
    }
    // The first time-only entry of a list takes the date of reported_at (of
    // scheduled_start in a maintenance window).
    let anchor = match rec.kind {
        Kind::Incident => rec.reported(),
        Kind::Maintenance => rec.scheduled_start.as_ref().map(|a| a.time),
    };

    for (k, v) in &fields {
        match *k {
            "title" => rec.title = r.text(v, k).unwrap_or_default(),
            "severity" => {
                rec.severity_pos = v.pos;
                rec.severity = level(&mut r, v, "severity", cfg);
            }
            "status" => {
                rec.status_pos = v.pos;
                let allowed = if rec.kind == Kind::Maintenance {
                    MAINTENANCE_STATUSES
                } else {
                    STATUSES
                };
                rec.status = r.choice(v, k, allowed).map(str::to_owned);
            }
            "impact" => {
                if let Some(i) = r.choice(v, k, IMPACTS) {
                    rec.impact = i.to_owned();
                }
            }
            "services" => rec.services = services(&mut r, v, cfg),
            "parent" => rec.parent = r.text(v, k).map(|p| (p, v.pos)),
            "problem" => rec.problem = r.text(v, k).filter(|p| !p.trim().is_empty()),
            "runbook" => rec.runbook = r.text(v, k).map(|p| (p, v.pos)),
            "public" => rec.public = r.boolean(v, k).unwrap_or(true),
            "roles" => {
                if let Some(f) = r.fields(v, ROLES, "`roles`") {
                    for (role, name) in f {
                        if let Some(n) = r.text(name, role).filter(|n| !n.trim().is_empty()) {
                            rec.roles.insert(role.to_owned(), n);
                        }
                    }
                }
            }
            "escalations" => rec.escalations = escalations(&mut r, v, anchor, cfg),
            "notifications" => rec.notifications = notifications(&mut r, v, anchor, cfg),
            "timeline" => {
                rec.timeline = entries(&mut r, v, "timeline", anchor, &["at", "by", "text"])
                    .into_iter()
                    .map(|(at, pos, mut f, _)| Entry {
                        at,
                        pos,
                        by: f.remove("by"),
                        text: f.remove("text").unwrap_or_default(),
                    })
                    .collect();
            }
            "updates" => {
                let statuses = if rec.kind == Kind::Maintenance {
                    MAINTENANCE_STATUSES
                } else {
                    UPDATE_STATUSES
                };
                rec.updates = updates(&mut r, v, anchor, statuses);
            }
            "links" => rec.links = links(&mut r, v),
            "report" => rec.report = report(&mut r, v),
            "imported" => rec.imported = imported(&mut r, v),
            "waivers" => rec.waivers = waivers(&mut r, v),
            _ => {}
        }
    }
    crate::model::comment::check(text, &node, &mut r);
    rec.input_errors = r.has_input_errors();
    (rec, r.out)
}

/// The fix for a YAML syntax error, by what the parser said.
fn yaml_help(message: &str) -> &'static str {
    let m = message.to_lowercase();
    if m.contains("tab") {
        "indent with spaces: YAML does not allow tabs there"
    } else if m.contains("alias")
        || m.contains("anchor")
        || m.contains("depth")
        || m.contains("nest")
    {
        "write the record out plainly: no anchors or aliases, and no deeply nested lists"
    } else {
        "fix the YAML syntax; quote values that contain `: ` or `#`"
    }
}

/// Finds `id: X` at the start of a line, for files that do not parse.
fn sniff_id(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let v = l.strip_prefix("id:")?.trim();
        let v = v.trim_matches(['"', '\'']);
        (!v.is_empty()).then(|| v.to_owned())
    })
}

/// A severity level: any value that is not a level the policy defines is
/// `unknown-level`, whatever its type.
fn level(r: &mut Reader, v: &Node, field: &str, cfg: &Config) -> Option<i64> {
    let text = match &v.value {
        Value::Seq(_) | Value::Map(_) => format!("({})", v.type_name()).into(),
        _ => v.scalar_text().unwrap_or_default(),
    };
    let parsed = text
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|l| cfg.policy.level(*l).is_some());
    if parsed.is_none() {
        r.emit(
            &rules::UNKNOWN_LEVEL,
            v.pos,
            format!("`{field}`: level `{text}` is not defined by the policy"),
            &format!(
                "use one of the levels {} (1 is the most severe)",
                cfg.policy.level_list()
            ),
        );
    }
    parsed
}

fn services(r: &mut Reader, v: &Node, cfg: &Config) -> Vec<ServiceRef> {
    let mut out = Vec::new();
    for item in r.list(v, "services") {
        let (id, impact) = match &item.value {
            Value::Map(_) => {
                let Some(f) = r.fields(item, &["id", "impact"], "a service entry") else {
                    continue;
                };
                r.require(&f, &["id"], item.pos, "a service entry");
                let mut id = None;
                let mut impact = None;
                for (k, n) in f {
                    if k == "id" {
                        id = r.text(n, k).map(|t| (t, n.pos));
                    } else {
                        impact = r.choice(n, k, IMPACTS).map(str::to_owned);
                    }
                }
                (id, impact)
            }
            _ => (r.text(item, "services").map(|t| (t, item.pos)), None),
        };
        let Some((id, pos)) = id else { continue };
        if cfg.service(&id).is_none() {
            let help = did_you_mean(&id, cfg.services.iter().map(|s| s.id.as_str())).map_or_else(
                || format!("services in sitrep.yaml: {}", cfg.service_list()),
                |m| format!("did you mean `{m}`?"),
            );
            r.emit(
                &rules::UNKNOWN_SERVICE,
                pos,
                format!("service `{id}` is not in the catalog of sitrep.yaml"),
                &help,
            );
        }
        out.push(ServiceRef { id, impact, pos });
    }
    out
}

/// A list entry: its time, position, text fields and the node itself.
type ListEntry<'n, 't> = (
    Option<Time>,
    Pos,
    BTreeMap<&'static str, String>,
    &'n Node<'t>,
);

/// Reads list entries with an `at:` (time-only allowed). Time-only entries
/// take the local date of the entry before them, or of `anchor` for the
/// first. Returns (time, position, text fields).
fn entries<'n, 't>(
    r: &mut Reader,
    v: &'n Node<'t>,
    field: &str,
    anchor: Option<Time>,
    keys: &[&'static str],
) -> Vec<ListEntry<'n, 't>> {
    let mut prev = anchor;
    let mut out = Vec::new();
    let what = format!("a `{field}` entry");
    for item in r.list(v, field) {
        let Some(f) = r.fields(item, keys, &what) else {
            continue;
        };
        r.require(&f, &["at"], item.pos, &what);
        let mut at = None;
        let mut texts = BTreeMap::new();
        for (k, n) in &f {
            if *k == "at" {
                at = match r.stamp(n, "at", true) {
                    Some(Stamp::At(t)) => Some(t),
                    Some(Stamp::TimeOnly(tod)) => match prev {
                        Some(p) => {
                            let t = time::resolve_on(p, tod, &r.zone);
                            if t.is_none() {
                                let text = n.scalar_text().unwrap_or_default();
                                r.emit(
                                    &rules::BAD_TIME,
                                    n.pos,
                                    format!(
                                        "`at`: {}",
                                        time::TimeError::Skipped.describe(&text, &r.zone)
                                    ),
                                    "",
                                );
                            }
                            t
                        }
                        None => None,
                    },
                    None => None,
                };
            } else if matches!(*k, "by" | "text" | "summary" | "reason") {
                if let Some(t) = r.text(n, k) {
                    texts.insert(*k, t);
                }
            }
        }
        if at.is_some() {
            prev = at;
        }
        out.push((at, item.pos, texts, item));
    }
    out
}

fn escalations(r: &mut Reader, v: &Node, anchor: Option<Time>, cfg: &Config) -> Vec<Escalation> {
    let keys = &["at", "from", "to", "reason"];
    let base = entries(r, v, "escalations", anchor, keys);
    let mut out = Vec::with_capacity(base.len());
    for (at, pos, mut texts, item) in base {
        let mut e = Escalation {
            at,
            pos,
            from: None,
            from_pos: pos,
            to: None,
            to_pos: pos,
            reason: texts.remove("reason"),
        };
        for key in ["from", "to"] {
            match item.get(key) {
                Some(n) => {
                    let l = level(r, n, key, cfg);
                    if key == "from" {
                        e.from = l;
                        e.from_pos = n.pos;
                    } else {
                        e.to = l;
                        e.to_pos = n.pos;
                    }
                }
                None => r.schema(
                    item.pos,
                    format!("an escalation lacks the required `{key}`"),
                    &format!("add `{key}:` with the level"),
                ),
            }
        }
        out.push(e);
    }
    out
}

fn notifications(r: &mut Reader, v: &Node, anchor: Option<Time>, cfg: &Config) -> Vec<Notice> {
    let keys = &["at", "kind", "channels", "to", "cc", "summary"];
    let base = entries(r, v, "notifications", anchor, keys);
    let mut out = Vec::with_capacity(base.len());
    for (at, pos, mut texts, item) in base {
        let mut n = Notice {
            at,
            pos,
            kind: String::new(),
            channels: Vec::new(),
            to: Vec::new(),
            cc: Vec::new(),
            summary: texts.remove("summary"),
        };
        match item.get("kind") {
            Some(k) => n.kind = r.choice(k, "kind", RECORD_KINDS).unwrap_or("").to_owned(),
            None => r.schema(
                item.pos,
                "a notification lacks the required `kind`",
                &format!("add `kind:` ({})", RECORD_KINDS.join(", ")),
            ),
        }
        if let Some(c) = item.get("channels") {
            for (ch, p) in r.text_list(c, "channels") {
                if CHANNELS.contains(&ch.as_str()) {
                    n.channels.push(ch);
                } else {
                    let help = match did_you_mean(&ch, CHANNELS.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`? (one of {})", CHANNELS.join(", ")),
                        None => format!("use one of {}", CHANNELS.join(", ")),
                    };
                    r.schema(p, format!("`{ch}` is not a channel"), &help);
                }
            }
        }
        for (key, list) in [("to", &mut n.to), ("cc", &mut n.cc)] {
            let Some(t) = item.get(key) else { continue };
            for (who, p) in r.text_list(t, key) {
                recipient_typo(r, &who, p, cfg);
                list.push(who);
            }
        }
        out.push(n);
    }
    out
}

/// Rule `recipient-typo`: free text that is almost a recipient key or
/// description (`leadrship`), and so reaches nobody the policy counts.
fn recipient_typo(r: &mut Reader, who: &str, pos: Pos, cfg: &Config) {
    // Keys first: nearly every recipient is one, and that needs no copy.
    if cfg.recipients.iter().any(|r| r.key == who) {
        return;
    }
    let lower = who.to_lowercase();
    if cfg
        .recipients
        .iter()
        .any(|r| r.name.to_lowercase() == lower)
    {
        return;
    }
    // Closer than did_you_mean's reach for keys: descriptions are long,
    // and a different team's name must not read as a typo.
    let near = cfg
        .recipients
        .iter()
        .flat_map(|r| [(&r.key, &r.key), (&r.key, &r.name)])
        .map(|(k, name)| {
            // Optimal string alignment: a swapped pair (`om-taem`) is one edit.
            let d = strsim::osa_distance(&lower, &name.to_lowercase());
            (d, d <= (name.chars().count() / 5).max(1), k)
        })
        .filter(|(_, close, _)| *close)
        .min_by_key(|(d, _, _)| *d);
    if let Some((_, _, key)) = near {
        r.emit(
            &rules::RECIPIENT_TYPO,
            pos,
            format!("`{who}` is not a recipient of sitrep.yaml: did you mean `{key}`?"),
            &format!(
                "write `{key}` so that the notice counts for the policy; free text that names no recipient is kept as written, but reaches no one the policy asks for"
            ),
        );
    }
}

fn updates(
    r: &mut Reader,
    v: &Node,
    anchor: Option<Time>,
    statuses: &[&'static str],
) -> Vec<Update> {
    let keys = &["at", "status", "text"];
    let base = entries(r, v, "updates", anchor, keys);
    base.into_iter()
        .map(|(at, pos, mut texts, item)| Update {
            at,
            pos,
            status: item
                .get("status")
                .and_then(|s| r.choice(s, "status", statuses))
                .map(str::to_owned),
            status_pos: item.get("status").map_or(pos, |s| s.pos),
            text: texts.remove("text").unwrap_or_default(),
        })
        .collect()
}

fn links(r: &mut Reader, v: &Node) -> Vec<LinkRef> {
    let mut out = Vec::new();
    for item in r.list(v, "links") {
        let Some(f) = r.fields(item, &["title", "url"], "a link") else {
            continue;
        };
        r.require(&f, &["url"], item.pos, "a link");
        let mut l = LinkRef {
            title: String::new(),
            url: String::new(),
        };
        for (k, n) in f {
            let t = r.text(n, k).unwrap_or_default();
            if k == "title" {
                l.title = t;
            } else {
                l.url = t;
            }
        }
        if l.title.is_empty() {
            l.title = l.url.clone();
        }
        out.push(l);
    }
    out
}

/// `imported: { from, id, url }`, as `sitrep import` writes it.
fn imported(r: &mut Reader, v: &Node) -> Option<Imported> {
    let f = r.fields(v, &["from", "id", "url"], "`imported`")?;
    r.require(&f, &["from", "id"], v.pos, "`imported`");
    let mut out = Imported {
        from: String::new(),
        id: String::new(),
        url: None,
    };
    for (k, n) in f {
        match k {
            "from" => out.from = r.choice(n, k, IMPORT_SOURCES)?.to_owned(),
            "id" => out.id = r.text(n, k)?,
            _ => out.url = r.text(n, k),
        }
    }
    (!out.from.is_empty() && !out.id.trim().is_empty()).then_some(out)
}

fn report(r: &mut Reader, v: &Node) -> Option<Report> {
    let keys = &[
        "conditions",
        "actions",
        "needs",
        "root_cause",
        "completed_at",
        "follow_ups",
    ];
    let f = r.fields(v, keys, "`report`")?;
    let mut rep = Report {
        pos: v.pos,
        ..Report::default()
    };
    for (k, n) in f {
        match k {
            "conditions" => rep.conditions = r.text(n, k).filter(|t| !t.trim().is_empty()),
            "actions" => rep.actions = r.text(n, k).filter(|t| !t.trim().is_empty()),
            "needs" => rep.needs = r.text(n, k).filter(|t| !t.trim().is_empty()),
            "root_cause" => rep.root_cause = r.text(n, k),
            "completed_at" => {
                if let Some(Stamp::At(t)) = r.stamp(n, k, false) {
                    rep.completed_at = Some(At {
                        time: t,
                        pos: n.pos,
                    });
                }
            }
            "follow_ups" => {
                for item in r.list(n, k) {
                    let Some(ff) = r.fields(
                        item,
                        &["title", "owner", "due", "done", "link"],
                        "a follow-up",
                    ) else {
                        continue;
                    };
                    r.require(&ff, &["title"], item.pos, "a follow-up");
                    let mut fu = FollowUp {
                        title: String::new(),
                        owner: None,
                        due: None,
                        done: false,
                        link: None,
                        pos: item.pos,
                    };
                    for (fk, fv) in ff {
                        match fk {
                            "title" => fu.title = r.text(fv, fk).unwrap_or_default(),
                            "owner" => fu.owner = r.text(fv, fk),
                            "due" => fu.due = r.date(fv, fk),
                            "done" => fu.done = r.boolean(fv, fk).unwrap_or(false),
                            _ => fu.link = r.text(fv, fk),
                        }
                    }
                    rep.follow_ups.push(fu);
                }
            }
            _ => {}
        }
    }
    Some(rep)
}

fn waivers(r: &mut Reader, v: &Node) -> Vec<Waiver> {
    let mut out = Vec::new();
    for item in r.list(v, "waivers") {
        let Some(f) = r.fields(item, &["rule", "reason"], "a waiver") else {
            continue;
        };
        r.require(&f, &["rule", "reason"], item.pos, "a waiver");
        let mut w = Waiver {
            rule: String::new(),
            reason: String::new(),
            pos: item.pos,
        };
        for (k, n) in f {
            let t = r.text(n, k).unwrap_or_default();
            if k == "rule" {
                let ok = crate::diag::rules::by_id(&t).is_some_and(|rule| rule.waivable());
                if !ok {
                    let procedure = crate::diag::RULES
                        .iter()
                        .filter(|r| r.waivable())
                        .map(|r| r.id);
                    let help = match did_you_mean(&t, procedure) {
                        Some(s) if crate::diag::rules::by_id(&t).is_none() => format!("did you mean `{s}`?"),
                        _ => "only procedure rules other than waiver-unused can be waived; fix input errors instead".to_owned(),
                    };
                    r.schema(n.pos, format!("a waiver cannot name `{t}`"), &help);
                }
                w.rule = t;
            } else {
                if t.trim().is_empty() {
                    r.schema(
                        n.pos,
                        "a waiver needs a reason",
                        "say why the finding is accepted",
                    );
                }
                w.reason = t;
            }
        }
        out.push(w);
    }
    out
}
