//! Charts as inline SVG (SITE.md "Charts"), drawn at build time from the
//! same numbers that a table beside each one shows. No script and no
//! external file; colours and type come from the theme's CSS classes
//! (`.chart .s1` …), so a chart follows light and dark mode and prints.
//! Series differ by more than colour: stacked segments keep their order and
//! a gap, lines have their own dash and marker shape.

use crate::escape::markup;
use std::fmt::Write;

/// One named series: a value per label, `None` where there is none.
pub struct Series {
    pub name: String,
    /// Its colour's class in the theme (`k-level1`, `k-late`, …).
    pub class: &'static str,
    pub values: Vec<Option<f64>>,
}

/// What a chart shows; [`stacked_bars`] and [`lines`] draw it.
pub struct Chart {
    /// Unique on its page: the title and description ids derive from it.
    pub id: String,
    pub title: String,
    /// Says in words what the chart shows, for a screen reader.
    pub desc: String,
    pub labels: Vec<String>,
    pub series: Vec<Series>,
    /// The y axis' top; else a round number above the largest value.
    pub y_max: Option<f64>,
    /// Writes a y value (a count, a share, a duration in minutes).
    pub format: fn(f64) -> String,
    /// The steps the y axis' grid may take, smallest first: whole counts,
    /// or minutes that read as durations.
    pub steps: Steps,
    /// Horizontal reference lines (a target), each with its label.
    pub refs: Vec<(String, f64)>,
}

/// Grid steps for a y axis.
#[derive(Clone, Copy)]
pub enum Steps {
    Count,
    Minutes,
}

impl Steps {
    /// The smallest step of this kind at least `raw`.
    fn at_least(self, raw: f64) -> f64 {
        const MINUTES: [f64; 12] = [
            1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 180.0, 360.0, 720.0, 1440.0,
        ];
        if let Steps::Minutes = self {
            if let Some(m) = MINUTES.iter().find(|m| **m >= raw) {
                return *m;
            }
            return (raw / 1440.0).ceil() * 1440.0;
        }
        let raw = raw.max(1.0);
        let mag = 10f64.powf(raw.log10().floor());
        [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|f| f * mag)
            .find(|v| *v >= raw)
            .unwrap_or(10.0 * mag)
    }
}

const W: f64 = 640.0;
const H: f64 = 250.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
/// Above the plot: the legend's first row and a gap.
const TOP: f64 = 30.0;
/// Each further row of the legend.
const LEGEND_ROW: f64 = 16.0;
const BOTTOM: f64 = 36.0;

/// A chart's y axis: its top value and the plot's top edge.
struct Scale {
    max: f64,
    top: f64,
}

impl Scale {
    fn y(&self, v: f64) -> f64 {
        let h = H - self.top - BOTTOM;
        self.top + h - (v / self.max).clamp(0.0, 1.0) * h
    }
}

/// Marker shapes of line series, in order (a circle, a square, a diamond).
const MARKERS: [&str; 3] = ["circle", "square", "diamond"];

impl Chart {
    fn plot_w(&self) -> f64 {
        W - LEFT - RIGHT
    }

    fn band(&self) -> f64 {
        self.plot_w() / self.labels.len().max(1) as f64
    }

    /// Where each series' legend entry goes: (x, row), rows as needed to
    /// stay inside the chart's width.
    fn legend(&self) -> Vec<(f64, usize)> {
        let (mut x, mut row) = (LEFT, 0);
        let mut out = Vec::new();
        for se in &self.series {
            let w = 24.0 + 6.5 * se.name.chars().count() as f64;
            if x > LEFT && x + w > W - RIGHT {
                x = LEFT;
                row += 1;
            }
            out.push((x, row));
            x += w;
        }
        out
    }

    /// The plot's top edge, below the legend.
    fn plot_top(&self) -> f64 {
        let rows = self.legend().last().map_or(0, |(_, r)| *r);
        TOP + LEGEND_ROW * rows as f64
    }

    /// The y axis for a top value `max`, below the legend (laid out once).
    fn scale(&self, max: f64) -> Scale {
        Scale {
            max,
            top: self.plot_top(),
        }
    }

