//! Recording an incident as it happens (CLI.md, "Recording an incident"):
//! `respond`, `update`, `log`, `notify`, `escalate`, `recover`, `resolve`,
//! `close`. Each one edits one record in place ([`yaml::edit`]), checks the
//! result as `sitrep check` would, and writes it atomically, or writes
//! nothing at all.

use crate::check;
use crate::diag::{Diagnostic, Level};
use crate::due::{self, State};
use crate::load;
use crate::model::incident::{self, Kind, Record, Time, UPDATE_STATUSES};
use crate::model::policy::{CHANNELS, RECORD_KINDS};
use crate::model::site::Site;
use crate::time::{self, format_local};
use crate::yaml::edit::{self, Edit, Field};
use crate::yaml::{self, write::scalar};
use std::path::{Path, PathBuf};

/// A refusal that `sitrep check` would also make: exit 1 (CLI.md).
#[derive(Debug)]
pub struct Finding(pub String);

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Finding {}

fn finding<T>(msg: impl Into<String>) -> anyhow::Result<T> {
    Err(Finding(msg.into()).into())
}

/// What to record.
#[derive(Debug, Clone)]
pub enum Change {
    Respond {
        by: Option<String>,
    },
    Update {
        status: String,
        message: String,
    },
    Log {
        message: String,
        by: Option<String>,
    },
    Notify {
        kind: String,
        channels: Vec<String>,
        to: Vec<String>,
        cc: Vec<String>,
        message: Option<String>,
    },
    /// Every notice `sitrep due` lists as owed at that time.
    NotifyOwed,
    Escalate {
        level: String,
        reason: Option<String>,
    },
    Recover,
    Resolve,
    Close {
        force: bool,
    },
}

/// What a command wrote.
pub struct Outcome {
    /// The record's file, relative to the site.
    pub file: String,
    /// One line per thing recorded (`responded_at: 2026-03-14 02:46`).
    pub recorded: Vec<String>,
    /// The site with the new record, for what falls due next.
    pub site: Site,
}

