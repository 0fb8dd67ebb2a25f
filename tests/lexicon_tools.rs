//! The lexicon tools end to end: the log-odds ranking against a hand computation, sentence
//! attribution, `lexicon check` catching each kind of defect at its line, `lexicon stats`
//! on the repository's corpus, and the committed seed candidates reproduced by the binary.

use assert_cmd::Command;
use jdclass::lexicon_tools::check::{check, Defect, Severity};
use jdclass::lexicon_tools::corpus::{read_postings, Corpus, Document};
use jdclass::lexicon_tools::mine::{mine_articles, MineOptions};
use jdclass::lexicon_tools::stats::{stats, StatsOptions};
use jdclass::lexicon_tools::text::can_edge_gram;
use jdclass::matcher::Matcher;
use jdclass::normalize::{normalize_into, Normalized};
use jdclass::{Classifier, Lexicon};
use std::path::Path;

/// The seed articles, next to the repository (as in the README's command).
const SEEDS: &str = "../shared/seeds";
/// The committed candidate list and the command that regenerates it, as lexicon/README.md
/// documents it.
const SEEDS_CANDIDATES: &str = "lexicon/candidates/seeds.toml";
const SEEDS_COMMAND: &str =
    "jdclass lexicon mine --articles ../shared/seeds --top 60 --output lexicon/candidates/seeds.toml";

fn jdclass() -> Command {
    Command::cargo_bin("jdclass").expect("the binary is built")
}

fn doc(name: &str, text: &str) -> Document {
    Document { name: name.to_string(), text: text.to_string(), label: None }
}

/// 1-based line of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("no line with {needle:?}")) + 1
}

#[test]
fn log_odds_ranking_matches_a_hand_computation() {
    // PM sentences leave the unigrams owns×2, roadmap, studies, market, pricing (n = 6);
    // PO sentences leave owns, backlog×2, refines, writes, stories (n = 6). Role names and
    // stop words are no n-grams. Pooled: n = 12.
    let article = "The product manager owns the roadmap. The product manager studies the market. \
                   The product manager owns pricing. The product owner owns the backlog. \
                   The product owner refines the backlog. The product owner writes stories.";
    let options = MineOptions { max_order: 1, min_count: 1, min_z: 0.0, top: 100, ..MineOptions::default() };
    let mined = mine_articles(&[doc("a.md", article)], &Lexicon::embedded(), &options).unwrap();
    assert_eq!(mined.class_sizes, [3, 3, 0, 0], "three PM and three PO sentences");

    // The prior: scale s = 0.1, α_0 = 0.1 × 12 = 1.2, α_w = 0.1 × pooled count of w.
    // z = δ / √(1/(y_pm + α_w) + 1/(y_po + α_w)),
    // δ = ln((y_pm + α_w) / (6 + 1.2 − y_pm − α_w)) − ln((y_po + α_w) / (6 + 1.2 − y_po − α_w)).
    let z = |delta: f64, var: f64| delta / var.sqrt();
    let backlog = z((0.2f64 / 7.0).ln() - (2.2f64 / 5.0).ln(), 1.0 / 0.2 + 1.0 / 2.2); // 0 vs 2
    let roadmap = z((1.1f64 / 6.1).ln() - (0.1f64 / 7.1).ln(), 1.0 / 1.1 + 1.0 / 0.1); // 1 vs 0
    let owns = z((2.3f64 / 4.9).ln() - (1.3f64 / 5.9).ln(), 1.0 / 2.3 + 1.0 / 1.3); // 2 vs 1
    assert!((backlog - -1.1708).abs() < 1e-4 && (roadmap - 0.7720).abs() < 1e-4 && (owns - 0.6892).abs() < 1e-4);

    let got = |phrase: &str| {
        mined.candidates.iter().find(|c| c.phrase == phrase).unwrap_or_else(|| panic!("no candidate {phrase}")).z_pm_po
    };
    for (phrase, want) in [("backlog", backlog), ("roadmap", roadmap), ("owns", owns), ("stories", -roadmap)] {
        assert!((got(phrase) - want).abs() < 1e-12, "{phrase}: {} vs {want}", got(phrase));
    }
    // Ranked by |z|, ties by phrase: the 2-vs-0 word first, the 1-vs-0 words, then "owns".
    let order: Vec<&str> = mined.candidates.iter().map(|c| c.phrase.as_str()).collect();
    assert_eq!(order, ["backlog", "market", "pricing", "refines", "roadmap", "stories", "studies", "writes", "owns"]);
    // Suggested weights: clamp(z / 4, −1, 1) to one decimal, never 0.
    let backlog_entry = &mined.candidates[0];
    assert_eq!((backlog_entry.strategic, backlog_entry.roadmap), (-0.3, -0.3));
}