    /// The SVG's opening: role, title, description, legend, grid and the
    /// x axis' labels.
    fn open(&self, sc: &Scale, swatch: impl Fn(usize) -> String) -> String {
        let mut s = String::with_capacity(4096);
        let id = markup(&self.id);
        let _ = write!(
            s,
            "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\">\
             <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
            markup(&self.title),
            markup(&self.desc)
        );
        // Legend, left to right along the top, in rows as needed.
        for (i, (se, (x, row))) in self.series.iter().zip(self.legend()).enumerate() {
            let _ = write!(
                s,
                "<g class=\"legend s{} {}\" transform=\"translate({x:.1} {:.1})\">{}<text x=\"16\" y=\"10\">{}</text></g>",
                i + 1,
                se.class,
                8.0 + LEGEND_ROW * row as f64,
                swatch(i),
                markup(&se.name)
            );
        }
        // Four grid lines with their values.
        s.push_str("<g class=\"grid\">");
        for k in 0..=4 {
            let v = sc.max * f64::from(k) / 4.0;
            let y = sc.y(v);
            let _ = write!(
                s,
                "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                W - RIGHT,
                LEFT - 6.0,
                y + 4.0,
                markup(&(self.format)(v))
            );
        }
        s.push_str("</g><g class=\"axis\">");
        let band = self.band();
        // Every label while they fit, else every second or third.
        let step = (self.labels.len() as f64 / 12.0).ceil().max(1.0) as usize;
        for (i, l) in self.labels.iter().enumerate().step_by(step) {
            let x = LEFT + band * (i as f64 + 0.5);
            let (month, year) = l.split_once('|').unwrap_or((l.as_str(), ""));
            let _ = write!(
                s,
                "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                H - BOTTOM + 14.0,
                markup(month)
            );
            if !year.is_empty() {
                let _ = write!(
                    s,
                    "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                    H - BOTTOM + 28.0,
                    markup(year)
                );
            }
        }
        s.push_str("</g>");
        s
    }

    /// The y axis' top: four grid steps of a round size that reach the
    /// largest value drawn.
    fn top(&self, largest: f64) -> f64 {
        if let Some(m) = self.y_max {
            return m;
        }
        self.steps.at_least(largest.max(0.0) / 4.0) * 4.0
    }

    fn close(&self, s: &mut String, sc: &Scale) {
        for (label, v) in &self.refs {
            if *v > sc.max {
                continue;
            }
            let y = sc.y(*v);
            let _ = write!(
                s,
                "<g class=\"ref\"><line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text></g>",
                W - RIGHT,
                W - RIGHT - 2.0,
                y - 3.0,
                markup(label)
            );
        }
        s.push_str("</svg>");
    }
}

/// Bars of each label's values stacked, the first series at the bottom.
pub fn stacked_bars(c: &Chart) -> String {
    let totals: Vec<f64> = (0..c.labels.len())
        .map(|i| {
            c.series
                .iter()
                .filter_map(|s| s.values.get(i).copied().flatten())
                .sum()
        })
        .collect();
    let sc = c.scale(c.top(totals.iter().copied().fold(0.0, f64::max)));
    let mut s = c.open(&sc, |_| {
        "<rect x=\"0\" y=\"0\" width=\"12\" height=\"12\"/>".to_owned()
    });
    let band = c.band();
    let w = (band * 0.6).max(1.0);
    for i in 0..c.labels.len() {
        let x = LEFT + band * i as f64 + (band - w) / 2.0;
        let mut base = 0.0;
        for (k, se) in c.series.iter().enumerate() {
            let v = se.values.get(i).copied().flatten().unwrap_or(0.0);
            if v <= 0.0 {
                continue;
            }
            let (y0, y1) = (sc.y(base), sc.y(base + v));
            let _ = write!(
                s,
                "<rect class=\"s{} {}\" x=\"{x:.1}\" y=\"{y1:.1}\" width=\"{w:.1}\" height=\"{:.1}\"/>",
                k + 1,
                se.class,
                (y0 - y1).max(0.0)
            );
            base += v;
        }
    }
    c.close(&mut s, &sc);
    s
}

/// A line per series with a marker at each value; a missing value breaks
/// the line.
pub fn lines(c: &Chart) -> String {
    let largest = c
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .copied()
        .fold(0.0, f64::max);
    // A reference line far above the values would flatten them: the axis
    // reaches the lowest reference at least, the others only if in range.
    let lowest_ref = c.refs.iter().map(|(_, v)| *v).fold(f64::INFINITY, f64::min);
    let reach = if lowest_ref.is_finite() {
        largest.max(lowest_ref)
    } else {
        largest
    };
    let sc = c.scale(c.top(reach * 1.05));
    let mut s = c.open(&sc, |i| {
        format!(
            "<line class=\"line\" x1=\"0\" x2=\"12\" y1=\"6\" y2=\"6\"/>{}",
            marker(i, 6.0, 6.0)
        )
    });
    let band = c.band();
    for (k, se) in c.series.iter().enumerate() {
        let _ = write!(s, "<g class=\"s{} {}\">", k + 1, se.class);
        let mut run: Vec<(f64, f64)> = Vec::new();
        let flush = |run: &mut Vec<(f64, f64)>, s: &mut String| {
            if run.len() > 1 {
                let pts: Vec<String> = run.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
                let _ = write!(s, "<polyline class=\"line\" points=\"{}\"/>", pts.join(" "));
            }
            run.clear();
        };
        for i in 0..c.labels.len() {
            match se.values.get(i).copied().flatten() {
                Some(v) => run.push((LEFT + band * (i as f64 + 0.5), sc.y(v))),
                None => flush(&mut run, &mut s),
            }
        }
        flush(&mut run, &mut s);
        for i in 0..c.labels.len() {
            if let Some(v) = se.values.get(i).copied().flatten() {
                s.push_str(&marker(k, LEFT + band * (i as f64 + 0.5), sc.y(v)));
            }
        }
        s.push_str("</g>");
    }
    c.close(&mut s, &sc);
    s
}

