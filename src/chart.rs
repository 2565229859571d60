//! Bar charts of counts (timelines, histograms) as SVG, or as PNG rendered from that SVG.
//!
//! The SVG is written by hand: one `<rect>` per bar while the bars are at least a pixel wide,
//! one filled step path once they are not (a daily timeline over decades), a y axis with round
//! ticks (1, 2 or 5 times a power of ten) and x labels thinned so they never overlap. Text uses
//! DejaVu Sans, which [`BarChart::to_png`] embeds, so a PNG looks the same on a machine with no
//! fonts installed.

use std::fmt::Write as _;
use std::sync::Arc;

/// Width of a chart, in SVG units (pixels at 1×).
const WIDTH: f64 = 960.0;
/// Height of a chart.
const HEIGHT: f64 = 420.0;
/// Plot margins: left (y labels), right, top (title, subtitle), bottom (x labels).
const LEFT: f64 = 72.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 70.0;
const BOTTOM: f64 = 52.0;
/// Font size of axis labels, and the width of one of their characters (DejaVu Sans digits are
/// 0.64 em wide; a little more leaves room between labels).
const LABEL_SIZE: f64 = 11.0;
const LABEL_CHAR: f64 = 7.2;
/// PNG pixels per SVG unit: sharp on high-density screens, still small files.
const PNG_SCALE: f32 = 2.0;
const FONT: &str = "DejaVu Sans";
const BAR_COLOUR: &str = "#3b6ea8";
const AXIS_COLOUR: &str = "#444444";
const GRID_COLOUR: &str = "#e3e3e3";

/// A bar chart: one bar per labelled count, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarChart {
    /// Shown in bold at the top.
    pub title: String,
    /// A second, lighter line under the title (range, totals).
    pub subtitle: Option<String>,
    /// What the bars count ("articles"), shown along the y axis.
    pub y_label: String,
    /// The bars, left to right.
    pub bars: Vec<Bar>,
}

/// One bar of a [`BarChart`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    /// Shown under the bar when there is room (labels are thinned to fit).
    pub label: String,
    /// Its height.
    pub value: u64,
}

/// Why a chart could not be rendered as PNG.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// Our SVG did not parse (a bug: the SVG is ours).
    #[error("chart SVG is invalid: {0}")]
    Svg(#[from] resvg::usvg::Error),
    /// The image could not be allocated.
    #[error("cannot allocate a {0}×{1} image")]
    Size(u32, u32),
    /// PNG encoding failed.
    #[error("cannot encode the chart as PNG: {0}")]
    Encode(String),
}

