"""prtest: shared helpers for pressroom's integration tests.

Standard library only, for Debian's /usr/bin/python3. ctest sets PRESSROOM
(the binary), PR_SOURCE_DIR and PR_BUILD_DIR.

    import prtest
    d = prtest.init_data()                      # a fresh, initialised folder
    prtest.run(["import", "--date", T, f], data=d, check=0)
    with prtest.Server(d) as s:                 # serve on a free port
        status, headers, body = s.get("/en/news")
    prtest.main(globals())                      # runs every test_* function
"""

import atexit
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("PR_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(HERE))
BUILD_DIR = os.environ.get("PR_BUILD_DIR") or os.path.join(SOURCE_DIR, "build")
PRESSROOM = os.environ.get("PRESSROOM") or os.path.join(BUILD_DIR, "pressroom")
FIXTURES = os.path.join(SOURCE_DIR, "tests", "fixtures")

_tmpdirs = []


def _cleanup():
    if os.environ.get("PR_KEEP_TMP"):
        return
    for d in _tmpdirs:
        shutil.rmtree(d, ignore_errors=True)


atexit.register(_cleanup)


def tmpdir(prefix="prtest-"):
    """A new empty folder, removed when the test process exits (unless
    PR_KEEP_TMP is set)."""
    d = tempfile.mkdtemp(prefix=prefix)
    _tmpdirs.append(d)
    return d


def fixture(name):
    """The path of tests/fixtures/NAME."""
    return os.path.join(FIXTURES, name)


def write(path, content):
    """Writes str (as UTF-8) or bytes to path; returns path."""
    if isinstance(content, str):
        content = content.encode("utf-8")
    with open(path, "wb") as f:
        f.write(content)
    return path


class Result:
    """What a finished command gave: code, stdout and stderr (bytes), and
    .out and .err as text."""

    def __init__(self, args, code, stdout, stderr):
        self.args = args
        self.code = code
        self.stdout = stdout
        self.stderr = stderr

    @property
    def out(self):
        return self.stdout.decode("utf-8", "replace")

    @property
    def err(self):
        return self.stderr.decode("utf-8", "replace")

    def __repr__(self):
        return "Result(%r, code=%d, stderr=%r)" % (self.args, self.code,
                                                   self.err[-2000:])


def base_env(env=None):
    """The environment for pressroom: ours, without PRESSROOM_DATA (tests
    always say which folder), plus env."""
    e = dict(os.environ)
    e.pop("PRESSROOM_DATA", None)
    if env:
        e.update(env)
    return e


def run(args, data=None, check=None, input=None, env=None, timeout=120,
        cwd=None):
    """Runs `pressroom [--data DATA] ARGS...` and returns a Result.

    check: when not None, the exit status expected; anything else raises
    AssertionError showing stderr. input: bytes or str for stdin."""
    cmd = [PRESSROOM]
    if data is not None:
        cmd += ["--data", data]
    cmd += [str(a) for a in args]
    if isinstance(input, str):
        input = input.encode("utf-8")
    p = subprocess.run(cmd, input=input, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=base_env(env),
                       timeout=timeout, cwd=cwd)
    r = Result(cmd, p.returncode, p.stdout, p.stderr)
    if check is not None and r.code != check:
        raise AssertionError("%s: exit %d, expected %d\nstdout: %s\n"
                             "stderr: %s" % (" ".join(cmd), r.code, check,
                                             r.out[-2000:], r.err[-2000:]))
    return r


def init_data(env=None):
    """A new data folder on which `pressroom init` has run."""
    d = os.path.join(tmpdir(), "data")
    run(["init"], data=d, check=0, env=env)
    return d


def write_config(data, text):
    """Replaces DATA/pressroom.conf with text."""
    return write(os.path.join(data, "pressroom.conf"), text)


def free_port():
    """A loopback port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`pressroom --data DATA serve --listen 127.0.0.1:PORT` as a context
    manager: started and answering on enter, stopped on exit.

    port=None picks a free one. .url is "http://127.0.0.1:PORT"; .get()
    fetches without following redirects; .log() is what the server wrote
    to stderr so far; .stop() ends it and returns its exit status."""

    def __init__(self, data, args=(), env=None, port=None, timeout=20):
        self.data = data
        self.args = [str(a) for a in args]
        self.env = env
        self.port = port or free_port()
        self.host = "127.0.0.1"
        self.timeout = timeout
        self.proc = None
        self._logf = None
        self.returncode = None

    @property
    def url(self):
        return "http://%s:%d" % (self.host, self.port)

    def start(self):
        self._logf = tempfile.TemporaryFile()
        cmd = [PRESSROOM, "--data", self.data, "serve", "--listen",
               "%s:%d" % (self.host, self.port)] + self.args
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     stdout=self._logf,
                                     stderr=subprocess.STDOUT,
                                     env=base_env(self.env))
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("server exited with %d:\n%s" %
                                     (self.proc.returncode, self.log()))
            if self._answers():
                return self
            time.sleep(0.05)
        self.stop()
        raise AssertionError("server did not answer within %ds:\n%s" %
                             (self.timeout, self.log()))

    def _answers(self):
        try:
            c = http.client.HTTPConnection(self.host, self.port, timeout=2)
            c.request("HEAD", "/")
            c.getresponse().read()
            c.close()
            return True
        except (OSError, http.client.HTTPException):
            return False

    def log(self):
        """Everything the server printed so far (stdout and stderr)."""
        if not self._logf:
            return ""
        self._logf.seek(0)
        return self._logf.read().decode("utf-8", "replace")

    def request(self, method, path, headers=None, body=None):
        """One request on a new connection; redirects are not followed.
        Returns (status, headers, body bytes); headers is case-insensitive
        (an http.client.HTTPMessage: headers["Content-Type"],
        headers.get_all("Set-Cookie"))."""
        c = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            if isinstance(body, str):
                body = body.encode("utf-8")
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
            return r.status, r.headers, data
        finally:
            c.close()

    def get(self, path, headers=None):
        return self.request("GET", path, headers)

    def head(self, path, headers=None):
        return self.request("HEAD", path, headers)

    def post(self, path, body, headers=None):
        return self.request("POST", path, headers, body)

    def text(self, path, headers=None):
        """GET path expecting 200; the body as text."""
        status, _, body = self.get(path, headers)
        if status != 200:
            raise AssertionError("GET %s: %d" % (path, status))
        return body.decode("utf-8")

    def stop(self, sig=signal.SIGTERM):
        """Sends sig and waits; returns the exit status."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.returncode = self.proc.returncode
        return self.returncode

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        if self._logf:
            self._logf.close()
            self._logf = None
        return False


def check_in(needle, haystack, what="output"):
    """Raises AssertionError unless needle occurs in haystack."""
    if needle not in haystack:
        raise AssertionError("%r not in %s:\n%s" % (needle, what,
                                                     haystack[-3000:]))


def check_match(pattern, text, what="output"):
    """Raises AssertionError unless the regular expression matches."""
    if not re.search(pattern, text):
        raise AssertionError("/%s/ does not match %s:\n%s" %
                             (pattern, what, text[-3000:]))


def main(namespace, argv=None):
    """Runs every function named test_* in namespace (in definition
    order), or those named on the command line; prints one line each and
    exits 1 when any failed."""
    argv = sys.argv[1:] if argv is None else argv
    if not os.path.exists(PRESSROOM):
        print("prtest: no binary at %s (set PRESSROOM)" % PRESSROOM,
              file=sys.stderr)
        sys.exit(1)
    tests = [(n, f) for n, f in namespace.items()
             if n.startswith("test_") and callable(f)]
    if argv:
        tests = [(n, f) for n, f in tests if n in argv]
    failed = 0
    for name, fn in tests:
        t0 = time.monotonic()
        try:
            fn()
        except Exception:
            failed += 1
            print("FAIL %s" % name, flush=True)
            traceback.print_exc()
        else:
            print("ok   %s (%.2fs)" % (name, time.monotonic() - t0),
                  flush=True)
    print("%d passed, %d failed" % (len(tests) - failed, failed))
    sys.exit(1 if failed else 0)
