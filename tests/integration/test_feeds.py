"""Feeds, sitemaps and permanent links as other software reads them.

Real clients judge: Debian's python3-feedparser parses every RSS and Atom
feed without its bozo flag; xmllint finds every feed and sitemap
well-formed and validates the sitemaps against the sitemaps.org schema
(npm `sitemap`) with the news and image extensions
(tests/fixtures/xsd); JSON Feeds carry every field the JSON Feed 1.1
specification requires; newsboat reads the RSS and Atom feeds;
linkchecker crawls the site from its sitemap index without finding a
broken link. Around them: the paged archives of RFC 5005 reach back to
the first item and keep their pages, conditional requests on feeds and
sitemaps, hostile titles through all three formats and the JSON-LD,
head metadata, old slugs answering 301, and bad input."""

import json
import os
import re
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prtest  # noqa: E402
from test_site import (ITEMS, SAMPLE_DATE, sample_path, visible,  # noqa
                       write_jsonl)

NOW = "2021-11-19T12:00:00Z"
PAGE_SIZE = 7
FORMATS = ("rss.xml", "atom.xml", "feed.json")
XSD_DIR = os.path.join(prtest.FIXTURES, "xsd")
SITEMAP_XSD = os.path.join(prtest.SOURCE_DIR, "node_modules", "sitemap",
                           "schema", "sitemap.xsd")
NS = {"a": "http://www.w3.org/2005/Atom",
      "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "news": "http://www.google.com/schemas/sitemap-news/0.9",
      "fh": "http://purl.org/syndication/history/1.0"}
HOSTILE = ('A&B <b>bold</b> ]]> </script><script>alert(1)</script> '
           '"q" \'s\' \u202eRTL\u200f \x01\x08\x0b\x1f\x7f\u0085 end')
HOSTILE_ID = 4000


def hostile_items():
    """Items whose titles, leads, bodies and tags are full of what breaks
    XML, JSON and HTML."""
    out = []
    for i in range(3):
        out.append({
            "id": HOSTILE_ID + i, "lang": "en", "kind": "statement",
            "published_at": "2021-11-1%dT08:00:00Z" % (7 + i),
            "title": "%d %s" % (i, HOSTILE),
            "lead": "Lead %s" % HOSTILE,
            "body": "Body & <i>raw</i> ]]> </script> \u202e %d\n\n"
                    "[link](/en/news) and `<code>`" % i,
            "tags": ["Hostile & <tags>"],
            "persons": ["O'Brien \u202e"],
        })
    return out


_state = {}


def site():
    """A data folder with the reader's fixtures, the sample release in
    both languages and the hostile items, served at a known port so that
    base_url (permalinks, feeds, sitemaps) points at the server."""
    if "srv" in _state:
        return _state["srv"]
    d = prtest.init_data()
    port = prtest.free_port()
    prtest.write_config(d, "page_size = %d\nbase_url = http://127.0.0.1:%d\n"
                        % (PAGE_SIZE, port))
    f = write_jsonl(os.path.join(prtest.tmpdir(), "items.jsonl"),
                    ITEMS + hostile_items())
    prtest.run(["import", f], data=d, check=0)
    r = prtest.run(["import", "--lang", "en", "--date", SAMPLE_DATE,
                    sample_path()], data=d, check=0)
    _state["sample_id"] = int(re.search(r"\(id (\d+)\)", r.out).group(1))
    r = prtest.run(["import", "--lang", "ru", "--date", SAMPLE_DATE,
                    "--translation-of", _state["sample_id"],
                    sample_path("ru")], data=d, check=0)
    _state["sample_ru_id"] = int(re.search(r"\(id (\d+)\)", r.out).group(1))
    srv = prtest.Server(d, port=port, env={"PRESSROOM_NOW": NOW}).start()
    _state.update(srv=srv, data=d)
    import atexit
    atexit.register(srv.stop)
    return srv


def get(path, headers=None, method="GET"):
    return site().request(method, path, headers)


def expect(path, status=200, headers=None, method="GET"):
    st, h, body = get(path, headers, method)
    if st != status:
        raise AssertionError("%s %s: %d, expected %d\n%s" % (
            method, path, st, status, body[:1500].decode("utf-8",
                                                         "replace")))
    return h, body


def local(url):
    """The path of one of the site's absolute addresses."""
    base = site().url
    assert url.startswith(base + "/"), (url, base)
    return url[len(base):]


