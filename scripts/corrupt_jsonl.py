#!/usr/bin/env python3
"""Write a JSONL file of N postings, a share of them corrupted in one of 36 ways, and the
error kinds `jdclass scan` must report for it.

    scripts/corrupt_jsonl.py N OUT.jsonl EXPECTED.json [--share 0.05] [--seed 9] [--max-bytes 65536]

EXPECTED.json holds {"records": N, "errors_by_kind": {...}, "corruptions": {...}}: every
line is a record (no blank lines are written), and each corruption names the error kind
it must yield, or "classified" when the posting is still readable (a duplicate key, a
huge numeric id, HTML, escape sequences...). The postings are generated from a few
sentences written for this script; nothing comes from the shared data.
"""
import argparse
import json
import random
import sys

DUTIES = [
    "You will own the product backlog and write user stories with clear acceptance criteria.",
    "Lead sprint planning and backlog refinement with the development team every week.",
    "Set the product vision and own the roadmap for the next four quarters.",
    "Run market research and competitive analysis to find where the product should go next.",
    "Define pricing and positioning and plan the go-to-market with sales and marketing.",
    "Answer questions from the developers during the sprint and accept finished stories.",
    "Maintain the risk register and report schedule status to the steering committee.",
    "Facilitate the daily stand-up and remove impediments for the scrum team.",
    "Work with customers to understand their needs and turn them into requirements.",
    "Track business outcomes such as revenue and retention and share them each month.",
]
TITLES = ["Product Owner", "Product Manager", "Senior Product Manager", "Scrum Master", "Project Manager", ""]


def posting(rng):
    body = " ".join(rng.sample(DUTIES, rng.randint(2, 5)))
    return body


def good(rng, i):
    rec = {"id": f"job-{i}", "text": posting(rng)}
    title = rng.choice(TITLES)
    if title:
        rec["title"] = title
    return json.dumps(rec, ensure_ascii=False).encode()


def half(line):
    return line[: len(line) // 2]


def record(i, text_json):
    return b'{"id":"job-%d","text":%s}' % (i, text_json)


# Each corruption: (name, expected error kind or "classified", function (rng, i, max_bytes) -> bytes)
def corruptions():
    t = lambda rng: json.dumps(posting(rng)).encode()  # noqa: E731
    return [
        ("truncated", "json", lambda r, i, m: half(good(r, i))),
        ("no-closing-brace", "json", lambda r, i, m: good(r, i)[:-1]),
        ("trailing-garbage", "json", lambda r, i, m: good(r, i) + b" x"),
        ("single-quotes", "json", lambda r, i, m: b"{'id':'%d','text':'own the backlog'}" % i),
        ("bare-array", "json", lambda r, i, m: b"[1,2,3]"),
        ("bare-string", "json", lambda r, i, m: b'"own the backlog"'),
        ("bare-number", "json", lambda r, i, m: b"42"),
        ("bare-null", "json", lambda r, i, m: b"null"),
        ("invalid-utf8-text", "utf8", lambda r, i, m: record(i, b'"own the \xff\xfe backlog"')),
        ("invalid-utf8-key", "utf8", lambda r, i, m: b'{"\xc3\x28":1,"text":"x"}'),
        ("raw-control-char", "json", lambda r, i, m: record(i, b'"own the \x01 backlog"')),
        ("escaped-nul", "classified", lambda r, i, m: record(i, b'"own the \\u0000 product backlog"')),
        ("missing-text", "missing-field", lambda r, i, m: b'{"id":"job-%d","body":"own the backlog"}' % i),
        ("null-text", "not-string", lambda r, i, m: record(i, b"null")),
        ("number-text", "not-string", lambda r, i, m: record(i, b"12.5")),
        ("array-text", "not-string", lambda r, i, m: record(i, b'["own the backlog"]')),
        ("object-text", "not-string", lambda r, i, m: record(i, b'{"a":"b"}')),
        ("bool-text", "not-string", lambda r, i, m: record(i, b"true")),
        ("number-title", "not-string", lambda r, i, m: b'{"id":"job-%d","title":7,"text":%s}' % (i, t(r))),
        ("empty-text", "empty", lambda r, i, m: record(i, b'""')),
        ("blank-text", "empty", lambda r, i, m: record(i, b'"   \\n\\t  "')),
        ("over-max-bytes", "too-large", lambda r, i, m: record(i, json.dumps("backlog " * (m // 8 + 16)).encode())),
        ("lone-surrogate", "json", lambda r, i, m: record(i, b'"own the \\ud800 backlog"')),
        ("bad-escape", "json", lambda r, i, m: record(i, b'"own the \\x41 backlog"')),
        ("duplicate-key", "classified", lambda r, i, m: b'{"id":"job-%d","text":%s,"text":"x"}' % (i, t(r))),
        ("huge-numeric-id", "classified", lambda r, i, m: b'{"id":%s,"text":%s}' % (b"9" * 5001, t(r))),
        ("deep-nesting", "classified", lambda r, i, m: b'{"x":%s%s,"text":"backlog"}' % (b"[" * 300, b"]" * 300)),
        ("bom-mid-file", "json", lambda r, i, m: b"\xef\xbb\xbf" + good(r, i)),
        ("crlf", "classified", lambda r, i, m: good(r, i) + b"\r"),
        ("html-text", "classified", lambda r, i, m: record(i, json.dumps("<ul><li>Own the <b>backlog</b></li></ul>").encode())),
        ("terminal-escapes", "classified", lambda r, i, m: record(i, b'"\\u001b]0;x\\u0007own the \\u001b[2Jbacklog"')),
        ("long-id", "classified", lambda r, i, m: b'{"id":"%s","text":%s}' % (b"x" * 5000, t(r))),
        ("unterminated-string", "json", lambda r, i, m: b'{"id":"job-%d","text":"own the backlog}' % i),
        ("comment", "json", lambda r, i, m: b"// " + good(r, i)),
        ("open-comments", "classified", lambda r, i, m: record(i, json.dumps("<p>" + "<!--" * 2000 + " backlog").encode())),
        ("escaped-key", "classified", lambda r, i, m: b'{"id":"job-%d","te\\u0078t":%s}' % (i, t(r))),
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("expected")
    ap.add_argument("--share", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--max-bytes", type=int, default=65536)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    kinds = corruptions()
    errors, used = {}, {}
    with open(a.out, "wb") as f:
        for i in range(a.n):
            if rng.random() < a.share:
                name, kind, make = kinds[i % len(kinds)]
                line = make(rng, i, a.max_bytes)
                used[name] = used.get(name, 0) + 1
                if kind != "classified":
                    errors[kind] = errors.get(kind, 0) + 1
            else:
                line = good(rng, i)
            assert b"\n" not in line
            f.write(line + b"\n")
    with open(a.expected, "w") as f:
        json.dump({"records": a.n, "errors_by_kind": errors, "corruptions": used}, f, indent=1, sort_keys=True)
    print(f"{a.n} records, {sum(used.values())} corrupted in {len(used)} ways", file=sys.stderr)


if __name__ == "__main__":
    main()
