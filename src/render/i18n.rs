//! The default theme's words in the site's language: `themes/default/i18n/
//! <lang>.yaml` built in, `i18n/<lang>.yaml` in the site over them, English
//! under both, so that a key missing anywhere still reads as something.

use anyhow::{anyhow, Result};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The languages written with the theme (`themes/default/i18n/`).
pub const BUILT_IN: [&str; 6] = ["en", "de", "fr", "es", "pt", "ja"];

pub struct Strings {
    map: HashMap<String, String>,
    months_short: Vec<String>,
    months_long: Vec<String>,
    /// `{d} {mon} {y}`, `{date}, {H}:{M} {zone}`, `{month} {y}`, compiled
    /// once: every time on every page goes through them.
    day: Vec<Seg>,
    time: Vec<Seg>,
    month: Vec<Seg>,
    month_short: Vec<Seg>,
    units: [String; 4],
    unit_sep: String,
}

/// The parts of a moment a date pattern may name.
#[derive(Default, Clone, Copy)]
struct At<'z> {
    y: i32,
    m: u32,
    d: u32,
    hh: u32,
    mm: u32,
    zone: &'z str,
}

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Lit(String),
    Var(String),
}

fn compile(pattern: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        match rest[open..].find('}') {
            Some(close) => {
                if open > 0 {
                    out.push(Seg::Lit(rest[..open].to_owned()));
                }
                out.push(Seg::Var(rest[open + 1..open + close].to_owned()));
                rest = &rest[open + close + 1..];
            }
            None => break,
        }
    }
    if !rest.is_empty() {
        out.push(Seg::Lit(rest.to_owned()));
    }
    out
}

fn built_in(lang: &str) -> Option<&'static str> {
    crate::render::theme::embedded_text(&format!("i18n/{lang}.yaml"))
}

fn parse(text: &str, what: &str) -> Result<BTreeMap<String, String>> {
    if text.trim().is_empty() {
        return Ok(BTreeMap::new());
    }
    serde_saphyr::from_str::<BTreeMap<String, String>>(text).map_err(|e| {
        // serde-saphyr says `error: line 2 column 19: …` and then draws the
        // line from `<input>`: the file's name belongs there instead.
        let first = e.to_string();
        let first = first.lines().next().unwrap_or("").trim_start_matches("error: ");
        let at = first.strip_prefix("line ").and_then(|rest| {
            let (line, rest) = rest.split_once(" column ")?;
            let (column, message) = rest.split_once(": ")?;
            Some(format!("{what}:{line}:{column}: {message}"))
        });
        anyhow!(
            "{}\n  help: each line is `key: \"text\"`, as in the built-in themes/default/i18n/en.yaml",
            at.unwrap_or_else(|| format!("{what}: {first}"))
        )
    })
}

impl Strings {
    /// The strings for `lang`: English, then the built-in language (or
    /// its primary subtag: `de-CH` reads `de`), then the site's file.
    pub fn load(root: &Path, lang: &str) -> Result<Strings> {
        let mut map: HashMap<String, String> = HashMap::new();
        let primary = lang.split(['-', '_']).next().unwrap_or(lang);
        let mut layers = vec!["en", primary, lang];
        layers.dedup();
        for l in layers {
            if let Some(text) = built_in(l) {
                map.extend(parse(text, &format!("built-in i18n/{l}.yaml"))?);
            }
        }
        let site_file = root.join("i18n").join(format!("{lang}.yaml"));
        if site_file.is_file() {
            let text = std::fs::read_to_string(&site_file)
                .map_err(|e| anyhow!("i18n/{lang}.yaml: {e}"))?;
            map.extend(parse(&text, &format!("i18n/{lang}.yaml"))?);
        }
        Ok(Strings::from_map(map))
    }

