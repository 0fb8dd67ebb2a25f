"""The README's pandas and Polars recipes, run as written (skipped without the library)."""

from __future__ import annotations

import pytest

import jdclass
from corpus_gen import records


def test_pandas_label_column(clf):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(records(200, seed=3, broken=False))
    df.loc[5, "text"] = None  # a missing description yields an error record, not a crash
    assert df["title"].isna().any()  # HTML postings have no title field: NaN, read as no title

    # README: pandas
    recs = jdclass.Classifier().classify_many(df["text"], titles=df["title"])
    df["label"] = [r.get("label") for r in recs]
    df["confidence"] = [r.get("confidence") for r in recs]

    assert len(df) == 200 and df["label"].isna().sum() == 1 and pd.isna(df.loc[5, "label"])
    row = df.iloc[0]
    assert row["label"] == clf.classify(row["text"], title=row["title"])["label"]
    assert set(df["label"].dropna()) <= {"pm", "po", "hybrid", "other"}


def test_polars_label_column(clf):
    pl = pytest.importorskip("polars")
    df = pl.DataFrame(records(200, seed=4, broken=False))

    # README: Polars
    recs = jdclass.Classifier().classify_many(df["text"], titles=df["title"])
    df = df.with_columns(
        pl.Series("label", [r.get("label") for r in recs]),
        pl.Series("confidence", [r.get("confidence") for r in recs]),
    )

    assert df.height == 200 and df["label"].null_count() == 0
    first = df.row(0, named=True)
    assert first["label"] == clf.classify(first["text"], title=first["title"])["label"]
