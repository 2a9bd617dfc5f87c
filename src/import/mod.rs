//! `sitrep import` (CLI.md): history from another system becomes records
//! under `incidents/imported/` and services in sitrep.yaml.
//!
//! A source is read into a [`Batch`] (services and records, in sitrep's
//! terms); [`plan`] compares it with the site (what is new, what changed,
//! what a re-run finds already there) and [`apply`] writes it all or
//! nothing.

pub mod cstate;
mod record;
pub mod statuspage;

pub use record::RecordText;

use crate::load;
use crate::model::config::{Config, CONFIG_FILE};
use crate::model::incident::Imported;
use crate::model::site::Site;
use crate::yaml::edit::{self, Edit, Field};
use anyhow::{anyhow, bail, Context, Result};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// Where imported records are written; files below it are the importer's
/// (a record moved out of it is the user's, and a re-run leaves it alone).
pub const FOLDER: &str = "incidents/imported";

/// A service of the source: a Statuspage component, a cState system.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceService {
    /// Its id in the source, if it has one (Statuspage's component id).
    pub source_id: Option<String>,
    pub name: String,
    pub group: Option<String>,
    pub description: Option<String>,
    pub since: Option<chrono::NaiveDate>,
}

/// A record of the source, written as sitrep YAML except for its services,
/// which name [`SourceService`]s by index until the plan knows their ids.
#[derive(Debug, Clone)]
pub struct SourceRecord {
    pub imported: Imported,
    /// The id a new record gets (`SP-…`); a re-run keeps the one it has.
    pub new_id: String,
    /// Its file name below [`FOLDER`], without `.yaml`.
    pub file_stem: String,
    /// The record with `{id}` and `{services}` left to fill.
    pub text: RecordText,
    /// Services it affects, by index into the batch's services, each with
    /// the impact on it when it differs from the record's.
    pub services: Vec<(usize, Option<String>)>,
}

/// What one source holds.
#[derive(Debug, Default)]
pub struct Batch {
    pub services: Vec<SourceService>,
    pub records: Vec<SourceRecord>,
}

/// What an import will do; nothing is written until [`apply`].
#[derive(Debug, Default)]
pub struct Plan {
    /// sitrep.yaml after the new services, when there are any, and as it
    /// was read.
    pub config: Option<String>,
    pub config_before: Option<String>,
    pub new_services: Vec<String>,
    /// Files to write (site-relative) and their text.
    pub writes: Vec<(String, String)>,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Records found outside [`FOLDER`]: the user's now, left as they are.
    pub kept: Vec<String>,
}

/// A service id made of `name` (then `group-name`, then a number) that no
/// service has.
fn new_service_id(taken: &HashSet<String>, name: &str, group: Option<&str>) -> String {
    let base = crate::markdown::slugify(name);
    if !taken.contains(&base) {
        return base;
    }
    if let Some(g) = group {
        let with_group = crate::markdown::slugify(&format!("{g} {name}"));
        if !taken.contains(&with_group) {
            return with_group;
        }
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken.contains(id))
        .unwrap_or(base)
}

/// The site's service for a source service: by its source id, else by its
/// name within the same group.
fn match_service<'c>(config: &'c Config, s: &SourceService) -> Option<&'c str> {
    if let Some(id) = &s.source_id {
        if let Some(found) = config
            .services
            .iter()
            .find(|c| c.statuspage_id.as_deref() == Some(id.as_str()))
        {
            return Some(&found.id);
        }
    }
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    config
        .services
        .iter()
        .find(|c| {
            same(&c.name, &s.name)
                && match (&c.group, &s.group) {
                    (Some(a), Some(b)) => same(a, b),
                    (None, _) => true,
                    (Some(_), None) => false,
                }
        })
        .map(|c| c.id.as_str())
}

