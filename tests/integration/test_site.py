"""The reader's side over real HTTP: every page type, redirects to
canonical addresses, pagination, the archive's counts, entity pages with
their "older" links, the language switch, conditional requests, gzip,
methods, bad input of every kind, cache invalidation, and golden files of
the sample release's article and print pages.

PR_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing."""

import difflib
import gzip
import json
import os
import re
import socket
import sys
import time
from datetime import datetime, timedelta, timezone

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prtest  # noqa: E402

GOLDEN = os.path.join(prtest.SOURCE_DIR, "tests", "golden")
SAMPLE_DATE = "2021-11-18T09:30:00Z"
GOLDEN_NOW = "2024-05-01T12:00:00Z"
PAGE_SIZE = 10
KINDS = ["news", "statement", "speech", "interview", "announcement"]
TAGS = ["ecology", "corruption", "cooperation"]
PERSONS = ["Igor Krasnov", "Anna Petrova"]
PLACES = ["Moscow", "Nur-Sultan", "Minsk"]
EVIL_TITLE = 'Prices & "quotes" <b>not bold</b> \'here\''


def sample_path(lang="en"):
    """The sample release, or its Russian translation."""
    return prtest.fixture("sample-release.txt" if lang == "en" else
                          "sample-release.ru.txt")


