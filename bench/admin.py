"""The editors' side on a site of 100,000 items.

  bench/admin.sh BINARY

1. publish-to-visible: a draft is published with one POST; how long from
   sending it until the news list, the RSS feed and the search show the
   item (each asked right after the POST returns, then every 2 ms);
2. the item list (/admin/items) at 100,000 items: page 1, a page deep in
   the keyset chain, and with filters, sequential requests, median and
   95th percentile.

The site is a copy of .cache/bench/site-N (made by bench/serve.sh), or is
imported from the corpus of bench/gen.py; the copy lives in
.cache/bench/admin-N and is remade when the binary's schema changes."""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N = int(os.environ.get("PR_BENCH_N", "100000"))
DIR = os.environ.get("PR_BENCH_DIR", os.path.join(ROOT, ".cache", "bench"))
REQS = int(os.environ.get("PR_BENCH_REQUESTS", "200"))


def say(*a):
    print(*a, flush=True)


def run(binary, data, *args, input=None):
    return subprocess.run([binary, "--data", data] + list(args), input=input,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          check=True).stdout.decode()


def site(binary):
    version = subprocess.run([binary, "--version"], stdout=subprocess.PIPE,
                             check=True).stdout.decode().strip()
    d = os.path.join(DIR, "admin-%d" % N)
    stamp = os.path.join(d, "admin-stamp")
    if os.path.exists(stamp) and open(stamp).read() == version:
        return d
    shutil.rmtree(d, ignore_errors=True)
    src = os.path.join(DIR, "site-%d" % N)
    if os.path.exists(os.path.join(src, "pressroom.db")):
        say("bench: copying %s" % src)
        os.makedirs(d)
        shutil.copy(os.path.join(src, "pressroom.db"), d)
    else:
        corpus = os.path.join(DIR, "corpus-%d" % N)
        if not os.path.exists(os.path.join(corpus, "items.jsonl")):
            os.makedirs(corpus, exist_ok=True)
            subprocess.run(["/usr/bin/python3",
                            os.path.join(ROOT, "bench", "gen.py"), "-n",
                            str(N), corpus], check=True)
        run(binary, d, "init")
        say("bench: importing %d items" % N)
        run(binary, d, "import", os.path.join(corpus, "items.jsonl"))
    with open(os.path.join(d, "pressroom.conf"), "w") as f:
        f.write("access_log = no\nthreads = 4\n")
    t0 = time.monotonic()
    # the first write brings the schema up to date (search index too)
    run(binary, d, "user", "add", "bench", "--role", "editor",
        input=b"bench-password\n")
    say("bench: schema brought up to date in %.1f s" % (time.monotonic() - t0))
    open(stamp, "w").write(version)
    return d


class Client:
    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def req(self, method, path, body=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        h = {}
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if body is not None:
            h["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(body)
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read().decode("utf-8", "replace")
        for v in r.headers.get_all("Set-Cookie") or []:
            k, _, rest = v.partition("=")
            self.cookies[k] = rest.split(";")[0]
        c.close()
        return r.status, r.headers, data

    def login(self):
        self.req("GET", "/admin/login")
        st, _, _ = self.req("POST", "/admin/login", {
            "login_token": self.cookies["pr_login"], "login": "bench",
            "password": "bench-password"})
        assert st == 303, st
        _, _, body = self.req("GET", "/admin")
        self.csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', body).group(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ms(v):
    return "%.2f ms" % (v * 1000)


def timed(c, path, n):
    t = []
    for _ in range(n):
        t0 = time.perf_counter()
        st, _, body = c.req("GET", path)
        t.append(time.perf_counter() - t0)
        assert st == 200, (path, st)
    t.sort()
    return statistics.median(t), t[int(len(t) * 0.95) - 1], body


def item_list(c):
    say("\nitem list at %d items (%d sequential requests each, median / p95):"
        % (N, REQS))
    _, _, body = c.req("GET", "/admin/items")
    path, deep = "/admin/items", None
    for i in range(200):  # 200 pages of 50 down the keyset chain
        m = re.search(r'<a href="([^"]+)" rel="next">Older', body)
        if not m:
            break
        path = m.group(1).replace("&amp;", "&")
        _, _, body = c.req("GET", path)
        deep = path
    cases = [("page 1", "/admin/items"),
             ("page 201 (item 10,000, keyset)", deep),
             ("published, en, kind speech", "/admin/items?state=published"
              "&lang=en&kind=speech"),
             ("drafts (partial index)", "/admin/items?state=draft"),
             ("title contains a word", "/admin/items?q=the"),
             ("dashboard", "/admin")]
    for name, p in cases:
        med, p95, _ = timed(c, p, REQS)
        say("  %-34s %10s %10s" % (name, ms(med), ms(p95)))


def publish_to_visible(c):
    say("\npublish-to-visible on %d items (POST publish until each page "
        "shows the item):" % N)
    rows = []
    for i in range(5):
        word = "zqxbench%d%d" % (int(time.time()), i)
        title = "Bench item %s" % word
        st, h, _ = c.req("POST", "/admin/items/new", {
            "csrf": c.csrf, "title": title, "lead": "Lead " + word,
            "body": "Body with the word %s." % word, "kind": "news",
            "lang": "en", "base": "0", "action": "save"})
        assert st == 303, st
        item = re.search(r"/admin/items/(\d+)", h["Location"]).group(1)
        checks = [("news list", "/en/news"), ("RSS feed", "/en/rss.xml"),
                  ("search", "/en/search?q=" + word)]
        t0 = time.perf_counter()
        st, _, _ = c.req("POST", "/admin/items/" + item, {
            "csrf": c.csrf, "title": title, "lead": "Lead " + word,
            "body": "Body with the word %s." % word, "kind": "news",
            "lang": "en", "base": "1", "action": "publish"})
        t_post = time.perf_counter() - t0
        assert st == 303, st
        row = {"POST publish": t_post}
        for name, p in checks:
            while True:
                st, _, body = c.req("GET", p)
                if st == 200 and word in body:
                    row[name] = time.perf_counter() - t0
                    break
                if time.perf_counter() - t0 > 30:
                    row[name] = float("nan")
                    break
                time.sleep(0.002)
        rows.append(row)
    for k in rows[0]:
        v = sorted(r[k] for r in rows)
        say("  %-14s median %10s   max %10s" % (k, ms(statistics.median(v)),
                                                  ms(v[-1])))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: bench/admin.sh BINARY")
    binary = os.path.abspath(sys.argv[1])
    d = site(binary)
    port = free_port()
    log = open(os.path.join(d, "serve.log"), "w")
    p = subprocess.Popen([binary, "--data", d, "serve", "--listen",
                          "127.0.0.1:%d" % port], stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                Client(port).req("GET", "/admin/login")
                break
            except OSError:
                if time.monotonic() > deadline or p.poll() is not None:
                    sys.exit("server did not start; see %s/serve.log" % d)
                time.sleep(0.1)
        c = Client(port)
        c.login()
        item_list(c)
        publish_to_visible(c)
    finally:
        os.kill(p.pid, signal.SIGTERM)
        p.wait(timeout=30)


main()
