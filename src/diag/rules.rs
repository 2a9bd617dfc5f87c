//! The rule registry: every rule of RULES.md as one typed constant. A
//! diagnostic holds `&'static Rule`, so a misspelt rule cannot compile.
//!
//! Adding a rule: its constant here and its place in [`RULES`], its check,
//! a fixture folder `tests/fixtures/rules/<id>/{fires,clean}`, and a line
//! in docs/rules.md (README, "Adding a rule").

use super::{Family, Level};

/// One rule of RULES.md.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Rule {
    pub id: &'static str,
    pub family: Family,
    /// The level before `policy.rules` changes it.
    pub level: Level,
    /// Where the compliance page counts it.
    pub group: Group,
    /// Always an error: `policy.rules` cannot change it (`yaml`, `schema`).
    pub fixed: bool,
    /// One line for the docs and SARIF.
    pub summary: &'static str,
}

impl Rule {
    /// A waiver may name it: procedure rules, but not `waiver-unused`.
    pub fn waivable(&self) -> bool {
        self.family == Family::Procedure && self.id != WAIVER_UNUSED.id
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id)
    }
}

impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id)
    }
}

/// The groups of the compliance page, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    Input,
    Notices,
    Targets,
    Ownership,
    Links,
    Waivers,
}

impl Group {
    pub fn key(self) -> &'static str {
        match self {
            Group::Input => "input",
            Group::Notices => "notices",
            Group::Targets => "targets",
            Group::Ownership => "ownership",
            Group::Links => "links",
            Group::Waivers => "waivers",
        }
    }
}

/// `yaml`: a file is not valid YAML, or its front matter is not.
pub const YAML: Rule = Rule {
    id: "yaml",
    family: Family::Input,
    level: Level::Error,
    group: Group::Input,
    fixed: true,
    summary: "a file is not valid YAML, or its front matter is not",
};

/// `schema`: a field is missing, has the wrong type or value, or is unknown.
pub const SCHEMA: Rule = Rule {
    id: "schema",
    family: Family::Input,
    level: Level::Error,
    group: Group::Input,
    fixed: true,
    summary: "a field is missing, has the wrong type or value, or is unknown",
};

/// `bad-time`: a time or duration cannot be parsed.
pub const BAD_TIME: Rule = Rule {
    id: "bad-time",
    family: Family::Input,
    level: Level::Error,
    group: Group::Input,
    fixed: false,
    summary: "a time or duration cannot be parsed",
};

/// `duplicate-id`: two records share an id.
pub const DUPLICATE_ID: Rule = Rule {
    id: "duplicate-id",
    family: Family::Input,
    level: Level::Error,
    group: Group::Input,
    fixed: false,
    summary: "two records share an id, or the page an id gives",
};

/// `unknown-service`: a service id is not in the catalog.
pub const UNKNOWN_SERVICE: Rule = Rule {
    id: "unknown-service",
    family: Family::Input,
    level: Level::Error,
    group: Group::Input,
    fixed: false,
    summary: "a service id is not in the catalog",
};

/// `unknown-runbook`: `runbook:` names no runbook slug.
pub const UNKNOWN_RUNBOOK: Rule = Rule {
    id: "unknown-runbook",
    family: Family::Input,
    level: Level::Error,
    group: Group::Input,
    fixed: false,
    summary: "`runbook:` names no runbook slug",
};

/// `unknown-level`: a severity level the policy does not define.
pub const UNKNOWN_LEVEL: Rule = Rule {
    id: "unknown-level",
    family: Family::Input,
    level: Level::Error,
    group: Group::Input,
    fixed: false,
    summary: "a severity level the policy does not define",
};

/// `time-order`: timestamps or list entries go back in time.
pub const TIME_ORDER: Rule = Rule {
    id: "time-order",
    family: Family::Input,
    level: Level::Error,
    group: Group::Input,
    fixed: false,
    summary: "timestamps or list entries go back in time",
};