fn marker(series: usize, x: f64, y: f64) -> String {
    match MARKERS[series % MARKERS.len()] {
        "square" => format!(
            "<rect class=\"mark\" x=\"{:.1}\" y=\"{:.1}\" width=\"7\" height=\"7\"/>",
            x - 3.5,
            y - 3.5
        ),
        "diamond" => format!(
            "<path class=\"mark\" d=\"M{x:.1} {:.1}l4.5 4.5l-4.5 4.5l-4.5-4.5z\"/>",
            y - 4.5
        ),
        _ => format!("<circle class=\"mark\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\"/>"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(values: Vec<Option<f64>>) -> Chart {
        Chart {
            id: "c".into(),
            title: "T <&>".into(),
            desc: "D".into(),
            labels: vec!["Jan|2026".into(), "Feb".into(), "Mar".into()],
            series: vec![Series {
                name: "a".into(),
                class: "k-a",
                values,
            }],
            y_max: None,
            format: |v| format!("{v}"),
            steps: Steps::Count,
            refs: vec![("target".into(), 5.0), ("far".into(), 500.0)],
        }
    }

    #[test]
    fn titled_escaped_and_scaled() {
        let s = stacked_bars(&chart(vec![Some(3.0), None, Some(7.0)]));
        assert!(s.starts_with("<svg class=\"chart\""), "{s}");
        assert!(s.contains("role=\"img\""));
        assert!(
            s.contains("<title id=\"c-t\">T &lt;&amp;&gt;</title>"),
            "{s}"
        );
        assert_eq!(s.matches("<rect class=\"s1 k-a\"").count(), 2);
        // Round top: 7 → 8; the far reference line is not drawn.
        assert!(s.contains(">8</text>"), "{s}");
        assert!(!s.contains(">far<"), "{s}");
        let l = lines(&chart(vec![Some(3.0), None, Some(7.0)]));
        // The gap breaks the line: two lone points, no polyline.
        assert!(!l.contains("<polyline"), "{l}");
        assert_eq!(l.matches("<circle class=\"mark\"").count(), 3, "{l}");
        let l = lines(&chart(vec![Some(3.0), Some(4.0), Some(7.0)]));
        assert_eq!(l.matches("<polyline").count(), 1, "{l}");
    }

    #[test]
    fn a_long_legend_wraps_inside_the_chart() {
        let mut c = chart(vec![Some(1.0)]);
        c.series = (1..=5)
            .map(|l| Series {
                name: format!("Level {l} (a rather long level name)"),
                class: "k",
                values: vec![Some(1.0)],
            })
            .collect();
        let rows = c.legend();
        assert!(rows.last().is_some_and(|(_, r)| *r >= 2), "{rows:?}");
        for (se, (x, _)) in c.series.iter().zip(&rows) {
            assert!(
                x + 24.0 + 6.5 * se.name.len() as f64 <= W - RIGHT,
                "{rows:?}"
            );
        }
        // The plot moves down by the extra rows.
        assert!(c.plot_top() > TOP);
        let svg = stacked_bars(&c);
        assert_eq!(svg.matches("class=\"legend").count(), 5);
    }

    #[test]
    fn round_tops() {
        let mut c = chart(vec![]);
        // Whole counts: a step of 1, 2, 5, 10, … four times.
        assert_eq!(c.top(0.0), 4.0);
        assert_eq!(c.top(3.0), 4.0);
        assert_eq!(c.top(7.0), 8.0);
        assert_eq!(c.top(11.0), 20.0);
        assert_eq!(c.top(230.0), 400.0);
        // Minutes: steps that read as durations (15m, 30m, 1h, 6h, 1d).
        c.steps = Steps::Minutes;
        assert_eq!(c.top(50.0), 60.0);
        assert_eq!(c.top(200.0), 240.0);
        assert_eq!(c.top(1000.0), 1440.0);
        assert_eq!(c.top(10000.0), 11520.0);
    }
}
