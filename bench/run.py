"""`make bench`: server time and SQL queries of Grappe's heaviest pages at national scale, on
SQLite and on a throwaway PostgreSQL; a table on the console and bench/results.json.

    .venv/bin/python bench/run.py      # BENCH_ENGINES=sqlite skips PostgreSQL

Each engine is measured in a process of its own (``run.py measure ENGINE OUT``), PostgreSQL's
under scripts/with-postgres. The scale database is made once and kept: bench/scale.sqlite3,
and bench/scale.pgdump restored into each throwaway cluster (migrate, seed_demo and
seed_scale --projects BENCH_PROJECTS when missing; BENCH_REBUILD=1 makes them again).

Requests go through Django's test Client in the measuring process: the server time is the
time around client.get(), every middleware included, the database connection kept between
requests (as with CONN_MAX_AGE > 0), DEBUG off. Queries are counted with
CaptureQueriesContext on a request of their own (one of the timed ones for a page over a
second, where its cost does not show). A list or detail page is compared with the floor
timed alongside it, in turns of a few requests of each (each turn after a request not
timed, both warm as the floor alone is): this host's pace moves by a tenth from one minute
to the next, and a floor measured minutes earlier moves the ratio as much. The numbers are
for people: a missed target prints FAIL, the exit status stays 0.

Settings (environment): BENCH_ENGINES (sqlite,postgresql), BENCH_PROJECTS (25000),
BENCH_RUNS (30 timed requests a case; a slow page gets about BENCH_BUDGET seconds of them,
60, and 3 at least), BENCH_KINDS (every kind of case: list, detail, dashboard, api, pdf,
cordis; the floor always runs), BENCH_REBUILD (0), BENCH_CORDIS (/work/shared/data/cordis: the folder
of project.csv and organization.csv).
"""

import collections
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results.json"
DEFAULT_PROJECTS = 25000
PROJECTS = int(os.environ.get("BENCH_PROJECTS", DEFAULT_PROJECTS))
RUNS = max(5, int(os.environ.get("BENCH_RUNS", 30)))
WARMUP = 3
ALONGSIDE = 5  # a list or detail page's requests, then as many of the floor, in turns
COLD_RUNS = 5
BUDGET = float(os.environ.get("BENCH_BUDGET", 60))  # seconds of timed requests a case, about
REBUILD = os.environ.get("BENCH_REBUILD", "") not in ("", "0")
CORDIS = Path(os.environ.get("BENCH_CORDIS", "/work/shared/data/cordis"))
# Only these kinds of case (list, detail, dashboard, api, pdf, cordis; the floor always runs).
KINDS = {kind for kind in os.environ.get("BENCH_KINDS", "").split(",") if kind}
ENGINES = ("sqlite", "postgresql")

# The targets (issue 8), held on both engines.
LIST_MS, FLOOR_TIMES = 50, 4
DASHBOARD_COLD_MS, SQL_TIMES = 300, 1.5
API_MS, PDF_MS = 80, 1000


# ---------------------------------------------------------------------------------------------
# Making the scale database (before Django is set up in the measuring process)


def has_command(name):
    return any(ROOT.glob(f"*/management/commands/{name}.py"))


def kept(suffix):
    """The kept database of this size: bench/scale.<suffix>, or scale-N.<suffix> for another N."""
    stem = "scale" if PROJECTS == DEFAULT_PROJECTS else f"scale-{PROJECTS}"
    return BENCH / f"{stem}.{suffix}"


def timed_run(args, **env):
    """Run ``args`` in the project folder with ``env`` added; its seconds, or raise."""
    started = time.monotonic()
    print("bench:", " ".join(str(a) for a in args), file=sys.stderr, flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, env={**os.environ, **env}, check=True)
    return round(time.monotonic() - started, 1)