/// `future-time`: a time that records something that happened lies after now.
pub const FUTURE_TIME: Rule = Rule {
    id: "future-time",
    family: Family::Input,
    level: Level::Error,
    group: Group::Input,
    fixed: false,
    summary: "a time that records something that happened lies after now",
};

/// `status-mismatch`: `status` contradicts the timestamps.
pub const STATUS_MISMATCH: Rule = Rule {
    id: "status-mismatch",
    family: Family::Input,
    level: Level::Error,
    group: Group::Input,
    fixed: false,
    summary: "`status` contradicts the timestamps",
};

/// `link-missing`: `parent:` names no record.
pub const LINK_MISSING: Rule = Rule {
    id: "link-missing",
    family: Family::Input,
    level: Level::Error,
    group: Group::Input,
    fixed: false,
    summary: "`parent:` names no record",
};

/// `link-cycle`: following `parent:` comes back to the same record.
pub const LINK_CYCLE: Rule = Rule {
    id: "link-cycle",
    family: Family::Input,
    level: Level::Error,
    group: Group::Input,
    fixed: false,
    summary: "following `parent:` comes back to the same record",
};

/// `broken-link`: a runbook links to a page or heading that does not exist.
pub const BROKEN_LINK: Rule = Rule {
    id: "broken-link",
    family: Family::Input,
    level: Level::Error,
    group: Group::Input,
    fixed: false,
    summary: "a runbook links to a page or heading that does not exist",
};

/// `escalation-mismatch`: escalations do not chain, or `severity` is not the last `to`.
pub const ESCALATION_MISMATCH: Rule = Rule {
    id: "escalation-mismatch",
    family: Family::Input,
    level: Level::Error,
    group: Group::Input,
    fixed: false,
    summary: "escalations do not chain, or `severity` is not the last `to`",
};

/// `update-status`: a public update contradicts the resolved time.
pub const UPDATE_STATUS: Rule = Rule {
    id: "update-status",
    family: Family::Input,
    level: Level::Error,
    group: Group::Input,
    fixed: false,
    summary: "a public update contradicts the resolved time",
};

/// `comment-in-text`: an unquoted text is cut by a ` #` that YAML reads as a comment.
pub const COMMENT_IN_TEXT: Rule = Rule {
    id: "comment-in-text",
    family: Family::Input,
    level: Level::Warning,
    group: Group::Input,
    fixed: false,
    summary: "an unquoted text is cut by a ` #` that YAML reads as a comment",
};

/// `recipient-typo`: a notice recipient is a likely typo of a recipient in sitrep.yaml.
pub const RECIPIENT_TYPO: Rule = Rule {
    id: "recipient-typo",
    family: Family::Input,
    level: Level::Warning,
    group: Group::Input,
    fixed: false,
    summary: "a notice recipient is a likely typo of a recipient in sitrep.yaml",
};

/// `unknown-key` (v2): a runbook's front matter has a key of another tool.
pub const UNKNOWN_KEY: Rule = Rule {
    id: "unknown-key",
    family: Family::Input,
    level: Level::Warning,
    group: Group::Input,
    fixed: false,
    summary: "a runbook's front matter has a key sitrep does not know (another tool's)",
};

/// `unsupported-shortcode` (v2): a runbook holds a shortcode sitrep shows as text.
pub const UNSUPPORTED_SHORTCODE: Rule = Rule {
    id: "unsupported-shortcode",
    family: Family::Input,
    level: Level::Warning,
    group: Group::Input,
    fixed: false,
    summary: "a runbook holds a Hugo or Zola shortcode that the page shows as text",
};

/// `response-target`: the response target was missed.
pub const RESPONSE_TARGET: Rule = Rule {
    id: "response-target",
    family: Family::Procedure,
    level: Level::Error,
    group: Group::Targets,
    fixed: false,
    summary: "the response target was missed",
};

