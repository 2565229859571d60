#!/usr/bin/env python3
"""Rank the judged queries with SQLite FTS5 (a peer), on the same article text and ids.

Reads the articles as newsdex normalises them (`newsdex normalize PATH` JSON Lines on stdin or a
file), indexes title and body in an FTS5 table (porter stemmer, as newsdex stems English), runs
each query of a `qid<TAB>text` file in two ways and writes one TREC run file per way:

  and  every word must match (what FTS5 does with the words as typed)
  any  any non-stop word may match (OR; the stop words newsdex drops), the better peer

Ranking is FTS5's bm25() with the title weighted as newsdex weighs it (0.5 of the body) and,
for comparison, FTS5's default (equal weights). Score the runs with
`newsdex eval ranking --qrels QRELS --score-run RUN`. Only the Python standard library is used.

    target/release/newsdex normalize ../shared/corpora/reuters21578/sgm > /tmp/reuters.jsonl
    python3 scripts/peer_ranking_fts5.py /tmp/reuters.jsonl tests/data/ranking/reuters.queries.tsv /tmp/fts5
"""

import json
import re
import sqlite3
import sys
import time
from pathlib import Path

# The stop words newsdex drops from natural-language queries (src/search/query.rs).
STOP_WORDS = set(
    """a about after all also am an and any are article articles as at be been being but by can
    could did do does doing for from had has have having he her here hers him his how i if in into
    is it its me my of on or our s she should so some stories story such than that the their them
    then there these they this those to us was we were what when where which who whom whose why
    will with would you your""".split()
)

DEPTH = 100


def words(text):
    return re.findall(r"[^\W_]+", text.lower())


def fts_query(text, mode):
    ws = words(text)
    if mode == "any":
        ws = [w for w in ws if w not in STOP_WORDS] or ws
    quoted = ['"%s"' % w for w in ws]
    return (" OR " if mode == "any" else " AND ").join(quoted)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    articles, queries, out_prefix = sys.argv[1:]
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE a USING fts5(id UNINDEXED, title, body, tokenize='porter unicode61')"
    )
    t0 = time.perf_counter()
    n = 0
    with open(articles, encoding="utf-8") as f:
        rows = []
        for line in f:
            art = json.loads(line)
            rows.append((art["id"], art.get("title", ""), art.get("body", "")))
            n += 1
        db.executemany("INSERT INTO a(id, title, body) VALUES (?, ?, ?)", rows)
    db.commit()
    print(f"indexed {n} articles in {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    qs = []
    for line in Path(queries).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and "\t" in line:
            qid, text = line.split("\t", 1)
            qs.append((qid.strip(), text.strip()))

    for mode in ("and", "any"):
        for weights, label in (((0.5, 1.0), "title0.5"), ((1.0, 1.0), "default")):
            path = f"{out_prefix}-{mode}-{label}.run"
            t0 = time.perf_counter()
            with open(path, "w", encoding="utf-8") as out:
                for qid, text in qs:
                    sql = (
                        "SELECT id, bm25(a, 0.0, ?, ?) AS s FROM a WHERE a MATCH ? "
                        "ORDER BY s LIMIT ?"
                    )
                    rows = db.execute(sql, (*weights, fts_query(text, mode), DEPTH)).fetchall()
                    seen = set()
                    for rank, (doc, score) in enumerate(rows, 1):
                        if doc in seen:
                            continue
                        seen.add(doc)
                        # bm25() is lower-is-better; a run file wants higher-is-better.
                        out.write(f"{qid} Q0 {doc} {rank} {-score:.6f} fts5-{mode}-{label}\n")
            took = (time.perf_counter() - t0) * 1000 / max(len(qs), 1)
            print(f"{path}: {len(qs)} queries, {took:.1f} ms per query", file=sys.stderr)


if __name__ == "__main__":
    main()
