//! Duty-level reading: expert readers decide from the hire's own duties, not from word
//! totals, so a posting is also read as a list of **statements** (bullets, sentences,
//! clauses of a run-on line), each given a kind from the phrases inside it.
//!
//! 1. [`split`] cuts the normalised text into statements at line breaks, sentence ends,
//!    semicolons and `": "`; a statement longer than [`MAX_STATEMENT_WORDS`] (a list
//!    flattened by scraping) is cut again at commas into pieces of at least
//!    [`MIN_PIECE_WORDS`] words.
//!    A strategic artefact turned into backlog work in the same statement ("translate
//!    the roadmap into a backlog") is the hire's source, not its own: a contribution.
//! 2. [`third_party`] finds statements whose subject is another person or team ("the
//!    Head of Digital owns the roadmap", "our engineering leads run the sprints"): their
//!    phrases are another role's duties, not the hire's, up to a clause about the hire.
//!    A role name after an opening phrase can be that subject too ("in this team the
//!    product owner keeps the backlog").
//! 3. [`tally`] gives each statement that stands where the hire's duties and
//!    requirements stand (not a company blurb, benefits or a company-voice sentence) a
//!    kind — PM, PO, another role's work (with its [`Profile`]) or neutral — from the
//!    counted hits inside it, and counts them in a [`DutySummary`] that the label rule
//!    in [`crate::score::decide`] reads. A word two roles share ("positioning" is
//!    product marketing's as much as a PM's: the entry's `shared_with`) reads as the
//!    other role's work in a statement that also carries that role's own phrases
//!    ("positioning and messaging for launches").

use crate::context::{Effect, Layout, Reading, Section};
use crate::leaders;
use crate::lexicon::{Kind, Lexicon, Profile};
use crate::matcher::Hit;
use crate::score::{effective_weights, section_weight};
use crate::wordset::WordSet;
use serde::Serialize;
use std::sync::LazyLock;

/// A statement longer than this many words is a flattened list, cut again at commas.
pub const MAX_STATEMENT_WORDS: usize = 35;
/// Pieces cut from a long statement keep at least this many words, so "pricing,
/// packaging and positioning" stays one duty.
pub const MIN_PIECE_WORDS: usize = 8;
/// A statement is a duty of a side when the side's weight (phrase weight × section
/// multiplier, summed) reaches this: one clear phrase among the duties ("pricing",
/// 0.8), two weak ones ("stakeholders" and "cross-functional"), or a strong one among
/// the requirements (0.6); a lone weak word is not a duty.
pub const DUTY_MIN_WEIGHT: f64 = 0.5;
/// A PM-side phrase this strategic is a substantial strategic duty by itself.
pub const STRATEGIC_MIN_WEIGHT: f64 = 0.7;
/// Words from a statement's start searched for the verb after a third-party subject.
const SUBJECT_REACH: usize = 6;

/// Verbs that, after a subject, give it a duty ("the head of digital **owns** …").
const DUTY_VERBS: &[&str] = &[
    "owns",
    "own",
    "sets",
    "set",
    "defines",
    "define",
    "decides",
    "decide",
    "runs",
    "run",
    "manages",
    "manage",
    "drives",
    "drive",
    "handles",
    "handle",
    "maintains",
    "maintain",
    "keeps",
    "keep",
    "prioritizes",
    "prioritize",
    "prioritises",
    "prioritise",
    "writes",
    "write",
    "holds",
    "hold",
    "controls",
    "control",
    "leads",
    "shapes",
    "shape",
    "will",
    "is",
    "are",
    "takes",
    "take",
    "looks",
    "look",
];
/// Nouns naming a person or group other than the hire when they head a subject.
const PEOPLE: &[&str] = &[
    "head",
    "heads",
    "director",
    "directors",
    "vp",
    "vps",
    "chief",
    "cpo",
    "cto",
    "ceo",
    "coo",
    "cmo",
    "founder",
    "founders",
    "cofounder",
    "lead",
    "leads",
    "leadership",
    "management",
    "executive",
    "executives",
    "engineers",
    "engineer",
    "designers",
    "designer",
    "team",
    "teams",
    "squad",
    "squads",
    "officer",
    "sponsor",
    "sponsors",
    "committee",
    "board",
    "architect",
    "architects",
    "analysts",
    "analyst",
    "colleagues",
    "partner",
    "partners",
    "business",
    "stakeholders",
    "department",
    "organization",
    "organisation",
    "group",
    "function",
    "leaders",
];
/// Words that make a subject the hire (or the role) after all.
const HIRE_WORDS: &[&str] = &[
    "you",
    "you'll",
    "you're",
    "i",
    "[role]",
    "role",
    "position",
    "candidate",
    "hire",
    "person",
    "incumbent",
    "jobholder",
    "yourself",
];
/// Words that open a subject naming someone else.
const DETERMINERS: &[&str] = &["the", "our", "your", "their", "each", "every", "a", "an", "its", "his", "her"];

