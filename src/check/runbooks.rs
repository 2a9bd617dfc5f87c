//! Runbook rules: broken-link, future-time of `last_reviewed`,
//! stale-runbook and runbook-owner.

use crate::diag::rules;
use crate::diag::Diagnostic;
use crate::model::incident::Time;
use crate::model::runbook::Runbook;
use crate::model::site::Site;
use crate::time;
use rayon::prelude::*;
use std::collections::HashSet;

/// Resolves a link target below `content/`; `None` when it climbs out.
pub fn resolve_path(from_file: &str, target: &str) -> Option<String> {
    const ROOT: &str = "content";
    let below = from_file.strip_prefix("content/").unwrap_or(from_file);
    // Built in one string, a `/` before each part: `serve` resolves every
    // link of the site on each save.
    let mut out = String::with_capacity(ROOT.len() + below.len() + target.len() + 1);
    out.push_str(ROOT);
    if !target.starts_with('/') {
        // The folder of the linking file, its parts as written.
        if let Some((dir, _)) = below.rsplit_once('/') {
            for part in dir.split('/') {
                out.push('/');
                out.push_str(part);
            }
        }
    }
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                let cut = out.rfind('/').filter(|c| *c >= ROOT.len())?;
                out.truncate(cut);
            }
            s => {
                out.push('/');
                out.push_str(s);
            }
        }
    }
    if out.len() == ROOT.len() {
        out.push('/');
    }
    Some(out)
}

/// A link sitrep checks: a `.md` page (with an optional anchor) or an
/// anchor on the same page. Returns (file, anchor).
pub fn checked_link(from_file: &str, dest: &str) -> Option<(Option<String>, Option<String>)> {
    let dest = dest.trim();
    if dest.contains("://")
        || dest.starts_with("mailto:")
        || dest.starts_with("tel:")
        || dest.starts_with("//")
    {
        return None;
    }
    let (path, frag) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_owned())),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() {
        return frag.map(|f| (None, Some(f)));
    }
    // A link to a folder (`../dependencies/`) is a link to its section page.
    if path.ends_with('/') && path != "/" {
        let index = format!("{path}_index.md");
        return Some((
            Some(resolve_path(from_file, &index).unwrap_or_default()),
            frag,
        ));
    }
    if !path.ends_with(".md") {
        return None;
    }
    Some((
        Some(resolve_path(from_file, path).unwrap_or_default()),
        frag,
    ))
}

/// The input rules of the runbooks `only` names, or of all.
pub(super) fn input(site: &Site, now: Time, only: Option<&HashSet<String>>) -> Vec<Diagnostic> {
    let zone = &site.config.timezone;
    let today = time::local_date(now, zone);
    // Runbooks in parallel: a site has tens of thousands of links; the
    // caller sorts the findings.
    site.runbooks
        .par_iter()
        .filter(|rb| only.is_none_or(|o| o.contains(&rb.file)))
        .flat_map_iter(|rb| runbook_input(site, rb, today))
        .collect()
}

