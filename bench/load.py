"""`make load`: a load test of Grappe as deployed — gunicorn, the task worker and PostgreSQL
holding the national-scale data — with people signed in through the forms clicking through
the pages of their role; a table on the console and bench/load.json.

    .venv/bin/python bench/load.py     # LOAD_USERS=10 LOAD_SECONDS=60 for a short run

Everything happens on this machine, on loopback (127.0.0.1), and stops by itself:

1. ``scripts/with-postgres`` makes a throwaway PostgreSQL cluster; bench/run.py's
   ``prepare_postgresql`` restores bench/scale.pgdump into it (made on the first run of
   ``make bench`` or of this, then kept), migrates and analyses it.
2. The plan (``plan``): real people of the data for each role — pole staff of the largest
   poles, consortium leaders (coordinator contacts) and members (partner contacts) of open
   projects, none of them sharing a project or a partner, funders' reviewers with scheduled
   tranches to record as paid, API tokens (``tokens.services.create_token``, read-only).
   Staff and reviewers must use two-factor authentication: they get the demo's published key
   (``portal.two_factor.give_demo_device``), from which the virtual users make their codes.
   The pole dashboards they will open are computed once beforehand, as they would have been
   long before in production (``portal.snapshots``).
3. ``collectstatic`` into a temporary folder, then gunicorn (``LOAD_WORKERS`` sync workers,
   ``DEBUG`` off, plain http: ``HTTPS_ONLY=false``, a throwaway ``SECRET_KEY``,
   ``ALLOWED_HOSTS=127.0.0.1``, static files by WhiteNoise) and ``manage.py db_worker``
   (the writes schedule the dashboards' refresh).
4. locust (bench/locustfile.py: who does what) runs ``LOAD_USERS`` people for
   ``LOAD_SECONDS``, started ``LOAD_SPAWN_RATE`` a second, each waiting ``LOAD_WAIT``
   seconds between two clicks; every request's time and outcome is kept.
5. Gunicorn, the worker and the cluster are stopped — also on Ctrl-C, a signal or a
   failure — and the temporary folders removed.

The targets (issue 9): no error at all, and p95 ≤ 300 ms over every click of the run. The
sign-in itself (password hashing, made slow on purpose, once a session) is shown on its own
lines and left out of the p95 target; its errors count. A missed target prints FAIL; the
exit status stays 0, as with ``make bench``: the numbers are for people, on a machine whose
load they know (the load average is printed).

Settings (environment): LOAD_USERS (50), LOAD_SECONDS (300), LOAD_WORKERS (gunicorn's
workers, 5 = 2 × cores + 1), LOAD_SPAWN_RATE (1 person a second: they arrive over the first
minute), LOAD_WAIT ("5-15" seconds: a person reads a page before the next click; "2-6" is a
stress test), BENCH_PROJECTS (the scale dump's size, 25000), CONN_MAX_AGE (60, as deployed),
LOAD_ROLES (every kind of person; e.g. "Funder,Api" to try
those alone).
"""

import collections
import json
import os
import platform
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run as bench  # noqa: E402  (the scale dump, median_p95, signed_in)

OUT = ROOT / "bench" / "load.json"
USERS = int(os.environ.get("LOAD_USERS", 50))
SECONDS = int(os.environ.get("LOAD_SECONDS", 300))
WORKERS = int(os.environ.get("LOAD_WORKERS", 2 * (os.cpu_count() or 1) + 1))
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", 1))
WAIT = os.environ.get("LOAD_WAIT", "5-15")
# Only these of bench/locustfile.py's people (Staff, Leader, Member, Funder, Api): to try one.
ROLES = [r for r in os.environ.get("LOAD_ROLES", "").split(",") if r]
P95_MS = 300
# Requests that are not clicks: the sign-in's password and code (slow hashing, once).
SIGN_IN = ("sign-in: password", "sign-in: code")
OPEN_STATES = ("draft", "submitted", "labelled", "funding_sought", "funded", "running")


