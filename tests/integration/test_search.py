"""Search over real HTTP: relevance on real text in English and Russian
(the sample release and its translation, whole and cut into paragraphs)
written as data, filters and facets, the JSON API with its cursors, the
feed of a search, every kind of bad input, and the index staying in step
with the articles (a rolled-back import, reindex, pressroom check)."""

import json
import os
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prtest  # noqa: E402

NOW = "2024-05-01T12:00:00Z"
KINDS = ["news", "statement", "speech", "interview", "announcement"]
EN0, RU0 = 1000, 2000  # paragraph i of each release is item EN0 + i


def paragraphs(name):
    """The paragraphs of a fixture release but its title line, its photo
    line and its navigation line."""
    text = open(prtest.fixture(name), encoding="utf-8").read().strip()
    paras = [p.strip() for p in text.split("\n\n")]
    return paras[1:-1]


def title_of(p):
    words = re.sub(r"\s+", " ", p).split(" ")
    return " ".join(words[:12]).rstrip(",.;:")


def item(lang, i, p):
    base = EN0 if lang == "en" else RU0
    day = 1 + i
    person = "Igor Krasnov" if lang == "en" else "Игорь Краснов"
    rec = {
        "id": base + i, "lang": lang, "kind": KINDS[i % 5],
        "status": "published",
        "published_at": "2021-10-%02dT%02d:00:00Z" % (day,
                                                     9 if lang == "en" else 10),
        "title": title_of(p), "lead": "", "body": p,
        "tags": ["ecology" if 8 <= i <= 13 else "cooperation"],
        "persons": [person] if ("Krasnov" in p or "Краснов" in p) else [],
        "places": (["Nur-Sultan"] if lang == "en" else ["Нур-Султан"])
        if i == 1 else [],
    }
    return rec


def build_site():
    d = prtest.init_data()
    conf = os.path.join(d, "pressroom.conf")
    prtest.write_config(d, open(conf, encoding="utf-8").read() +
                        "\npage_size = 5\n")
    date = "2021-11-18T09:30:00Z"
    r = prtest.run(["import", "--lang", "en", "--date", date,
                    prtest.fixture("sample-release.txt")], data=d, check=0)
    en_id = re.search(r"\(ids? (\d+)", r.out).group(1)
    prtest.run(["import", "--lang", "ru", "--date", "2021-11-18T10:30:00Z",
                "--translation-of", en_id,
                prtest.fixture("sample-release.ru.txt")], data=d, check=0)
    lines = []
    for lang, name in (("en", "sample-release.txt"),
                       ("ru", "sample-release.ru.txt")):
        for i, p in enumerate(paragraphs(name), start=1):
            lines.append(json.dumps(item(lang, i, p), ensure_ascii=False))
    path = os.path.join(prtest.tmpdir(), "paragraphs.jsonl")
    prtest.write(path, "\n".join(lines) + "\n")
    prtest.run(["import", path], data=d, check=0)
    return d


ENV = {"PRESSROOM_NOW": NOW}
DATA = None


def site():
    global DATA
    if DATA is None:
        DATA = build_site()
    return DATA


def api(s, **params):
    status, headers, body = s.get("/api/v1/search?" +
                                  urllib.parse.urlencode(params))
    return status, headers, json.loads(body.decode("utf-8"))


def ids(s, **params):
    status, _, d = api(s, limit=100, **params)
    assert status == 200, (params, status, d)
    return [r["id"] for r in d["results"]]