/// Compares a batch with the site: the services to add to sitrep.yaml, the
/// record files to write. Refuses a site whose sitrep.yaml has errors.
pub fn plan(root: &Path, site: &Site, batch: &Batch) -> Result<Plan> {
    let config = &site.config;
    let mut plan = Plan::default();
    // Services: the site's, or new ones appended to sitrep.yaml.
    let mut taken: HashSet<String> = config.services.iter().map(|s| s.id.clone()).collect();
    let mut ids: Vec<Option<String>> = Vec::with_capacity(batch.services.len());
    let config_before = std::fs::read_to_string(root.join(CONFIG_FILE))
        .with_context(|| format!("{CONFIG_FILE} cannot be read"))?;
    let mut config_text = config_before.clone();
    for s in &batch.services {
        if let Some(id) = match_service(config, s) {
            ids.push(Some(id.to_owned()));
            continue;
        }
        let id = new_service_id(&taken, &s.name, s.group.as_deref());
        taken.insert(id.clone());
        let mut fields: Vec<(&str, Field)> = vec![
            ("id", Field::Scalar(id.clone())),
            ("name", Field::Scalar(crate::yaml::write::scalar(&s.name))),
        ];
        if let Some(g) = &s.group {
            fields.push(("group", Field::Scalar(crate::yaml::write::scalar(g))));
        }
        if let Some(d) = s.description.as_deref().filter(|d| !d.trim().is_empty()) {
            fields.push(("description", Field::Scalar(crate::yaml::write::scalar(d))));
        }
        if let Some(sid) = &s.source_id {
            fields.push((
                "statuspage_id",
                Field::Scalar(crate::yaml::write::scalar(sid)),
            ));
        }
        if let Some(d) = s.since {
            fields.push(("since", Field::Scalar(d.to_string())));
        }
        config_text = edit::apply(
            &config_text,
            &Edit::Insert {
                key: "services",
                // Past the last entry: appended.
                index: usize::MAX,
                fields,
            },
            crate::model::config::KEYS,
        )
        .map_err(|e| anyhow!("{CONFIG_FILE}: cannot add the service `{id}`: {e}"))?;
        plan.new_services.push(id.clone());
        ids.push(Some(id));
    }
    if !plan.new_services.is_empty() {
        plan.config = Some(config_text);
        plan.config_before = Some(config_before);
    }
    // Records: by where the same source id was imported before.
    let mut existing: BTreeMap<(&str, &str), &crate::model::incident::Record> = BTreeMap::new();
    for r in &site.records {
        if let Some(i) = &r.imported {
            existing.insert((i.from.as_str(), i.id.as_str()), r);
        }
    }
    let record_ids: HashSet<&str> = site
        .records
        .iter()
        .filter_map(|r| r.id.as_deref())
        .collect();
    let mut files_seen: HashSet<String> = HashSet::new();
    for rec in &batch.records {
        let before = existing.get(&(rec.imported.from.as_str(), rec.imported.id.as_str()));
        let (file, id) = match before {
            Some(r) if !r.file.starts_with(&format!("{FOLDER}/")) => {
                plan.kept.push(r.file.clone());
                continue;
            }
            Some(r) => (
                r.file.clone(),
                r.id.clone().unwrap_or_else(|| rec.new_id.clone()),
            ),
            None => {
                if record_ids.contains(rec.new_id.as_str()) {
                    bail!(
                        "a record already has the id `{}`; rename it before importing",
                        rec.new_id
                    );
                }
                (
                    format!("{FOLDER}/{}.yaml", rec.file_stem),
                    rec.new_id.clone(),
                )
            }
        };
        if !files_seen.insert(file.clone()) {
            continue;
        }
        let services: Vec<(String, Option<String>)> = rec
            .services
            .iter()
            .filter_map(|(i, impact)| Some((ids.get(*i)?.clone()?, impact.clone())))
            .collect();
        let text = rec.text.finish(&id, &services);
        match std::fs::read_to_string(root.join(&file)) {
            Ok(old) if old == text => plan.unchanged += 1,
            Ok(_) => {
                plan.updated += 1;
                plan.writes.push((file, text));
            }
            Err(_) => {
                plan.created += 1;
                plan.writes.push((file, text));
            }
        }
    }
    Ok(plan)
}