def manage(url, *args):
    # DEBUG on: seed_demo (and seed_scale) refuse to make demo accounts otherwise.
    return timed_run([sys.executable, "manage.py", *args], DATABASE_URL=url, DEBUG="1")


def seed(url):
    """Migrate and seed an empty database; the seconds of each step and seed_scale's ids."""
    steps = {"migrate": manage(url, "migrate", "--noinput", "-v0")}
    steps["seed_demo"] = manage(url, "seed_demo")
    scale = None
    if has_command("seed_scale"):
        # Its ids go with this database (kept beside it), not to the shared bench/scale.json.
        ids = Path(tempfile.mkstemp(prefix="grappe-scale-", suffix=".json")[1])
        try:
            steps["seed_scale"] = manage(
                url, "seed_scale", "--projects", str(PROJECTS), "--output", ids
            )
            scale = json.loads(ids.read_text())
        finally:
            ids.unlink(missing_ok=True)
    meta = {"projects": PROJECTS, "seed_scale": "seed_scale" in steps, "scale": scale}
    return steps, meta


def read_meta(path):
    """What a kept database was made with; None when it has to be made (again)."""
    meta_path = Path(f"{path}.json")
    if REBUILD or not path.exists():
        return None
    if not meta_path.exists():
        return {"provided": True}  # put there by hand: used as it is
    meta = json.loads(meta_path.read_text())
    if meta.get("projects") != PROJECTS:
        return None
    if not meta.get("seed_scale") and has_command("seed_scale"):
        return None  # made before seed_scale existed
    return meta


def write_meta(path, meta, steps):
    Path(f"{path}.json").write_text(json.dumps({**meta, "made_in": steps}, indent=2) + "\n")


def prepare_sqlite():
    path = kept("sqlite3")
    meta = read_meta(path)
    steps = {}
    if meta is None:
        building = path.with_name(path.name + ".building")  # never half a database under its name
        building.unlink(missing_ok=True)
        steps, meta = seed(f"sqlite:///{building}")
        os.replace(building, path)
        write_meta(path, meta, steps)
    url = f"sqlite:///{path}"
    steps["migrate (kept database)"] = manage(url, "migrate", "--noinput", "-v0")
    os.environ["DATABASE_URL"] = url
    return steps, meta, str(path.relative_to(ROOT))


def prepare_postgresql():
    url = os.environ["DATABASE_URL"]  # the throwaway cluster of scripts/with-postgres
    dump = kept("pgdump")
    meta = read_meta(dump)
    if meta is None:
        steps, meta = seed(url)
        partial = dump.with_name(dump.name + ".building")
        steps["pg_dump"] = timed_run(["pg_dump", "-Fc", "-f", partial, url])
        os.replace(partial, dump)
        write_meta(dump, meta, steps)
    else:
        steps = {"pg_restore": timed_run(["pg_restore", "--no-owner", "-j", "2", "-d", url, dump])}
        steps["migrate (kept dump)"] = manage(url, "migrate", "--noinput", "-v0")
    # A restored or freshly loaded database has no planner statistics, nor a visibility map
    # (index-only scans: the counts of the lists), until autovacuum passes: as it would.
    steps["vacuum analyze"] = timed_run(["psql", "-q", "-c", "VACUUM ANALYZE", url])
    return steps, meta, f"{dump.relative_to(ROOT)} in a throwaway cluster"


# ---------------------------------------------------------------------------------------------
# Measuring (inside Django)


@dataclass
class Case:
    name: str
    kind: str  # floor, info (no target), list, detail, dashboard, api, pdf
    user: object
    url: str
    small: str = ""  # the same page showing fewer rows: it may not need fewer queries


def median_p95(seconds):
    ms = sorted(s * 1000 for s in seconds)
    p95 = statistics.quantiles(ms, n=20, method="inclusive")[18] if len(ms) > 1 else ms[0]
    return round(statistics.median(ms), 1), round(p95, 1)


