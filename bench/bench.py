#!/usr/bin/python3
"""pressroom's benchmarks; bench/README.md says what the figures mean.

  bench/bench.py serve BINARY    pages/s and p99 latency of pressroom serve
                                 beside nginx serving the same bytes
  bench/bench.py import BINARY   pressroom import beside sqlite3's .import

Both use a generated archive (bench/gen.py) of PR_BENCH_N articles (default
100,000) kept in PR_BENCH_DIR (default .cache/bench) and reused while
bench/gen.py and N are unchanged; `serve` also keeps the imported site
there. Servers listen on 127.0.0.1 only and are stopped by their PIDs; every
load run is bounded in time. Standard library only; /usr/bin/python3.
"""

import glob
import hashlib
import http.client
import json
import math
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N = int(os.environ.get("PR_BENCH_N", "100000"))
DIR = os.path.abspath(os.environ.get("PR_BENCH_DIR",
                                     os.path.join(ROOT, ".cache", "bench")))
WRK_SECONDS = int(os.environ.get("PR_BENCH_SECONDS", "10"))
WRK_CONNS = 32
THREADS = 2
RSS_REQUESTS = 10000
REPEAT = int(os.environ.get("PR_BENCH_REPEAT", "2"))


def say(*a):
    print(*a, file=sys.stderr, flush=True)


def die(msg):
    say("bench: " + msg)
    sys.exit(1)


def need(cmd):
    path = shutil.which(cmd) or (os.path.exists("/usr/sbin/" + cmd) and
                                 "/usr/sbin/" + cmd)
    if not path:
        die("%s is missing: run scripts/deps.sh bench" % cmd)
    return path


def file_hash(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()[:16]


def corpus():
    """The generated archive: (folder, its stamp); made when missing."""
    gen = os.path.join(ROOT, "bench", "gen.py")
    stamp = {"n": N, "gen": file_hash(gen)}
    d = os.path.join(DIR, "corpus-%d" % N)
    sp = os.path.join(d, "stamp.json")
    if os.path.exists(sp):
        have = json.load(open(sp))
        if {k: have.get(k) for k in stamp} == stamp and "en" in have:
            return d, have
    say("bench: generating %d articles into %s" % (N, d))
    os.makedirs(d, exist_ok=True)
    subprocess.run(["/usr/bin/python3", gen, "-n", str(N), d], check=True)
    stamp["en"] = sum(1 for line in open(os.path.join(d, "items.jsonl"),
                                         encoding="utf-8")
                      if line.startswith('{"lang": "en"'))
    json.dump(stamp, open(sp + ".tmp", "w"))
    os.replace(sp + ".tmp", sp)
    stamp = json.load(open(sp))
    return d, stamp


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, timeout=30):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        c.close()


def wait_ready(port, proc, what, log):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            die("%s exited with %s; its log:\n%s" %
                (what, proc.returncode, tail(log)))
        try:
            get(port, "/", timeout=2)
            return
        except OSError:
            time.sleep(0.1)
    die("%s did not answer on port %d within 60 s" % (what, port))


def tail(path, n=20):
    try:
        return "".join(open(path, errors="replace").readlines()[-n:])
    except OSError:
        return "(no log)"


def stop(proc):
    if proc is None or proc.poll() is not None:
        return
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()


TICK = os.sysconf("SC_CLK_TCK")


def cpu_busy():
    """Seconds of CPU the whole machine has spent busy since boot, in
    processes (user, nice, system) or taken by the hypervisor (steal);
    interrupts are left out: the loopback traffic's show there."""
    f = [int(x) for x in open("/proc/stat").readline().split()[1:9]]
    return (f[0] + f[1] + f[2] + f[7]) / TICK


def cpu_of(pids):
    """Seconds of CPU of those processes (all their threads)."""
    t = 0
    for pid in pids:
        try:
            f = open("/proc/%d/stat" % pid).read()
        except OSError:
            continue
        fields = f[f.rindex(")") + 2:].split()
        t += (int(fields[11]) + int(fields[12])) / TICK
    return t


