"""The editors' side over real HTTP: accounts and the `user` and `audit`
commands, sessions and their cookies, CSRF tokens, roles, the workflow
from draft to withdrawal, conflicting saves, corrections with their public
note and history, scheduling, embargo preview links, autosave, the item
list and the dashboard, and bad input and attacks of every kind: no
session, forged and expired cookies and links, missing tokens, markup and
SQL in every field, password guessing, oversize bodies."""

import json
import os
import re
import sys
import urllib.parse
from datetime import datetime, timedelta, timezone

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prtest  # noqa: E402

NOW = "2030-03-10T09:00:00Z"
# Cheap password hashes so that the tests stay fast; production keeps the
# defaults (see README).
CONFIG = ("password_opslimit = 1\npassword_memlimit_kb = 64\n"
          "login_attempts = 3\nsession_hours = 12\n")
PASSWORDS = {"alice": "alice-password", "eddie": "eddie-password",
             "ann": "ann-password", "bob": "bob-password"}
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def later(iso, **delta):
    t = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=timezone.utc) + timedelta(**delta)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def add_user(d, login, role, name=None):
    pw = prtest.write(os.path.join(prtest.tmpdir(), "pw"),
                      PASSWORDS[login] + "\n")
    return prtest.run(["user", "add", login, "--role", role, "--name",
                       name or login.title(), "--password-file", pw],
                      data=d, check=0)


def new_site(now=NOW):
    d = prtest.init_data()
    prtest.write_config(d, CONFIG)
    add_user(d, "alice", "admin", "Alice Admin")
    add_user(d, "eddie", "editor", "Eddie Editor")
    add_user(d, "ann", "author", "Ann Author")
    add_user(d, "bob", "author", "Bob Author")
    return d


def server(d, now=NOW):
    return prtest.Server(d, env={"PRESSROOM_NOW": now})


class Browser:
    """A client with a cookie jar that keeps what the server sets."""

    def __init__(self, srv):
        self.srv = srv
        self.cookies = {}

    def _headers(self, extra=None):
        h = dict(extra or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv
                                    for kv in self.cookies.items())
        return h

    def _keep(self, headers):
        for c in headers.get_all("Set-Cookie") or []:
            name, _, rest = c.partition("=")
            value = rest.split(";")[0]
            if "Max-Age=0" in c:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def get(self, path):
        st, h, body = self.srv.get(path, self._headers())
        self._keep(h)
        return st, h, body.decode("utf-8", "replace")

    def post(self, path, fields, headers=None):
        body = urllib.parse.urlencode(fields)
        hd = self._headers({"Content-Type":
                            "application/x-www-form-urlencoded"})
        hd.update(headers or {})
        st, h, data = self.srv.post(path, body, hd)
        self._keep(h)
        return st, h, data.decode("utf-8", "replace")

    def csrf(self, path="/admin"):
        st, _, body = self.get(path)
        assert st == 200, (path, st, body[-500:])
        return re.search(r'name="csrf" value="([0-9a-f]{64})"', body).group(1)

    def login(self, login, password=None, expect=303):
        st, _, body = self.get("/admin/login")
        if st == 303:  # logged in already: log in again over it
            token = self.cookies["pr_login"]
        else:
            assert st == 200, st
            token = re.search(r'name="login_token" value="([0-9a-f]{64})"',
                              body).group(1)
        st, h, body = self.post("/admin/login", {
            "login_token": token, "login": login,
            "password": password or PASSWORDS[login], "next": "/admin"})
        assert st == expect, (st, body[-800:])
        return st, h, body

    def form(self, path, fields, expect=None):
        fields = dict(fields)
        fields.setdefault("csrf", self.csrf())
        st, h, body = self.post(path, fields)
        if expect is not None:
            assert st == expect, (path, st, body[-1500:])
        return st, h, body


def item_fields(title, body="Body text.", **kw):
    f = {"title": title, "lead": kw.pop("lead", "A lead."), "body": body,
         "kind": "news", "lang": "en", "tags": "", "persons": "",
         "places": "", "translation_of": "", "base": "0", "note": "",
         "publish_at": "", "action": "save"}
    f.update(kw)
    return f


