#!/usr/bin/env python3
"""Counts for a CoNLL-2003 file (default: gold.conll beside this script).

Documents, sentences, tokens and entity mentions per type. A mention is a
maximal run of tokens with the same type, split where a B- tag starts a new
one (IOB1). Standard library only: python3 count.py [FILE]
"""
import pathlib
import sys

path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).with_name("gold.conll")
docs = sents = toks = 0
mentions = {"PER": 0, "ORG": 0, "LOC": 0, "MISC": 0}
in_sent, prev = False, "O"
for line in path.read_text(encoding="utf-8").splitlines():
    if line.startswith("-DOCSTART-"):
        docs += 1
        continue
    if not line.strip():
        sents += in_sent
        in_sent, prev = False, "O"
        continue
    in_sent = True
    toks += 1
    tag = line.split()[-1]
    if tag != "O" and (tag.startswith("B-") or prev == "O" or prev[2:] != tag[2:]):
        mentions[tag[2:]] += 1
    prev = tag
sents += in_sent
print(f"documents {docs}, sentences {sents}, tokens {toks}, mentions {sum(mentions.values())}: "
      + ", ".join(f"{k} {v}" for k, v in mentions.items()))
