"""Every page type of the reader's side, in both languages, as the server
sends it, checked with the Nu HTML checker (npm vnu-jar) in one call, the
theme's stylesheets with it: zero errors allowed."""

import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prtest  # noqa: E402
import primages  # noqa: E402
from test_site import ITEMS, SAMPLE_DATE, sample_path, write_jsonl  # noqa

VNU = os.path.join(prtest.SOURCE_DIR, "node_modules", "vnu-jar", "build",
                   "dist", "vnu.jar")


def canonical(s, lang, rid):
    status, h, _ = s.get("/%s/news/%d" % (lang, rid))
    assert status == 301, (rid, status)
    return h["Location"]


def pages(s, sample_id, sample_ru_id):
    """(file name, path, method, expected status) of every page type."""
    en, ru = canonical(s, "en", 1003), canonical(s, "ru", 2003)
    sample = canonical(s, "en", sample_id)
    sample_ru = canonical(s, "ru", sample_ru_id)
    out = [("news-en-1", "/en/news", 200), ("news-en-2", "/en/news?page=2", 200),
           ("news-ru-1", "/ru/news", 200), ("home-ru", "/ru/", 200),
           ("article-en", en, 200), ("article-ru", ru, 200),
           ("article-sample", sample, 200), ("print-en", en + "/print", 200),
           ("print-ru", ru + "/print", 200),
           ("print-sample", sample + "/print", 200),
           ("article-sample-ru", sample_ru, 200),
           ("gallery-en", sample + "/photos", 200),
           ("photo-en-1", sample + "/photos/1", 200),
           ("photo-en-5", sample + "/photos/5", 200),
           ("gallery-ru", sample_ru + "/photos", 200),
           ("photo-ru-1", sample_ru + "/photos/1", 200),
           ("print-sample-ru", sample_ru + "/print", 200),
           ("archive-en", "/en/archive", 200),
           ("archive-ru", "/ru/archive", 200),
           ("year-en", "/en/archive/2021", 200),
           ("month-ru", "/ru/archive/2021/11", 200),
           ("day-en", "/en/archive/2021/11/18", 200),
           ("empty-year-en", "/en/archive/1901", 200),
           ("tag-en", "/en/tags/ecology", 200),
           ("person-en", "/en/persons/igor-krasnov", 200),
           ("place-ru", "/ru/places/moskva", 200),
           ("kind-en", "/en/kinds/statement", 200),
           ("kind-ru", "/ru/kinds/news", 200),
           ("escaped-en", canonical(s, "en", 1007), 200),
           ("404-en", "/en/nothing", 404), ("404-ru", "/ru/nothing", 404),
           ("404-root", "/nothing", 404),
           ("400-en", "/en/news?page=0", 400),
           ("400-ru", "/ru/archive/2021/13", 400),
           ("400-http", "/en/news/%zz", 400),
           ("search-en", "/en/search?q=Krasnov+environmental", 200),
           ("search-ru", "/ru/search?q=%D0%9A%D1%80%D0%B0%D1%81%D0%BD%D0%BE"
            "%D0%B2&kind=news&from=2020-01-01&tag=ecology", 200),
           ("search-pages-en", "/en/search?q=item&page=2&sort=date", 200),
           ("search-form-ru", "/ru/search", 200),
           ("search-none-en", "/en/search?q=enviromental&kind=speech", 200),
           ("search-past-end-en", "/en/search?q=item&page=90", 200),
           ("search-400-ru", "/ru/search?q=a&from=2021-02-30", 400)]
    body = s.text("/en/tags/ecology")
    m = re.search(r'href="([^"]*\?after=[^"]*)"', body)
    assert m, "the tag page links to older items"
    out.append(("tag-older-en", m.group(1).replace("&amp;", "&"), 200))
    return out


def add_photos(d, en, ru):
    """Five photos on the sample, one with EXIF and IPTC texts, one on its
    translation."""
    folder = prtest.tmpdir("vnu-photos-")
    files = []
    for i, kind in enumerate(["jpeg", "png", "jpeg", "webp", "jpeg"]):
        b = primages.make(kind, 900 + 100 * i, 600)
        if i == 0:
            b = primages.with_iptc(primages.with_exif(
                b, description="Igor Krasnov & <the> delegation",
                artist="Press service", taken="2021:11:18 09:30:00"),
                caption="In \"Nur-Sultan\"", credit="Ministry")
        files.append(prtest.write(os.path.join(folder, "%d.img" % i), b))
    prtest.run(["photo", "add", "--licence", "CC BY 4.0", en] + files,
               data=d, check=0)
    prtest.run(["photo", "add", ru, files[0]], data=d, check=0)


def test_vnu():
    if not os.path.exists(VNU):
        raise AssertionError("%s is missing: run scripts/deps.sh test (or "
                             "npm install --no-save --ignore-scripts "
                             "vnu-jar)" % VNU)
    d = prtest.init_data()
    prtest.write_config(d, "page_size = 10\n")
    f = write_jsonl(os.path.join(prtest.tmpdir(), "items.jsonl"), ITEMS)
    prtest.run(["import", f], data=d, check=0)
    r = prtest.run(["import", "--lang", "en", "--date", SAMPLE_DATE,
                    sample_path()], data=d, check=0)
    sample_id = int(re.search(r"\(id (\d+)\)", r.out).group(1))
    r = prtest.run(["import", "--lang", "ru", "--date", SAMPLE_DATE,
                    "--translation-of", sample_id, sample_path("ru")],
                   data=d, check=0)
    sample_ru_id = int(re.search(r"\(id (\d+)\)", r.out).group(1))
    add_photos(d, sample_id, sample_ru_id)
    out = prtest.tmpdir("vnu-")
    files = []
    with prtest.Server(d) as s:
        for name, path, want in pages(s, sample_id, sample_ru_id):
            status, _, body = s.get(path)
            assert status == want, (path, status, want)
            files.append(prtest.write(os.path.join(out, name + ".html"),
                                      body))
        status, _, body = s.request("POST", "/en/news")
        assert status == 405, status
        files.append(prtest.write(os.path.join(out, "405-en.html"), body))
        for css in ("style.css", "print.css"):
            status, _, body = s.get("/static/" + css)
            assert status == 200, (css, status)
            files.append(prtest.write(os.path.join(out, css), body))
    p = subprocess.run(["java", "-jar", VNU, "--errors-only", "--format",
                        "text", "--also-check-css"] + files,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=300)
    report = p.stdout.decode("utf-8", "replace")
    errors = [ln for ln in report.splitlines() if ln.strip() and
              not ln.startswith("Document checking completed.")]
    if p.returncode != 0 or errors:
        raise AssertionError("the Nu HTML checker found errors in %d "
                             "files:\n%s" % (len(files), report))
    print("vnu: %d files, no errors" % len(files))


if __name__ == "__main__":
    prtest.main(globals())
