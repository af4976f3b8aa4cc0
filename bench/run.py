"""Benchmark key pages against a bare Flask page, in one run, with gunicorn and wrk.

    python -m bench.run [--seconds 8] [--rounds 3] [--database sqlite|postgres] [--scale N]
                        [--only WORD]

Builds a fresh database with the demo data (or, with ``--scale``, the generated
organisation of ``seed-scale`` at that multiple of history), starts the site and
the bare page with the same gunicorn settings (2 sync workers, as the README
recommends for a 2-core server), logs in as a staff member and a leader, finds
one team's case, latest held session and calendar feed by following links, and
drives each key page (and first, as a yardstick, a logged-in page of fixed text)
at concurrency 10 with wrk in rounds, each right after the
bare page (this machine's speed drifts within seconds), keeping the round with
the median share. It writes the table and the workers' resident memory to
bench/results.md. It reports; it never fails a build on timings.
"""

import argparse
import datetime
import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-123"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
FLOOR = "floor: a logged-in text page"  # what every logged-in page costs, for reference
MODULE = "noticing-your-own-reactions"  # the module page measured, and the POST's module
# The log-in form's CSRF token, as the site writes it.
LOGIN_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)


def start_gunicorn(app_path, port, env, log):
    """Serve ``app_path``; its log lines go to ``log`` as a deployment's go to its journal
    (a terminal would make every logged case view cost a screen write)."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            app_path,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(
                f"http://127.0.0.1:{port}/healthz"
                if "wsgi" in app_path
                else f"http://127.0.0.1:{port}/",
                timeout=1,
            )
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{app_path} did not start")


def log_in(base, email="staff@example.org", password=PASSWORD):
    """Log in through the real form and return the session cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = LOGIN_TOKEN.search(page).group(1)
    data = urllib.parse.urlencode(
        {"csrf_token": token, "email": email, "password": password}
    ).encode()
    opener.open(f"{base}/login", data=data)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, opener, token


def site_env(url, bare_url):
    """The environment the benchmarked site and the bare page run in."""
    return {
        **os.environ,
        "APP_ENV": "development",
        "SECRET_KEY": "b" * 48,
        "DATABASE_URL": url,
        "BARE_DATABASE_URL": bare_url,
        "LOGIN_RATE_LIMIT": "1000/minute",
    }


def seed_scale(env, scale):
    """Generate the organisation at ``scale`` into ``env``'s database; print what was
    made and return the staff member's and the leader's log-ins."""
    out = run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "seed-scale", "--scale", str(scale)]
        + ["--password", PASSWORD],
        env,
        capture_output=True,
        text=True,
    ).stdout
    print(out.strip().splitlines()[0], flush=True)
    return {
        role: re.search(rf"\b{role} (\S+@[\w.-]+\w)", out).group(1) for role in ("staff", "leader")
    }


def check_page(url, cookie):
    """Refuse to benchmark an error page: the page must answer 200 for this login."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        response = urllib.request.urlopen(request)
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"{url} answered {exc.code} for this login") from None
    with response:
        if response.status != 200 or response.url != url:
            raise RuntimeError(f"{url} answered {response.status} at {response.url}")


def wrk(url, seconds, cookie=None, post_body=None):
    cmd = [
        "wrk",
        "-t2",
        "-c10",
        f"-d{seconds}s",
        "--latency",
        "-s",
        str(ROOT / "bench" / "percentiles.lua"),
        url,
    ]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    if post_body is not None:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(
                'wrk.method = "POST"\n'
                f'wrk.body = "{post_body}"\n'
                'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
                + (ROOT / "bench" / "percentiles.lua").read_text()
            )
        cmd[cmd.index("-s") + 1] = script.name
    output = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = next(row for row in output.splitlines() if row.startswith("RESULT"))
    return {k: float(v) for k, v in (part.split("=") for part in line.split()[1:])}


def discover(base, opener, module):
    """The URLs of one team's pages, found by following links as the person would."""
    home = opener.open(f"{base}/").read().decode()
    team = re.search(r'href="/teams/(\d+)', home).group(1)
    cases = opener.open(f"{base}/teams/{team}/cases").read().decode()
    case = re.search(r'href="/cases/(\d+)"', cases).group(1)
    sessions = opener.open(f"{base}/teams/{team}/sessions").read().decode()
    # The latest session held, with its agenda, notes and actions (the first past
    # session listed), rather than an upcoming one whose agenda may still be empty.
    held = re.search(r'href="/sessions/(\d+)/summary"', sessions)
    session = (held or re.search(r'href="/sessions/(\d+)"', sessions)).group(1)
    feed = re.search(r"(/calendar/team/[\w-]+\.ics)", sessions).group(1)
    page = opener.open(f"{base}/modules/{module}").read().decode()
    prompt = re.search(r'action="/modules/[^/]+/prompts/([^"]+)"', page).group(1)
    return {
        "team": team,
        "case": case,
        "session": session,
        "feed": feed,
        "prompt": prompt,
    }


