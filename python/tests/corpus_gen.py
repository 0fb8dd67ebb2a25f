"""Postings for tests and the Spark check, generated from corpus/postings with variation.

Each generated posting is a corpus posting with its paragraphs shuffled and some dropped,
its first line split out as a ``title`` field, and a unique ``id``; a few records are
deliberately broken (no text, text that is not a string, empty text) so that the routes
under test must keep counts in = counts out.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus" / "postings"
# Share of generated records that are deliberately broken.
BROKEN_SHARE = 0.01
# Chance that a paragraph is dropped from a posting with more than three.
DROP_CHANCE = 0.12


def corpus_files() -> list[Path]:
    """Every corpus posting, in name order."""
    return sorted(p for p in CORPUS.iterdir() if p.is_file())


def _split(path: Path) -> tuple[str, list[str]]:
    """A posting's title line and its paragraphs (HTML postings: its lines)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix.startswith(".htm"):
        return "", [line for line in text.splitlines() if line.strip()]
    lines = text.splitlines()
    title = ""
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines:
        title = lines.pop(0).strip()
    paras, cur = [], []
    for line in lines:
        if line.strip():
            cur.append(line)
        elif cur:
            paras.append("\n".join(cur))
            cur = []
    if cur:
        paras.append("\n".join(cur))
    return title, paras


def records(n: int, seed: int = 42, broken: bool = True) -> list[dict]:
    """``n`` JSONL-ready records: ``id``, ``title``, ``text`` (a few broken ones)."""
    rng = random.Random(seed)
    parts = [(p, *_split(p)) for p in corpus_files()]
    out = []
    for i in range(n):
        if broken and rng.random() < BROKEN_SHARE:
            kind = rng.choice(["missing", "number", "empty"])
            rec = {"id": f"job-{i}", "title": "Product Owner"}
            if kind == "number":
                rec["text"] = 12345
            elif kind == "empty":
                rec["text"] = "   "
            out.append(rec)
            continue
        path, title, paras = rng.choice(parts)
        order = paras[:]
        rng.shuffle(order)
        kept = [p for p in order if len(order) <= 3 or rng.random() >= DROP_CHANCE]
        sep = "\n" if path.suffix.startswith(".htm") else "\n\n"
        rec = {"id": f"job-{i}", "text": sep.join(kept)}
        if title:
            rec["title"] = title
        out.append(rec)
    return out


def write_jsonl(path: Path, recs: list[dict]) -> None:
    """Write records one JSON object per line."""
    with open(path, "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
