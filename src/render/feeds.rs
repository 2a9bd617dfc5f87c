//! Subscriptions for a site that cannot send mail: Atom and RSS feeds of
//! incidents and maintenance (all, and per service), and an iCalendar feed
//! of maintenance windows. Public records and public updates only.

use super::context::{slug_id, Renderer};
use crate::escape::markup;
use crate::markdown;
use crate::model::incident::{Kind, Record, Time};
use crate::render::api::stable_id;
use crate::time;
use std::fmt::Write;

/// The entries of a feed, newest first: (time, record). A feed reader
/// wants what is recent, not years of history (that is the history page),
/// so feeds keep the newest `feed_limit` entries.
fn entries<'a>(r: &Renderer<'a>, service: Option<&str>) -> Vec<(Time, &'a Record)> {
    let mut out: Vec<(Time, &Record)> = r
        .public_incidents()
        .into_iter()
        .chain(r.public_maintenance())
        .filter(|rec| service.is_none_or(|s| rec.services.iter().any(|x| x.id == s)))
        .filter_map(|rec| {
            let t = match rec.kind {
                Kind::Incident => rec.reported(),
                Kind::Maintenance => rec.scheduled_start.as_ref().map(|a| a.time),
            }?;
            Some((t, rec))
        })
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    let limit = r.site.config.feed_limit;
    if limit > 0 {
        out.truncate(limit);
    }
    out
}

fn path_of(rec: &Record) -> String {
    match rec.kind {
        Kind::Incident => format!("incidents/{}/", slug_id(rec.id_str())),
        Kind::Maintenance => format!("maintenance/{}/", slug_id(rec.id_str())),
    }
}

/// The entry body: the public updates, newest first, as HTML.
fn body(r: &Renderer, rec: &Record) -> String {
    let mut s = String::new();
    if rec.kind == Kind::Maintenance {
        if let (Some(a), Some(b)) = (&rec.scheduled_start, &rec.scheduled_end) {
            let _ = write!(s, "<p>Scheduled {} – {}</p>", r.fmt(a.time), r.fmt(b.time));
        }
    }
    for u in rec.updates.iter().rev() {
        let Some(at) = u.at else { continue };
        let status = u.status.as_deref().unwrap_or("update");
        let _ = write!(
            s,
            "<p><strong>{}</strong> — {}</p>{}",
            markup(&Renderer::status_label(status)),
            r.fmt(at),
            markdown::inline_html(&u.text)
        );
    }
    if s.is_empty() {
        s.push_str("<p>No updates yet.</p>");
    }
    s
}

fn entry_id(r: &Renderer, rec: &Record) -> String {
    let kind = if rec.kind == Kind::Maintenance {
        "maintenance"
    } else {
        "incident"
    };
    format!(
        "urn:sitrep:{}:{kind}:{}",
        stable_id(
            "page",
            &format!("{}\u{0}{}", r.site.config.title, r.site.config.base_url)
        ),
        stable_id(kind, rec.id_str())
    )
}