fn runbook_input(site: &Site, rb: &Runbook, today: chrono::NaiveDate) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if rb.input_errors && rb.body.is_empty() {
        return out;
    }
    for link in &rb.outline.links {
        let Some((file, frag)) = checked_link(&rb.file, &link.dest) else {
            continue;
        };
        let target: Option<&Runbook> = match &file {
            None => Some(rb),
            Some(f) => site.runbook_by_file(f),
        };
        // A section without an `_index.md` is a section all the same.
        if target.is_none()
            && file.as_deref().is_some_and(|f| site.is_section_index(f))
            && frag.as_deref().is_none_or(str::is_empty)
        {
            continue;
        }
        let problem = match (target, &frag) {
            (None, _) => Some((
                format!("link to `{}`: no such page", link.dest),
                "check the path; links are relative to this file, or start with / for content/"
                    .to_owned(),
            )),
            (Some(t), Some(f))
                if !f.is_empty() && !t.outline.headings.iter().any(|h| h.answers(f)) =>
            {
                let ids = t.outline.headings.iter().map(|h| h.id.as_str());
                let help = crate::diag::did_you_mean(f, ids).map_or_else(
                    || {
                        format!(
                            "headings of {}: {}",
                            t.file,
                            t.outline
                                .headings
                                .iter()
                                .map(|h| h.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    },
                    |m| format!("did you mean `#{m}`?"),
                );
                Some((
                    format!("link to `{}`: no heading `#{f}` on that page", link.dest),
                    help,
                ))
            }
            _ => None,
        };
        if let Some((msg, help)) = problem {
            // Finding the line scans the body: only for a broken link.
            let pos = rb.body_pos(link.offset);
            out.push(Diagnostic::new(&rules::BROKEN_LINK, &rb.file, pos, msg).help(help));
        }
    }
    if let Some(d) = rb.last_reviewed.filter(|d| *d > today) {
        out.push(
            Diagnostic::new(
                &rules::FUTURE_TIME,
                &rb.file,
                rb.last_reviewed_pos,
                format!("`last_reviewed` ({d}) lies after today ({today})"),
            )
            .help("write the date the runbook was last reviewed"),
        );
    }
    out
}

/// The procedure rules of the runbooks `only` names, or of all.
pub(super) fn procedure(
    site: &Site,
    now: Time,
    bad: &HashSet<String>,
    only: Option<&HashSet<String>>,
) -> Vec<Diagnostic> {
    let zone = &site.config.timezone;
    let today = time::local_date(now, zone);
    let mut out = Vec::new();
    for rb in site.runbooks.iter().filter(|r| {
        !r.is_index && !bad.contains(&r.file) && only.is_none_or(|o| o.contains(&r.file))
    }) {
        let every = rb.review_every.unwrap_or(site.config.review_every);
        match rb.last_reviewed {
            None => out.push(
                Diagnostic::new(
                    &rules::STALE_RUNBOOK,
                    &rb.file,
                    rb.title_pos,
                    "the runbook has no `last_reviewed` date",
                )
                .help("review it and add `last_reviewed: YYYY-MM-DD`"),
            ),
            Some(d) if (today - d) > every => out.push(
                Diagnostic::new(
                    &rules::STALE_RUNBOOK,
                    &rb.file,
                    rb.last_reviewed_pos,
                    format!(
                        "last reviewed on {d}, more than {} ago",
                        time::format_duration(every)
                    ),
                )
                .help("review the runbook and update `last_reviewed`"),
            ),
            _ => {}
        }
        if rb.owner.is_none() {
            out.push(
                Diagnostic::new(
                    &rules::RUNBOOK_OWNER,
                    &rb.file,
                    rb.title_pos,
                    "the runbook names no `owner`",
                )
                .help("add `owner:` with the person or team who keeps it current"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain statement of link resolution, to hold the fast one to.
    fn resolve_path_by_parts(from_file: &str, target: &str) -> Option<String> {
        let below = from_file.strip_prefix("content/").unwrap_or(from_file);
        let mut parts: Vec<&str> = if target.starts_with('/') {
            Vec::new()
        } else {
            let mut p: Vec<&str> = below.split('/').collect();
            p.pop();
            p
        };
        for seg in target.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                s => parts.push(s),
            }
        }
        Some(format!("content/{}", parts.join("/")))
    }

    proptest::proptest! {
        #[test]
        fn link_resolution_matches_the_plain_statement(
            from in proptest::collection::vec(proptest::sample::select(vec!["content", "a", "b", "", ".", "..", "x.md"]), 0..5),
            to in proptest::collection::vec(proptest::sample::select(vec!["a", "b", "", ".", "..", "c.md"]), 0..6),
        ) {
            let (from, to) = (from.join("/"), to.join("/"));
            proptest::prop_assert_eq!(resolve_path(&from, &to), resolve_path_by_parts(&from, &to), "{} -> {}", from, to);
        }
    }

    #[test]
    fn link_resolution() {
        assert_eq!(
            resolve_path("content/a/b.md", "c.md").as_deref(),
            Some("content/a/c.md")
        );
        assert_eq!(
            resolve_path("content/a/b.md", "../c.md").as_deref(),
            Some("content/c.md")
        );
        assert_eq!(
            resolve_path("content/a/b.md", "/x/c.md").as_deref(),
            Some("content/x/c.md")
        );
        assert_eq!(resolve_path("content/b.md", "../../c.md"), None);
        assert_eq!(checked_link("content/b.md", "https://x.example/a.md"), None);
        assert_eq!(checked_link("content/b.md", "../static/x.pdf"), None);
        assert_eq!(
            checked_link("content/b.md", "#top"),
            Some((None, Some("top".into())))
        );
    }
}