/// `recovery-target`: the recovery target was missed.
pub const RECOVERY_TARGET: Rule = Rule {
    id: "recovery-target",
    family: Family::Procedure,
    level: Level::Error,
    group: Group::Targets,
    fixed: false,
    summary: "the recovery target was missed",
};

/// `resolution-target`: the resolution target was missed.
pub const RESOLUTION_TARGET: Rule = Rule {
    id: "resolution-target",
    family: Family::Procedure,
    level: Level::Error,
    group: Group::Targets,
    fixed: false,
    summary: "the resolution target was missed",
};

/// `notify-initial`: no initial notice in time.
pub const NOTIFY_INITIAL: Rule = Rule {
    id: "notify-initial",
    family: Family::Procedure,
    level: Level::Error,
    group: Group::Notices,
    fixed: false,
    summary: "no initial notice in time",
};

/// `notify-progress`: a gap in progress notices.
pub const NOTIFY_PROGRESS: Rule = Rule {
    id: "notify-progress",
    family: Family::Procedure,
    level: Level::Error,
    group: Group::Notices,
    fixed: false,
    summary: "a gap in progress notices",
};

/// `notify-rectification`: no rectification notice after recovery.
pub const NOTIFY_RECTIFICATION: Rule = Rule {
    id: "notify-rectification",
    family: Family::Procedure,
    level: Level::Error,
    group: Group::Notices,
    fixed: false,
    summary: "no rectification notice after recovery",
};

/// `notify-overdue`: no overdue notice after a missed target.
pub const NOTIFY_OVERDUE: Rule = Rule {
    id: "notify-overdue",
    family: Family::Procedure,
    level: Level::Error,
    group: Group::Notices,
    fixed: false,
    summary: "no overdue notice after a missed target",
};

/// `notify-customer`: no customer notice in time.
pub const NOTIFY_CUSTOMER: Rule = Rule {
    id: "notify-customer",
    family: Family::Procedure,
    level: Level::Error,
    group: Group::Notices,
    fixed: false,
    summary: "no customer notice in time",
};

/// `notify-leadership`: leadership not told in time.
pub const NOTIFY_LEADERSHIP: Rule = Rule {
    id: "notify-leadership",
    family: Family::Procedure,
    level: Level::Error,
    group: Group::Notices,
    fixed: false,
    summary: "leadership not told in time",
};

/// `notify-recipients`: notices missed a required channel or recipient.
pub const NOTIFY_RECIPIENTS: Rule = Rule {
    id: "notify-recipients",
    family: Family::Procedure,
    level: Level::Error,
    group: Group::Notices,
    fixed: false,
    summary: "notices missed a required channel or recipient",
};

/// `owner-missing`: a level 1 or 2 incident names no owner.
pub const OWNER_MISSING: Rule = Rule {
    id: "owner-missing",
    family: Family::Procedure,
    level: Level::Error,
    group: Group::Ownership,
    fixed: false,
    summary: "a level 1 or 2 incident names no owner",
};

/// `report-missing`: closed without a complete CAN report.
pub const REPORT_MISSING: Rule = Rule {
    id: "report-missing",
    family: Family::Procedure,
    level: Level::Error,
    group: Group::Ownership,
    fixed: false,
    summary: "closed without a complete CAN report",
};

/// `report-late`: the report was completed after closing.
pub const REPORT_LATE: Rule = Rule {
    id: "report-late",
    family: Family::Procedure,
    level: Level::Error,
    group: Group::Ownership,
    fixed: false,
    summary: "the report was completed after closing",
};

/// `parent-closed-early`: a parent closed before a child.
pub const PARENT_CLOSED_EARLY: Rule = Rule {
    id: "parent-closed-early",
    family: Family::Procedure,
    level: Level::Error,
    group: Group::Links,
    fixed: false,
    summary: "a parent closed before a child",
};

