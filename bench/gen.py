#!/usr/bin/python3
"""Generates a large news archive for the benchmarks: N articles (default
100,000) in pressroom's interchange format (DESIGN.md), 15% of them in
Russian, with realistic sizes: a 6-14 word title, a 20-45 word lead, a body
of about 600 words (300-1,000) in paragraphs, 1-4 tags out of 400, 0-3
persons out of 3,000, 0-2 places out of 300, dates spread over 2006-2026.

  bench/gen.py [-n N] [--seed S] OUTDIR

writes OUTDIR/items.jsonl (for `pressroom import`) and OUTDIR/items.csv (the
same fields for the sqlite3 CLI's `.import`, the floor bench/import.sh
compares with). Words come from the word lists of Debian's wamerican
(/usr/share/dict/words) and hunspell-ru (/usr/share/hunspell/ru_RU.dic),
drawn with a Zipf distribution so that the search index sees a natural mix
of frequent and rare words; without those lists it recombines the demo text
(State of the Union addresses, fortunes-ru). The same N and seed always give
the same bytes. Standard library only.
"""

import argparse
import bisect
import calendar
import csv
import glob
import itertools
import json
import os
import random
import re
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EN_DICT = "/usr/share/dict/words"
RU_DICT = "/usr/share/hunspell/ru_RU.dic"


def words_en_dict():
    if not os.path.exists(EN_DICT):
        return None
    out = [w for w in open(EN_DICT, encoding="utf-8").read().split()
           if re.fullmatch(r"[a-z]{2,14}", w)]
    return out if len(out) > 1000 else None


def words_ru_dict():
    if not os.path.exists(RU_DICT):
        return None
    out = []
    with open(RU_DICT, encoding="utf-8") as f:
        next(f)  # the count
        for line in f:
            w = line.split("/", 1)[0].strip()
            if re.fullmatch(r"[а-яё]{2,16}", w):
                out.append(w)
    return out if len(out) > 1000 else None


def words_from_demo(lang):
    """The fallback: the words of the demo's texts."""
    text = []
    if lang == "en":
        for f in glob.glob(os.path.join(ROOT, ".cache/datasets-sotu/data",
                                        "*.json")):
            text.append(json.load(open(f, encoding="utf-8"))["text"])
        rx = r"[a-z]{2,14}"
    else:
        for f in glob.glob("/usr/share/games/fortunes/ru/*.u8"):
            text.append(open(f, encoding="utf-8", errors="replace").read())
        rx = r"[а-яё]{2,16}"
    words = sorted(set(re.findall(rx, " ".join(text).lower())))
    if len(words) < 500:
        sys.exit("gen: no word list for %s: install wamerican and "
                 "hunspell-ru (scripts/deps.sh bench)" % lang)
    return words


# The most frequent words of each language, so that the head of the Zipf
# curve looks like real text (and like what a search index sees).
EN_COMMON = """the of and to a in that is was he for it with as his on be at by
i this had not are but from or have an they which one you were her all she
there would their we him been has when who will more no if out so said what
up its about into than them can only other new some could time these two may
then do first any my now such like our over man me even most made after also
did many before must through back years where much your way well down should
because each just those people how too little state good very make world
still own see men work long get here between both life being under never day
same another know while last might us great old year off come since against
go came right used take three""".split()
RU_COMMON = """и в не на я быть он с что а по это она этот к но они мы как из у
который то за свой что весь год от так о для ты же все тот мочь вы человек
такой его сказать только или ещё бы себя один как уже до время если сам когда
другой вот говорить наш мой знать стать при чтобы дело жизнь кто первый очень
два день её новый рука даже во со раз где там под можно ну какой после их
работа без самый потом надо хотеть ли слово идти большой должен место иметь
ничто""".split()


class Lang:
    """Words ranked at random, drawn with Zipf's law (s = 1.1), and a pool of
    ready sentences the articles are cut from."""

    def __init__(self, rng, common, words, n_sentences):
        rng.shuffle(words)
        self.words = common + words
        self.cum = list(itertools.accumulate(
            1.0 / (r + 1) for r in range(len(self.words))))
        self.rng = rng
        self.sentences = [self.sentence(rng.randint(6, 24))
                          for _ in range(n_sentences)]
        self.lengths = [len(s.split()) for s in self.sentences]

    def pick(self, k):
        total = self.cum[-1]
        rnd = self.rng.random
        cum = self.cum
        return [self.words[bisect.bisect_left(cum, rnd() * total)]
                for _ in range(k)]

    def sentence(self, n):
        w = self.pick(n)
        w[0] = w[0][0].upper() + w[0][1:]
        # a comma now and then, a capitalised name now and then
        for i in range(2, n - 2, 7):
            if self.rng.random() < 0.4:
                w[i] += ","
        if self.rng.random() < 0.3:
            i = self.rng.randrange(1, n)
            w[i] = w[i].capitalize()
        return " ".join(w) + self.rng.choice(".........?!")

    def text(self, n_words):
        """Sentences from the pool until n_words are reached."""
        out = []
        n = 0
        rng = self.rng
        while n < n_words:
            i = rng.randrange(len(self.sentences))
            out.append(self.sentences[i])
            n += self.lengths[i]
        return out


