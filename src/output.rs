//! The output formats of `sitrep check` (CLI.md): human, json, github,
//! sarif, junit and gitlab.

use crate::diag::{count, Diagnostic, Level, RULES};
use crate::escape::markup;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::path::Path;

/// Site totals for the closing line and the JSON summary.
#[derive(Debug, Clone, Copy, Default)]
pub struct Totals {
    pub files: usize,
    pub runbooks: usize,
    pub incidents: usize,
}

impl Totals {
    pub fn of(site: &crate::model::site::Site) -> Totals {
        Totals {
            files: site.file_count(),
            runbooks: site.runbook_count(),
            incidents: site.incident_count(),
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `N errors, M warnings in F files (R runbooks, I incidents)`.
pub fn closing_line(diags: &[Diagnostic], t: Totals) -> String {
    let c = count(diags);
    let mut s = format!(
        "{}, {} in {} ({}, {})",
        plural(c.errors, "error", "errors"),
        plural(c.warnings, "warning", "warnings"),
        plural(t.files, "file", "files"),
        plural(t.runbooks, "runbook", "runbooks"),
        plural(t.incidents, "incident", "incidents"),
    );
    if c.waived > 0 {
        let _ = write!(s, "; {} waived", c.waived);
    }
    s
}

/// Byte length of the token that starts `text`: a scalar up to `,`, `]`
/// or `}` of its flow collection, a Markdown link through its `)`, or the
/// rest of the line; never a trailing comment or blank.
fn token_len(text: &str) -> usize {
    let link = text.starts_with('[');
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' if i == 0 || depth > 0 => quote = Some(c),
                '[' | '(' | '{' => depth += 1,
                ']' | ')' | '}' => {
                    depth -= 1;
                    if depth < 0 {
                        return i;
                    }
                    if depth == 0 && link && c == ')' {
                        return i + 1;
                    }
                }
                ',' if depth == 0 => return i,
                '#' if prev == ' ' => return text.get(..i).map_or(i, |t| t.trim_end().len()),
                _ => {}
            },
        }
        prev = c;
    }
    text.trim_end().len()
}

/// Byte range in `line_text` of the token at the 1-based column.
fn span_in_line(line_text: &str, column: u32) -> Option<std::ops::Range<usize>> {
    let text = line_text.trim_end_matches(['\n', '\r']);
    let start_char = (column.max(1) - 1) as usize;
    let start = text.char_indices().nth(start_char).map(|(b, _)| b)?;
    let len = text.get(start..).map_or(1, token_len).max(1);
    let end = (start + len).min(text.len());
    Some(start..end.max(start + 1))
}

/// The lines of a source file, indexed once so that many diagnostics in
/// one large file stay cheap.
struct Source {
    text: String,
    starts: Vec<usize>,
}

impl Source {
    fn new(text: String) -> Source {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source { text, starts }
    }

    fn line(&self, line: u32) -> Option<&str> {
        let i = (line as usize).checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let end = self.starts.get(i + 1).copied().unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .map(|l| l.trim_end_matches(['\n', '\r']))
    }
}

/// Compiler-style blocks, one per diagnostic, then the closing line.
pub fn human(diags: &[Diagnostic], root: &Path, totals: Totals, color: bool) -> String {
    use annotate_snippets::{Level as L, Renderer, Snippet};
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut sources: HashMap<&str, Option<Source>> = HashMap::new();
    let mut out = String::new();
    for d in diags {
        let src = sources.entry(d.file.as_str()).or_insert_with(|| {
            std::fs::read(root.join(&d.file))
                .ok()
                .map(|b| Source::new(String::from_utf8_lossy(&b).into_owned()))
        });
        let level = if d.waived {
            L::Note
        } else if d.level == Level::Error {
            L::Error
        } else {
            L::Warning
        };
        let mut title = String::new();
        if d.waived {
            title.push_str("waived: ");
        }
        if let Some(i) = &d.incident {
            let _ = write!(title, "{i}: ");
        }
        title.push_str(&d.message);
        let help = d.help.clone().unwrap_or_default();
        let origin = format!("{}:{}:{}", d.file, d.line, d.column);
        let line_text = src.as_ref().and_then(|s| s.line(d.line));
        let span = line_text.and_then(|l| span_in_line(l, d.column));
        let mut msg = level.title(&title).id(d.rule.id);
        match (line_text, span) {
            (Some(l), Some(span)) => {
                msg = msg.snippet(
                    Snippet::source(l)
                        .origin(&d.file)
                        .line_start(d.line as usize)
                        .annotation(level.span(span)),
                );
            }
            _ => {
                msg = msg.snippet(
                    Snippet::source("")
                        .origin(&origin)
                        .line_start(d.line as usize),
                );
            }
        }
        if !help.is_empty() {
            msg = msg.footer(L::Help.title(&help));
        }
        let _ = writeln!(out, "{}\n", renderer.render(msg));
    }
    out.push_str(&closing_line(diags, totals));
    out.push('\n');
    out
}