#[test]
fn articles_are_attributed_by_subject_pronoun_section_and_table() {
    let article = "\
# Roles
The product manager talks to the market. They set pricing.
## The Product Owner's duties
* grooming the backlog
* sprint reviews

| | Product Manager | Product Owner |
|---|---|---|
| Horizon | years ahead | next sprint |
";
    let options = MineOptions { min_count: 1, min_z: 0.0, top: 500, ..MineOptions::default() };
    let mined = mine_articles(&[doc("a.md", article)], &Lexicon::embedded(), &options).unwrap();
    let counts = |phrase: &str| mined.candidates.iter().find(|c| c.phrase == phrase).map(|c| c.counts);
    // (A phrase seen only inside a longer one is reported as the longer one.)
    assert_eq!(counts("talks to the market"), Some([1, 0, 0, 0]), "named subject");
    assert_eq!(counts("set pricing"), Some([1, 0, 0, 0]), "a pronoun inherits the previous sentence's role");
    assert_eq!(counts("grooming the backlog"), Some([0, 1, 0, 0]), "list under a PO heading");
    assert_eq!(counts("sprint reviews"), Some([0, 1, 0, 0]));
    assert_eq!(counts("years ahead"), Some([1, 0, 0, 0]), "table cell under the PM column");
    assert_eq!(counts("next sprint"), Some([0, 1, 0, 0]), "table cell under the PO column");
    assert_eq!(counts("horizon"), None, "the first column names no role: not contrasted, and no candidate");
}

/// A lexicon with one defect of each kind; each case names the defect, a text on the line
/// it must be reported at, and the entry.
const BROKEN: &str = r#"[lexicon]
name = "broken"
version = "0.1"

[[entry]]
id = "roadmap"
phrases = ["roadmap"]
strategic = 0.6
roadmap = 1.0
sources = ["s1.txt"]

[[entry]]
id = "to-backlog"
phrases = ["translate the roadmap"]
strategic = -0.5
roadmap = -0.6
sources = ["s1.txt"]

[[entry]]
id = "too-strong"
phrases = ["vision"]
strategic = 1.5
sources = ["s1.txt"]

[[entry]]
id = "typo"
phrases = ["pricing"]
strategic = 0.9
weight = 1
sources = ["s1.txt"]

[[entry]]
id = "roadmap"
phrases = ["north star"]
strategic = 0.8
sources = ["s1.txt"]

[[entry]]
id = "again"
phrases = ["roadmap"]
strategic = 0.5
sources = ["s1.txt"]

[[entry]]
id = "gtm"
phrases = ["go to market"]
strategic = 0.9
sources = ["s1.txt"]

[[entry]]
id = "gtm-hyphen"
phrases = ["Go-To-Market"]
strategic = 0.9
sources = ["s1.txt"]

[[entry]]
id = "prioritize"
phrases = ["prioritize"]
roadmap = -0.3
sources = ["s1.txt"]

[[entry]]
id = "prioritise"
phrases = ["prioritise"]
roadmap = -0.3
sources = ["s1.txt"]

[[entry]]
id = "unsourced"
phrases = ["stakeholders"]
strategic = 0.2

[[entry]]
id = "bad-source"
phrases = ["user stories"]
roadmap = -0.9
sources = ["s1.txt", "missing.txt"]

[[entry]]
id = "zebra"
phrases = ["zebra crossing"]
roadmap = 0.1
sources = ["s1.txt"]

[[entry]]
id = "negative-other"
kind = "other"
phrases = ["gantt"]
other = -0.2
sources = ["s1.txt"]
"#;