/// The word lists above as sets, for the words of every statement (see
/// [`crate::wordset`]).
static DUTY_VERB_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(DUTY_VERBS));
static PEOPLE_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(PEOPLE));
static HIRE_WORD_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(HIRE_WORDS));
static DETERMINER_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(DETERMINERS));

/// What a statement is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DutyKind {
    /// Strategic, market-facing work (roadmap, vision, market, pricing…).
    Pm,
    /// Tactical, team-facing work (backlog, stories, sprints…).
    Po,
    /// Another role's work (marketing, delivery, scrum master, analysis…).
    Other,
    /// Product words too weak to decide.
    Neutral,
}

/// One statement of the posting, by normalised byte range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Statement {
    /// Start byte in the normalised text.
    pub start: u32,
    /// End byte (exclusive) in the normalised text.
    pub end: u32,
    /// The statement's hits: `hits[first_hit..end_hit]`.
    pub first_hit: u32,
    /// One past its last hit.
    pub end_hit: u32,
    /// The byte range of a third-party subject, when the statement gives its duties
    /// to someone else.
    pub subject: Option<(u32, u32)>,
    /// Whether it stands where the hire's duties and requirements stand.
    pub hire: bool,
    /// PM-side weight of its counted hits.
    pub pm: f64,
    /// PO-side weight.
    pub po: f64,
    /// Non-product weight.
    pub other: f64,
    /// Whether a backlog/sprint anchor ("user stories", "sprint planning") counts in it.
    pub backlog: bool,
    /// Whether a substantial strategic phrase counts in it: a PM-side anchor the hire
    /// owns ("define the roadmap", "set the product vision": the rubric's hybrid owns
    /// both sides, and a PO keeps a backlog "in line with" a vision someone else owns)
    /// or another phrase of strategic weight at least [`STRATEGIC_MIN_WEIGHT`]
    /// ("market research", "pricing").
    pub strategic: bool,
    /// Whether an anchor or `builds` phrase counts in it (see [`DutySummary::builds`]).
    pub builds: bool,
    /// The profile with the most non-product weight in it.
    pub profile: Option<Profile>,
    /// Its kind (meaningful when `hire`).
    pub kind: DutyKind,
}

/// Counts of the hire's duties by kind: what the label rule reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
pub struct DutySummary {
    /// The hire's statements that carry any counted phrase.
    pub total: u32,
    /// Strategic, market-facing duties.
    pub pm: u32,
    /// Of the PM duties, those with a substantial strategic phrase.
    pub pm_strategic: u32,
    /// Tactical, team-facing duties.
    pub po: u32,
    /// Of the PO duties, those that own backlog or sprint work (an anchor phrase).
    pub po_backlog: u32,
    /// The duties that decide what gets built: every PO duty (team-facing product
    /// work), the PM duties that carry an anchor or a `builds` phrase (features,
    /// requirements, releases), not only the business words product marketing,
    /// business analysis and programme roles share, and the statements too weak to
    /// take a side whose build phrase an ownership verb governs ("decide which product
    /// improvements we make").
    pub builds: u32,
    /// Another role's duties.
    pub other: u32,
    /// Too weak to decide.
    pub neutral: u32,
    /// Other-role duties per profile, most first.
    pub profiles: Vec<(Profile, u32)>,
}

impl DutySummary {
    /// The profile with the most duties, if any.
    pub fn top_profile(&self) -> Option<(Profile, u32)> {
        self.profiles.first().copied()
    }

    /// "9 duties: 4 PM, 3 PO, 2 project delivery" — the summary in words.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.pm > 0 {
            parts.push(format!("{} PM", self.pm));
        }
        if self.po > 0 {
            parts.push(format!("{} PO", self.po));
        }
        for (p, n) in &self.profiles {
            parts.push(format!("{n} {}", p.describe()));
        }
        let unprofiled = self.other - self.profiles.iter().map(|(_, n)| n).sum::<u32>();
        if unprofiled > 0 {
            parts.push(format!("{unprofiled} other-role"));
        }
        if self.neutral > 0 {
            parts.push(format!("{} neutral", self.neutral));
        }
        let s = if self.total == 1 { "" } else { "s" };
        if parts.is_empty() {
            format!("{} duties", self.total)
        } else {
            format!("{} dut{}: {}", self.total, if s.is_empty() { "y" } else { "ies" }, parts.join(", "))
        }
    }
}

/// Words are read as the context rules read them.
use crate::context::{is_word_char as is_word_byte, word_ranges};

/// Cut normalised `text` into statements, appending `(start, end)` byte ranges to
/// `out` (cleared first). One pass over the text; word counts come from its word list.
pub fn split(text: &str, out: &mut Vec<(u32, u32)>) {
    let mut tokens = crate::tokens::Tokens::new();
    tokens.split(text);
    split_with(text, &tokens, out);
}

