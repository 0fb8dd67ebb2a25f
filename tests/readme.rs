//! The README's samples are the program's output: every ```text block that starts with
//! a `$ jdclass …` line is run (from the repository root, with the real binary) and
//! must match what follows the command, exactly. When the program changes on purpose,
//! regenerate them with `JDCLASS_BLESS=1 cargo test --test readme`.

use assert_cmd::Command;

const README: &str = "README.md";
/// The prompt that marks a generated sample's command line.
const PROMPT: &str = "$ jdclass ";

/// One sample: where its output lines sit in the README, its arguments, its output.
struct Sample {
    /// Line index of the `$ jdclass` line.
    command_line: usize,
    /// Line index of the closing fence.
    end: usize,
    args: Vec<String>,
    shown: String,
}

fn samples(readme: &str) -> Vec<Sample> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_end() == "```text" && lines.get(i + 1).is_some_and(|l| l.starts_with(PROMPT)) {
            let command_line = i + 1;
            let end = (command_line + 1..lines.len()).find(|&j| lines[j].trim_end() == "```").expect("closed fence");
            let args = lines[command_line][PROMPT.len()..].split_whitespace().map(String::from).collect();
            let shown = lines[command_line + 1..end].iter().map(|l| format!("{l}\n")).collect();
            out.push(Sample { command_line, end, args, shown });
            i = end;
        }
        i += 1;
    }
    out
}

fn run(args: &[String]) -> String {
    let out = Command::cargo_bin("jdclass")
        .unwrap()
        .args(args)
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100")
        .output()
        .expect("jdclass runs");
    assert!(out.status.code().is_some_and(|c| c <= 1), "jdclass {} failed: {:?}", args.join(" "), out);
    // The README shows output lines as they are; trailing spaces would not survive editors.
    String::from_utf8(out.stdout).unwrap().lines().map(|l| format!("{}\n", l.trim_end())).collect()
}

#[test]
fn readme_samples_are_the_programs_output() {
    let readme = std::fs::read_to_string(README).unwrap();
    let found = samples(&readme);
    assert!(found.len() >= 3, "the README has its samples (found {})", found.len());
    let bless = std::env::var_os("JDCLASS_BLESS").is_some();
    let mut lines: Vec<String> = readme.lines().map(String::from).collect();
    let mut stale = Vec::new();
    // From the last sample up, so earlier line numbers stay valid while rewriting.
    for s in found.iter().rev() {
        let actual = run(&s.args);
        if actual != s.shown {
            stale.push(format!("jdclass {}", s.args.join(" ")));
            let new: Vec<String> = actual.lines().map(String::from).collect();
            lines.splice(s.command_line + 1..s.end, new);
        }
    }
    if bless {
        std::fs::write(README, lines.join("\n") + "\n").unwrap();
        return;
    }
    assert!(
        stale.is_empty(),
        "README samples no longer match the program: {stale:?}; regenerate them with \
         `JDCLASS_BLESS=1 cargo test --test readme` and review the diff"
    );
}

#[test]
fn samples_are_found_and_parsed() {
    let readme = "intro\n```text\n$ jdclass a.txt --top 3\nline 1\n\nline 2\n```\n```text\nnot a sample\n```\n";
    let s = samples(readme);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].args, ["a.txt", "--top", "3"]);
    assert_eq!(s[0].shown, "line 1\n\nline 2\n");
    assert_eq!((s[0].command_line, s[0].end), (2, 6));
}
