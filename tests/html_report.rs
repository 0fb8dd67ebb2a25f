//! The HTML report: its embedded corpus reference points are current, and it renders in
//! a real headless browser (Debian's chromium) without console errors, with a highlight
//! for every evidence phrase, producing a screenshot.

use assert_cmd::Command;
use jdclass::{Classifier, Scratch};
use std::path::{Path, PathBuf};

const REFERENCE: &str = "corpus/reference-points.json";

fn reference_json() -> String {
    let classifier = Classifier::embedded();
    let mut rdr = csv::Reader::from_path("corpus/manifest.csv").unwrap();
    let mut scratch = Scratch::new();
    let points: Vec<serde_json::Value> = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            let text = std::fs::read_to_string(Path::new("corpus/postings").join(&r[0])).unwrap();
            let v = classifier.classify_with(&text, &mut scratch);
            serde_json::json!({"file": &r[0], "label": &r[1], "strategic": v.scores.strategic, "roadmap": v.scores.roadmap})
        })
        .collect();
    let doc = serde_json::json!({"lexicon_hash": classifier.lexicon().id.hash, "points": points});
    serde_json::to_string_pretty(&doc).unwrap() + "\n"
}

#[test]
fn reference_points_are_current() {
    let want = reference_json();
    if std::env::var_os("JDCLASS_BLESS").is_some() {
        std::fs::write(REFERENCE, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(REFERENCE).unwrap();
    assert!(
        have == want,
        "{REFERENCE} is stale (the lexicon or scoring changed): regenerate it with \
         `JDCLASS_BLESS=1 cargo test --test html_report reference_points_are_current` and rebuild"
    );
}

/// The chromium binary, if one is installed.
fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(name)).find(|p| p.is_file()))
}

/// Run headless chromium on a file: (dumped DOM, stderr).
fn render_in_browser(browser: &Path, page: &Path, screenshot: Option<&Path>) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
        "--window-size=1280,1800",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()));
    match screenshot {
        Some(p) => cmd.arg(format!("--screenshot={}", p.display())),
        None => cmd.arg("--dump-dom"),
    };
    let out = cmd.arg(format!("file://{}", page.display())).output().expect("chromium runs");
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn attr(dom: &str, name: &str) -> Option<String> {
    let at = dom.find(&format!("{name}=\""))? + name.len() + 2;
    Some(dom[at..].split('"').next()?.to_string())
}

#[test]
fn report_renders_in_a_real_browser() {
    let Some(browser) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "CI must have chromium (.ci/run installs it)");
        eprintln!("note: chromium is not installed; skipping the browser check (CI installs it)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let posting = "corpus/postings/017-pm-commercial-lending-title-mismatch.txt";
    let html_posting = "corpus/postings/087-po-travel-hotel-booking.html";
    let reports = [
        ("verdict.html", vec!["--format", "html", posting, html_posting], 0),
        ("check.html", vec!["check", posting, "--format", "html"], 1),
    ];
    for (name, args, code) in reports {
        let out = Command::cargo_bin("jdclass").unwrap().args(&args).assert().code(code).get_output().stdout.clone();
        let page = dir.path().join(name);
        std::fs::write(&page, &out).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(!html.contains("src=\"http") && !html.contains("href=\"http"), "self-contained: no external assets");

        let (dom, log) = render_in_browser(&browser, &page, None);
        assert_eq!(attr(&dom, "data-ready").as_deref(), Some("1"), "the page script ran; log:\n{log}");
        let expected = attr(&dom, "data-expected").unwrap();
        assert_eq!(attr(&dom, "data-highlights"), Some(expected.clone()), "a highlight for every evidence phrase");
        assert!(expected.parse::<usize>().unwrap() > 10);
        for bad in ["Uncaught", "CONSOLE(", "SyntaxError", "TypeError", "ReferenceError"] {
            assert!(!log.contains(bad), "browser console reported {bad}:\n{log}");
        }
        let shot = dir.path().join(format!("{name}.png"));
        render_in_browser(&browser, &page, Some(&shot));
        let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
        assert!(size > 10_000, "a screenshot was produced ({size} bytes)");
        if let Some(keep) = std::env::var_os("JDCLASS_SCREENSHOTS") {
            std::fs::copy(&shot, Path::new(&keep).join(format!("{name}.png"))).unwrap();
        }
    }
}