/// [`split`] with the text's words already split (as [`crate::context::Layout::words`]
/// holds them).
fn split_with(text: &str, words: &crate::tokens::Tokens, out: &mut Vec<(u32, u32)>) {
    out.clear();
    let b = text.as_bytes();
    let mut start = 0;
    // Whether a word starts in `start..i`, by the word index. (No word straddles
    // `start`: the byte before it is a separator, never part of a word.)
    let has_word = |start: usize, i: usize| words.starting_before(i) > words.starting_before(start);
    // The bytes that may end a statement, found 64 at a time.
    let may_end = |c: u8| matches!(c, b'\n' | b';' | b'.' | b'!' | b'?' | b':' | b'-');
    for i in crate::tokens::positions(b, may_end) {
        let c = b[i];
        let ends = match c {
            b'\n' | b';' => true,
            // A list dash glued to the end of the item before it ("…prototypes.- Scope
            // and…", "of:- B2B- SaaS") is a bullet whose line break was lost.
            b'.' | b'!' | b'?' | b':' => b.get(i + 1).is_none_or(|n| matches!(n, b' ' | b'\n' | b'-')),
            b'-' => i > 0 && is_word_byte(b[i - 1]) && b.get(i + 1) == Some(&b' '),
            _ => false,
        };
        if ends {
            if has_word(start, i) {
                cut_long(b, words, start, i, out);
            }
            // A glued list dash belongs to neither side.
            start = i + 1 + usize::from(c != b'-' && b.get(i + 1) == Some(&b'-'));
        }
    }
    if has_word(start, b.len()) {
        cut_long(b, words, start, b.len(), out);
    }
}

/// Append `b[s..e]`, cut at commas into pieces of at least [`MIN_PIECE_WORDS`] words
/// when it is longer than [`MAX_STATEMENT_WORDS`]. `tokens` are the text's words: a
/// statement starts after a separator, so its words are the tokens starting in it, and
/// counting them is two lookups in the list's index, not a walk over its bytes.
fn cut_long(b: &[u8], all: &crate::tokens::Tokens, s: usize, e: usize, out: &mut Vec<(u32, u32)>) {
    let tokens = all.context();
    // Fast paths: too few bytes for too many words (a word and its separator take at
    // least two bytes), too few words, or no comma to cut at.
    let first = all.starting_before(s);
    let words = all.starting_before(e) - first;
    if (e - s).div_ceil(2) <= MAX_STATEMENT_WORDS
        || words <= MAX_STATEMENT_WORDS
        || memchr::memchr(b',', &b[s..e]).is_none()
    {
        out.push((s as u32, e as u32));
        return;
    }
    let statement = &tokens[first..first + words];
    let mut next = 0; // the first word not yet counted into a piece
    let mut piece_start = s;
    let mut piece_words = 0;
    let mut cuts: Vec<usize> = Vec::new();
    for comma in memchr::memchr_iter(b',', &b[s..e]).map(|p| s + p) {
        let upto = next + statement[next..].partition_point(|&(t, _)| (t as usize) < comma);
        piece_words += upto - next;
        next = upto;
        if piece_words >= MIN_PIECE_WORDS {
            cuts.push(comma);
            piece_words = 0;
        }
    }
    piece_words += statement.len() - next;
    // A last piece shorter than the minimum joins the one before it.
    if piece_words < MIN_PIECE_WORDS {
        cuts.pop();
    }
    for cut in cuts {
        out.push((piece_start as u32, cut as u32));
        piece_start = cut + 1;
    }
    out.push((piece_start as u32, e as u32));
}

/// Participles that, after "is"/"are"/"will be" and before "by", hand the artefact
/// named before them to the agent after "by": "the roadmap is owned by the head of
/// product".
const PASSIVE: &[&str] = &["owned", "set", "defined", "decided", "managed", "run", "led", "driven", "shaped", "held"];
/// Words an agent after "by" may span.
const AGENT_WORDS: usize = 6;

/// Who a statement gives its duties to, when that is not the hire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThirdParty {
    /// The other person or team, as a byte range ("the head of digital").
    pub subject: (u32, u32),
    /// The byte range whose phrases are theirs: after an active subject; with a passive,
    /// the whole statement up to a clause about the hire.
    pub span: (u32, u32),
}