/// Records `change` at `at` in the record `id`; `now` bounds `at`.
pub fn record(
    root: &Path,
    now: Time,
    at: Time,
    id: &str,
    change: &Change,
) -> anyhow::Result<Outcome> {
    let started = std::time::Instant::now();
    let mut site = load::load(root)?;
    crate::term::trace("load", started);
    // Times are read and written in the site's zone: never guess it.
    crate::authoring::config_without_errors(&site.load_diagnostics)?;
    let rel = find(&site, id)?.file.clone();
    let path = root.join(&rel);
    // One command at a time per record: a second one waits, then reads
    // what the first wrote.
    let _lock = RecordLock::take(&path, &rel)?;
    let text =
        std::fs::read_to_string(&path).map_err(|e| anyhow::anyhow!("cannot read {rel}: {e}"))?;
    if let Err(e) = yaml::parse(&text) {
        anyhow::bail!(
            "{rel}:{}:{}: {}; fix the YAML first (`sitrep check`), nothing was written",
            e.pos.line,
            e.pos.column,
            e.message
        );
    }
    // The record as it is on disk now, whatever was read before the lock.
    replace_record(&mut site, &rel, &text);
    let rec = find(&site, id)?;
    let zone = site.config.timezone;
    if at > now {
        // `check` would call it `future-time`.
        return finding(format!(
            "--at {} is in the future (now is {}); record what has happened",
            format_local(at, &zone, None),
            format_local(now, &zone, None)
        ));
    }
    // List entries may go back to when impact began (RULES.md).
    if let Some(start) = rec.started() {
        if at < start {
            let what = if rec.time("started_at").is_some() {
                "impact began (started_at)"
            } else {
                "the report"
            };
            return finding(format!(
                "{id}: {} is before {what} at {}; give a later --at",
                format_local(at, &zone, None),
                format_local(start, &zone, None)
            ));
        }
    }
    let before = check::check_record(&site, now, &rel);
    crate::term::trace("check before", started);
    let standing = input_errors_of(&before, &rel);
    if let Some(d) = standing.first() {
        return finding(format!(
            "{rel} has {} input error{}; fix {} first (`sitrep check --incident {id}`): {}:{}:{}: {} [{}]",
            standing.len(),
            if standing.len() == 1 { "" } else { "s" },
            if standing.len() == 1 { "it" } else { "them" },
            d.file,
            d.line,
            d.column,
            d.message,
            d.rule.id
        ));
    }

    let stamp = time::record_form(at, &zone);
    let (edits, recorded) = plan(&site, rec, at, &stamp, change)?;
    if edits.is_empty() {
        // `notify --owed` with nothing owed: nothing to write.
        return Ok(Outcome {
            file: rel,
            recorded,
            site,
        });
    }
    let mut new_text = text.clone();
    for e in &edits {
        new_text = edit::apply(&new_text, e, incident::KEYS)
            .map_err(|e| anyhow::anyhow!("{rel}: {e}; nothing was written"))?;
    }

    // Read back and check as `sitrep check` would, before writing.
    let mut after_site = site;
    replace_record(&mut after_site, &rel, &new_text);
    let after = check::check_record(&after_site, now, &rel);
    crate::term::trace("check after", started);
    let new_inputs = input_errors_of(&after, &rel);
    if let Some(d) = new_inputs.first() {
        return finding(format!(
            "this would be an input error, so nothing was written: {}:{}:{}: {} [{}]",
            d.file, d.line, d.column, d.message, d.rule.id
        ));
    }
    if let Change::Close { force: false } = change {
        let raised = raised_errors(&before, &after, id);
        if !raised.is_empty() {
            let mut msg = format!(
                "closing {id} at {} would raise {} error{}, so nothing was written (`--force` records it anyway):",
                format_local(at, &zone, None),
                raised.len(),
                if raised.len() == 1 { "" } else { "s" }
            );
            for d in &raised {
                msg.push_str(&format!(
                    "\n  error[{}]: {}:{}:{}: {}",
                    d.rule.id, d.file, d.line, d.column, d.message
                ));
                if let Some(help) = d.help.as_deref().filter(|h| !h.is_empty()) {
                    msg.push_str(&format!("\n    = help: {help}"));
                }
            }
            return finding(msg);
        }
    }
    write_in_place(&path, &rel, &text, &new_text)?;
    crate::term::trace("write", started);
    Ok(Outcome {
        file: rel,
        recorded,
        site: after_site,
    })
}

/// Puts the record read from `text` in the place of the one from `rel`,
/// with its read findings.
fn replace_record(site: &mut Site, rel: &str, text: &str) {
    let (rec, diags) = incident::read(rel, text, &site.config);
    site.load_diagnostics.retain(|d| d.file != rel);
    site.load_diagnostics.extend(diags);
    if let Some(slot) = site.records.iter_mut().find(|r| r.file == rel) {
        *slot = rec;
    }
    site.reindex();
}

/// The incident `id`, or a usage error naming the ids there are.
fn find<'s>(site: &'s Site, id: &str) -> anyhow::Result<&'s Record> {
    if let Some(e) = site.unknown_id(&[id.to_owned()]) {
        anyhow::bail!(e);
    }
    let mut recs = site.records_with_id(id);
    let rec = recs
        .next()
        .ok_or_else(|| anyhow::anyhow!("no record has the id `{id}`"))?;
    if let Some(other) = recs.next() {
        return finding(format!(
            "`{id}` is the id of both {} and {}; give one of them another id first",
            rec.file, other.file
        ));
    }
    if rec.kind == Kind::Maintenance {
        anyhow::bail!("`{id}` is a maintenance record, not an incident");
    }
    Ok(rec)
}

fn input_errors_of(diags: &[Diagnostic], rel: &str) -> Vec<Diagnostic> {
    diags
        .iter()
        .filter(|d| d.file == rel && d.is_input_error() && !d.waived && d.level == Level::Error)
        .cloned()
        .collect()
}