def create(b, title, **kw):
    st, h, _ = b.form("/admin/items/new", item_fields(title, **kw), 303)
    m = re.match(r"/admin/items/(\d+)\?done=", h["Location"])
    assert m, h["Location"]
    return int(m.group(1))


def editor_fields(b, item_id):
    """The editor's form of an item as the page has it."""
    st, _, body = b.get("/admin/items/%d" % item_id)
    assert st == 200, st
    f = {}
    form = body[body.index('<form id="editor"'):]
    form = form[:form.index("</form>")]
    for m in re.finditer(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"',
                         form):
        f[m.group(1)] = unescape(m.group(2))
    for m in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)'
                         r'</textarea>', form, re.S):
        f[m.group(1)] = unescape(m.group(2))
    for m in re.finditer(r'<select[^>]*name="([^"]+)".*?</select>', form,
                         re.S):
        sel = re.search(r'value="([^"]*)" selected', m.group(0))
        f[m.group(1)] = sel.group(1) if sel else ""
    f["action"] = "save"
    return f


def unescape(s):
    import html
    return html.unescape(s)


def public_path(srv, item_id, lang="en"):
    st, h, _ = srv.get("/%s/news/%d" % (lang, item_id))
    assert st == 301, st
    return h["Location"]


# ---- the command line ----

def test_cli_users():
    d = new_site()
    r = prtest.run(["user", "list"], data=d, check=0)
    prtest.check_match(r"alice\s+admin\s+active", r.out)
    prtest.check_match(r"ann\s+author\s+active", r.out)
    # bad input
    r = prtest.run(["user", "add", "Bad Login!"], data=d, input="x" * 10)
    assert r.code == 1 and "login" in r.err, r
    r = prtest.run(["user", "add", "carl"], data=d, input="short\n")
    assert r.code == 1 and "too short" in r.err, r
    r = prtest.run(["user", "add", "alice"], data=d,
                   input="another-password\n")
    assert r.code == 1 and "taken" in r.err, r
    r = prtest.run(["user", "frobnicate", "x"], data=d)
    assert r.code == 2, r
    r = prtest.run(["user", "role", "ann"], data=d)
    assert r.code == 2, r
    # standard input, role, disable, enable, passwd
    prtest.run(["user", "add", "carl", "--role", "editor"], data=d,
               input="carl-password\n", check=0)
    prtest.run(["user", "role", "carl", "--role", "author"], data=d, check=0)
    prtest.run(["user", "disable", "carl"], data=d, check=0)
    r = prtest.run(["user", "list"], data=d, check=0)
    prtest.check_match(r"carl\s+author\s+disabled", r.out)
    prtest.run(["user", "enable", "carl"], data=d, check=0)
    prtest.run(["user", "passwd", "carl"], data=d, input="new-carl-pass\n",
               check=0)
    r = prtest.run(["user", "passwd", "nobody"], data=d, input="whatever1\n")
    assert r.code == 1 and "nobody" in r.err, r
    with server(d) as srv:
        b = Browser(srv)
        b.login("carl", "carl-password", expect=403)
        b.login("carl", "new-carl-pass")
    # the hash is Argon2id, the password is nowhere
    db = open(os.path.join(d, "pressroom.db"), "rb").read()
    assert b"$argon2id$" in db and b"new-carl-pass" not in db
    r = prtest.run(["audit", "--limit", "50"], data=d, check=0)
    for what in ["user-add", "user-role", "user-disable", "user-password",
                 "login-failed", "login"]:
        prtest.check_in(what, r.out, "audit")
    r = prtest.run(["audit", "--user", "carl"], data=d, check=0)
    prtest.check_in("login", r.out)
    assert "user-add" not in r.out
    r = prtest.run(["audit", "--limit", "0"], data=d)
    assert r.code == 2


# ---- sessions, tokens, roles ----

ADMIN_GETS = ["/admin", "/admin/", "/admin/items", "/admin/items/new",
              "/admin/items/1", "/admin/items/1/preview",
              "/admin/items/1/revisions", "/admin/users", "/admin/audit",
              "/admin/account", "/admin/no-such-page"]
