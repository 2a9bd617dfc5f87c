//! The checklist in words: each item's message and label, the human
//! output and the JSON document (docs/due.md).

use super::*;

/// `service-owner` → its description in sitrep.yaml, else the key.
fn who(site: &Site, key: &str) -> String {
    site.config
        .recipient_description(key)
        .map_or_else(|| key.to_owned(), str::to_owned)
}

fn channel(c: &str) -> String {
    match c {
        "sms" | "pa" => c.to_uppercase(),
        _ => c.to_owned(),
    }
}

/// `SMS+email to Service owner, O&M team; phone to R&D leader`.
fn deliveries_text(site: &Site, deliver: &[(Vec<String>, Vec<String>)]) -> String {
    deliver
        .iter()
        .map(|(ch, to)| {
            let to: Vec<String> = to.iter().map(|k| who(site, k)).collect();
            if ch.is_empty() {
                format!("any channel to {}", to.join(", "))
            } else {
                let ch: Vec<String> = ch.iter().map(|c| channel(c)).collect();
                format!("{} to {}", ch.join("+"), to.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `rd-leader by phone` → `R&D leader by phone`.
fn missing_text(site: &Site, item: &Item, m: &str) -> String {
    let mut keys: Vec<&String> = item.deliver.iter().flat_map(|(_, to)| to).collect();
    keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
    for k in keys {
        if let Some(rest) = m.strip_prefix(k.as_str()) {
            if rest.is_empty() || rest.starts_with(' ') {
                return format!("{}{rest}", who(site, k));
            }
        }
    }
    m.to_owned()
}

fn target_noun(name: &str) -> &'static str {
    match name {
        "respond" => "response",
        "recover" => "recovery",
        _ => "resolution",
    }
}

/// The sentence of an item, for people and chat bots alike.
pub fn message(site: &Site, rec_reported: Option<Time>, now: Time, item: &Item) -> String {
    let zone = &site.config.timezone;
    let day = Some(time::local_date(now, zone));
    let t = |x: Time| time::format_local(x, zone, day);
    if let Some((level, limit, field)) = item.target {
        let head = format!(
            "{} (level {level} target {})",
            target_noun(item.name),
            format_duration(limit)
        );
        return match (item.state, item.done_at) {
            (State::Done, Some(_)) if item.late_by.is_some() => {
                format!("{head}: `{field}` late, due by {}", t(item.due))
            }
            (State::Done, _) => head,
            (State::Late, _) => format!("{head}: no `{field}` yet, due by {}", t(item.due)),
            _ => format!("{head}: record `{field}` when it happens"),
        };
    }
    let mut s = format!("{} notice", item.name);
    let since = (Some(item.start) != rec_reported && item.name != "progress")
        .then(|| format!(" (for {})", item.cause));
    match item.state {
        State::Late | State::Due if !item.missing.is_empty() => {
            let m: Vec<String> = item
                .missing
                .iter()
                .map(|m| missing_text(site, item, m))
                .collect();
            let verb = if item.state == State::Late {
                "did not reach"
            } else {
                "still to reach"
            };
            let _ = write!(s, ": {verb} {}", m.join("; "));
        }
        State::Late | State::Due => {
            let _ = write!(s, ": {}", deliveries_text(site, &item.deliver));
        }
        State::Missed => match item.gap {
            Some((a, b)) => {
                let _ = write!(
                    s,
                    ": none between {} and {} (every {} until recovery)",
                    t(a),
                    t(b),
                    format_duration(item.due - a)
                );
            }
            None => {
                let m: Vec<String> = item
                    .missing
                    .iter()
                    .map(|m| missing_text(site, item, m))
                    .collect();
                let _ = write!(s, ": did not reach {}", m.join("; "));
            }
        },
        State::Done => {
            if let (Some(late), Some((a, _))) = (item.late_by, item.gap) {
                let _ = write!(
                    s,
                    ": none between {} and the one at {} ({} late)",
                    t(a),
                    item.done_at.map_or_else(String::new, t),
                    format_duration(late)
                );
            } else if let Some(late) = item.late_by {
                let _ = write!(
                    s,
                    ": {} late, due by {}",
                    format_duration(late),
                    t(item.due)
                );
            }
        }
        State::Lapsed => {
            let _ = write!(
                s,
                ": dropped by a change of level (was due by {})",
                t(item.due)
            );
        }
    }
    if let Some(since) = since {
        s.push_str(&since);
    }
    if item.waived {
        s.push_str(" [waived]");
    }
    s
}

/// The left column of a line: `LATE 12m`, `due 03:10`, `done 02:52` …
fn label(site: &Site, now: Time, item: &Item) -> String {
    let zone = &site.config.timezone;
    let day = Some(time::local_date(now, zone));
    let t = |x: Time| time::format_local(x, zone, day);
    match item.state {
        State::Late => format!(
            "LATE {}",
            format_duration(item.late_by.unwrap_or_else(Duration::zero))
        ),
        State::Due => format!("due {}", t(item.due)),
        State::Done => match item.done_at {
            Some(d) => format!("done {}", t(d)),
            None => "done".to_owned(),
        },
        State::Missed => format!("missed {}", t(item.due)),
        State::Lapsed => format!("lapsed {}", t(item.due)),
    }
}

/// The checklist for a terminal.
pub fn human(site: &Site, rep: &Report, color: bool) -> String {
    let zone = &site.config.timezone;
    let local = zone.local(rep.now).format("%Y-%m-%d %H:%M");
    let mut s = String::new();
    let open = rep.incidents.iter().filter(|i| i.open).count();
    let late: usize = rep
        .incidents
        .iter()
        .flat_map(|i| &i.items)
        .filter(|i| i.state == State::Late)
        .count();
    let _ = writeln!(
        s,
        "Due at {local} {}: {open} open incident{}, {late} late item{}",
        zone.abbreviation(rep.now),
        if open == 1 { "" } else { "s" },
        if late == 1 { "" } else { "s" }
    );
    if !rep.input_errors.is_empty() {
        let _ = writeln!(s, "\n{}", input_error_line(&rep.input_errors));
    }
    for inc in &rep.incidents {
        s.push('\n');
        let level = match (inc.level, &inc.level_name) {
            (Some(l), Some(n)) => format!("level {l} ({n})"),
            (Some(l), None) => format!("level {l}"),
            _ => "level ?".to_owned(),
        };
        let _ = writeln!(
            s,
            "{}  {level}, {}  {}",
            inc.id,
            inc.status,
            inc.title
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect::<String>()
        );
        if inc.input_errors {
            let _ = writeln!(
                s,
                "  {} has input errors: fix them first (`sitrep check --incident {}`)",
                inc.file, inc.id
            );
            continue;
        }
        if !inc.open {
            let _ = writeln!(s, "  {}: nothing is due", inc.status);
            continue;
        }
        if inc.items.is_empty() {
            let _ = writeln!(s, "  nothing is due");
            continue;
        }
        let labels: Vec<String> = inc.items.iter().map(|i| label(site, rep.now, i)).collect();
        let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        for (item, l) in inc.items.iter().zip(&labels) {
            let pad = " ".repeat(width.saturating_sub(l.chars().count()));
            let l = if color && item.state == State::Late {
                format!("\x1b[1;31m{l}\x1b[0m")
            } else {
                l.clone()
            };
            let _ = writeln!(
                s,
                "  {l}{pad}  {}",
                message(site, inc.reported, rep.now, item)
            );
        }
    }
    s
}

/// The JSON document (docs/due.md): stable, for chat bots.
pub fn to_json(site: &Site, rep: &Report) -> Value {
    let incidents: Vec<Value> = rep
        .incidents
        .iter()
        .map(|inc| {
            let items: Vec<Value> = inc
                .items
                .iter()
                .map(|i| {
                    let mut recipients: Vec<&String> = Vec::new();
                    let mut channels: Vec<&String> = Vec::new();
                    for (ch, to) in &i.deliver {
                        for k in to {
                            if !recipients.contains(&k) {
                                recipients.push(k);
                            }
                        }
                        for c in ch {
                            if !channels.contains(&c) {
                                channels.push(c);
                            }
                        }
                    }
                    let deliver: Vec<Value> = i
                        .deliver
                        .iter()
                        .map(|(ch, to)| {
                            let names: Vec<String> = to.iter().map(|k| who(site, k)).collect();
                            json!({ "channels": ch, "to": to, "to_names": names })
                        })
                        .collect();
                    json!({
                        "kind": i.kind,
                        "name": i.name,
                        "rule": i.rule,
                        "state": i.state.as_str(),
                        "cause": i.cause,
                        "due": time::rfc3339(i.due),
                        "done_at": i.done_at.map(time::rfc3339),
                        "late_by_seconds": i.late_by.map(|d| d.num_seconds()),
                        "recipients": recipients,
                        "channels": channels,
                        "deliver": deliver,
                        "missing": i.missing,
                        "target": i.target.map(|(level, limit, field)| json!({
                            "level": level,
                            "limit_seconds": limit.num_seconds(),
                            "field": field,
                        })),
                        "finding": i.finding,
                        "waived": i.waived,
                        "level": i.level.as_str(),
                        "message": message(site, inc.reported, rep.now, i),
                    })
                })
                .collect();
            json!({
                "id": inc.id,
                "title": inc.title,
                "file": inc.file,
                "status": inc.status,
                "level": inc.level,
                "level_name": inc.level_name,
                "reported_at": inc.reported.map(time::rfc3339),
                "open": inc.open,
                "input_errors": inc.input_errors,
                "items": items,
            })
        })
        .collect();
    json!({
        "version": 1,
        "now": time::rfc3339(rep.now),
        "timezone": site.config.timezone.to_string(),
        "input_errors": rep.input_errors.iter().map(|d| json!({
            "rule": d.rule.id,
            "file": d.file,
            "line": d.line,
            "column": d.column,
            "message": d.message,
        })).collect::<Vec<Value>>(),
        "incidents": incidents,
    })
}