def rfc3339(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def make_items():
    """About 60 items: English ones spread over three years, Russian ones
    (most of them translations), a draft and a future item."""
    items = []
    for i in range(48):
        dt = datetime(2019 + i % 3, 1 + (i * 5) % 12, 1 + (i * 7) % 28,
                      8 + i % 10, (i * 13) % 60, tzinfo=timezone.utc)
        rec = {
            "id": 1000 + i, "lang": "en", "kind": KINDS[i % len(KINDS)],
            "status": "published", "published_at": rfc3339(dt),
            "title": "English item %d on %s" % (i, TAGS[i % 3]),
            "lead": "The lead of English item %d." % i,
            "body": "First paragraph of item %d.\n\n> A quotation.\n\n"
                    "Last paragraph with *emphasis*." % i,
            "tags": [TAGS[i % 3]],
            "persons": [PERSONS[i % 2]] if i % 4 == 0 else [],
            "places": [PLACES[i % 3]],
        }
        if i == 7:
            rec["title"] = EVIL_TITLE
        if i == 38:  # the newest English item, edited later
            rec["updated_at"] = "2022-02-02T10:00:00Z"
        items.append(rec)
    for j in range(12):
        en = items[j]
        dt = datetime.strptime(en["published_at"], "%Y-%m-%dT%H:%M:%SZ")
        rec = {
            "id": 2000 + j, "lang": "ru", "kind": "news",
            "published_at": rfc3339(dt + timedelta(hours=1)),
            "title": "Русская новость номер %d" % j,
            "lead": "Вводный абзац русской новости %d." % j,
            "body": "Текст новости %d на русском языке." % j,
            "tags": [TAGS[j % 3]], "places": ["Москва"],
        }
        if j < 8:
            rec["translation_of"] = 1000 + j
        items.append(rec)
    items.append({
        "id": 3000, "lang": "en", "status": "draft",
        "published_at": "2020-05-05T10:00:00Z",
        "title": "Secret draft never shown", "body": "Draft body.",
        "tags": ["ecology"]})
    items.append({
        "id": 3001, "lang": "en", "status": "published",
        "published_at": "2099-01-01T10:00:00Z",
        "title": "Future item not yet due", "body": "Future body.",
        "tags": ["ecology"]})
    return items


ITEMS = make_items()


def visible(lang):
    return [r for r in ITEMS if r["lang"] == lang and
            r.get("status", "published") == "published" and
            r["published_at"] < "2090"]


def write_jsonl(path, items):
    return prtest.write(path, "".join(json.dumps(r, ensure_ascii=False) +
                                      "\n" for r in items))


_state = {}


def site():
    """One data folder with the fixtures and a server over it, shared by
    the tests and stopped at exit."""
    if "srv" in _state:
        return _state["srv"]
    d = prtest.init_data()
    prtest.write_config(d, "page_size = %d\n" % PAGE_SIZE)
    f = write_jsonl(os.path.join(prtest.tmpdir(), "items.jsonl"), ITEMS)
    prtest.run(["import", f], data=d, check=0)
    r = prtest.run(["import", "--lang", "en", "--date", SAMPLE_DATE,
                    sample_path()], data=d, check=0)
    _state["sample_id"] = int(re.search(r"\(id (\d+)\)", r.out).group(1))
    r = prtest.run(["import", "--lang", "ru", "--date", SAMPLE_DATE,
                    "--translation-of", _state["sample_id"],
                    sample_path("ru")], data=d, check=0)
    _state["sample_ru_id"] = int(re.search(r"\(id (\d+)\)", r.out).group(1))
    srv = prtest.Server(d).start()
    _state["srv"] = srv
    _state["data"] = d
    import atexit
    atexit.register(srv.stop)
    return srv


def get(path, headers=None, method="GET"):
    return site().request(method, path, headers)


def text(path):
    return site().text(path)


def expect(path, status, method="GET", headers=None):
    st, h, body = get(path, headers, method)
    if st != status:
        raise AssertionError("%s %s: %d, expected %d\n%s" % (
            method, path, st, status, body[:2000].decode("utf-8",
                                                          "replace")))
    return h, body.decode("utf-8", "replace")


def article_url(rec, lang=None):
    return "/%s/news/%d-%s" % (lang or rec["lang"], rec["id"],
                               slug_of(rec))


def slug_of(rec):
    """The slug the site gave the item, read from the redirect that its
    bare id answers with."""
    cache = _state.setdefault("slugs", {})
    if rec["id"] not in cache:
        h, _ = expect("/%s/news/%d" % (rec["lang"], rec["id"]), 301)
        m = re.match(r"/\w\w/news/%d-(.+)$" % rec["id"], h["Location"])
        cache[rec["id"]] = m.group(1)
    return cache[rec["id"]]


def in_design(body):
    prtest.check_in('class="site-header"', body, "page")
    prtest.check_in("<main id=\"main\">", body, "page")


def news_items(body):
    return re.findall(r'<h2><a href="/(\w\w)/news/(\d+)-[^"]*">', body)


# ---- pages of every type ----

def test_root_redirects():
    h, _ = expect("/", 302)
    assert h["Location"] == "/en/news", h["Location"]


def test_home_is_the_news_list():
    for path in ("/en", "/en/"):
        _, body = expect(path, 200)
        prtest.check_in("<h1>News</h1>", body)
        assert news_items(body) == news_items(text("/en/news"))


def test_news_pages():
    en = sorted(visible("en"), key=lambda r: r["published_at"],
                reverse=True)
    total = len(en) + 1  # and the sample release
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    seen = []
    for p in range(1, pages + 1):
        body = text("/en/news" if p == 1 else "/en/news?page=%d" % p)
        in_design(body)
        ids = [int(i) for _, i in news_items(body)]
        assert len(ids) == (PAGE_SIZE if p < pages else
                            total - PAGE_SIZE * (pages - 1)), (p, ids)
        seen += ids
        prtest.check_in("Page %d of %d" % (p, pages), body)
        if p > 1:
            prtest.check_in('rel="prev"', body)
        if p < pages:
            prtest.check_in('href="/en/news?page=%d" rel="next"' % (p + 1),
                            body)
    assert len(set(seen)) == total
    assert 3000 not in seen and 3001 not in seen
    # newest first: the sample (2021-11-18) sits among the items by date
    dates = {r["id"]: r["published_at"] for r in en}
    dates[_state["sample_id"]] = SAMPLE_DATE
    order = [dates[i] for i in seen]
    assert order == sorted(order, reverse=True), order
    body = text("/en/news?page=2")
    prtest.check_in('href="/en/news"', body)  # newer from page 2: page 1
    last = text("/en/news?page=%d" % pages)
    assert 'rel="next"' not in last


def test_page_past_end_and_absurd_pages():
    pages = (len(visible("en")) + 1 + PAGE_SIZE - 1) // PAGE_SIZE
    _, body = expect("/en/news?page=%d" % (pages + 1), 404)
    in_design(body)
    expect("/en/news?page=999999", 404)
    for bad in ("0", "-1", "abc", "", "1.5", "02", "%2B2",
                "99999999999999999999999999", "1e3"):
        _, body = expect("/en/news?page=" + bad, 400)
        prtest.check_in("whole number from 1 to %d" % pages, body)
        in_design(body)


def test_article_page():
    rec = ITEMS[3]  # kind interview, with a translation
    body = text(article_url(rec))
    in_design(body)
    prtest.check_in("<h1>%s</h1>" % rec["title"], body)
    prtest.check_in('<p class="lead">%s</p>' % rec["lead"], body)
    prtest.check_in("<blockquote>", body)
    prtest.check_in("<em>emphasis</em>", body)
    prtest.check_in('<span class="kind">Interview</span>', body)
    dt = datetime.strptime(rec["published_at"], "%Y-%m-%dT%H:%M:%SZ")
    prtest.check_in('<time datetime="%s">%d %s %d</time>' % (
        rec["published_at"], dt.day, dt.strftime("%B"), dt.year), body)
    prtest.check_in('href="/en/tags/%s" rel="tag"' % rec["tags"][0], body)
    prtest.check_in('href="/en/places/', body)
    prtest.check_in('href="%s/print"' % article_url(rec), body)
    prtest.check_in('rel="bookmark">http://', body)
    prtest.check_in('<html lang="en">', body)


def test_escaping():
    body = text(article_url(ITEMS[7]))
    prtest.check_in("Prices &amp; &quot;quotes&quot; &lt;b&gt;not bold"
                    "&lt;/b&gt;", body)
    assert "<b>not bold" not in body


def test_sample_release():
    site()
    sid = _state["sample_id"]
    _, h, _ = get("/en/news/%d" % sid)
    url = h["Location"]
    body = text(url)
    prtest.check_in("<h1>Igor Krasnov, Prosecutor General of the Russian "
                    "Federation, has taken part in the 31st meeting", body)
    prtest.check_in('<time datetime="2021-11-18T09:30:00Z">18 November '
                    '2021</time>', body)
    prtest.check_in("Antoine de Saint-Exupéry", body)
    assert "Print News Archive" not in body
    # its Russian translation, both ways
    _, h, _ = get("/ru/news/%d" % _state["sample_ru_id"])
    ru_url = h["Location"]
    prtest.check_in('class="lang-switch" href="%s" hreflang="ru"' % ru_url,
                    body)
    prtest.check_in('<link rel="alternate" hreflang="ru" '
                    'href="http://127.0.0.1:8080%s">' % ru_url, body)
    ru = text(ru_url)
    prtest.check_in('<time datetime="2021-11-18T09:30:00Z">18 ноября 2021 '
                    'г.</time>', ru)
    prtest.check_in('class="lang-switch" href="%s" hreflang="en"' % url, ru)
    prtest.check_in("English version: Igor Krasnov", ru)
    assert "Версия для печати Новости Архив" not in ru


def test_print_page():
    rec = ITEMS[3]
    body = text(article_url(rec) + "/print")
    prtest.check_in("<h1>%s</h1>" % rec["title"], body)
    prtest.check_in("Press Office", body)
    prtest.check_in('<span class="permalink">http://', body)
    prtest.check_in(article_url(rec) + "</span>", body)
    prtest.check_in("/static/print.css?v=", body)
    assert 'class="site-nav"' not in body
    assert "style.css" not in body
    assert "<nav" not in body


def test_redirects_to_canonical():
    rec = ITEMS[5]
    canon = article_url(rec)
    for path in ("/en/news/%d" % rec["id"], "/en/news/%d-" % rec["id"],
                 "/en/news/%d-wrong-slug" % rec["id"],
                 "/ru/news/%d-%s" % (rec["id"], slug_of(rec)),
                 "/en/news/000%d-x" % rec["id"], canon + "/"):
        h, _ = expect(path, 301)
        assert h["Location"] == canon, (path, h["Location"])
    h, _ = expect("/en/news/%d-nope/print" % rec["id"], 301)
    assert h["Location"] == canon + "/print"
    ru = ITEMS[48]
    h, _ = expect("/en/news/%d" % ru["id"], 301)
    assert h["Location"].startswith("/ru/news/%d-" % ru["id"])
    h, _ = expect("/en/news/", 301)
    assert h["Location"] == "/en/news"
    h, _ = expect("/en/archive/2020/", 301)
    assert h["Location"] == "/en/archive/2020"


def archive_counts(body, prefix):
    return {int(k): int(n) for k, n in re.findall(
        r'<a href="%s/(\d+)">[^<]*</a> <span class="count">(\d+) '
        % re.escape(prefix), body)}


def expected_counts(lang, depth, key=()):
    out = {}
    recs = visible(lang)
    recs = recs + [{"published_at": SAMPLE_DATE}]  # the sample release
    for r in recs:
        y, m, d = (int(x) for x in r["published_at"][:10].split("-"))
        parts = (y, m, d)
        if parts[:len(key)] != key:
            continue
        k = parts[len(key)]
        out[k] = out.get(k, 0) + 1
    return out


def test_archive_counts():
    for lang in ("en", "ru"):
        body = text("/%s/archive" % lang)
        in_design(body)
        years = archive_counts(body, "/%s/archive" % lang)
        assert years == expected_counts(lang, 0), (years,
                                                   expected_counts(lang, 0))
        for y in years:
            body = text("/%s/archive/%04d" % (lang, y))
            months = archive_counts(body, "/%s/archive/%04d" % (lang, y))
            assert months == expected_counts(lang, 1, (y,)), (y, months)
            for m in months:
                path = "/%s/archive/%04d/%02d" % (lang, y, m)
                days = archive_counts(text(path), path)
                assert days == expected_counts(lang, 2, (y, m)), path
                for d, n in days.items():
                    body = text("%s/%02d" % (path, d))
                    assert len(news_items(body)) == n, (path, d)


def test_archive_titles_and_crumbs():
    body = text("/ru/archive/2021/11")
    prtest.check_in("<h1>Ноябрь 2021</h1>", body)
    prtest.check_in('<a href="/ru/archive/2021">2021</a>', body)
    body = text("/en/archive/2021/11/18")
    prtest.check_in("<h1>18 November 2021</h1>", body)
    prtest.check_in('<a href="/en/archive/2021/11">November 2021</a>', body)


def test_archive_bad_dates():
    for path in ("/en/archive/2021/13", "/en/archive/2021/00",
                 "/en/archive/2021/02/30", "/en/archive/2021/02/29",
                 "/en/archive/0000", "/en/archive/10000", "/en/archive/20x1",
                 "/en/archive/2021/1", "/en/archive/2021/11/32"):
        _, body = expect(path, 400)
        in_design(body)
    _, body = expect("/en/archive/2021/02/30", 400)
    prtest.check_in("01 to 28", body)
    expect("/en/archive/2020/02/29", 200)
    _, body = expect("/en/archive/1901", 200)
    prtest.check_in("Nothing was published in this period.", body)


def entity_walk(path):
    """Follows the "older" links from path; the ids in order."""
    ids, url, pages = [], path, 0
    while url:
        body = text(url)
        ids += [int(i) for _, i in news_items(body)]
        m = re.search(r'<a href="([^"]*\?after=[^"]*)" rel="next">', body)
        url = m.group(1).replace("&amp;", "&") if m else None
        pages += 1
        assert pages < 20
    return ids, pages


def test_entity_pages():
    for lang, kind, key, name, slug in (
            ("en", "tags", "tags", "ecology", "ecology"),
            ("en", "persons", "persons", "Igor Krasnov", "igor-krasnov"),
            ("en", "places", "places", "Nur-Sultan", "nur-sultan"),
            ("ru", "tags", "tags", "ecology", "ecology")):
        want = sorted((r for r in visible(lang) if name in r.get(key, [])),
                      key=lambda r: (r["published_at"], r["id"]),
                      reverse=True)
        ids, pages = entity_walk("/%s/%s/%s" % (lang, kind, slug))
        assert ids == [r["id"] for r in want], (slug, ids)
        assert pages == max(1, (len(want) + PAGE_SIZE - 1) // PAGE_SIZE)
    body = text("/en/tags/ecology")
    prtest.check_in("<h1>ecology</h1>", body)
    prtest.check_in(">Tag</p>", body)


def test_entity_errors():
    for path in ("/en/tags/no-such-tag", "/en/persons/nobody",
                 "/en/places/atlantis", "/en/tags/Ecology"):
        _, body = expect(path, 404)
        in_design(body)
    for q in ("x", "", "12", "12.", ".5", "1.2.3", "abc.def", "12.0"):
        expect("/en/tags/ecology?after=" + q, 400)
    expect("/en/tags/ecology?after=1.1", 404)  # nothing older


def test_language_switch():
    rec, ru = ITEMS[2], ITEMS[50]  # ru 2002 translates en 1002
    assert ru["translation_of"] == rec["id"]
    body = text(article_url(rec))
    prtest.check_in('class="lang-switch" href="%s" hreflang="ru"' %
                    article_url(ru), body)
    prtest.check_in('Русская версия: %s' % ru["title"], body)
    body = text(article_url(ru))
    prtest.check_in('class="lang-switch" href="%s" hreflang="en"' %
                    article_url(rec), body)
    lone = ITEMS[40]
    body = text(article_url(lone))
    prtest.check_in('class="lang-switch" href="/ru/news"', body)
    for path, other in (("/en/news", "/ru/news"),
                        ("/en/news?page=2", "/ru/news"),
                        ("/en/archive/2020/03", "/ru/archive/2020/03"),
                        ("/ru/tags/ecology", "/en/tags/ecology")):
        prtest.check_in('class="lang-switch" href="%s"' % other, text(path))


def test_interface_languages():
    en, ru = text("/en/news"), text("/ru/news")
    prtest.check_in('<html lang="en">', en)
    prtest.check_in('<html lang="ru">', ru)
    for word in ("News", "Archive", "Skip to content", "Press Office"):
        prtest.check_in(word, en)
    for word in ("Новости", "Архив", "Перейти к содержанию", "Пресс-служба",
                 "Более ранние"):
        prtest.check_in(word, ru)
    body = text(article_url(ITEMS[48]))
    prtest.check_in("Постоянная ссылка", body)
    prtest.check_in(" г.</time>", body)
    _, body = expect("/ru/nothing-here", 404)
    prtest.check_in("Страница не найдена", body)
    prtest.check_in('<html lang="ru">', body)


def test_invisible_items():
    for rid in (3000, 3001):
        _, body = expect("/en/news/%d" % rid, 404)
        in_design(body)
        assert "Secret draft" not in body and "Future item" not in body
        expect("/en/news/%d-secret-draft-never-shown" % rid, 404)
        expect("/en/news/%d-x/print" % rid, 404)
    expect("/en/news/999999", 404)
    for path in ("/en/news", "/en/tags/ecology", "/en/archive/2020/05/05"):
        body = text(path)
        assert "Secret draft" not in body and "Future item" not in body
    assert "2099" not in text("/en/archive")


def test_static_assets():
    body = text("/en/news")
    links = re.findall(r'href="(/static/[a-z]+\.css\?v=[0-9a-f]{16})"', body)
    assert len(links) == 2, links
    for link in links:
        st, h, css = get(link)
        assert st == 200 and h["Content-Type"].startswith("text/css")
        assert "immutable" in h["Cache-Control"], h["Cache-Control"]
        assert "max-age=31536000" in h["Cache-Control"]
    st, h, _ = get("/static/style.css")
    assert st == 200 and "immutable" not in h["Cache-Control"]
    for path in ("/static/nothing.css", "/static/news.html",
                 "/static/.hidden"):
        expect(path, 404)


def test_robots():
    st, h, body = get("/robots.txt")
    assert st == 200 and h["Content-Type"].startswith("text/plain")
    assert body.startswith(b"User-agent: *")


def test_conditional_requests():
    path = article_url(ITEMS[1])
    st, h, body = get(path)
    assert st == 200 and h["ETag"] and h["Last-Modified"]
    st, h2, body2 = get(path, {"If-None-Match": h["ETag"]})
    assert st == 304 and body2 == b"", st
    st, _, _ = get(path, {"If-Modified-Since": h["Last-Modified"]})
    assert st == 304, st
    st, _, _ = get(path, {"If-Modified-Since":
                          "Mon, 01 Jan 2018 00:00:00 GMT"})
    assert st == 200, st
    # a list's Last-Modified is the newest updated_at among its items
    st, h, _ = get("/en/news")
    assert h["Last-Modified"] == "Wed, 02 Feb 2022 10:00:00 GMT", h
    st, h, _ = get(article_url(ITEMS[38]))
    assert h["Last-Modified"] == "Wed, 02 Feb 2022 10:00:00 GMT", h


def test_gzip_and_head():
    path = "/en/news"
    st, h, plain = get(path)
    st, hz, packed = get(path, {"Accept-Encoding": "gzip"})
    assert st == 200 and hz["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed) == plain
    st, hh, body = get(path, method="HEAD")
    assert st == 200 and body == b""
    assert hh["Content-Type"] == h["Content-Type"]
    assert hh["ETag"] == h["ETag"]


def test_methods():
    for m in ("POST", "PUT", "DELETE", "PATCH"):
        for path in ("/en/news", article_url(ITEMS[0]), "/en/archive",
                     "/static/style.css", "/"):
            h, body = expect(path, 405, method=m)
            assert h["Allow"] == "GET, HEAD", h["Allow"]
            if path != "/static/style.css":
                in_design(body)
            prtest.check_in(m, body)
    expect("/nothing", 404, method="POST")


def raw(request_bytes):
    """Sends bytes as they are; the status code of the answer."""
    s = socket.create_connection(("127.0.0.1", site().port), timeout=10)
    try:
        s.sendall(request_bytes)
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return int(m.group(1)) if m else 0


def test_bad_input():
    for path in ("/nothing", "/en/nothing", "/de/news", "/en/news/1/x/y",
                 "/favicon.ico", "/en/search-not-yet"):
        _, body = expect(path, 404)
        in_design(body)
        prtest.check_in("There is no page at this address.", body)
    for path in ("/en/news/abc", "/en/news/12abc",
                 "/en/news/99999999999999999999999"):
        _, body = expect(path, 400)
        in_design(body)
    _, body = expect("/en/news/abc", 400)
    prtest.check_in("is not a news item number", body)
    for path in ("/en/news/%zz", "/en/%E0%A4", "/en/news%00",
                 "/%2e%2e/etc/passwd", "/en/%2e%2e/%2e%2e/etc/passwd",
                 "/static/..%2fsite.h"):
        st, _, body = get(path)
        assert 400 <= st < 500, (path, st)
        assert b"root:" not in body
    assert raw(b"GET /../etc/passwd HTTP/1.1\r\nHost: x\r\n"
               b"Connection: close\r\n\r\n") in (400, 404)
    assert raw(b"GET /en/news\x00x HTTP/1.1\r\nHost: x\r\n"
               b"Connection: close\r\n\r\n") // 100 == 4
    st, _, body = get("/en/news/" + "x" * 20000)
    assert st == 414, st
    st, _, _ = get("/en/news", {"X-Big": "y" * 200000})
    assert st == 431, st
    # still serving after all that
    expect("/en/news", 200)


def test_cache_invalidation():
    srv = site()
    text("/en/news")  # cached now
    rec = {"id": 4000, "lang": "en", "published_at": "2023-06-01T10:00:00Z",
           "title": "Breaking item imported while serving",
           "body": "Fresh."}
    f = write_jsonl(os.path.join(prtest.tmpdir(), "new.jsonl"), [rec])
    prtest.run(["import", f], data=_state["data"], check=0)
    body = text("/en/news")
    assert news_items(body)[0] == ("en", "4000"), news_items(body)[:3]
    prtest.check_in("Breaking item imported while serving", body)
    prtest.check_in("2023", text("/en/archive"))
    assert srv.proc.poll() is None


def test_scheduled_item_appears_on_time():
    due = datetime.now(timezone.utc) + timedelta(seconds=4)
    rec = {"id": 4001, "lang": "en", "published_at": rfc3339(due),
           "title": "Scheduled item due in seconds", "body": "Due."}
    f = write_jsonl(os.path.join(prtest.tmpdir(), "due.jsonl"), [rec])
    prtest.run(["import", f], data=_state["data"], check=0)
    assert "Scheduled item due" not in text("/en/news")
    expect("/en/news/4001", 404)
    time.sleep(max(0, (due - datetime.now(timezone.utc)).total_seconds())
               + 1.2)
    prtest.check_in("Scheduled item due in seconds", text("/en/news"))
    expect("/en/news/4001", 301)


# ---- golden files ----

def golden_compare(name, got):
    path = os.path.join(GOLDEN, name)
    if os.environ.get("PR_UPDATE_GOLDEN") == "1":
        prtest.write(path, got)
        return
    with open(path, "rb") as f:
        want = f.read()
    if want != got:
        diff = difflib.unified_diff(
            want.decode("utf-8", "replace").splitlines(True),
            got.decode("utf-8", "replace").splitlines(True),
            "tests/golden/" + name, "served")
        raise AssertionError("%s differs (PR_UPDATE_GOLDEN=1 rewrites "
                             "it):\n%s" % (name, "".join(diff)))


def test_golden_sample():
    env = {"PRESSROOM_NOW": GOLDEN_NOW}
    d = prtest.init_data(env=env)
    r = prtest.run(["import", "--lang", "en", "--date", SAMPLE_DATE,
                    sample_path()], data=d, check=0, env=env)
    sid = int(re.search(r"\(id (\d+)\)", r.out).group(1))
    draft = {"id": 90, "lang": "en", "status": "draft",
             "published_at": "2021-11-17T09:00:00Z",
             "title": "Draft that must not show", "body": "Hidden."}
    f = write_jsonl(os.path.join(prtest.tmpdir(), "draft.jsonl"), [draft])
    prtest.run(["import", f], data=d, check=0, env=env)
    with prtest.Server(d, env=env) as s:
        st, h, _ = s.get("/en/news/%d" % sid)
        assert st == 301, st
        url = h["Location"]
        st, _, article = s.get(url)
        assert st == 200, st
        golden_compare("sample-article.en.html", article)
        st, _, printed = s.get(url + "/print")
        assert st == 200, st
        golden_compare("sample-print.en.html", printed)
        # the negative golden: a draft's address gives the 404 page, never
        # an article
        st, _, body = s.get("/en/news/90-draft-that-must-not-show")
        assert st == 404, st
        assert b"Draft that must not show" not in body
        assert body != article
        golden_compare("draft-404.en.html", body)


if __name__ == "__main__":
    prtest.main(globals())
