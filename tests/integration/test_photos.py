"""Photos end to end: `photo add` and the "photos" of JSON Lines, the
renditions (sizes, no metadata), the original served byte for byte with
Range and 304, captions and credits from EXIF and IPTC on the pages, the
gallery and photo pages, export and import of the files, and every kind of
bad image refused cleanly over the command line and over import, leaving
the database and the data folder as they were."""

import hashlib
import json
import os
import re
import sqlite3
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prtest  # noqa: E402
import primages  # noqa: E402
from prtest import check_in, check_match, run  # noqa: E402

DATE = "2021-11-18T09:30:00Z"
SAMPLE = prtest.fixture("sample-release.txt")
SAMPLE_RU = prtest.fixture("sample-release.ru.txt")
PIXBUF_FAIL = os.path.join(prtest.SOURCE_DIR, ".cache", "gdk-pixbuf-tests",
                           "usr", "libexec", "installed-tests", "gdk-pixbuf",
                           "test-images", "fail")

_images = {}


def image(name, kind, w, h, **meta):
    """A test image file (made once) in a shared folder."""
    if name not in _images:
        b = primages.make(kind, w, h)
        if meta.get("exif"):
            b = primages.with_exif(b, **meta["exif"])
        if meta.get("iptc"):
            b = primages.with_iptc(b, **meta["iptc"])
        d = prtest.tmpdir("img-")
        _images[name] = prtest.write(os.path.join(d, name), b)
    return _images[name]


def camera_jpeg():
    """2400 x 1600 with EXIF text fields, a date and a GPS position."""
    return image("camera.jpg", "jpeg", 2400, 1600, exif=dict(
        description="Minister at the summit in Nur-Sultan",
        artist="Igor Krasnov", copyright="Press Office",
        taken="2021:11:18 09:30:00", gps=True))


def iptc_jpeg():
    return image("iptc.jpg", "jpeg", 900, 600, iptc=dict(
        caption="The delegation arrives in Astana", byline="Anna Petrova",
        credit="Ministry press service", date="20211118"))


def site_with_sample():
    """(data folder, English id, Russian id) with the sample release in
    both languages."""
    d = prtest.init_data()
    r = run(["import", "--date", DATE, "--lang", "en", SAMPLE], data=d,
            check=0)
    en = int(re.search(r"\(id (\d+)\)", r.out).group(1))
    r = run(["import", "--date", DATE, "--lang", "ru", "--translation-of",
             en, SAMPLE_RU], data=d, check=0)
    ru = int(re.search(r"\(id (\d+)\)", r.out).group(1))
    return d, en, ru


def media_files(d):
    """Every file under DATA/media/ but the temporary folder, with its
    size."""
    out = {}
    root = os.path.join(d, "media")
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            out[os.path.relpath(p, root)] = os.path.getsize(p)
    return out


def db_rows(d):
    """The rows of the tables photos touch, read-only."""
    c = sqlite3.connect("file:%s?mode=ro" % os.path.join(d, "pressroom.db"),
                        uri=True)
    try:
        return (c.execute("SELECT * FROM photo ORDER BY id").fetchall(),
                c.execute("SELECT id, updated_at FROM article "
                          "ORDER BY id").fetchall())
    finally:
        c.close()


def photo_list(d, article):
    r = run(["photo", "list", article], data=d, check=0)
    return [ln.split("\t") for ln in r.out.splitlines()]


def canonical(s, lang, aid):
    status, h, _ = s.get("/%s/news/%d" % (lang, aid))
    assert status == 301, status
    return h["Location"]