/// Whether the statement `text[a..b]` gives its duties to someone other than the hire:
/// - an active subject naming other people, then a duty verb: "the head of digital
///   owns the roadmap", "our engineering leads will run the sprints";
/// - a passive with an agent: "the product roadmap is owned by the product manager";
/// - a role name as subject when the posting's title names a different role
///   (`other_role(start, end)` says whether a role name in that range differs from
///   the title's): "the checkout product manager decides what we build" in a
///   programme manager's posting. Without a title, a role-name subject is left to
///   the per-phrase attribution rules, since a posting often names its hire that way.
///
/// `words` are the statement's words, as the posting's word list holds them (the
/// statement starts and ends at separators, so none is cut).
pub fn third_party(
    text: &str,
    (a, b): (usize, usize),
    words: &[(u32, u32)],
    role_in: impl Fn(usize, usize) -> bool,
    other_role: impl Fn(usize, usize) -> bool,
) -> Option<ThirdParty> {
    let bytes = text.as_bytes();
    // Without the word "by" there is no passive, and the active reading needs only the
    // first words: most statements are then read without looking at all their words.
    // (A memchr for "b", not a memmem searcher: building one per statement costs more
    // than the search.)
    let has_by = memchr::memchr_iter(b'b', &bytes[a..b]).map(|p| a + p).any(|p| {
        p + 2 <= b
            && bytes[p + 1] == b'y'
            && (p == a || !is_word_byte(bytes[p - 1]))
            && (p + 2 == b || !is_word_byte(bytes[p + 2]))
    });
    let ws = if has_by { words } else { &words[..words.len().min(SUBJECT_REACH + 2)] };
    // Word `k`'s byte range.
    let at = |k: usize| (ws[k].0 as usize, ws[k].1 as usize);
    let word = |k: usize| &text[at(k).0..at(k).1];
    if ws.len() < 3 {
        return None;
    }
    // Passive: "… is owned by the product manager".
    for k in 1..ws.len().saturating_sub(2) {
        if matches!(word(k), "is" | "are" | "be") && PASSIVE.contains(&word(k + 1)) && word(k + 2) == "by" {
            let agent_end = at((k + 2 + AGENT_WORDS).min(ws.len() - 1)).1;
            let agent_end = (k + 3..ws.len().min(k + 3 + AGENT_WORDS))
                .find(|&j| matches!(word(j), "and" | "who" | "with" | "while" | "but"))
                .map_or(agent_end, |j| at(j - 1).1);
            if k + 3 < ws.len() {
                // What the agent does in the same statement is theirs too ("…, who sets
                // it each quarter"), up to a clause about the hire.
                let until = (k + 3..ws.len()).find(|&j| HIRE_WORD_SET.contains(word(j))).map_or(b, |j| at(j).0);
                return Some(ThirdParty {
                    subject: (at(k + 3).0 as u32, agent_end as u32),
                    span: (a as u32, until as u32),
                });
            }
        }
    }
    let opens = DETERMINER_SET.contains(word(0)) || PEOPLE_SET.contains(word(0));
    // Without an opening determiner or person, only a role name among the first words
    // can make the subject someone else: without one, skip the verb search.
    if !opens && !role_in(at(0).0, at(ws.len().min(SUBJECT_REACH) - 1).1) {
        return None;
    }
    // "leads" is a verb in "the cto leads…" but a noun in "our engineering leads run…".
    let noun_then_verb =
        |k: usize| PEOPLE_SET.contains(word(k)) && k + 1 < ws.len() && DUTY_VERB_SET.contains(word(k + 1));
    let verb = (1..ws.len().min(SUBJECT_REACH + 1)).find(|&k| DUTY_VERB_SET.contains(word(k)) && !noun_then_verb(k))?;
    // "Partner with engineering to drive the roadmap": an infinitive after an
    // imperative, not a subject's verb; the statement is the hire's.
    if word(verb - 1) == "to" {
        return None;
    }
    let subject = (at(0).0, at(verb - 1).1);
    let names_people = (0..verb).any(|k| PEOPLE_SET.contains(word(k)));
    let names_hire = (0..verb).any(|k| HIRE_WORD_SET.contains(word(k)));
    let gives_duty = gives_duty(word(verb), ws.get(verb + 1).map(|&(s, e)| &text[s as usize..e as usize]));
    let someone_else =
        if role_in(subject.0, subject.1) { other_role(subject.0, subject.1) } else { opens && names_people };
    (someone_else && !names_hire && gives_duty).then(|| ThirdParty {
        subject: (subject.0 as u32, subject.1 as u32),
        span: (subject.1 as u32, until_hire(text, subject.1, b) as u32),
    })
}

/// Whether a duty verb after a subject gives it a duty: "is"/"are" and "will" only when
/// followed by one ("will own", "is responsible for"), not in "the team is growing".
fn gives_duty(verb: &str, next: Option<&str>) -> bool {
    match verb {
        "is" | "are" => next.is_some_and(|w| matches!(w, "responsible" | "accountable")),
        "will" => next.is_some_and(|w| DUTY_VERB_SET.contains(w)),
        _ => true,
    }
}

/// Where a third party's span ends: at the first word about the hire after `from`
/// ("the product owner keeps the backlog while **you** set the roadmap"), else at `b`.
/// Only called once a third party is found, so most statements never walk this far.
fn until_hire(text: &str, from: usize, b: usize) -> usize {
    word_ranges(text.as_bytes(), from, b).find(|&(s, e)| HIRE_WORD_SET.contains(&text[s..e])).map_or(b, |(s, _)| s)
}

