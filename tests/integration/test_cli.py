"""test_cli: the pressroom command line end to end: init, import (JSON Lines
and plain-text releases), export and the round trip through an empty site,
every kind of bad input (exit 1, a message naming file, line and field, the
database unchanged), usage errors (exit 2), --help everywhere, check,
backup (also while serve runs) and serve's clean stop."""

import json
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prtest  # noqa: E402
from prtest import check_in, check_match, run  # noqa: E402

SAMPLE = prtest.fixture("sample-release.txt")
SAMPLE_RU = prtest.fixture("sample-release.ru.txt")
DATE = "2021-11-18T09:30:00Z"
COMMANDS = ["init", "import", "export", "serve", "check", "backup", "reindex"]


def rec(**kw):
    r = {"lang": "en", "title": "A title", "published_at": DATE,
         "body": "Some *text*."}
    r.update(kw)
    return r


def jsonl(*records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n"
                   for r in records)


def export(data):
    return run(["export"], data=data, check=0).stdout


def import_file(data, name, content, args=(), check=None):
    path = os.path.join(prtest.tmpdir(), name)
    prtest.write(path, content)
    return path, run(["import"] + list(args) + [path], data=data,
                     check=check)


def lines(out):
    return [json.loads(x) for x in out.decode("utf-8").splitlines()]


def base_site():
    """A site holding the sample release and a few JSON Lines items."""
    d = prtest.init_data()
    r = run(["import", "--date", DATE, "--lang", "en", SAMPLE], data=d,
            check=0)
    en_id = int(re.search(r"\(id (\d+)\)", r.out).group(1))
    run(["import", "--date", DATE, "--lang", "ru", "--translation-of",
         en_id, SAMPLE_RU], data=d, check=0)
    import_file(d, "base.jsonl", jsonl(
        rec(id=500, title="Statement on ecology", kind="statement",
            lead="Short lead", tags=["ecology", "law"],
            persons=["Igor Krasnov"], places=["Nur-Sultan"],
            author="Press office", updated_at="2021-11-19T08:00:00Z"),
        rec(id=501, lang="ru", title="Заявление об экологии",
            translation_of=500, body="Текст с «кавычками» и `кодом`."),
        rec(title="A draft", status="draft", slug="a-draft"),
    ), check=0)
    return d


# --help, --version and usage errors

def test_help_everywhere():
    for args in (["--help"], ["-h"]):
        r = run(args, check=0)
        check_in("usage: pressroom", r.out)
        for c in COMMANDS:
            check_in(c, r.out)
    for c in COMMANDS:
        for h in ("--help", "-h"):
            r = run([c, h], data=prtest.tmpdir(), check=0)
            check_in("usage: pressroom [--data DIR] " + c, r.out)
            assert r.err == "", r.err
    r = run(["--version"], check=0)
    assert r.out.startswith("pressroom "), r.out


def test_usage_errors():
    d = prtest.init_data()
    cases = [
        ([], "which command"),
        (["reindex", "extra"], "unexpected argument extra"),
        (["frobnicate"], "unknown command"),
        (["--bogus", "init"], "unknown option --bogus"),
        (["--data"], "--data needs a value"),
        (["init", "extra"], "unexpected argument extra"),
        (["import"], "which files"),
        (["import", "--bogus", SAMPLE], "unknown option --bogus"),
        (["import", "-x", SAMPLE], "unknown option -x"),
        (["import", SAMPLE, "--date"], "--date needs a value"),
        (["import", "--date", "yesterday", SAMPLE], "--date: not an RFC"),
        (["import", "--date", DATE, "--lang", "de", SAMPLE], "--lang"),
        (["import", "--date", DATE, "--kind", "blog", SAMPLE], "--kind"),
        (["import", "--translation-of", "x", SAMPLE], "--translation-of"),
        (["export", "--out"], "--out needs a value"),
        (["export", "extra"], "unexpected argument"),
        (["serve", "--threads", "0"], "--threads"),
        (["serve", "--listen", "nonsense"], "--listen"),
        (["check", "--bogus"], "unknown option"),
        (["backup"], "which file"),
        (["backup", "a", "b"], "unexpected argument b"),
    ]
    before = export(d)
    for args, msg in cases:
        r = run(args, data=d)
        assert r.code == 2, (args, r)
        check_in(msg, r.err, "stderr of %s" % args)
        check_in("usage: pressroom", r.err, "stderr of %s" % args)
        assert r.out == "", (args, r.out)
    assert export(d) == before