#[test]
fn check_reports_every_defect_at_its_line() {
    let seeds = tempfile::tempdir().unwrap();
    std::fs::write(seeds.path().join("s1.txt"), "a seed").unwrap();
    let corpus = Corpus {
        source: "test-corpus".into(),
        documents: vec![doc("p1.txt", "We translate the roadmap into user stories with the stakeholders.")],
        ..Corpus::default()
    };
    let report = check(BROKEN, "broken.toml", Some(seeds.path()), Some(&corpus)).unwrap();
    let text = BROKEN;
    let entry_line = |id: &str| line_of(text, &format!("id = \"{id}\"")) - 1;
    let cases: [(Defect, usize, &str); 14] = [
        (Defect::OutOfRange, line_of(text, "strategic = 1.5"), "too-strong"),
        (Defect::OutOfRange, line_of(text, "other = -0.2"), "negative-other"),
        (Defect::Invalid, line_of(text, "weight = 1"), "typo"),
        (Defect::DuplicateId, line_of(text, "[\"north star\"]") - 2, "roadmap"),
        (Defect::DuplicatePhrase, line_of(text, "id = \"again\"") + 1, "again"),
        (Defect::CollidingPhrase, line_of(text, "Go-To-Market"), "gtm-hyphen"),
        (Defect::CollidingPhrase, line_of(text, "[\"prioritise\"]"), "prioritise"),
        (Defect::NoSources, entry_line("unsourced"), "unsourced"),
        (Defect::UnknownSource, line_of(text, "missing.txt"), "bad-source"),
        (Defect::Shadowed, line_of(text, "[\"roadmap\"]"), "roadmap"),
        (Defect::ShadowedInCorpus, line_of(text, "[\"roadmap\"]"), "roadmap"),
        (Defect::NeverFires, entry_line("zebra"), "zebra"),
        (Defect::NeverFires, entry_line("gtm"), "gtm"),
        (Defect::NeverFires, entry_line("prioritize"), "prioritize"),
    ];
    let shown: Vec<String> = report.diagnostics.iter().map(ToString::to_string).collect();
    for (defect, line, id) in cases {
        assert!(
            report.diagnostics.iter().any(|d| d.defect == defect && d.line == line && d.id.as_deref() == Some(id)),
            "expected {} at line {line} for '{id}'; got:\n{}",
            defect.as_str(),
            shown.join("\n")
        );
    }
    assert_eq!(report.errors(), 8, "{}", shown.join("\n"));
    assert!(shown.iter().all(|s| s.starts_with("broken.toml:")), "every message names the file");
    let dup = report.diagnostics.iter().find(|d| d.defect == Defect::DuplicateId).unwrap();
    assert!(dup
        .to_string()
        .contains("error[duplicate-id]: entry 'roadmap': the id is already used by the entry at line 5"));
    assert_eq!(Defect::Shadowed.severity(), Severity::Warning);
    assert_eq!(report.lexicon.name, "broken");
}

#[test]
fn check_reports_syntax_errors_with_their_line() {
    let report =
        check("[lexicon]\nname = \"x\"\nversion = \"1\"\n\n[[entry]]\nid = \"a\n", "bad.toml", None, None).unwrap();
    assert_eq!(report.diagnostics.len(), 1, "{:?}", report.diagnostics);
    assert_eq!((report.diagnostics[0].defect, report.diagnostics[0].line), (Defect::Syntax, 6));
    let report =
        check("[lexicon]\nname = \"x\"\nversion = \"1\"\n[context]\nnegation = [\"no\"]\n", "c.toml", None, None)
            .unwrap();
    assert_eq!(report.diagnostics.len(), 1, "{:?}", report.diagnostics);
    assert_eq!((report.diagnostics[0].defect, report.diagnostics[0].line), (Defect::Syntax, 5));
}

#[test]
fn a_clean_lexicon_has_no_diagnostics() {
    let text = "[lexicon]\nname = \"ok\"\nversion = \"1\"\n\n[[entry]]\nid = \"roadmap\"\nphrases = [\"roadmap\"]\n\
                roadmap = 1.0\nsources = [\"s1.txt\"]\n";
    let corpus = Corpus { source: "c".into(), documents: vec![doc("p", "Own the roadmap.")], ..Corpus::default() };
    let report = check(text, "ok.toml", None, Some(&corpus)).unwrap();
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
}