def test_renditions_and_original():
    d, en, _ = site_with_sample()
    src = camera_jpeg()
    r = run(["photo", "add", en, src], data=d, check=0)
    check_in("camera.jpg: added", r.out)
    (pos, name, size, caption, credit), = photo_list(d, en)
    assert size == "2400x1600", size
    check_in("Minister at the summit", caption)
    sha = name.split(".")[0]
    with open(src, "rb") as f:
        original = f.read()
    assert sha == hashlib.sha256(original).hexdigest()
    with prtest.Server(d) as s:
        for w in (320, 640, 1280, 2048):
            h = 2048 * 1600 // 2400 if w == 2048 else round(w * 1600 / 2400)
            for ext in ("webp", "jpg"):
                path = "/media/r/%s/%s/%s-%d.%s" % (sha[:2], sha[2:4], sha,
                                                    w, ext)
                status, hd, body = s.get(path)
                assert status == 200, (path, status)
                if ext == "jpg":
                    assert hd["Content-Type"] == "image/jpeg"
                    size = primages.jpeg_size(body)
                    assert primages.jpeg_metadata(body) == [], path
                else:
                    assert hd["Content-Type"] == "image/webp"
                    size = primages.webp_size(body)
                    assert primages.webp_metadata(body) == [], path
                assert size[0] == w and abs(size[1] - h) <= 1, (path, size)
                assert b"Igor Krasnov" not in body and b"GPS" not in body
        status, _, _ = s.get("/media/r/%s/%s/%s-2400.jpg" %
                             (sha[:2], sha[2:4], sha))
        assert status == 404, "no rendition wider than 2048"
        orig = "/media/orig/%s/%s/%s.jpg" % (sha[:2], sha[2:4], sha)
        status, hd, body = s.get(orig)
        assert status == 200 and body == original, status
        assert hd["Content-Type"] == "image/jpeg", hd["Content-Type"]
        assert hd["Cache-Control"] == "public, max-age=31536000, immutable"
        assert hd["Accept-Ranges"] == "bytes"
        etag = hd["ETag"]
        assert etag and etag.startswith('"'), etag
        status, _, body = s.get(orig, {"If-None-Match": etag})
        assert status == 304 and body == b"", status
        status, hd, body = s.get(orig, {"Range": "bytes=100-199"})
        assert status == 206 and body == original[100:200], status
        assert hd["Content-Range"] == "bytes 100-199/%d" % len(original)
        status, hd, body = s.get(orig, {"Range": "bytes=-10"})
        assert status == 206 and body == original[-10:]
        status, hd, _ = s.get(orig, {"Range": "bytes=%d-" % len(original)})
        assert status == 416 and hd["Content-Range"] == "bytes */%d" % len(
            original)
        status, hd, body = s.head(orig)
        assert status == 200 and body == b""
        assert hd["Content-Length"] == str(len(original))
        for bad in ("/media/orig/%s/%s/%s.png" % (sha[:2], sha[2:4], sha),
                    "/media/orig/00/00/%s.jpg" % sha,
                    "/media/orig/%s/%s/%s.jpg" % (sha[:2], sha[2:4],
                                                  sha.upper()),
                    "/media/pressroom.db", "/media/../pressroom.db",
                    "/media/r/%s/%s/%s-0320.jpg" % (sha[:2], sha[2:4], sha)):
            status, _, _ = s.get(bad)
            assert status in (400, 404), (bad, status)


def test_metadata_reaches_the_pages():
    d, en, ru = site_with_sample()
    run(["photo", "add", en, camera_jpeg(), iptc_jpeg()], data=d, check=0)
    run(["photo", "add", "--caption", "Given caption", "--credit",
         "Given credit", "--licence", "CC BY 4.0", en,
         image("plain.png", "png", 500, 400)], data=d, check=0)
    run(["photo", "add", ru, iptc_jpeg()], data=d, check=0)
    with prtest.Server(d) as s:
        article = canonical(s, "en", en)
        page = s.text(article)
        check_in('<figure class="lead-photo">', page)
        check_in('<source type="image/webp" srcset="/media/r/', page)
        check_in('width="2400" height="1600"', page)
        check_in("Minister at the summit in Nur-Sultan", page)
        check_in("Photo: Igor Krasnov", page)
        check_match(r'<a href="%s/photos">3 photos</a>' % re.escape(article),
                    page)
        gallery = s.text(article + "/photos")
        check_in("The delegation arrives in Astana", gallery)
        check_in("Given caption", gallery)
        assert gallery.count('loading="lazy"') == 0, "only 3: all eager"
        p2 = s.text(article + "/photos/2")
        check_in("The delegation arrives in Astana", p2)
        check_in("<dd>Ministry press service</dd>", p2)
        check_in('<time datetime="2021-11-18T00:00:00Z">', p2)
        check_in('rel="prev"', p2)
        check_in('rel="next"', p2)
        p3 = s.text(article + "/photos/3")
        check_in("<dd>Given credit</dd>", p3)
        check_in("<dd>CC BY 4.0</dd>", p3)
        check_in("(PNG, ", p3)
        assert 'rel="next"' not in p3
        p1 = s.text(article + "/photos/1")
        check_in("<dd>Igor Krasnov</dd>", p1)
        check_match(r'download="%d-1\.jpg"' % en, p1)
        ru_page = s.text(canonical(s, "ru", ru))
        check_match(r'">1 фото</a>', ru_page)
        check_in("Фото: Ministry press service", ru_page)
        ru_photo = s.text(canonical(s, "ru", ru) + "/photos/1")
        check_in("Фото 1 из 1", ru_photo)
        check_in("Скачать оригинал", ru_photo)
        news = s.text("/en/news")
        check_in('<div class="thumb">', news)


