//! `sitrep draft ID KIND`: the text of a notice, from a template, for the
//! incident manager to send (CLI.md). Writes nothing.
//!
//! Built-in templates live in `notices/`; `templates/notices/KIND.md` in the
//! site replaces one. A template is Tera; its first line `Subject: …` gives
//! the subject, the rest after one blank line is the body.

use crate::due::{self, State};
use crate::model::config::{Config, Recipient};
use crate::model::incident::{Record, Time};
use crate::model::site::Site;
use crate::time::{self, format_duration};
use anyhow::{anyhow, bail, Context as _, Result};
use serde_json::{json, Value};

/// The kinds `draft` writes, each with a built-in template.
pub const KINDS: &[(&str, &str)] = &[
    ("initial", include_str!("notices/initial.md")),
    ("progress", include_str!("notices/progress.md")),
    ("rectification", include_str!("notices/rectification.md")),
    ("overdue", include_str!("notices/overdue.md")),
    ("customer", include_str!("notices/customer.md")),
    ("leadership", include_str!("notices/leadership.md")),
    ("resolution", include_str!("notices/resolution.md")),
];

/// Where a site overrides the built-in template of a kind.
pub fn override_path(kind: &str) -> String {
    format!("templates/notices/{kind}.md")
}

/// A drafted notice.
#[derive(Debug, Clone)]
pub struct Notice {
    pub id: String,
    pub kind: String,
    pub at: Time,
    pub subject: String,
    pub body: String,
    pub to: Vec<Recipient>,
    pub cc: Vec<Recipient>,
}

/// The notice of `kind` for the incident `id` at `at`.
pub fn draft(mut site: Site, id: &str, kind: &str, at: Time) -> Result<Notice> {
    let Some(template) = KINDS.iter().find(|(k, _)| *k == kind).map(|(_, t)| *t) else {
        let names: Vec<&str> = KINDS.iter().map(|(k, _)| *k).collect();
        let near = crate::diag::near_hint(kind, names.iter().copied());
        bail!(
            "`{kind}` is not a notice sitrep drafts: {near}use one of {}",
            names.join(", ")
        );
    };
    if let Some(e) = site.unknown_id(&[id.to_owned()]) {
        bail!(e);
    }
    let now_rec = site
        .record(id)
        .ok_or_else(|| anyhow!("no record has the id `{id}`"))?;
    if now_rec.input_errors {
        bail!(
            "{} has input errors; fix them first (`sitrep check --incident {id}`)",
            now_rec.file
        );
    }
    if let Some(rep) = now_rec.reported().filter(|r| at < *r) {
        bail!(
            "--at {} is before the report at {}: there was nothing to tell yet",
            time::format_local(at, &site.config.timezone, None),
            time::format_local(rep, &site.config.timezone, None)
        );
    }
    // The notice says how things stood at `at`, whatever was recorded since.
    let rec = now_rec.as_of(at);
    if let Some(slot) = site.records.iter_mut().find(|r| r.file == rec.file) {
        *slot = rec.clone();
    }
    site.reindex();
    let site = &site;
    let rec = &rec;
    let custom = site.root.join(override_path(kind));
    let (source, name) = if custom.is_file() {
        let text = std::fs::read_to_string(&custom)
            .with_context(|| format!("cannot read {}", override_path(kind)))?;
        (text, override_path(kind))
    } else {
        (template.to_owned(), format!("the built-in {kind} template"))
    };
    let (to, cc) = recipients(&site.config, kind);
    let ctx = context(site, rec, kind, at, &to, &cc)?;
    let tera_ctx = tera::Context::from_value(ctx).context("cannot build the template context")?;
    let text = tera::Tera::one_off(&source, &tera_ctx, false)
        .map_err(|e| anyhow!("{name}: {}", tera_message(&e)))?;
    let (mut subject, body) = split_subject(&text);
    if subject.is_empty() {
        // A template without `Subject:`: a plain one, so no message goes out blank.
        subject = format!("{kind} notice: {} ({id})", one_line(&rec.title));
    }
    Ok(Notice {
        id: id.to_owned(),
        kind: kind.to_owned(),
        at,
        subject,
        body,
        to,
        cc,
    })
}