ADMIN_POSTS = ["/admin/logout", "/admin/items/new", "/admin/items/1",
               "/admin/items/1/preview", "/admin/items/1/autosave",
               "/admin/items/1/restore", "/admin/items/1/links",
               "/admin/users", "/admin/users/1", "/admin/account"]


def test_no_session_redirects_to_login():
    d = new_site()
    with server(d) as srv:
        forged = {"Cookie": "pr_session=" + "ab" * 32}
        for headers in [{}, forged, {"Cookie": "pr_session=garbage"}]:
            for p in ADMIN_GETS:
                st, h, _ = srv.get(p, headers)
                assert st == 303, (p, st)
                assert h["Location"].startswith("/admin/login"), p
                assert h["Cache-Control"] == "no-store", p
            for p in ADMIN_POSTS:
                st, h, _ = srv.post(p, "csrf=x&title=t", dict(
                    headers, **{"Content-Type":
                                "application/x-www-form-urlencoded"}))
                assert st == 303, (p, st)
                assert h["Location"].startswith("/admin/login"), p
        st, h, _ = srv.get("/admin/items/5")
        assert h["Location"] == "/admin/login?next=%2Fadmin%2Fitems%2F5"
        st, _, body = srv.get("/admin/login")
        assert st == 200 and "Log in" in body.decode()


def test_login_cookies_and_logout():
    d = new_site()
    prtest.write_config(d, CONFIG + "base_url = https://press.example\n")
    with server(d) as srv:
        b = Browser(srv)
        st, h, _ = b.get("/admin/login")
        c = h["Set-Cookie"]
        for attr in ["pr_login=", "HttpOnly", "SameSite=Strict",
                     "Path=/admin", "Secure"]:
            assert attr in c, c
        st, h, _ = b.login("eddie")
        c = h["Set-Cookie"]
        for attr in ["pr_session=", "HttpOnly", "SameSite=Strict",
                     "Path=/admin", "Secure", "Max-Age=43200"]:
            assert attr in c, c
        first = b.cookies["pr_session"]
        assert re.fullmatch(r"[0-9a-f]{64}", first)
        assert h["Location"] == "/admin"
        st, _, body = b.get("/admin")
        assert st == 200 and "Eddie Editor" in body
        # the store keeps only a hash of the token
        db = open(os.path.join(d, "pressroom.db"), "rb").read()
        assert first.encode() not in db
        # a new login gives a new session and ends the old one
        b.login("eddie")
        second = b.cookies["pr_session"]
        assert second != first
        st, _, _ = srv.get("/admin", {"Cookie": "pr_session=" + first})
        assert st == 303
        # logout needs the token, ends the session and clears the cookie
        st, _, _ = b.post("/admin/logout", {"csrf": "0" * 64})
        assert st == 403
        st, h, _ = b.form("/admin/logout", {}, 303)
        assert "Max-Age=0" in h["Set-Cookie"]
        st, _, _ = srv.get("/admin", {"Cookie": "pr_session=" + second})
        assert st == 303
        # a login form without its token, or with another's, is refused
        st, _, body = srv.post("/admin/login",
                               "login=eddie&password=eddie-password",
                               {"Content-Type":
                                "application/x-www-form-urlencoded"})
        assert st == 403, st
        b2 = Browser(srv)
        b2.get("/admin/login")
        st, _, _ = b2.post("/admin/login", {
            "login_token": "1" * 64, "login": "eddie",
            "password": PASSWORDS["eddie"]})
        assert st == 403
        # next= stays on the editors' side
        b3 = Browser(srv)
        b3.get("/admin/login")
        tok = b3.cookies["pr_login"]
        st, h, _ = b3.post("/admin/login", {
            "login_token": tok, "login": "eddie",
            "password": PASSWORDS["eddie"], "next": "//evil.example/x"})
        assert st == 303 and h["Location"] == "/admin", h["Location"]


def test_expired_and_disabled_sessions():
    d = new_site()
    with server(d) as srv:
        b = Browser(srv)
        b.login("ann")
        assert b.get("/admin")[0] == 200
    with server(d, later(NOW, hours=11)) as srv:
        b.srv = srv
        assert b.get("/admin")[0] == 200
    with server(d, later(NOW, hours=13)) as srv:
        b.srv = srv
        st, h, _ = b.get("/admin")
        assert st == 303 and h["Location"].startswith("/admin/login")
        b.login("ann")
        assert b.get("/admin")[0] == 200
        prtest.run(["user", "disable", "ann"], data=d, check=0)
        assert b.get("/admin")[0] == 303
        b.login("ann", expect=403)


