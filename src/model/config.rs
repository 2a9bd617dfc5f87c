//! `sitrep.yaml`: the site configuration (FORMATS.md).

use crate::diag::rules;
use crate::diag::Diagnostic;
use crate::model::policy::{self, Policy};
use crate::model::read::Reader;
use crate::time::Zone;
use crate::yaml::{self, Node, Pos};
use chrono::Duration;

pub const CONFIG_FILE: &str = "sitrep.yaml";

/// sitrep.yaml's keys, in FORMATS.md's order.
pub const KEYS: &[&str] = &[
    "title",
    "base_url",
    "timezone",
    "language",
    "theme",
    "output_dir",
    "public_output_dir",
    "repository_url",
    "review_every",
    "history_days",
    "feed_limit",
    "refresh",
    "services",
    "recipients",
    "front_matter",
    "policy",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub group: Option<String>,
    pub owner: Option<String>,
    pub description: Option<String>,
    /// Its component id on Statuspage (`sitrep import`): `/api/v2` keeps
    /// serving the component under it.
    pub statuspage_id: Option<String>,
    /// Since when the service exists: the component's `start_date`.
    pub since: Option<chrono::NaiveDate>,
}

/// A service's keys in sitrep.yaml.
pub const SERVICE_KEYS: &[&str] = &[
    "id",
    "name",
    "group",
    "owner",
    "description",
    "statuspage_id",
    "since",
];

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub base_url: String,
    pub timezone: Zone,
    pub language: String,
    pub theme: String,
    /// The internal view's folder (CLI.md, "Output folders").
    pub output_dir: String,
    /// The public view's folder.
    pub public_output_dir: String,
    pub repository_url: Option<String>,
    pub review_every: Duration,
    pub history_days: u32,
    /// Entries per Atom/RSS feed, newest first; 0 keeps every one.
    pub feed_limit: usize,
    /// How often the status page reloads itself (`refresh: 60s`), for a
    /// wall screen; off when unset.
    pub refresh: Option<Duration>,
    pub services: Vec<Service>,
    /// The recipients named in sitrep.yaml, in file order.
    pub recipients: Vec<Recipient>,
    /// Runbook front-matter keys of other tools to pass over silently
    /// (`front_matter.ignore`).
    pub front_matter_ignore: Vec<String>,
    pub policy: Policy,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            title: "sitrep".to_owned(),
            base_url: "/".to_owned(),
            timezone: Zone::default(),
            language: "en".to_owned(),
            theme: "default".to_owned(),
            output_dir: "internal".to_owned(),
            public_output_dir: "public".to_owned(),
            repository_url: None,
            review_every: Duration::days(365),
            history_days: 90,
            feed_limit: 50,
            refresh: None,
            services: Vec::new(),
            recipients: Vec::new(),
            front_matter_ignore: Vec::new(),
            policy: Policy::default_policy(),
        }
    }
}

impl Config {
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    pub fn recipient_description(&self, key: &str) -> Option<&str> {
        self.recipient(key).map(|r| r.name.as_str())
    }

    pub fn recipient(&self, key: &str) -> Option<&Recipient> {
        self.recipients.iter().find(|r| r.key == key)
    }

    pub fn service_list(&self) -> String {
        self.services
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The path prefix of `base_url`, always starting and ending with `/`
    /// (`https://x.example/ops` → `/ops/`).
    pub fn base_path(&self) -> String {
        base_path(&self.base_url)
    }
}

pub fn base_path(base_url: &str) -> String {
    let rest = match base_url.find("://") {
        Some(i) => {
            let after = base_url.get(i + 3..).unwrap_or("");
            after.find('/').map_or("", |j| after.get(j..).unwrap_or(""))
        }
        None => base_url,
    };
    let trimmed = rest.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_owned()
    } else {
        format!("/{trimmed}/")
    }
}

/// The site's own folders and files, which no build may replace or write
/// into (CLI.md, "Output folders"), with what each holds.
pub const SITE_FOLDERS: &[(&str, &str)] = &[
    ("sitrep.yaml", "the site's configuration"),
    ("content", "the site's runbooks"),
    ("incidents", "the site's incident records"),
    ("themes", "the site's themes"),
    ("static", "the site's static files"),
    ("templates", "the site's notice templates"),
    ("i18n", "the site's translations"),
    (".git", "the site's version control"),
];