def fetch(client, url):
    """(seconds, response, bytes): the whole request, a streamed body read to its end."""
    started = time.perf_counter()
    response = client.get(url, secure=True)  # production is HTTPS only: no redirect
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return time.perf_counter() - started, response, len(body)


def statement_shape(sql):
    return re.sub(r"\b\d+\b", "N", re.sub(r"'[^']*'", "'S'", sql))


def is_read(sql):
    head = sql.lstrip().upper()
    return head.startswith(("SELECT", "WITH")) and "FOR UPDATE" not in head


def direct_sql(statements, runs):
    """Median seconds to run ``statements`` (the SQL a request sent, its parameters inlined)
    straight on the database driver's cursor, every row fetched."""
    from django.db import connection

    connection.ensure_connection()
    cursor = connection.connection.cursor()
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()
        seconds.append(time.perf_counter() - started)
    cursor.close()
    return statistics.median(seconds)


def forget_caches():
    """A cold start for the data: Django's caches emptied and a new database connection."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches
    from django.db import connection

    for cache in caches.all(initialized_only=True):
        cache.clear()
    ContentType.objects.clear_cache()
    connection.close()


def measure_case(case, client, floor_ms, floor=None):
    """``case``'s numbers; ``floor`` (its client and URL), the floor to time alongside a list
    or detail page, in turns of ``ALONGSIDE`` requests of each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, response, size = fetch(client, case.url)
    result = {"case": case.name, "url": case.url, "user": case.user.email, "kind": case.kind}
    result["status"] = response.status_code
    if response.status_code != 200:
        result["targets"] = [target("status 200", response.status_code, 200, False)]
        return result
    if first < 1:
        for _ in range(WARMUP - 1):
            first = min(first, fetch(client, case.url)[0])
    # A page of several seconds gets fewer requests: about BUDGET seconds of them, 3 at least.
    runs = max(3, min(RUNS, int(BUDGET / first)))
    repeats = max(1, min(COLD_RUNS, int(BUDGET / 3 / first)))
    with CaptureQueriesContext(connection) as captured:
        elapsed = fetch(client, case.url)[0]
    # A copy: each request empties the connection's log that the capture reads.
    queries = list(captured.captured_queries)
    statements = [q["sql"] for q in queries]
    # The capture's own cost shows in a quick page's time only: a slow page's request counts.
    seconds = [elapsed] if first >= 1 else []
    alongside = []
    if floor is not None and case.kind in ("list", "detail"):
        # In turns of ALONGSIDE requests of each, after one of each not timed: both timed
        # warm, as the floor alone was, and at the same moments.
        while len(seconds) < runs:
            fetch(client, case.url)
            seconds += [fetch(client, case.url)[0] for _ in range(ALONGSIDE)]
            fetch(*floor)
            alongside += [fetch(*floor)[0] for _ in range(ALONGSIDE)]
    seconds += [fetch(client, case.url)[0] for _ in range(runs - len(seconds))]
    result["runs"] = runs
    result["median_ms"], result["p95_ms"] = median_p95(seconds)
    if alongside:
        result["floor_ms"] = median_p95(alongside)[0]
    result["queries"] = len(statements)
    result["bytes"] = size
    if "/api/" in case.url and response.get("Content-Type", "").startswith("application/json"):
        payload = response.json()
        if isinstance(payload, dict) and isinstance(payload.get("results"), list):
            result["rows"] = len(payload["results"])
            result["count"] = payload.get("count", result["rows"])
    reads = [sql for sql in statements if is_read(sql)]
    try:
        result["sql_ms"] = round(direct_sql(reads, min(runs, repeats * 2)) * 1000, 1)
        result["sql_ratio"] = round(result["median_ms"] / max(result["sql_ms"], 0.01), 2)
    except Exception as error:  # a statement that does not run back as captured: say so
        result["sql_error"] = f"{type(error).__name__}: {error}"[:300]
    slowest = sorted(queries, key=lambda q: -float(q["time"]))[:3]
    result["sql_slowest"] = [
        {"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:400]} for q in slowest
    ]
    shapes = collections.Counter(statement_shape(sql) for sql in statements)
    result["sql_repeated"] = [
        {"times": n, "sql": shape[:300]} for shape, n in shapes.most_common() if n >= 3
    ]
    if case.kind == "dashboard":
        cold = []
        for _ in range(repeats):
            forget_caches()
            cold.append(fetch(client, case.url)[0])
        result["cold_ms"], result["cold_p95_ms"] = median_p95(cold)
        result["cold_runs"] = len(cold)
        result.update(measure_recompute(case, client))
    if case.small:
        _, small_response, _ = fetch(client, case.small)
        with CaptureQueriesContext(connection) as small:
            _, small_response, _ = fetch(client, case.small)
        result["small_url"] = case.small
        result["small_status"] = small_response.status_code
        result["small_queries"] = len(small)
        if len(small) < len(queries):  # the statements the page with more rows added
            more = collections.Counter(statement_shape(q["sql"]) for q in queries)
            more.subtract(statement_shape(q["sql"]) for q in small.captured_queries)
            result["queries_added_by_rows"] = [sql[:300] for sql, n in more.items() if n > 0]
    result["targets"] = targets(case.kind, result, floor_ms)
    return result


def measure_recompute(case, client):
    """A dashboard's figures computed again, as after a change to the data (the kept ones
    dropped): the request's time, and the aggregate SQL it sent run directly."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal import snapshots

    snapshots.forget()
    with CaptureQueriesContext(connection) as captured:
        first = fetch(client, case.url)[0]
    reads = [q["sql"] for q in captured.captured_queries if is_read(q["sql"])]
    # The capture's own cost shows in a quick computation only: a slow one's request counts.
    seconds = [first] if first >= 1 else []
    runs = max(1, min(5, int(BUDGET / 3 / first)))
    for _ in range(runs - len(seconds)):
        snapshots.forget()
        seconds.append(fetch(client, case.url)[0])
    result = {"recompute_runs": len(seconds), "recompute_queries": len(reads)}
    result["recompute_ms"], result["recompute_p95_ms"] = median_p95(seconds)
    try:
        result["recompute_sql_ms"] = round(direct_sql(reads, min(len(seconds), 3)) * 1000, 1)
        ratio = result["recompute_ms"] / max(result["recompute_sql_ms"], 0.01)
        result["recompute_sql_ratio"] = round(ratio, 2)
    except Exception as error:
        result["recompute_sql_error"] = f"{type(error).__name__}: {error}"[:300]
    return result


def target(text, value, limit, passed):
    return {"target": text, "value": value, "limit": limit, "pass": bool(passed)}


def at_most(text, value, limit):
    return target(text, value, limit, value is not None and value <= limit)


def targets(kind, r, floor_ms):
    """The issue's targets that apply to a case of ``kind``, checked on its result ``r``."""
    checks = []
    if kind in ("list", "detail"):
        checks.append(at_most(f"median ≤ {LIST_MS} ms", r["median_ms"], LIST_MS))
        floor_ms = r.get("floor_ms", floor_ms)  # the floor timed alongside, when it was
        if floor_ms:
            times = round(r["median_ms"] / floor_ms, 1)
            text = f"median ≤ {FLOOR_TIMES}× floor ({floor_ms} ms)"
            checks.append(at_most(text, times, FLOOR_TIMES))
    elif kind == "dashboard":
        checks.append(at_most(f"cold ≤ {DASHBOARD_COLD_MS} ms", r["cold_ms"], DASHBOARD_COLD_MS))
        # Shown again, the figures are read from those kept (portal.snapshots); computed
        # again after a change, they must cost no more than their aggregate SQL and a bit.
        ratio = r.get("recompute_sql_ratio", r.get("sql_ratio"))
        checks.append(at_most(f"computing ≤ {SQL_TIMES}× its SQL", ratio, SQL_TIMES))
    elif kind == "api":
        checks.append(at_most(f"median ≤ {API_MS} ms", r["median_ms"], API_MS))
        if "rows" in r:
            wanted = min(100, r["count"])
            checks.append(target("100 rows a page", r["rows"], wanted, r["rows"] >= wanted))
    elif kind == "pdf":
        checks.append(at_most(f"median ≤ {PDF_MS} ms", r["median_ms"], PDF_MS))
    if "small_queries" in r:
        # The same page showing fewer rows: as many queries or more, never fewer.
        small = r["small_queries"] if r["small_status"] == 200 else None
        checks.append(at_most(f"queries ≤ {small} (fewer rows)", r["queries"], small or -1))
    return checks


def signed_in(client, person):
    """``client`` signed in as ``person``, both steps: with the second one (two-factor
    authentication) done as the code page does, for those whose role requires it."""
    from portal import two_factor

    client.force_login(person)
    if two_factor.required_for(person):
        two_factor.mark_session_verified(client.session, person, "Bench")
    return client


def person(email):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email__iexact=email).first()