/// `parent-severity`: a parent is less severe than a child.
pub const PARENT_SEVERITY: Rule = Rule {
    id: "parent-severity",
    family: Family::Procedure,
    level: Level::Error,
    group: Group::Links,
    fixed: false,
    summary: "a parent is less severe than a child",
};

/// `follow-up-overdue`: a follow-up is past its due date.
pub const FOLLOW_UP_OVERDUE: Rule = Rule {
    id: "follow-up-overdue",
    family: Family::Procedure,
    level: Level::Warning,
    group: Group::Ownership,
    fixed: false,
    summary: "a follow-up is past its due date",
};

/// `stale-runbook`: a runbook is overdue for review.
pub const STALE_RUNBOOK: Rule = Rule {
    id: "stale-runbook",
    family: Family::Procedure,
    level: Level::Warning,
    group: Group::Input,
    fixed: false,
    summary: "a runbook is overdue for review",
};

/// `runbook-owner`: a runbook has no owner.
pub const RUNBOOK_OWNER: Rule = Rule {
    id: "runbook-owner",
    family: Family::Procedure,
    level: Level::Warning,
    group: Group::Input,
    fixed: false,
    summary: "a runbook has no owner",
};

/// `waiver-unused`: a waiver names a rule that does not fire.
pub const WAIVER_UNUSED: Rule = Rule {
    id: "waiver-unused",
    family: Family::Procedure,
    level: Level::Warning,
    group: Group::Waivers,
    fixed: false,
    summary: "a waiver names a rule that does not fire",
};

/// `recurrence`: an incident on a service that had one shortly before,
/// and no problem record tracks the cause.
pub const RECURRENCE: Rule = Rule {
    id: "recurrence",
    family: Family::Procedure,
    level: Level::Warning,
    group: Group::Links,
    fixed: false,
    summary: "an incident recurs on a service within the window and no problem record tracks it",
};

/// Every rule, in the order of RULES.md.
pub const RULES: &[&Rule] = &[
    &YAML,
    &SCHEMA,
    &BAD_TIME,
    &DUPLICATE_ID,
    &UNKNOWN_SERVICE,
    &UNKNOWN_RUNBOOK,
    &UNKNOWN_LEVEL,
    &TIME_ORDER,
    &FUTURE_TIME,
    &STATUS_MISMATCH,
    &LINK_MISSING,
    &LINK_CYCLE,
    &BROKEN_LINK,
    &ESCALATION_MISMATCH,
    &UPDATE_STATUS,
    &COMMENT_IN_TEXT,
    &RECIPIENT_TYPO,
    &UNKNOWN_KEY,
    &UNSUPPORTED_SHORTCODE,
    &RESPONSE_TARGET,
    &RECOVERY_TARGET,
    &RESOLUTION_TARGET,
    &NOTIFY_INITIAL,
    &NOTIFY_PROGRESS,
    &NOTIFY_RECTIFICATION,
    &NOTIFY_OVERDUE,
    &NOTIFY_CUSTOMER,
    &NOTIFY_LEADERSHIP,
    &NOTIFY_RECIPIENTS,
    &OWNER_MISSING,
    &REPORT_MISSING,
    &REPORT_LATE,
    &PARENT_CLOSED_EARLY,
    &PARENT_SEVERITY,
    &FOLLOW_UP_OVERDUE,
    &STALE_RUNBOOK,
    &RUNBOOK_OWNER,
    &WAIVER_UNUSED,
    &RECURRENCE,
];

/// The rule with this id (a waiver's or `policy.rules`' text).
pub fn by_id(id: &str) -> Option<&'static Rule> {
    // Looked up for every waiver and policy entry: a map, not a scan.
    static BY_ID: std::sync::LazyLock<std::collections::HashMap<&'static str, &'static Rule>> =
        std::sync::LazyLock::new(|| RULES.iter().map(|r| (r.id, *r)).collect());
    BY_ID.get(id).copied()
}
