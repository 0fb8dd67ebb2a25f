//! Spelling variants generated from a phrase, so a lexicon author writes
//! "prioritize" once and the matcher also finds "prioritise". Hyphen/space and case
//! variants need no generation: the normaliser folds both the text and the phrases.

/// Words that end in "-ize" without being the -ize/-ise suffix.
const NOT_IZE_SUFFIX: &[&str] =
    &["size", "sizes", "sized", "sizing", "prize", "prizes", "seize", "seized", "seizes", "seizing", "capsize"];

/// American suffix → British suffix, longest first so "-ization" wins over "-ize".
const SUFFIXES: &[(&str, &str)] = &[
    ("izations", "isations"),
    ("ization", "isation"),
    ("izing", "ising"),
    ("izers", "isers"),
    ("izer", "iser"),
    ("izes", "ises"),
    ("ized", "ised"),
    ("ize", "ise"),
    ("yzing", "ysing"),
    ("yzes", "yses"),
    ("yzed", "ysed"),
    ("yze", "yse"),
];

/// The British spelling of one word, if it differs.
fn british_word(word: &str) -> Option<String> {
    if NOT_IZE_SUFFIX.contains(&word) {
        return None;
    }
    for (us, gb) in SUFFIXES {
        if let Some(stem) = word.strip_suffix(us) {
            // A real suffix needs a stem: "size" has none worth the name.
            if stem.len() >= 3 {
                return Some(format!("{stem}{gb}"));
            }
        }
    }
    None
}

/// The phrase with every -ize/-yze word in its British form, or `None` when no word
/// changes. Phrases are already normalised (lowercase, single spaces).
pub fn british(phrase: &str) -> Option<String> {
    let mut changed = false;
    let words: Vec<String> = phrase
        .split(' ')
        .map(|w| match british_word(w) {
            Some(b) => {
                changed = true;
                b
            }
            None => w.to_string(),
        })
        .collect();
    changed.then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::british;

    #[test]
    fn table() {
        let cases = [
            ("prioritize", Some("prioritise")),
            ("prioritization", Some("prioritisation")),
            ("prioritizing the backlog", Some("prioritising the backlog")),
            ("analyze market trends", Some("analyse market trends")),
            ("organizations", Some("organisations")),
            ("team size", None),
            ("roadmap", None),
            ("prize", None),
        ];
        for (us, gb) in cases {
            assert_eq!(british(us).as_deref(), gb, "{us}");
        }
    }
}