/// Unwaived errors of incident `id` (or naming it) after, that were not
/// there before (by rule and message: an edit moves lines).
fn raised_errors(before: &[Diagnostic], after: &[Diagnostic], id: &str) -> Vec<Diagnostic> {
    let counts =
        |d: &&Diagnostic| !d.waived && d.level == Level::Error && d.incident.as_deref() == Some(id);
    let old: Vec<(&str, &str)> = before
        .iter()
        .filter(counts)
        .map(|d| (d.rule.id, d.message.as_str()))
        .collect();
    after
        .iter()
        .filter(counts)
        .filter(|d| !old.contains(&(d.rule.id, d.message.as_str())))
        .cloned()
        .collect()
}

/// The edits for a change, and the lines that say what they record.
fn plan<'e>(
    site: &Site,
    rec: &Record,
    at: Time,
    stamp: &str,
    change: &Change,
) -> anyhow::Result<(Vec<Edit<'e>>, Vec<String>)> {
    let cfg = &site.config;
    // A record time is written plain, as people write it (`2026-03-14 02:46`).
    let at_field = || ("at", Field::Scalar(stamp.to_owned()));
    let text_field = |t: &str| Field::Scalar(scalar(t));
    let mut edits = Vec::new();
    let mut said = Vec::new();
    // A lifecycle field: set once; a wrong one is mended by hand.
    let lifecycle = |path: &'static [&'static str]| -> anyhow::Result<Edit<'e>> {
        let field = path.first().copied().unwrap_or_default();
        if let Some(old) = rec.time(field) {
            anyhow::bail!(
                "{} already has {field}: {}; change it in {} by hand if it is wrong",
                rec.id.as_deref().unwrap_or(""),
                format_local(old, &cfg.timezone, None),
                rec.file
            );
        }
        Ok(Edit::Set {
            path,
            value: stamp.to_owned(),
        })
    };
    match change {
        Change::Respond { by } => {
            edits.push(lifecycle(&["responded_at"])?);
            said.push(format!("responded_at: {stamp}"));
            if let Some(by) = by {
                non_empty(by, "--by")?;
                edits.push(Edit::Set {
                    path: &["roles", "tech_lead"],
                    value: scalar(by),
                });
                // A handover: say whom it replaces.
                match rec.roles.get("tech_lead") {
                    Some(old) if old != by => {
                        said.push(format!("roles.tech_lead: {by} (was {old})"));
                    }
                    _ => said.push(format!("roles.tech_lead: {by}")),
                }
            }
        }
        Change::Recover => {
            edits.push(lifecycle(&["recovered_at"])?);
            said.push(format!("recovered_at: {stamp}"));
        }
        Change::Resolve => {
            edits.push(lifecycle(&["resolved_at"])?);
            said.push(format!("resolved_at: {stamp}"));
        }
        Change::Close { .. } => {
            edits.push(lifecycle(&["closed_at"])?);
            said.push(format!("closed_at: {stamp}"));
        }
        Change::Update { status, message } => {
            if !UPDATE_STATUSES.contains(&status.as_str()) {
                return finding(format!(
                    "`{status}` is not an update status: use one of {}",
                    UPDATE_STATUSES.join(", ")
                ));
            }
            non_empty(message, "--message")?;
            let fields = vec![
                at_field(),
                ("status", Field::Scalar(scalar(status))),
                ("text", text_field(message)),
            ];
            edits.push(insert(
                "updates",
                &rec.updates.iter().map(|u| u.at).collect::<Vec<_>>(),
                at,
                fields,
            ));
            said.push(format!("updates: {stamp} {status}: {message}"));
        }
        Change::Log { message, by } => {
            non_empty(message, "--message")?;
            let mut fields = vec![at_field()];
            if let Some(by) = by {
                non_empty(by, "--by")?;
                fields.push(("by", text_field(by)));
            }
            fields.push(("text", text_field(message)));
            edits.push(insert(
                "timeline",
                &rec.timeline.iter().map(|u| u.at).collect::<Vec<_>>(),
                at,
                fields,
            ));
            said.push(format!("timeline: {stamp} {message}"));
        }
        Change::Notify {
            kind,
            channels,
            to,
            cc,
            message,
        } => {
            if !RECORD_KINDS.contains(&kind.as_str()) {
                let near = crate::diag::near_hint(kind, RECORD_KINDS.iter().copied());
                return finding(format!(
                    "`{kind}` is not a notice kind: {near}use one of {}",
                    RECORD_KINDS.join(", ")
                ));
            }
            for c in channels {
                if !CHANNELS.contains(&c.as_str()) {
                    let near = crate::diag::near_hint(c, CHANNELS.iter().copied());
                    return finding(format!(
                        "`{c}` is not a channel: {near}use one of {}",
                        CHANNELS.join(", ")
                    ));
                }
            }
            if to.is_empty() {
                anyhow::bail!("say who was told: --to RECIPIENT (a key of `recipients` in sitrep.yaml, or a name)");
            }
            let (channels, to, cc) = (&dedup(channels), &dedup(to), &dedup(cc));
            for r in to.iter().chain(cc) {
                known_recipient(cfg, r)?;
            }
            if let Some(m) = message {
                non_empty(m, "--message")?;
            }
            let fields = notice_fields(stamp, kind, channels, to, cc, message.as_deref());
            edits.push(insert("notifications", &notice_times(rec), at, fields));
            let cc_text = if cc.is_empty() {
                String::new()
            } else {
                format!(", cc {}", cc.join(", "))
            };
            said.push(format!(
                "notifications: {stamp} {kind} by {} to {}{cc_text}",
                if channels.is_empty() {
                    "any channel".to_owned()
                } else {
                    channels.join("+")
                },
                to.join(", ")
            ));
        }
        Change::NotifyOwed => {
            let rep = due::report(site, at, &[rec.id.clone().unwrap_or_default()])?;
            let owed: Vec<&due::Item> = rep
                .incidents
                .iter()
                .flat_map(|i| &i.items)
                .filter(|i| i.kind == "notice" && matches!(i.state, State::Late | State::Due))
                .filter(|i| i.due <= at || i.name != "progress")
                .collect();
            // One entry per delivery of each owed notice, so that each entry
            // says truly which channels reached whom (`sms+email to A, B;
            // phone to C` is two messages). All go in at one time, so each
            // is inserted at the same place, in reverse, keeping due's order.
            let times = notice_times(rec);
            for item in owed.iter().rev() {
                let kind = if RECORD_KINDS.contains(&item.name) {
                    item.name
                } else {
                    "other"
                };
                for (channels, to) in item.deliver.iter().rev() {
                    let fields = notice_fields(stamp, kind, channels, to, &[], None);
                    edits.push(insert("notifications", &times, at, fields));
                }
            }
            for item in &owed {
                let due = format_local(item.due, &cfg.timezone, None);
                let when = match item.state {
                    State::Late => format!("late: due by {due}"),
                    _ => format!("due by {due}"),
                };
                said.push(format!(
                    "notifications: {stamp} {} notice ({when}) by {}",
                    item.name,
                    item.deliver
                        .iter()
                        .map(|(c, w)| format!(
                            "{} to {}",
                            if c.is_empty() {
                                "any channel".to_owned()
                            } else {
                                c.join("+")
                            },
                            w.join(", ")
                        ))
                        .collect::<Vec<_>>()
                        .join("; ")
                ));
            }
        }
        Change::Escalate { level, reason } => {
            let to = crate::authoring::parse_level(&cfg.policy, level)
                .map_err(|e| Finding(e.to_string()))?;
            let from = rec.severity.unwrap_or(to);
            if from == to {
                anyhow::bail!(
                    "{} is already at level {to}; give another --level",
                    rec.id.as_deref().unwrap_or("")
                );
            }
            // A change of level goes after the last one: `from` is the level
            // then, and a change slipped in before it would break the chain.
            if let Some(last) = rec.escalations.iter().filter_map(|e| e.at).max() {
                if at < last {
                    anyhow::bail!(
                        "--at {} is before the last change of level, at {}; record changes of level in order",
                        format_local(at, &cfg.timezone, None),
                        format_local(last, &cfg.timezone, None)
                    );
                }
            }
            let mut fields = vec![
                at_field(),
                ("from", Field::Scalar(from.to_string())),
                ("to", Field::Scalar(to.to_string())),
            ];
            if let Some(r) = reason {
                non_empty(r, "--reason")?;
                fields.push(("reason", text_field(r)));
            }
            let times: Vec<Option<Time>> = rec.escalations.iter().map(|e| e.at).collect();
            edits.push(insert("escalations", &times, at, fields));
            edits.push(Edit::Set {
                path: &["severity"],
                value: to.to_string(),
            });
            let why = reason
                .as_deref()
                .map_or_else(String::new, |r| format!(": {r}"));
            said.push(format!("escalations: {stamp} level {from} → {to}{why}"));
            said.push(format!("severity: {to}"));
        }
    }
    Ok((edits, said))
}

