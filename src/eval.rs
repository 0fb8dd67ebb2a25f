//! Measuring against labelled postings: a confusion matrix, per-class precision,
//! recall and F1, macro-F1 over the labels that have gold postings, and PM-vs-PO
//! macro-F1 over the postings whose gold label is pm or po (a prediction of hybrid or
//! other counts as a miss for recall there).
//!
//! A class with no gold postings has no recall and no F1 ("n/a", `null` in JSON): it
//! is left out of the macro averages rather than counted as 0, which would punish the
//! classifier for a gap in the data.

use crate::score::Label;
use serde::Serialize;

/// Precision, recall, F1 and support of one class.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClassScore {
    /// The class.
    pub label: Label,
    /// TP / (TP + FP); 0 when nothing was predicted.
    pub precision: f64,
    /// TP / (TP + FN); `None` (n/a) when the class has no gold postings.
    pub recall: Option<f64>,
    /// Harmonic mean of precision and recall; `None` (n/a) without gold postings.
    pub f1: Option<f64>,
    /// Gold postings of this class.
    pub support: usize,
}

/// Counts of (gold, predicted) pairs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Confusion {
    /// `matrix[gold][predicted]`, indexed in [`Label::ALL`] order.
    pub matrix: [[usize; 4]; 4],
}

fn idx(l: Label) -> usize {
    Label::ALL.iter().position(|&x| x == l).unwrap_or(0)
}

impl Confusion {
    /// Count one pair.
    pub fn add(&mut self, gold: Label, predicted: Label) {
        self.matrix[idx(gold)][idx(predicted)] += 1;
    }

    /// Postings counted.
    pub fn total(&self) -> usize {
        self.matrix.iter().flatten().sum()
    }

    /// Share of postings predicted right.
    pub fn accuracy(&self) -> f64 {
        let right: usize = (0..4).map(|i| self.matrix[i][i]).sum();
        ratio(right, self.total())
    }

    /// Scores of `label`.
    pub fn class(&self, label: Label) -> ClassScore {
        let i = idx(label);
        let tp = self.matrix[i][i];
        let predicted: usize = (0..4).map(|g| self.matrix[g][i]).sum();
        let support: usize = self.matrix[i].iter().sum();
        let precision = ratio(tp, predicted);
        let recall = (support > 0).then(|| ratio(tp, support));
        let f1 = recall.map(|r| if precision + r == 0.0 { 0.0 } else { 2.0 * precision * r / (precision + r) });
        ClassScore { label, precision, recall, f1, support }
    }

    /// Mean F1 over those of `labels` that have gold postings (0 when none has).
    pub fn macro_f1(&self, labels: &[Label]) -> f64 {
        let f1s: Vec<f64> = labels.iter().filter_map(|&l| self.class(l).f1).collect();
        if f1s.is_empty() {
            return 0.0;
        }
        f1s.iter().sum::<f64>() / f1s.len() as f64
    }

    /// The matrix restricted to gold labels in `gold` (other rows zeroed).
    pub fn restricted(&self, gold: &[Label]) -> Confusion {
        let mut c = Confusion::default();
        for &g in gold {
            c.matrix[idx(g)] = self.matrix[idx(g)];
        }
        c
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The summary `jdclass eval` prints.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Postings scored.
    pub scored: usize,
    /// Lines that could not be used.
    pub errors: usize,
    /// Share right.
    pub accuracy: f64,
    /// Macro-F1 over the labels with gold postings (see `macro_labels`).
    pub macro_f1: f64,
    /// The labels the macro average is over: those with gold postings.
    pub macro_labels: Vec<Label>,
    /// Labels without gold postings: n/a, left out of the macro average.
    pub not_applicable: Vec<Label>,
    /// Macro-F1 of pm and po over postings whose gold is pm or po.
    pub pm_po_macro_f1: f64,
    /// Per class.
    pub classes: Vec<ClassScore>,
    /// The matrix.
    pub confusion: Confusion,
}

impl Report {
    /// Summarise a confusion matrix.
    pub fn new(confusion: Confusion, errors: usize) -> Report {
        let pmpo = [Label::Pm, Label::Po];
        Report {
            scored: confusion.total(),
            errors,
            accuracy: confusion.accuracy(),
            macro_f1: confusion.macro_f1(&Label::ALL),
            macro_labels: Label::ALL.into_iter().filter(|&l| confusion.class(l).support > 0).collect(),
            not_applicable: Label::ALL.into_iter().filter(|&l| confusion.class(l).support == 0).collect(),
            pm_po_macro_f1: confusion.restricted(&pmpo).macro_f1(&pmpo),
            classes: Label::ALL.iter().map(|&l| confusion.class(l)).collect(),
            confusion,
        }
    }

