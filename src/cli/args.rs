//! The command line before clap sees it. Two conveniences need a look at the raw
//! arguments:
//!
//! - **Options before the subcommand.** `jdclass --threads 2 scan x.jsonl` is
//!   `jdclass scan --threads 2 x.jsonl`: options found before the subcommand's name are
//!   moved after it, so each subcommand declares exactly the options that mean
//!   something to it, and clap rejects the others with its usual message.
//! - **The default subcommand.** `jdclass FILE...` (or `jdclass` with a posting piped
//!   in) is `jdclass classify FILE...` — unless the first word is not a file but looks
//!   like a misspelt subcommand (`jdclass scna p.txt`): then clap answers it, with its
//!   "a similar subcommand exists" tip.

use std::ffi::OsString;
use std::path::Path;

/// The subcommand `jdclass FILE...` runs.
pub const DEFAULT_SUBCOMMAND: &str = "classify";
/// A word this close to a subcommand's name (in edits), that names no file, is a typo.
const TYPO_DISTANCE: usize = 2;

/// The options (long `--name` and short `-x` spellings) that take a value somewhere in
/// `cmd`'s tree, so their values are not mistaken for the subcommand's name.
fn value_options(cmd: &clap::Command, into: &mut Vec<String>) {
    for arg in cmd.get_arguments() {
        if arg.get_action().takes_values() && !arg.is_positional() {
            into.extend(arg.get_long().map(|l| format!("--{l}")));
            into.extend(arg.get_short().map(|s| format!("-{s}")));
        }
    }
    for sub in cmd.get_subcommands() {
        value_options(sub, into);
    }
}

/// Every name (and alias) a top-level subcommand answers to, `help` included.
fn subcommand_names(cmd: &clap::Command) -> Vec<String> {
    let mut names = vec!["help".to_string()];
    for sub in cmd.get_subcommands() {
        names.push(sub.get_name().to_string());
        names.extend(sub.get_all_aliases().map(String::from));
    }
    names
}

/// Rewrite `argv` (program name first) into the explicit grammar clap parses:
/// `jdclass SUBCOMMAND [OPTIONS] [ARGS]`.
pub fn rewrite(cmd: &clap::Command, argv: Vec<OsString>) -> Vec<OsString> {
    let mut takes_value = Vec::new();
    value_options(cmd, &mut takes_value);
    let names = subcommand_names(cmd);
    let Some((program, rest)) = argv.split_first() else { return argv };

    // Leading options, with their values.
    let mut i = 0;
    while i < rest.len() {
        let t = rest[i].to_string_lossy();
        if t == "--" || t == "-" || !t.starts_with('-') {
            break;
        }
        let separate_value = !t.contains('=') && takes_value.iter().any(|o| *o == t);
        i += if separate_value { 2 } else { 1 };
    }
    let (leading, tail) = rest.split_at(i.min(rest.len()));
    let first = tail.first().map(|f| f.to_string_lossy().into_owned());

    let mut out = vec![program.clone()];
    match first.as_deref() {
        Some(word) if names.iter().any(|n| n == word) => {
            out.push(tail[0].clone());
            out.extend_from_slice(leading);
            out.extend_from_slice(&tail[1..]);
        }
        Some(word) if is_typo(word, &names) => {
            // Let clap say "unrecognized subcommand … a similar subcommand exists".
            out.extend_from_slice(tail);
            out.extend_from_slice(leading);
        }
        None if !leading.is_empty()
            && leading.iter().all(|o| matches!(o.to_str(), Some("-h" | "--help" | "-V" | "--version"))) =>
        {
            out.extend_from_slice(leading); // `jdclass --help`, `jdclass --version`
        }
        _ => {
            out.push(DEFAULT_SUBCOMMAND.into());
            out.extend_from_slice(leading);
            out.extend_from_slice(tail);
        }
    }
    out
}

/// A word that names no file but is within [`TYPO_DISTANCE`] edits of a subcommand.
fn is_typo(word: &str, names: &[String]) -> bool {
    let plain = word.len() > 1
        && word.starts_with(|c: char| c.is_ascii_alphabetic())
        && word.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-');
    plain && !Path::new(word).exists() && names.iter().any(|n| edit_distance(word, n) <= TYPO_DISTANCE)
}

/// Levenshtein distance (with transpositions counted as one edit), over bytes.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev2: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(args: &[&str]) -> Vec<String> {
        let argv = std::iter::once("jdclass").chain(args.iter().copied()).map(OsString::from).collect();
        rewrite(&super::super::command(), argv).into_iter().skip(1).map(|s| s.into_string().unwrap()).collect()
    }

    #[test]
    fn options_before_the_subcommand_move_after_it() {
        assert_eq!(rw(&["--threads", "2", "scan", "x.jsonl"]), ["scan", "--threads", "2", "x.jsonl"]);
        assert_eq!(rw(&["--color=never", "-q", "check", "p.txt"]), ["check", "--color=never", "-q", "p.txt"]);
        assert_eq!(rw(&["--lexicon", "scan", "eval", "x"]), ["eval", "--lexicon", "scan", "x"]);
    }

    #[test]
    fn files_and_stdin_go_to_the_default_subcommand() {
        assert_eq!(rw(&["p.txt"]), ["classify", "p.txt"]);
        assert_eq!(rw(&["--format", "json", "-"]), ["classify", "--format", "json", "-"]);
        assert_eq!(rw(&[]), ["classify"]);
        assert_eq!(rw(&["--top", "3"]), ["classify", "--top", "3"]);
        assert_eq!(rw(&["--", "scan"]), ["classify", "--", "scan"]);
        assert_eq!(rw(&["--help"]), ["--help"]);
        assert_eq!(rw(&["-V"]), ["-V"]);
        assert_eq!(rw(&["nonexistent-posting.txt"]), ["classify", "nonexistent-posting.txt"]);
    }

    #[test]
    fn typos_are_left_to_clap() {
        assert_eq!(rw(&["--threads", "2", "scna", "p.txt"]), ["scna", "p.txt", "--threads", "2"]);
        assert_eq!(rw(&["chek"]), ["chek"]);
        assert_eq!(rw(&["postings"]), ["classify", "postings"]);
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("scna", "scan"), 1);
        assert_eq!(edit_distance("chekc", "check"), 1);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn an_option_takes_a_value_everywhere_or_nowhere() {
        // The rewrite decides from the name alone whether the next word is a value.
        fn walk(cmd: &clap::Command, seen: &mut Vec<(String, bool, String)>) {
            for a in cmd.get_arguments().filter(|a| !a.is_positional()) {
                let names =
                    a.get_long().map(|l| format!("--{l}")).into_iter().chain(a.get_short().map(|s| format!("-{s}")));
                for n in names {
                    let takes = a.get_action().takes_values();
                    if let Some((_, t, at)) = seen.iter().find(|(m, _, _)| *m == n) {
                        assert_eq!(*t, takes, "{n} in {} and {at}", cmd.get_name());
                    }
                    seen.push((n, takes, cmd.get_name().to_string()));
                }
            }
            for s in cmd.get_subcommands() {
                walk(s, seen);
            }
        }
        let mut cmd = super::super::command();
        cmd.build();
        walk(&cmd, &mut Vec::new());
    }
}