/// A text on one line: a title with a line break must not split a
/// subject header from the rest of it.
fn one_line(t: &str) -> String {
    t.split(|c: char| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
        .filter(|p| !p.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Tera's error with its causes, on one line.
fn tera_message(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    parts.join(": ")
}

/// `Subject: …` on the first line, then the body (blank lines trimmed).
fn split_subject(text: &str) -> (String, String) {
    let text = text.trim_start_matches(['\n', '\r']);
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    match first.strip_prefix("Subject:") {
        Some(s) => (s.trim().to_owned(), tidy(rest)),
        None => (String::new(), tidy(text)),
    }
}

/// The body without leading blank lines, runs of more than one blank line,
/// or trailing spaces, ending with one line break.
fn tidy(body: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in body.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() && blank > 0 {
            out.push('\n');
        }
        blank = 0;
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The policy's recipients of a notice: its deliveries' `to`; a resolution
/// goes to those told at the start (the initial notice's recipients).
fn recipients(cfg: &Config, kind: &str) -> (Vec<Recipient>, Vec<Recipient>) {
    let spec = cfg
        .policy
        .notice(kind)
        .or_else(|| cfg.policy.notice("initial"));
    let mut keys: Vec<&str> = Vec::new();
    for d in spec.iter().flat_map(|s| &s.deliver) {
        for k in &d.to {
            if !keys.contains(&k.as_str()) {
                keys.push(k);
            }
        }
    }
    let to = keys
        .into_iter()
        .map(|k| {
            cfg.recipient(k).cloned().unwrap_or_else(|| Recipient {
                key: k.to_owned(),
                name: k.to_owned(),
                ..Recipient::default()
            })
        })
        .collect();
    (to, Vec::new())
}

fn recipient_json(r: &Recipient) -> Value {
    json!({ "key": r.key, "name": r.name, "email": r.email, "phone": r.phone })
}

/// What a template can use (docs/incident-workflow.md lists it).
fn context(
    site: &Site,
    rec: &Record,
    kind: &str,
    at: Time,
    to: &[Recipient],
    cc: &[Recipient],
) -> Result<Value> {
    let cfg = &site.config;
    let zone = &cfg.timezone;
    let local = |t: Option<Time>| t.map(|t| time::format_local(t, zone, None));
    let level = rec.severity.unwrap_or(0);
    let spec = cfg.policy.level(level);
    let services: Vec<String> = rec
        .services
        .iter()
        .map(|s| {
            cfg.service(&s.id)
                .map_or_else(|| s.id.clone(), |x| x.name.clone())
        })
        .collect();
    let latest = rec.updates.iter().rfind(|u| u.at.is_none_or(|t| t <= at));
    let latest_update = latest.map(|u| {
        format!(
            "{} {}: {}",
            local(u.at).unwrap_or_default(),
            u.status.as_deref().unwrap_or("update"),
            u.text.trim()
        )
    });
    let rep = due::report(site, at, &[rec.id_str().to_owned()])?;
    let items: Vec<&due::Item> = rep.incidents.iter().flat_map(|i| &i.items).collect();
    let due_at = items
        .iter()
        .find(|i| {
            i.kind == "notice" && i.name == kind && matches!(i.state, State::Due | State::Late)
        })
        .map(|i| local(Some(i.due)).unwrap_or_default());
    let missed: Vec<String> = items
        .iter()
        .filter(|i| i.kind == "target" && matches!(i.state, State::Late | State::Missed))
        .map(|i| {
            let limit = i
                .target
                .map(|(_, d, _)| format_duration(d))
                .unwrap_or_default();
            format!(
                "{} within {limit}, due {}",
                i.name,
                local(Some(i.due)).unwrap_or_default()
            )
        })
        .collect();
    let recover_by = match (rec.reported(), spec) {
        (Some(r), Some(s)) => local(Some(r + s.recover)).unwrap_or_default(),
        _ => "as soon as we can".to_owned(),
    };
    let next_update = cfg
        .policy
        .notice("progress")
        .filter(|p| p.applies_to(level) && !p.every.is_zero())
        .map_or_else(
            || "the next change".to_owned(),
            |p| local(Some(at + p.every)).unwrap_or_default(),
        );
    let manager = rec.roles.get("incident_manager");
    let signature = match manager {
        Some(m) => format!("{m}\nIncident manager, {}", cfg.title),
        None => format!("The incident team, {}", cfg.title),
    };
    Ok(json!({
        "site": { "title": cfg.title },
        "zone": zone.to_string(),
        "at": local(Some(at)),
        "kind": kind,
        "due": due_at,
        "next_update": next_update,
        "signature": signature,
        "report_owed": cfg.policy.report_levels.contains(&level),
        "incident": {
            "id": rec.id_str(),
            "title": one_line(&rec.title),
            "level": level,
            "level_name": spec.map(|s| s.name.clone()),
            "status": rec.effective_status(),
            "impact": rec.impact,
            "services": services,
            "reported": local(rec.reported()),
            "started": local(rec.started()),
            "responded": local(rec.time("responded_at")),
            "recovered": local(rec.time("recovered_at")),
            "resolved": local(rec.time("resolved_at")),
            "manager": manager,
            "tech_lead": rec.roles.get("tech_lead"),
            "latest_update": latest_update,
            "latest_public_update": latest.map(|u| u.text.trim().to_owned()),
        },
        "targets": {
            "respond": spec.map(|s| format_duration(s.respond)),
            "recover": spec.map(|s| format_duration(s.recover)),
            "resolve": spec.map(|s| format_duration(s.resolve)),
            "recover_by": recover_by,
            "missed": missed,
        },
        "to": to.iter().map(recipient_json).collect::<Vec<_>>(),
        "cc": cc.iter().map(recipient_json).collect::<Vec<_>>(),
    }))
}

/// The notice as text: the headers a person copies, then the body.
pub fn text(n: &Notice) -> String {
    let who = |list: &[Recipient]| -> String {
        list.iter()
            .map(|r| {
                let mut s = format!("{} ({})", r.name, r.key);
                let mut addr: Vec<&str> = r.email.iter().map(String::as_str).collect();
                addr.extend(r.phone.iter().map(String::as_str));
                if !addr.is_empty() {
                    s.push_str(&format!(" <{}>", addr.join(", ")));
                }
                s
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut s = format!("To: {}\n", who(&n.to));
    if !n.cc.is_empty() {
        s.push_str(&format!("Cc: {}\n", who(&n.cc)));
    }
    s.push_str(&format!("Subject: {}\n\n{}", n.subject, n.body));
    s
}

/// The notice as an RFC 5322 message a mail client opens as a draft
/// (`X-Unsent: 1`). Recipients without an address are named in the body's
/// first line instead, since a header cannot hold them.
pub fn eml(n: &Notice, from: Option<&str>) -> Result<String> {
    use mail_builder::headers::address::Address;
    use mail_builder::headers::raw::Raw;
    use mail_builder::MessageBuilder;
    let addresses = |list: &[Recipient]| -> Vec<Address<'static>> {
        list.iter()
            .flat_map(|r| {
                r.email
                    .iter()
                    .map(|e| Address::new_address(Some(r.name.clone()), e.clone()))
            })
            .collect()
    };
    let unaddressed: Vec<String> =
        n.to.iter()
            .chain(&n.cc)
            .filter(|r| r.email.is_empty())
            .map(|r| format!("{} ({})", r.name, r.key))
            .collect();
    let mut body = String::new();
    if !unaddressed.is_empty() {
        body.push_str(&format!(
            "[Also for, with no address in sitrep.yaml: {}]\n\n",
            unaddressed.join("; ")
        ));
    }
    body.push_str(&n.body);
    let from = match from {
        Some(f) if !f.contains('@') || f.chars().any(|c| c.is_whitespace() || c.is_control()) => {
            bail!("--from `{f}` is not a mail address (name@example.com)")
        }
        Some(f) => Address::new_address(None::<String>, f.to_owned()),
        // RFC 2606's `.invalid`: a sender a mail client shows, and that no
        // one receives, until the person sending puts their own.
        None => Address::new_address(Some("Incident manager"), "incident-manager@sitrep.invalid"),
    };
    let mut m = MessageBuilder::new()
        .from(from)
        .subject(n.subject.clone())
        .date(n.at.timestamp())
        .message_id(format!(
            "{}.{}.{}@sitrep.invalid",
            n.id.to_lowercase()
                .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "-"),
            n.kind,
            n.at.timestamp()
        ))
        .header("X-Unsent", Raw::new("1"))
        .text_body(body);
    let to = addresses(&n.to);
    m = if to.is_empty() {
        // RFC 5322's empty group: a To header that a client shows, for the
        // sender to fill in (the recipients are named in the body).
        m.to(Address::new_group(
            Some("undisclosed-recipients"),
            Vec::new(),
        ))
    } else {
        m.to(Address::new_list(to))
    };
    let cc = addresses(&n.cc);
    if !cc.is_empty() {
        m = m.cc(Address::new_list(cc));
    }
    m.write_to_string().context("cannot write the message")
}
