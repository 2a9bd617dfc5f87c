//! A loaded site: configuration, runbooks and records, with look-up
//! indexes so that no rule or page has to scan the whole site per record.

use crate::diag::Diagnostic;
use crate::model::config::Config;
use crate::model::incident::{Kind, Record};
use crate::model::runbook::Runbook;
use std::collections::HashMap;
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
struct Index {
    by_id: HashMap<String, Vec<usize>>,
    children: HashMap<String, Vec<usize>>,
    runbook_by_slug: HashMap<String, usize>,
    runbook_by_file: HashMap<String, usize>,
    /// Incidents by service, in the order they were reported.
    incidents_by_service: HashMap<String, Vec<usize>>,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    /// Runbooks and section pages, sorted by file.
    pub runbooks: Vec<Runbook>,
    /// Incident and maintenance records, sorted by file.
    pub records: Vec<Record>,
    /// Findings made while reading the files.
    pub load_diagnostics: Vec<Diagnostic>,
    /// The other files under `content/` (`content/…`, sorted): copied
    /// beside the pages so that relative images and downloads work.
    pub assets: Vec<String>,
    index: Index,
}

impl Site {
    /// The usage error for the first of `ids` that no record has (`check`
    /// and `due` both refuse such an id, so a typo cannot pass as "clean").
    pub fn unknown_id(&self, ids: &[String]) -> Option<String> {
        let id = ids.iter().find(|id| {
            !self
                .records
                .iter()
                .any(|r| r.id.as_deref() == Some(id.as_str()))
        })?;
        let open: Vec<&str> = self
            .records
            .iter()
            .filter(|r| r.kind == Kind::Incident && r.is_open())
            .filter_map(|r| r.id.as_deref())
            .collect();
        let list = if open.is_empty() {
            "there is no open incident".to_owned()
        } else {
            format!("open incidents: {}", open.join(", "))
        };
        let near = crate::diag::near_hint(id, self.records.iter().filter_map(|r| r.id.as_deref()));
        Some(format!("no record has the id `{id}`; {near}{list}"))
    }

    pub fn new(
        root: PathBuf,
        config: Config,
        runbooks: Vec<Runbook>,
        records: Vec<Record>,
        load_diagnostics: Vec<Diagnostic>,
    ) -> Site {
        let mut site = Site {
            root,
            config,
            runbooks,
            records,
            load_diagnostics,
            assets: Vec::new(),
            index: Index::default(),
        };
        site.reindex();
        site
    }

    /// Whether `file` (`content/…`) is a file copied beside the pages.
    pub fn is_asset(&self, file: &str) -> bool {
        self.assets
            .binary_search_by(|a| a.as_str().cmp(file))
            .is_ok()
    }

    /// Puts a re-read runbook in the place of the one read from the same
    /// file, keeping the indexes (a runbook's slug follows from its file).
    /// Gives the runbook back when no runbook came from that file.
    pub fn replace_runbook(&mut self, rb: Runbook) -> Option<Runbook> {
        let i = self.index.runbook_by_file.get(&rb.file).copied();
        match i.and_then(|i| self.runbooks.get_mut(i)) {
            Some(slot) if slot.slug == rb.slug => {
                *slot = rb;
                None
            }
            _ => Some(rb),
        }
    }

    /// Rebuilds the look-up indexes after runbooks or records changed.
    pub fn reindex(&mut self) {
        self.runbooks.sort_by(|a, b| a.file.cmp(&b.file));
        self.records.sort_by(|a, b| a.file.cmp(&b.file));
        let mut ix = Index::default();
        for (i, r) in self.records.iter().enumerate() {
            if let Some(id) = &r.id {
                ix.by_id.entry(id.clone()).or_default().push(i);
            }
            if let Some((p, _)) = &r.parent {
                ix.children.entry(p.clone()).or_default().push(i);
            }
            if r.kind == Kind::Incident && r.reported().is_some() {
                for s in &r.services {
                    let list = ix.incidents_by_service.entry(s.id.clone()).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
        }
        let records = &self.records;
        for list in ix.incidents_by_service.values_mut() {
            list.sort_by_key(|&i| records.get(i).and_then(Record::reported));
        }
        for (i, rb) in self.runbooks.iter().enumerate() {
            if !rb.is_index {
                ix.runbook_by_slug.entry(rb.slug.clone()).or_insert(i);
            }
            ix.runbook_by_file.insert(rb.file.clone(), i);
        }
        self.index = ix;
    }

    /// The incidents naming a service reported from `from` to `to`
    /// (both included), latest first: a binary search, as every incident
    /// of a large site asks it.
    pub fn incidents_on(
        &self,
        service: &str,
        from: crate::model::incident::Time,
        to: crate::model::incident::Time,
    ) -> impl Iterator<Item = &Record> {
        let list = self
            .index
            .incidents_by_service
            .get(service)
            .map_or(&[][..], Vec::as_slice);
        let at = |i: &usize| self.records.get(*i).and_then(Record::reported);
        let lo = list.partition_point(|i| at(i) < Some(from));
        let hi = list.partition_point(|i| at(i) <= Some(to));
        list.get(lo..hi.max(lo))
            .unwrap_or_default()
            .iter()
            .rev()
            .filter_map(|i| self.records.get(*i))
    }

    pub fn runbook(&self, slug: &str) -> Option<&Runbook> {
        self.index
            .runbook_by_slug
            .get(slug)
            .and_then(|i| self.runbooks.get(*i))
    }

    pub fn runbook_by_file(&self, file: &str) -> Option<&Runbook> {
        self.index
            .runbook_by_file
            .get(file)
            .and_then(|i| self.runbooks.get(*i))
    }

    /// Whether `file` is the `_index.md` of a folder that holds runbooks,
    /// written or not (a link to a folder names its section).
    pub fn is_section_index(&self, file: &str) -> bool {
        let Some(folder) = file.strip_suffix("_index.md") else {
            return false;
        };
        self.runbooks.iter().any(|r| r.file.starts_with(folder))
    }

    /// The first record (by file) with this id.
    pub fn record(&self, id: &str) -> Option<&Record> {
        self.records_with_id(id).next()
    }

    pub fn records_with_id<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Record> + 'a {
        let list = self.index.by_id.get(id).map_or(&[][..], Vec::as_slice);
        list.iter().filter_map(|i| self.records.get(*i))
    }

    /// Records whose `parent:` is this id.
    pub fn children<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Record> + 'a {
        let list = self.index.children.get(id).map_or(&[][..], Vec::as_slice);
        list.iter().filter_map(|i| self.records.get(*i))
    }

    /// Number of files read (sitrep.yaml, runbooks, records).
    pub fn file_count(&self) -> usize {
        1 + self.runbooks.len() + self.records.len()
    }

    pub fn runbook_count(&self) -> usize {
        self.runbooks.iter().filter(|r| !r.is_index).count()
    }

    pub fn incident_count(&self) -> usize {
        self.records.len()
    }
}