def test_csrf_required():
    d = new_site()
    with server(d) as srv:
        b = Browser(srv)
        b.login("eddie")
        item = create(b, "Token test")
        f = item_fields("Token test changed", base="1")
        for bad in [None, "", "0" * 64, b.csrf().upper(), "x"]:
            g = dict(f)
            if bad is None:
                g.pop("csrf", None)
            else:
                g["csrf"] = bad
            st, _, body = b.post("/admin/items/%d" % item, g)
            assert st == 403, (bad, st)
            assert "security token" in body
        # another user's token does not do either
        other = Browser(srv)
        other.login("alice")
        st, _, _ = b.post("/admin/items/%d" % item,
                          dict(f, csrf=other.csrf()))
        assert st == 403
        st, _, _ = b.post("/admin/items/new",
                          dict(item_fields("x"), csrf="1" * 64))
        assert st == 403
        # and the item was never changed
        assert editor_fields(b, item)["title"] == "Token test"


def test_roles():
    d = new_site()
    with server(d) as srv:
        ann, bob, eddie, alice = (Browser(srv) for _ in range(4))
        ann.login("ann")
        bob.login("bob")
        eddie.login("eddie")
        alice.login("alice")
        item = create(ann, "Ann's draft")
        # an author may not publish, schedule, withdraw or make links
        for action in ["publish", "schedule", "return", "unschedule"]:
            st, _, body = ann.form("/admin/items/%d" % item, item_fields(
                "Ann's draft", action=action, base="1",
                publish_at="2031-01-01T10:00"))
            assert st == 403, (action, st)
            assert "author" in body
        st, _, _ = ann.form("/admin/items/%d/links" % item,
                            {"action": "create"})
        assert st == 403
        for p in ["/admin/users", "/admin/audit"]:
            assert ann.get(p)[0] == 403
            assert eddie.get(p)[0] == 403
            assert alice.get(p)[0] == 200
        st, _, _ = ann.form("/admin/users", {"login": "mallory",
                                             "name": "M", "role": "admin",
                                             "password": "mallory-pass"})
        assert st == 403
        # another author's item is out of reach
        assert bob.get("/admin/items/%d" % item)[0] == 403
        st, _, _ = bob.form("/admin/items/%d" % item,
                            item_fields("Bob was here", base="1"))
        assert st == 403
        # the author submits; an editor publishes anyone's item
        ann.form("/admin/items/%d" % item,
                 item_fields("Ann's draft", action="submit", base="1"), 303)
        st, _, body = eddie.get("/admin")
        assert "Ann&#39;s draft" in body
        eddie.form("/admin/items/%d" % item,
                   item_fields("Ann's draft", action="publish", base="1"),
                   303)
        # once out, the author can no longer change it
        st, _, _ = ann.form("/admin/items/%d" % item,
                            item_fields("Ann changes it", base="1",
                                        note="n"))
        assert st == 403
        # the last admin cannot be demoted
        uid = re.search(r'action="/admin/users/(\d+)"[^<]*<input[^>]*>'
                        r'\s*<input type="hidden" name="what" value="role">'
                        r'\s*<select name="role" aria-label="role of alice"',
                        alice.get("/admin/users")[2])
        assert uid, "alice's row"
        st, _, body = alice.form("/admin/users/%s" % uid.group(1),
                                 {"what": "role", "role": "editor"})
        assert st == 400 and "last admin" in body


