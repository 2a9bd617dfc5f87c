//! Shields-style status badges: `/badge.svg` and `/services/<id>/badge.svg`.

use super::status;
use crate::escape::markup;

fn colour(status: &str) -> &'static str {
    status::Status::of(status).colour()
}

/// Approximate text width in pixels at 11px Verdana (shields' metric).
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            if c.is_ascii_uppercase() || c == 'm' || c == 'w' {
                8
            } else if c == ' ' || c == 'i' || c == 'l' {
                4
            } else {
                7
            }
        })
        .sum::<usize>()
        + 10
}

pub fn badge(label: &str, status: &str) -> Vec<u8> {
    let value = if status == "operational" {
        "operational".to_owned()
    } else {
        status::label(status).to_lowercase()
    };
    let (lw, vw) = (width(label), width(&value));
    let total = lw + vw;
    let title = format!("{label}: {value}");
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{total}\" height=\"20\" role=\"img\" aria-label=\"{t}\">\
<title>{t}</title>\
<rect width=\"{lw}\" height=\"20\" fill=\"#3d4451\"/>\
<rect x=\"{lw}\" width=\"{vw}\" height=\"20\" fill=\"{c}\"/>\
<g fill=\"#fff\" font-family=\"Verdana,DejaVu Sans,sans-serif\" font-size=\"11\" text-anchor=\"middle\">\
<text x=\"{lx}\" y=\"14\">{l}</text><text x=\"{vx}\" y=\"14\">{v}</text></g></svg>\n",
        t = markup(&title),
        c = colour(status),
        lx = lw / 2,
        vx = lw + vw / 2,
        l = markup(label),
        v = markup(&value),
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badge_is_accessible_and_escaped() {
        let b = String::from_utf8(badge("A&B", "major_outage")).unwrap();
        assert!(b.contains("role=\"img\""));
        assert!(b.contains("<title>A&amp;B: major outage</title>"));
    }
}
