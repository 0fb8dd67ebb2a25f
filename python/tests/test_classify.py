"""jdclass.Classifier agrees with the CLI record for record, and handles bad input."""

from __future__ import annotations

import pickle

import pytest

import jdclass
from conftest import ROOT, run_cli
from corpus_gen import corpus_files


def rel(path) -> str:
    return str(path.relative_to(ROOT))


def test_corpus_records_equal_the_clis_json(clf, jdclass_bin):
    files = [rel(p) for p in corpus_files()]
    cli = run_cli(jdclass_bin, "--format", "json", *files)
    assert len(cli) == len(files) > 100  # every corpus posting
    for path, expected in zip(files, cli):
        got = clf.classify((ROOT / path).read_bytes(), source=path)
        assert got == expected, path  # every field, every number, every evidence item


def test_the_corpus_labels_match_the_manifest_as_the_cli_does(clf):
    import csv

    rows = list(csv.DictReader(open(ROOT / "corpus" / "manifest.csv", encoding="utf-8")))
    right = sum(
        clf.classify((ROOT / "corpus" / "postings" / r["file"]).read_text(encoding="utf-8"))["label"] == r["label"]
        for r in rows
    )
    assert right / len(rows) >= 0.9


def test_str_and_bytes_give_the_same_record(clf):
    path = corpus_files()[0]
    assert clf.classify(path.read_text(encoding="utf-8")) == clf.classify(path.read_bytes())


def test_title_is_read_as_the_first_line(clf):
    body = "Own the backlog, write user stories with acceptance criteria and run sprint planning."
    rec = clf.classify(body, title="Senior Product Owner")
    assert rec["title"] == "senior product owner"
    assert any(t["in_title"] and t["role"] == "po" for t in rec["title_evidence"])
    assert clf.classify(body, "Senior Product Owner") == rec
    # A body that already opens with its title does not get it twice.
    assert clf.classify("Senior Product Owner\n" + body, title="Senior Product Owner") == rec


def test_check_equals_the_clis_check_json(clf, jdclass_bin):
    for name, args in [
        ("070-pm-payments-strategy.txt", ()),
        ("007-pm-retail-pricing.txt", ("--as", "po")),
        ("007-pm-retail-pricing.txt", ("--title", "Senior Product Manager")),
        ("002-po-insurance-claims.html", ("--as", "hybrid")),
    ]:
        path = f"corpus/postings/{name}"
        (expected,) = run_cli(jdclass_bin, "check", path, "--format", "json", *args, ok=(0, 1))
        kwargs = {}
        if args and args[0] == "--as":
            kwargs["as_"] = args[1]
        if args and args[0] == "--title":
            kwargs["title"] = args[1]
        got = clf.check((ROOT / path).read_bytes(), source=path, **kwargs)
        assert got == expected, (name, args)


def test_check_errors():
    clf = jdclass.Classifier()
    with pytest.raises(ValueError, match="as_ takes"):
        clf.check("Own the backlog.", as_="boss")
    with pytest.raises(jdclass.CheckError, match="cannot tell which role") as e:
        clf.check("Own the backlog and write user stories.\n")
    assert isinstance(e.value, jdclass.JdclassError)
    with pytest.raises(jdclass.CheckError, match="names an other role"):
        clf.check("Own the backlog.", title="Scrum Master")
    assert clf.check("Own the backlog.", title="Product Owner")["intended"] == "po"


def test_lexicon_info_names_what_the_cli_stamps(clf, jdclass_bin):
    info = jdclass.lexicon_info()
    (rec,) = run_cli(jdclass_bin, "--format", "json", rel(corpus_files()[0]))
    assert {k: info[k] for k in ("name", "version", "hash")} == rec["lexicon"]
    assert info["entries"] > 100
    assert clf.lexicon == info
    # The shipped file is the embedded lexicon: same bytes, same hash.
    from_file = jdclass.lexicon_info(ROOT / "lexicon" / "default.toml")
    assert from_file["hash"] == info["hash"] and from_file["source"].endswith("default.toml")


