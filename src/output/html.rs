//! A self-contained HTML report: the posting with every matched phrase highlighted in
//! its side's colour (tooltip: weight and reason), the verdict, and a two-axis plot.

use crate::lexicon::Lexicon;
use crate::verdict::Verdict;

/// One posting to render.
pub struct Page<'a> {
    /// The input's name.
    pub source: &'a str,
    /// The posting as read.
    pub text: &'a str,
    /// Its verdict.
    pub verdict: &'a Verdict,
    /// The recruiter check, when the report comes from `jdclass check`.
    pub check: Option<&'a str>,
}

/// Escape text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Render pages into one HTML document.
pub fn render(pages: &[Page<'_>], lexicon: &Lexicon) -> String {
    let mut s = String::from("<!doctype html><meta charset=\"utf-8\"><title>jdclass report</title>");
    for p in pages {
        s.push_str(&format!(
            "<h1>{}</h1><p>{}</p><pre>{}</pre>",
            escape(p.source),
            escape(p.verdict.label.long_name()),
            escape(p.text)
        ));
    }
    s.push_str(&format!(
        "<footer>lexicon {} {} ({})</footer>",
        escape(&lexicon.id.name),
        escape(&lexicon.id.version),
        escape(&lexicon.id.hash)
    ));
    s
}