/// `dir` relative to the site with `.` and `..` resolved as far as they go
/// without the file system (`a/../b` → `b`; `../x` stays).
fn lexical(dir: &str) -> std::path::PathBuf {
    use std::path::{Component, PathBuf};
    let mut out = PathBuf::new();
    for c in std::path::Path::new(dir.trim()).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Why an output folder of sitrep.yaml can never be built into, as far as
/// its text tells (the build checks the real folders again).
fn output_dir_problem(dir: &str) -> Option<String> {
    use std::path::Component;
    if dir.trim().starts_with('~') {
        return Some(
            "sitrep does not expand `~`: it would make a folder named `~` in the site".into(),
        );
    }
    let p = lexical(dir);
    let mut parts = p.components();
    match parts.next() {
        None => return Some("it is the site folder itself".into()),
        Some(Component::RootDir) if parts.next().is_none() => {
            return Some("it is the root of the file system".into())
        }
        Some(Component::ParentDir) if p.components().all(|c| c == Component::ParentDir) => {
            return Some("it contains the site folder".into())
        }
        _ => {}
    }
    SITE_FOLDERS
        .iter()
        .find(|(name, _)| p.starts_with(name))
        .map(|(name, what)| {
            if p == std::path::Path::new(name) {
                format!("it is {name}, {what}")
            } else {
                format!("it is inside {name}, {what}")
            }
        })
}

pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Reads sitrep.yaml. Problems are diagnostics; the returned config holds
/// defaults wherever a value could not be read.
pub fn read(text: &str) -> (Config, Vec<Diagnostic>) {
    let mut cfg = Config::default();
    let node = match yaml::parse(text) {
        Ok(n) => n,
        Err(e) => {
            let d = Diagnostic::new(&rules::YAML, CONFIG_FILE, e.pos, e.message)
                .help("fix the YAML syntax of sitrep.yaml");
            return (cfg, vec![d]);
        }
    };
    // The zone is needed before any time is read, so take it first.
    let mut zone = Zone::default();
    let mut r = Reader::new(CONFIG_FILE, zone);
    if node.is_null() {
        r.schema(Pos::START, "sitrep.yaml is empty", "add at least `title:`");
        return (cfg, r.out);
    }
    let Some(fields) = r.fields(&node, KEYS, "sitrep.yaml") else {
        return (cfg, r.out);
    };
    r.require(&fields, &["title"], Pos::START, "sitrep.yaml");
    if let Some((_, tz)) = fields.iter().find(|(k, _)| *k == "timezone") {
        if let Some(t) = r.text(tz, "timezone") {
            match Zone::parse(&t) {
                Some(z) => zone = z,
                None => r.schema(
                    tz.pos,
                    format!("`{t}` is not a time zone"),
                    "use an IANA name such as Europe/Paris, UTC, or an offset such as +09:00",
                ),
            }
        }
    }
    r.zone = zone;
    cfg.timezone = zone;
    let mut policy_node: Option<&Node> = None;
    for (key, v) in &fields {
        match *key {
            "title" => cfg.title = r.text(v, key).unwrap_or(cfg.title),
            "base_url" => cfg.base_url = r.text(v, key).unwrap_or(cfg.base_url),
            "language" => cfg.language = r.text(v, key).unwrap_or(cfg.language),
            "theme" => {
                if let Some(t) = r.text(v, key) {
                    if t.contains(['/', '\\']) || t.starts_with('.') {
                        r.schema(
                            v.pos,
                            format!("theme `{t}` must be a folder name under themes/"),
                            "",
                        );
                    } else {
                        cfg.theme = t;
                    }
                }
            }
            "output_dir" | "public_output_dir" => {
                if let Some(t) = r.text(v, key) {
                    match output_dir_problem(&t) {
                        Some(why) => r.schema(
                            v.pos,
                            format!("`{key}: {t}`: {why}"),
                            if *key == "output_dir" {
                                "use a folder of its own inside the site, such as `internal`, or a full path"
                            } else {
                                "use a folder of its own inside the site, such as `public`, or a full path"
                            },
                        ),
                        None if *key == "output_dir" => cfg.output_dir = t,
                        None => cfg.public_output_dir = t,
                    }
                }
            }
            "repository_url" => cfg.repository_url = r.text(v, key),
            "review_every" => {
                if let Some(d) = r.duration(v, key) {
                    cfg.review_every = d;
                }
            }
            "history_days" => {
                if let Some(n) = r.integer(v, key) {
                    if (1..=3660).contains(&n) {
                        cfg.history_days = n as u32;
                    } else {
                        r.schema(v.pos, "`history_days` must be between 1 and 3660", "");
                    }
                }
            }
            "refresh" => {
                if let Some(d) = r.duration(v, key) {
                    if d >= Duration::seconds(10) && d <= Duration::days(1) {
                        cfg.refresh = Some(d);
                    } else {
                        r.schema(
                            v.pos,
                            "`refresh` must be between 10s and 1d",
                            "a wall screen is current enough with `refresh: 60s`; leave it out for no reload",
                        );
                    }
                }
            }
            "feed_limit" => {
                if let Some(n) = r.integer(v, key) {
                    match usize::try_from(n) {
                        Ok(n) => cfg.feed_limit = n,
                        Err(_) => r.schema(
                            v.pos,
                            "`feed_limit` must be 0 (every entry) or a positive number",
                            "",
                        ),
                    }
                }
            }
            "services" => cfg.services = read_services(&mut r, v),
            "recipients" => {
                if let Some(m) = v.as_map() {
                    for (k, d) in m {
                        let key = k.scalar_text().unwrap_or_default().into_owned();
                        cfg.recipients.push(read_recipient(&mut r, key, d));
                    }
                } else if !v.is_null() {
                    r.schema(v.pos, "`recipients` must map keys to descriptions", "");
                }
            }
            "front_matter" => {
                if let Some(f) = r.fields(v, &["ignore"], "`front_matter`") {
                    for (_, list) in f {
                        cfg.front_matter_ignore = r
                            .text_list(list, "ignore")
                            .into_iter()
                            .map(|(t, _)| t)
                            .collect();
                    }
                }
            }
            "policy" => policy_node = Some(v),
            _ => {}
        }
    }
    // One folder cannot hold both views, nor one view's folder the other's:
    // each build would refuse or delete the other's output, and the internal
    // view inside public/ would be published with it.
    let (a, b) = (lexical(&cfg.output_dir), lexical(&cfg.public_output_dir));
    if a == b || a.starts_with(&b) || b.starts_with(&a) {
        let pos = fields
            .iter()
            .find(|(k, _)| matches!(*k, "public_output_dir" | "output_dir"))
            .map_or(Pos::START, |(_, v)| v.pos);
        let how = if a == b { "are both" } else { "are nested:" };
        r.schema(
            pos,
            format!(
                "`output_dir` and `public_output_dir` {how} `{}` and `{}`: the internal and the public view need folders of their own, neither inside the other",
                cfg.output_dir, cfg.public_output_dir
            ),
            "keep the defaults (`internal` and `public`) or name two separate folders",
        );
    }
    let base =
        yaml::parse(policy::DEFAULT_POLICY).unwrap_or(Node::new(yaml::Value::Null, Pos::START));
    let merged = match policy_node {
        Some(p) => policy::merge(&base, p),
        None => base,
    };
    cfg.policy = policy::read(&mut r, &merged);
    (cfg, r.out)
}

fn read_services(r: &mut Reader, node: &Node) -> Vec<Service> {
    let mut out: Vec<Service> = Vec::new();
    for item in r.list(node, "services") {
        let Some(f) = r.fields(item, SERVICE_KEYS, "a service") else {
            continue;
        };
        r.require(&f, &["id", "name"], item.pos, "a service");
        let mut s = Service {
            id: String::new(),
            name: String::new(),
            group: None,
            owner: None,
            description: None,
            statuspage_id: None,
            since: None,
        };
        for (k, v) in f {
            if k == "since" {
                s.since = r.date(v, k);
                continue;
            }
            let t = r.text(v, k);
            match k {
                "id" => {
                    let id = t.unwrap_or_default();
                    if !is_slug(&id) {
                        r.schema(v.pos, format!("service id `{id}` must be a slug: lower-case letters, digits, `-` and `_`"), "");
                    } else if out.iter().any(|o| o.id == id) {
                        r.schema(v.pos, format!("service id `{id}` is listed twice"), "");
                    }
                    s.id = id;
                }
                "name" => s.name = t.unwrap_or_default(),
                "group" => s.group = t,
                "owner" => s.owner = t,
                "statuspage_id" => s.statuspage_id = t,
                _ => s.description = t,
            }
        }
        if !s.id.is_empty() {
            if s.name.is_empty() {
                s.name = s.id.clone();
            }
            out.push(s);
        }
    }
    out
}

/// A recipient of notices: a key records and the policy name, what it
/// stands for, and (v2) the addresses `sitrep draft` writes to.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Recipient {
    pub key: String,
    /// The description, or the mapping's `name` (the key when neither).
    pub name: String,
    pub email: Vec<String>,
    pub phone: Vec<String>,
}