impl BarChart {
    /// The chart as a standalone SVG document.
    pub fn to_svg(&self) -> String {
        let mut svg = String::with_capacity(4096 + self.bars.len() * 80);
        let _ = write!(
            svg,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}, sans-serif">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="{LEFT}" y="26" font-size="17" font-weight="bold" fill="#222222">{}</text>
"##,
            escape(&self.title)
        );
        if let Some(subtitle) = &self.subtitle {
            let _ = writeln!(
                svg,
                r##"<text x="{LEFT}" y="48" font-size="12" fill="#666666">{}</text>"##,
                escape(subtitle)
            );
        }
        let plot = Plot::new(self.bars.iter().map(|b| b.value).max().unwrap_or(0));
        self.y_axis(&mut svg, &plot);
        if self.bars.is_empty() || plot.max == 0 {
            let _ = writeln!(
                svg,
                r##"<text x="{}" y="{}" font-size="14" fill="#888888" text-anchor="middle">nothing to show</text>"##,
                LEFT + plot.width / 2.0,
                TOP + plot.height / 2.0
            );
        } else {
            self.draw_bars(&mut svg, &plot);
            self.x_labels(&mut svg, &plot);
        }
        // The baseline last, over the bars' feet.
        let base = TOP + plot.height;
        let _ = writeln!(
            svg,
            r#"<line x1="{LEFT}" y1="{base}" x2="{}" y2="{base}" stroke="{AXIS_COLOUR}" stroke-width="1"/>"#,
            LEFT + plot.width
        );
        svg.push_str("</svg>\n");
        svg
    }

    /// The chart as a PNG image (1920×840: the SVG at twice its size).
    pub fn to_png(&self) -> Result<Vec<u8>, ChartError> {
        use resvg::{tiny_skia, usvg};
        let mut fonts = usvg::fontdb::Database::new();
        fonts.load_font_data(dejavu::sans::regular().to_vec());
        fonts.load_font_data(dejavu::sans::bold().to_vec());
        let options = usvg::Options {
            fontdb: Arc::new(fonts),
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(&self.to_svg(), &options)?;
        let size = tree.size().to_int_size().scale_by(PNG_SCALE);
        let (w, h) = size.map_or((0, 0), |s| (s.width(), s.height()));
        let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or(ChartError::Size(w, h))?;
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(PNG_SCALE, PNG_SCALE),
            &mut pixmap.as_mut(),
        );
        pixmap
            .encode_png()
            .map_err(|e| ChartError::Encode(e.to_string()))
    }

    /// Grid lines, tick labels and the axis title.
    fn y_axis(&self, svg: &mut String, plot: &Plot) {
        for tick in plot.ticks() {
            let y = plot.y(tick);
            let _ = writeln!(
                svg,
                r#"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{GRID_COLOUR}" stroke-width="1"/>"#,
                LEFT + plot.width
            );
            let _ = writeln!(
                svg,
                r#"<text x="{:.1}" y="{:.1}" font-size="{LABEL_SIZE}" fill="{AXIS_COLOUR}" text-anchor="end">{}</text>"#,
                LEFT - 8.0,
                y + LABEL_SIZE * 0.35,
                thousands(tick)
            );
        }
        let cy = TOP + plot.height / 2.0;
        let _ = writeln!(
            svg,
            r#"<text x="16" y="{cy:.1}" font-size="12" fill="{AXIS_COLOUR}" text-anchor="middle" transform="rotate(-90 16 {cy:.1})">{}</text>"#,
            escape(&self.y_label)
        );
    }

    /// One rectangle per bar while bars are at least a pixel wide; one filled step path beyond.
    fn draw_bars(&self, svg: &mut String, plot: &Plot) {
        let n = self.bars.len() as f64;
        let slot = plot.width / n;
        let base = TOP + plot.height;
        if slot >= 1.0 {
            // A gap between bars while there is room for one.
            let gap = if slot >= 4.0 {
                (slot * 0.2).min(6.0)
            } else {
                0.0
            };
            let _ = writeln!(svg, r#"<g fill="{BAR_COLOUR}">"#);
            for (i, bar) in self.bars.iter().enumerate() {
                if bar.value == 0 {
                    continue;
                }
                let x = LEFT + i as f64 * slot + gap / 2.0;
                let y = plot.y(bar.value);
                let _ = writeln!(
                    svg,
                    r#"<rect x="{x:.2}" y="{y:.2}" width="{:.2}" height="{:.2}"><title>{}: {}</title></rect>"#,
                    slot - gap,
                    base - y,
                    escape(&bar.label),
                    thousands(bar.value)
                );
            }
            svg.push_str("</g>\n");
        } else {
            let mut d = format!("M{LEFT:.2},{base:.2}");
            for (i, bar) in self.bars.iter().enumerate() {
                let y = plot.y(bar.value);
                let _ = write!(
                    d,
                    " L{:.2},{y:.2} L{:.2},{y:.2}",
                    LEFT + i as f64 * slot,
                    LEFT + (i + 1) as f64 * slot
                );
            }
            let _ = write!(d, " L{:.2},{base:.2} Z", LEFT + plot.width);
            let _ = writeln!(svg, r#"<path d="{d}" fill="{BAR_COLOUR}"/>"#);
        }
    }

    /// Labels under the bars, every `step`-th one so that none overlaps the next.
    fn x_labels(&self, svg: &mut String, plot: &Plot) {
        let n = self.bars.len();
        let slot = plot.width / n as f64;
        let widest = self
            .bars
            .iter()
            .map(|b| b.label.chars().count())
            .max()
            .unwrap_or(0) as f64;
        let step = label_step(n, slot, widest * LABEL_CHAR + 10.0);
        let y = TOP + plot.height;
        for (i, bar) in self.bars.iter().enumerate().step_by(step) {
            let x = LEFT + (i as f64 + 0.5) * slot;
            let _ = writeln!(
                svg,
                r#"<line x1="{x:.2}" y1="{y}" x2="{x:.2}" y2="{:.1}" stroke="{AXIS_COLOUR}" stroke-width="1"/>"#,
                y + 4.0
            );
            let _ = writeln!(
                svg,
                r#"<text x="{x:.2}" y="{:.1}" font-size="{LABEL_SIZE}" fill="{AXIS_COLOUR}" text-anchor="middle">{}</text>"#,
                y + 18.0,
                escape(&bar.label)
            );
        }
    }
}

/// Every how many bars a label fits: labels `label_width` wide under slots `slot` wide. Steps
/// are round (1, 2, 3, 4, 6, 12 — months and quarters line up — then 1, 2 or 5 times a power of
/// ten) so labelled bars are evenly spaced.
fn label_step(n: usize, slot: f64, label_width: f64) -> usize {
    let need = (label_width / slot.max(f64::MIN_POSITIVE)).ceil().max(1.0) as usize;
    const SMALL: [usize; 6] = [1, 2, 3, 4, 6, 12];
    if let Some(&s) = SMALL.iter().find(|&&s| s >= need) {
        return s;
    }
    let mut power = 10usize;
    loop {
        for m in [1, 2, 5] {
            let s = m * power;
            if s >= need {
                return s.min(n.max(1));
            }
        }
        power = power.saturating_mul(10);
    }
}

/// The plot area and its y scale.
struct Plot {
    width: f64,
    height: f64,
    /// The largest value drawn.
    max: u64,
    /// The distance between y ticks, and the top of the axis (a multiple of it).
    tick: u64,
    top: u64,
}

impl Plot {
    fn new(max: u64) -> Self {
        let tick = nice_tick(max, 5);
        let top = max.div_ceil(tick).max(1) * tick;
        Plot {
            width: WIDTH - LEFT - RIGHT,
            height: HEIGHT - TOP - BOTTOM,
            max,
            tick,
            top,
        }
    }

    /// The SVG y of a value.
    fn y(&self, value: u64) -> f64 {
        TOP + self.height * (1.0 - value as f64 / self.top as f64)
    }

    /// 0, tick, 2·tick … up to the top of the axis.
    fn ticks(&self) -> impl Iterator<Item = u64> + '_ {
        (0..=self.top / self.tick).map(|i| i * self.tick)
    }
}

