//! The classifier: a lexicon and its matcher, built once, then `classify` per posting.
//! `Classifier` is `Sync`; share one by reference across threads and give each thread
//! its own [`Scratch`] so the hot loop reuses its buffers.

use crate::context::{Effect, Layout, Reading};
use crate::error::LexiconError;
use crate::lexicon::{Kind, Lexicon};
use crate::matcher::{Hit, Matcher};
use crate::normalize::{normalize_into, Normalized};
use crate::score::{decide, effective_weights, saturate, section_weight, Pulls};
use crate::verdict::{round3, Evidence, Mass, Scores, Side, TitleEvidence, Verdict};

/// Characters of context shown on each side of a phrase.
const SNIPPET_CONTEXT: usize = 40;

/// Reusable per-thread buffers.
#[derive(Debug, Default)]
pub struct Scratch {
    norm: Normalized,
    hits: Vec<Hit>,
    layout: Layout,
    readings: Vec<Reading>,
    /// Per entry: total multiplier of its counted hits, and its effect class.
    totals: Vec<(u32, Effect, f64)>,
    line_starts: Vec<usize>,
}

impl Scratch {
    /// Empty buffers.
    pub fn new() -> Self {
        Self::default()
    }
}

/// A lexicon compiled for matching.
#[derive(Debug, Clone)]
pub struct Classifier {
    lexicon: Lexicon,
    matcher: Matcher,
}

impl Classifier {
    /// Compile a lexicon.
    pub fn new(lexicon: Lexicon) -> Result<Self, LexiconError> {
        let matcher = Matcher::new(&lexicon)?;
        Ok(Classifier { lexicon, matcher })
    }

    /// The classifier for the lexicon compiled into the binary.
    pub fn embedded() -> Self {
        Self::new(Lexicon::embedded()).expect("the embedded lexicon compiles (checked by tests)")
    }

    /// The lexicon in use.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The compiled matcher.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Classify one posting (allocates fresh buffers; see [`Classifier::classify_with`]).
    pub fn classify(&self, text: &str) -> Verdict {
        self.classify_with(text, &mut Scratch::new())
    }

