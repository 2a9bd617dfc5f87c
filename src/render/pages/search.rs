//! The search index, the search page's entries and the sitemap.

use crate::markdown;
use crate::render::context::*;

/// One entry of the search index (`search.json`) or of the search page.
#[derive(serde::Serialize)]
pub(crate) struct SearchEntry<'a> {
    title: std::borrow::Cow<'a, str>,
    url: String,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

impl<'a> Renderer<'a> {
    /// The search index's entries, one at a time: the index of a large site
    /// is never held twice.
    pub(crate) fn search_entries(
        &self,
        with_text: bool,
    ) -> impl Iterator<Item = SearchEntry<'a>> + '_ {
        let runbooks = self.visible_runbooks().iter().map(move |&rb| SearchEntry {
            title: rb.title.as_str().into(),
            url: self.runbook_url(&rb.slug),
            kind: "runbook",
            // Headings and the opening text: enough to find a runbook,
            // small enough that the index stays light on a phone.
            text: with_text.then(|| {
                let mut t: String = rb
                    .outline
                    .headings
                    .iter()
                    .map(|h| h.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                t.push(' ');
                t.extend(rb.outline.text.chars().take(markdown::SEARCH_TEXT));
                t
            }),
        });
        let incidents = self.incidents().iter().map(move |&r| SearchEntry {
            title: format!("{} {}", r.id_str(), r.title).into(),
            url: self.incident_url(r.id_str()),
            kind: "incident",
            text: with_text.then(|| {
                let t: String = r
                    .updates
                    .iter()
                    .map(|u| u.text.as_str())
                    .chain(r.timeline.iter().map(|e| e.text.as_str()))
                    .collect::<Vec<_>>()
                    .join(" ");
                t.chars().take(1000).collect::<String>()
            }),
        });
        runbooks.chain(incidents)
    }

    pub(crate) fn sitemap<'p>(&self, paths: impl Iterator<Item = &'p str>) -> Vec<u8> {
        let cfg = &self.site.config;
        let origin = if cfg.base_url.contains("://") {
            let after = cfg.base_url.split_once("://").map_or("", |(_, a)| a);
            let host = after.split('/').next().unwrap_or("");
            format!(
                "{}://{}",
                cfg.base_url.split("://").next().unwrap_or("https"),
                host
            )
        } else {
            String::new()
        };
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        let mut paths: Vec<&str> = paths.filter(|p| p.ends_with("index.html")).collect();
        paths.sort_unstable();
        for path in paths {
            let url = format!(
                "{origin}{}{}",
                self.base,
                path.trim_end_matches("index.html")
            );
            s.push_str(&format!(
                "  <url><loc>{}</loc></url>\n",
                crate::escape::markup(&url)
            ));
        }
        s.push_str("</urlset>\n");
        s.into_bytes()
    }
}