def test_gallery_pages():
    d, en, ru = site_with_sample()
    files = [image("g%d.jpg" % i, "jpeg", 640 + 40 * i, 480)
             for i in range(6)]
    run(["photo", "add", en] + files, data=d, check=0)
    with prtest.Server(d) as s:
        article = canonical(s, "en", en)
        gallery = s.text(article + "/photos")
        assert gallery.count("<li>\n<figure>") == 6, gallery
        assert gallery.count('loading="lazy"') == 2, "the first 4 eager"
        check_in("6 photos", gallery)
        check_in('<script src="/static/gallery.js?v=', gallery)
        for n in range(1, 7):
            page = s.text("%s/photos/%d" % (article, n))
            check_in("Photo %d of 6" % n, page)
            assert ('rel="prev"' in page) == (n > 1)
            assert ('rel="next"' in page) == (n < 6)
        status, _, _ = s.get(article + "/photos/7")
        assert status == 404
        status, h, _ = s.get("/en/news/%d/photos/2" % en)
        assert status == 301 and h["Location"] == article + "/photos/2"
        status, h, _ = s.get("/en/news/%d-wrong/photos" % en)
        assert status == 301 and h["Location"] == article + "/photos"
        status, _, _ = s.get(canonical(s, "ru", ru) + "/photos")
        assert status == 404, "the translation has no photos"
        status, h, body = s.get("/static/gallery.js")
        assert status == 200 and h["Content-Type"].startswith(
            "text/javascript"), h["Content-Type"]


def test_unpublished_photos_are_hidden():
    d = prtest.init_data()
    f = prtest.write(os.path.join(prtest.tmpdir(), "draft.jsonl"),
                     json.dumps({"id": 7, "lang": "en", "title": "Draft",
                                 "status": "draft", "published_at": DATE,
                                 "body": "x"}) + "\n")
    run(["import", f], data=d, check=0)
    run(["photo", "add", 7, image("d.jpg", "jpeg", 400, 300)], data=d,
        check=0)
    with prtest.Server(d) as s:
        for p in ("/en/news/7/photos", "/en/news/7/photos/1"):
            status, _, _ = s.get(p)
            assert status == 404, (p, status)


def test_same_file_twice_changes_nothing():
    d, en, _ = site_with_sample()
    f = image("twice.jpg", "jpeg", 700, 500)
    run(["photo", "add", en, f], data=d, check=0)
    before, files = db_rows(d), media_files(d)
    r = run(["photo", "add", en, f], data=d, check=0)
    check_in("already a photo of it", r.out)
    assert db_rows(d) == before and media_files(d) == files
    doc = prtest.write(os.path.join(os.path.dirname(f), "twice.jsonl"),
                       json.dumps({"id": 500, "lang": "en", "title": "T",
                                   "published_at": DATE, "body": "x",
                                   "photos": [{"file": "twice.jpg"},
                                              {"file": "twice.jpg"}]}) + "\n")
    r = run(["import", doc], data=d, check=0)
    check_in("1 item imported (id 500), 1 photo", r.out)
    assert len(photo_list(d, 500)) == 1
    assert len(media_files(d)) == len(files), "stored once"


