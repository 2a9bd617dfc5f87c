//! Typed reading of a YAML tree, collecting diagnostics instead of
//! stopping at the first problem.

use crate::diag::rules;
use crate::diag::{did_you_mean, Diagnostic};
use crate::time::{self, Stamp, Zone};
use crate::yaml::{Node, Pos, Value};
use chrono::{Duration, NaiveDate};
use std::borrow::Cow;

/// Where diagnostics of one file go.
pub struct Reader<'a> {
    pub file: &'a str,
    pub zone: Zone,
    pub incident: Option<String>,
    pub out: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    pub fn new(file: &'a str, zone: Zone) -> Self {
        Reader {
            file,
            zone,
            incident: None,
            out: Vec::new(),
        }
    }

    pub fn emit(
        &mut self,
        rule: &'static crate::diag::Rule,
        pos: Pos,
        message: impl Into<String>,
        help: &str,
    ) {
        let mut d =
            Diagnostic::new(rule, self.file, pos, message).incident(self.incident.as_deref());
        if !help.is_empty() {
            d = d.help(help);
        }
        self.out.push(d);
    }

    pub fn schema(&mut self, pos: Pos, message: impl Into<String>, help: &str) {
        self.emit(&rules::SCHEMA, pos, message, help);
    }

    fn wrong_type(&mut self, node: &Node, field: &str, want: &str) {
        self.schema(
            node.pos,
            format!("`{field}` must be {want}, not {}", node.type_name()),
            "",
        );
    }

    /// The entries of a mapping (none for an empty value), or `None` with a
    /// `schema` finding when it is something else.
    pub fn mapping<'n, 't>(
        &mut self,
        node: &'n Node<'t>,
        what: &str,
    ) -> Option<&'n [(Node<'t>, Node<'t>)]> {
        match &node.value {
            Value::Map(entries) => Some(entries),
            Value::Null => Some(&[]),
            _ => {
                self.schema(
                    node.pos,
                    format!(
                        "{what} must be a mapping of keys to values, not {}",
                        node.type_name()
                    ),
                    "",
                );
                None
            }
        }
    }

    /// The entries of a mapping whose keys are all known; unknown keys are
    /// reported with a suggestion. `what` names the mapping in messages.
    pub fn fields<'n, 't>(
        &mut self,
        node: &'n Node<'t>,
        allowed: &[&'static str],
        what: &str,
    ) -> Option<Vec<(&'static str, &'n Node<'t>)>> {
        let entries = self.mapping(node, what)?;
        let mut out = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            let key = k.scalar_text().unwrap_or_default();
            match allowed.iter().find(|a| **a == key) {
                Some(a) => out.push((*a, v)),
                None => {
                    let help = match did_you_mean(&key, allowed.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("known keys: {}", allowed.join(", ")),
                    };
                    self.schema(k.pos, format!("unknown key `{key}` in {what}"), &help);
                }
            }
        }
        Some(out)
    }

    /// Reports required keys that are absent, at `pos`.
    pub fn require(
        &mut self,
        present: &[(&'static str, &Node)],
        required: &[&str],
        pos: Pos,
        what: &str,
    ) {
        for r in required {
            if !present.iter().any(|(k, v)| k == r && !v.is_null()) {
                self.schema(
                    pos,
                    format!("{what} lacks the required `{r}`"),
                    &format!("add `{r}:`"),
                );
            }
        }
    }

    /// Text from any scalar (a number written as `12` is the text `12`).
    pub fn text(&mut self, node: &Node, field: &str) -> Option<String> {
        self.str(node, field).map(Cow::into_owned)
    }

    /// [`Reader::text`] without a copy, for values parsed on the spot.
    pub fn str<'n, 't>(&mut self, node: &'n Node<'t>, field: &str) -> Option<Cow<'n, str>> {
        match &node.value {
            Value::Null => None,
            Value::Seq(_) | Value::Map(_) => {
                self.wrong_type(node, field, "text");
                None
            }
            _ => node.scalar_text(),
        }
    }

    pub fn boolean(&mut self, node: &Node, field: &str) -> Option<bool> {
        match &node.value {
            Value::Bool(b) => Some(*b),
            Value::Null => None,
            _ => {
                self.wrong_type(node, field, "true or false");
                None
            }
        }
    }

    pub fn integer(&mut self, node: &Node, field: &str) -> Option<i64> {
        match &node.value {
            Value::Int(i) => Some(*i),
            Value::Null => None,
            _ => {
                self.wrong_type(node, field, "a whole number");
                None
            }
        }
    }

    /// A list of texts; each item with its position.
    pub fn text_list(&mut self, node: &Node, field: &str) -> Vec<(String, Pos)> {
        match &node.value {
            Value::Seq(items) => items
                .iter()
                .filter_map(|i| self.text(i, field).map(|t| (t, i.pos)))
                .collect(),
            Value::Null => Vec::new(),
            _ => {
                self.wrong_type(node, field, "a list");
                Vec::new()
            }
        }
    }

    pub fn list<'n, 't>(&mut self, node: &'n Node<'t>, field: &str) -> &'n [Node<'t>] {
        match &node.value {
            Value::Seq(items) => items,
            Value::Null => &[],
            _ => {
                self.wrong_type(node, field, "a list");
                &[]
            }
        }
    }

    /// A value from a fixed list (`schema` when it is not one of them).
    pub fn choice(
        &mut self,
        node: &Node,
        field: &str,
        allowed: &[&'static str],
    ) -> Option<&'static str> {
        let t = self.str(node, field)?;
        match allowed.iter().find(|a| **a == t) {
            Some(a) => Some(a),
            None => {
                let help = match did_you_mean(&t, allowed.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? (one of {})", allowed.join(", ")),
                    None => format!("use one of {}", allowed.join(", ")),
                };
                self.schema(node.pos, format!("`{t}` is not a valid `{field}`"), &help);
                None
            }
        }
    }

    pub fn stamp(&mut self, node: &Node, field: &str, allow_time_only: bool) -> Option<Stamp> {
        let t = self.str(node, field)?;
        match time::parse_stamp(&t, &self.zone, allow_time_only) {
            Ok(s) => Some(s),
            Err(e) => {
                let msg = format!("`{field}`: {}", e.describe(&t, &self.zone));
                self.emit(&rules::BAD_TIME, node.pos, msg, "");
                None
            }
        }
    }

    pub fn date(&mut self, node: &Node, field: &str) -> Option<NaiveDate> {
        let t = self.str(node, field)?;
        let d = time::parse_date(&t);
        if d.is_none() {
            self.emit(
                &rules::BAD_TIME,
                node.pos,
                format!("`{field}` must be a date written YYYY-MM-DD, not `{t}`"),
                "",
            );
        }
        d
    }

    pub fn duration(&mut self, node: &Node, field: &str) -> Option<Duration> {
        let t = self.str(node, field)?;
        let d = time::parse_duration(&t);
        if d.is_none() {
            self.emit(
                &rules::BAD_TIME,
                node.pos,
                format!("`{field}` is not a duration: `{t}`"),
                "write it like 90s, 30m, 1h, 7d, 2w or 1h30m",
            );
        }
        d
    }

    pub fn has_input_errors(&self) -> bool {
        self.out.iter().any(Diagnostic::is_input_error)
    }
}