def national_viewer():
    """Someone given the national view, else a superuser (who sees it too)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    people = get_user_model().objects.filter(is_active=True)
    given = people.filter(
        Q(user_permissions__codename="view_national_impact")
        | Q(groups__permissions__codename="view_national_impact"),
        is_superuser=False,
    )
    return given.order_by("pk").first() or people.filter(is_superuser=True).order_by("pk").first()


def directory_words(outsider):
    """A word many directory entries hold, and one organisation's whole name (one entry)."""
    from portal import permissions

    organisations = permissions.directory_organisations(outsider).order_by("pk")
    words = collections.Counter()
    for text in organisations.values_list("search_text", flat=True)[:5000]:
        words.update({w for w in re.findall(r"[a-z]{5,}", text)})
    common = words.most_common(1)[0][0] if words else "a"
    one = organisations.order_by("-pk").values_list("legal_name", flat=True).first() or "x"
    return common, one


def cases(ids):
    """The issue's cases, found in whatever data the database holds (the demo alone or the
    national scale): the largest pole of staff@demo.example, its project with most partners…
    ``ids`` (seed_scale's, maybe of another database) are hints, used when they fit."""
    from urllib.parse import quote

    from django.db.models import Count, Exists, OuterRef

    from funding.models import FundingLine
    from outcomes.models import MarketLaunch, OutcomeReport
    from portal.models import Pole
    from projects.models import Project

    staff, leader, outsider = (
        person(f"{who}@demo.example") for who in ("staff", "leader", "outsider")
    )
    member = person((ids.get("member") or {}).get("email") or "") or leader
    poles = list(
        Pole.objects.filter(polestaff__person=staff)
        .annotate(submitted=Count("submissions"))
        .order_by("-submitted", "pk")
    )
    hint = (ids.get("largest_pole") or {}).get("id")
    pole = next((p for p in poles if p.pk == hint), poles[0])
    smallest = min(poles, key=lambda p: p.submitted)
    here = OuterRef("pk")
    sections = {  # what decides which sections a project's page and PDF show
        "has_lines": Exists(FundingLine.objects.filter(project=here)),
        "has_launches": Exists(MarketLaunch.objects.filter(project=here)),
        "has_reports": Exists(OutcomeReport.objects.filter(project=here)),
        "has_validated": Exists(
            OutcomeReport.objects.filter(project=here, state=OutcomeReport.State.VALIDATED)
        ),
    }
    in_pole = Project.objects.filter(submissions__pole=pole).annotate(
        n=Count("partners", distinct=True), **sections
    )
    hint = (ids.get("detail_project") or {}).get("id")
    big = in_pole.filter(pk=hint).first() or in_pole.order_by("-n", "pk").first()
    # Fewest partners with the same state and sections: the same page, fewer rows in it.
    others = in_pole.filter(n__gte=1).exclude(pk=big.pk).order_by("n", "pk")
    alike = others.filter(state=big.state, **{name: getattr(big, name) for name in sections})
    few = alike.first() or others.filter(state=big.state).first() or others.first() or big
    mine = Project.objects.filter(partners__contact_rows__person=member).distinct()
    theirs = mine.order_by("pk").first()
    common, one = directory_words(outsider)

    def unless_same(url, other):
        return other if other != url else ""

    size = f"{pole.submitted:,}".replace(",", " ")
    detail, pdf = f"/projects/{big.pk}/", f"/projects/{big.pk}/summary.pdf"
    funding, impact = f"/funding/?pole={pole.pk}", f"/impact/?pole={pole.pk}"
    search = f"?q={quote(big.acronym)}"
    return [
        Case("floor: constant page in the layout", "floor", staff, "/bench/floor/"),
        Case("bare constant page (no layout)", "info", staff, "/bench/bare/"),
        Case(f"project list, staff ({size} projects)", "list", staff, "/projects/",
             small=f"/projects/{search}"),
        Case(f"project list, member ({mine.count()} projects)", "list", member, "/projects/",
             small=f"/projects/?q={quote(theirs.acronym)}" if theirs else ""),
        Case(f"project detail ({big.n} partners)", "detail", staff, detail,
             small=unless_same(detail, f"/projects/{few.pk}/")),
        Case("funding dashboard, pole", "dashboard", staff, funding,
             small=unless_same(funding, f"/funding/?pole={smallest.pk}")),
        Case("impact dashboard, pole", "dashboard", staff, impact,
             small=unless_same(impact, f"/impact/?pole={smallest.pk}")),
        Case("national dashboard", "dashboard", national_viewer(), "/impact/national/"),
        Case("directory search", "list", outsider, f"/directory/?q={quote(common)}",
             small=f"/directory/?q={quote(one)}"),
        Case("API project list, 100", "api", staff, "/api/v1/projects/?page_size=100",
             small=f"/api/v1/projects/{search}"),
        Case(f"project summary PDF ({big.n} partners)", "pdf", staff, pdf,
             small=unless_same(pdf, f"/projects/{few.pk}/summary.pdf")),
    ]  # fmt: skip