#[derive(serde::Serialize)]
struct JsonDoc<'a> {
    version: u32,
    now: &'a str,
    summary: JsonSummary,
    diagnostics: JsonDiags<'a>,
}

/// The findings, serialized one by one rather than collected first.
struct JsonDiags<'a>(&'a [Diagnostic]);

impl serde::Serialize for JsonDiags<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|d| JsonDiag {
            rule: d.rule.id,
            family: d.family.as_str(),
            level: d.level.as_str(),
            waived: d.waived,
            file: &d.file,
            line: d.line,
            column: d.column,
            incident: d.incident.as_deref(),
            message: &d.message,
            help: d.help.as_deref(),
        }))
    }
}

#[derive(serde::Serialize)]
struct JsonSummary {
    errors: usize,
    warnings: usize,
    waived: usize,
    files: usize,
    runbooks: usize,
    incidents: usize,
}

/// One diagnostic in the shape of CLI.md (plus `help`), borrowed: a check
/// of 100,000 records prints ~200,000 of them.
#[derive(serde::Serialize)]
struct JsonDiag<'a> {
    rule: &'a str,
    family: &'a str,
    level: &'a str,
    waived: bool,
    file: &'a str,
    line: u32,
    column: u32,
    incident: Option<&'a str>,
    message: &'a str,
    help: Option<&'a str>,
}

pub fn json(diags: &[Diagnostic], now: &str, totals: Totals) -> String {
    let mut buf = Vec::new();
    // Writing into a Vec does not fail.
    let _ = write_json(&mut buf, diags, now, totals);
    String::from_utf8(buf).unwrap_or_default()
}

/// The JSON report, written as it is serialized: on 190,000 findings this
/// saves holding an 80 MB text.
pub fn write_json(
    w: &mut dyn std::io::Write,
    diags: &[Diagnostic],
    now: &str,
    totals: Totals,
) -> std::io::Result<()> {
    let c = count(diags);
    let doc = JsonDoc {
        version: 1,
        now,
        summary: JsonSummary {
            errors: c.errors,
            warnings: c.warnings,
            waived: c.waived,
            files: totals.files,
            runbooks: totals.runbooks,
            incidents: totals.incidents,
        },
        diagnostics: JsonDiags(diags),
    };
    serde_json::to_writer_pretty(&mut *w, &doc)?;
    w.write_all(b"\n")
}

/// Escapes for GitHub workflow commands: data and property values.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn github(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags.iter().filter(|d| !d.waived) {
        let mut msg = match &d.incident {
            Some(i) => format!("{i}: {}", d.message),
            None => d.message.clone(),
        };
        if let Some(h) = &d.help {
            let _ = write!(msg, "\nhelp: {h}");
        }
        let _ = writeln!(
            out,
            "::{} file={},line={},col={},title={}::{}",
            d.level.as_str(),
            gh_prop(&d.file),
            d.line,
            d.column,
            gh_prop(d.rule.id),
            gh_data(&msg)
        );
    }
    out
}

pub fn sarif(diags: &[Diagnostic]) -> String {
    let shown: Vec<&Diagnostic> = diags.iter().filter(|d| !d.waived).collect();
    let mut used: Vec<&str> = shown.iter().map(|d| d.rule.id).collect();
    used.sort_unstable();
    used.dedup();
    let index: BTreeMap<&str, usize> = used.iter().enumerate().map(|(i, r)| (*r, i)).collect();
    let rules: Vec<_> = used
        .iter()
        .map(|id| {
            let r = RULES.iter().find(|r| r.id == *id);
            json!({
                "id": id,
                "name": id,
                "shortDescription": { "text": r.map_or("", |r| r.summary) },
                "defaultConfiguration": { "level": r.map_or("error", |r| r.level.as_str()) },
                "properties": { "family": r.map_or("input", |r| r.family.as_str()) },
            })
        })
        .collect();
    let results: Vec<_> = shown
        .iter()
        .map(|d| {
            let mut text = match &d.incident {
                Some(i) => format!("{i}: {}", d.message),
                None => d.message.clone(),
            };
            if let Some(h) = &d.help {
                let _ = write!(text, " (help: {h})");
            }
            json!({
                "ruleId": d.rule.id,
                "ruleIndex": index.get(d.rule.id).copied().unwrap_or(0),
                "level": d.level.as_str(),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": d.file },
                        "region": { "startLine": d.line, "startColumn": d.column },
                    }
                }],
                "partialFingerprints": { "sitrep/v1": fingerprint(d) },
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "sitrep",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://git.example.com/sitrep/sitrep",
                "rules": rules,
            }},
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// A fingerprint that survives unrelated edits: rule, file, incident and
/// message, not the line.
pub fn fingerprint(d: &Diagnostic) -> String {
    let h = crate::hash::fnv1a([
        d.rule.id.as_bytes(),
        d.file.as_bytes(),
        d.incident.as_deref().unwrap_or("").as_bytes(),
        d.message.as_bytes(),
    ]);
    format!("{h:016x}")
}

