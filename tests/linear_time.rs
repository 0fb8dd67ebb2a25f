//! Every path is linear in its input: the shapes an attack found to be quadratic or worse
//! (issue 9) are generated at two sizes, and the larger, four times the smaller, must not
//! take more than `MAX_RATIO` times as long. Linear code gives about 4; the quadratic
//! versions gave 16 and more. Time is the thread's CPU time (not wall-clock time, which
//! other processes on a busy machine inflate at random), the best of a few runs, and the
//! timed sections run one at a time; nothing races a wall clock.

use jdclass::check::{check, MIN_TRIES, SEARCH_WORK_BYTES};
use jdclass::lexicon::Lexicon;
use jdclass::{Classifier, Label};
use std::sync::Mutex;
use std::time::Duration;

/// Allowed growth of the time when the input grows 4×: linear is ~4, quadratic 16.
const MAX_RATIO: f64 = 8.0;
/// Runs per size; the fastest counts.
const RUNS: usize = 3;
/// The larger size of each shape: 1 MiB, the size the issue asks for.
const LARGE: usize = 1 << 20;

fn classifier() -> &'static Classifier {
    static C: std::sync::OnceLock<Classifier> = std::sync::OnceLock::new();
    C.get_or_init(Classifier::embedded)
}

/// `unit` repeated to about `bytes`, after `head`.
fn shape(head: &str, unit: &str, bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + unit.len() + head.len());
    s.push_str(head);
    while s.len() < bytes {
        s.push_str(unit);
    }
    s
}

/// CPU time used by the calling thread so far.
#[cfg(unix)]
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

#[cfg(not(unix))]
fn thread_cpu_time() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

/// Timed sections run one at a time, so tests do not compete for the cores.
static TIMING: Mutex<()> = Mutex::new(());

fn best_of(mut run: impl FnMut()) -> Duration {
    let _one_at_a_time = TIMING.lock().unwrap_or_else(|e| e.into_inner());
    (0..RUNS)
        .map(|_| {
            let t = thread_cpu_time();
            run();
            thread_cpu_time() - t
        })
        .min()
        .unwrap_or_default()
}

/// Time `work` on inputs of `LARGE / 4` and `LARGE` bytes made by `make`; fail when the
/// larger takes more than MAX_RATIO times as long.
fn assert_linear(what: &str, make: impl Fn(usize) -> String, work: impl Fn(&str)) {
    let (small, large) = (make(LARGE / 4), make(LARGE));
    work(&small); // warm-up: first-touch allocations
    let ts = best_of(|| work(&small));
    let tl = best_of(|| work(&large));
    // Below a millisecond the timer's grain dominates: compare against at least that.
    let ratio = tl.as_secs_f64() / ts.as_secs_f64().max(1e-3);
    assert!(
        ratio < MAX_RATIO,
        "{what}: {} bytes took {tl:?}, {} bytes {ts:?}: {ratio:.1}× for 4× the input (linear ≈ 4×)",
        large.len(),
        small.len()
    );
}

fn classify(text: &str) {
    let v = classifier().classify(text);
    assert!(v.confidence.is_finite());
}

fn brief(text: &str) {
    let mut scratch = jdclass::classify::Scratch::new();
    let b = classifier().classify_brief(text, &mut scratch, 5);
    assert!(b.confidence.is_finite());
}

#[test]
fn role_names_and_duties_in_one_long_sentence() {
    let make = |n| shape("", "product manager owns the roadmap ", n);
    assert_linear("role names + duties, no punctuation", make, classify);
    assert_linear("role names + duties, no punctuation (brief)", make, brief);
    // Relative clauses and possessives, the attribution rules' own shapes.
    let make = |n| shape("", "the product owner's backlog and product owners who manage the backlog ", n);
    assert_linear("possessives and relative clauses", make, classify);
}

#[test]
fn many_hits_in_one_unpunctuated_sentence() {
    assert_linear("roadmap backlog ...", |n| shape("", "roadmap backlog ", n), classify);
    // Passive agents: "… by" with no role name after it.
    assert_linear("roadmap set by ...", |n| shape("", "roadmap set by ", n), classify);
}

#[test]
fn colons_without_a_space_in_a_long_line() {
    assert_linear("a:a:a:...", |n| shape("", "a:", n), classify);
    assert_linear("a,:,:,:...", |n| shape("a", ",:", n), classify);
    assert_linear("lead-in ending in a period", |n| shape("benefits", ".:", n), classify);
    assert_linear("headings", |n| shape("", "benefits:roadmap:", n), classify);
}

#[test]
fn unterminated_html_comments() {
    assert_linear("<!--<!--...", |n| shape("<p>", "<!--", n), classify);
    // The "-->" at the end closes the one comment opened within the last 64 KiB
    // (MAX_COMMENT_LEN), which is skipped, not read: add that tail to both sizes so the
    // text read grows 4× (without it, 192 KB against 960 KB: 5× for linear code).
    const COMMENT_TAIL: usize = 64 * 1024;
    assert_linear("<!-- x <!-- ... -->", |n| shape("<p>", "<!-- roadmap ", n + COMMENT_TAIL) + "-->", classify);
    // Tags that never close ("<a<a<a…"): each '<' must not rescan the tag window.
    assert_linear("<a<a<a...", |n| shape("<p>", "<a", n), classify);
}

#[test]
fn the_slow_shapes_keep_their_verdicts() {
    // The shapes still read as before: linear time changed no rule.
    let v = classifier().classify(&shape("", "product manager owns the roadmap ", 64 * 1024));
    assert_eq!(v.label, Label::Pm, "{}", v.reason);
    let v = classifier().classify(&shape("", "roadmap backlog ", 64 * 1024));
    assert!(v.hits > 1000);
}

