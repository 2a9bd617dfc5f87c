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

pub mod rules;

pub use rules::{Rule, RULES};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub rule: &'static Rule,
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
    pub fn new(rule: &'static Rule, file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            family: rule.family,
            level: rule.level,
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
        (
            &self.file,
            self.line,
            self.column,
            self.rule.id,
            &self.message,
        )
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

/// `did you mean `x`? ` before a message's list of valid values, or
/// nothing when no candidate is close.
pub fn near_hint<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(word, candidates)
        .map(|m| format!("did you mean `{m}`? "))
        .unwrap_or_default()
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
        assert_eq!(RULES.len(), 39);
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
