//! A loaded site: configuration, runbooks and records.

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::incident::Record;
use crate::model::runbook::Runbook;
use std::path::PathBuf;

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
}

impl Site {
    pub fn runbook(&self, slug: &str) -> Option<&Runbook> {
        self.runbooks.iter().find(|r| !r.is_index && r.slug == slug)
    }

    pub fn record(&self, id: &str) -> Option<&Record> {
        self.records.iter().find(|r| r.id.as_deref() == Some(id))
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