def cpu_ours(pids):
    """CPU seconds of the servers, this script and its finished children
    (wrk)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (cpu_of(pids) + me.ru_utime + me.ru_stime + ch.ru_utime +
            ch.ru_stime)


def status_kb(pid, field):
    try:
        for line in open("/proc/%d/status" % pid):
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid):
    out = []
    for p in glob.glob("/proc/[0-9]*/stat"):
        try:
            f = open(p).read()
        except OSError:
            continue
        # the parent pid is the second field after the ")" of the name
        fields = f[f.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            out.append(int(p.split("/")[2]))
    return out


def rss_tree(pid):
    return status_kb(pid, "VmRSS") + sum(status_kb(c, "VmRSS")
                                         for c in children(pid))


def unit_ms(s):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", s)
    if not m:
        return float("nan")
    v = float(m.group(1))
    return v * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[m.group(2)]


def wrk(url, seconds=WRK_SECONDS):
    out = subprocess.run(
        [need("wrk"), "-t", "2", "-c", str(WRK_CONNS), "-d",
         "%ds" % seconds, "--timeout", "5s", "--latency", url],
        capture_output=True, text=True, check=True).stdout
    res = {"rps": float("nan"), "p99": float("nan"), "p50": float("nan"),
           "errors": 0, "requests": 0}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if m:
        res["rps"] = float(m.group(1))
    m = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    if m:
        res["p99"] = unit_ms(m.group(1))
    m = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    if m:
        res["p50"] = unit_ms(m.group(1))
    m = re.search(r"(\d+) requests in", out)
    if m:
        res["requests"] = int(m.group(1))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        res["errors"] += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                  r"timeout (\d+)", out)
    if m:
        res["errors"] += sum(int(x) for x in m.groups())
    return res


def make_site(binary, d, stamp):
    """The corpus imported into a pressroom data folder, kept for reuse."""
    site = os.path.join(DIR, "site-%d" % N)
    sp = os.path.join(site, "bench-stamp.json")
    # made again when the corpus or the binary's version or database
    # schema changes ("pressroom 0.1.0 (database schema 3)")
    version = subprocess.run([binary, "--version"], capture_output=True,
                             text=True).stdout.strip()
    want = dict(stamp, version=version)
    if os.path.exists(sp) and json.load(open(sp)) == want:
        return site
    tmp = site + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    say("bench: importing %d articles into %s (once)" % (N, site))
    subprocess.run([binary, "--data", tmp, "init"], check=True,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(tmp, "pressroom.conf"), "a") as f:
        f.write("\n# bench/bench.py: no access log during load runs\n"
                "access_log = no\n")
    t0 = time.monotonic()
    subprocess.run([binary, "--data", tmp, "import",
                    os.path.join(d, "items.jsonl")], check=True,
                   stdout=subprocess.DEVNULL)
    say("bench: imported in %.0f s" % (time.monotonic() - t0))
    json.dump(want, open(os.path.join(tmp, "bench-stamp.json"), "w"))
    os.rename(tmp, site)
    return site


NGINX_CONF = """\
worker_processes %(workers)d;
pid %(prefix)s/nginx.pid;
error_log %(prefix)s/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
	access_log off;
	types { text/html html; }
	default_type text/html;
	charset utf-8;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	open_file_cache max=1000 inactive=60s;
	client_body_temp_path %(prefix)s/tmp/body;
	proxy_temp_path %(prefix)s/tmp/proxy;
	fastcgi_temp_path %(prefix)s/tmp/fastcgi;
	uwsgi_temp_path %(prefix)s/tmp/uwsgi;
	scgi_temp_path %(prefix)s/tmp/scgi;
	server {
		listen 127.0.0.1:%(port)d;
		root %(prefix)s/www;
		location / { }
	}
}
"""


def start_nginx(prefix, port):
    os.makedirs(os.path.join(prefix, "tmp"), exist_ok=True)
    conf = os.path.join(prefix, "nginx.conf")
    with open(conf, "w") as f:
        f.write(NGINX_CONF % {"prefix": prefix, "port": port,
                              "workers": THREADS})
    log = os.path.join(prefix, "error.log")
    proc = subprocess.Popen([need("nginx"), "-p", prefix, "-c", conf,
                             "-e", log],
                            stdout=subprocess.DEVNULL,
                            stderr=open(log, "a"))
    wait_ready(port, proc, "nginx", log)
    return proc


def hammer(port, paths, count, limit=60):
    """count GETs over one keep-alive connection, round robin over paths,
    for limit seconds at most. Returns (requests done, failures)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    bad = 0
    done = 0
    end = time.monotonic() + limit
    while done < count and time.monotonic() < end:
        c.request("GET", paths[done % len(paths)])
        r = c.getresponse()
        r.read()
        done += 1
        if r.status != 200:
            bad += 1
        if r.getheader("Connection", "").lower() == "close":
            c.close()
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.close()
    return done, bad