def names(rng, lang, count, parts):
    """count distinct names of parts words each, from the rarer words."""
    out = set()
    pool = lang.words[300:]
    while len(out) < count:
        out.add(" ".join(rng.choice(pool).capitalize()
                         for _ in range(parts)))
    return sorted(out)


def zipf_pick(rng, pool, cum, k):
    total = cum[-1]
    got = []
    while len(got) < k:
        x = pool[bisect.bisect_left(cum, rng.random() * total)]
        if x not in got:
            got.append(x)
    return got


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("outdir")
    a = ap.parse_args()
    t0 = time.time()
    rng = random.Random(a.seed)

    en_words = words_en_dict() or words_from_demo("en")
    ru_words = words_ru_dict() or words_from_demo("ru")
    en = Lang(random.Random(a.seed * 7 + 1), EN_COMMON, en_words, 60000)
    ru = Lang(random.Random(a.seed * 7 + 2), RU_COMMON, ru_words, 30000)

    tags = {"en": names(rng, en, 400, 1), "ru": names(rng, ru, 400, 1)}
    tags = {k: [t.lower() for t in v] for k, v in tags.items()}
    persons = {"en": names(rng, en, 3000, 2), "ru": names(rng, ru, 3000, 3)}
    places = {"en": names(rng, en, 300, 1), "ru": names(rng, ru, 300, 1)}
    cums = {}
    for pool in (tags, persons, places):
        for k, v in pool.items():
            cums[id(v)] = list(itertools.accumulate(
                1.0 / (r + 1) for r in range(len(v))))

    kinds = ["news"] * 70 + ["statement"] * 12 + ["announcement"] * 10 + \
        ["interview"] * 5 + ["speech"] * 3
    start = calendar.timegm((2006, 1, 1, 0, 0, 0))
    end = calendar.timegm((2026, 11, 1, 0, 0, 0))
    stamps = sorted(rng.randrange(start, end)
                    for _ in range(a.n))

    os.makedirs(a.outdir, exist_ok=True)
    jpath = os.path.join(a.outdir, "items.jsonl")
    cpath = os.path.join(a.outdir, "items.csv")
    jf = open(jpath + ".tmp", "w", encoding="utf-8", newline="\n")
    cf = open(cpath + ".tmp", "w", encoding="utf-8", newline="")
    cw = csv.writer(cf)
    cw.writerow(["lang", "kind", "published_at", "title", "lead", "body",
                 "tags", "persons", "places"])
    nbytes = 0
    for i in range(a.n):
        code = "ru" if rng.random() < 0.15 else "en"
        L = en if code == "en" else ru
        title = L.sentence(rng.randint(6, 14)).rstrip(".?!")
        title = title[0].upper() + title[1:]
        lead = " ".join(L.text(rng.randint(20, 45)))
        paras = []
        left = int(min(1000, max(300, rng.gauss(600, 150))))
        while left > 0:
            n = min(left, rng.randint(40, 120))
            p = " ".join(L.text(n))
            if rng.random() < 0.06:
                p = "> " + p
            paras.append(p)
            left -= len(p.split())
        body = "\n\n".join(paras) + "\n"
        item = {
            "lang": code,
            "kind": kinds[rng.randrange(len(kinds))],
            "status": "published",
            "published_at": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                          time.gmtime(stamps[i])),
            "title": title,
            "lead": lead,
            "body": body,
            "tags": zipf_pick(rng, tags[code], cums[id(tags[code])],
                              rng.randint(1, 4)),
            "persons": zipf_pick(rng, persons[code],
                                 cums[id(persons[code])],
                                 rng.randint(0, 3)),
            "places": zipf_pick(rng, places[code], cums[id(places[code])],
                                rng.randint(0, 2)),
        }
        line = json.dumps(item, ensure_ascii=False)
        nbytes += len(line.encode()) + 1
        jf.write(line)
        jf.write("\n")
        cw.writerow([item["lang"], item["kind"], item["published_at"],
                     title, lead, body, ";".join(item["tags"]),
                     ";".join(item["persons"]), ";".join(item["places"])])
    jf.close()
    cf.close()
    os.replace(jpath + ".tmp", jpath)
    os.replace(cpath + ".tmp", cpath)
    print("gen: %d items, %.0f MB of JSON Lines in %.1f s" %
          (a.n, nbytes / 1e6, time.time() - t0), file=sys.stderr)


if __name__ == "__main__":
    main()