def fresh_post_body(base, cookie, module, prompt):
    """The reflection form's body with the CSRF token of the session in ``cookie``."""
    request = urllib.request.Request(f"{base}/modules/{module}", headers={"Cookie": cookie})
    page = urllib.request.urlopen(request).read().decode()
    form_token = re.search(
        rf'name="{re.escape(prompt)}-csrf_token" type="hidden" value="([^"]+)"', page
    ).group(1)
    return urllib.parse.urlencode(
        {
            f"{prompt}-csrf_token": form_token,
            f"{prompt}-body": "Benchmark reflection text.",
            f"{prompt}-share_team_id": "0",
        }
    )


def key_pages(base, module, found, cookie, leader_cookie):
    """(name, url, cookie, POST body or None) for every key page."""
    team = found["team"]
    return [
        # Not a key page but a yardstick: a logged-in page of fixed text, which pays only
        # what every page of the site pays (the session cookie, the person with their
        # teams, the layout, the security headers). Every page's share sits below it.
        (FLOOR, f"{base}/selfcheck/how-drift-works", cookie, None),
        ("home", f"{base}/", cookie, None),
        ("module library", f"{base}/modules", cookie, None),
        ("module page", f"{base}/modules/{module}", cookie, None),
        ("my learning", f"{base}/learning", cookie, None),
        ("self-check profile", f"{base}/selfcheck", cookie, None),
        ("case list", f"{base}/teams/{team}/cases", cookie, None),
        ("case page with timeline", f"{base}/cases/{found['case']}", cookie, None),
        ("team insights", f"{base}/teams/{team}/insights", cookie, None),
        ("review session page", f"{base}/sessions/{found['session']}", cookie, None),
        ("leader drift dashboard", f"{base}/dashboard/drift", leader_cookie, None),
        ("team iCalendar feed", f"{base}{found['feed']}", None, None),
        (
            "POST a reflection",
            f"{base}/modules/{module}/prompts/{found['prompt']}",
            cookie,
            "",  # the form's body is built with the session's token before the run
        ),
    ]