def fmt_n(x):
    return "-" if math.isnan(x) else "{:,.0f}".format(x)


def fmt_ms(x):
    return "-" if math.isnan(x) else "%.2f" % x


def cmd_serve(binary):
    need("wrk")
    need("nginx")
    d, stamp = corpus()
    site = make_site(binary, d, stamp)
    work = tempfile.mkdtemp(prefix="pressroom-bench.")
    os.chmod(work, 0o755)  # nginx's workers read www/ as nobody
    pr = ngx = None
    try:
        port = free_port()
        log = os.path.join(work, "pressroom.log")
        pr = subprocess.Popen(
            [binary, "--data", site, "serve", "--listen",
             "127.0.0.1:%d" % port, "--threads", str(THREADS)],
            stdout=open(log, "w"), stderr=subprocess.STDOUT)
        wait_ready(port, pr, "pressroom serve", log)

        st, _, page1 = get(port, "/en/news")
        if st != 200:
            die("/en/news answered %d" % st)
        m = re.search(rb'href="(/en/news/\d+-[^"?#/]+)"', page1)
        if not m:
            die("no article link on /en/news")
        article = m.group(1).decode()
        page_size = 20
        for line in open(os.path.join(site, "pressroom.conf")):
            m = re.fullmatch(r"\s*page_size\s*=\s*(\d+)\s*", line)
            if m:
                page_size = int(m.group(1))
        last = max(1, math.ceil(stamp["en"] / page_size))
        deep = 5000 if last > 5000 else max(1, last * 19 // 20)
        pages = [("article", article),
                 ("news list, page 1", "/en/news"),
                 ("news list, page %d" % deep, "/en/news?page=%d" % deep)]

        # the very bytes pressroom sends, as static files for nginx
        www = os.path.join(work, "www")
        os.makedirs(www)
        static = []
        for i, (name, path) in enumerate(pages):
            st, hdr, body = get(port, path)
            if st != 200:
                die("%s answered %d" % (path, st))
            fn = "p%d.html" % i
            with open(os.path.join(www, fn), "wb") as f:
                f.write(body)
            os.chmod(os.path.join(www, fn), 0o644)
            static.append("/" + fn)
            say("bench: %-22s %s (%d bytes)" % (name, path, len(body)))
        os.chmod(www, 0o755)

        # memory after 10,000 requests: the three pages and 200 pages of
        # the news list, over one connection
        more = ["/en/news?page=%d" % p for p in range(2, min(last, 201) + 1)]
        pr_done, bad = hammer(port, [p for _, p in pages] + more,
                              RSS_REQUESTS)
        if bad:
            die("%d of %d requests failed" % (bad, pr_done))
        if pr_done < RSS_REQUESTS:
            say("bench: only %d requests in 60 s" % pr_done)
        pr_rss = status_kb(pr.pid, "VmRSS")

        nport = free_port()
        ngx = start_nginx(work, nport)
        ngx_done = hammer(nport, static, RSS_REQUESTS)[0]
        ngx_rss = rss_tree(ngx.pid)

        say("bench: warming up (2 s a page)")
        for _, path in pages:
            wrk("http://127.0.0.1:%d%s" % (port, path), 2)
        rows = []
        servers = [pr.pid, ngx.pid] + children(ngx.pid)
        t0 = time.monotonic()
        busy0 = cpu_busy()
        ours0 = cpu_ours(servers)
        for (name, path), spath in zip(pages, static):
            say("bench: wrk %s (%d s, %d times each)" %
                (name, WRK_SECONDS, REPEAT))
            a = b = None
            # alternating runs; the best of each counts, which keeps
            # some of the noise of other work on the machine out
            for _ in range(REPEAT):
                x = wrk("http://127.0.0.1:%d%s" % (port, path))
                y = wrk("http://127.0.0.1:%d%s" % (nport, spath))
                a = x if a is None or x["rps"] > a["rps"] else a
                b = y if b is None or y["rps"] > b["rps"] else b
            rows.append((name, a, b))
        wall = time.monotonic() - t0
        other = (cpu_busy() - busy0) - (cpu_ours(servers) - ours0)
        other_pct = max(0.0, 100 * other / (wall * os.cpu_count()))
        pr_rss_end = status_kb(pr.pid, "VmRSS")
        pr_hwm = status_kb(pr.pid, "VmHWM")
        ngx_rss_end = rss_tree(ngx.pid)
    finally:
        stop(pr)
        stop(ngx)
        shutil.rmtree(work, ignore_errors=True)

    print()
    print("pressroom serve, %d articles, --threads %d; nginx %d workers; "
          "wrk -t2 -c%d -d%ds, best of %d; loopback, %d cores" %
          (N, THREADS, THREADS, WRK_CONNS, WRK_SECONDS, REPEAT,
           os.cpu_count()))
    print("other work on the machine during the wrk runs: %.0f%% of its "
          "CPU%s" % (other_pct, "  ! figures are low and noisy"
                     if other_pct > 10 else ""))
    print()
    print("%-22s %-10s %10s %9s %9s %9s" %
          ("page", "server", "req/s", "p50 ms", "p99 ms", "req/s ÷"))
    print("%-22s %-10s %10s %9s %9s %9s" % ("", "", "", "", "", "nginx"))
    for name, a, b in rows:
        ratio = a["rps"] / b["rps"] if b["rps"] else float("nan")
        print("%-22s %-10s %10s %9s %9s %9s" %
              (name, "pressroom", fmt_n(a["rps"]), fmt_ms(a["p50"]),
               fmt_ms(a["p99"]), "%.2f" % ratio))
        print("%-22s %-10s %10s %9s %9s %9s" %
              ("", "nginx", fmt_n(b["rps"]), fmt_ms(b["p50"]),
               fmt_ms(b["p99"]), "1.00"))
        for who, r in (("pressroom", a), ("nginx", b)):
            if r["errors"]:
                print("  ! %s: %d errors or non-2xx answers of %d" %
                      (who, r["errors"], r["requests"]))
    print()
    print("memory (RSS)              pressroom      nginx (master+workers)")
    print("after %-6s requests    %7.1f MiB    %7.1f MiB%s" %
          ("{:,}".format(pr_done), pr_rss / 1024, ngx_rss / 1024,
           "" if pr_done == ngx_done else
           " (after %s)" % "{:,}".format(ngx_done)))
    print("after the wrk runs        %7.1f MiB    %7.1f MiB" %
          (pr_rss_end / 1024, ngx_rss_end / 1024))
    print("pressroom peak (VmHWM)    %7.1f MiB" % (pr_hwm / 1024))


def du(paths):
    return sum(os.path.getsize(p) for p in paths if os.path.exists(p))


OTHER = []  # CPU share of other work during each timed command


def hyperfine(prepare, command, runs):
    fd, out = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    t0, busy0, ours0 = time.monotonic(), cpu_busy(), cpu_ours([])
    subprocess.run([need("hyperfine"), "--style", "none", "--runs",
                    str(runs), "--prepare", prepare, "--export-json", out,
                    command], check=True, stdout=subprocess.DEVNULL)
    other = (cpu_busy() - busy0) - (cpu_ours([]) - ours0)
    OTHER.append(max(0.0, 100 * other /
                     ((time.monotonic() - t0) * os.cpu_count())))
    r = json.load(open(out))["results"][0]
    os.unlink(out)
    return r["mean"], r.get("stddev") or 0.0


def q(s):
    return "'" + s.replace("'", "'\\''") + "'"


FLOOR_SCHEMA = ("CREATE TABLE article(lang TEXT, kind TEXT, published_at "
                "TEXT, title TEXT, lead TEXT, body TEXT, tags TEXT, persons "
                "TEXT, places TEXT);")
FLOOR_FTS = ("CREATE VIRTUAL TABLE article_fts USING fts5(title, lead, body,"
             " content='article', content_rowid='rowid');"
             "INSERT INTO article_fts(rowid, title, lead, body) "
             "SELECT rowid, title, lead, body FROM article;")


def cmd_import(binary):
    sqlite = need("sqlite3")
    need("hyperfine")
    runs = int(os.environ.get("PR_BENCH_RUNS", "1"))
    d, stamp = corpus()
    jsonl = os.path.join(d, "items.jsonl")
    csvf = os.path.join(d, "items.csv")
    work = os.path.join(DIR, "import-run")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    data = os.path.join(work, "data")
    floor = os.path.join(work, "floor.db")
    try:
        say("bench: pressroom import of %d articles (%d run%s)" %
            (N, runs, "s" if runs > 1 else ""))
        t_pr, sd_pr = hyperfine(
            "rm -rf %s && %s --data %s init >/dev/null" %
            (q(data), q(binary), q(data)),
            "%s --data %s import %s" % (q(binary), q(data), q(jsonl)), runs)
        pr_size = du(glob.glob(os.path.join(data, "pressroom.db*")))

        sql = os.path.join(work, "floor.sql")
        with open(sql, "w") as f:
            f.write("PRAGMA journal_mode=WAL;\n%s\n"
                    ".import --csv --skip 1 %s article\n" %
                    (FLOOR_SCHEMA, csvf))
        say("bench: sqlite3 .import of the same data as CSV")
        t_fl, sd_fl = hyperfine(
            "rm -f %s %s-wal %s-shm" % (q(floor), q(floor), q(floor)),
            "%s %s < %s" % (q(sqlite), q(floor), q(sql)), runs)
        fl_size = du(glob.glob(floor + "*"))

        sql2 = os.path.join(work, "floor-fts.sql")
        with open(sql2, "w") as f:
            f.write("PRAGMA journal_mode=WAL;\n%s\n"
                    ".import --csv --skip 1 %s article\n%s\n" %
                    (FLOOR_SCHEMA, csvf, FLOOR_FTS))
        say("bench: sqlite3 .import + an FTS5 index of title, lead, body")
        t_ft, sd_ft = hyperfine(
            "rm -f %s %s-wal %s-shm" % (q(floor), q(floor), q(floor)),
            "%s %s < %s" % (q(sqlite), q(floor), q(sql2)), runs)
        ft_size = du(glob.glob(floor + "*"))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    src = os.path.getsize(jsonl)
    print()
    print("import of %d articles (%.0f MB of JSON Lines, %.0f MB as CSV), "
          "%d run%s, %d cores" %
          (N, src / 1e6, os.path.getsize(csvf) / 1e6, runs,
           "s" if runs > 1 else "", os.cpu_count()))
    other = max(OTHER)
    print("other work on the machine meanwhile: at most %.0f%% of its CPU%s" %
          (other, "  ! figures are noisy" if other > 10 else ""))
    print()
    print("%-40s %9s %10s %9s" % ("", "seconds", "items/s", "DB MB"))
    for name, t, sd, size in (
            ("pressroom import (JSON Lines)", t_pr, sd_pr, pr_size),
            ("sqlite3 .import CSV, plain table", t_fl, sd_fl, fl_size),
            ("sqlite3 .import CSV + FTS5 index", t_ft, sd_ft, ft_size)):
        sec = "%.1f" % t + ("±%.1f" % sd if runs > 1 else "")
        print("%-40s %9s %10s %9.0f" % (name, sec, fmt_n(N / t),
                                         size / 1e6))


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("serve", "import"):
        say("usage: bench/bench.py serve|import BINARY")
        sys.exit(2)
    binary = os.path.abspath(sys.argv[2])
    if not os.access(binary, os.X_OK):
        die("%s is not an executable (build it first: make)" % binary)
    os.makedirs(DIR, exist_ok=True)
    if sys.argv[1] == "serve":
        cmd_serve(binary)
    else:
        cmd_import(binary)


if __name__ == "__main__":
    main()