#[test]
fn the_shipped_lexicon_has_no_errors() {
    let seeds = Path::new(SEEDS);
    let corpus = read_postings(Path::new("corpus/postings"), "text").unwrap();
    let report = check(
        jdclass::lexicon::DEFAULT_LEXICON,
        jdclass::lexicon::EMBEDDED_NAME,
        seeds.is_dir().then_some(seeds),
        Some(&corpus),
    )
    .unwrap();
    let errors: Vec<String> =
        report.diagnostics.iter().filter(|d| d.defect.severity() == Severity::Error).map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(report.entries, Lexicon::embedded().entries.len());
}

#[test]
fn check_cli_exits_2_on_errors_and_reads_the_global_lexicon() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, BROKEN).unwrap();
    let range_line = line_of(BROKEN, "strategic = 1.5");
    // The file as an argument, and as the global --lexicon (which the loader alone would
    // refuse at its first error).
    let as_argument = jdclass().args(["lexicon", "check", "--no-corpus"]).arg(&broken).output().unwrap();
    let as_global = jdclass().args(["lexicon", "check", "--no-corpus", "--lexicon"]).arg(&broken).output().unwrap();
    for out in [as_argument, as_global] {
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{stdout}");
        assert!(stdout.starts_with("lexicon: broken 0.1 (hash "), "{stdout}");
        assert!(stdout.contains(&format!("{}:{range_line}: error[out-of-range]", broken.display())), "{stdout}");
        assert!(stdout.contains("7 error(s)"), "without --seeds no source is unknown: {stdout}");
    }
    // Warnings only: exit 0.
    let warn = dir.path().join("warn.toml");
    std::fs::write(
        &warn,
        "[lexicon]\nname = \"w\"\nversion = \"1\"\n[[entry]]\nid = \"a\"\nphrases = [\"roadmap\"]\nroadmap = 1\n",
    )
    .unwrap();
    let out = jdclass().args(["lexicon", "check", "--no-corpus"]).arg(&warn).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(":4: warning[no-sources]: entry 'a'"), "{stdout}");
}

#[test]
fn stats_on_the_corpus_add_up() {
    let corpus = read_postings(Path::new("corpus/postings"), "text").unwrap();
    let files = std::fs::read_dir("corpus/postings").unwrap().count();
    let classifier = Classifier::embedded();
    let options = StatsOptions::default();
    let s = stats(&classifier, &corpus, &options);
    assert_eq!(s.postings, files);
    assert_eq!(s.labels.values().sum::<usize>(), s.postings, "every posting has one label");
    assert!(s.low_evidence.postings <= s.postings);
    assert!((s.low_evidence.share - s.low_evidence.postings as f64 / s.postings as f64).abs() < 1e-12);
    let backlog = s.entries.iter().find(|e| e.id == "backlog").unwrap();
    assert!(backlog.postings >= 20, "backlog fires on {} postings", backlog.postings);
    for e in &s.entries {
        assert!(e.postings <= s.postings && e.postings <= e.hits && e.counted <= e.hits, "{e:?}");
    }
    assert_eq!(s.never_fired, s.entries.iter().filter(|e| e.hits == 0).count());
    // Gaps: uncovered by any entry, no stop word at either end, in enough postings, sorted.
    assert!(!s.gaps.is_empty() && s.gaps.len() <= options.top_gaps);
    let matcher = Matcher::new(classifier.lexicon()).unwrap();
    for g in &s.gaps {
        let mut norm = Normalized::new();
        normalize_into(&g.phrase, &mut norm);
        let mut hits = Vec::new();
        matcher.find_into(&norm, &g.phrase, &mut hits);
        assert!(hits.is_empty(), "gap {:?} is covered by the lexicon", g.phrase);
        let words: Vec<&str> = g.phrase.split(' ').collect();
        assert!(can_edge_gram(words[0]) && can_edge_gram(words[words.len() - 1]), "{:?}", g.phrase);
        assert!(
            g.postings >= options.min_gap_postings && g.postings <= s.low_evidence.postings && g.count >= g.postings
        );
    }
    assert!(s.gaps.windows(2).all(|w| (w[0].postings, w[0].count) >= (w[1].postings, w[1].count)));
}