def data_sizes():
    from django.contrib.auth import get_user_model

    from funding.models import FundingLine
    from portal.models import Organisation, Pole
    from projects.models import Partner, Project, Submission

    models = {
        "poles": Pole,
        "organisations": Organisation,
        "people": get_user_model(),
        "projects": Project,
        "submissions": Submission,
        "partners": Partner,
        "funding_lines": FundingLine,
    }
    return {name: model.objects.count() for name, model in models.items()}


def measure(engine, out):
    started = time.monotonic()
    steps, meta, database = prepare_sqlite() if engine == "sqlite" else prepare_postgresql()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    # Until `collectstatic` has run, WhiteNoise warns each time a test client is made.
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import clear_url_caches

    settings.ROOT_URLCONF = "bench.urls"  # the portal plus the floor, for this process only
    clear_url_caches()
    report = {
        "engine": engine,
        "database": database,
        "server": f"{connection.display_name} "
        + ".".join(str(n) for n in connection.get_database_version()),
        "setup_seconds": steps,
        "made_with": {k: v for k, v in meta.items() if k != "scale"},
        "data": data_sizes(),
        # Others' work on the machine slows every number: the 1-minute load, before and after.
        "load_average": {"before": round(os.getloadavg()[0], 1)},
        "results": [],
    }
    clients = {}
    floor_ms = floor = None
    ids = meta.get("scale") or {}
    if not ids and (BENCH / "scale.json").exists():
        ids = json.loads((BENCH / "scale.json").read_text())
    for case in cases(ids):
        if KINDS and case.kind not in KINDS and case.kind != "floor":
            continue
        client = clients.get(case.user.pk)
        if client is None:
            client = clients[case.user.pk] = signed_in(Client(), case.user)
        result = measure_case(case, client, floor_ms, floor)
        result["engine"] = engine
        if case.kind == "floor":
            floor_ms, floor = result.get("median_ms"), (client, case.url)
        report["results"].append(result)
        print(f"bench: {engine}: {case.name}: {result.get('median_ms')} ms", file=sys.stderr)
    report["load_average"]["after"] = round(os.getloadavg()[0], 1)
    if not KINDS or "cordis" in KINDS:
        report["cordis"] = import_cordis(engine)
    else:
        report["cordis"] = {"skipped": "not in BENCH_KINDS"}
    report["seconds"] = round(time.monotonic() - started, 1)
    Path(out).write_text(json.dumps(report, indent=2, default=str))


