"""bench/feeds.py BINARY: feeds and sitemaps (see bench/README.md).

1. Feed requests per second under wrk, whole answers (200) and
   conditional ones (304 to If-None-Match), pressroom beside nginx
   serving the very same feed bytes as a static file.
2. The sitemap of a site of PR_BENCH_SITEMAP_N items (default 1,000,000):
   the time to write the index and every file, and pressroom's peak
   memory meanwhile (/usr/bin/time -v), with the page cache off so that
   every file is written, not remembered.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
from bench import (DIR, THREADS, WRK_CONNS, WRK_SECONDS, die, free_port,  # noqa
                   get, need, say, start_nginx, stop, wait_ready)

FEED_N = int(os.environ.get("PR_BENCH_FEED_N", "10000"))
MAP_N = int(os.environ.get("PR_BENCH_SITEMAP_N", "1000000"))
AB_N = int(os.environ.get("PR_BENCH_AB_N", "50000"))
NOW = "2026-01-01T00:00:00Z"


def gen_items(path, n):
    """n short items, 85% English, over 20 years, a tag each of 50: what
    a sitemap needs, written fast."""
    base = 1136073600  # 2006-01-01
    step = (20 * 365 * 86400) // max(n, 1)
    with open(path, "w") as f:
        for i in range(1, n + 1):
            t = base + i * step
            f.write(json.dumps({
                "id": i, "lang": "ru" if i % 7 == 0 else "en",
                "kind": ("news", "statement", "speech")[i % 3],
                "published_at": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                              time.gmtime(t)),
                "title": "Item %d of the bench site" % i,
                "lead": "The lead of item %d." % i,
                "body": "A short body of item %d." % i,
                "tags": ["tag %d" % (i % 50)]}) + "\n")


def make_site(binary, name, n, extra=""):
    """A data folder with n items, made once and reused."""
    d = os.path.join(DIR, "%s-%d" % (name, n))
    if os.path.exists(os.path.join(d, ".done")):
        return d
    shutil.rmtree(d, ignore_errors=True)
    subprocess.run([binary, "--data", d, "init"], check=True,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(d, "pressroom.conf"), "a") as f:
        f.write("access_log = no\n" + extra)
    src = os.path.join(DIR, "feeds-items-%d.jsonl" % n)
    if not os.path.exists(src):
        say("writing %d items to %s" % (n, src))
        gen_items(src + ".tmp", n)
        os.rename(src + ".tmp", src)
    say("importing %d items into %s" % (n, d))
    t0 = time.monotonic()
    subprocess.run([binary, "--data", d, "import", src], check=True,
                   stdout=subprocess.DEVNULL)
    say("imported in %.0f s" % (time.monotonic() - t0))
    open(os.path.join(d, ".done"), "w").close()
    return d


def serve(binary, d, port, extra=(), env=None, wrap=()):
    log = os.path.join(d, "serve.log")
    proc = subprocess.Popen(list(wrap) + [binary, "--data", d, "serve",
                                          "--listen", "127.0.0.1:%d" % port,
                                          "--threads", str(THREADS)] +
                            list(extra), stdout=open(log, "w"),
                            stderr=subprocess.STDOUT,
                            env=dict(os.environ, PRESSROOM_NOW=NOW,
                                     **(env or {})))
    wait_ready(port, proc, "pressroom", log)
    return proc, log


def wrk(url, headers=()):
    cmd = [need("wrk"), "-t", "2", "-c", str(WRK_CONNS), "-d",
           "%ds" % WRK_SECONDS, "--timeout", "5s", "--latency"]
    for h in headers:
        cmd += ["-H", h]
    out = subprocess.run(cmd + [url], capture_output=True, text=True,
                         check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, bench.unit_ms(p99), int(bad.group(1)) if bad else 0


def ab(url, header=None):
    """ab without keep-alive: every request on a new connection, the way
    most feed readers poll. wrk cannot time pressroom's 304: it carries
    the Content-Length of the 200 (RFC 9110, 8.6 allows it) and wrk's
    parser then waits for a body that never comes."""
    cmd = [need("ab"), "-q", "-n", str(AB_N), "-c", str(WRK_CONNS)]
    if header:
        cmd += ["-H", header]
    out = subprocess.run(cmd + [url], capture_output=True, text=True,
                         check=True).stdout
    rps = float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"^\s+99%\s+(\d+)", out, re.M)
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    return (rps, float(p99.group(1)) if p99 else float("nan"),
            int(non2xx.group(1)) if non2xx else 0)


def etag_of(port, path, header="ETag"):
    import http.client
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.getheader(header), body


def feeds_rps(binary):
    d = make_site(binary, "feeds", FEED_N)
    port, nport = free_port(), free_port()
    work = os.path.join(DIR, "feeds-nginx")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "www", "en"))
    os.chmod(work, 0o755)
    proc, _ = serve(binary, d, port)
    ngx = None
    rows = []
    try:
        etag, body = etag_of(port, "/en/atom.xml")
        with open(os.path.join(work, "www", "en", "atom.xml"), "wb") as f:
            f.write(body)
        conf = bench.NGINX_CONF.replace(
            "types { text/html html; }",
            "types { application/atom+xml xml; }")
        bench.NGINX_CONF, saved = conf, bench.NGINX_CONF
        try:
            ngx = start_nginx(work, nport)
        finally:
            bench.NGINX_CONF = saved
        netag, nbody = etag_of(nport, "/en/atom.xml")
        assert nbody == body
        url = "http://127.0.0.1:%d/en/atom.xml"
        wrk(url % port)  # warm-up
        for label, p in (("pressroom", port), ("nginx", nport)):
            rows.append(("wrk", label, "200") + wrk(url % p))
        for label, p, tag in (("pressroom", port, etag),
                              ("nginx", nport, netag)):
            rows.append(("ab", label, "200") + ab(url % p))
            rows.append(("ab", label, "304") +
                        ab(url % p, "If-None-Match: " + tag))
    finally:
        if ngx:
            stop(ngx)
        stop(proc)
    print("\nfeed /en/atom.xml: %d items, %d bytes; %d-item site; wrk -t2 "
          "-c%d -d%ds, pressroom --threads %d, nginx %d workers" % (
              body.count(b"<entry>"), len(body), FEED_N, WRK_CONNS,
              WRK_SECONDS, THREADS, THREADS))
    print("wrk: %d connections kept open; ab: -c %d, a new connection a "
          "request (HTTP/1.0), %d requests" % (WRK_CONNS, WRK_CONNS, AB_N))
    print("%-5s %-10s %-6s %10s %9s %9s" % ("tool", "server", "answer",
                                             "req/s", "p99 ms", "non-2xx"))
    for tool, who, answer, rps, p99, bad in rows:
        print("%-5s %-10s %-6s %10.0f %9.2f %9d" % (tool, who, answer, rps,
                                                    p99, bad))


def sitemap_time(binary):
    d = make_site(binary, "sitemap", MAP_N, "cache_mb = 0\n")
    port = free_port()
    wrap = [need("/usr/bin/time"), "-v"]
    proc, log = serve(binary, d, port, wrap=wrap)
    # no page cache: every file is written for this request
    total_bytes = urls = files = 0
    t0 = time.monotonic()
    try:
        status, _, index = get(port, "/sitemap.xml", timeout=600)
        if status != 200:
            die("sitemap.xml: %d" % status)
        locs = re.findall(rb"<loc>([^<]+)</loc>", index)
        t_index = time.monotonic() - t0
        for loc in locs:
            path = re.sub(rb"^https?://[^/]+", b"", loc).decode()
            status, _, body = get(port, path, timeout=600)
            if status != 200:
                die("%s: %d" % (path, status))
            files += 1
            total_bytes += len(body)
            urls += body.count(b"<url>")
        elapsed = time.monotonic() - t0
    finally:
        # /usr/bin/time passes no signal on: stop pressroom, its child
        for pid in bench.children(proc.pid):
            os.kill(pid, signal.SIGTERM)
        proc.wait(timeout=60)
    text = open(log).read()
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)",
                         text).group(1))
    print("\nsitemap of %d items: index (%d files) in %.2f s; index and all "
          "files (%d addresses, %.0f MB) in %.1f s; pressroom peak RSS "
          "%.0f MB (whole process: SQLite's page cache included; "
          "cache_mb = 0)" % (MAP_N, len(locs), t_index, urls,
                             total_bytes / 1e6, elapsed, peak / 1024))


def main():
    if len(sys.argv) != 2:
        die("usage: bench/feeds.sh BINARY")
    binary = os.path.abspath(sys.argv[1])
    os.makedirs(DIR, exist_ok=True)
    what = os.environ.get("PR_BENCH_FEEDS", "rps sitemap").split()
    if "rps" in what:
        feeds_rps(binary)
    if "sitemap" in what:
        sitemap_time(binary)


if __name__ == "__main__":
    main()