/// A role name other than the title's inside a statement, directly followed by a duty
/// verb: "in this internship the squad's own product owner keeps the backlog". What
/// follows the verb is that role's. ([`third_party`] reads subjects that open the
/// statement; this one finds a subject after an opening phrase.) `roles` are the
/// statement's role-name hits that name a role other than the title's.
fn role_subject(text: &str, (a, b): (usize, usize), roles: impl Iterator<Item = (usize, usize)>) -> Option<ThirdParty> {
    let bytes = text.as_bytes();
    for (s, e) in roles {
        let mut after = word_ranges(bytes, e, b);
        let Some((vs, ve)) = after.next() else { continue };
        // Only a space between the name and the verb: "product owner, runs" is a list.
        if !bytes[e..vs].iter().all(|c| *c == b' ') {
            continue;
        }
        let verb = &text[vs..ve];
        let gives_duty = DUTY_VERB_SET.contains(verb) && gives_duty(verb, after.next().map(|(x, y)| &text[x..y]));
        // "you and the product owner run the sprints" is shared work, not theirs alone.
        let hire_before = word_ranges(bytes, a, s).any(|(x, y)| HIRE_WORD_SET.contains(&text[x..y]));
        if gives_duty && !hire_before {
            return Some(ThirdParty {
                subject: (s as u32, e as u32),
                span: (vs as u32, until_hire(text, vs, b) as u32),
            });
        }
    }
    None
}

/// Build the statements of a posting from its hits and readings, marking the hits of
/// third-party statements as another role's (`readings` is updated in place).
pub fn read(
    text: &str,
    lexicon: &Lexicon,
    hits: &[Hit],
    layout: &Layout,
    readings: &mut [Reading],
    ranges: &mut Vec<(u32, u32)>,
    out: &mut Vec<Statement>,
) {
    debug_assert!(
        layout.tokens().last().is_none_or(|t| t.1 as usize <= text.len()),
        "the layout was built from another text"
    );
    split_with(text, layout.words(), ranges);
    let title_end = layout.title_end().unwrap_or(0);
    out.clear();
    let is_role = |h: &Hit| lexicon.entries[h.entry as usize].kind == Kind::Role;
    let role_of = |h: &Hit| lexicon.entries[h.entry as usize].role;
    // The role the title names, when it names exactly one.
    let mut title_roles =
        hits.iter().take_while(|h| (h.start as usize) < title_end).filter(|h| is_role(h)).map(role_of);
    let title_role = title_roles.next().flatten().filter(|r| title_roles.all(|o| o == Some(*r)));
    let tokens = layout.tokens();
    let mut k = 0;
    // The statement's words: no word straddles a statement's edge (a separator or a
    // comma), so the words starting in it are its words, counted by the word index.
    for &(a, b) in ranges.iter() {
        let (w, w_end) = (layout.words().starting_before(a as usize), layout.words().starting_before(b as usize));
        let words = &tokens[w..w_end];
        while k < hits.len() && hits[k].start < a {
            k += 1;
        }
        let first = k;
        let mut end = k;
        while end < hits.len() && hits[end].start < b {
            end += 1;
        }
        let roles_in = |s: usize, e: usize| {
            hits[first..end].iter().filter(move |h| is_role(h) && (h.start as usize) < e && (h.end as usize) > s)
        };
        let role_in = |s: usize, e: usize| roles_in(s, e).next().is_some();
        let other_role = |s: usize, e: usize| title_role.is_some_and(|t| roles_in(s, e).any(|h| role_of(h) != Some(t)));
        let duty_hits = hits[first..end].iter().any(|h| !is_role(h));
        let party = if duty_hits {
            third_party(text, (a as usize, b as usize), words, role_in, other_role).or_else(|| {
                let others = roles_in(a as usize, b as usize)
                    .map(|h| (h.start as usize, h.end as usize))
                    .filter(|&(s, e)| s > a as usize && other_role(s, e));
                role_subject(text, (a as usize, b as usize), others)
            })
        } else {
            None
        };
        if let Some(ThirdParty { span: (sa, sb), .. }) = party {
            for (h, r) in hits[first..end].iter().zip(&mut readings[first..end]) {
                if h.start >= sa
                    && h.end <= sb
                    && !is_role(h)
                    && matches!(r.effect, Effect::Counted | Effect::Contribution)
                {
                    r.effect = Effect::Attributed;
                }
            }
        }
        let word_at = |&(s, e): &(u32, u32)| &text[s as usize..e as usize];
        let opens_with_verb = || leaders::may_serve(text.as_bytes(), words.iter().map(|&(s, _)| s as usize));
        if let Some(how) = (duty_hits && party.is_none() && opens_with_verb())
            .then(|| leaders::serves_leader(words.iter().map(word_at)))
            .flatten()
        {
            // "Support the head of product in defining the roadmap", "partnering with
            // the director of product to drive and deliver on the product strategy": the
            // leader's strategy, which the hire works from.
            // The first verb of execution in the statement ("execute on", "implement"):
            // found once, so a long statement costs one pass however many hits it has.
            let cues = &lexicon.cues.contribution;
            let exec_at = (0..words.len()).find(|&i| cues.starts(words[i..].iter().map(word_at))).map(|i| words[i].0);
            for (h, r) in hits[first..end].iter().zip(&mut readings[first..end]) {
                let e = &lexicon.entries[h.entry as usize];
                if e.kind != Kind::Duty || !e.anchor || e.strategic.max(e.roadmap) <= 0.0 || r.effect != Effect::Counted
                {
                    continue;
                }
                if how == leaders::Support::Under || exec_at.is_some_and(|x| x < h.start) {
                    r.effect = Effect::Contribution;
                    r.owned = false;
                }
            }
        }
        let subject = party.map(|p| p.subject);
        translated(text, lexicon, &hits[first..end], &mut readings[first..end]);
        out.push(Statement {
            start: a,
            end: b,
            first_hit: first as u32,
            end_hit: end as u32,
            subject,
            hire: false,
            pm: 0.0,
            po: 0.0,
            other: 0.0,
            backlog: false,
            builds: false,
            strategic: false,
            profile: None,
            kind: DutyKind::Neutral,
        });
        k = end;
    }
}