# init

def test_init():
    root = prtest.tmpdir()
    d = os.path.join(root, "a", "b", "data")
    r = run(["init"], data=d, check=0)
    conf = os.path.join(d, "pressroom.conf")
    assert os.path.isfile(conf) and os.path.isfile(
        os.path.join(d, "pressroom.db"))
    text = open(conf, encoding="utf-8").read()
    check_in("max_import_line", text)
    check_in("#", text)
    with open(conf, "a", encoding="utf-8") as f:
        f.write("# edited by the operator\n")
    edited = open(conf, encoding="utf-8").read()
    r = run(["init"], data=d, check=0)
    check_in("left as it is", r.out)
    assert open(conf, encoding="utf-8").read() == edited
    assert export(d) == b""
    run(["check"], data=d, check=0)


def test_data_folder_choice():
    env_dir = os.path.join(prtest.tmpdir(), "from-env")
    run(["init"], env={"PRESSROOM_DATA": env_dir}, check=0)
    assert os.path.isfile(os.path.join(env_dir, "pressroom.db"))
    cwd = prtest.tmpdir()
    run(["init"], cwd=cwd, check=0)
    assert os.path.isfile(os.path.join(cwd, "data", "pressroom.db"))
    other = os.path.join(prtest.tmpdir(), "flag")
    run(["init"], data=other, env={"PRESSROOM_DATA": env_dir}, check=0)
    assert os.path.isfile(os.path.join(other, "pressroom.db"))


def test_no_database():
    d = os.path.join(prtest.tmpdir(), "never-initialised")
    path, r = import_file(d, "a.jsonl", jsonl(rec()))
    assert r.code == 1, r
    check_in("init", r.err)
    assert not os.path.exists(os.path.join(d, "pressroom.db"))
    assert run(["export"], data=d).code == 1


# import

def test_import_sample_release():
    d = prtest.init_data()
    r = run(["import", "--date", DATE, "--lang", "en", SAMPLE], data=d,
            check=0)
    check_in("sample-release.txt: 1 item imported (id ", r.out)
    check_in("9 photos", r.out)
    en_id = int(re.search(r"\(id (\d+)\)", r.out).group(1))
    r = run(["import", "--date", DATE, "--lang", "ru", "--translation-of",
             str(en_id), SAMPLE_RU], data=d, check=0)
    items = lines(export(d))
    assert len(items) == 2, items
    en, ru = items
    assert en["title"].startswith("Igor Krasnov, Prosecutor General"), en
    assert en["title"].endswith("(CCPG)"), en
    assert en["lead"].startswith("Igor Krasnov, Prosecutor General of the "
                                 "Russian Federation, has taken part"), en
    assert en["body"].startswith("The meeting was attended"), en
    assert "Print News Archive" not in en["body"]
    assert "9 Photo" not in en["body"]
    assert en["published_at"] == DATE and en["kind"] == "news"
    assert en["slug"].startswith("igor-krasnov-prosecutor-general"), en
    assert ru["lang"] == "ru" and ru["translation_of"] == en_id, ru
    assert ru["title"].startswith("Генеральный прокурор"), ru
    assert "Версия для печати" not in ru["body"]
    assert re.match(r"^[a-z0-9-]+$", ru["slug"]), ru


def test_import_text_needs_date():
    d = prtest.init_data()
    r = run(["import", SAMPLE], data=d)
    assert r.code == 1, r
    check_in(SAMPLE + ": a text release needs --date", r.err)
    assert export(d) == b""