# Relevance cases: (query, extra parameters, ids that must be among the
# first `top` hits, ids that must not be found at all, top).
WHOLE_EN, WHOLE_RU = 1, 2
CASES = [
    # the issue's own queries
    ("Krasnov Afghanistan refugees", {}, [EN0 + 15, WHOLE_EN],
     [EN0 + 16], 2),
    ("прокуратура Казахстана", {}, [WHOLE_RU], [], 3),
    ("environmental violations", {}, [EN0 + 8, WHOLE_EN], [], 2),
    # English word forms, as far as Snowball goes
    ("meetings", {"lang": "en"}, [EN0 + 1, EN0 + 14], [], 8),
    ("violated", {}, [EN0 + 8], [], 2),
    ("refugee", {}, [EN0 + 4, EN0 + 15, WHOLE_EN], [EN0 + 16], 3),
    # Russian word forms
    ("прокуроры", {"lang": "ru"}, [RU0 + 2, RU0 + 17], [], 20),
    ("прокурора", {"lang": "ru"}, [RU0 + 1, RU0 + 3, RU0 + 18], [], 20),
    ("прокуратуре", {"lang": "ru"}, [RU0 + 18, RU0 + 2], [RU0 + 3], 20),
    ("беженцы", {}, [RU0 + 4], [EN0 + 4], 2),
    # ё and е are one letter
    ("почетного", {}, [RU0 + 6], [], 2),
    ("трехсотлетии", {}, [RU0 + 18], [], 2),
    ("утвержденной", {}, [RU0 + 8], [], 2),
    # phrases, exclusion, OR, prefixes
    ('"environmental safety"', {}, [EN0 + 8, EN0 + 12], [EN0 + 4], 3),
    ('"safety environmental"', {}, [], [EN0 + 8, EN0 + 12], 0),
    ("Krasnov -Afghanistan", {"lang": "en"}, [EN0 + 1], [EN0 + 4, WHOLE_EN],
     20),
    ("Azerbaijan OR Afghanistan", {"lang": "en"},
     [EN0 + 2, EN0 + 4, EN0 + 15, EN0 + 16], [EN0 + 7], 5),
    ("prosecut*", {"lang": "en"}, [EN0 + 1, EN0 + 3], [EN0 + 7], 40),
    # names across alphabets
    ("Krasnov", {"lang": "ru"}, [RU0 + 1, WHOLE_RU], [], 20),
    ("Краснов", {"lang": "en"}, [EN0 + 1, WHOLE_EN], [], 20),
    ("Нур-Султан", {"lang": "en"}, [EN0 + 1, WHOLE_EN], [], 2),
    ("Nur-Sultan", {"lang": "ru"}, [RU0 + 1, WHOLE_RU], [], 2),
    # filters
    ("Krasnov", {"kind": "statement", "lang": "en"}, [EN0 + 1],
     [EN0 + 3, WHOLE_EN], 10),
    ("Krasnov", {"from": "2021-10-05", "to": "2021-10-08", "lang": "en"},
     [EN0 + 5], [EN0 + 3, EN0 + 8, WHOLE_EN], 5),
    ("waste", {"tag": "ecology"}, [EN0 + 9], [WHOLE_EN], 2),
    ("meeting", {"place": "nur-sultan"}, [EN0 + 1], [WHOLE_EN, EN0 + 14], 2),
    ("Igor", {"person": "igor-krasnov", "lang": "en"}, [EN0 + 1], [], 20),
]


def test_relevance_cases():
    failures = []
    with prtest.Server(site(), env=ENV) as s:
        for q, extra, want, never, top in CASES:
            got = ids(s, q=q, **extra)
            first = got[:top]
            missing = [i for i in want if i not in first]
            bad = [i for i in never if i in got]
            if missing or bad:
                failures.append("%r %r: wanted %s in the first %d, none "
                                "of %s; got %s" % (q, extra, want, top,
                                                   never, got[:20]))
    assert not failures, "\n".join(failures)


def test_title_above_body_and_date_order():
    with prtest.Server(site(), env=ENV) as s:
        # "Azerbaijan" is in the title of paragraph 2 (its first words)
        got = ids(s, q="delegations", lang="en")
        assert got[0] == EN0 + 2, got
        got = ids(s, q="Krasnov", lang="en", sort="date")
        _, _, d = api(s, q="Krasnov", lang="en", sort="date", limit=100)
        dates = [r["published_at"] for r in d["results"]]
        assert dates == sorted(dates, reverse=True), dates
        assert got[0] == WHOLE_EN, got


def test_highlight_and_snippet_forms():
    with prtest.Server(site(), env=ENV) as s:
        _, _, d = api(s, q="прокуроры", lang="ru", limit=100)
        marked = " ".join(r["snippet_html"] + r["title_html"]
                          for r in d["results"])
        forms = set(re.findall(r"<mark>([^<]+)</mark>", marked))
        lower = {f.lower() for f in forms}
        assert {"прокуроров", "прокурор"} & lower, forms
        assert "прокуратуры" not in lower, forms
        _, _, d = api(s, q="Krasnov", lang="ru")
        assert "<mark>Краснов</mark>" in d["results"][0]["title_html"] + \
            d["results"][0]["snippet_html"], d["results"][0]
        status, _, body = s.get("/en/search?q=" +
                                urllib.parse.quote("environmental safety"))
        page = body.decode("utf-8")
        assert status == 200
        assert "<mark>environmental</mark> <mark>safety</mark>" in page


def test_facets_counts():
    with prtest.Server(site(), env=ENV) as s:
        status, _, d = api(s, q="Krasnov")
        assert status == 200 and not d["approximate"], d
        en = [i for i in ids(s, q="Krasnov", lang="en")]
        ru = [i for i in ids(s, q="Krasnov", lang="ru")]
        langs = {f["value"]: f["count"] for f in d["facets"]["lang"]}
        assert langs == {"en": len(en), "ru": len(ru)}, (langs, en, ru)
        assert d["total"] == len(en) + len(ru)
        kinds = {f["value"]: f["count"] for f in d["facets"]["kind"]}
        for k, n in kinds.items():
            assert len(ids(s, q="Krasnov", kind=k)) == n, (k, n)
        years = {f["value"]: f["count"] for f in d["facets"]["year"]}
        assert years == {"2021": d["total"]}, years
        persons = {f["value"]: f["count"] for f in d["facets"]["person"]}
        assert persons["igor-krasnov"] == len(
            ids(s, q="Krasnov", person="igor-krasnov")), persons
        # the page shows the same counts as links
        page = s.text("/en/search?q=Krasnov")
        assert re.search(r'href="/en/search\?q=Krasnov&amp;kind=news">'
                         r'News</a> <span class="count">%d</span>' %
                         kinds["news"], page), page[-3000:]