    pub(crate) fn from_map(map: HashMap<String, String>) -> Strings {
        let list = |prefix: &str| -> Vec<String> {
            (1..=12)
                .map(|i| {
                    map.get(&format!("{prefix}.{i}"))
                        .cloned()
                        .unwrap_or_else(|| i.to_string())
                })
                .collect()
        };
        let pat = |k: &str, d: &str| compile(map.get(k).map_or(d, String::as_str));
        let unit = |k: &str, d: &str| map.get(k).cloned().unwrap_or_else(|| d.to_owned());
        Strings {
            months_short: list("month.short"),
            months_long: list("month.long"),
            day: pat("date.day", "{d} {mon} {y}"),
            time: pat("date.time", "{date}, {H}:{M} {zone}"),
            month: pat("date.month", "{month} {y}"),
            month_short: pat("date.month_short", "{mon} {y}"),
            units: [
                unit("duration.d", "d"),
                unit("duration.h", "h"),
                unit("duration.m", "m"),
                unit("duration.s", "s"),
            ],
            unit_sep: unit("duration.sep", ""),
            map,
        }
    }

    /// The text of `key`; the key itself when no language has it, so that a
    /// missing string shows where it is missing instead of breaking a page.
    pub fn get<'s>(&'s self, key: &'s str) -> &'s str {
        self.map.get(key).map_or(key, String::as_str)
    }

    /// The text of `key`, if any language has it.
    pub fn lookup(&self, key: &str) -> Option<&str> {
        self.map.get(key).map(String::as_str)
    }

    /// The text of `key` with each `{name}` replaced by its value.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.get(key), |name| {
            args.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
        })
    }

    /// A day: `5 Mar 2026` in English.
    pub fn day(&self, y: i32, m: u32, d: u32) -> String {
        self.date(
            &self.day,
            &At {
                y,
                m,
                d,
                ..At::default()
            },
        )
    }

    /// A time: `5 Mar 2026, 09:05 CET` in English.
    pub fn date_time(&self, y: i32, m: u32, d: u32, hh: u32, mm: u32, zone: &str) -> String {
        self.date(
            &self.time,
            &At {
                y,
                m,
                d,
                hh,
                mm,
                zone,
            },
        )
    }

    /// A month: `March 2026` in English.
    pub fn month(&self, y: i32, m: u32) -> String {
        self.date(
            &self.month,
            &At {
                y,
                m,
                ..At::default()
            },
        )
    }

    /// A month in short: `Mar 2026` in English (tables and charts).
    pub fn month_short(&self, y: i32, m: u32) -> String {
        self.date(
            &self.month_short,
            &At {
                y,
                m,
                ..At::default()
            },
        )
    }

    /// One of the date patterns filled in; `{date}` is the day's pattern.
    fn date(&self, pattern: &[Seg], at: &At) -> String {
        let mut s = String::with_capacity(28);
        self.push_date(&mut s, pattern, at);
        s
    }

    fn push_date(&self, s: &mut String, pattern: &[Seg], at: &At) {
        use std::fmt::Write;
        let At {
            y,
            m,
            d,
            hh,
            mm,
            zone,
        } = *at;
        for seg in pattern {
            let _ = match seg {
                Seg::Lit(l) => s.write_str(l),
                Seg::Var(v) => match v.as_str() {
                    // Never inside the day's own pattern (a site's
                    // `date.day: "{date}"` would never end).
                    "date" if !std::ptr::eq(pattern, self.day.as_slice()) => {
                        self.push_date(s, &self.day, at);
                        Ok(())
                    }
                    "d" => write!(s, "{d}"),
                    "dd" => write!(s, "{d:02}"),
                    "m" => write!(s, "{m}"),
                    "mm" => write!(s, "{m:02}"),
                    "mon" => s.write_str(self.month_name(m, false)),
                    "month" => s.write_str(self.month_name(m, true)),
                    "y" => write!(s, "{y:04}"),
                    "H" => write!(s, "{hh:02}"),
                    "M" => write!(s, "{mm:02}"),
                    "zone" => s.write_str(zone),
                    _ => Ok(()),
                },
            };
        }
    }

    /// A month's short name (`Mar`): the analysis' chart axis.
    pub fn mon(&self, m: u32) -> &str {
        self.month_name(m, false)
    }

    fn month_name(&self, m: u32, long: bool) -> &str {
        let list = if long {
            &self.months_long
        } else {
            &self.months_short
        };
        list.get(m.wrapping_sub(1) as usize)
            .map_or("", String::as_str)
    }

    /// A duration the way the status page says it: `2h15m` in English,
    /// `2 h 15 min` in French. Whole units, largest first.
    pub fn duration(&self, d: chrono::Duration) -> String {
        let mut secs = d.num_seconds().abs();
        let mut parts = Vec::new();
        for (i, size) in [86_400, 3_600, 60, 1].into_iter().enumerate() {
            let n = secs / size;
            if n > 0 {
                parts.push(format!("{n}{}", self.units[i]));
                secs -= n * size;
            }
        }
        if parts.is_empty() {
            parts.push(format!("0{}", self.units[2]));
        }
        parts.join(&self.unit_sep)
    }

    /// The duration units and separator, for the page's script.
    pub fn duration_units(&self) -> (&[String; 4], &str) {
        (&self.units, &self.unit_sep)
    }
}