/// The values in their first order, each once.
fn dedup(list: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for v in list {
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    out
}

fn notice_times(rec: &Record) -> Vec<Option<Time>> {
    rec.notifications.iter().map(|n| n.at).collect()
}

fn notice_fields<'e>(
    stamp: &str,
    kind: &str,
    channels: &[String],
    to: &[String],
    cc: &[String],
    summary: Option<&str>,
) -> Vec<(&'e str, Field)> {
    let list = |l: &[String]| Field::List(l.iter().map(|x| scalar(x)).collect());
    let mut f = vec![
        ("at", Field::Scalar(stamp.to_owned())),
        ("kind", Field::Scalar(scalar(kind))),
    ];
    if !channels.is_empty() {
        f.push(("channels", list(channels)));
    }
    f.push(("to", list(to)));
    if !cc.is_empty() {
        f.push(("cc", list(cc)));
    }
    if let Some(s) = summary {
        f.push(("summary", Field::Scalar(scalar(s))));
    }
    f
}

/// An insertion that keeps the list in time order: before the first entry
/// later than `at`, else at the end.
fn insert<'e>(
    key: &'e str,
    times: &[Option<Time>],
    at: Time,
    fields: Vec<(&'e str, Field)>,
) -> Edit<'e> {
    let index = times
        .iter()
        .position(|t| t.is_some_and(|t| t > at))
        .unwrap_or(times.len());
    Edit::Insert { key, index, fields }
}