def all_visible(lang):
    """Ids of every visible item of lang at NOW."""
    ids = {r["id"] for r in visible(lang) if r["published_at"] <= NOW}
    if lang == "en":
        ids |= {h["id"] for h in hostile_items()}
        ids.add(_state["sample_id"])
    else:
        ids.add(_state["sample_ru_id"])
    return ids


def tmpfile(name, data):
    d = _state.setdefault("tmp", prtest.tmpdir("feeds-"))
    return prtest.write(os.path.join(d, name), data)


def xmllint(path, schema=None):
    cmd = ["xmllint", "--noout", "--nonet"]
    if schema:
        cmd += ["--schema", schema]
    p = subprocess.run(cmd + [path], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=60)
    if p.returncode != 0:
        raise AssertionError("xmllint %s: %s" % (
            path, p.stdout.decode("utf-8", "replace")[-3000:]))


def feedparse(body):
    import feedparser
    d = feedparser.parse(body)
    if d.bozo:
        raise AssertionError("feedparser: bozo: %r" % d.bozo_exception)
    return d


def check_json_feed(body):
    """Every field JSON Feed 1.1 requires, and the types it gives them."""
    feed = json.loads(body.decode("utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1", feed
    assert isinstance(feed["title"], str) and feed["title"]
    assert isinstance(feed["items"], list)
    for key in ("home_page_url", "feed_url", "next_url"):
        assert key not in feed or feed[key].startswith("http"), key
    for a in feed.get("authors", []):
        assert a.get("name") or a.get("url") or a.get("avatar"), a
    for it in feed["items"]:
        assert isinstance(it["id"], str) and it["id"], it
        assert (isinstance(it.get("content_html"), str) or
                isinstance(it.get("content_text"), str)), it
        for key in ("date_published", "date_modified"):
            if key in it:
                datetime.strptime(it[key], "%Y-%m-%dT%H:%M:%SZ")
        for a in it.get("authors", []):
            assert a.get("name") or a.get("url"), a
        assert all(isinstance(t, str) for t in it.get("tags", []))
    return feed


def fetch_feed(path):
    """(status 200 checked) the feed at path parsed by its client: a
    feedparser result for RSS and Atom (also checked by xmllint), the
    JSON object for JSON Feed."""
    h, body = expect(path)
    name = re.sub(r"[^a-z0-9]+", "-", path) + ".xml"
    if path.split("?")[0].endswith(".json"):
        assert h["Content-Type"] == "application/feed+json; charset=utf-8"
        return check_json_feed(body)
    xmllint(tmpfile(name, body))
    want = ("application/rss+xml" if "rss.xml" in path else
            "application/atom+xml")
    assert h["Content-Type"] == want + "; charset=utf-8", h["Content-Type"]
    return feedparse(body)


def is_json(feed):
    """A JSON Feed (a plain dict), not feedparser's result (a subclass)."""
    return type(feed) is dict


def entry_ids(feed):
    if is_json(feed):
        return [it["id"] for it in feed["items"]]
    return [e.id for e in feed.entries]


def num(entry_id):
    return int(entry_id.rsplit("/", 1)[1])


def feed_paths():
    return ["/en", "/ru", "/en/tags/ecology", "/ru/tags/ecology",
            "/en/persons/igor-krasnov", "/en/places/minsk",
            "/en/kinds/statement", "/ru/kinds/news"]


# ---- feeds ----

def test_every_feed_parses():
    for base in feed_paths():
        for fmt in FORMATS:
            feed = fetch_feed("%s/%s" % (base, fmt))
            ids = entry_ids(feed)
            assert 0 < len(ids) <= PAGE_SIZE, (base, fmt, ids)
            assert len(set(ids)) == len(ids), ids


def test_feed_fields():
    en = fetch_feed("/en/atom.xml")
    assert en.feed.title == "Press Office: News"
    assert en.feed.language == "en" or en.feed.get("language") is None
    newest = en.entries[0]
    for key in ("title", "link", "id", "published", "updated", "author",
                "summary"):
        assert newest.get(key), key
    assert newest.link.startswith(site().url + "/en/news/")
    assert newest.id == "%s/en/news/%d" % (site().url, num(newest.id))
    assert newest.content[0].type == "text/html"
    rss = fetch_feed("/en/rss.xml")
    e = rss.entries[0]
    assert e.get("author") and e.get("published") and e.get("summary")
    assert e.id == newest.id and e.link == newest.link
    assert "content" in e, "content:encoded carries the whole text"
    js = fetch_feed("/en/feed.json")
    it = js["items"][0]
    assert it["id"] == newest.id and it["url"] == newest.link
    assert it["content_html"].startswith("<") and it["authors"][0]["name"]
    assert js["language"] == "en" and js["feed_url"].endswith("/en/feed.json")
    ru = fetch_feed("/ru/atom.xml")
    assert ru.feed.title == "Пресс-служба: Новости", ru.feed.title
    # the entries of a tag feed all carry the tag
    tag = fetch_feed("/en/tags/ecology/atom.xml")
    for e in tag.entries:
        assert "ecology" in [t.term for t in e.tags], e.tags


def test_feed_without_full_content():
    d = prtest.init_data()
    prtest.write_config(d, "feed_full_content = no\n")
    prtest.run(["import", "--lang", "en", "--date", SAMPLE_DATE,
                sample_path()], data=d, check=0)
    with prtest.Server(d) as s:
        st, _, body = s.get("/en/feed.json")
        feed = check_json_feed(body)
        it = feed["items"][0]
        assert "content_html" not in it and it["content_text"], it
        st, _, body = s.get("/en/atom.xml")
        assert st == 200 and b"<content" not in body
        assert feedparse(body).entries[0].summary
        st, _, body = s.get("/en/rss.xml")
        assert st == 200 and b"content:encoded" not in body


def archive_chain(base, fmt):
    """The current feed and its archive pages, followed from the current
    feed back through prev-archive (JSON Feed: next_url) to the first."""
    pages = []
    feed = fetch_feed("%s/%s" % (base, fmt))
    pages.append(feed)
    seen = set()
    while True:
        if is_json(feed):
            nxt = feed.get("next_url")
        else:
            nxt = next((ln.href for ln in feed.feed.get("links", [])
                        if ln.rel == "prev-archive"), None)
        if nxt is None:
            return pages
        assert nxt not in seen, nxt
        seen.add(nxt)
        feed = fetch_feed(local(nxt))
        pages.append(feed)


def test_archive_reaches_the_first_item():
    for base, lang in (("/en", "en"), ("/ru", "ru")):
        for fmt in FORMATS:
            pages = archive_chain(base, fmt)
            ids = set()
            for p in pages:
                ids |= {num(i) for i in entry_ids(p)}
            assert ids == all_visible(lang), (base, fmt,
                                              ids ^ all_visible(lang))
            total = len(all_visible(lang))
            assert len(pages) == 1 + total // PAGE_SIZE, (len(pages), total)
    # a tag's and a kind's archive too
    for base in ("/en/tags/ecology", "/en/kinds/statement"):
        pages = archive_chain(base, "atom.xml")
        ids = [num(i) for p in pages[1:] for i in entry_ids(p)]
        assert len(ids) == len(set(ids)), "archive pages do not overlap"


def test_archive_page_markup():
    total = len(all_visible("en"))
    last = total // PAGE_SIZE
    _, body = expect("/en/atom.xml?page=1")
    root = ET.fromstring(body)
    assert root.find("fh:archive", NS) is not None
    rels = {ln.get("rel"): ln.get("href") for ln in root.findall("a:link", NS)}
    assert rels["current"] == site().url + "/en/atom.xml"
    assert rels["self"] == site().url + "/en/atom.xml?page=1"
    assert "prev-archive" not in rels
    assert rels["next-archive"] == site().url + "/en/atom.xml?page=2"
    assert len(root.findall("a:entry", NS)) == PAGE_SIZE
    _, body = expect("/en/atom.xml?page=%d" % last)
    rels = {ln.get("rel"): ln.get("href") for ln in
            ET.fromstring(body).findall("a:link", NS)}
    assert "next-archive" not in rels and "prev-archive" in rels
    _, body = expect("/en/atom.xml")
    root = ET.fromstring(body)
    assert root.find("fh:archive", NS) is None
    rels = {ln.get("rel"): ln.get("href") for ln in root.findall("a:link", NS)}
    assert rels["prev-archive"].endswith("?page=%d" % last)
    # RSS carries the same links as atom:link, and fh:archive
    _, body = expect("/en/rss.xml?page=2")
    assert b"<fh:archive/>" in body and b'rel="current"' in body
    # page 1 holds the oldest items: the first ever is there
    oldest = min(all_visible("en"), key=lambda i: published(i))
    ids = [num(e.id) for e in fetch_feed("/en/atom.xml?page=1").entries]
    assert oldest in ids, (oldest, ids)


def published(item_id):
    for r in ITEMS + hostile_items():
        if r["id"] == item_id:
            return r["published_at"]
    return SAMPLE_DATE


def test_archive_pages_are_stable():
    """New items go to the current feed; full archive pages keep theirs,
    and a page completed by them appears."""
    d = prtest.init_data()
    port = prtest.free_port()
    prtest.write_config(d, "page_size = 3\nbase_url = http://127.0.0.1:%d\n"
                        % port)
    base = datetime(2020, 1, 1, 9, tzinfo=timezone.utc)

    def items(first, n):
        return [{"id": first + i, "lang": "en",
                 "published_at": (base + timedelta(days=first + i))
                 .strftime("%Y-%m-%dT%H:%M:%SZ"),
                 "title": "Item %d" % (first + i), "body": "Text."}
                for i in range(n)]
    prtest.run(["import", write_jsonl(os.path.join(prtest.tmpdir(),
                                                   "a.jsonl"), items(1, 7))],
               data=d, check=0)
    with prtest.Server(d, port=port) as s:
        def ids(path):
            st, _, body = s.get(path)
            assert st == 200, (path, st)
            return [num(e.id) for e in feedparse(body).entries]
        p1, p2 = ids("/en/atom.xml?page=1"), ids("/en/atom.xml?page=2")
        assert p1 == [3, 2, 1] and p2 == [6, 5, 4], (p1, p2)
        assert s.get("/en/atom.xml?page=3")[0] == 404
        prtest.run(["import", write_jsonl(os.path.join(
            prtest.tmpdir(), "b.jsonl"), items(8, 3))], data=d, check=0)
        assert ids("/en/atom.xml?page=1") == p1
        assert ids("/en/atom.xml?page=2") == p2
        assert ids("/en/atom.xml?page=3") == [9, 8, 7]
        assert ids("/en/atom.xml") == [10, 9, 8]


def test_feed_bad_input():
    for path in ("/en/tags/no-such-tag/atom.xml", "/en/kinds/poem/rss.xml",
                 "/en/persons/nobody/feed.json", "/en/kinds/poem",
                 "/de/atom.xml", "/en/atom", "/en/places/x/rss.xml"):
        expect(path, 404)
    total = len(all_visible("en"))
    for q in ("0", "-1", "abc", "01", "1.5", "", "99999999999999999999",
              "1000000001", "%00"):
        expect("/en/atom.xml?page=" + q, 400)
        expect("/en/tags/ecology/feed.json?page=" + q, 400)
    expect("/en/rss.xml?page=%d" % (total // PAGE_SIZE + 1), 404)
    expect("/en/rss.xml?page=1000000000", 404)
    # a tag with fewer items than a page has no archive
    expect("/en/persons/anna-petrova/atom.xml?page=1", 404)
    # a feed of a tag without items in this language is empty, not an error
    _, body = expect("/ru/persons/igor-krasnov/atom.xml")
    assert feedparse(body).entries == []
    expect("/en/atom.xml", 405, method="POST")
    h, body = expect("/en/atom.xml", method="HEAD")
    assert body == b"" and h["ETag"]


def test_conditional_requests():
    paths = ["/en/rss.xml", "/en/atom.xml?page=1", "/en/feed.json",
             "/en/tags/ecology/atom.xml", "/sitemap.xml",
             "/sitemaps/en-1.xml", "/sitemaps/en-pages.xml",
             "/sitemaps/news.xml", "/en/kinds/statement/rss.xml",
             "/en/archive", "/ru/archive/2021/11", "/en/kinds/statement"]
    for path in paths:
        h, body = expect(path)
        etag, lm = h["ETag"], h["Last-Modified"]
        assert re.match(r'^"[0-9a-f]+"$', etag), (path, etag)
        assert lm.endswith(" GMT"), (path, lm)
        assert h["Cache-Control"].startswith("public"), h["Cache-Control"]
        h2, b2 = expect(path, 304, {"If-None-Match": etag})
        assert b2 == b"" and h2["ETag"] == etag
        expect(path, 304, {"If-None-Match": 'W/%s, "other"' % etag})
        expect(path, 304, {"If-Modified-Since": lm})
        # garbage and older dates: the whole answer
        for bad in ({"If-None-Match": "garbage"},
                    {"If-None-Match": '"' + "0" * 16 + '"'},
                    {"If-None-Match": "\x7f\x01,,,"},
                    {"If-Modified-Since": "yesterday"},
                    {"If-Modified-Since": "Mon, 32 Foo 2021 99:00:00 GMT"},
                    {"If-Modified-Since": "Mon, 01 Jan 2018 00:00:00 GMT"}):
            h3, b3 = expect(path, 200, bad)
            assert b3 == body, (path, bad)
    # the archive's pages may be kept longer than the current feed
    h, _ = expect("/en/atom.xml?page=1")
    assert h["Cache-Control"] == "public, max-age=3600"


# ---- hostile text ----

def test_hostile_titles_everywhere():
    url = "/en/news/%d" % HOSTILE_ID
    h, _ = expect(url, 301)
    for fmt in FORMATS:
        for base in ("/en", "/en/kinds/statement",
                     "/en/tags/hostile-tags"):
            feed = fetch_feed("%s/%s" % (base, fmt))
            if is_json(feed):
                titles = [it["title"] for it in feed["items"]]
                items = feed["items"]
            else:
                titles = [e.title for e in feed.entries]
                items = feed.entries
            mine = [t for t in titles if "]]>" in t]
            assert mine, (base, fmt, titles)
            for t in mine:
                # markup stays text; right-to-left marks stay; the
                # characters XML cannot carry become U+FFFD there
                assert "<b>bold</b>" in t and "</script><script>" in t, t
                assert "\u202eRTL\u200f" in t, t
                if not is_json(feed):
                    assert "\x01" not in t and "\ufffd" in t, repr(t)
            if is_json(feed):
                assert any("\x01" in it["title"] for it in items)
    # the article page: JSON-LD stays inside its element and parses
    _, body = expect(h["Location"])
    page = body.decode("utf-8")
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>',
                         page, re.S)
    assert len(scripts) == 1, scripts
    assert page.count("</script>") == 1, "only the JSON-LD closes a script"
    assert "<" not in scripts[0] and ">" not in scripts[0]
    ld = json.loads(scripts[0])
    assert ld["headline"] == "0 " + HOSTILE, ld["headline"]
    assert "<b>bold</b>" in ld["description"]
    assert ld["keywords"] == ["Hostile & <tags>"]
    assert "<b>bold</b>" not in page.replace("&lt;b&gt;bold&lt;/b&gt;", "")


# ---- sitemaps ----

def sitemap_schema():
    """A schema that imports the sitemaps.org schema of npm `sitemap` and
    the news and image extensions, for urlsets that use them."""
    if not os.path.exists(SITEMAP_XSD):
        raise AssertionError("%s is missing: run scripts/deps.sh test" %
                             SITEMAP_XSD)
    imports = [("http://www.sitemaps.org/schemas/sitemap/0.9", SITEMAP_XSD),
               (NS["news"], os.path.join(XSD_DIR, "sitemap-news.xsd")),
               ("http://www.google.com/schemas/sitemap-image/1.1",
                os.path.join(XSD_DIR, "sitemap-image.xsd"))]
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<xsd:schema '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n' +
            "".join('<xsd:import namespace="%s" schemaLocation="%s"/>\n' %
                    (ns, "file://" + p) for ns, p in imports) +
            "</xsd:schema>\n")
    return tmpfile("sitemaps.xsd", text)


def test_sitemaps_validate():
    _, body = expect("/robots.txt")
    assert ("Sitemap: %s/sitemap.xml" % site().url).encode() in body
    h, body = expect("/sitemap.xml")
    assert h["Content-Type"] == "application/xml; charset=utf-8"
    xmllint(tmpfile("sitemap.xml", body), os.path.join(XSD_DIR,
                                                       "siteindex.xsd"))
    index = ET.fromstring(body)
    files = [(e.find("sm:loc", NS).text, e.find("sm:lastmod", NS))
             for e in index.findall("sm:sitemap", NS)]
    names = [local(loc) for loc, _ in files]
    assert names == ["/sitemaps/en-pages.xml", "/sitemaps/en-1.xml",
                     "/sitemaps/ru-pages.xml", "/sitemaps/ru-1.xml",
                     "/sitemaps/news.xml"], names
    assert all(lm is not None for _, lm in files)
    schema = sitemap_schema()
    urls = {}
    for name in names:
        h, body = expect(name)
        xmllint(tmpfile(name.replace("/", "-"), body), schema)
        root = ET.fromstring(body)
        locs = [u.find("sm:loc", NS).text for u in root.findall("sm:url",
                                                                  NS)]
        assert 0 < len(locs) <= 50000 and len(set(locs)) == len(locs)
        urls[name] = locs
    for lang in ("en", "ru"):
        got = {int(re.search(r"/news/(\d+)-", u).group(1))
               for u in urls["/sitemaps/%s-1.xml" % lang]}
        assert got == all_visible(lang), got ^ all_visible(lang)
        pages = [local(u) for u in urls["/sitemaps/%s-pages.xml" % lang]]
        for p in ("/%s/news" % lang, "/%s/archive" % lang,
                  "/%s/archive/2021" % lang, "/%s/archive/2021/11" % lang,
                  "/%s/archive/2021/11/18" % lang):
            assert p in pages, (p, pages[:20])
        for p in pages:
            expect(p)
    assert "/en/kinds/statement" in [local(u) for u in
                                     urls["/sitemaps/en-pages.xml"]]
    # news: the last two days before NOW, in both languages
    _, body = expect("/sitemaps/news.xml")
    root = ET.fromstring(body)
    got = {int(re.search(r"/news/(\d+)-", u.find("sm:loc", NS).text)
               .group(1)) for u in root.findall("sm:url", NS)}
    assert got == recent(), (got, recent())
    titles = [n.text for n in root.iter("{%s}title" % NS["news"])]
    assert any("Krasnov" in t for t in titles), titles
    langs = {n.text for n in root.iter("{%s}language" % NS["news"])}
    assert langs == {"en", "ru"}, langs
    # every address of an item file answers 200 with that very address
    for u in urls["/sitemaps/ru-1.xml"]:
        expect(local(u))


def recent():
    """Ids of the items of the two days before NOW."""
    since = (datetime.strptime(NOW, "%Y-%m-%dT%H:%M:%SZ") -
             timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    ids = {r["id"] for r in ITEMS + hostile_items()
           if r.get("status", "published") == "published" and
           since <= r["published_at"] <= NOW}
    return ids | {_state["sample_id"], _state["sample_ru_id"]}


def test_sitemap_bad_input():
    for path in ("/sitemaps/en-2.xml", "/sitemaps/en-0.xml",
                 "/sitemaps/de-1.xml", "/sitemaps/en-1", "/sitemaps/x.xml",
                 "/sitemaps/en-99999999999.xml", "/sitemap.xml.gz"):
        expect(path, 404)
    # no news in the last two days: no news sitemap, and none listed
    d = prtest.init_data()
    prtest.run(["import", "--lang", "en", "--date", SAMPLE_DATE,
                sample_path()], data=d, check=0)
    with prtest.Server(d) as s:
        st, _, body = s.get("/sitemap.xml")
        assert st == 200 and b"news.xml" not in body
        assert s.get("/sitemaps/news.xml")[0] == 404
        assert s.get("/sitemaps/ru-pages.xml")[0] == 200


# ---- every page's head ----

def head_links(page):
    return re.findall(r"<link ([^>]*)>", page)


def attrs(tag):
    return dict(re.findall(r'(\w[\w:-]*)="([^"]*)"', tag))


def test_head_metadata():
    site()
    sid, rid = _state["sample_id"], _state["sample_ru_id"]
    h, _ = expect("/en/news/%d" % sid, 301)
    en_url = site().url + h["Location"]
    h, _ = expect("/ru/news/%d" % rid, 301)
    ru_url = site().url + h["Location"]
    page = expect(local(en_url))[1].decode("utf-8")
    links = [attrs(t) for t in head_links(page)]
    canon = [ln["href"] for ln in links if ln.get("rel") == "canonical"]
    assert canon == [en_url], canon
    alt = {ln["hreflang"]: ln["href"] for ln in links if "hreflang" in ln}
    assert alt == {"en": en_url, "ru": ru_url, "x-default": en_url}, alt
    feeds = [ln for ln in links if ln.get("type", "").endswith(
        ("rss+xml", "atom+xml", "feed+json"))]
    assert [f["href"] for f in feeds] == ["/en/rss.xml", "/en/atom.xml",
                                         "/en/feed.json"], feeds
    metas = dict(re.findall(
        r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', page))
    for key in ("og:type", "og:title", "og:url", "og:site_name",
                "og:description", "og:locale", "article:published_time",
                "article:modified_time", "twitter:card", "twitter:title"):
        assert metas.get(key), key
    assert metas["og:type"] == "article" and metas["og:url"] == en_url
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)'
                              r'</script>', page, re.S).group(1))
    assert ld["@type"] == "NewsArticle" and ld["url"] == en_url
    for key in ("headline", "datePublished", "dateModified", "publisher",
                "author"):
        assert ld[key], key
    assert ld["publisher"]["name"] == "Press Office"
    # the Russian version: x-default is the English one
    page = expect(local(ru_url))[1].decode("utf-8")
    alt = {a["hreflang"]: a["href"] for a in map(attrs, head_links(page))
           if "hreflang" in a}
    assert alt == {"ru": ru_url, "en": en_url, "x-default": en_url}, alt
    # lists: the same page in the other language, their own feeds first
    page = expect("/ru/news")[1].decode("utf-8")
    alt = {a["hreflang"]: a["href"] for a in map(attrs, head_links(page))
           if "hreflang" in a}
    assert alt == {"ru": site().url + "/ru/news", "en": site().url +
                   "/en/news", "x-default": site().url + "/en/news"}, alt
    page = expect("/en/tags/ecology")[1].decode("utf-8")
    hrefs = [a["href"] for a in map(attrs, head_links(page))
             if a.get("rel") == "alternate" and "type" in a]
    assert hrefs[:3] == ["/en/tags/ecology/rss.xml",
                         "/en/tags/ecology/atom.xml",
                         "/en/tags/ecology/feed.json"], hrefs
    assert "/en/atom.xml" in hrefs
    page = expect("/en/kinds/statement")[1].decode("utf-8")
    assert 'href="/en/kinds/statement/atom.xml"' in page
    for path in ("/en/news", "/en/archive/2021", "/en/tags/ecology",
                 "/en/kinds/statement"):
        page = expect(path)[1].decode("utf-8")
        assert 'rel="canonical"' in page and 'hreflang="x-default"' in page
        assert 'property="og:url"' in page and "twitter:card" in page
        for a in map(attrs, head_links(page)):
            if a.get("rel") == "alternate" and "type" in a:
                expect(a["href"])


def test_kind_pages():
    _, body = expect("/en/kinds/statement")
    page = body.decode("utf-8")
    assert "<h1>Statements</h1>" in page, page[:3000]
    ids = re.findall(r'<h2><a href="/en/news/(\d+)-', page)
    statements = [r["id"] for r in ITEMS if r["lang"] == "en" and
                  r.get("kind") == "statement" and
                  r.get("status", "published") == "published" and
                  r["published_at"] <= NOW] + [h["id"] for h in
                                               hostile_items()]
    assert len(ids) == PAGE_SIZE and set(map(int, ids)) <= set(statements)
    m = re.search(r'href="(/en/kinds/statement\?after=[^"]+)"', page)
    assert m, "an Older link"
    expect(m.group(1).replace("&amp;", "&"))
    _, body = expect("/ru/kinds/news")
    assert "<h1>Новости</h1>" in body.decode("utf-8")
    expect("/en/kinds/statement?after=1.1", 404)
    expect("/en/kinds/statement?after=x", 400)


# ---- permanent links ----

def test_changed_slug_keeps_old_addresses():
    d = prtest.init_data()
    port = prtest.free_port()
    prtest.write_config(d, "base_url = http://127.0.0.1:%d\n" % port)
    r = prtest.run(["import", "--lang", "en", "--date", SAMPLE_DATE,
                    sample_path()], data=d, check=0)
    sid = int(re.search(r"\(id (\d+)\)", r.out).group(1))
    with prtest.Server(d, port=port) as s:
        st, h, _ = s.get("/en/news/%d" % sid)
        old = h["Location"]
        assert s.get(old)[0] == 200
        st, _, body = s.get("/en/atom.xml")
        entry_id = feedparse(body).entries[0].id
        # what the editors' side does through the store: a new slug
        db = sqlite3.connect(os.path.join(d, "pressroom.db"))
        db.execute("UPDATE article SET slug = 'a-new-slug' WHERE id = ?",
                   (sid,))
        db.execute("UPDATE meta SET value = value + 1 "
                   "WHERE key = 'generation'")
        db.commit()
        history = db.execute("SELECT slug FROM article_slug "
                             "WHERE article_id = ?", (sid,)).fetchall()
        db.close()
        assert history == [(old.split("/en/news/%d-" % sid, 1)[1],)], history
        new = "/en/news/%d-a-new-slug" % sid
        import time
        time.sleep(0.05)
        for path, want in ((old, new), (old + "/print", new + "/print"),
                           ("/en/news/%d" % sid, new),
                           ("/ru/news/%d-whatever" % sid, new)):
            st, h, _ = s.get(path)
            assert st == 301 and h["Location"] == want, (path, st,
                                                          h["Location"])
        assert s.get(new)[0] == 200
        st, _, body = s.get("/en/atom.xml")
        e = feedparse(body).entries[0]
        assert e.id == entry_id and e.link.endswith(new), (e.id, e.link)
        st, _, body = s.get("/sitemaps/en-1.xml")
        assert new.encode() in body and old.encode() not in body


# ---- real readers and crawlers ----

def test_newsboat_reads_the_feeds():
    tmp = prtest.tmpdir("newsboat-")
    for fmt in ("rss.xml", "atom.xml"):
        for base in ("/en", "/en/kinds/statement"):
            urls = prtest.write(os.path.join(tmp, "urls"),
                                "%s%s/%s\n" % (site().url, base, fmt))
            cache = os.path.join(tmp, "cache-%s.db" % fmt)
            if os.path.exists(cache):
                os.remove(cache)
            p = subprocess.run(["newsboat", "-u", urls, "-c", cache, "-C",
                                "/dev/null", "-x", "reload", "print-unread"],
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=60,
                               env=dict(os.environ, HOME=tmp))
            out = p.stdout.decode("utf-8", "replace")
            assert p.returncode == 0, out
            assert "%d unread articles" % PAGE_SIZE in out, (base, fmt, out)
            db = sqlite3.connect(cache)
            titles = [t for (t,) in db.execute("SELECT title FROM rss_item")]
            db.close()
            assert len(titles) == PAGE_SIZE and all(titles), titles


def test_linkchecker_crawls_from_the_sitemap():
    """A small site (linkchecker asks one host for about three pages a
    second), crawled without a depth limit from the sitemap index: every
    address of the sitemaps and every link of every page it reaches, feed
    links of the heads included."""
    d = prtest.init_data()
    port = prtest.free_port()
    prtest.write_config(d, "base_url = http://127.0.0.1:%d\n" % port)
    small = [r for r in ITEMS if r["id"] in (1000, 1001, 1004, 2000, 2001)]
    prtest.run(["import", write_jsonl(os.path.join(prtest.tmpdir(),
                                                   "s.jsonl"), small)],
               data=d, check=0)
    r = prtest.run(["import", "--lang", "en", "--date", SAMPLE_DATE,
                    sample_path()], data=d, check=0)
    sid = re.search(r"\(id (\d+)\)", r.out).group(1)
    prtest.run(["import", "--lang", "ru", "--date", SAMPLE_DATE,
                "--translation-of", sid, sample_path("ru")], data=d, check=0)
    with prtest.Server(d, port=port, env={"PRESSROOM_NOW": NOW}) as s:
        p = subprocess.run(["linkchecker", "--no-status", "--no-warnings",
                            "--recursion-level", "-1", "-v", "-o", "csv",
                            s.url + "/sitemap.xml"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=300, cwd="/",
                           env=dict(os.environ, HOME=prtest.tmpdir()))
    report = p.stdout.decode("utf-8", "replace")
    if p.returncode != 0:
        raise AssertionError("linkchecker found broken links:\n%s\n%s" %
                             (report[-5000:], p.stderr.decode()[-2000:]))
    rows = [ln for ln in report.splitlines() if ln.startswith(s.url) or
            ";" + s.url in ln]
    assert len(rows) > 40, "linkchecker checked only %d links:\n%s" % (
        len(rows), report[-3000:])
    for want in ("/sitemaps/en-1.xml", "/en/atom.xml", "/en/kinds/news",
                 "/ru/archive/2021/11/18", "/en/tags/ecology"):
        assert any(s.url + want in ln for ln in rows), want
    print("linkchecker: %d links, none broken" % len(rows))


if __name__ == "__main__":
    prtest.main(globals())
