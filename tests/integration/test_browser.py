"""The editors' story in a real browser: tests/browser/story.mjs drives
Debian's chromium through npm playwright-core against a real server (real
clock: the item is scheduled a little ahead and the test waits for it).
The two photos it uploads are JPEGs made here with pr-mkimage."""

import os
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prtest  # noqa: E402
import primages  # noqa: E402

STORY = os.path.join(prtest.SOURCE_DIR, "tests", "browser", "story.mjs")
PLAYWRIGHT = os.path.join(prtest.SOURCE_DIR, "node_modules",
                          "playwright-core")


def test_story():
    if not os.path.exists(PLAYWRIGHT) or not os.path.exists(
            "/usr/bin/chromium") or not shutil.which("node"):
        raise AssertionError("node, npm playwright-core or /usr/bin/chromium "
                             "is missing: run scripts/deps.sh test")
    d = prtest.init_data()
    prtest.write_config(d, "password_opslimit = 1\n"
                           "password_memlimit_kb = 1024\n")
    pw = prtest.write(os.path.join(prtest.tmpdir(), "pw"), "story-password\n")
    prtest.run(["user", "add", "editor", "--role", "editor", "--name",
                "Story Editor", "--password-file", pw], data=d, check=0)
    shots = os.environ.get("PR_SHOTS") or prtest.tmpdir()
    photos = []
    for i, (w, h) in enumerate([(1200, 800), (900, 600)]):
        path = os.path.join(prtest.tmpdir(), "photo%d.jpg" % (i + 1))
        with open(path, "wb") as f:
            f.write(primages.make("jpeg", w, h))
        photos.append(path)
    env = dict(os.environ, STORY_PHOTOS=":".join(photos))
    with prtest.Server(d) as srv:
        p = subprocess.run(["node", STORY, srv.url, "editor",
                            "story-password", shots], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=400, cwd=prtest.SOURCE_DIR)
        out = p.stdout.decode("utf-8", "replace")
        print(out, end="")
        if p.returncode != 0:
            raise AssertionError("story.mjs failed:\n%s\nserver log:\n%s" %
                                 (out, srv.log()[-3000:]))
    r = prtest.run(["audit"], data=d, check=0)
    for what in ["login", "create", "photo-add", "photo-move", "schedule",
                 "correct", "withdraw", "logout"]:
        prtest.check_in("  %s  " % what, r.out, "audit")


prtest.main(globals())
