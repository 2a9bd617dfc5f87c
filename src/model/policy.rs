//! The policy in force: the default policy merged with `policy:` in
//! sitrep.yaml (RULES.md).

use crate::diag::rules;
use crate::diag::{self, Level};
use crate::model::read::Reader;
use crate::time::format_duration;
use crate::yaml::{self, Node, Pos, Value};
use chrono::Duration;
use std::collections::BTreeMap;
use std::fmt::Write;

pub const DEFAULT_POLICY: &str = include_str!("default_policy.yaml");

/// The kinds a record's notice may have (FORMATS.md): `initial`, `progress`,
/// `rectification`, `overdue`, `customer`, `resolution`, `other`, and (v2)
/// the names of the policy's notices (`leadership`, the name `sitrep due`
/// prints).
pub const RECORD_KINDS: &[&str] = &[
    "initial",
    "progress",
    "rectification",
    "overdue",
    "customer",
    "leadership",
    "resolution",
    "other",
];
pub const CHANNELS: &[&str] = &[
    "sms", "email", "phone", "chat", "pager", "pa", "web", "other",
];

/// The notice requirements the procedure rules know, each with its rule.
pub const NOTICE_NAMES: &[&str] = &[
    "initial",
    "progress",
    "rectification",
    "overdue",
    "customer",
    "leadership",
];

#[derive(Debug, Clone, PartialEq)]
pub struct LevelSpec {
    pub level: i64,
    pub name: String,
    pub respond: Duration,
    pub recover: Duration,
    pub resolve: Duration,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub channels: Vec<String>,
    pub to: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NoticeSpec {
    pub name: &'static str,
    /// Which notices count: a kind, or `any`.
    pub kind: String,
    pub levels: Vec<i64>,
    pub within: Duration,
    pub every: Duration,
    pub deliver: Vec<Delivery>,
}

impl NoticeSpec {
    pub fn applies_to(&self, level: i64) -> bool {
        self.levels.contains(&level)
    }

    /// The rule that reports this requirement when no notice was sent.
    pub fn rule(&self) -> &'static crate::diag::Rule {
        match self.name {
            "initial" => &rules::NOTIFY_INITIAL,
            "progress" => &rules::NOTIFY_PROGRESS,
            "rectification" => &rules::NOTIFY_RECTIFICATION,
            "overdue" => &rules::NOTIFY_OVERDUE,
            "customer" => &rules::NOTIFY_CUSTOMER,
            _ => &rules::NOTIFY_LEADERSHIP,
        }
    }