def test_workflow_story():
    d = new_site()
    with server(d) as srv:
        b = Browser(srv)
        b.login("eddie")
        item = create(b, "Minister opens bridge",
                      body="The bridge opened on Monday.",
                      tags="infrastructure, bridges", persons="Igor Krasnov",
                      places="Minsk")
        st, _, body = b.get("/admin/items/%d?done=created" % item)
        assert "Created." in body and "draft" in body
        # drafts are invisible to readers
        assert srv.get("/en/news/%d" % item)[0] == 404
        # the preview is the public page
        st, h, body = b.get("/admin/items/%d/preview" % item)
        assert st == 200 and "Minister opens bridge" in body
        assert '<h1>Minister opens bridge</h1>' in body
        assert h["Cache-Control"] == "no-store"
        # preview of unsaved text
        st, _, body = b.form("/admin/items/%d/preview" % item, item_fields(
            "Unsaved *title*", body="Some **bold** text"))
        assert st == 200 and "<strong>bold</strong>" in body
        assert editor_fields(b, item)["title"] == "Minister opens bridge"
        # publish
        f = editor_fields(b, item)
        f["action"] = "publish"
        b.form("/admin/items/%d" % item, f, 303)
        path = public_path(srv, item)
        page = srv.text(path)
        assert "Minister opens bridge" in page
        assert 'class="updated"' not in page
        assert "Minister opens bridge" in srv.text("/en/news")
    # an hour later
    with server(d, later(NOW, hours=1)) as srv:
        b.srv = srv
        # a correction needs a note; the text comes back when refused
        f = editor_fields(b, item)
        f["body"] = "The bridge opened on Tuesday."
        f["action"] = "save"
        st, _, body = b.form("/admin/items/%d" % item, f)
        assert st == 400 and "change note" in body
        assert "opened on Tuesday" in body
        f["note"] = "The day of the opening was wrong."
        b.form("/admin/items/%d" % item, f, 303)
        page = srv.text(path)
        assert "opened on Tuesday" in page
        assert 'class="updated"' in page
        assert "The day of the opening was wrong." in page
        # the history lists both versions with their differences
        hist = srv.text(path + "/history")
        assert "<del>Monday.</del><ins>Tuesday.</ins>" in hist
        assert "The day of the opening was wrong." in hist
        old = srv.text(path + "/history?v=1")
        assert "opened on Monday" in old
        assert srv.get(path + "/history?v=9")[0] == 404
        st, h, _ = srv.get("/en/news/%d/history" % item)
        assert st == 301 and h["Location"] == path + "/history"
        # revisions and their differences on the editors' side
        st, _, body = b.get("/admin/items/%d/revisions?a=1&b=2" % item)
        assert st == 200 and "<ins>Tuesday.</ins>" in body
        # withdraw: 410 with the notice, the text kept behind it
        b.form("/admin/items/%d" % item,
               {"action": "withdraw", "note": "Published by mistake."}, 303)
        st, _, body = srv.get(path)
        body = body.decode()
        assert st == 410, st
        assert "Published by mistake." in body and "withdrawn" in body
        assert "opened on Tuesday" in body
        assert "Minister opens bridge" not in srv.text("/en/news")
        # and the whole story is in the audit log
        r = prtest.run(["audit", "--item", str(item)], data=d, check=0)
        for what in ["create", "publish", "correct", "withdraw"]:
            prtest.check_in("  %s  " % what, r.out, "audit")


def test_conflicting_saves():
    d = new_site()
    with server(d) as srv:
        one, two = Browser(srv), Browser(srv)
        one.login("eddie")
        two.login("alice")
        item = create(one, "Shared draft", body="Paragraph one.")
        f1 = editor_fields(one, item)
        f2 = editor_fields(two, item)
        f1["body"] = "Paragraph one, edited by Eddie."
        one.form("/admin/items/%d" % item, f1, 303)
        f2["body"] = "Paragraph one, edited by Alice."
        st, _, body = two.form("/admin/items/%d" % item, f2)
        assert st == 409, st
        assert "edited by Eddie" in body and "edited by Alice" in body
        assert "nothing was overwritten" in body
        assert editor_fields(one, item)["body"] == \
            "Paragraph one, edited by Eddie."
        # the form on the conflict page saves over it knowingly
        base = re.search(r'name="base" value="(\d+)"', body).group(1)
        assert base == "2"
        f2["base"] = base
        two.form("/admin/items/%d" % item, f2, 303)
        assert editor_fields(one, item)["body"] == \
            "Paragraph one, edited by Alice."
        st, _, body = one.get("/admin/items/%d/revisions" % item)
        assert ">3<" in body