def log(*words):
    print("load:", *words, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# The plan: who signs in, and on what they work (inside Django, on the restored data)


def plan(users):
    """Accounts of each role, enough for ``users`` people each, and what they work on."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q

    from funding import permissions as funding_permissions
    from funding.models import Disbursement, FundingLine
    from portal import two_factor
    from portal.models import Pole, PoleStaff
    from projects import permissions as project_permissions
    from projects.models import Contact, Partner, Project, State, Submission
    from tokens import services as tokens
    from tokens.models import ApiToken

    Person = get_user_model()
    rng = random.Random(2026)
    demo_key = two_factor.demo_key_hex()

    def with_demo_device(person):
        if not person.totpdevice_set.filter(confirmed=True, key=demo_key).exists():
            two_factor.give_demo_device(person)
        return person

    # Pole staff: one person for each of the poles with most submissions (staff@demo.example,
    # of the largest, first), with projects submitted to their poles.
    poles = Pole.objects.annotate(n=Count("submissions")).order_by("-n", "pk")
    staff, seen = [], set()
    for pole in poles.values_list("pk", flat=True)[: users * 2]:
        rows = PoleStaff.objects.filter(pole_id=pole).order_by("pk").select_related("person")
        person = next(
            (r.person for r in rows if r.person_id not in seen and r.person.is_active), None
        )
        if person is None:
            continue
        seen.add(person.pk)
        pole_ids = list(PoleStaff.objects.filter(person=person).values_list("pole_id", flat=True))
        submitted = Submission.objects.filter(pole_id__in=pole_ids).values_list("project_id")
        theirs = project_permissions.projects_with(person, project_permissions.VIEW)
        projects = list(
            theirs.filter(pk__in=submitted).order_by("?").values_list("pk", "acronym")[:60]
        )
        if not projects:
            continue
        staff.append(
            {
                "email": with_demo_device(person).email,
                "poles": pole_ids,
                "projects": [pk for pk, _ in projects],
                "words": sorted({acronym[:4].lower() for _, acronym in projects[:15]}),
                "states": [s for s in State.values if s not in ("abandoned",)],
            }
        )
        if len(staff) >= users:
            break
    staff.sort(key=lambda s: s["email"] != "staff@demo.example")

    # Neither leaders nor members among those who must use two-factor authentication (they
    # sign in with a password alone, as most consortium people do).
    watched = Person.objects.filter(
        Q(polestaff__isnull=False) | Q(reviewer_for__isnull=False) | Q(is_staff=True)
    ).values("pk")
    open_projects = Project.objects.filter(state__in=OPEN_STATES)
    coordinator = Contact.Role.COORDINATOR_CONTACT

    # Leaders: coordinator contacts of open projects of 2 partners or more; no two share one.
    leaders, taken = [], set()
    candidates = (
        Contact.objects.filter(
            role=coordinator,
            partner__role=Partner.Role.COORDINATOR,
            partner__project__in=open_projects,
        )
        .exclude(person__in=watched)
        .annotate(partners=Count("partner__project__partners"))
        .filter(partners__gte=2)
        .order_by("person__email")
        .values_list("person_id", "person__email", "partner__project_id")
    )
    by_person = collections.defaultdict(list)
    for person_id, email, project in candidates[:20000]:
        by_person[(person_id, email)].append(project)
    order = sorted(by_person, key=lambda k: (k[1] != "leader@demo.example", rng.random()))
    for person_id, email in order:
        person = Person.objects.get(pk=person_id)
        mine = set(
            project_permissions.projects_with(person, project_permissions.CHANGE)
            .filter(pk__in=by_person[(person_id, email)])
            .values_list("pk", flat=True)
        )
        mine -= taken
        if not mine:
            continue
        taken |= mine
        leaders.append({"email": email, "projects": sorted(mine)[:10]})
        if len(leaders) >= users:
            break

    # Members: partner contacts of other open projects, each changing their own partner's
    # budget only, no partner shared with another member.
    members, partners_taken = [], set()
    contacts = (
        Contact.objects.filter(
            role=Contact.Role.PARTNER_CONTACT, partner__project__in=open_projects
        )
        .exclude(partner__role=Partner.Role.COORDINATOR)
        .exclude(person__in=watched)
        .exclude(partner__project__in=taken)
        .order_by("?")
        .values_list("person_id", "person__email")
    )
    for person_id, email in contacts[: users * 20]:
        if any(m["email"] == email for m in members):
            continue
        person = Person.objects.get(pk=person_id)
        own = project_permissions.manageable_partners(person).filter(
            project__in=open_projects, contact_rows__person=person
        )
        rows = list(own.exclude(project__in=taken).values_list("pk", "project_id"))
        if not rows or {pk for pk, _ in rows} & partners_taken:
            continue
        partners_taken |= {pk for pk, _ in rows}
        members.append({"email": email, "projects": sorted({p for _, p in rows})[:10]})
        if len(members) >= users:
            break

    # Funders' reviewers: tranches of their portfolio's granted lines scheduled and not paid
    # yet, to record as paid (the scale data schedules every granted euro already), none
    # shared by two of them.
    funders, tranches_taken = [], set()
    reviewers = Person.objects.filter(reviewer_for__isnull=False, is_active=True).distinct()
    for person in reviewers.order_by("pk")[: users * 3]:
        lines = funding_permissions.portfolio_lines(person).filter(status__in=FundingLine.DECIDED)
        unpaid = (
            Disbursement.objects.filter(line__in=lines, paid_date__isnull=True)
            .exclude(pk__in=tranches_taken)
            .order_by("?")
            .values("pk", "line__project_id")[:40]
        )
        picked = [{"project": d["line__project_id"], "tranche": d["pk"]} for d in unpaid]
        if not picked:
            continue
        tranches_taken |= {d["tranche"] for d in picked}
        funders.append({"email": with_demo_device(person).email, "tranches": picked})
        if len(funders) >= users:
            break

    # API scripts: read-only tokens of staff and leaders, reading projects they may see.
    api = []
    for account in (staff[: max(1, users // 2)] + leaders[: max(1, users // 2)])[:users]:
        person = Person.objects.get(email=account["email"])
        _, key = tokens.create_token(person, name="Load test", scope=ApiToken.Scope.READ)
        api.append({"email": person.email, "token": key, "projects": account["projects"]})

    missing = [
        role
        for role, accounts in (("staff", staff), ("leaders", leaders), ("members", members))
        if not accounts
    ] + ([] if funders else ["funders"])
    if missing:
        raise SystemExit(f"load: no accounts found for {', '.join(missing)} in the scale data")
    return {
        "password": "demo",
        "staff": staff,
        "leaders": leaders,
        "members": members,
        "funders": funders,
        "api": api,
    }


def warm_dashboards(accounts):
    """The staff's pole dashboards computed once, as they were long before in production;
    the run then sees those a change made stale (computed again by the worker or the next
    visitor)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    started = time.monotonic()
    done = set()
    for account in accounts:
        person = get_user_model().objects.get(email=account["email"])
        client = bench.signed_in(Client(), person)
        for pole in account["poles"]:
            for url in (f"/funding/?pole={pole}", f"/impact/?pole={pole}"):
                if url not in done:
                    status = client.get(url).status_code
                    if status != 200:
                        raise SystemExit(f"load: warming {url} as {person.email}: {status}")
                    done.add(url)
    return round(time.monotonic() - started, 1)


# ---------------------------------------------------------------------------------------------
# The servers


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args, logfile):
    """A child in a session of its own (a Ctrl-C reaches it through us, in order)."""
    return subprocess.Popen(
        [str(a) for a in args],
        cwd=ROOT,
        stdout=logfile,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def cpu_seconds(pid):
    """The processor time a process used so far (Linux's /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 1)


def stop(process, name, grace=20):
    if process is None or process.poll() is not None:
        return
    log(f"stopping {name}")
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def wait_until_up(url, process, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"load: gunicorn stopped (exit {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"load: {url} did not answer within {seconds} s")


# ---------------------------------------------------------------------------------------------
# The results


def summarise(samples, seconds):
    """Per request kind and in all: count, throughput, median, p95, errors."""
    kinds = collections.defaultdict(list)
    for name, method, _started, ms, status, error in samples:
        kinds[name].append((ms, status, error, method))

    def row(name, items):
        times = [ms / 1000 for ms, *_ in items]
        median, p95 = bench.median_p95(times)
        errors = [(status, error) for _ms, status, error, _m in items if error]
        first = collections.Counter(f"{s}: {e}" for s, e in errors).most_common(3)
        return {
            "kind": name,
            "requests": len(items),
            "per_second": round(len(items) / seconds, 2),
            "median_ms": median,
            "p95_ms": p95,
            "max_ms": round(max(ms for ms, *_ in items), 1),
            "errors": len(errors),
            "error_examples": [f"{n}× {text}" for text, n in first],
            "writes": sum(1 for *_, m in items if m == "POST"),
        }

    rows = [row(name, kinds[name]) for name in sorted(kinds)]
    every = [item for items in kinds.values() for item in items]
    clicks = [item for name, items in kinds.items() if name not in SIGN_IN for item in items]
    totals = {"all": row("all requests", every) if every else None}
    totals["clicks"] = row("all but the sign-in", clicks) if clicks else None
    return rows, totals


def targets(totals):
    every, clicks = totals["all"], totals["clicks"]
    errors = every["errors"] if every else None
    p95 = clicks["p95_ms"] if clicks else None
    return [
        bench.target("errors = 0", errors, 0, errors == 0),
        bench.at_most(f"p95 ≤ {P95_MS} ms (all but the sign-in)", p95, P95_MS),
    ]


def print_table(report):
    line = "{:<38} {:>8} {:>7} {:>8} {:>8} {:>8} {:>7}"
    print()
    print(line.format("request kind", "requests", "per s", "median", "p95", "max", "errors"))
    print(line.format("", "", "", "ms", "ms", "ms", ""))
    for r in [*report["results"], None, report["totals"]["clicks"], report["totals"]["all"]]:
        if r is None:
            print("-" * 90)
            continue
        values = ("requests", "per_second", "median_ms", "p95_ms", "max_ms", "errors")
        print(line.format(r["kind"][:38], *(r[k] for k in values)))
    for r in report["results"]:
        for example in r["error_examples"]:
            print(f"  {r['kind']}: {example}")
    print()
    s = report["settings"]
    print(
        f"{s['users']} people for {s['seconds']} s (started {s['spawn_rate']}/s, "
        f"{s['wait']} s between clicks), gunicorn {s['workers']} workers, "
        f"{report['server']}; {report['writes']} writes; server errors logged: "
        f"{report['server_errors_logged']}; the worker used {report['worker_cpu_seconds']} s of "
        f"processor; load average {report['load_average']} on {os.cpu_count()} cores"
    )
    print()
    for check in report["targets"]:
        verdict = "PASS" if check["pass"] else "FAIL"
        print(f"{verdict} {check['target']}: {check['value']}")


# ---------------------------------------------------------------------------------------------
# Inside the throwaway cluster


def inside():
    """``load.py inside``: run by scripts/with-postgres, DATABASE_URL set."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # the finally clauses run
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="grappe-load-"))
    os.environ["STATIC_ROOT"] = str(work / "static")
    processes = {}
    try:
        steps, meta, database = bench.prepare_postgresql()
        steps["collectstatic"] = bench.timed_run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
        import django

        django.setup()
        from django.db import connection

        began = time.monotonic()
        accounts = plan(USERS)
        steps["plan"] = round(time.monotonic() - began, 1)
        steps["warm dashboards"] = warm_dashboards(accounts["staff"])
        counts = {role: len(v) for role, v in accounts.items() if isinstance(v, list)}
        log(f"accounts: {counts}")
        server = f"{connection.display_name} " + ".".join(
            str(n) for n in connection.get_database_version()
        )
        connection.close()
        plan_file = work / "plan.json"
        plan_file.write_text(json.dumps(accounts))

        port = free_port()
        host = f"http://127.0.0.1:{port}"
        logs = {name: open(work / f"{name}.log", "w") for name in ("gunicorn", "worker", "locust")}
        # The worker in the background, as deployed (systemd's Nice=10): the dashboards'
        # refresh after every change must not take the requests' processor time.
        processes["worker"] = start(
            ["nice", "-n", "10", sys.executable, "manage.py", "db_worker"], logs["worker"]
        )
        gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
        gunicorn = gunicorn if gunicorn.exists() else Path(sys.executable).with_name("gunicorn")
        processes["gunicorn"] = start(
            [gunicorn, "portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", WORKERS, "--timeout", 60],
            logs["gunicorn"],
        )
        wait_until_up(f"{host}/healthz", processes["gunicorn"])
        log(f"gunicorn up on {host} ({WORKERS} workers); {USERS} people for {SECONDS} s")

        samples_file = work / "samples.json"
        os.environ.update(LOAD_PLAN=str(plan_file), LOAD_SAMPLES=str(samples_file))
        load_before = round(os.getloadavg()[0], 1)
        processes["locust"] = start(
            [
                sys.executable, "-m", "locust", "-f", ROOT / "bench" / "locustfile.py",
                "--headless", "--users", USERS, "--spawn-rate", SPAWN_RATE,
                "--run-time", f"{SECONDS}s", "--stop-timeout", 10, "--host", host,
                "--only-summary", "--loglevel", "WARNING", *ROLES,
            ],
            logs["locust"],
        )  # fmt: skip
        try:
            processes["locust"].wait(SECONDS + 180)  # bounded even if locust hangs
        except subprocess.TimeoutExpired:
            log("locust did not stop in time: stopped")
        load_after = round(os.getloadavg()[0], 1)
        stop(processes.pop("locust"), "locust")
        stop(processes.pop("gunicorn"), "gunicorn")
        worker_cpu = cpu_seconds(processes["worker"].pid)
        stop(processes.pop("worker"), "the worker")
        for f in logs.values():
            f.close()
        if not samples_file.exists():
            print((work / "locust.log").read_text()[-3000:], file=sys.stderr)
            raise SystemExit("load: locust wrote no samples")
        samples = json.loads(samples_file.read_text())
        locust_log = (work / "locust.log").read_text(errors="replace")
        if "Traceback" in locust_log:
            log("locust's log, the end:\n" + locust_log[-3000:])
        gunicorn_log = (work / "gunicorn.log").read_text(errors="replace")
        server_errors = gunicorn_log.count("Traceback")
        if server_errors:
            log("gunicorn's log, the end:\n" + gunicorn_log[-3000:])
        rows, totals = summarise(samples, SECONDS)
        report = {
            "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "django": django.get_version(),
                "platform": platform.platform(),
            },
            "settings": {
                "users": USERS,
                "seconds": SECONDS,
                "workers": WORKERS,
                "spawn_rate": SPAWN_RATE,
                "wait": WAIT,
                "conn_max_age": int(os.environ.get("CONN_MAX_AGE", 60)),
            },
            "server": server,
            "database": database,
            "made_with": {k: v for k, v in meta.items() if k != "scale"},
            "accounts": counts,
            "setup_seconds": steps,
            "load_average": {"before": load_before, "after": load_after},
            "writes": sum(r["writes"] for r in rows),
            "server_errors_logged": server_errors,
            "worker_cpu_seconds": worker_cpu,
            "results": rows,
            "totals": totals,
        }
        report["targets"] = targets(totals) if totals["all"] else []
        report["seconds"] = round(time.monotonic() - started, 1)
        OUT.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print_table(report)
        print(f"Written to {OUT.relative_to(ROOT)}.")
    finally:
        for name in ("locust", "gunicorn", "worker"):
            stop(processes.get(name), name)
        import shutil

        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Outside: the throwaway cluster around it all