    /// `sms+email to service-owner, om-team; phone to rd-leader`.
    pub fn deliveries_text(&self) -> String {
        self.deliver
            .iter()
            .map(|d| {
                let ch = if d.channels.is_empty() {
                    "any channel".to_owned()
                } else {
                    d.channels.join("+")
                };
                format!("{ch} to {}", d.to.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn counts(&self, kind: &str) -> bool {
        if self.name == "progress" {
            // Progress is kept up by any notice that tells the same people
            // how things stand (RULES.md).
            return matches!(kind, "initial" | "progress" | "overdue");
        }
        self.kind == "any" || self.kind == kind
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub levels: BTreeMap<i64, LevelSpec>,
    pub notices: Vec<NoticeSpec>,
    pub report_levels: Vec<i64>,
    pub report_parents: bool,
    /// Rule levels set by the site; `None` is `off`.
    pub rules: BTreeMap<String, Option<Level>>,
    /// Records reported before this date get the input rules only.
    pub applies_from: Option<chrono::NaiveDate>,
    /// How far back an incident on the same service counts as recurring.
    pub recurrence_window: Duration,
}

impl Policy {
    pub fn level(&self, l: i64) -> Option<&LevelSpec> {
        self.levels.get(&l)
    }

    pub fn notice(&self, name: &str) -> Option<&NoticeSpec> {
        self.notices.iter().find(|n| n.name == name)
    }

    /// The level a rule reports at, or `None` when it is off.
    pub fn rule_level(&self, rule: &str) -> Option<Level> {
        match self.rules.get(rule) {
            Some(l) => *l,
            None => diag::rules::by_id(rule).map(|r| r.level),
        }
    }

    pub fn level_list(&self) -> String {
        self.levels
            .keys()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The built-in policy alone.
    pub fn default_policy() -> Policy {
        let node = yaml::parse(DEFAULT_POLICY).unwrap_or(Node::new(Value::Null, Pos::START));
        let mut r = Reader::new("sitrep.yaml", Default::default());
        read(&mut r, &node)
    }

    /// Prints the policy as YAML that could be pasted back under `policy:`.
    pub fn to_yaml(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "levels:");
        for l in self.levels.values() {
            let _ = writeln!(
                s,
                "  {}: {{ name: {}, respond: {}, recover: {}, resolve: {} }}",
                l.level,
                yaml::write::scalar(&l.name),
                format_duration(l.respond),
                format_duration(l.recover),
                format_duration(l.resolve)
            );
        }
        let _ = writeln!(s, "\nnotices:");
        for n in &self.notices {
            let _ = writeln!(s, "  {}:", n.name);
            if n.name != "progress" && n.kind != n.name {
                let _ = writeln!(s, "    kind: {}", n.kind);
            }
            let levels: Vec<String> = n.levels.iter().map(i64::to_string).collect();
            let _ = writeln!(s, "    levels: [{}]", levels.join(", "));
            if n.name == "progress" {
                let _ = writeln!(s, "    every: {}", format_duration(n.every));
            } else {
                let _ = writeln!(s, "    within: {}", format_duration(n.within));
            }
            let _ = writeln!(s, "    deliver:");
            for d in &n.deliver {
                let _ = writeln!(
                    s,
                    "      - {{ channels: [{}], to: [{}] }}",
                    d.channels.join(", "),
                    d.to.iter()
                        .map(|t| yaml::write::scalar(t))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
        let levels: Vec<String> = self.report_levels.iter().map(i64::to_string).collect();
        let _ = writeln!(
            s,
            "\nreport:\n  required_for_levels: [{}]\n  required_for_parents: {}",
            levels.join(", "),
            self.report_parents
        );
        let _ = writeln!(
            s,
            "\nrecurrence:\n  window: {}",
            format_duration(self.recurrence_window)
        );
        let _ = writeln!(
            s,
            "applies_from: {}",
            self.applies_from
                .map_or("null".to_owned(), |d| d.to_string())
        );
        let _ = writeln!(s, "\nrules:");
        for r in diag::RULES {
            let lvl = self.rule_level(r.id).map_or("off", Level::as_str);
            let _ = writeln!(s, "  {}: {}", r.id, lvl);
        }
        s
    }
}

/// Merges `over` into `base`: mappings key by key, anything else replaces.
pub fn merge<'t>(base: &Node<'t>, over: &Node<'t>) -> Node<'t> {
    match (&base.value, &over.value) {
        (Value::Map(b), Value::Map(o)) => {
            let mut out: Vec<(Node, Node)> = b.clone();
            for (ok, ov) in o {
                let key = ok.scalar_text();
                match out
                    .iter_mut()
                    .find(|(bk, _)| bk.scalar_text() == key && key.is_some())
                {
                    Some(entry) => entry.1 = merge(&entry.1, ov),
                    None => out.push((ok.clone(), ov.clone())),
                }
            }
            Node::new(Value::Map(out), over.pos)
        }
        (_, Value::Null) => base.clone(),
        _ => over.clone(),
    }
}

fn level_key(r: &mut Reader, k: &Node) -> Option<i64> {
    let text = k.scalar_text().unwrap_or_default();
    match text.trim().parse::<i64>() {
        Ok(l) => Some(l),
        Err(_) => {
            r.schema(
                k.pos,
                format!("policy level `{text}` must be a whole number"),
                "",
            );
            None
        }
    }
}

/// Reads a (merged) policy tree; problems are reported on sitrep.yaml.
pub fn read(r: &mut Reader, node: &Node) -> Policy {
    let mut p = Policy {
        levels: BTreeMap::new(),
        notices: Vec::new(),
        report_levels: Vec::new(),
        report_parents: false,
        rules: BTreeMap::new(),
        applies_from: None,
        recurrence_window: Duration::days(14),
    };
    let keys = &[
        "levels",
        "notices",
        "report",
        "rules",
        "recurrence",
        "applies_from",
    ];
    let Some(fields) = r.fields(node, keys, "`policy`") else {
        return p;
    };
    for (key, v) in &fields {
        match *key {
            "levels" => {
                for (k, lv) in v.as_map().unwrap_or_default() {
                    let Some(level) = level_key(r, k) else {
                        continue;
                    };
                    if let Some(spec) = read_level(r, level, lv) {
                        p.levels.insert(level, spec);
                    }
                }
                if v.as_map().is_none() && !v.is_null() {
                    r.schema(
                        v.pos,
                        "`policy.levels` must map level numbers to targets",
                        "",
                    );
                }
            }
            "report" => {
                if let Some(f) = r.fields(
                    v,
                    &["required_for_levels", "required_for_parents"],
                    "`policy.report`",
                ) {
                    for (k, n) in f {
                        match k {
                            "required_for_levels" => p.report_levels = int_list(r, n, k),
                            _ => p.report_parents = r.boolean(n, k).unwrap_or(false),
                        }
                    }
                }
            }
            "applies_from" if !v.is_null() => p.applies_from = r.date(v, key),
            "recurrence" => {
                if let Some(f) = r.fields(v, &["window"], "`policy.recurrence`") {
                    for (k, n) in f {
                        if let Some(d) = r.duration(n, k) {
                            p.recurrence_window = d;
                        }
                    }
                }
            }
            "rules" => {
                for (k, lv) in v.as_map().unwrap_or_default() {
                    let id = k.scalar_text().unwrap_or_default();
                    let Some(rule) = diag::rules::by_id(&id) else {
                        let help = diag::did_you_mean(&id, diag::RULES.iter().map(|r| r.id))
                            .map(|s| format!("did you mean `{s}`?"))
                            .unwrap_or_default();
                        r.schema(k.pos, format!("`policy.rules`: unknown rule `{id}`"), &help);
                        continue;
                    };
                    // YAML 1.1 readers take a bare `off` as false; accept both.
                    let lvl = if lv.value == Value::Bool(false) {
                        "off"
                    } else {
                        let Some(l) = r.choice(lv, &id, &["error", "warning", "off"]) else {
                            continue;
                        };
                        l
                    };
                    if rule.fixed && lvl != "error" {
                        r.schema(
                            lv.pos,
                            format!("`{}` is always an error and cannot be changed", rule.id),
                            "",
                        );
                        continue;
                    }
                    let level = match lvl {
                        "error" => Some(Level::Error),
                        "warning" => Some(Level::Warning),
                        _ => None,
                    };
                    p.rules.insert(rule.id.to_owned(), level);
                }
            }
            _ => {}
        }
    }
    if let Some((_, v)) = fields.iter().find(|(k, _)| *k == "notices") {
        if let Some(f) = r.fields(v, NOTICE_NAMES, "`policy.notices`") {
            for (name, n) in f {
                if let Some(spec) = read_notice(r, name, n, &p) {
                    p.notices.push(spec);
                }
            }
        }
    }
    p.notices
        .sort_by_key(|n| NOTICE_NAMES.iter().position(|x| *x == n.name));
    p
}

fn int_list(r: &mut Reader, n: &Node, field: &str) -> Vec<i64> {
    r.list(n, field)
        .iter()
        .filter_map(|i| {
            let t = i.scalar_text().unwrap_or_default();
            match t.trim().parse::<i64>() {
                Ok(v) => Some(v),
                Err(_) => {
                    r.schema(
                        i.pos,
                        format!("`{field}` lists levels; `{t}` is not a level number"),
                        "",
                    );
                    None
                }
            }
        })
        .collect()
}

fn read_level(r: &mut Reader, level: i64, node: &Node) -> Option<LevelSpec> {
    let f = r.fields(
        node,
        &["name", "respond", "recover", "resolve"],
        &format!("policy level {level}"),
    )?;
    r.require(
        &f,
        &["respond", "recover", "resolve"],
        node.pos,
        &format!("policy level {level}"),
    );
    let mut spec = LevelSpec {
        level,
        name: format!("Level {level}"),
        respond: Duration::zero(),
        recover: Duration::zero(),
        resolve: Duration::zero(),
    };
    let mut ok = true;
    for (k, v) in f {
        match k {
            "name" => spec.name = r.text(v, k).unwrap_or(spec.name),
            "respond" | "recover" | "resolve" => match r.duration(v, k) {
                Some(d) if k == "respond" => spec.respond = d,
                Some(d) if k == "recover" => spec.recover = d,
                Some(d) => spec.resolve = d,
                None => ok = false,
            },
            _ => {}
        }
    }
    ok.then_some(spec)
}

fn read_notice(r: &mut Reader, name: &'static str, node: &Node, p: &Policy) -> Option<NoticeSpec> {
    let what = format!("`policy.notices.{name}`");
    let f = r.fields(
        node,
        &["kind", "levels", "within", "every", "deliver"],
        &what,
    )?;
    let timing = if name == "progress" {
        "every"
    } else {
        "within"
    };
    r.require(&f, &["levels", timing, "deliver"], node.pos, &what);
    let mut spec = NoticeSpec {
        name,
        kind: name.to_owned(),
        levels: Vec::new(),
        within: Duration::zero(),
        every: Duration::zero(),
        deliver: Vec::new(),
    };
    for (k, v) in f {
        match k {
            "kind" => {
                let mut kinds: Vec<&'static str> = RECORD_KINDS.to_vec();
                kinds.push("any");
                if let Some(kind) = r.choice(v, "kind", &kinds) {
                    spec.kind = kind.to_owned();
                }
            }
            "levels" => {
                spec.levels = int_list(r, v, "levels");
                for (l, item) in spec.levels.iter().zip(r.list(v, "levels")) {
                    if !p.levels.contains_key(l) {
                        r.emit(
                            &rules::UNKNOWN_LEVEL,
                            item.pos,
                            format!("{what} names level {l}, which the policy does not define"),
                            &format!("defined levels: {}", p.level_list()),
                        );
                    }
                }
            }
            "within" => spec.within = r.duration(v, k).unwrap_or_default(),
            "every" => {
                spec.every = r.duration(v, k).unwrap_or_default();
                if spec.every <= Duration::zero() {
                    r.schema(v.pos, "`every` must be longer than zero", "");
                }
            }
            "deliver" => {
                for d in r.list(v, "deliver") {
                    let Some(df) = r.fields(d, &["channels", "to"], "a delivery") else {
                        continue;
                    };
                    let mut del = Delivery {
                        channels: Vec::new(),
                        to: Vec::new(),
                    };
                    for (dk, dv) in df {
                        let items = r.text_list(dv, dk);
                        if dk == "channels" {
                            for (c, pos) in &items {
                                if !CHANNELS.contains(&c.as_str()) {
                                    r.schema(
                                        *pos,
                                        format!("`{c}` is not a channel"),
                                        &format!("use one of {}", CHANNELS.join(", ")),
                                    );
                                }
                            }
                            del.channels = items.into_iter().map(|(c, _)| c).collect();
                        } else {
                            del.to = items.into_iter().map(|(c, _)| c).collect();
                        }
                    }
                    spec.deliver.push(del);
                }
            }
            _ => {}
        }
    }
    Some(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_reads_cleanly() {
        let node = yaml::parse(DEFAULT_POLICY).unwrap();
        let mut r = Reader::new("sitrep.yaml", Default::default());
        let p = read(&mut r, &node);
        assert!(r.out.is_empty(), "{:?}", r.out);
        assert_eq!(p.levels.len(), 3);
        assert_eq!(p.level(1).unwrap().respond, Duration::minutes(10));
        assert_eq!(p.notices.len(), 6);
        assert_eq!(p.notice("leadership").unwrap().kind, "any");
    }

    #[test]
    fn merge_is_key_by_key_and_lists_replace() {
        let base = yaml::parse(DEFAULT_POLICY).unwrap();
        let over = yaml::parse(
            "levels:\n  3: { recover: 8h }\nnotices:\n  customer:\n    levels: [1, 2]\n",
        )
        .unwrap();
        let mut r = Reader::new("sitrep.yaml", Default::default());
        let p = read(&mut r, &merge(&base, &over));
        assert!(r.out.is_empty(), "{:?}", r.out);
        let l3 = p.level(3).unwrap();
        assert_eq!(l3.recover, Duration::hours(8));
        assert_eq!(l3.respond, Duration::minutes(60));
        let c = p.notice("customer").unwrap();
        assert_eq!(c.levels, vec![1, 2]);
        assert_eq!(c.within, Duration::minutes(30));
    }

    #[test]
    fn printed_policy_reads_back_the_same() {
        let p = Policy::default_policy();
        let text = p.to_yaml();
        let node = yaml::parse(&text).unwrap();
        let mut r = Reader::new("sitrep.yaml", Default::default());
        let back = read(&mut r, &node);
        assert!(r.out.is_empty(), "{:?}", r.out);
        assert_eq!(back.levels, p.levels);
        assert_eq!(back.notices, p.notices);
        assert_eq!(back.applies_from, None);
        let with = Policy {
            applies_from: chrono::NaiveDate::from_ymd_opt(2026, 1, 1),
            ..p
        };
        let text = with.to_yaml();
        let node = yaml::parse(&text).unwrap();
        assert_eq!(read(&mut r, &node).applies_from, with.applies_from);
    }

    #[test]
    fn bad_policy_is_reported_with_position() {
        let base = yaml::parse(DEFAULT_POLICY).unwrap();
        let over =
            yaml::parse("notices:\n  customer:\n    levels: [7]\n    within: soon\n").unwrap();
        let mut r = Reader::new("sitrep.yaml", Default::default());
        read(&mut r, &merge(&base, &over));
        let rules: Vec<_> = r.out.iter().map(|d| (d.rule.id, d.line)).collect();
        assert!(rules.contains(&("unknown-level", 3)), "{rules:?}");
        assert!(rules.contains(&("bad-time", 4)), "{rules:?}");
    }

    /// A record's notice may name every kind and every policy notice.
    #[test]
    fn record_kinds_hold_every_kind_and_notice_name() {
        for k in ["resolution", "other"].iter().chain(NOTICE_NAMES) {
            assert!(RECORD_KINDS.contains(k), "{k}");
        }
    }
}