    /// The report as a table for people.
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(s, "confusion (rows: gold, columns: predicted)");
        let _ = writeln!(s, "{:>8} {:>6} {:>6} {:>6} {:>6}", "", "pm", "po", "hybrid", "other");
        for (i, l) in Label::ALL.iter().enumerate() {
            let row = &self.confusion.matrix[i];
            let _ = writeln!(s, "{:>8} {:>6} {:>6} {:>6} {:>6}", l.as_str(), row[0], row[1], row[2], row[3]);
        }
        let _ = writeln!(s, "\n{:>8} {:>9} {:>6} {:>6} {:>7}", "class", "precision", "recall", "f1", "support");
        let na = |x: Option<f64>| x.map_or_else(|| "n/a".to_string(), |x| format!("{x:.3}"));
        for c in &self.classes {
            let _ = writeln!(
                s,
                "{:>8} {:>9.3} {:>6} {:>6} {:>7}",
                c.label.as_str(),
                c.precision,
                na(c.recall),
                na(c.f1),
                c.support
            );
        }
        let _ = writeln!(
            s,
            "\naccuracy        {:.3}  ({} postings, {} unusable lines)",
            self.accuracy, self.scored, self.errors
        );
        if self.not_applicable.is_empty() {
            let _ = writeln!(s, "macro-F1 (4)    {:.3}", self.macro_f1);
        } else {
            let names: Vec<&str> = self.not_applicable.iter().map(|l| l.as_str()).collect();
            let _ = writeln!(
                s,
                "macro-F1 ({})    {:.3}  ({} n/a: no gold postings, left out of the average)",
                self.macro_labels.len(),
                self.macro_f1,
                names.join(", ")
            );
        }
        let _ = writeln!(s, "PM-vs-PO F1     {:.3}  (macro over gold pm/po postings)", self.pm_po_macro_f1);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_on_a_known_matrix() {
        let mut c = Confusion::default();
        // pm: 3 right, 1 predicted po; po: 1 right, 1 predicted pm; other: 2 right.
        for _ in 0..3 {
            c.add(Label::Pm, Label::Pm);
        }
        c.add(Label::Pm, Label::Po);
        c.add(Label::Po, Label::Po);
        c.add(Label::Po, Label::Pm);
        c.add(Label::Other, Label::Other);
        c.add(Label::Other, Label::Other);
        let pm = c.class(Label::Pm);
        assert_eq!((pm.precision, pm.recall, pm.support), (0.75, Some(0.75), 4));
        let po = c.class(Label::Po);
        assert_eq!((po.precision, po.recall), (0.5, Some(0.5)));
        assert_eq!(c.class(Label::Hybrid).f1, None, "no gold hybrid postings: n/a");
        assert_eq!(c.accuracy(), 6.0 / 8.0);
        let r = Report::new(c.clone(), 0);
        assert!((r.macro_f1 - (0.75 + 0.5 + 1.0) / 3.0).abs() < 1e-12, "hybrid is left out");
        assert_eq!(r.not_applicable, vec![Label::Hybrid]);
        assert!(r.render().contains("hybrid n/a"), "{}", r.render());
        // A class predicted but never gold: precision 0, still n/a for F1.
        c.add(Label::Pm, Label::Hybrid);
        let h = c.class(Label::Hybrid);
        assert_eq!((h.precision, h.f1), (0.0, None));
        assert!((r.pm_po_macro_f1 - (0.75 + 0.5) / 2.0).abs() < 1e-12);
    }
}