fn non_empty(t: &str, what: &str) -> anyhow::Result<()> {
    if t.trim().is_empty() {
        anyhow::bail!("{what} must not be empty");
    }
    Ok(())
}

/// A recipient key of sitrep.yaml, or free text that is plainly a name or
/// an address (a space or an `@` in it); a lone word that is no key is a
/// typo or a key still to add.
fn known_recipient(cfg: &crate::model::config::Config, who: &str) -> anyhow::Result<()> {
    if cfg.recipient_description(who).is_some() || who.contains(' ') || who.contains('@') {
        return Ok(());
    }
    let keys: Vec<&str> = cfg.recipients.iter().map(|r| r.key.as_str()).collect();
    let near = crate::diag::near_hint(who, keys.iter().copied());
    let list = if keys.is_empty() {
        "sitrep.yaml lists no recipients yet (add them under `recipients:`)".to_owned()
    } else {
        format!("the recipients in sitrep.yaml are {}", keys.join(", "))
    };
    finding(format!(
        "`{who}` is not a recipient: {near}{list}; a person's name or an address is taken as written"
    ))
}

/// An exclusive lock on a record for the length of a command: the file's
/// own, taken on the file the path names once the lock is held (a writer
/// before us replaced it by renaming).
struct RecordLock {
    _file: std::fs::File,
}