/// `key: description`, or (v2) `key: { name, email, phone }`, where each
/// address may be one text or a list.
fn read_recipient(r: &mut Reader, key: String, node: &Node) -> Recipient {
    let mut rec = Recipient {
        name: key.clone(),
        key,
        ..Recipient::default()
    };
    if node.as_map().is_none() {
        if let Some(d) = r.text(node, &rec.key) {
            rec.name = d;
        }
        return rec;
    }
    let what = format!("recipient `{}`", rec.key);
    for (k, v) in r
        .fields(node, &["name", "email", "phone"], &what)
        .unwrap_or_default()
    {
        match k {
            "name" => {
                if let Some(n) = r.text(v, "name") {
                    rec.name = n;
                }
            }
            _ => {
                let list = if v.as_seq().is_some() || v.is_null() {
                    r.text_list(v, k).into_iter().map(|(t, _)| t).collect()
                } else {
                    r.text(v, k).into_iter().collect()
                };
                if k == "email" {
                    rec.email = list;
                } else {
                    rec.phone = list;
                }
            }
        }
    }
    rec
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_as_descriptions_or_mappings() {
        let (c, d) = read(
            "title: X\nrecipients:\n  om: On call\n  cust: { name: Customers, email: a@x.invalid, phone: [\"+1 555\", \"+1 556\"] }\n  bad: { name: B, mail: b@x.invalid }\nfront_matter: { ignore: [date, menu] }\n",
        );
        assert_eq!(c.recipient_description("om"), Some("On call"));
        let cust = c.recipient("cust").cloned().unwrap_or_default();
        assert_eq!((cust.email.len(), cust.phone.len()), (1, 2));
        assert_eq!(c.front_matter_ignore, vec!["date", "menu"]);
        // An unknown key of a recipient mapping is a schema error, with a hint.
        let found: Vec<_> = d.iter().map(|d| (d.rule.id, d.line)).collect();
        assert_eq!(found, vec![("schema", 5)], "{d:?}");
        assert!(d[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("did you mean `email`")));
    }

    #[test]
    fn defaults() {
        let (c, d) = read("title: X\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.output_dir, "internal");
        assert_eq!(c.public_output_dir, "public");
        assert_eq!(c.history_days, 90);
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn output_folders() {
        let (c, d) = read("title: X\noutput_dir: site/all\npublic_output_dir: site/status\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.output_dir, "site/all");
        assert_eq!(c.public_output_dir, "site/status");
        let (_, d) = read("title: X\noutput_dir: public/\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].rule.id, d[0].line), ("schema", 2));
        for bad in [
            ".",
            "./",
            "",
            "..",
            "../..",
            "/",
            "~/www",
            "content",
            "./content/x",
            "incidents",
            "sitrep.yaml",
            "themes/a",
            "static",
            ".git",
            "a/../content",
            "public/internal",
            "internal/../public/x",
        ] {
            let (_, d) = read(&format!("title: X\noutput_dir: \"{bad}\"\n"));
            assert_eq!(d.len(), 1, "{bad}: {d:?}");
            assert_eq!((d[0].rule.id, d[0].line), ("schema", 2), "{bad}");
        }
        for good in [
            "site",
            "../site-out",
            "/var/www/ops",
            "out/internal",
            "contents",
        ] {
            let (_, d) = read(&format!("title: X\noutput_dir: \"{good}\"\n"));
            assert!(d.is_empty(), "{good}: {d:?}");
        }
        let (_, d) = read("title: X\noutput_dir: out\npublic_output_dir: out/public\n");
        assert!(d[0].message.contains("are nested"), "{d:?}");
    }

    #[test]
    fn unknown_key_suggests() {
        let (_, d) = read("title: X\ntimezon: UTC\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].rule.id, "schema");
        assert_eq!((d[0].line, d[0].column), (2, 1));
        assert!(d[0].help.as_deref().unwrap_or("").contains("timezone"));
    }

    #[test]
    fn missing_title_and_bad_zone() {
        let (_, d) = read("timezone: Mars/Base\n");
        let rules: Vec<_> = d.iter().map(|d| d.rule.id).collect();
        assert_eq!(rules, ["schema", "schema"]);
    }

    #[test]
    fn refresh_is_off_unless_set_and_bounded() {
        let (c, d) = read("title: X\n");
        assert!(d.is_empty());
        assert_eq!(c.refresh, None);
        let (c, d) = read("title: X\nrefresh: 60s\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.refresh, Some(Duration::seconds(60)));
        for bad in ["5s", "2d"] {
            let (c, d) = read(&format!("title: X\nrefresh: {bad}\n"));
            assert_eq!(c.refresh, None, "{bad}");
            assert_eq!(d.len(), 1, "{bad}");
            assert_eq!(
                (d[0].rule.id, d[0].line, d[0].column),
                ("schema", 2, 10),
                "{bad}"
            );
        }
    }

    #[test]
    fn base_paths() {
        assert_eq!(base_path("/ops/"), "/ops/");
        assert_eq!(base_path("/ops"), "/ops/");
        assert_eq!(base_path("https://status.example.com"), "/");
        assert_eq!(base_path("https://example.com/status/"), "/status/");
    }
}