#[test]
fn stats_cli_names_the_lexicon_in_both_formats() {
    let out = jdclass().args(["lexicon", "stats", "corpus/postings", "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = Lexicon::embedded().id;
    assert_eq!(v["lexicon"]["name"], id.name.as_str());
    assert_eq!(v["lexicon"]["hash"], id.hash.as_str());
    assert_eq!(v["postings"].as_u64(), Some(std::fs::read_dir("corpus/postings").unwrap().count() as u64));
    let out = jdclass().args(["lexicon", "stats"]).output().unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.starts_with(&format!("lexicon: {} {} (hash {})", id.name, id.version, id.hash)), "{table}");
    assert!(table.contains("\ngaps: "), "{table}");
}

#[test]
fn show_is_explain_and_names_the_lexicon() {
    let show = jdclass().args(["lexicon", "show", "backlog"]).output().unwrap();
    let explain = jdclass().args(["explain", "backlog"]).output().unwrap();
    assert!(show.status.success());
    assert_eq!(show.stdout, explain.stdout);
    let text = String::from_utf8_lossy(&show.stdout);
    let id = Lexicon::embedded().id;
    assert!(text.starts_with("backlog  ("), "{text}");
    assert!(text.contains(&format!("lexicon:     {} {} (hash {})", id.name, id.version, id.hash)), "{text}");
}

#[test]
fn mining_labelled_postings_gives_a_loadable_candidate_lexicon() {
    // The repository's corpus, labelled by its manifest, as a JSONL file.
    let manifest = std::fs::read_to_string("corpus/manifest.csv").unwrap();
    let mut jsonl = String::new();
    for row in manifest.lines().skip(1) {
        let mut cols = row.split(',');
        let (file, label) = (cols.next().unwrap(), cols.next().unwrap());
        let text =
            String::from_utf8_lossy(&std::fs::read(Path::new("corpus/postings").join(file)).unwrap()).into_owned();
        jsonl.push_str(&serde_json::json!({ "label": label, "body": text }).to_string());
        jsonl.push('\n');
    }
    jsonl.push_str("{\"label\": \"intern\", \"body\": \"skipped: not a label\"}\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labelled.jsonl");
    std::fs::write(&path, jsonl).unwrap();
    let out = jdclass()
        .args(["lexicon", "mine", "--text-field", "body", "--top", "40", "--min-docs", "2", "--postings"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The extra record comes after one line per corpus posting.
    let extra_line = manifest.lines().count();
    let want = format!("labelled.jsonl:{extra_line}: label \"intern\"");
    assert!(String::from_utf8_lossy(&out.stderr).contains(&want), "{}", String::from_utf8_lossy(&out.stderr));
    let toml = String::from_utf8(out.stdout).unwrap();
    let id = Lexicon::embedded().id;
    assert!(toml.contains(&format!("# lexicon: {} {} (hash {})", id.name, id.version, id.hash)));
    let candidates = Lexicon::parse(&toml, "mined.toml").expect("candidates load as a lexicon");
    Matcher::new(&candidates).expect("no two candidates collide");
    assert_eq!(candidates.entries.len(), 40);
    let backlog = candidates.entry("mined-backlog").expect("backlog is a top candidate");
    assert!(backlog.strategic < 0.0 && backlog.roadmap < 0.0, "backlog leans to the PO side");
    assert!(candidates.entry("mined-strategy").is_some_and(|e| e.strategic > 0.0));
    assert!(candidates.entries.iter().any(|e| e.kind == jdclass::lexicon::Kind::Other), "other-role candidates");
    assert!(candidates.entries.iter().all(|e| e.provenance == jdclass::lexicon::Provenance::Mined
        && e.sources == ["labelled.jsonl"]
        && !e.why.is_empty()));
}

/// Lines that depend on the lexicon's content rather than on the seeds: its hash, and how
/// it already covers each candidate. They change whenever the lexicon is edited.
fn without_lexicon_lines(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("# lexicon: ") && !l.starts_with("# coverage: "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn mining_the_seeds_reproduces_the_committed_candidates() {
    let readme = std::fs::read_to_string("lexicon/README.md").unwrap();
    assert!(readme.contains(SEEDS_COMMAND), "lexicon/README.md must document `{SEEDS_COMMAND}`");
    if !Path::new(SEEDS).is_dir() {
        eprintln!("note: {SEEDS} is absent; not checking {SEEDS_CANDIDATES} against the seeds");
        return;
    }
    let args: Vec<&str> = SEEDS_COMMAND.split(' ').skip(1).take_while(|a| *a != "--output").collect();
    let out = jdclass().args(&args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mined = String::from_utf8(out.stdout).unwrap();
    let committed = std::fs::read_to_string(SEEDS_CANDIDATES).unwrap();
    assert_eq!(
        without_lexicon_lines(&mined),
        without_lexicon_lines(&committed),
        "{SEEDS_CANDIDATES} is stale: regenerate it with `{SEEDS_COMMAND}`"
    );
    Lexicon::parse(&committed, SEEDS_CANDIDATES).expect("the candidates load as a lexicon");
}

#[test]
fn no_long_run_of_a_seed_is_copied_into_the_lexicon_docs() {
    // The same rule as the repository's guard: no 12 consecutive words of a seed.
    const RUN: usize = 12;
    let Ok(dir) = std::fs::read_dir(SEEDS) else {
        eprintln!("note: {SEEDS} is absent; not checking for copied runs");
        return;
    };
    let words = |t: &str| -> Vec<String> {
        t.to_lowercase()
            .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '\''))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut runs = std::collections::HashSet::new();
    for f in dir {
        let w = words(&std::fs::read_to_string(f.unwrap().path()).unwrap_or_default());
        runs.extend(w.windows(RUN).map(|r| r.join(" ")));
    }
    for file in [SEEDS_CANDIDATES, "lexicon/README.md"] {
        let w = words(&std::fs::read_to_string(file).unwrap());
        let copied: Vec<String> = w.windows(RUN).map(|r| r.join(" ")).filter(|r| runs.contains(r)).collect();
        assert!(copied.is_empty(), "{file} copies runs of a seed: {copied:?}");
    }
}

#[test]
fn odd_inputs_never_panic() {
    let odd = [
        "",
        "|",
        "|\n|\n|",
        "| Product Manager |\n|---|\n| a | b | c | d |",
        "Product Owner |\n|\nx |\n|\n",
        "<table><tr><td>Product Manager</td><td>Product Owner</td></tr><tr><td>roadmap</td><td>backlog</td></tr></table>",
        "PM. PO. pm po. They. They they they.\n\n\n* \n- \n1. \n",
        "\u{feff}ÉQUIPE — Product Owner’s backlog… «vision» 🚀🚀 İstanbul ﬁle\u{2028}next",
        "&#xFFFFFFFF; &amp;&amp; <li><li><li> e.g. i.e. vs. etc. a. b. c.",
        "\0\u{1}\u{7f}\u{fffd}",
    ];
    let docs: Vec<Document> = odd.iter().enumerate().map(|(i, t)| doc(&format!("{i}.txt"), t)).collect();
    let options = MineOptions { min_count: 1, min_z: 0.0, ..MineOptions::default() };
    let lexicon = Lexicon::embedded();
    let mined = mine_articles(&docs, &lexicon, &options).unwrap();
    let matcher = Matcher::new(&lexicon).unwrap();
    let toml = jdclass::lexicon_tools::mine::render_toml(&mined, &lexicon, &matcher);
    Lexicon::parse(&toml, "odd.toml").expect("candidates from odd input still load");
    let corpus = Corpus { source: "odd".into(), documents: docs, ..Corpus::default() };
    let s = stats(&Classifier::embedded(), &corpus, &StatsOptions { top_gaps: 10, min_gap_postings: 1 });
    assert_eq!(s.postings, odd.len());
    for text in
        odd.iter().chain(&["[[entry]]", "[lexicon]\n[[entry]]\nid = 3", "entry = 5", "[[entry]]\nphrases = [\"x\"]"])
    {
        let _ = check(text, "odd.toml", None, Some(&corpus)).unwrap();
    }
}