def test_api_cursor_pages():
    with prtest.Server(site(), env=ENV) as s:
        every = ids(s, q="Prosecutor")
        seen, cursor, calls = [], None, 0
        while True:
            params = {"q": "Prosecutor", "limit": 3}
            if cursor:
                params["cursor"] = cursor
            status, headers, d = api(s, **params)
            assert status == 200, d
            assert headers["Content-Type"].startswith("application/json")
            seen += [r["id"] for r in d["results"]]
            cursor = d["next"]
            calls += 1
            if cursor is None:
                break
            assert isinstance(cursor, str) and calls < 50
        assert seen == every, (seen, every)
        assert len(set(seen)) == len(seen) == d["total"]
        status, _, d = api(s, q="Prosecutor", sort="date", limit=2)
        status, _, e = api(s, q="Prosecutor", cursor=d["next"])
        assert status == 400 and "cursor" in e["error"]["message"], e


def test_html_pages():
    with prtest.Server(site(), env=ENV) as s:
        page = s.text("/en/search?q=Prosecutor&lang=en&page=2")
        assert "Page 2 of" in page, page[:2000]
        assert 'rel="prev"' in page
        page = s.text("/ru/search?q=" + urllib.parse.quote("прокуроры"))
        assert "Результаты" in page or "по запросу" in page
        # every page has the search form in its header
        for path in ("/en/news", "/ru/archive", "/en/search"):
            assert 'role="search"' in s.text(path), path


def test_nothing_found_helps():
    with prtest.Server(site(), env=ENV) as s:
        page = s.text("/en/search?q=enviromental")
        assert "Did you mean" in page, page[-2000:]
        assert ">environmental</a>" in page, page[-2000:]
        page = s.text("/en/search?q=Afghanistan&kind=speech&lang=en")
        assert "Without the filters:" in page, page[-2000:]
        assert 'href="/en/search?q=Afghanistan"' in page
        page = s.text("/ru/search?q=" + urllib.parse.quote("прокурорв"))
        assert "Возможно, вы имели в виду" in page, page[-2000:]
        page = s.text("/en/search?q=Krasnov&tag=no-such-tag")
        assert "there is no “no-such-tag”" in page, page[-2000:]


def test_feed_of_a_search():
    with prtest.Server(site(), env=ENV) as s:
        status, headers, body = s.get("/en/search/atom.xml?q=Krasnov&lang=ru")
        assert status == 200, body[:500]
        assert "atom" in headers["Content-Type"]
        root = ET.fromstring(body)
        ns = "{http://www.w3.org/2005/Atom}"
        entries = root.findall(ns + "entry")
        want = ids(s, q="Krasnov", lang="ru", sort="date")
        assert 0 < len(entries) <= 20 and len(entries) == min(20, len(want))
        links = [e.find(ns + "link").get("href") for e in entries]
        assert all("/ru/news/" in u for u in links), links


BAD = [
    # (path, allowed statuses, a word the answer must hold)
    ("/en/search", (200,), "search"),
    ("/en/search?q=", (200,), "search"),
    ("/en/search?q=%20%20%20", (200,), "search"),
    ("/en/search?q=---", (200,), "search"),
    ("/en/search?q=OR%20AND%20NOT", (200,), "search"),
    ("/en/search?q=%22%22%22", (200,), "search"),
    ("/en/search?q=%22Prosecutor%20General", (200,), "results"),
    ("/en/search?q=*", (200,), "search"),
    ("/en/search?q=NEAR(a%20b)%20title:x%20%5E%7B%7D", (200,), "results"),
    ("/en/search?q=%FF%FE", (400,), "UTF-8"),
    ("/en/search?q=%E2%82", (400,), "UTF-8"),
    ("/en/search?q=%zz", (400,), "percent"),
    ("/en/search?q=%", (400,), "percent"),
    ("/en/search?q=a&from=2021-02-30", (400,), "2021-11-18"),
    ("/en/search?q=a&from=yesterday", (400,), "2021-11-18"),
    ("/en/search?q=a&from=2022-01-01&to=2021-01-01", (400,), "after"),
    ("/en/search?q=a&kind=blogpost", (400,), "blogpost"),
    ("/en/search?q=a&lang=xx", (400,), "xx"),
    ("/en/search?q=a&sort=random", (400,), "random"),
    ("/en/search?q=a&page=0", (400,), "page"),
    ("/en/search?q=a&page=-1", (400,), "page"),
    ("/en/search?q=a&page=1e9", (400,), "page"),
    # pages of 5 (see build_site): results go to page 1000 / 5
    ("/en/search?q=a&page=201", (400,), "200"),
    ("/en/search?q=Krasnov&page=200", (200,), "page"),
    ("/en/search?q=a&tag=Not%20A%20Slug", (400,), "tag"),
    ("/api/v1/search", (400,), "Nothing to search"),
    ("/api/v1/search?q=---", (400,), "Nothing to search"),
    ("/api/v1/search?q=a&limit=101", (400,), "limit"),
    ("/api/v1/search?q=a&limit=x", (400,), "limit"),
    ("/api/v1/search?q=a&cursor=" + "0" * 70, (400,), "cursor"),
    ("/api/v1/search?q=a&cursor=%ZZ", (400,), "percent"),
    ("/api/v1/search?q=a&from=2021-99-01", (400,), "2021-11-18"),
    ("/api/v1/search?q=a&kind=x", (400,), "kind"),
]


