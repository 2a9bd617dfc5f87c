//! Diagnostics: what `sitrep check` reports, and the rule registry.

use crate::yaml::Pos;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Input,
    Procedure,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Input => "input",
            Family::Procedure => "procedure",
        }
    }
}

/// One rule of RULES.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub family: Family,
    pub level: Level,
    pub summary: &'static str,
}

const fn input(id: &'static str, summary: &'static str) -> Rule {
    Rule {
        id,
        family: Family::Input,
        level: Level::Error,
        summary,
    }
}

/// An input rule that warns: the file reads, but probably not as meant.
const fn input_warning(id: &'static str, summary: &'static str) -> Rule {
    Rule {
        id,
        family: Family::Input,
        level: Level::Warning,
        summary,
    }
}

const fn procedure(id: &'static str, level: Level, summary: &'static str) -> Rule {
    Rule {
        id,
        family: Family::Procedure,
        level,
        summary,
    }
}

/// Every rule, in the order of RULES.md.
pub const RULES: &[Rule] = &[
    input(
        "yaml",
        "a file is not valid YAML, or its front matter is not",
    ),
    input(
        "schema",
        "a field is missing, has the wrong type or value, or is unknown",
    ),
    input("bad-time", "a time or duration cannot be parsed"),
    input("duplicate-id", "two records share an id"),
    input("unknown-service", "a service id is not in the catalog"),
    input("unknown-runbook", "`runbook:` names no runbook slug"),
    input(
        "unknown-level",
        "a severity level the policy does not define",
    ),
    input("time-order", "timestamps or list entries go back in time"),
    input(
        "future-time",
        "a time that records something that happened lies after now",
    ),
    input("status-mismatch", "`status` contradicts the timestamps"),
    input("link-missing", "`parent:` names no record"),
    input(
        "link-cycle",
        "following `parent:` comes back to the same record",
    ),
    input(
        "broken-link",
        "a runbook links to a page or heading that does not exist",
    ),
    input(
        "escalation-mismatch",
        "escalations do not chain, or `severity` is not the last `to`",
    ),
    input(
        "update-status",
        "a public update contradicts the resolved time",
    ),
    input_warning(
        "comment-in-text",
        "an unquoted text is cut by a ` #` that YAML reads as a comment",
    ),
    input_warning(
        "recipient-typo",
        "a notice recipient is a likely typo of a recipient in sitrep.yaml",
    ),
    procedure(
        "response-target",
        Level::Error,
        "the response target was missed",
    ),
    procedure(
        "recovery-target",
        Level::Error,
        "the recovery target was missed",
    ),
    procedure(
        "resolution-target",
        Level::Error,
        "the resolution target was missed",
    ),
    procedure("notify-initial", Level::Error, "no initial notice in time"),
    procedure("notify-progress", Level::Error, "a gap in progress notices"),
    procedure(
        "notify-rectification",
        Level::Error,
        "no rectification notice after recovery",
    ),
    procedure(
        "notify-overdue",
        Level::Error,
        "no overdue notice after a missed target",
    ),
    procedure(
        "notify-customer",
        Level::Error,
        "no customer notice in time",
    ),
    procedure(
        "notify-leadership",
        Level::Error,
        "leadership not told in time",
    ),
    procedure(
        "notify-recipients",
        Level::Error,
        "notices missed a required channel or recipient",
    ),
    procedure(
        "owner-missing",
        Level::Error,
        "a level 1 or 2 incident names no owner",
    ),
    procedure(
        "report-missing",
        Level::Error,
        "closed without a complete CAN report",
    ),
    procedure(
        "report-late",
        Level::Error,
        "the report was completed after closing",
    ),
    procedure(
        "parent-closed-early",
        Level::Error,
        "a parent closed before a child",
    ),
    procedure(
        "parent-severity",
        Level::Error,
        "a parent is less severe than a child",
    ),
    procedure(
        "follow-up-overdue",
        Level::Warning,
        "a follow-up is past its due date",
    ),
    procedure(
        "stale-runbook",
        Level::Warning,
        "a runbook is overdue for review",
    ),
    procedure("runbook-owner", Level::Warning, "a runbook has no owner"),
    procedure(
        "waiver-unused",
        Level::Warning,
        "a waiver names a rule that does not fire",
    ),
];

pub fn rule(id: &str) -> Option<&'static Rule> {
    // Looked up for every finding (190,000 on a large site): a map, not a scan.
    static BY_ID: std::sync::LazyLock<std::collections::HashMap<&'static str, &'static Rule>> =
        std::sync::LazyLock::new(|| RULES.iter().map(|r| (r.id, r)).collect());
    BY_ID.get(id).copied()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub family: Family,
    pub level: Level,
    pub waived: bool,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub incident: Option<String>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(rule_id: &'static str, file: &str, pos: Pos, message: impl Into<String>) -> Self {
        let r = rule(rule_id);
        Diagnostic {
            rule: rule_id,
            family: r.map_or(Family::Input, |r| r.family),
            level: r.map_or(Level::Error, |r| r.level),
            waived: false,
            file: file.to_owned(),
            line: pos.line,
            column: pos.column,
            incident: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn incident(mut self, id: Option<&str>) -> Self {
        self.incident = id.map(str::to_owned);
        self
    }

    pub fn pos(&self) -> Pos {
        Pos::new(self.line, self.column)
    }

    pub fn is_input(&self) -> bool {
        self.family == Family::Input
    }

    /// An input finding at error level: the file cannot be taken as
    /// written, so no procedure rule is evaluated on it. Input warnings
    /// (`comment-in-text`, `recipient-typo`) do not stop them.
    pub fn is_input_error(&self) -> bool {
        self.family == Family::Input && self.level == Level::Error
    }

    /// Sort key of CLI.md: file, line, column, rule.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (&self.file, self.line, self.column, self.rule, &self.message)
    }
}

/// Totals for closing lines and the JSON summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub waived: usize,
}

pub fn count(diags: &[Diagnostic]) -> Counts {
    let mut c = Counts::default();
    for d in diags {
        if d.waived {
            c.waived += 1;
        } else if d.level == Level::Error {
            c.errors += 1;
        } else {
            c.warnings += 1;
        }
    }
    c
}

/// Case-insensitive edit distance, for "did you mean".
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let w = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&w, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_knows_every_rule_once() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        assert_eq!(RULES.len(), 36);
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("reportd_at", ["reported_at", "responded_at"]),
            Some("reported_at")
        );
        assert_eq!(did_you_mean("zzz", ["reported_at"]), None);
    }
}