def test_import_text_options():
    d = prtest.init_data()
    path, r = import_file(d, "release", "Title\n\nLead line\n\nBody\n",
                          ["--date", DATE, "--kind", "speech"], check=0)
    (item,) = lines(export(d))
    assert item["kind"] == "speech" and item["lang"] == "en", item
    assert item["lead"] == "Lead line" and item["body"] == "Body", item
    path, r = import_file(d, "r.txt", "T\n", ["--date", DATE,
                                             "--translation-of", "999"])
    assert r.code == 1, r
    check_in("r.txt: --translation-of: no article 999", r.err)


def test_roundtrip_byte_identical():
    a = base_site()
    first = export(a)
    assert len(lines(first)) == 5
    path = os.path.join(prtest.tmpdir(), "site.jsonl")
    prtest.write(path, first)
    b = prtest.init_data()
    r = run(["import", path], data=b, check=0)
    check_in("5 items imported", r.out)
    second = export(b)
    assert first == second, (first[:3000], second[:3000])
    out = os.path.join(prtest.tmpdir(), "exp", "nested")
    r = run(["export", "--out", out], data=a, check=0)
    with open(os.path.join(out, "articles.jsonl"), "rb") as f:
        assert f.read() == first
    assert sorted(os.listdir(out)) == ["articles.jsonl"]
    # UTF-8 as it is, fields in the documented order
    text = first.decode("utf-8")
    check_in("Заявление об экологии", text)
    assert "\\u04" not in text
    keys = list(json.loads(text.splitlines()[2]).keys())
    assert keys == ["id", "lang", "kind", "status", "published_at",
                    "updated_at", "title", "slug", "lead", "body", "author",
                    "tags", "persons", "places"], keys


def test_scheduled_roundtrip():
    """A scheduled item is published with its time ahead, as the editors'
    side keeps it; export calls it scheduled until its time."""
    a = prtest.init_data()
    due = "2099-01-02T03:04:05Z"
    import_file(a, "sched.jsonl", jsonl(
        rec(id=700, title="Out later", status="scheduled", published_at=due),
        rec(id=701, title="Out now")), check=0)
    first = export(a)
    got = {x["id"]: x for x in lines(first)}
    assert got[700]["status"] == "scheduled", got[700]
    assert got[700]["published_at"] == due
    assert got[701]["status"] == "published"
    path = os.path.join(prtest.tmpdir(), "sched-out.jsonl")
    prtest.write(path, first)
    b = prtest.init_data()
    run(["import", path], data=b, check=0)
    assert export(b) == first
    run(["check"], data=b, check=0)
    # once its time has come it is simply published
    r = run(["export"], data=b, check=0,
            env={"PRESSROOM_NOW": "2099-01-02T03:04:06Z"})
    assert {x["id"]: x["status"] for x in lines(r.stdout)}[700] == \
        "published"


def test_forward_translation_and_photos():
    d = prtest.init_data()
    path, r = import_file(d, "fwd.jsonl", jsonl(
        rec(id=11, lang="ru", title="Перевод", translation_of=12),
        rec(id=12, title="Original",
            photos=[{"file": "photos/1.jpg", "caption": "c", "credit": "x",
                     "alt": "a"}]),
    ), check=1)
    check_match(r"fwd\.jsonl:2: photos: item 1: .*photos/1\.jpg: cannot "
                r"open: No such file or directory", r.err)
    assert export(d) == b""
    path, r = import_file(d, "fwd.jsonl", jsonl(
        rec(id=11, lang="ru", title="Перевод", translation_of=12),
        rec(id=12, title="Original"),
    ), check=0)
    check_in("2 items imported", r.out)
    items = lines(export(d))
    assert [i["id"] for i in items] == [11, 12]
    assert items[0]["translation_of"] == 12, items