/// "Translate the roadmap into a prioritised backlog", "turn the vision into user
/// stories": a strategic artefact turned *into* backlog work is the source the hire
/// works from, not one it owns, so it counts as a contribution (tactical) unless an
/// ownership verb governs it ("define the roadmap and break it into epics").
fn translated(text: &str, lexicon: &Lexicon, hits: &[Hit], readings: &mut [Reading]) {
    let anchor_side = |h: &Hit| {
        let e = &lexicon.entries[h.entry as usize];
        (e.kind == Kind::Duty && e.anchor).then_some(e.strategic.max(e.roadmap) > 0.0)
    };
    let Some(last_po) = hits.iter().rposition(|h| anchor_side(h) == Some(false)) else { return };
    // One search for the last "into" before the last backlog anchor: a strategic anchor
    // ending before it is turned into that work (linear, however many hits).
    let from = hits[0].start as usize;
    let Some(into) = text[from..hits[last_po].start as usize].rfind("into ").map(|p| from + p) else { return };
    for k in 0..last_po {
        if anchor_side(&hits[k]) != Some(true) || readings[k].effect != Effect::Counted || readings[k].owned {
            continue;
        }
        let at_word = into == 0 || !text.as_bytes()[into - 1].is_ascii_alphanumeric();
        if at_word && hits[k].end as usize <= into {
            readings[k].effect = Effect::Contribution;
        }
    }
}

/// How many of the hire's duties must be one non-product role's work before that role
/// frames the whole posting (see [`tally`]).
pub const POSTING_PROFILE_DUTIES: u32 = 3;

/// Weigh each statement's counted hits, give it a kind, and count the hire's duties.
pub fn tally(lexicon: &Lexicon, hits: &[Hit], readings: &[Reading], statements: &mut [Statement]) -> DutySummary {
    let first = tally_with(lexicon, hits, readings, statements, [false; Profile::ALL.len()]);
    // A role that is the hire's own work in several duties is the posting's frame:
    // there a shared word ("positioning", "launch") is that role's, wherever it stands.
    let mut frame = [false; Profile::ALL.len()];
    for &(p, n) in &first.profiles {
        frame[p as usize] = n >= POSTING_PROFILE_DUTIES;
    }
    if !frame.contains(&true) {
        return first;
    }
    tally_with(lexicon, hits, readings, statements, frame)
}