/// JUnit XML: a suite per checked file, a case per rule that fired there
/// (or one passing case for a clean file).
pub fn junit(diags: &[Diagnostic], files: &[String]) -> String {
    let mut by_file: BTreeMap<&str, BTreeMap<&str, Vec<&Diagnostic>>> = BTreeMap::new();
    for f in files {
        by_file.entry(f.as_str()).or_default();
    }
    for d in diags.iter().filter(|d| !d.waived) {
        by_file
            .entry(&d.file)
            .or_default()
            .entry(d.rule.id)
            .or_default()
            .push(d);
    }
    let total_tests: usize = by_file.values().map(|r| r.len().max(1)).sum();
    let total_fail: usize = by_file.values().map(BTreeMap::len).sum();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"sitrep check\" tests=\"{total_tests}\" failures=\"{total_fail}\">"
    );
    for (i, (file, rules)) in by_file.iter().enumerate() {
        let tests = rules.len().max(1);
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" id=\"{i}\" tests=\"{tests}\" failures=\"{}\" errors=\"0\">",
            markup(file),
            rules.len()
        );
        if rules.is_empty() {
            let _ = writeln!(
                s,
                "    <testcase name=\"check\" classname=\"{}\"/>",
                markup(file)
            );
        }
        for (rule, ds) in rules {
            let _ = writeln!(
                s,
                "    <testcase name=\"{}\" classname=\"{}\">",
                markup(rule),
                markup(file)
            );
            for d in ds {
                let text = format!(
                    "{}:{}:{}: {}{}",
                    d.file,
                    d.line,
                    d.column,
                    d.message,
                    d.help
                        .as_ref()
                        .map(|h| format!("\nhelp: {h}"))
                        .unwrap_or_default()
                );
                let _ = writeln!(
                    s,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    markup(&d.message),
                    d.level.as_str(),
                    markup(&text)
                );
            }
            let _ = writeln!(s, "    </testcase>");
        }
        let _ = writeln!(s, "  </testsuite>");
    }
    s.push_str("</testsuites>\n");
    s
}

/// GitLab Code Quality report.
pub fn gitlab(diags: &[Diagnostic]) -> String {
    let items: Vec<_> = diags
        .iter()
        .filter(|d| !d.waived)
        .map(|d| {
            json!({
                "description": match &d.incident { Some(i) => format!("{i}: {}", d.message), None => d.message.clone() },
                "check_name": d.rule.id,
                "fingerprint": fingerprint(d),
                "severity": if d.level == Level::Error { "major" } else { "minor" },
                "location": { "path": d.file, "lines": { "begin": d.line } },
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&items).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::Pos;

    fn sample() -> Diagnostic {
        Diagnostic::new(
            &crate::diag::rules::NOTIFY_INITIAL,
            "incidents/a.yaml",
            Pos::new(2, 3),
            "late, by 2m: 100%",
        )
        .incident(Some("INC-1"))
        .help("send it")
    }

    #[test]
    fn github_escapes() {
        let s = github(&[sample()]);
        assert!(s.starts_with("::error file=incidents/a.yaml,line=2,col=3,title=notify-initial::INC-1: late, by 2m: 100%25%0Ahelp: send it"), "{s}");
    }

    #[test]
    fn junit_escapes_and_counts() {
        let mut d = sample();
        d.message = "<a & b>".into();
        let s = junit(&[d], &["incidents/a.yaml".into(), "content/b.md".into()]);
        assert!(s.contains("&lt;a &amp; b&gt;"));
        assert!(s.contains("tests=\"2\" failures=\"1\""), "{s}");
    }

    #[test]
    fn fingerprints_ignore_lines() {
        let a = sample();
        let mut b = sample();
        b.line = 40;
        assert_eq!(fingerprint(&a), fingerprint(&b));
    }

    #[test]
    fn spans() {
        let src = Source::new("ab\n  - at: 1\r\nlast".to_owned());
        assert_eq!(src.line(2), Some("  - at: 1"));
        assert_eq!(src.line(3), Some("last"));
        assert_eq!(src.line(4), None);
        assert_eq!(span_in_line("  - at: 1", 5), Some(4..9));
        assert_eq!(span_in_line("services: [shop, catalog]", 18), Some(17..24));
        assert_eq!(span_in_line("see [a](b.md) and more", 5), Some(4..13));
        assert_eq!(span_in_line("title: x # note", 8), Some(7..8));
        assert_eq!(span_in_line("ab", 9), None);
    }
}