def bad_input_cases():
    ok = rec(id=900, title="Good line")
    return [
        # (file name, content, expected message after "PATH:")
        ("malformed.jsonl", jsonl(ok) + '{"lang": "en", "title": \n',
         r"2: column \d+: malformed JSON: "),
        ("notitle.jsonl", jsonl(ok, {"lang": "en", "published_at": DATE,
                                     "body": "x"}),
         r"2: title: missing$"),
        ("emptytitle.jsonl", jsonl(ok, rec(title="")),
         r"2: title: is empty$"),
        ("date.jsonl", jsonl(ok, rec(published_at="2021-13-45")),
         r'2: published_at: not an RFC 3339 date: "2021-13-45"$'),
        ("kind.jsonl", jsonl(ok, rec(kind="blog")),
         r'2: kind: unknown kind "blog"'),
        ("lang.jsonl", jsonl(ok, rec(lang="de")),
         r'2: lang: unknown language "de"'),
        ("type.jsonl", jsonl(ok, rec(title=["x"])),
         r"2: title: must be a string, not an array$"),
        ("tags.jsonl", jsonl(ok, rec(tags="ecology")),
         r"2: tags: must be an array of strings"),
        ("dupid.jsonl", jsonl(ok, rec(id=900)),
         r"2: id: 900 is also the id of line 1$"),
        ("dbid.jsonl", jsonl(ok, rec(id=500)),
         r"2: id: 500 is already in the database$"),
        ("utf8.jsonl", jsonl(ok).encode() + b'{"lang": "en", "title": "caf'
         b'\xe9"}\n', r"2: invalid UTF-8 at byte column 29$"),
        ("unknown.jsonl", jsonl(ok, rec(tilte="typo")),
         r"2: tilte: unknown field"),
        ("translation.jsonl", jsonl(ok, rec(translation_of=424242)),
         r"2: translation_of: no article 424242 in the file or the "
         r"database$"),
        ("photos.jsonl", jsonl(ok, rec(photos=[{"caption": "no file"}])),
         r"2: photos: item 1: file is missing or empty$"),
        ("object.jsonl", jsonl(ok) + "[1]\n",
         r"2: a record must be a JSON object, not an array$"),
    ]


def test_bad_inputs_leave_database_unchanged():
    d = base_site()
    before = export(d)
    for name, content, pattern in bad_input_cases():
        path, r = import_file(d, name, content)
        assert r.code == 1, (name, r)
        err = r.err.strip().splitlines()[0]
        prefix = "pressroom: " + path + ":"
        assert err.startswith(prefix), (name, err)
        prtest.check_match(pattern, err[len(prefix):], "message of " + name)
        check_in("nothing was imported", r.err)
        assert export(d) == before, name


def test_missing_and_unreadable_files():
    d = base_site()
    before = export(d)
    missing = os.path.join(prtest.tmpdir(), "missing.jsonl")
    r = run(["import", missing], data=d)
    assert r.code == 1, r
    check_in(missing + ": cannot open: No such file or directory", r.err)
    folder = prtest.tmpdir()
    r = run(["import", folder], data=d)
    assert r.code == 1, r
    check_in(folder + ": is a folder", r.err)
    assert export(d) == before


def test_empty_file_is_fine():
    d = prtest.init_data()
    path, r = import_file(d, "empty.jsonl", "", check=0)
    check_in("0 items imported", r.out)