def test_export_import_roundtrip():
    d, en, ru = site_with_sample()
    run(["photo", "add", en, camera_jpeg(), iptc_jpeg(),
         image("rt.png", "png", 300, 200)], data=d, check=0)
    run(["photo", "add", "--alt", "Two men shake hands", ru, iptc_jpeg()],
        data=d, check=0)
    out = os.path.join(prtest.tmpdir(), "export")
    run(["export", "--out", out], data=d, check=0)
    with open(os.path.join(out, "articles.jsonl"), "rb") as f:
        first = f.read()
    items = [json.loads(x) for x in first.decode().splitlines()]
    photos = items[0]["photos"]
    assert [p["file"] for p in photos] == [
        "photos/%d/1.jpg" % en, "photos/%d/2.jpg" % en,
        "photos/%d/3.png" % en], photos
    assert photos[0]["caption"] == "Minister at the summit in Nur-Sultan"
    assert photos[0]["taken_at"] == "2021-11-18T09:30:00Z"
    assert items[1]["photos"][0]["alt"] == "Two men shake hands"
    with open(camera_jpeg(), "rb") as a, \
            open(os.path.join(out, photos[0]["file"]), "rb") as b:
        assert a.read() == b.read()
    e = prtest.init_data()
    r = run(["import", os.path.join(out, "articles.jsonl")], data=e, check=0)
    check_in("2 items imported (ids %d to %d), 4 photos" % (en, ru), r.out)
    out2 = os.path.join(prtest.tmpdir(), "export2")
    run(["export", "--out", out2], data=e, check=0)
    with open(os.path.join(out2, "articles.jsonl"), "rb") as f:
        assert f.read() == first
    assert media_files(d) == media_files(e)
    # without --out: the originals named under the data folder
    text = run(["export"], data=d, check=0).out
    f = json.loads(text.splitlines()[0])["photos"][0]["file"]
    assert f.startswith("media/orig/") and os.path.isfile(
        os.path.join(d, f)), f
    prtest.write(os.path.join(d, "export.jsonl"), text)
    g = prtest.init_data()
    r = run(["import", os.path.join(d, "export.jsonl")], data=g, check=0)
    check_in("4 photos", r.out)