/// `{name}` in `text` replaced through `arg`; unknown names stay as written.
pub fn fill<'v>(text: &str, arg: impl Fn(&str) -> Option<&'v str>) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if !after[..close].contains(['{', ' ']) => {
                let name = &after[..close];
                match arg(name) {
                    Some(v) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The built-in file of `lang`, parsed: for the key-coverage tests.
pub fn built_in_map(lang: &str) -> Result<BTreeMap<String, String>> {
    let text = built_in(lang).ok_or_else(|| anyhow!("no built-in language {lang}"))?;
    parse(text, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(pairs: &[(&str, &str)]) -> Strings {
        Strings::from_map(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn fill_replaces_known_names_and_keeps_the_rest() {
        let s = strings(&[("k", "{n} of {total} {unknown} {not a name} {")]);
        assert_eq!(
            s.fill("k", &[("n", "3"), ("total", "7")]),
            "3 of 7 {unknown} {not a name} {"
        );
        // A missing key shows as itself.
        assert_eq!(s.get("nope"), "nope");
    }

    #[test]
    fn dates_follow_the_language_patterns() {
        let ja = strings(&[
            ("date.day", "{y}年{m}月{d}日"),
            ("date.time", "{date} {H}:{M} {zone}"),
            ("date.month", "{y}年{m}月"),
            ("duration.h", "時間"),
            ("duration.m", "分"),
        ]);
        assert_eq!(
            ja.date_time(2026, 3, 5, 9, 5, "JST"),
            "2026年3月5日 09:05 JST"
        );
        assert_eq!(ja.month(2026, 11), "2026年11月");
        // A day's pattern naming the day writes nothing there, not forever.
        let odd = strings(&[("date.day", "{date}{d}"), ("date.time", "{date} {H}")]);
        assert_eq!(odd.date_time(2026, 3, 5, 9, 5, "UTC"), "5 09");
        assert_eq!(ja.duration(chrono::Duration::minutes(135)), "2時間15分");
        let fr = strings(&[
            ("month.short.3", "mars"),
            ("duration.h", " h"),
            ("duration.m", " min"),
            ("duration.sep", " "),
        ]);
        assert_eq!(fr.day(2026, 3, 5), "5 mars 2026");
        assert_eq!(fr.duration(chrono::Duration::minutes(135)), "2 h 15 min");
        assert_eq!(fr.duration(chrono::Duration::zero()), "0 min");
    }

    #[test]
    fn english_is_under_every_language_and_the_site_over_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("i18n")).unwrap();
        std::fs::write(
            dir.path().join("i18n/fr.yaml"),
            "nav.status: \"État du service\"\nsite.only: \"ajouté\"\n",
        )
        .unwrap();
        let fr = Strings::load(dir.path(), "fr").unwrap();
        assert_eq!(fr.get("nav.status"), "État du service");
        assert_eq!(fr.get("site.only"), "ajouté");
        assert_eq!(
            fr.get("nav.incidents"),
            built_in_map("fr").unwrap()["nav.incidents"]
        );
        // A regional tag reads its language; an unknown one reads English.
        let de_ch = Strings::load(dir.path(), "de-CH").unwrap();
        assert_eq!(
            de_ch.get("nav.incidents"),
            built_in_map("de").unwrap()["nav.incidents"]
        );
        let it = Strings::load(dir.path(), "it").unwrap();
        assert_eq!(it.get("nav.incidents"), "Incidents");
        // A broken file is an error that names it, not a panic.
        std::fs::write(dir.path().join("i18n/es.yaml"), "- a list\n").unwrap();
        let err = Strings::load(dir.path(), "es").err().unwrap().to_string();
        assert!(err.starts_with("i18n/es.yaml:1:1: "), "{err}");
    }
}