def test_huge_line():
    d = base_site()
    before = export(d)
    path = os.path.join(prtest.tmpdir(), "huge.jsonl")
    size = 100 * 1024 * 1024
    chunk = b"x" * (1024 * 1024)
    with open(path, "wb") as f:
        f.write(jsonl(rec(id=901)).encode())
        for _ in range(size // len(chunk)):
            f.write(chunk)
        f.write(b"\n" + jsonl(rec(id=902)).encode())
    r = run(["import", path], data=d)
    os.unlink(path)
    assert r.code == 1, r
    check_in("%s:2: line is 104857600 bytes, over the limit of " % path,
             r.err)
    assert export(d) == before
    # the line was skipped, not held: far less than 100 MB of memory
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak_kb < 95 * 1024, peak_kb


def test_several_files_stop_at_first_failure():
    d = prtest.init_data()
    tmp = prtest.tmpdir()
    a = prtest.write(os.path.join(tmp, "a.jsonl"), jsonl(rec(id=1)))
    b = prtest.write(os.path.join(tmp, "b.jsonl"),
                     jsonl(rec(id=2), rec(id=3, kind="blog")))
    c = prtest.write(os.path.join(tmp, "c.jsonl"), jsonl(rec(id=4)))
    r = run(["import", a, b, c], data=d)
    assert r.code == 1, r
    check_in(a + ": 1 item imported", r.out)
    check_in(b + ":2: kind:", r.err)
    check_in("imported before the error: " + a, r.err)
    check_in("not imported: %s %s" % (b, c), r.err)
    assert [i["id"] for i in lines(export(d))] == [1]


# check

def test_check():
    d = base_site()
    r = run(["check"], data=d, check=0)
    assert r.out.count("ok") >= 3, r.out
    check_in("5 articles", r.out)
    conf = os.path.join(d, "pressroom.conf")
    good = open(conf, encoding="utf-8").read()
    prtest.write_config(d, "# comment\n\nbogus_key = 1\n")
    r = run(["check"], data=d)
    assert r.code == 1, r
    check_in(conf + ":3: ", r.err)
    check_in("bogus_key", r.err)
    prtest.write_config(d, "threads = many\n")
    r = run(["check"], data=d)
    assert r.code == 1, r
    check_in(conf + ":1: threads", r.err)
    # a bad configuration stops the other commands too
    assert run(["import", SAMPLE, "--date", DATE], data=d).code == 1
    prtest.write_config(d, good)
    run(["check"], data=d, check=0)
    with open(os.path.join(d, "pressroom.db"), "r+b") as f:
        f.seek(100)
        f.write(b"\xff" * 4000)
    assert run(["check"], data=d).code == 1
    r = run(["check"], data=os.path.join(prtest.tmpdir(), "none"))
    assert r.code == 1, r


# backup

def check_backup(d, dest):
    restored = os.path.join(prtest.tmpdir(), "restored")
    os.makedirs(restored)
    shutil.copy(dest, os.path.join(restored, "pressroom.db"))
    assert export(restored) == export(d)
    con = sqlite3.connect(dest)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_backup():
    d = base_site()
    dest = os.path.join(prtest.tmpdir(), "backup.db")
    r = run(["backup", dest], data=d, check=0)
    check_in(dest, r.out)
    check_backup(d, dest)
    r = run(["backup", os.path.join(prtest.tmpdir(), "no", "dir", "x.db")],
            data=d)
    assert r.code == 1, r


def test_backup_while_serving():
    d = base_site()
    with prtest.Server(d) as s:
        status, headers, body = s.get("/")
        assert status in (200, 301, 302, 303, 307, 308), status
        dest = os.path.join(prtest.tmpdir(), "live.db")
        run(["backup", dest], data=d, check=0)
        check_backup(d, dest)
        path, r = import_file(d, "live.jsonl", jsonl(rec(id=777)), check=0)
        status, _, _ = s.get("/en/news")
        assert status == 200, status
        check_in("serving " + d + " at http://127.0.0.1:%d/" % s.port,
                 s.log())
        assert s.stop() == 0, s.log()


def test_serve_stops_cleanly_on_sigint():
    import signal
    d = prtest.init_data()
    with prtest.Server(d, args=["--threads", "2"]) as s:
        assert s.stop(signal.SIGINT) == 0, s.log()


def test_serve_reports_bad_address():
    d = prtest.init_data()
    port = prtest.free_port()
    with prtest.Server(d, port=port):
        r = run(["serve", "--listen", "127.0.0.1:%d" % port], data=d,
                timeout=20)
        assert r.code == 1, r


def test_export_to_closed_stdout():
    d = base_site()
    p = subprocess.run([prtest.PRESSROOM, "--data", d, "export"],
                       stdout=open(os.devnull, "wb"), stderr=subprocess.PIPE)
    assert p.returncode == 0, p.stderr
    p = subprocess.run([prtest.PRESSROOM, "--data", d, "export"],
                       stdout=open("/dev/full", "wb"),
                       stderr=subprocess.PIPE)
    assert p.returncode == 1, p
    check_in("No space left", p.stderr.decode())


if __name__ == "__main__":
    prtest.main(globals())
