//! Coordination: a verb governs every item of the list that follows it.
//!
//! "Have input on the strategy, priorities and longer-term roadmap" contributes to all
//! three; "facilitate planning, reviews, demos and retrospectives" facilitates all four.
//! The context rules look for a verb a few words before each phrase, so the later items
//! of a long list slipped out of the verb's reach and were counted as if owned. Here a
//! phrase that continues a list takes the reading of the item before it.
//!
//! A gap continues a list when it holds nothing but list glue: commas, conjunctions,
//! determiners, and at most [`MAX_ITEM_WORDS`] words of unlisted items, which need a
//! comma ("strategy, priorities, and roadmap"). Without a comma a word in the gap may
//! be a new verb ("contribute to the strategy and manage the roadmap"), so the list
//! ends there; a participle always opens a new clause ("…, prioritizing the features").

/// Words in a gap that join list items, or open examples of the item before
/// ("the IT roadmap, including new features").
const CONJUNCTIONS: &[&str] = &["and", "or", "&", "plus", "as", "well", "also", "including", "such"];
/// Words in a gap that open a list item's noun phrase.
const DETERMINERS: &[&str] = &["the", "a", "an", "our", "your", "their", "its", "team's", "company's", "overall"];
/// Words of items without a phrase of their own that a gap may hold ("priorities").
const MAX_ITEM_WORDS: usize = 2;

/// Whether the text between two phrases (`gap`, already known to lie inside one
/// clause) continues the list the first phrase stands in.
///
/// `gap_words` are the gap's words in order.
pub fn continues_list<'a>(gap: &str, gap_words: impl Iterator<Item = &'a str>) -> bool {
    let mut items = 0;
    for w in gap_words {
        if CONJUNCTIONS.contains(&w) || DETERMINERS.contains(&w) {
            continue;
        }
        items += 1;
        // A participle opens a new clause with its own verb ("…, prioritizing the features").
        if items > MAX_ITEM_WORDS || w.ends_with("ing") {
            return false;
        }
    }
    // Anything but separators and words (a bracket, a quote, a dash) ends the list too.
    let plain = gap.bytes().all(|b| b == b',' || b == b' ' || b == b'&' || b == b'\'' || b.is_ascii_alphanumeric());
    plain && (items == 0 || gap.contains(','))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(gap: &str) -> bool {
        continues_list(gap, gap.split([' ', ',']).filter(|w| !w.is_empty()))
    }

    #[test]
    fn list_glue_continues_and_verbs_end_the_list() {
        let table: &[(&str, bool)] = &[
            // Adjacent phrases ("longer term" + "roadmap") and plain conjunctions.
            ("", true),
            (" ", true),
            (" and ", true),
            (", ", true),
            (", and the ", true),
            (" as well as our ", true),
            // Unlisted items need a comma to be read as items.
            (", priorities, and ", true),
            (", budgets, targets and ", true),
            // An item ending in "-ing" reads as a participle: the list ends, to be safe
            // (such items are mostly lexicon phrases themselves, so no gap holds them).
            (", packaging and ", false),
            (" and pricing ", false),
            // Too many words for list items: a new clause.
            (", then work with engineers to ", false),
            (" and manage the ", false),
            (", prioritizing the ", false),
            (", including new ", true),
            // Punctuation that is not a list separator.
            (" (for example ", false),
            (" - ", false),
        ];
        for &(gap, want) in table {
            assert_eq!(case(gap), want, "gap {gap:?}");
        }
    }
}