def bad_images(big):
    """(file name, bytes, pattern of the reason) of each image that must be
    refused (big: the one over the configured limits), and (name, bytes)
    of the odd ones that must be taken."""
    jpeg = primages.make("jpeg", 800, 600)
    png = primages.make("png", 300, 200)
    refused = [big,
        ("notes.jpg", b"These are the minutes of the meeting.\n" * 20,
         r"not an image"),
        ("empty.jpg", b"", r"not an image|empty"),
        ("truncated.jpg", jpeg[:len(jpeg) // 2],
         r"[Tt]runcated|[Pp]remature|damaged|end of"),
        ("bomb.png", primages.png_bomb(), r"50000 x 50000"),
        ("scan.tif", primages.make("tiff", 100, 100), r"TIFF"),
        ("page.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
         r"PDF"),
    ]
    taken = [
        ("png-named.jpg", png),
        ("loop-exif.jpg", primages.with_raw_exif(
            primages.make("jpeg", 500, 400), primages.looping_exif())),
        ("garbage-exif.jpg", primages.jpeg_insert(
            primages.make("jpeg", 500, 400), 0xE1,
            b"Exif\0\0" + os.urandom(300))),
        ("cmyk.jpg", primages.make("cmyk", 500, 400)),
        ("deep.png", primages.make("png16", 400, 300)),
        ("alpha.png", primages.make("png-alpha", 400, 300)),
        ("grey.jpg", primages.make("grey", 400, 300)),
        ("frames.gif", primages.make("gif-anim", 300, 200)),
        ("frames.webp", primages.make("webp-anim", 300, 200)),
    ]
    return refused, taken


def test_bad_images_over_the_cli():
    d, en, _ = site_with_sample()
    prtest.write_config(d, "image_max_megapixels = 2\n")
    folder = prtest.tmpdir("bad-")
    refused, taken = bad_images(("big.jpg", primages.make("jpeg", 1800, 1400),
                                 r"over the limit of 2 megapixels"))
    before, files = db_rows(d), media_files(d)
    for name, data, why in refused:
        path = prtest.write(os.path.join(folder, name), data)
        ok = prtest.write(os.path.join(folder, "ok-" + name + ".png"),
                          primages.make("png", 64, 48 + len(name)))
        r = run(["photo", "add", en, ok, path], data=d, check=1)
        check_match(re.escape(path) + r": .*(" + why + ")", r.err,
                    "stderr of " + name)
        check_in("no photo was added", r.err)
        assert db_rows(d) == before, name
        assert media_files(d) == files, (name, "files left behind")
    for name, data in taken:
        path = prtest.write(os.path.join(folder, name), data)
        r = run(["photo", "add", en, path], data=d)
        assert r.code == 0, (name, r.err)
    listed = photo_list(d, en)
    assert len(listed) == len(taken)
    assert listed[0][1].endswith(".png"), "stored by its content"
    sizes = [ln[2] for ln in listed]
    assert sizes[7] == "300x200" and sizes[8] == "300x200", sizes
    with prtest.Server(d) as s:
        page = s.text(canonical(s, "en", en) + "/photos")
        check_in("9 photos", page)
        for m in re.findall(r'srcset="([^" ]+) ', page)[:8]:
            status, _, _ = s.get(m)
            assert status == 200, m


def test_bad_images_over_import():
    d, en, _ = site_with_sample()
    folder = prtest.tmpdir("bad-import-")
    prtest.write_config(d, "upload_max_mb = 1\n")
    refused, _ = bad_images(("big.jpg", b"\xff" * ((1 << 20) + 1),
                             r"over the limit of 1048576 bytes"))
    good = prtest.write(os.path.join(folder, "good.png"),
                        primages.make("png", 320, 240))
    before, files = db_rows(d), media_files(d)
    for name, data, why in refused:
        prtest.write(os.path.join(folder, name), data)
        doc = os.path.join(folder, "items.jsonl")
        prtest.write(doc, "\n".join(json.dumps(x) for x in [
            {"id": 900, "lang": "en", "title": "First", "published_at": DATE,
             "body": "x", "photos": [{"file": "good.png",
                                      "caption": "Good"}]},
            {"id": 901, "lang": "en", "title": "Second",
             "published_at": DATE, "body": "x",
             "photos": [{"file": "good.png"}, {"file": name}]},
        ]) + "\n")
        r = run(["import", doc], data=d, check=1)
        check_match(re.escape(doc) + r":2: photos: item 2: " +
                    re.escape(os.path.join(folder, name)) + r": .*(" + why +
                    ")", r.err, "stderr of " + name)
        check_in("nothing was imported", r.err)
        assert db_rows(d) == before, name
        assert media_files(d) == files, (name, "files left behind")
    assert os.path.exists(good)
    # a missing file, a path that leaves the folder
    for entry, why in (({"file": "missing.jpg"}, "cannot open"),
                       ({"file": "../good.png"}, "leaves the folder")):
        doc = prtest.write(os.path.join(folder, "one.jsonl"), json.dumps(
            {"lang": "en", "title": "x", "published_at": DATE, "body": "x",
             "photos": [entry]}) + "\n")
        r = run(["import", doc], data=d, check=1)
        check_in(why, r.err)
        assert db_rows(d) == before


def test_pixbuf_fail_images():
    if not os.path.isdir(PIXBUF_FAIL):
        print("skipped: no %s (scripts/fetch-test-images.sh pixbuf)" %
              PIXBUF_FAIL)
        return
    d, en, _ = site_with_sample()
    names = sorted(os.listdir(PIXBUF_FAIL))
    refused = 0
    for n in names:
        path = os.path.join(PIXBUF_FAIL, n)
        r = run(["photo", "add", en, path], data=d)
        assert r.code in (0, 1), (n, r.code, r.err)
        if r.code == 1:
            refused += 1
            check_in(path + ": ", r.err)
    print("gdk-pixbuf fail images: %d refused, %d taken" %
          (refused, len(names) - refused))
    assert refused > len(names) // 2
    with prtest.Server(d) as s:
        status, _, _ = s.get(canonical(s, "en", en))
        assert status == 200


if __name__ == "__main__":
    prtest.main(globals())