/// Atom 1.0, for all records or one service's.
pub fn atom(r: &Renderer, service: Option<&str>) -> Vec<u8> {
    let cfg = &r.site.config;
    let list = entries(r, service);
    let (title, self_path, id_key) = match service.and_then(|s| cfg.service(s)) {
        Some(s) => (
            format!("{} — {}", cfg.title, s.name),
            format!("services/{}/feed.atom", s.id),
            format!("service:{}", s.id),
        ),
        None => (cfg.title.clone(), "feed.atom".to_owned(), "site".to_owned()),
    };
    let feed_updated = list
        .iter()
        .filter_map(|(_, rec)| rec.last_change())
        .max()
        .unwrap_or(r.now);
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(s, "  <title>{}</title>", markup(&title));
    let _ = writeln!(
        s,
        "  <id>urn:sitrep:{}:feed:{}</id>",
        stable_id("page", &format!("{}\u{0}{}", cfg.title, cfg.base_url)),
        stable_id("feed", &id_key)
    );
    let _ = writeln!(s, "  <updated>{}</updated>", time::rfc3339(feed_updated));
    let _ = writeln!(
        s,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        markup(&r.abs_url(&self_path))
    );
    let _ = writeln!(
        s,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        markup(&r.abs_url(""))
    );
    let _ = writeln!(s, "  <author><name>{}</name></author>", markup(&cfg.title));
    let _ = writeln!(
        s,
        "  <generator version=\"{}\">sitrep</generator>",
        env!("CARGO_PKG_VERSION")
    );
    for (t, rec) in &list {
        s.push_str("  <entry>\n");
        let _ = writeln!(s, "    <title>{}</title>", markup(&rec.title));
        let _ = writeln!(s, "    <id>{}</id>", entry_id(r, rec));
        let _ = writeln!(s, "    <published>{}</published>", time::rfc3339(*t));
        let _ = writeln!(
            s,
            "    <updated>{}</updated>",
            time::rfc3339(rec.last_change().unwrap_or(*t))
        );
        let _ = writeln!(
            s,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            markup(&r.abs_url(&path_of(rec)))
        );
        let _ = writeln!(
            s,
            "    <content type=\"html\">{}</content>",
            markup(&body(r, rec))
        );
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s.into_bytes()
}

/// RSS 2.0 of all records.
pub fn rss(r: &Renderer) -> Vec<u8> {
    let cfg = &r.site.config;
    let list = entries(r, None);
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
    let _ = writeln!(s, "  <title>{}</title>", markup(&cfg.title));
    let _ = writeln!(s, "  <link>{}</link>", markup(&r.abs_url("")));
    let _ = writeln!(
        s,
        "  <description>Incidents and maintenance of {}</description>",
        markup(&cfg.title)
    );
    let _ = writeln!(s, "  <language>{}</language>", markup(&cfg.language));
    let _ = writeln!(
        s,
        "  <lastBuildDate>{}</lastBuildDate>",
        time::rfc2822(r.now)
    );
    let _ = writeln!(
        s,
        "  <atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
        markup(&r.abs_url("feed.rss"))
    );
    for (t, rec) in &list {
        s.push_str("  <item>\n");
        let _ = writeln!(s, "    <title>{}</title>", markup(&rec.title));
        let _ = writeln!(s, "    <link>{}</link>", markup(&r.abs_url(&path_of(rec))));
        let _ = writeln!(
            s,
            "    <guid isPermaLink=\"false\">{}</guid>",
            entry_id(r, rec)
        );
        let _ = writeln!(s, "    <pubDate>{}</pubDate>", time::rfc2822(*t));
        let _ = writeln!(
            s,
            "    <description>{}</description>",
            markup(&body(r, rec))
        );
        s.push_str("  </item>\n");
    }
    s.push_str("</channel>\n</rss>\n");
    s.into_bytes()
}

/// iCalendar text: escape `\`, `;`, `,` and newlines.
fn ics_text(s: &str) -> String {
    // RFC 5545 TEXT holds no control character but tab and escaped breaks.
    let s: String = s
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect();
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace(['\n', '\r'], "\\n")
}

/// Folds a content line at 75 octets, never inside a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if len + n > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += n;
    }
    out.push_str("\r\n");
    out
}

fn ics_time(t: Time) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Maintenance windows as an iCalendar feed, one event per window.
pub fn ics(r: &Renderer) -> Vec<u8> {
    let cfg = &r.site.config;
    let host = stable_id("page", &format!("{}\u{0}{}", cfg.title, cfg.base_url));
    let mut s = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//sitrep//sitrep//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        s.push_str(&fold(l));
    }
    s.push_str(&fold(&format!(
        "X-WR-CALNAME:{}",
        ics_text(&format!("{} maintenance", cfg.title))
    )));
    for m in r.public_maintenance() {
        let (Some(a), Some(b)) = (&m.scheduled_start, &m.scheduled_end) else {
            continue;
        };
        s.push_str(&fold("BEGIN:VEVENT"));
        s.push_str(&fold(&format!(
            "UID:{}@{host}.sitrep",
            stable_id("maintenance", m.id_str())
        )));
        s.push_str(&fold(&format!("DTSTAMP:{}", ics_time(r.now))));
        s.push_str(&fold(&format!("DTSTART:{}", ics_time(a.time))));
        s.push_str(&fold(&format!("DTEND:{}", ics_time(b.time.max(a.time)))));
        s.push_str(&fold(&format!("SUMMARY:{}", ics_text(&m.title))));
        let services: Vec<String> = m
            .services
            .iter()
            .map(|x| cfg.service(&x.id).map_or(x.id.clone(), |s| s.name.clone()))
            .collect();
        let mut desc = format!("{} ({})", m.id_str(), r.maintenance_status(m));
        if !services.is_empty() {
            desc.push_str(&format!("\nServices: {}", services.join(", ")));
        }
        if let Some(u) = m.updates.iter().rev().find(|u| u.at.is_some()) {
            desc.push_str(&format!("\n{}", u.text));
        }
        s.push_str(&fold(&format!("DESCRIPTION:{}", ics_text(&desc))));
        let url = r.abs_url(&format!("maintenance/{}/", slug_id(m.id_str())));
        if url.contains("://") {
            s.push_str(&fold(&format!("URL:{url}")));
        }
        s.push_str(&fold("STATUS:CONFIRMED"));
        s.push_str(&fold("TRANSP:OPAQUE"));
        s.push_str(&fold("END:VEVENT"));
    }
    s.push_str(&fold("END:VCALENDAR"));
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ics_escaping_and_folding() {
        assert_eq!(ics_text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
        let long = format!("DESCRIPTION:{}", "é".repeat(60));
        let folded = fold(&long);
        for l in folded.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        assert_eq!(folded.replace("\r\n ", ""), format!("{long}\r\n"));
    }
}
