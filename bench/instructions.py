"""Instructions per request of each key GET page, counted by valgrind, beside the bare page.

    python -m bench.instructions [--scale 1] [--requests 20] [--only WORD]

``make bench`` measures time, which on a shared machine moves by a third within
minutes: a change worth 5% of a page cannot be seen in it. Instructions executed
are the same from run to run for the same code and data, whatever else the
machine is doing, so this answers "did that change make the page cheaper, and by
how much" in about 15 s a page. It builds the generated organisation on SQLite
(as ``make bench`` does), finds the pages by following links as a person would,
then for each page starts a Python under ``valgrind --tool=callgrind`` with
counting off, logs in through the real form, warms the page up, counts
``--requests`` requests and prints thousands of instructions per request, and
the bare page's count beside them. It counts the application and the test
client, not gunicorn or the network; it does not count the POST (each needs a
fresh form token). Needs valgrind (``apt-get install -y valgrind``).
"""

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.run import (
    LOGIN_TOKEN,
    MODULE,
    PASSWORD,
    ROOT,
    discover,
    key_pages,
    run,
    seed_scale,
    site_env,
)

COLLECTED = re.compile(r"Collected : (\d+)")
WARM_UP = 10


class _Opener:
    """Enough of urllib's opener over a Flask test client for ``bench.run.discover``."""

    def __init__(self, client):
        self.client = client

    def open(self, url):
        return io.BytesIO(self.client.get(url).data)


def _logged_in_client(app, email):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = LOGIN_TOKEN.search(page).group(1)
    answer = client.post("/login", data={"csrf_token": token, "email": email, "password": PASSWORD})
    if answer.status_code != 302:
        raise RuntimeError(f"could not log in as {email}: {answer.status_code}")
    return client


def _toggle(state):
    subprocess.run(
        ["callgrind_control", "-i", state, str(os.getpid())], check=True, capture_output=True
    )


def measure(path, email, requests):
    """Inside valgrind: warm ``path`` up, then count ``requests`` requests of it."""
    if path == "bare":
        from bench.bare import app

        client = app.test_client()
        path = "/"
    else:
        from wsgi import app

        client = _logged_in_client(app, email) if email else app.test_client()
    for _ in range(WARM_UP):
        status = client.get(path).status_code
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    _toggle("on")
    for _ in range(requests):
        client.get(path)
    _toggle("off")


def count(path, email, requests, env):
    """Thousands of instructions per request of ``path``, counted in a child under valgrind."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "bench.instructions",
        "--measure",
        path,
        "--email",
        email or "",
        "--requests",
        str(requests),
    ]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    found = COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"counting {path} failed:\n{done.stderr[-2000:]}")
    return int(found.group(1)) / requests / 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--email", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        import logging

        logging.disable(logging.CRITICAL)  # a deployment's log lines go to its journal
        measure(args.measure, args.email, args.requests)
        return
    for tool in ("valgrind", "callgrind_control"):
        if not shutil.which(tool):
            sys.exit("valgrind is needed: apt-get install -y valgrind")

    workdir = Path(tempfile.mkdtemp(prefix="lh-instructions-"))
    try:
        env = site_env(
            f"sqlite:///{workdir / 'site.sqlite3'}", f"sqlite:///{workdir / 'bare.sqlite3'}"
        )
        run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
            env,
            capture_output=True,
        )
        logins = seed_scale(env, args.scale)
        run([sys.executable, "-c", "from bench.bare import prepare; prepare()"], env)

        # The pages are found in this process, by following links as the person would.
        os.environ.update(env)
        from wsgi import app

        found = discover("", _Opener(_logged_in_client(app, logins["staff"])), MODULE)
        pages = [
            (name, url, logins[cookie] if cookie else None)
            for name, url, cookie, post in key_pages("", MODULE, found, "staff", "leader")
            if post is None and (not args.only or any(word in name for word in args.only))
        ]
        bare = count("bare", None, args.requests, env)
        print(f"{'bare Flask page':28} {bare:8,.0f} k instructions a request", flush=True)
        for name, url, email in pages:
            page = count(url, email, args.requests, env)
            print(
                f"{name:28} {page:8,.0f} k instructions a request  "
                f"{page / bare:4.1f}x the bare page",
                flush=True,
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