    /// Classify one posting reusing `scratch`.
    pub fn classify_with(&self, text: &str, scratch: &mut Scratch) -> Verdict {
        let Scratch { norm, hits, layout, readings, totals, line_starts } = scratch;
        normalize_into(text, norm);
        self.matcher.find_into(norm, text, hits);
        layout.build(&norm.text, &self.lexicon, hits);
        readings.clear();
        for k in 0..hits.len() {
            readings.push(layout.read(&norm.text, &self.lexicon, hits, k));
        }

        // Sum multipliers per (entry, effect), then saturate each sum.
        totals.clear();
        for (h, r) in hits.iter().zip(readings.iter()) {
            let m = section_weight(r.section);
            match totals.iter_mut().find(|(e, eff, _)| *e == h.entry && *eff == r.effect) {
                Some(t) => t.2 += m,
                None => totals.push((h.entry, r.effect, m)),
            }
        }
        let mut pulls = Pulls::default();
        for &(entry, effect, total) in totals.iter() {
            let e = &self.lexicon.entries[entry as usize];
            if e.kind == Kind::Role {
                continue;
            }
            pulls.add(
                saturate(total),
                effective_weights(effect, e.strategic as f64, e.roadmap as f64, e.other as f64),
                e.anchor,
            );
        }
        let decision = decide(&pulls);

        line_starts.clear();
        line_starts.push(0);
        line_starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        let mut evidence = Vec::new();
        let mut discounted = Vec::new();
        let mut title_evidence = Vec::new();
        for (k, (h, r)) in hits.iter().zip(readings.iter()).enumerate() {
            let e = &self.lexicon.entries[h.entry as usize];
            let (a, b) = (norm.origin_of(h.start as usize), norm.origin_of(h.end as usize - 1));
            let b = b + text[b..].chars().next().map_or(1, char::len_utf8);
            let phrase = text.get(a..b).unwrap_or_default();
            let phrase =
                if norm.html { norm.text[h.start as usize..h.end as usize].to_string() } else { collapse(phrase) };
            let line = line_starts.partition_point(|&s| s <= a);
            let column = text.get(line_starts[line - 1]..a).map_or(1, |s| s.chars().count() + 1);
            if e.kind == Kind::Role {
                title_evidence.push(TitleEvidence {
                    term: e.id.clone(),
                    role: e.role.unwrap_or(crate::lexicon::Role::Unknown),
                    phrase,
                    in_title: r.section == crate::context::Section::Title,
                    line,
                    column,
                });
                continue;
            }
            let (s, rd, o) = effective_weights(r.effect, e.strategic as f64, e.roadmap as f64, e.other as f64);
            let side = if o > 0.0 {
                Side::Other
            } else if s == 0.0 && rd == 0.0 {
                Side::None
            } else if s >= 0.0 && rd >= 0.0 {
                Side::Pm
            } else if s <= 0.0 && rd <= 0.0 {
                Side::Po
            } else {
                Side::Mixed
            };
            let because = r.attributed_to.map(|j| {
                let rh = hits[j as usize];
                norm.text[rh.start as usize..rh.end as usize].to_string()
            });
            let ev = Evidence {
                term: e.id.clone(),
                phrase,
                kind: e.kind,
                side,
                strategic: round3(s),
                roadmap: round3(rd),
                other: round3(o),
                effect: r.effect,
                section: r.section,
                multiplier: section_weight(r.section),
                because,
                line,
                column,
                offset: a,
                len: b - a,
                snippet: snippet(norm, h.start as usize, h.end as usize, text),
            };
            let _ = k;
            if side == Side::None {
                discounted.push(ev);
            } else {
                evidence.push(ev);
            }
        }
        evidence.sort_by(|x, y| y.strength().total_cmp(&x.strength()).then(x.offset.cmp(&y.offset)));
        let title = layout.title_end().map(|end| norm.text[..end].trim().to_string());
        Verdict {
            label: decision.label,
            confidence: round3(decision.confidence),
            reliable: decision.confidence >= crate::score::RELIABLE_CONFIDENCE,
            reason: decision.reason,
            scores: Scores { strategic: round3(pulls.strategic_score()), roadmap: round3(pulls.roadmap_score()) },
            mass: Mass {
                pm: round3(pulls.pm),
                po: round3(pulls.po),
                other: round3(pulls.other),
                pm_anchor: round3(pulls.pm_anchor),
                po_anchor: round3(pulls.po_anchor),
            },
            title,
            evidence,
            discounted,
            title_evidence,
            warnings: Vec::new(),
        }
    }
}

/// Collapse runs of whitespace to one space.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The line of normalised text around a hit, trimmed to [`SNIPPET_CONTEXT`] chars a side.
fn snippet(norm: &Normalized, start: usize, end: usize, source: &str) -> String {
    let t = &norm.text;
    let line_start = t[..start].rfind('\n').map_or(0, |p| p + 1);
    let line_end = t[end..].find('\n').map_or(t.len(), |p| end + p);
    let mut a = start;
    for _ in 0..SNIPPET_CONTEXT {
        if a <= line_start {
            break;
        }
        a -= 1;
        while !t.is_char_boundary(a) {
            a -= 1;
        }
    }
    let mut b = end;
    for _ in 0..SNIPPET_CONTEXT {
        if b >= line_end {
            break;
        }
        b += 1;
        while !t.is_char_boundary(b) {
            b += 1;
        }
    }
    // Prefer the writer's own casing when the input is plain text.
    let text = if !norm.html {
        let (oa, ob) = (norm.origin_of(a), norm.origin_of(b.max(a + 1) - 1));
        let ob = ob + source[ob..].chars().next().map_or(0, char::len_utf8);
        source.get(oa..ob).map(collapse).unwrap_or_else(|| t[a..b].to_string())
    } else {
        t[a..b].to_string()
    };
    format!("{}{}{}", if a > line_start { "…" } else { "" }, text, if b < line_end { "…" } else { "" })
}