def test_bad_input():
    long_q = urllib.parse.quote(" ".join(["прокурор", "word", '"x', "-y",
                                          "OR", "z*"] * 120))[:7000]
    cases = BAD + [
        ("/en/search?q=" + long_q, (200,), "results"),
        ("/api/v1/search?q=" + long_q, (200,), "results"),
        # a 10 KB query is longer than an address may be (8 KB): the HTTP
        # layer refuses it with 414 and says why, before the search runs
        ("/en/search?q=" + "word+" * 2048, (414,), "8 KB"),
    ]
    with prtest.Server(site(), env=ENV) as s:
        for path, statuses, word in cases:
            status, headers, body = s.get(path)
            text = body.decode("utf-8", "replace")
            assert status in statuses, (path[:120], status, text[:300])
            if path.startswith("/api/") and "%Z" not in path:
                assert headers["Content-Type"].startswith(
                    "application/json"), (path, headers["Content-Type"])
            assert word.lower() in text.lower(), (path[:120], text[:500])
            if (headers["Content-Type"].startswith("application/json")
                    and status == 400):
                err = json.loads(text)["error"]
                assert err["status"] == 400 and err["message"], err
        # the server is alive and well after all that
        assert ids(s, q="Krasnov")


def test_index_in_step():
    d = prtest.init_data()
    good = {"lang": "en", "title": "Glaciers retreat", "published_at":
            "2020-01-01T00:00:00Z", "body": "Unusualword appears here."}
    bad = dict(good, title="", body="Anotherunusualword")
    path = os.path.join(prtest.tmpdir(), "half.jsonl")
    prtest.write(path, json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    r = prtest.run(["import", path], data=d)
    assert r.code == 1, r
    prtest.run(["check"], data=d, check=0)
    with prtest.Server(d, env=ENV) as s:
        status, _, res = api(s, q="unusualword")
        assert status == 200 and res["total"] == 0, res
    prtest.write(path, json.dumps(good) + "\n")
    prtest.run(["import", path], data=d, check=0)
    prtest.run(["check"], data=d, check=0)
    r = prtest.run(["reindex"], data=d, check=0)
    assert "reindexed 1 articles" in r.out, r.out
    prtest.run(["check"], data=d, check=0)
    with prtest.Server(d, env=ENV) as s:
        status, _, res = api(s, q="unusualwords")
        assert res["total"] == 1, res
    r = prtest.run(["reindex", "--help"], data=d, check=0)
    assert "search index" in r.out


def test_scheduled_and_drafts_hidden():
    d = prtest.init_data()
    recs = [
        {"lang": "en", "title": "Visible zeppelin", "status": "published",
         "published_at": "2020-01-01T00:00:00Z", "body": "zeppelin"},
        {"lang": "en", "title": "Future zeppelin", "status": "published",
         "published_at": "2030-01-01T00:00:00Z", "body": "zeppelin"},
        {"lang": "en", "title": "Draft zeppelin", "status": "draft",
         "published_at": "2020-01-01T00:00:00Z", "body": "zeppelin"},
    ]
    path = os.path.join(prtest.tmpdir(), "z.jsonl")
    prtest.write(path, "\n".join(json.dumps(x) for x in recs) + "\n")
    prtest.run(["import", path], data=d, check=0)
    with prtest.Server(d, env=ENV) as s:
        status, _, res = api(s, q="zeppelin")
        assert [r["title"] for r in res["results"]] == ["Visible zeppelin"]
        assert res["total"] == 1


if __name__ == "__main__":
    prtest.main(globals())