/// Writes a plan all or nothing: every file is first written beside its
/// place, and only when all are written are they renamed into place.
pub fn apply(root: &Path, plan: &Plan) -> Result<()> {
    let all: Vec<(PathBuf, &str)> = plan
        .writes
        .iter()
        .map(|(f, t)| (root.join(f), t.as_str()))
        .collect();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut made_dirs: Vec<PathBuf> = Vec::new();
    let result = (|| -> Result<()> {
        for (path, text) in &all {
            let dir = path.parent().ok_or_else(|| anyhow!("no folder"))?;
            if !dir.exists() {
                let mut first = dir.to_path_buf();
                while first.parent().is_some_and(|p| !p.exists()) {
                    first = first.parent().map(Path::to_path_buf).unwrap_or_default();
                }
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
                made_dirs.push(first);
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let tmp = dir.join(format!(".{name}.sitrep-import-{}", std::process::id()));
            std::fs::write(&tmp, text)
                .with_context(|| format!("cannot write {}", tmp.display()))?;
            staged.push((tmp, path.clone()));
        }
        Ok(())
    })();
    if let Err(e) = result {
        for (tmp, _) in &staged {
            let _ = std::fs::remove_file(tmp);
        }
        for d in made_dirs.iter().rev() {
            let _ = std::fs::remove_dir_all(d);
        }
        return Err(e);
    }
    // sitrep.yaml as the recording commands write a record: where a link
    // points, its mode and owner kept, refused if it changed meanwhile.
    if let (Some(new), Some(old)) = (&plan.config, &plan.config_before) {
        let path = root.join(CONFIG_FILE);
        if let Err(e) = crate::authoring::record::write_in_place(&path, CONFIG_FILE, old, new) {
            for (tmp, _) in &staged {
                let _ = std::fs::remove_file(tmp);
            }
            for d in made_dirs.iter().rev() {
                let _ = std::fs::remove_dir_all(d);
            }
            return Err(e);
        }
    }
    for (tmp, path) in &staged {
        std::fs::rename(tmp, path)
            .with_context(|| format!("cannot move the new {} into place", path.display()))?;
    }
    Ok(())
}

/// The first input error the site would have after the plan, in a file
/// the plan writes (sitrep.yaml included); `None` when there is none.
pub fn would_fail(
    root: &Path,
    site: &Site,
    plan: &Plan,
    now: crate::model::incident::Time,
) -> Option<crate::diag::Diagnostic> {
    let (config, mut diags) = match &plan.config {
        Some(text) => crate::model::config::read(text),
        None => (site.config.clone(), Vec::new()),
    };
    let written: HashSet<&str> = plan.writes.iter().map(|(f, _)| f.as_str()).collect();
    diags.extend(
        site.load_diagnostics
            .iter()
            .filter(|d| !written.contains(d.file.as_str()) && d.file != CONFIG_FILE)
            .cloned(),
    );
    let mut records: Vec<crate::model::incident::Record> = site
        .records
        .iter()
        .filter(|r| !written.contains(r.file.as_str()))
        .cloned()
        .collect();
    for (file, text) in &plan.writes {
        let (rec, d) = crate::model::incident::read(file, text, &config);
        records.push(rec);
        diags.extend(d);
    }
    records.sort_by(|a, b| a.file.cmp(&b.file));
    let after = Site::new(
        root.to_path_buf(),
        config,
        site.runbooks.clone(),
        records,
        diags,
    );
    crate::check::check(&after, now).into_iter().find(|d| {
        d.is_input_error()
            && !d.waived
            && (written.contains(d.file.as_str()) || d.file == CONFIG_FILE)
    })
}

/// The site as `import` needs it: readable, sitrep.yaml without errors.
pub fn site_for_import(root: &Path) -> Result<Site> {
    let site = load::load(root).map_err(|e| anyhow!("{e}"))?;
    if let Some(d) = site
        .load_diagnostics
        .iter()
        .find(|d| d.file == CONFIG_FILE && d.is_input_error())
    {
        bail!(
            "{CONFIG_FILE}:{}:{}: {}; fix it first (`sitrep check`), nothing was imported",
            d.line,
            d.column,
            d.message
        );
    }
    Ok(site)
}