impl RecordLock {
    /// Waits up to ten seconds for another command on the same record.
    fn take(path: &Path, rel: &str) -> anyhow::Result<RecordLock> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let file =
                std::fs::File::open(path).map_err(|e| anyhow::anyhow!("cannot read {rel}: {e}"))?;
            match file.try_lock() {
                Ok(()) if same_file(&file, path) => return Ok(RecordLock { _file: file }),
                // Replaced meanwhile: lock the file that is there now.
                Ok(()) => continue,
                Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
                    "another command has been writing {rel} for 10 s; nothing was written, run this again"
                ),
                // A file system without locks: the on-disk comparison before
                // the rename still catches a change.
                Err(std::fs::TryLockError::Error(_)) => return Ok(RecordLock { _file: file }),
            }
        }
    }
}

#[cfg(unix)]
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::File, _: &Path) -> bool {
    true
}

/// Gives the new file the old one's owner, as far as we may (root editing
/// someone's record must not take it from them).
#[cfg(unix)]
fn keep_owner(tmp: &Path, meta: &std::fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let _ = std::os::unix::fs::chown(tmp, Some(meta.uid()), Some(meta.gid()));
}

#[cfg(not(unix))]
fn keep_owner(_: &Path, _: &std::fs::Metadata) {}

/// Writes `new` over the file at `path`, which must still hold `old`:
/// beside it first, then renamed over it, so a reader sees one or the other.
pub(crate) fn write_in_place(path: &Path, rel: &str, old: &str, new: &str) -> anyhow::Result<()> {
    // A symlinked record is written where it points, and stays a link.
    let target: PathBuf = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let meta = std::fs::metadata(&target).map_err(|e| anyhow::anyhow!("cannot read {rel}: {e}"))?;
    if meta.permissions().readonly() {
        anyhow::bail!(
            "{rel} is read-only; nothing was written (make it writable, or record by hand)"
        );
    }
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.sitrep-edit-{}", std::process::id()));
    let result = (|| -> anyhow::Result<()> {
        std::fs::write(&tmp, new).map_err(|e| anyhow::anyhow!("cannot write beside {rel}: {e}"))?;
        std::fs::set_permissions(&tmp, meta.permissions())
            .map_err(|e| anyhow::anyhow!("cannot write beside {rel}: {e}"))?;
        keep_owner(&tmp, &meta);
        if let Ok(f) = std::fs::File::open(&tmp) {
            let _ = f.sync_all();
        }
        let now_there =
            std::fs::read(&target).map_err(|e| anyhow::anyhow!("cannot read {rel}: {e}"))?;
        if now_there != old.as_bytes() {
            anyhow::bail!("{rel} changed on disk while sitrep was recording; nothing was written, run the command again");
        }
        std::fs::rename(&tmp, &target).map_err(|e| anyhow::anyhow!("cannot replace {rel}: {e}"))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::write_in_place;

    #[test]
    fn a_file_changed_meanwhile_is_not_overwritten() {
        let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = d.path().join("r.yaml");
        std::fs::write(&path, "id: X\nseverity: 2\n").unwrap_or_else(|e| panic!("{e}"));
        // The command read `id: X`, someone saved `severity: 2` since.
        let e = write_in_place(&path, "r.yaml", "id: X\n", "id: X\nseverity: 1\n");
        assert!(e.is_err_and(|e| e.to_string().contains("changed on disk")));
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some("id: X\nseverity: 2\n")
        );
        let names: Vec<_> = std::fs::read_dir(d.path())
            .map(|r| r.count())
            .into_iter()
            .collect();
        assert_eq!(names, vec![1], "no temporary file left");
        // Unchanged on disk: written.
        write_in_place(
            &path,
            "r.yaml",
            "id: X\nseverity: 2\n",
            "id: X\nseverity: 1\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some("id: X\nseverity: 1\n")
        );
    }
}