#[test]
fn check_on_a_1_mb_posting_is_bounded() {
    // PM duties under an intended PO: the search has work to do.
    let text = shape("Product Owner\n", "Set the product vision and own the roadmap. Run market research. ", LARGE);
    let r = check(classifier(), &text, Label::Po);
    assert!(!r.consistent);
    assert!(r.search_cut_short, "a 1 MB posting exhausts the search budget");
    // The budget's tries for the search, plus the verification.
    let budget = (SEARCH_WORK_BYTES / text.len()).max(MIN_TRIES);
    assert!(r.tries <= budget + 1 && budget <= MIN_TRIES, "{} tries", r.tries);
    // An ordinary posting gets the full search.
    let small = "Product Owner\nSet the product vision and own the product roadmap.\nRun market research.\n";
    let r = check(classifier(), small, Label::Po);
    assert!(!r.search_cut_short && r.flips, "{:?}", r.changes);
}

/// A lexicon of `n` entries, each with its own phrase "termNNN".
fn big_lexicon(n: usize) -> String {
    let mut s = String::from("[lexicon]\nname = \"big\"\nversion = \"1\"\n");
    for i in 0..n {
        s.push_str(&format!("[[entry]]\nid = \"t{i}\"\nphrases = [\"term{i} word\"]\nroadmap = 0.5\n"));
    }
    s
}

#[test]
fn many_distinct_entries_hit_cost_linear_time() {
    // One lexicon for both sizes: the automaton is the same, so the memory hierarchy
    // treats both runs alike (two lexicons of 4k and 16k entries put the larger one out
    // of cache and gave 8× on a busy machine with linear code). Only the number of
    // distinct entries hit grows, which is what the quadratic version was quadratic in.
    // Measured on an idle machine: 4.0× for the shipped code. A plain linear search of
    // the per-entry totals (the quadratic) shows only 5.8× here, because the
    // lexicon cap (`MAX_ENTRIES`) bounds it to ~40 ms a posting. A quadratic step
    // costing about 10 ns or more per pair of hits (any real work per pair) crosses 8×.
    const ENTRIES: usize = 16_000;
    let c = Classifier::new(Lexicon::parse(&big_lexicon(ENTRIES), "big.toml").unwrap()).unwrap();
    let time_for = |n: usize| {
        let text: String = (0..n).map(|i| format!("Own term{i} word.\n")).collect();
        let v = c.classify(&text);
        assert_eq!(v.hits, n);
        best_of(|| {
            c.classify(&text);
        })
    };
    let (ts, tl) = (time_for(ENTRIES / 4), time_for(ENTRIES));
    let ratio = tl.as_secs_f64() / ts.as_secs_f64().max(1e-3);
    assert!(ratio < MAX_RATIO, "4k entries hit: {ts:?}, 16k: {tl:?} ({ratio:.1}×)");
}

#[test]
fn lexicon_check_is_linear_in_the_file() {
    let time_for = |n: usize| {
        let text = big_lexicon(n);
        best_of(|| {
            let r = jdclass::lexicon_tools::check::check(&text, "big.toml", None, None).unwrap();
            assert_eq!(r.entries, n);
        })
    };
    let (ts, tl) = (time_for(1_000), time_for(4_000));
    let ratio = tl.as_secs_f64() / ts.as_secs_f64().max(1e-3);
    assert!(ratio < MAX_RATIO, "lexicon check, 1k entries: {ts:?}, 4k: {tl:?} ({ratio:.1}×)");
}

#[test]
fn lexicon_limits_are_enforced_with_clear_errors() {
    use jdclass::lexicon::{MAX_ENTRIES, MAX_LEXICON_BYTES, MAX_PHRASE_BYTES};
    let head = "[lexicon]\nname = \"t\"\nversion = \"1\"\n";
    // A phrase of 10 MB is refused by the file cap; one just over the phrase cap by its own.
    let long = "x".repeat(MAX_PHRASE_BYTES + 1);
    let e = Lexicon::parse(&format!("{head}[[entry]]\nid = \"a\"\nphrases = [\"{long}\"]\nroadmap = 1\n"), "t.toml")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("t.toml:4: entry 'a': phrase \"xxx") && e.contains("at most 200 bytes"), "{e}");
    let huge = format!("{head}# {}\n", "x".repeat(MAX_LEXICON_BYTES));
    let e = Lexicon::parse(&huge, "t.toml").unwrap_err().to_string();
    assert!(e.starts_with("t.toml: the file is over 8 MiB"), "{e}");
    let e = Lexicon::parse(&big_lexicon(MAX_ENTRIES + 1), "big.toml").unwrap_err().to_string();
    assert!(e.contains("20001 entries; a lexicon holds at most 20000"), "{e}");
    // A weight too small to have an effect is named as such, not as zero.
    let e = Lexicon::parse(&format!("{head}[[entry]]\nid = \"a\"\nphrases = [\"x\"]\nroadmap = 1e-50\n"), "t.toml")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("roadmap = 0.00000000000000000000000000000000000000000000000001 is too small")
            || e.contains("is too small to have an effect"),
        "{e}"
    );
}

#[test]
fn the_largest_lexicon_allowed_loads_in_bounded_memory_and_time() {
    // MAX_ENTRIES entries (the ~15 s, gigabyte case was 100k): the automaton switches
    // to the compact NFA past the DFA's size, so this stays small. The bound is loose;
    // the point is that it completes here at all.
    let c = Classifier::new(Lexicon::parse(&big_lexicon(jdclass::lexicon::MAX_ENTRIES), "big.toml").unwrap()).unwrap();
    let v = c.classify("Own term19999 word and term7 word.");
    assert_eq!(v.hits, 2);
}