def test_restore_revision():
    d = new_site()
    with server(d) as srv:
        b = Browser(srv)
        b.login("eddie")
        item = create(b, "Version one", body="First text.")
        f = editor_fields(b, item)
        f.update(title="Version two", body="Second text.")
        b.form("/admin/items/%d" % item, f, 303)
        b.form("/admin/items/%d/restore" % item, {"rev": "1", "base": "1"},
               409)
        b.form("/admin/items/%d/restore" % item, {"rev": "1", "base": "2"},
               303)
        f = editor_fields(b, item)
        assert f["title"] == "Version one" and f["body"] == "First text."
        assert f["base"] == "3"


def test_schedule_and_start_after_the_minute():
    d = new_site()
    with server(d) as srv:
        b = Browser(srv)
        b.login("eddie")
        item = create(b, "Embargoed statement", kind="statement")
        f = editor_fields(b, item)
        f.update(action="schedule", publish_at="2030-03-10T08:00")
        st, _, body = b.form("/admin/items/%d" % item, f)
        assert st == 400 and "future" in body
        f["publish_at"] = "2030-03-10T10:30"
        b.form("/admin/items/%d" % item, f, 303)
        st, _, body = b.get("/admin/items/%d" % item)
        assert "scheduled" in body
        assert "Embargoed statement" in b.get("/admin")[2]
        assert srv.get("/en/news/%d" % item)[0] == 404
        assert "Embargoed statement" not in srv.text("/en/news")
    # the server was down at 10:30; started later, the item is out
    with server(d, later(NOW, hours=2)) as srv:
        path = public_path(srv, item)
        assert "Embargoed statement" in srv.text(path)
        assert "Embargoed statement" in srv.text("/en/news")
        page = srv.text(path)
        assert "10 March 2030" in page and 'class="updated"' not in page


def test_embargo_preview_links():
    d = new_site()
    with server(d) as srv:
        b = Browser(srv)
        b.login("eddie")
        item = create(b, "Under embargo", body="Secret until Monday.")
        st, _, body = b.form("/admin/items/%d/links" % item,
                             {"action": "create"}, 200)
        url = re.search(r'value="(http[^"]+/preview/([0-9a-f]{64}))"', body)
        token = url.group(2)
        st, h, body = srv.get("/preview/" + token)
        assert st == 200 and b"Secret until Monday." in body
        assert h["Cache-Control"] == "no-store"
        # forged and malformed tokens
        for t in ["0" * 64, token[:-1] + ("0" if token[-1] != "0" else "1"),
                  "short", token.upper()]:
            assert srv.get("/preview/" + t)[0] == 404, t
        # the database holds only the hash of the token
        db = open(os.path.join(d, "pressroom.db"), "rb").read()
        assert token.encode() not in db
    with server(d, later(NOW, days=8)) as srv:
        assert srv.get("/preview/" + token)[0] == 404
    with server(d) as srv:
        b.srv = srv
        assert srv.get("/preview/" + token)[0] == 200
        b.form("/admin/items/%d/links" % item, {"action": "revoke"}, 303)
        assert srv.get("/preview/" + token)[0] == 404


def test_autosave():
    d = new_site()
    with server(d) as srv:
        b = Browser(srv)
        b.login("ann")
        item = create(b, "Autosaved draft", body="Saved words.")
        f = editor_fields(b, item)
        f["body"] = "Saved words. And unsaved words typed later."
        f.pop("action", None)
        st, _, text = b.form("/admin/items/%d/autosave" % item, f, 200)
        assert "Autosaved" in text
        st, _, body = b.get("/admin/items/%d" % item)
        assert "kept by the autosave" in body
        assert editor_fields(b, item)["body"] == "Saved words."
        st, _, body = b.get("/admin/items/%d?restore=1" % item)
        assert "unsaved words typed later" in body
        # a new item's text is kept too
        b.form("/admin/items/new/autosave",
               item_fields("Not yet created", body="Fresh words."), 200)
        st, _, body = b.get("/admin/items/new")
        assert "kept by the autosave" in body
        st, _, body = b.get("/admin/items/new?restore=1")
        assert "Fresh words." in body
        b.form("/admin/items/%d/autosave" % item, {"action": "discard"}, 303)
        assert "kept by the autosave" not in b.get(
            "/admin/items/%d" % item)[2]
        # another user's item cannot be autosaved over
        other = Browser(srv)
        other.login("bob")
        st, _, _ = other.form("/admin/items/%d/autosave" % item, f)
        assert st == 403


