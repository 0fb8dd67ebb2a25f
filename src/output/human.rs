//! The readable verdict: label, confidence, both axes drawn as bars, and the phrases
//! behind it grouped by side with line:column and a snippet.

use super::{printable, Style};
use crate::context::Effect;
use crate::lexicon::LexiconId;
use crate::verdict::{Evidence, Side, Verdict};
use std::fmt::Write;

/// Width of an axis bar in characters (odd, so 0 has a middle cell).
const BAR_WIDTH: usize = 41;
/// ANSI colours per side.
const PM_COLOR: &str = "32"; // green
const PO_COLOR: &str = "34"; // blue
const OTHER_COLOR: &str = "33"; // yellow
const DIM: &str = "2";

fn color_of(side: Side) -> &'static str {
    match side {
        Side::Pm => PM_COLOR,
        Side::Po => PO_COLOR,
        Side::Other => OTHER_COLOR,
        Side::Mixed | Side::None => DIM,
    }
}

/// The human output's evidence groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Pm,
    Po,
    Other,
}

impl Group {
    fn of(e: &Evidence) -> Group {
        match e.leaning() {
            Side::Other => Group::Other,
            Side::Po => Group::Po,
            Side::Pm | Side::Mixed | Side::None => Group::Pm,
        }
    }
}

/// An axis bar: `left ├────●────┤ right` with the marker at `score` in [-1, 1].
pub fn bar(score: f64, left: &str, right: &str, style: &Style, color: &str) -> String {
    let pos = (((score.clamp(-1.0, 1.0) + 1.0) / 2.0) * (BAR_WIDTH - 1) as f64).round() as usize;
    let mid = BAR_WIDTH / 2;
    let cells: String = (0..BAR_WIDTH)
        .map(|i| {
            if i == pos {
                '●'
            } else if i == mid {
                '┼'
            } else {
                '─'
            }
        })
        .collect();
    let (a, b) = cells.split_at(cells.char_indices().nth(pos).map_or(cells.len(), |(i, _)| i));
    let (dot, rest) = b.split_at('●'.len_utf8().min(b.len()));
    format!("{left:>9} ├{a}{}{rest}┤ {right:<9} {score:+.2}", style.paint(color, dot))
}

/// A copy of `v` whose text (from the posting) is safe to print: see [`printable`].
fn printable_verdict(v: &Verdict) -> Verdict {
    let p = |s: &str| printable(s).into_owned();
    let mut v = v.clone();
    v.reason = p(&v.reason);
    v.title = v.title.as_deref().map(p);
    v.warnings = v.warnings.iter().map(|w| p(w)).collect();
    for e in v.evidence.iter_mut().chain(v.discounted.iter_mut()) {
        e.phrase = p(&e.phrase);
        e.snippet = p(&e.snippet);
        e.because = e.because.as_deref().map(p);
    }
    for t in &mut v.title_evidence {
        t.phrase = p(&t.phrase);
    }
    for d in &mut v.duties {
        d.text = p(&d.text);
    }
    v
}

