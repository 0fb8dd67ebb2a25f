//! Table-driven tests of the context rules through the public API: for each sentence,
//! the effect the named lexicon entry's hit must get.

use jdclass::context::{Effect, Section};
use jdclass::{Classifier, Verdict};

fn classifier() -> &'static Classifier {
    static C: std::sync::OnceLock<Classifier> = std::sync::OnceLock::new();
    C.get_or_init(Classifier::embedded)
}

/// Every hit of `term` in the verdict (counted or discounted), with its effect.
fn effects(v: &Verdict, term: &str) -> Vec<Effect> {
    v.evidence.iter().chain(&v.discounted).filter(|e| e.term == term).map(|e| e.effect).collect()
}

#[test]
fn effect_table() {
    let cases: &[(&str, &str, Effect)] = &[
        // Negation.
        ("You will not own the roadmap.", "roadmap", Effect::Negated),
        ("No backlog management: our delivery leads handle it.", "backlog-management", Effect::Negated),
        ("This role does not own pricing, packaging or the roadmap.", "roadmap", Effect::Negated),
        ("You won't be writing user stories.", "story-writing", Effect::Negated),
        ("Backlog grooming is not part of this job.", "backlog-grooming", Effect::Negated),
        ("Not only the roadmap but also pricing is yours.", "roadmap", Effect::Counted),
        ("No travel required, and you will own the product roadmap.", "product-roadmap", Effect::Counted),
        // Attribution to another role.
        ("Partner with product owners who manage the backlog.", "backlog-management", Effect::Attributed),
        ("Each squad has its own Product Owner who manages the backlog.", "backlog-management", Effect::Attributed),
        ("Translate the product manager's roadmap into user stories.", "roadmap", Effect::Attributed),
        ("Deliver the features in the backlog owned by the product owner.", "backlog", Effect::Attributed),
        ("Work toward a product vision set by leadership.", "product-vision", Effect::Attributed),
        // ...unless the role named is the hire.
        ("We are looking for a Product Owner who owns the backlog.", "backlog", Effect::Counted),
        // Contribution: working from someone else's strategic artefact.
        ("Contribute to the product roadmap with insights from the team.", "product-roadmap", Effect::Contribution),
        ("Give input on the product strategy each quarter.", "product-strategy", Effect::Contribution),
        ("Define and execute the product strategy.", "product-strategy", Effect::Counted),
        (
            "Ensure proper execution of the product roadmap by prioritising projects.",
            "product-roadmap",
            Effect::Contribution,
        ),
        // A contribution verb governs the whole list after it, however long...
        (
            "Give input on the product strategy, pricing and the longer-term product roadmap.",
            "product-roadmap",
            Effect::Contribution,
        ),
        // ...but not a new verb's object, nor the result of a translation.
        ("Contribute to the product strategy and manage the product roadmap.", "product-roadmap", Effect::Counted),
        ("Translate the vision into a product strategy for the region.", "product-strategy", Effect::Counted),
        // Working for a product leader: the leader's strategy, worked from.
        ("Support the head of product in shaping the product roadmap.", "product-roadmap", Effect::Contribution),
        (
            "Working alongside the Director of Product to drive and deliver on the product strategy.",
            "product-strategy",
            Effect::Contribution,
        ),
        // Beside a leader without a verb of execution, or beside peers: the hire's own.
        (
            "Collaborate with the Director of Product to draw up the product roadmap.",
            "product-roadmap",
            Effect::Counted,
        ),
        (
            "Partner with stakeholders to drive and deliver on the product strategy.",
            "product-strategy",
            Effect::Counted,
        ),
        // A capitalised name seen twice, once inside a sentence, is a name.
        ("Launch Orchard is a media company. You will grow ad revenue at Launch Orchard.", "launch", Effect::Name),
        // Seen once, or only in Title-Case lines, it stays a word.
        ("Our clients include Launch Orchard, a media company.", "launch", Effect::Counted),
        ("Launch Orchard Features\nLaunch Orchard Features for the team", "launch", Effect::Counted),
        // The role the hire may grow into is not this posting's duties.
        (
            "After the programme you can grow into a product manager role where you own the product roadmap.",
            "product-roadmap",
            Effect::Future,
        ),
        ("You will grow into new markets and own the product roadmap.", "product-roadmap", Effect::Counted),
        // Facilitation: ceremonies run for others.
        (
            "Facilitate sprint planning, daily stand-ups, sprint reviews and retrospectives for the teams.",
            "retrospectives",
            Effect::Facilitated,
        ),
        ("Facilitate the sprint reviews and retrospectives for three teams.", "sprint-review", Effect::Facilitated),
        ("Facilitate retrospectives for three teams.", "facilitate-ceremonies", Effect::Counted),
        ("Run backlog refinement with the developers.", "backlog-refinement", Effect::Counted),
    ];
    let mut failures = Vec::new();
    for &(text, term, want) in cases {
        let v = classifier().classify(text);
        let got = effects(&v, term);
        if got.first() != Some(&want) {
            failures.push(format!("{text:?}: {term} expected {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "context rule failures:\n{}", failures.join("\n"));
}

#[test]
fn the_translating_role_is_po_evidence() {
    // The roadmap belongs to the product manager; turning it into stories is the hire's work.
    let v =
        classifier().classify("Translate the product manager's roadmap into user stories with acceptance criteria.");
    assert!(v.evidence.iter().all(|e| e.term != "roadmap"), "the roadmap must not count: {:?}", v.evidence);
    assert!(v.evidence.iter().any(|e| e.term == "user-stories" && e.strategic < 0.0));
    assert!(v.mass.po > 0.0 && v.mass.pm == 0.0, "{:?}", v.mass);
}

#[test]
fn role_names_are_title_evidence_only() {
    let text = "As a Product Owner you will set pricing and market strategy, run competitive analysis \
                and own the go-to-market plan and the product roadmap.";
    let v = classifier().classify(text);
    assert!(v.title_evidence.iter().any(|t| t.phrase.eq_ignore_ascii_case("product owner")));
    assert!(v.evidence.iter().all(|e| !e.term.starts_with("role-")));
    assert_eq!(v.label, jdclass::Label::Pm, "{}", v.reason);
}

#[test]
fn boilerplate_weighs_less_than_duties() {
    let duty = classifier().classify("Responsibilities:\n- Own the product roadmap.");
    let blurb = classifier().classify("Benefits:\n- A product roadmap of your career growth, dental and vision.");
    let weight =
        |v: &Verdict| v.evidence.iter().find(|e| e.term == "product-roadmap").map(|e| (e.section, e.multiplier));
    assert_eq!(weight(&duty), Some((Section::Duties, 1.0)));
    let (section, m) = weight(&blurb).expect("found in the blurb");
    assert_eq!(section, Section::Boilerplate);
    assert!(m < 0.5, "{m}");
    let eeo = classifier().classify("We are an equal opportunity employer and value a diverse product roadmap.");
    assert_eq!(
        eeo.evidence.iter().find(|e| e.term == "product-roadmap").map(|e| e.section),
        Some(Section::Boilerplate)
    );
}

#[test]
fn inline_headings_in_a_flattened_posting() {
    // Scraped postings often arrive as one line. A "Location:" lead-in near the top must
    // not turn everything after it into boilerplate, while "Benefits:" still marks its
    // own sentence, and "Responsibilities:" starts the duties.
    let text = "REQ123 Location: Berlin or remote. Responsibilities: You will own the product roadmap and \
                set the pricing strategy. Benefits: a generous learning budget for the product roadmap course.";
    let v = classifier().classify(text);
    let sections: Vec<(String, Section)> =
        v.evidence.iter().map(|e| (e.term.clone(), e.section)).filter(|(t, _)| t.contains("roadmap")).collect();
    assert_eq!(sections.first().map(|x| x.1), Some(Section::Duties), "{sections:?}");
    assert_eq!(sections.last().map(|x| x.1), Some(Section::Boilerplate), "{sections:?}");
    let pricing = v.evidence.iter().find(|e| e.term == "pricing").expect("pricing found");
    assert_eq!(pricing.section, Section::Duties);
}

#[test]
fn a_heading_that_speaks_to_the_hire_ends_the_perks() {
    // After a boilerplate section, a short lead-in no heading list knows but that
    // addresses the reader ("You'll need to:") is back on the hire's work; a perk bullet
    // that says "you" is not.
    let section = |text: &str| {
        let v = classifier().classify(text);
        v.evidence.iter().find(|e| e.term == "product-roadmap").map(|e| e.section)
    };
    let perks = "Benefits\n\n* Dental and vision cover\n* A laptop of your choice\n\n";
    assert_eq!(
        section(&format!("{perks}You'll need to:\n\n* Own the product roadmap for payments.")),
        Some(Section::Intro)
    );
    assert_eq!(
        section(&format!("{perks}* Time for you: a product roadmap of your own learning\n")),
        Some(Section::Boilerplate)
    );
    // A line that leads into nothing ("Other tidbits") leaves the perks running.
    assert_eq!(section(&format!("{perks}Other tidbits\n\nWe share our product roadmap.")), Some(Section::Boilerplate));
    // "About this role" is a duties heading.
    assert_eq!(
        section("Who we are\n\nWe make maps.\n\nAbout this role\n\nYou will own the product roadmap."),
        Some(Section::Duties)
    );
}

#[test]
fn a_cue_far_away_in_a_flattened_list_does_not_void_a_duty() {
    // No sentence ends for hundreds of words (a scraped bullet list): "founded in" at the
    // start must not make "own the product roadmap" near the end boilerplate.
    let filler = "build things with the team and ship improvements and ".repeat(12);
    let text = format!("Acme was founded in 2004 and {filler} you will own the product roadmap");
    let v = classifier().classify(&text);
    let e = v.evidence.iter().find(|e| e.term == "product-roadmap").expect("found");
    assert_ne!(e.section, Section::Boilerplate, "{:?}", e);
    let near = classifier().classify("Acme was founded in 2004 and owns a product roadmap for banks.");
    let e = near.evidence.iter().find(|e| e.term == "product-roadmap").expect("found");
    assert_eq!(e.section, Section::Boilerplate, "a cue in the same short sentence still counts");
}

#[test]
fn whole_words_only() {
    let v = classifier().classify("A sprinter with competence in roadmapped epicurean pricings.");
    let terms: Vec<&str> = v.evidence.iter().map(|e| e.term.as_str()).collect();
    for bad in ["sprint", "competitors", "roadmap", "epics", "pricing"] {
        assert!(!terms.contains(&bad), "{bad} matched inside a longer word: {terms:?}");
    }
}

#[test]
fn leftmost_longest_makes_one_hit() {
    let v = classifier().classify("You own the product roadmap.");
    let terms: Vec<&str> = v.evidence.iter().map(|e| e.term.as_str()).collect();
    assert_eq!(terms.iter().filter(|t| t.contains("roadmap")).count(), 1, "{terms:?}");
}

#[test]
fn spelling_and_hyphen_variants_match() {
    let us = classifier().classify("Prioritize the backlog and plan the go-to-market launch.");
    let gb = classifier().classify("Prioritise the backlog and plan the go to market launch.");
    let terms = |v: &Verdict| {
        let mut t: Vec<String> = v.evidence.iter().map(|e| e.term.clone()).collect();
        t.sort();
        t
    };
    assert_eq!(terms(&us), terms(&gb));
    assert!(terms(&us).iter().any(|t| t == "go-to-market"));
}

#[test]
fn html_is_read_as_text() {
    let html = "<div><h2>What you&rsquo;ll do</h2><ul><li>Own the <b>product</b> backlog</li>\
                <li>Write user&nbsp;stories</li></ul><script>var roadmap = 1;</script></div>";
    let v = classifier().classify(html);
    let terms: Vec<&str> = v.evidence.iter().map(|e| e.term.as_str()).collect();
    assert!(terms.contains(&"backlog-management") || terms.contains(&"product-backlog"), "{terms:?}");
    assert!(terms.iter().any(|t| t.contains("stor")), "{terms:?}");
    assert!(!terms.contains(&"roadmap"), "script content must be ignored: {terms:?}");
    let e = v.evidence.iter().find(|e| e.term.contains("stor")).unwrap();
    assert_eq!(&html[e.offset..e.offset + 4], "Writ", "evidence points into the original HTML");
}

#[test]
fn ownership_phrasings_own_the_artefact() {
    // Taking charge of, spearheading or steering a roadmap owns it, as "own" and "in
    // charge of" do; following it, or overseeing the execution of it, does not.
    for owns in [
        "Take charge of the product roadmap.",
        "Spearhead the product roadmap.",
        "Steer the product roadmap.",
        "You will be in charge of the product roadmap.",
    ] {
        let v = classifier().classify(owns);
        assert!(v.mass.pm_owned > 0.0, "{owns}: {:?}", v.mass);
    }
    for works_from in ["Follow the product roadmap.", "Oversee the execution of the product roadmap."] {
        let v = classifier().classify(works_from);
        assert_eq!(v.mass.pm_owned, 0.0, "{works_from}: {:?}", v.mass);
    }
}