def test_markup_everywhere_is_escaped():
    d = new_site()
    with server(d) as srv:
        b = Browser(srv)
        b.login("alice")
        b.form("/admin/users", {"login": "mallory", "name": EVIL,
                                "role": "editor",
                                "password": "mallory-pass"}, 303)
        PASSWORDS["mallory"] = "mallory-pass"
        m = Browser(srv)
        m.login("mallory")
        item = create(m, "Title " + EVIL, lead="Lead " + EVIL,
                      body="Body " + EVIL + "\n\n[link](javascript:alert(1))",
                      tags="tag " + EVIL, persons="Person " + EVIL,
                      places="Place " + EVIL)
        f = editor_fields(m, item)
        f["action"] = "publish"
        m.form("/admin/items/%d" % item, f, 303)
        path = public_path(srv, item)
        pages = [srv.text(path), srv.text("/en/news"),
                 m.get("/admin/items/%d" % item)[2], m.get("/admin")[2],
                 m.get("/admin/items")[2], b.get("/admin/users")[2],
                 b.get("/admin/audit")[2],
                 m.get("/admin/items/%d/revisions" % item)[2],
                 m.get("/admin/items/%d/preview" % item)[2]]
        for page in pages:
            assert "<script>alert" not in page
            assert "<img src=x" not in page
            assert "javascript:alert" not in page.replace(
                "javascript:alert(1))", "")
        assert "&lt;script&gt;alert" in pages[0]
        assert "&lt;script&gt;alert" in pages[2]
        assert "&lt;script&gt;alert" in pages[5]


def test_sql_looking_text_is_stored_verbatim():
    d = new_site()
    sql = "Robert'); DROP TABLE article;-- \"quoted\" %s %n"
    with server(d) as srv:
        b = Browser(srv)
        b.login("eddie")
        item = create(b, sql, body=sql, tags=sql)
        f = editor_fields(b, item)
        assert f["title"] == sql and f["body"] == sql and f["tags"] == sql
        st, _, body = b.get("/admin/items?q=" + urllib.parse.quote(
            "DROP TABLE"))
        assert "Robert&#39;); DROP TABLE article;--" in body
    r = prtest.run(["export"], data=d, check=0)
    rec = [json.loads(x) for x in r.out.splitlines()]
    assert rec[0]["title"] == sql and rec[0]["body"] == sql
    prtest.run(["check"], data=d, check=0)


def test_password_guessing_is_throttled():
    d = new_site()
    with server(d) as srv:
        b = Browser(srv)
        for i in range(3):
            st, _, body = b.login("eddie", "wrong-%d" % i, expect=403)
            assert "Wrong login or password" in body
        st, _, body = b.login("eddie", expect=429)
        assert "Too many failed logins" in body
        # the pause holds for unknown logins too, per address
        for i in range(3):
            b.login("nobody%d" % i, "guess", expect=403)
        other = Browser(srv)
        other.login("ann")
    with server(d, later(NOW, minutes=2)) as srv:
        b.srv = srv
        b.login("eddie")
    # a run from one address over many logins stops at 4x the limit
    d = new_site()
    with server(d) as srv:
        b = Browser(srv)
        for i in range(12):
            b.login("user%d" % i, "guess", expect=403)
        b.login("ann", expect=429)
    r = prtest.run(["audit"], data=d, check=0)
    assert r.out.count("login-failed") == 12


def big_post(srv, b, path, size):
    """POSTs size bytes; the server may answer before reading them."""
    import socket
    head = ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: "
            "application/x-www-form-urlencoded\r\nContent-Length: %d\r\n"
            "Cookie: %s\r\nConnection: close\r\n\r\n" % (
                path, size, b._headers()["Cookie"])).encode()
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    data = b""
    try:
        s.sendall(head)
        try:
            s.sendall(b"body=" + b"x" * (size - 5))
        except OSError:
            pass
        while True:
            try:
                chunk = s.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return (int(m.group(1)) if m else 0), data.decode("utf-8", "replace")


