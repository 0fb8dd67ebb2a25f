//! Looking up one lexicon entry by id or by a phrase as it appears in text, and
//! describing it for people: `jdclass explain TERM` answers "why did this word fire?".

use crate::lexicon::{Entry, Kind, Lexicon};
use crate::matcher::{Hit, Matcher};
use crate::normalize::{normalize_into, Normalized};
use std::fmt::Write;

/// The entry whose id is `term`, or whose phrases match `term` as text.
pub fn find<'a>(lexicon: &'a Lexicon, matcher: &Matcher, term: &str) -> Option<&'a Entry> {
    if let Some(e) = lexicon.entry(term.trim()) {
        return Some(e);
    }
    let mut norm = Normalized::new();
    normalize_into(term, &mut norm);
    let mut hits: Vec<Hit> = Vec::new();
    matcher.find_into(&norm, term, &mut hits);
    // Prefer a hit covering the whole term ("roadmaps"), else the longest one.
    hits.iter().max_by_key(|h| h.end - h.start).map(|h| &lexicon.entries[h.entry as usize])
}

/// Which side an entry's weights put it on, in words.
pub fn side_of(e: &Entry) -> String {
    match e.kind {
        Kind::Role => "a role name: title evidence, never counted as content".to_string(),
        Kind::Other => format!("non-product roles (weight {:.2})", e.other),
        Kind::Duty => {
            let axis = |w: f32, plus: &str, minus: &str| {
                if w > 0.0 {
                    format!("{plus} {w:+.2}")
                } else if w < 0.0 {
                    format!("{minus} {w:+.2}")
                } else {
                    "neutral 0".to_string()
                }
            };
            let side = if e.strategic + e.roadmap >= 0.0 { "the PM side" } else { "the PO side" };
            format!(
                "{side}: {} · {}",
                axis(e.strategic, "strategic", "tactical"),
                axis(e.roadmap, "roadmap", "backlog")
            )
        }
    }
}

/// A readable description of `entry`.
pub fn render(lexicon: &Lexicon, e: &Entry) -> String {
    let mut s = String::new();
    let kind = match e.kind {
        Kind::Duty if e.anchor => "product duty, anchor (names ownership of a product)",
        Kind::Duty => "product duty",
        Kind::Other => "duty of a non-product role",
        Kind::Role => "role name",
    };
    let _ = writeln!(s, "{}  ({kind})", e.id);
    let _ = writeln!(s, "  side:        {}", side_of(e));
    if let Some(role) = e.role {
        let _ = writeln!(s, "  role:        {}", role.as_str());
    }
    let _ = writeln!(s, "  phrases:     {}", e.phrases.join(", "));
    let variants: Vec<String> = lexicon
        .patterns()
        .into_iter()
        .filter(|(_, i, _)| lexicon.entries[*i].id == e.id)
        .map(|(p, _, _)| p)
        .filter(|p| !e.phrases.iter().any(|x| x.eq_ignore_ascii_case(p)))
        .collect();
    if !variants.is_empty() {
        let _ = writeln!(s, "  also matches: {}", variants.join(", "));
    }
    if e.case_sensitive {
        let _ = writeln!(s, "  matching:    exact capitals only");
    }
    let _ = writeln!(s, "  provenance:  {}", e.provenance.as_str());
    let _ = writeln!(
        s,
        "  sources:     {}",
        if e.sources.is_empty() { "(none)".to_string() } else { e.sources.join(", ") }
    );
    if !e.why.is_empty() {
        let _ = writeln!(s, "  why:         {}", e.why);
    }
    let _ = writeln!(s, "  defined at:  {}:{}", lexicon.id.source, e.line);
    s
}