def worker_memory(master):
    """Resident memory (MB) of each gunicorn worker of ``master``."""
    output = subprocess.run(
        ["ps", "-o", "rss=", "--ppid", str(master.pid)], capture_output=True, text=True
    ).stdout
    return [int(kb) / 1024 for kb in output.split()]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="bare page then page, this many times; the round with the median share is kept",
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--scale",
        type=int,
        default=0,
        help="measure a generated organisation (seed-scale) at this multiple of history",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="measure only pages whose name contains this (repeatable); the bare page always",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="run with the cache off: everything is computed on every view (CACHE_TYPE=NullCache)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install -y wrk")

    workdir = Path(tempfile.mkdtemp(prefix="lh-bench-"))
    if args.database == "sqlite":
        url = f"sqlite:///{workdir / 'site.sqlite3'}"
        bare_url = f"sqlite:///{workdir / 'bare.sqlite3'}"
    else:
        url = bare_url = PG_URL
    env = site_env(url, bare_url)
    if args.cold:
        env["CACHE_TYPE"] = "NullCache"
    if args.database == "postgres":
        run(
            [
                sys.executable,
                "-c",
                f"from tests.conftest import reset_postgres_schema as r; r({PG_URL!r})",
            ],
            env,
        )
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    run([*flask, "db", "upgrade"], env, capture_output=True)
    logins = {"staff": "staff@example.org", "leader": "leader@example.org"}
    if args.scale:
        logins = seed_scale(env, args.scale)
    else:
        run([*flask, "seed-demo", "--password", PASSWORD], env, capture_output=True)
    run([sys.executable, "-c", "from bench.bare import prepare; prepare()"], env)

    log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 (closed with the run)
    site = start_gunicorn("wsgi:app", 8811, env, log)
    bare = start_gunicorn("bench.bare:app", 8812, env, log)
    try:
        base = "http://127.0.0.1:8811"
        cookie, opener, _ = log_in(base, logins["staff"])
        leader_cookie, _, _ = log_in(base, logins["leader"])
        found = discover(base, opener, MODULE)
        bare_url = "http://127.0.0.1:8812/"
        pages = [
            page
            for page in key_pages(base, MODULE, found, cookie, leader_cookie)
            if not args.only or any(word in page[0] for word in args.only)
        ]
        check_page(bare_url, None)
        for _name, target, page_cookie, post in pages:
            if post is None:
                check_page(target, page_cookie)
        # This machine's speed drifts over minutes (other tenants share its cores), so
        # the bare page is measured again right before each page, and each page's
        # share is taken against that neighbouring measurement.
        results = []
        for name, target, page_cookie, post in pages:
            rounds = []
            email = logins["leader"] if page_cookie == leader_cookie else logins["staff"]
            for _ in range(args.rounds):
                bare_result = wrk(bare_url, args.seconds)
                if page_cookie is not None:
                    # A browser keeps the cookie the site rewrites every 30 s of activity;
                    # wrk replays one, so each round starts from a fresh log-in instead.
                    page_cookie, _, _ = log_in(base, email)
                    if post is not None:
                        post = fresh_post_body(base, page_cookie, MODULE, found["prompt"])
                result = wrk(target, args.seconds, page_cookie, post)
                result["bare_rps"] = bare_result["rps"]
                rounds.append(result)
            # The round whose share is the median: one slow moment of the machine
            # during a page or its bare page does not decide the page's figure.
            rounds.sort(key=lambda r: r["rps"] / r["bare_rps"])
            result = rounds[len(rounds) // 2]
            result["shares"] = [r["rps"] / r["bare_rps"] for r in rounds]
            result["non2xx"] = sum(r["non2xx"] for r in rounds)
            results.append((name, result))
            floor_share = of_floor(result, results)
            print(
                f"{name:28} {result['rps']:8.0f} req/s  p95 {result['p95']:6.1f} ms  "
                f"{result['rps'] / result['bare_rps']:4.0%} of the bare page's "
                f"{result['bare_rps']:.0f} req/s (rounds: "
                + ", ".join(f"{share:.0%}" for share in result["shares"])
                + ")"
                + ("" if floor_share is None else f", {floor_share:.0%} of the floor"),
                flush=True,
            )
        memory = worker_memory(site)
    finally:
        for process in (site, bare):
            process.terminate()
            process.wait(timeout=10)
        log.close()
        errors = [line for line in (workdir / "gunicorn.log").open() if '"ERROR"' in line]
        if errors:
            print(f"the site logged {len(errors)} errors, the first: {errors[0]}", flush=True)
        shutil.rmtree(workdir, ignore_errors=True)
    write_results(results, args, memory)


def of_floor(result, results):
    """The page's rate as a share of the floor page's, each against its own bare page
    (so the machine's drift between the two measurements cancels), or None without
    the floor in the run."""
    floor = next((r for name, r in results if name == FLOOR), None)
    if floor is None:
        return None
    return (result["rps"] / result["bare_rps"]) / (floor["rps"] / floor["bare_rps"])


def run_key(args):
    key = f"{args.database}, seed-scale x{args.scale}" if args.scale else args.database
    return key + (", aggregates recomputed on every view" if args.cold else "")


def write_results(results, args, memory):
    bare = sorted(r["bare_rps"] for _name, r in results)
    lines = [
        f"## {run_key(args)} · {datetime.date.today().isoformat()} · {os.cpu_count()} cores · "
        f"gunicorn 2 sync workers · wrk c=10 t=2 · {args.rounds} rounds of {args.seconds}s "
        "per page",
        "",
        f"Each page is measured in {args.rounds} rounds, each right after the bare Flask page "
        "(the ceiling); the row shows the round whose share of its bare page is the median, "
        "and the shares of all rounds; the share of the floor is the page's share of its bare "
        "page over the floor page's share of its own. The bare page's median over the run: "
        f"{bare[len(bare) // 2]:.0f} req/s (from {bare[0]:.0f} to {bare[-1]:.0f}).",
        "",
        "| page | req/s | p50 ms | p95 ms | p99 ms | bare page alongside, req/s "
        "| share of bare page | shares of the rounds | share of the floor | non-2xx/3xx |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in results:
        shares = ", ".join(f"{share:.0%}" for share in r["shares"])
        floor_share = of_floor(r, results)
        floor_share = "-" if floor_share is None else f"{floor_share:.0%}"
        lines.append(
            f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | "
            f"{r['p99']:.1f} | {r['bare_rps']:.0f} | {r['rps'] / r['bare_rps']:.0%} | "
            f"{shares} | {floor_share} | {int(r['non2xx'])} |"
        )
    lines += [
        "",
        "Site workers' resident memory after the run: "
        + ", ".join(f"{mb:.0f} MB" for mb in memory)
        + " (target: under 200 MB each).",
    ]
    path = ROOT / "bench" / "results.md"
    existing = path.read_text() if path.exists() else "# Benchmark results\n\n"
    sections = re.split(r"(?m)^(?=## )", existing)
    kept = [s for s in sections[1:] if s.split(" · ")[0] != f"## {run_key(args)}"]
    path.write_text(sections[0] + "".join(kept) + "\n".join(lines) + "\n\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