fn tally_with(
    lexicon: &Lexicon,
    hits: &[Hit],
    readings: &[Reading],
    statements: &mut [Statement],
    frame: [bool; Profile::ALL.len()],
) -> DutySummary {
    let mut sum = DutySummary::default();
    let mut per_profile = [0u32; Profile::ALL.len()];
    let mut profile_weight = [0f64; Profile::ALL.len()];
    for st in statements.iter_mut() {
        let range = st.first_hit as usize..st.end_hit as usize;
        profile_weight.fill(0.0);
        let mut hire = false;
        let mut any = false;
        // An ownership verb governs a phrase about what gets built ("decide which
        // product improvements we make next").
        let mut decides_build = false;
        // The non-product roles whose own phrases count in this statement: a word
        // shared with one of them reads as that role's work here.
        let mut present = frame;
        st.pm = 0.0;
        st.po = 0.0;
        st.other = 0.0;
        st.backlog = false;
        st.strategic = false;
        st.builds = false;
        st.profile = None;
        st.kind = DutyKind::Neutral;
        for (h, r) in hits[range.clone()].iter().zip(&readings[range.clone()]) {
            if let Some(p) = lexicon.entries[h.entry as usize].profile {
                present[p as usize] |= r.effect == Effect::Counted;
            }
        }
        for (h, r) in hits[range.clone()].iter().zip(&readings[range]) {
            let e = &lexicon.entries[h.entry as usize];
            if e.kind == Kind::Role {
                continue;
            }
            if matches!(r.section, Section::Title | Section::Boilerplate | Section::Company) {
                continue;
            }
            hire = true;
            let (s, rd, o) = effective_weights(r.effect, e.strategic as f64, e.roadmap as f64, e.other as f64);
            if s == 0.0 && rd == 0.0 && o == 0.0 {
                continue;
            }
            any = true;
            let m = section_weight(r.section);
            if let Some(p) = e.shared_with.filter(|p| present[*p as usize] && r.effect == Effect::Counted) {
                let w = m * s.abs().max(rd.abs());
                st.other += w;
                profile_weight[p as usize] += w;
                continue;
            }
            st.pm += m * s.max(0.0).max(rd.max(0.0));
            let po = m * (-s).max(0.0).max((-rd).max(0.0));
            st.po += po;
            if e.anchor && po > 0.0 && r.effect == Effect::Counted {
                st.backlog = true;
            }
            if (e.anchor || e.builds) && r.effect == Effect::Counted {
                st.builds = true;
                decides_build |= r.owned;
            }
            if r.effect == Effect::Counted
                && (s >= STRATEGIC_MIN_WEIGHT && !e.anchor || (e.anchor && s.max(rd) > 0.0 && r.owned))
            {
                st.strategic = true;
            }
            if o > 0.0 {
                st.other += m * o;
                if let Some(p) = e.profile {
                    profile_weight[p as usize] += m * o;
                }
            }
        }
        st.hire = hire && any;
        if !st.hire {
            continue;
        }
        st.profile = profile_weight
            .iter()
            .enumerate()
            .filter(|(_, &w)| w > 0.0)
            .max_by(|x, y| x.1.total_cmp(y.1))
            .map(|(i, _)| Profile::ALL[i]);
        let top = st.pm.max(st.po).max(st.other);
        st.kind = if top < DUTY_MIN_WEIGHT {
            DutyKind::Neutral
        } else if st.other == top {
            DutyKind::Other
        } else if st.pm == top {
            DutyKind::Pm
        } else {
            DutyKind::Po
        };
        sum.total += 1;
        match st.kind {
            DutyKind::Pm => {
                sum.pm += 1;
                sum.pm_strategic += u32::from(st.strategic);
                sum.builds += u32::from(st.builds);
            }
            DutyKind::Po => {
                sum.po += 1;
                sum.po_backlog += u32::from(st.backlog);
                // Team-facing product work (priorities for developers, scope, what is
                // fixed first) is deciding what gets built, named or not.
                sum.builds += 1;
            }
            DutyKind::Other => {
                sum.other += 1;
                if let Some(p) = st.profile {
                    per_profile[p as usize] += 1;
                }
            }
            DutyKind::Neutral => {
                sum.neutral += 1;
                // Too few product words to give it a side, but the hire decides what
                // gets built: the rubric's test of a product role.
                sum.builds += u32::from(decides_build);
            }
        }
    }
    let mut profiles: Vec<(Profile, u32)> =
        Profile::ALL.iter().zip(per_profile).filter(|(_, n)| *n > 0).map(|(p, n)| (*p, n)).collect();
    profiles.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    sum.profiles = profiles;
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        split(text, &mut out);
        out.iter().map(|&(a, b)| text[a as usize..b as usize].trim()).collect()
    }

    #[test]
    fn splits_bullets_sentences_and_clauses() {
        assert_eq!(
            pieces("own the roadmap\nwrite user stories. run sprint planning; talk to customers"),
            ["own the roadmap", "write user stories", "run sprint planning", "talk to customers"]
        );
        assert_eq!(pieces("responsibilities: own the roadmap"), ["responsibilities", "own the roadmap"]);
        // Decimals and times are not sentence ends.
        assert_eq!(pieces("grow revenue by 2.5 percent"), ["grow revenue by 2.5 percent"]);
        assert!(pieces("").is_empty() && pieces(" . ; \n").is_empty());
    }

    #[test]
    fn glued_list_dashes_split_but_hyphens_do_not() {
        // Scraped lists lose their line breaks and keep the dash on the item before.
        assert_eq!(
            pieces("knowledge of:- b2b- saas startups- user stories for the team.- scope the work"),
            ["knowledge of", "b2b", "saas startups", "user stories for the team", "scope the work"]
        );
        // Hyphenated words, spaced dashes and a dash before a number stay inside.
        assert_eq!(pieces("a full-time role - remote"), ["a full-time role - remote"]);
        assert_eq!(pieces("scale 3 -5 teams"), ["scale 3 -5 teams"]);
    }

    #[test]
    fn long_run_on_statements_are_cut_at_commas() {
        let long = "set the vision for the payments platform with the leadership team and the partners, \
                    run market research and competitive analysis across our regions every quarter, \
                    write user stories and acceptance criteria for the squad each sprint, \
                    and accept the work";
        let got = pieces(long);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[2].ends_with("accept the work"), "a short tail joins the piece before: {got:?}");
        // A short list stays one statement.
        assert_eq!(pieces("pricing, packaging and positioning").len(), 1);
        // Short items add up to a piece: 12 items of 3 words are cut after every third.
        let items = ["alpha beta gamma"; 12].join(", ");
        assert_eq!(pieces(&items).len(), 4, "{:?}", pieces(&items));
    }

    /// The words of `t`, as a posting's word list holds them.
    fn words_of(t: &str) -> Vec<(u32, u32)> {
        let mut tokens = crate::tokens::Tokens::new();
        tokens.split(t);
        tokens.context().to_vec()
    }

    #[test]
    fn third_party_subjects() {
        let none = |_: usize, _: usize| false;
        let subject = |t: &str| {
            third_party(t, (0, t.len()), &words_of(t), none, none)
                .map(|p| t[p.subject.0 as usize..p.subject.1 as usize].to_string())
        };
        let cases: &[(&str, Option<&str>)] = &[
            ("the head of digital owns the roadmap and the vision", Some("the head of digital")),
            ("our cpo sets the product strategy", Some("our cpo")),
            ("the engineering lead runs the sprint board", Some("the engineering lead")),
            ("our engineering leads will run sprint planning", Some("our engineering leads")),
            ("leadership is responsible for the roadmap", Some("leadership")),
            ("you will own the roadmap", None),
            ("the successful candidate owns the roadmap", None),
            ("the role owns the backlog", None),
            ("the team is growing fast", None),
            ("own the roadmap", None),
            ("work with the head of digital on the roadmap", None),
            // An imperative's infinitive is no subject's verb.
            ("partner with engineering to drive the roadmap", None),
            ("partners across the business own the roadmap", Some("partners across the business")),
            ("the product roadmap for the app is owned by the head of digital", Some("the head of digital")),
            ("the vision is set by our cpo and the board", Some("our cpo")),
            ("the roadmap is ambitious", None),
            // "by" only as a whole word makes a passive.
            ("the roadmap is owned bythe head of digital", None),
            ("standby: the roadmap is owned by the head of digital", Some("the head of digital")),
        ];
        for (text, want) in cases {
            assert_eq!(subject(text).as_deref(), *want, "{text:?}");
        }
        // A role-name subject is someone else only when it differs from the title's role.
        let t = "the checkout product manager decides what we build";
        let role = |s: usize, e: usize| s < 28 && e > 13;
        assert!(third_party(t, (0, t.len()), &words_of(t), role, |_, _| false).is_none());
        let p = third_party(t, (0, t.len()), &words_of(t), role, role).expect("another role");
        assert_eq!(p.span, (28, t.len() as u32));
        // An active subject's span stops at a clause about the hire.
        let t = "our cpo sets the product strategy and you own the roadmap";
        let p = third_party(t, (0, t.len()), &words_of(t), none, none).unwrap();
        assert_eq!(&t[p.span.0 as usize..p.span.1 as usize], " sets the product strategy and ");
        // A passive hands over what comes before it.
        let t =
            "the product roadmap is owned by the head of digital, who sets it each quarter; you turn it into stories";
        let p = third_party(t, (0, t.len()), &words_of(t), none, none).unwrap();
        assert_eq!(
            &t[p.span.0 as usize..p.span.1 as usize],
            "the product roadmap is owned by the head of digital, who sets it each quarter; "
        );
    }

    #[test]
    fn a_role_name_after_an_opening_phrase_can_be_the_subject() {
        let t = "in this internship the squad's own product owner keeps the backlog and runs sprint planning";
        let po = t.find("product owner").unwrap();
        let role = [(po, po + "product owner".len())];
        let p = role_subject(t, (0, t.len()), role.into_iter()).expect("the product owner's duties");
        assert_eq!(&t[p.span.0 as usize..p.span.1 as usize], "keeps the backlog and runs sprint planning");
        // The hire's own clause after it stays the hire's.
        let t = "this summer the squad's product owner keeps the backlog while you set the roadmap";
        let po = t.find("product owner").unwrap();
        let role = [(po, po + "product owner".len())];
        let p = role_subject(t, (0, t.len()), role.into_iter()).unwrap();
        assert_eq!(&t[p.span.0 as usize..p.span.1 as usize], "keeps the backlog while ");
        // A list, a shared subject or a name with no duty verb after it is not a subject.
        for t in [
            "work with the product owner, who keeps the backlog",
            "work with the product owner keeping the backlog",
            "you and the product owner run sprint planning",
            "in this team the product owner backlog is small",
        ] {
            let po = t.find("product owner").unwrap();
            let role = [(po, po + "product owner".len())];
            assert!(role_subject(t, (0, t.len()), role.into_iter()).is_none(), "{t:?}");
        }
    }

    #[test]
    fn summary_reads_like_a_sentence() {
        let s = DutySummary {
            total: 9,
            pm: 4,
            po: 3,
            other: 2,
            profiles: vec![(Profile::Delivery, 2)],
            ..Default::default()
        };
        assert_eq!(s.describe(), "9 duties: 4 PM, 3 PO, 2 programme / project delivery");
    }
}
