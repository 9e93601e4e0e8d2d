#!/usr/bin/python3
"""The fixed query set of bench/search.sh, drawn from the corpus itself.

  bench/search_queries.py [-n N] [--seed S] JSONL... > queries.tsv

Writes N queries (default 600), one a line: the query as a person types it,
a tab, the same as an FTS5 expression (each word quoted, so stock FTS5 sees
no syntax in it). Queries are made the way search logs look: a few queries
asked again and again and a long tail (Zipf's law over a pool of distinct
queries); a query is one word (50%), two (25%) or three (10%) words, or a
two-word phrase in quotes (15%) cut from a text, so that it matches. Words
are drawn with Zipf's law over the corpus vocabulary ranked by frequency,
leaving out the function words people do not search for (the, of, и, в:
the commonest words of each language, as bench/gen.py lists them), English
and Russian in the corpus' proportion. The same files and seed always give
the same queries. Standard library only.
"""

import argparse
import bisect
import collections
import itertools
import json
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402  (its lists of function words)

SAMPLE = 20000  # records the vocabulary is counted on
WORD = re.compile(r"[a-z]{3,}|[а-яё]{3,}")


def read_sample(paths, rng):
    texts = {"en": [], "ru": []}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for i, line in enumerate(f):
                if i >= SAMPLE:
                    break
                r = json.loads(line)
                lang = "ru" if r.get("lang") == "ru" else "en"
                texts[lang].append(" ".join(
                    (r.get("title", ""), r.get("lead", ""),
                     r.get("body", ""))).lower())
    return texts


def vocabulary(texts, stop):
    """Words by frequency, commonest first, without the function words."""
    c = collections.Counter()
    for t in texts:
        c.update(w for w in WORD.findall(t) if w not in stop)
    return [w for w, n in c.most_common() if n >= 3]


class Zipf:
    def __init__(self, items, s, rng):
        self.items = items
        self.cum = list(itertools.accumulate(
            1.0 / (r + 1) ** s for r in range(len(items))))
        self.rng = rng

    def pick(self):
        x = self.rng.random() * self.cum[-1]
        return self.items[bisect.bisect_left(self.cum, x)]


def phrase(texts, stop, rng):
    """Two neighbouring words of a text, neither a function word."""
    while True:
        t = rng.choice(texts)
        words = re.findall(r"[a-zа-яё]+|[^\sa-zа-яё]", t)
        for _ in range(20):
            i = rng.randrange(len(words) - 1)
            a, b = words[i], words[i + 1]
            if (WORD.fullmatch(a) and WORD.fullmatch(b) and
                    a not in stop and b not in stop):
                return '"%s %s"' % (a, b)


def fts5_form(q):
    if q.startswith('"'):
        return q
    return " ".join('"%s"' % w for w in q.split())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=600)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("jsonl", nargs="+")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    texts = read_sample(a.jsonl, rng)
    stop = set(gen.EN_COMMON) | set(gen.RU_COMMON) | {"ещё", "её"}
    vocab = {k: vocabulary(v, stop) for k, v in texts.items() if v}
    zipf = {k: Zipf(v, 1.0, rng) for k, v in vocab.items()}
    ru_share = len(texts["ru"]) / max(1, len(texts["en"]) + len(texts["ru"]))
    pool = []
    seen = set()
    while len(pool) < max(200, a.n * 2 // 3):
        lang = "ru" if rng.random() < ru_share and "ru" in zipf else "en"
        x = rng.random()
        if x < 0.15:
            q = phrase(texts[lang], stop, rng)
        else:
            k = 1 if x < 0.65 else 2 if x < 0.90 else 3
            q = " ".join(zipf[lang].pick() for _ in range(k))
        if q not in seen:
            seen.add(q)
            pool.append(q)
    draw = Zipf(pool, 1.0, rng)
    out = sys.stdout
    for _ in range(a.n):
        q = draw.pick()
        out.write("%s\t%s\n" % (q, fts5_form(q)))


if __name__ == "__main__":
    main()