/// A round distance between ticks (1, 2 or 5 times a power of ten, at least 1) giving at most
/// about `target` intervals up to `max`.
fn nice_tick(max: u64, target: u64) -> u64 {
    let raw = max.div_ceil(target.max(1)).max(1);
    let mut power = 1u64;
    loop {
        for m in [1, 2, 5] {
            let t = m * power;
            if t >= raw {
                return t;
            }
        }
        match power.checked_mul(10) {
            Some(p) => power = p,
            None => return raw,
        }
    }
}

/// `1284` as `1,284`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Text as XML character data or attribute value.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids, which would make the document unreadable.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(values: &[u64]) -> BarChart {
        BarChart {
            title: "Articles matching \"oil\" & <gas>".into(),
            subtitle: Some("1987-01 – 1987-12".into()),
            y_label: "articles".into(),
            bars: values
                .iter()
                .enumerate()
                .map(|(i, &value)| Bar {
                    label: format!("1987-{:02}", i + 1),
                    value,
                })
                .collect(),
        }
    }

    fn parses(svg: &str) {
        if let Err(e) = roxmltree::Document::parse(svg) {
            panic!("invalid SVG: {e}\n{svg}");
        }
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(nice_tick(0, 5), 1);
        assert_eq!(nice_tick(3, 5), 1);
        assert_eq!(nice_tick(9, 5), 2);
        assert_eq!(nice_tick(23, 5), 5);
        assert_eq!(nice_tick(1284, 5), 500);
        assert_eq!(nice_tick(u64::MAX, 5), 5_000_000_000_000_000_000);
        let plot = Plot::new(1284);
        assert_eq!(plot.ticks().collect::<Vec<_>>(), [0, 500, 1000, 1500]);
        assert!((plot.y(0) - (TOP + plot.height)).abs() < 1e-9);
        assert!((plot.y(1500) - TOP).abs() < 1e-9);
    }

    #[test]
    fn labels_are_thinned_to_fit() {
        assert_eq!(label_step(12, 72.0, 60.0), 1);
        assert_eq!(label_step(120, 7.2, 60.0), 12);
        assert_eq!(label_step(3650, 0.24, 80.0), 500);
        // Never more labels than fit: each step is at least what the width needs.
        for n in [1, 7, 31, 365, 5000] {
            let slot = 864.0 / n as f64;
            let step = label_step(n, slot, 60.0);
            assert!(step as f64 * slot >= 60.0 || step >= n, "n={n} step={step}");
        }
    }

    #[test]
    fn svg_has_a_bar_per_nonzero_count_and_escapes_text() {
        let svg = chart(&[3, 0, 12, 7]).to_svg();
        parses(&svg);
        assert_eq!(svg.matches("<rect x=").count(), 3);
        assert!(svg.contains("&quot;oil&quot; &amp; &lt;gas&gt;"));
        assert!(svg.contains("<title>1987-03: 12</title>"));
        assert!(svg.contains(">1987-04</text>"));
    }

    #[test]
    fn many_bars_become_one_path() {
        let values: Vec<u64> = (0..5000).map(|i| (i % 37) as u64).collect();
        let svg = chart(&values).to_svg();
        parses(&svg);
        assert_eq!(svg.matches("<rect x=").count(), 0);
        assert_eq!(svg.matches("<path ").count(), 1);
        assert!(svg.len() < 400_000, "{} bytes", svg.len());
    }

    #[test]
    fn empty_chart_says_so() {
        for values in [&[][..], &[0, 0][..]] {
            let svg = chart(values).to_svg();
            parses(&svg);
            assert!(svg.contains("nothing to show"));
        }
    }

    #[test]
    fn control_characters_do_not_break_the_document() {
        let mut c = chart(&[1]);
        c.title = "bell\u{7} and tab\t".into();
        parses(&c.to_svg());
    }

    #[test]
    fn png_renders_with_the_embedded_font() {
        let png = chart(&[3, 0, 12, 7, 1284]).to_png().expect("renders");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // Width and height from the IHDR chunk.
        let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        let h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
        assert_eq!((w, h), (1920, 840));
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1284), "1,284");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