def main():
    with_postgres = ROOT / "scripts" / "with-postgres"
    if subprocess.run([with_postgres, "--available"]).returncode:
        sys.exit("load: PostgreSQL server binaries not found (scripts/with-postgres)")
    env = {
        **os.environ,
        # As deployed, but plain http on loopback, a key of its own, this host.
        "DEBUG": "0",
        "HTTPS_ONLY": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "ERROR"),
        # Each person signs in once; a code refused (the same half-minute) must not block.
        "SIGNIN_FAILURES_PER_ADDRESS": os.environ.get("SIGNIN_FAILURES_PER_ADDRESS", "100000"),
        "SIGNIN_FAILURES_PER_ACCOUNT": os.environ.get("SIGNIN_FAILURES_PER_ACCOUNT", "1000"),
        # Persistent database connections, as the deployment page recommends for gunicorn's
        # sync workers (a new PostgreSQL connection a request costs a few milliseconds).
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        "PYTHONUNBUFFERED": "1",
    }
    command = [with_postgres, "--", sys.executable, __file__, "inside"]
    # A session of its own: a Ctrl-C here is passed on to it, and the cluster is removed.
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        sys.exit(process.wait())
    except (KeyboardInterrupt, SystemExit) as stopping:
        if process.poll() is None:
            log("interrupted: stopping the servers and the cluster")
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        if isinstance(stopping, KeyboardInterrupt):
            sys.exit(130)
        raise


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "inside":
        try:
            inside()
        except KeyboardInterrupt:  # the servers are stopped already (finally)
            log("interrupted")
            sys.exit(130)
    else:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        main()