# ---------------------------------------------------------------------------------------------
# The CORDIS import


def cordis_files():
    return CORDIS / "project.csv", CORDIS / "organization.csv"


def import_cordis(engine):
    """Time import_cordis on the real CORDIS files in a process of its own, into a copy of the
    scale database (PostgreSQL's is a throwaway already): rows a second, peak memory."""
    if not has_command("import_cordis"):
        return {"skipped": "no import_cordis command"}
    projects, organisations = cordis_files()
    if not (projects.exists() and organisations.exists()):
        return {"skipped": f"no project.csv and organization.csv in {CORDIS}"}
    from django.db import connection

    connection.close()
    url = os.environ["DATABASE_URL"]
    copy = None
    if engine == "sqlite":
        copy = Path(tempfile.mkdtemp(prefix="grappe-bench-")) / "import.sqlite3"
        shutil.copyfile(url.removeprefix("sqlite:///"), copy)
        url = f"sqlite:///{copy}"
    out = Path(tempfile.mkstemp(prefix="grappe-cordis-", suffix=".json")[1])
    try:
        process = subprocess.run(
            [sys.executable, __file__, "import-cordis", str(out)],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
        )
        if process.returncode:
            return {"error": (process.stderr or process.stdout)[-2000:]}
        result = json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)
        if copy:
            shutil.rmtree(copy.parent, ignore_errors=True)
    rows = sum(max(0, count_records(path) - 1) for path in (projects, organisations))
    result["rows"] = rows
    result["rows_per_second"] = round(rows / max(result["seconds"], 1e-6), 1)
    return result