/// Render one verdict. `top` caps the phrases listed per group. Text from the posting
/// and the source name are shown with control characters escaped ([`printable`]).
pub fn render(source: &str, v: &Verdict, lexicon: &LexiconId, style: &Style, top: usize) -> String {
    let v = &printable_verdict(v);
    let source = &*printable(source);
    let mut out = String::new();
    let label_color = match v.label {
        crate::Label::Pm => PM_COLOR,
        crate::Label::Po => PO_COLOR,
        crate::Label::Hybrid => "35",
        crate::Label::Other => OTHER_COLOR,
    };
    let reliability = if v.reliable { "" } else { ", low — read the evidence" };
    let _ = writeln!(
        out,
        "{source}: {} ({}) — confidence {:.2}{reliability}",
        style.paint(&format!("1;{label_color}"), v.label.long_name()),
        v.label,
        v.confidence
    );
    let _ = writeln!(out, "  {}", v.reason);
    for w in &v.warnings {
        let _ = writeln!(out, "  {} {w}", style.paint("33", "warning:"));
    }
    if let Some(t) = &v.title {
        let titled = v.title_role().map(|r| format!(" (titled {})", r.as_str())).unwrap_or_default();
        let _ = writeln!(out, "  title: \"{t}\"{titled}");
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "  {}", bar(v.scores.strategic, "tactical", "strategic", style, label_color));
    let _ = writeln!(out, "  {}", bar(v.scores.roadmap, "backlog", "roadmap", style, label_color));
    let _ = writeln!(out, "  pulls: PM {:.2} · PO {:.2} · other {:.2}", v.mass.pm, v.mass.po, v.mass.other);

    // The hire's duties: what the label rule reads, strongest kinds first.
    let duties: Vec<&crate::verdict::Duty> =
        v.duties.iter().filter(|d| d.kind != crate::duties::DutyKind::Neutral).collect();
    let _ = writeln!(out, "\n  {}", v.duty_summary.describe());
    for d in duties.iter().take(top) {
        let (kind, color) = match (d.kind, d.profile) {
            (crate::duties::DutyKind::Pm, _) => ("PM".to_string(), color_of(Side::Pm)),
            (crate::duties::DutyKind::Po, _) => ("PO".to_string(), color_of(Side::Po)),
            (_, Some(p)) => (p.describe().to_string(), color_of(Side::Other)),
            _ => ("other role".to_string(), color_of(Side::Other)),
        };
        let text: String = d.text.chars().take(90).collect();
        let more = if d.text.chars().count() > 90 { "…" } else { "" };
        let _ = writeln!(out, "    {:>5}  {}  {}{more}", d.line, style.paint(color, &format!("{kind:<10}")), text);
    }
    if duties.len() > top {
        let _ = writeln!(out, "    … and {} more (--top N, or --format json for all)", duties.len() - top);
    }

    let groups = [
        (Group::Pm, "PM evidence (strategic / roadmap)"),
        (Group::Po, "PO evidence (tactical / backlog)"),
        (Group::Other, "Non-product evidence (project, scrum master, analyst, marketing)"),
    ];
    for (group, title) in groups {
        let items: Vec<&Evidence> = v.evidence.iter().filter(|e| Group::of(e) == group).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n  {title}");
        for e in items.iter().take(top) {
            let weights = if e.side == Side::Other {
                format!("other {:.1}", e.other)
            } else {
                format!("s {:+.1} r {:+.1}", e.strategic, e.roadmap)
            };
            let mut notes = Vec::new();
            if e.effect != Effect::Counted {
                notes.push(e.effect.describe().to_string());
            }
            if e.multiplier < 1.0 {
                notes.push(format!("{} ×{:.2}", e.section.as_str(), e.multiplier));
            }
            let notes = if notes.is_empty() { String::new() } else { format!(" [{}]", notes.join(", ")) };
            let _ = writeln!(
                out,
                "    {:>5}:{:<3} {} ({weights}){notes}  {}",
                e.line,
                e.column,
                style.paint(color_of(e.leaning()), &e.phrase),
                style.paint(DIM, &format!("“{}”", e.snippet))
            );
        }
        if items.len() > top {
            let _ = writeln!(out, "    … and {} more (--top N, or --format json for all)", items.len() - top);
        }
    }
    let not_counted: Vec<&Evidence> = v.discounted.iter().filter(|e| e.effect != Effect::Title).collect();
    if !not_counted.is_empty() {
        let _ = writeln!(out, "\n  Not counted");
        for e in not_counted.iter().take(top) {
            let why = match &e.because {
                Some(b) => format!("{} ({b})", e.effect.describe()),
                None => e.effect.describe().to_string(),
            };
            let _ = writeln!(
                out,
                "    {:>5}:{:<3} {} [{why}]  {}",
                e.line,
                e.column,
                style.paint(DIM, &e.phrase),
                style.paint(DIM, &format!("“{}”", e.snippet))
            );
        }
    }
    if !v.title_evidence.is_empty() {
        let _ = writeln!(out, "\n  Role names (title evidence, not counted)");
        for t in v.title_evidence.iter().take(top) {
            let role = t.role.as_str();
            let place = if t.in_title { "title" } else { "body" };
            let _ = writeln!(out, "    {:>5}:{:<3} {} ({role}, {place})", t.line, t.column, t.phrase);
        }
    }
    let _ = writeln!(
        out,
        "\n  {}",
        style.paint(DIM, &format!("lexicon {} {} ({})", lexicon.name, lexicon.version, lexicon.hash))
    );
    out
}
