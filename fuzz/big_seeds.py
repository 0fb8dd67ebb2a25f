#!/usr/bin/env python3
"""Writes the large seed inputs (fuzz/corpus/TARGET/seed-big-*).

libFuzzer grows its inputs slowly from small seeds, so without these every target
spent its hours on inputs under 1.5 KB and never tried the sizes where a super-linear
step shows. Each target gets inputs near its -max_len (64 KiB; 16 KiB for `check`):
real postings from corpus/ (the project's own words), the same as HTML, and the four
slow shapes of issue 9 (names and duties in one unpunctuated sentence, hits in one
sentence, colons without a space, unterminated comments). Deterministic: rerunning it
rewrites the same bytes.

Usage: python3 fuzz/big_seeds.py   (from anywhere; paths are relative to this file)
"""
import csv
import io
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = HERE / "corpus"
# Just under the -max_len the README gives, so libFuzzer keeps the whole input.
BIG = 60_000
CHECK_BIG = 16_000


def postings():
    """(name, text) of every corpus posting, in file-name order."""
    for p in sorted((ROOT / "corpus" / "postings").iterdir()):
        yield p.name, p.read_text(encoding="utf-8")


def cut(data: bytes, limit: int) -> bytes:
    """`data` cut to at most `limit` bytes, on a UTF-8 character boundary."""
    data = data[:limit]
    while data and (data[-1] & 0xC0) == 0x80:
        data = data[:-1]
    if data and data[-1] >= 0xC0:
        data = data[:-1]
    return data


def fill(parts, limit: int, sep: bytes = b"\n\n") -> bytes:
    """Whole parts joined by `sep` while they fit in `limit` bytes."""
    out = b""
    for part in parts:
        piece = (sep if out else b"") + part
        if len(out) + len(piece) > limit:
            break
        out += piece
    return out


def shapes(limit: int) -> bytes:
    """The four slow shapes, each a quarter of `limit`."""
    quarter = limit // 4
    units = [
        b"product manager owns the roadmap ",
        b"roadmap backlog ",
        b"a:",
        b"<!--",
    ]
    return b"".join((u * (quarter // len(u) + 1))[:quarter] for u in units)


def html(limit: int) -> bytes:
    def page(name, text):
        items = "".join(f"<li>{line}</li>" for line in text.splitlines() if line.strip())
        return f"<section><h2>{name}</h2><ul>{items}</ul><!-- {name} --></section>".encode()

    return b"<html><body>" + fill((page(n, t) for n, t in postings()), limit - 30, b"") + b"</body></html>"


def text_postings(limit: int) -> bytes:
    return fill((t.encode() for _, t in postings()), limit)


def jsonl(limit: int) -> bytes:
    rows = []
    for i, (name, text) in enumerate(postings()):
        rows.append(json.dumps({"id": name, "title": name.split(".")[0], "text": text}).encode())
        if i % 7 == 3:  # a broken row now and then: its error record must not stall the rest
            rows.append(b'{"id": "broken-' + str(i).encode() + b'", "text": "unterminated')
    return fill(rows, limit, b"\n") + b"\n"


def csv_rows(limit: int) -> bytes:
    rows = []
    for name, text in postings():
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow([name, name.split(".")[0], text])
        rows.append(buf.getvalue().encode())
    return b"id,title,text\n" + fill(rows, limit - 14, b"")


def lexicon(limit: int) -> bytes:
    """The default lexicon cut before the first entry that does not fit."""
    text = (ROOT / "lexicon" / "default.toml").read_bytes()
    entries = text.split(b"\n[[entry]]")
    return fill([entries[0]] + [b"[[entry]]" + e for e in entries[1:]], limit, b"\n")


def request(head: str, body: bytes) -> bytes:
    return head.encode() + b"\n\n" + body


SEEDS = {
    "classify": {"postings": text_postings(BIG), "html": html(BIG), "shapes": shapes(BIG)},
    "normalize": {"postings": text_postings(BIG), "html": html(BIG), "shapes": shapes(BIG)},
    # check's first byte chooses the intended role (pm, po, hybrid).
    "check": {"postings": b"\x01" + text_postings(CHECK_BIG), "shapes": b"\x00" + shapes(CHECK_BIG)},
    "jsonl_scan": {"postings": jsonl(BIG)},
    "csv_scan": {"postings": csv_rows(BIG)},
    "json_fields": {
        "text": json.dumps({"id": "big", "text": text_postings(BIG - 200).decode()}, ensure_ascii=False).encode(),
        "escaped": json.dumps({"id": "big", "text": text_postings((BIG - 200) // 2).decode()}, ensure_ascii=True).encode(),
    },
    "lexicon": {"default": lexicon(BIG)},
    "serve": {
        "classify": request("POST /v1/classify\nContent-Type: text/plain", text_postings(BIG - 100)),
        "scan": request("POST /v1/scan\nContent-Type: application/x-ndjson", jsonl(BIG - 100)),
        "check": request(
            "POST /v1/check\nContent-Type: application/json",
            json.dumps({"text": text_postings(CHECK_BIG).decode(), "as": "po"}).encode(),
        ),
    },
}


def main():
    for target, seeds in SEEDS.items():
        for name, data in seeds.items():
            path = CORPUS / target / f"seed-big-{name}"
            path.write_bytes(data)
            print(f"{path.relative_to(ROOT)}: {len(data)} bytes")


if __name__ == "__main__":
    main()