def count_records(path):
    with open(path, encoding="utf-8") as f:
        return sum(1 for line in f if line.strip())


def run_import(out):
    """``run.py import-cordis OUT``: the import in this process, its seconds and peak memory."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import io

    import django

    django.setup()
    from django.core.management import call_command

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    output = io.StringIO()
    started = time.perf_counter()
    call_command("import_cordis", *(str(p) for p in cordis_files()), "--all", stdout=output)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    result = {
        "seconds": round(seconds, 3),
        "peak_memory_mib": round(peak / 1024, 1),
        "memory_before_import_mib": round(baseline / 1024, 1),
        "output": output.getvalue()[-1000:],
    }
    Path(out).write_text(json.dumps(result))


# ---------------------------------------------------------------------------------------------
# Running every engine and reporting


def run_engine(engine):
    out = Path(tempfile.mkstemp(prefix=f"grappe-bench-{engine}-", suffix=".json")[1])
    command = [sys.executable, __file__, "measure", engine, str(out)]
    if engine == "postgresql":
        with_postgres = ROOT / "scripts" / "with-postgres"
        if subprocess.run([with_postgres, "--available"]).returncode:
            return {"engine": engine, "skipped": "PostgreSQL server binaries not found"}
        command = [str(with_postgres), "--", *command]
    env = {
        **os.environ,
        # Measured as deployed: DEBUG off (hence a key), the test client's host allowed.
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret",
        "ALLOWED_HOSTS": "testserver,localhost",
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "ERROR"),
    }
    if engine == "sqlite":
        env.pop("DATABASE_URL", None)
    started = time.monotonic()
    process = subprocess.run(command, cwd=ROOT, env=env)
    try:
        if process.returncode:
            return {"engine": engine, "error": f"exit {process.returncode}"}
        report = json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)
    report["seconds"] = round(time.monotonic() - started, 1)
    return report


def print_table(reports):
    line = "{:<36} {:<10} {:>7} {:>7} {:>7} {:>7} {:>7}  {:<26} {:>8}  {}"
    print()
    print(
        line.format(
            "case", "engine", "median", "p95", "cold", "SQL", "queries", "target", "value", ""
        )
    )
    print(line.format("", "", "ms", "ms", "ms", "ms", "", "", "", ""))
    failures = []
    for report in reports:
        engine = report["engine"]
        if "results" not in report:
            print(f"{engine}: {report.get('skipped') or report.get('error')}")
            if "error" in report:
                failures.append(f"FAIL {engine}: the benchmark stopped ({report['error']})")
            continue
        for r in report["results"]:
            row = [r["case"][:36], engine]
            row += [
                r.get(key, "") for key in ("median_ms", "p95_ms", "cold_ms", "sql_ms", "queries")
            ]
            for check in r.get("targets") or [target("", "", "", True)]:
                verdict = ("PASS" if check["pass"] else "FAIL") if check["target"] else ""
                print(line.format(*row, check["target"], str(check["value"]), verdict))
                row = [""] * len(row)
                if not check["pass"]:
                    failures.append(
                        f"FAIL {engine}: {r['case']}: {check['target']} (got {check['value']})"
                    )
            if "recompute_ms" in r:  # the kept figures dropped, as after a change
                keys = ("recompute_ms", "recompute_p95_ms", "", "recompute_sql_ms")
                row = ["  computed again (a change)", engine, *(r.get(k, "") for k in keys)]
                print(line.format(*row, r["recompute_queries"], "", "", ""))
    print()
    for report in reports:
        if "results" not in report:
            continue
        setup = ", ".join(f"{k} {v} s" for k, v in report["setup_seconds"].items())
        print(
            f"{report['engine']}: {report['server']}, {report['database']}; "
            f"data {report['data']}; setup: {setup}; total {report['seconds']} s; "
            f"load average {report['load_average']} on {os.cpu_count()} cores"
        )
        c = report.get("cordis") or {}
        if "rows_per_second" in c:
            print(
                f"{report['engine']}: import_cordis: {c['rows']} rows in {c['seconds']} s "
                f"({c['rows_per_second']} rows/s), peak memory {c['peak_memory_mib']} MiB"
            )
        else:
            print(f"{report['engine']}: import_cordis: {c.get('skipped') or c.get('error')}")
    print()
    print("\n".join(failures) if failures else "Every target holds.")


def main():
    engines = [e.strip() for e in os.environ.get("BENCH_ENGINES", ",".join(ENGINES)).split(",")]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        sys.exit(f"BENCH_ENGINES: unknown {', '.join(sorted(unknown))} (sqlite, postgresql)")
    reports = [run_engine(engine) for engine in engines if engine]
    import django

    results = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "django": django.get_version(),
            "platform": platform.platform(),
        },
        "settings": {"projects": PROJECTS, "runs": RUNS, "warmup": WARMUP, "cold": COLD_RUNS},
        "engines": [{k: v for k, v in r.items() if k != "results"} for r in reports],
        "results": [result for r in reports for result in r.get("results", [])],
    }
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print_table(reports)
    print(f"Written to {RESULTS.relative_to(ROOT)}.")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "measure":
        measure(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "import-cordis":
        run_import(sys.argv[2])
    else:
        main()
