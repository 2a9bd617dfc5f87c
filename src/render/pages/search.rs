//! The search index's documents and the sitemap.

use crate::render::context::*;
use crate::render::search_index;
use rayon::prelude::*;

impl<'a> Renderer<'a> {
    /// The pages the search finds: the runbooks (internal view only) and
    /// the incidents, by the text their view shows: in the public view an
    /// incident's public updates, never its timeline.
    pub(crate) fn search_docs(&self) -> Vec<search_index::Doc> {
        let runbooks = if self.public {
            &[][..]
        } else {
            self.visible_runbooks()
        };
        let mut docs: Vec<search_index::Doc> = runbooks
            .par_iter()
            .map(|&rb| {
                let mut body: String = rb
                    .outline
                    .headings
                    .iter()
                    .map(|h| h.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                body.push(' ');
                body.push_str(&rb.outline.text);
                search_index::Doc {
                    title: rb.title.clone(),
                    url: self.runbook_url(&rb.slug),
                    kind: "runbook",
                    excerpt: rb
                        .description
                        .clone()
                        .unwrap_or_else(|| rb.outline.text.chars().take(400).collect()),
                    body,
                }
            })
            .collect();
        let incidents = self.incidents().par_iter().map(|&r| {
            let updates = r.updates.iter().map(|u| u.text.as_str());
            let timeline = r
                .timeline
                .iter()
                .filter(|_| !self.public)
                .map(|e| e.text.as_str());
            let body = updates.chain(timeline).collect::<Vec<_>>().join(" ");
            search_index::Doc {
                title: format!("{} {}", r.id_str(), r.title),
                url: self.incident_url(r.id_str()),
                kind: "incident",
                // The latest public update says where the incident stands.
                excerpt: r
                    .updates
                    .last()
                    .map_or_else(String::new, |u| u.text.clone()),
                body,
            }
        });
        docs.par_extend(incidents);
        docs
    }

    /// The index, built on first use: the page list needs its number of
    /// files, and the pages their bytes.
    pub(crate) fn search_index(&self) -> &search_index::Index {
        self.prep.search.get_or_init(|| {
            let t = std::time::Instant::now();
            let docs = self.search_docs();
            let index = search_index::build(&docs, &self.site.config.language);
            crate::term::trace("search index (from its start)", t);
            index
        })
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