def test_a_lexicon_file_is_used_and_a_broken_one_raises_with_its_line(tmp_path):
    path = ROOT / "lexicon" / "default.toml"
    clf = jdclass.Classifier(path)
    posting = corpus_files()[0].read_text(encoding="utf-8")
    assert clf.classify(posting)["evidence"] == jdclass.Classifier().classify(posting)["evidence"]
    broken = tmp_path / "mine.toml"
    broken.write_text(
        '[lexicon]\nname = "mine"\nversion = "1"\n\n[[entry]]\nid = "bad"\nphrases = ["roadmap"]\n'
        "strategic = 3.0\nroadmap = 1.0\n",
        encoding="utf-8",
    )
    with pytest.raises(jdclass.LexiconError, match=r"mine\.toml:5: entry 'bad': strategic = 3") as e:
        jdclass.Classifier(broken)
    assert isinstance(e.value, jdclass.JdclassError)
    with pytest.raises(jdclass.LexiconError, match="cannot read lexicon"):
        jdclass.Classifier(tmp_path / "missing.toml")
    with pytest.raises(jdclass.LexiconError):
        jdclass.lexicon_info(broken)


@pytest.mark.parametrize("bad", [None, 42, 3.5, ["a list"], {"text": "x"}, object()])
def test_non_text_raises_type_error(clf, bad):
    with pytest.raises(TypeError, match="str or bytes"):
        clf.classify(bad)
    with pytest.raises(TypeError, match="str or bytes"):
        clf.check(bad, as_="po")


def test_bad_title_and_keywords_raise_type_error(clf):
    with pytest.raises(TypeError, match="title"):
        clf.classify("Own the backlog.", title=7)
    with pytest.raises(TypeError):
        clf.classify()
    with pytest.raises(TypeError):
        clf.classify("x", colour="red")


def test_empty_and_whitespace_postings_get_no_verdict_like_the_cli(clf, jdclass_bin):
    for text in ["", "   \n\t  "]:
        with pytest.raises(jdclass.InputError, match="empty"):
            clf.classify(text)
    (cli,) = run_cli(jdclass_bin, "--format", "json", "-", stdin=b"", ok=(2,))
    assert set(cli) == {"source", "error", "lexicon"} and "empty" in cli["error"]


def test_invalid_utf8_and_nul_bytes_warn_like_the_cli(clf, jdclass_bin):
    data = b"Own the product backlog \xff\xfe and write user stories.\n"
    (cli,) = run_cli(jdclass_bin, "--format", "json", "-", stdin=data)
    rec = clf.classify(data, source="<stdin>")
    assert rec == cli
    assert "not valid UTF-8" in rec["warnings"][0]
    with pytest.raises(jdclass.InputError, match="NUL"):
        clf.classify(b"backlog\x00\x00 user stories")


def test_lone_surrogates_do_not_crash(clf):
    rec = clf.classify("Own the backlog \ud800 and write user stories.")
    assert rec["label"] in {"pm", "po", "hybrid", "other"}
    assert "not valid UTF-8" in rec["warnings"][0]


def test_a_posting_over_max_bytes_raises_input_error():
    small = jdclass.Classifier(max_bytes=100)
    assert small.max_bytes == 100
    with pytest.raises(jdclass.InputError, match="over the 100-byte limit") as e:
        small.classify("x" * 101)
    assert isinstance(e.value, jdclass.JdclassError)
    assert small.classify("x" * 100)["label"] == "other"
    assert jdclass.Classifier().max_bytes == jdclass.DEFAULT_MAX_BYTES == 10 * 1024 * 1024


def test_html_and_hostile_input_never_crash(clf):
    hostile = [
        # Small sizes: this checks that nothing crashes; speed on huge input is measured
        # by the root crate's benches, not here.
        "<script>roadmap</script>" * 200,
        "<" * 5_000,
        "backlog " * 5_000,
        "\n" * 20_000,
        "é" * 20_000,
        "<!--" + "roadmap " * 1_000,
        "\u202e\u0000\ufeff product owner \U0001f600",
    ]
    for text in hostile:
        try:
            rec = clf.classify(text)
        except jdclass.InputError as e:
            # No text (only newlines) or binary (a NUL byte): an error, never a crash.
            assert "empty" in str(e) or "NUL" in str(e), e
            continue
        assert rec["label"] in {"pm", "po", "hybrid", "other"}


def test_classifier_pickles_for_spark_executors(tmp_path):
    clf = jdclass.Classifier(max_bytes=1234)
    clone = pickle.loads(pickle.dumps(clf))
    assert clone.max_bytes == 1234 and clone.lexicon == clf.lexicon
    from_file = pickle.loads(pickle.dumps(jdclass.Classifier(ROOT / "lexicon" / "default.toml")))
    assert from_file.lexicon["source"].endswith("default.toml")
    assert "jdclass-default" in repr(clf)
