"""Nothing is lost: editors save items while the server is killed with
SIGKILL; after a restart `pressroom check` passes and every save the
server confirmed (a 303 to the saved item) is there, with its text."""

import json
import os
import re
import signal
import sys
import threading
import time
import urllib.parse

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prtest  # noqa: E402
import test_admin as ta  # noqa: E402

WRITERS = 4


class Saver:
    """One editor's session saving as fast as the server answers."""

    def __init__(self, srv, b):
        self.srv = srv
        self.b = b
        self.csrf = b.csrf()
        self.confirmed = []  # (id, title) of creations answered 303
        self.edits = {}      # id -> body of its last confirmed save
        self.failed = None

    def post(self, path, fields):
        fields = dict(fields, csrf=self.csrf)
        hd = self.b._headers({"Content-Type":
                              "application/x-www-form-urlencoded"})
        return self.srv.post(path, urllib.parse.urlencode(fields), hd)

    def create(self, title):
        st, h, _ = self.post("/admin/items/new", ta.item_fields(title))
        if st != 303:
            return None
        m = re.match(r"/admin/items/(\d+)\?done=created", h["Location"])
        assert m, h["Location"]
        self.confirmed.append((int(m.group(1)), title))
        return int(m.group(1))

    def run(self, tag, stop):
        item, base, n = None, 0, 0
        try:
            while not stop.is_set():
                n += 1
                if item is None or n % 3:
                    new = self.create("Save %s-%d" % (tag, n))
                    if item is None and new is not None:
                        item, base = new, 1
                    continue
                body = "Edit %s-%d of the text." % (tag, n)
                st, h, _ = self.post("/admin/items/%d" % item,
                                     ta.item_fields(
                                         "Save %s-edited" % tag, body=body,
                                         base=str(base)))
                if st == 303:
                    assert "done=saved" in h["Location"], h["Location"]
                    base += 1
                    self.edits[item] = body
        except (OSError, ConnectionError) as e:
            if not stop.is_set():
                self.failed = e
        except AssertionError as e:
            self.failed = e


def saved_items(d):
    r = prtest.run(["export"], data=d, check=0)
    return {x["id"]: x for x in (json.loads(line) for line in
                                 r.out.splitlines())}


def test_kill_during_saves():
    d = ta.new_site()
    stop = threading.Event()
    srv = ta.server(d).start()
    try:
        savers, threads = [], []
        for i in range(WRITERS):
            b = ta.Browser(srv)
            b.login("eddie")
            savers.append(Saver(srv, b))
        for i, s in enumerate(savers):
            t = threading.Thread(target=s.run, args=("w%d" % i, stop))
            t.start()
            threads.append(t)
        deadline = time.monotonic() + 20
        while (sum(len(s.confirmed) for s in savers) < 150 and
               time.monotonic() < deadline):
            time.sleep(0.02)
        srv.proc.send_signal(signal.SIGKILL)
        srv.proc.wait(10)
        stop.set()
        for t in threads:
            t.join(30)
    finally:
        stop.set()
        srv.stop()
    for s in savers:
        assert s.failed is None or isinstance(s.failed, OSError), s.failed
    confirmed = [c for s in savers for c in s.confirmed]
    assert len(confirmed) >= 150, len(confirmed)
    # the server starts again on what the kill left
    with ta.server(d) as again:
        st, _, _ = again.get("/en/news")
        assert st == 200
    prtest.run(["check"], data=d, check=0)
    items = saved_items(d)
    for item_id, title in confirmed:
        assert item_id in items, (item_id, title)
    for s in savers:
        for item_id, body in s.edits.items():
            got = items[item_id]["body"]
            # the confirmed edit, or one the kill cut off before its answer
            assert got == body or got.startswith("Edit "), (got, body)
            n_got = int(re.search(r"-(\d+) ", got).group(1))
            n_ok = int(re.search(r"-(\d+) ", body).group(1))
            assert n_got >= n_ok, (got, body)


if __name__ == "__main__":
    prtest.main(globals())