def test_oversize_and_malformed_bodies():
    d = new_site()
    with server(d) as srv:
        b = Browser(srv)
        b.login("eddie")
        st, body = big_post(srv, b, "/admin/items/new", 2 * 1024 * 1024)
        assert st == 413 and "larger than 1 MB" in body, (st, body)
        st, _, body = b.form("/admin/items/new", item_fields(
            "Long", body="y" * 600000))
        assert st == 400 and "at most 500000" in body
        st, _, body = b.form("/admin/items/new", item_fields("x" * 600))
        assert st == 400 and "title" in body
        st, _, body = b.form("/admin/items/new", item_fields(
            "Kind", kind="gossip"))
        assert st == 400 and "kind" in body
        st, _, body = b.form("/admin/items/new", item_fields(
            "Lang", lang="de"))
        assert st == 400 and "language" in body
        st, _, body = b.form("/admin/items/new", item_fields(
            "Tr", translation_of="99999"))
        assert st == 404 or st == 400, st
        hd = b._headers({"Content-Type": "application/x-www-form-urlencoded"})
        st, _, _ = srv.post("/admin/items/new", "csrf=%zz&title=x", hd)
        assert st == 400
        st, _, _ = srv.post("/admin/items/new", "title=%FF%FE", hd)
        assert st == 400
        hd["Content-Type"] = "multipart/form-data; boundary=x"
        st, _, _ = srv.post("/admin/items/new", "--x--", hd)
        assert st == 400  # a boundary too short to be one
        hd["Content-Type"] = "text/plain"
        st, _, _ = srv.post("/admin/items/new", "title=x", hd)
        assert st == 415
        st, _, _ = b.get("/admin/items/99999")
        assert st == 404
        st, _, _ = b.get("/admin/items/abc")
        assert st == 404
        st, h, _ = srv.request("DELETE", "/admin/items/1", b._headers())
        assert st == 405
        prtest.run(["check"], data=d, check=0)


def test_item_list_and_dashboard():
    d = new_site()
    recs = []
    for i in range(130):
        recs.append({"lang": "en" if i % 3 else "ru",
                     "kind": ["news", "statement", "speech"][i % 3],
                     "published_at": "2029-01-%02dT%02d:00:00Z" % (
                         1 + i % 28, i % 24),
                     "title": "Imported item %03d" % i, "body": "Text."})
    f = prtest.write(os.path.join(prtest.tmpdir(), "items.jsonl"),
                     "".join(json.dumps(r) + "\n" for r in recs))
    prtest.run(["import", f], data=d, check=0)
    with server(d) as srv:
        b = Browser(srv)
        b.login("eddie")
        seen, path, pages = [], "/admin/items", 0
        while path:
            st, _, body = b.get(path)
            assert st == 200
            seen += re.findall(r'<a href="/admin/items/(\d+)">', body)
            m = re.search(r'<a href="([^"]+)" rel="next">Older', body)
            path = unescape(m.group(1)) if m else None
            pages += 1
        assert pages == 3 and len(seen) == 130 and len(set(seen)) == 130
        st, _, body = b.get("/admin/items?kind=news&lang=ru&state="
                            "published")
        titles = re.findall(r"Imported item (\d+)", body)
        assert len(titles) == 44 and all(int(t) % 3 == 0 for t in titles)
        st, _, body = b.get("/admin/items?kind=speech&lang=ru")
        assert "No items match." in body
        st, _, body = b.get("/admin/items?q=item+12")
        assert len(re.findall(r"Imported item 12\d", body)) == 10
        st, _, body = b.get("/admin/items?state=draft")
        assert "No items match." in body
        assert b.get("/admin/items?after=bad")[0] == 400
        mine = create(b, "My own draft")
        st, _, body = b.get("/admin/items?mine=1")
        assert "My own draft" in body and "Imported item" not in body
        st, _, body = b.get("/admin")
        for h in ["My drafts", "Waiting for review", "Scheduled",
                  "Recently published", "Missing a translation"]:
            assert h in body
        assert "My own draft" in body
        assert mine


if __name__ == "__main__":
    prtest.main(globals())
