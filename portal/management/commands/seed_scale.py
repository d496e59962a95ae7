"""Seed national-scale data on top of the demo, for benchmarks (issue 8): by default 60 poles,
20 000 organisations, 30 000 memberships, 50 000 people and 25 000 projects of 4 to 12
partners each, in every state of the lifecycle, with their submissions and labelling
decisions, experts, funding lines (6 a project on average), disbursements (12), repayments,
private rounds, market launches with their revenue, and a reporting campaign per pole for
last year with reports in every state and each partner's figures.

Rows go in by batches of 2 000 (``Table``: ``bulk_create`` without its per-object cost), a
chunk of 1 000 projects at a time, each chunk in its own transaction; from one chunk to the
next only ids are kept. The services are not called (they take a dozen queries a row), so
what they derive is derived here the same way:
``Organisation.name_key`` and ``search_text`` as ``save()`` computes them, and the
per-object permissions as ``sync_project`` and the other ``sync_*`` functions write them —
the groups ``project:<pk>:consortium`` and ``project:<pk>:leaders`` with the project's
contacts, the ``pole:<pk>:staff`` groups of the poles a project is submitted to, the
``funder:<pk>:reviewers`` groups of its funders, its open expert assignments, a
``change_partner`` row per contact. ``manage.py rebuild_permissions`` afterwards changes
nothing (tests/portal/test_seed_scale.py checks it). No django-simple-history records are
written: a generated project's history shows its moves along the lifecycle only.

The demo accounts keep their meaning at scale: staff@demo.example is also staff of the
largest pole, leader@demo.example a partner contact in five more projects. Every generated
person signs in with the demo's password. The ids a benchmark needs (the largest pole, a
project of 12 partners, a member of 5 projects…) are printed and written to
bench/scale.json. Deterministic: the same seed on the same day gives the same data.
"""

import json
import random
import time
from bisect import bisect_left
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from functools import partial
from itertools import accumulate
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from funding.models import (
    Disbursement,
    Funder,
    FundingLine,
    PrivateRound,
    Programme,
    Repayment,
)
from funding.permissions import sync_funder
from funding.services import programme_named
from outcomes.models import Campaign, LaunchRevenue, MarketLaunch, OutcomeReport, PartnerFigures
from outcomes.services import snapshot
from portal import snapshots
from portal.models import (
    Affiliation,
    Membership,
    Organisation,
    Person,
    Pole,
    PoleStaff,
    Region,
    Theme,
)
from portal.permissions import role_group, sync_pole_staff
from portal.validators import luhn_valid, normalise_name, searchable
from projects import permissions as project_permissions
from projects.models import (
    CommitteeSession,
    Contact,
    ExpertAssignment,
    Partner,
    PartnerUserObjectPermission,
    Project,
    ProjectGroupObjectPermission,
    ProjectUserObjectPermission,
    State,
    StateChange,
    Submission,
)

from . import _scale_words as words
from .seed_demo import (
    BUDGET_RANGES,
    DEMO_PASSWORD,
    FIRST_NAMES,
    FUNDERS,
    JOB_TITLES,
    LABEL_CONDITIONS,
    LABEL_OPINIONS,
    LAST_NAMES,
    MONTHS_FR,
    OUTCOME_FIGURES,
    REJECTION,
    STAFF_EMAIL,
    STAFF_NOTES,
    add_months,
    slug,
)

DEFAULTS = {
    "projects": 25_000,
    "poles": 60,
    "organisations": 20_000,
    "memberships": 30_000,
    "users": 50_000,
}
MINIMUM = {"projects": 10, "poles": 3, "organisations": 40}
SEED = 2026
BATCH = 2_000  # rows an INSERT carries
CHUNK = 1_000  # projects a transaction carries
DOMAIN = "scale.example"  # every generated e-mail address ends with it
LEADER_EMAIL = "leader@demo.example"
OUTPUT = Path(settings.BASE_DIR) / "bench" / "scale.json"
STOP_WORDS = {"de", "du", "des", "la", "le", "les", "en", "et", "pour", "sur", "umr", "upr"}

# Of 100 projects, how many rest in each state.
STATE_SHARES = {
    State.DRAFT: 6,
    State.SUBMITTED: 6,
    State.LABELLED: 5,
    State.REJECTED: 5,
    State.FUNDING_SOUGHT: 8,
    State.FUNDED: 5,
    State.NOT_FUNDED: 7,
    State.RUNNING: 25,
    State.COMPLETED: 18,
    State.CLOSED: 10,
    State.ABANDONED: 5,
}
LIFECYCLE = ["submit", "label", "funding_sought", "funded", "running", "completed", "closed"]
PATHS = {
    State.DRAFT: [],
    State.SUBMITTED: LIFECYCLE[:1],
    State.LABELLED: LIFECYCLE[:2],
    State.REJECTED: ["submit", "reject"],
    State.FUNDING_SOUGHT: LIFECYCLE[:3],
    State.FUNDED: LIFECYCLE[:4],
    State.NOT_FUNDED: LIFECYCLE[:3] + ["not_funded"],
    State.RUNNING: LIFECYCLE[:5],
    State.COMPLETED: LIFECYCLE[:6],
    State.CLOSED: LIFECYCLE,
}
STEP_STATE = {
    "submit": State.SUBMITTED,
    "label": State.LABELLED,
    "reject": State.REJECTED,
    "funding_sought": State.FUNDING_SOUGHT,
    "funded": State.FUNDED,
    "not_funded": State.NOT_FUNDED,
    "running": State.RUNNING,
    "completed": State.COMPLETED,
    "closed": State.CLOSED,
    "abandoned": State.ABANDONED,
}
# The state an abandoned project was in when its consortium gave up, and how often.
ABANDONED_FROM = {
    State.DRAFT: 3,
    State.SUBMITTED: 2,
    State.LABELLED: 2,
    State.FUNDING_SOUGHT: 2,
    State.FUNDED: 1,
    State.RUNNING: 1,
}
# The project's start, in months from this month, so that it rests in its state today.
START_MONTHS = {
    State.DRAFT: (10, 15),
    State.SUBMITTED: (5, 7),
    State.LABELLED: (2, 5),
    State.REJECTED: (-48, 5),
    State.FUNDING_SOUGHT: (1, 4),
    State.FUNDED: (0, 1),
    State.NOT_FUNDED: (-48, 1),
    State.RUNNING: (-40, 0),
}
END_MONTHS = {State.COMPLETED: (-30, 0), State.CLOSED: (-84, -6)}
DURATIONS = [24, 30, 36, 36, 42, 48]
# The projects of the leader's demo account, by the state each rests in.
LEADER_STATES = [State.RUNNING, State.RUNNING, State.COMPLETED, State.FUNDED, State.SUBMITTED]
CO_LABELLED = 0.12  # share of submitted projects submitted to a second pole

CATEGORY_SHARES = {
    "micro": 18,
    "sme": 34,
    "midcap": 10,
    "large": 6,
    "research": 14,
    "school": 8,
    "public": 5,
    "other": 5,
}
# How much an organisation of each category takes part in projects, and how many of its
# people the portal knows.
ACTIVITY = {
    "micro": 0.8,
    "sme": 1.5,
    "midcap": 3,
    "large": 6,
    "research": 5,
    "school": 3,
    "public": 0.7,
    "other": 0.5,
}
PEOPLE = {
    "micro": 1,
    "sme": 2,
    "midcap": 3,
    "large": 5,
    "research": 4,
    "school": 3,
    "public": 2,
    "other": 1,
}
COMPANIES = {"micro", "sme", "midcap", "large"}
FOREIGN_SHARE = 0.03
MEMBERSHIP_SHARES = {
    Membership.Status.CURRENT: 60,
    Membership.Status.NEW: 8,
    Membership.Status.GRACE: 7,
    Membership.Status.EXPIRED: 15,
    Membership.Status.APPLIED: 5,
    Membership.Status.REJECTED: 5,
}
ROLES = [
    (Partner.Role.PARTNER, 75),
    (Partner.Role.ASSOCIATED, 15),
    (Partner.Role.SUBCONTRACTOR, 10),
]
ROLE_FACTOR = {
    Partner.Role.COORDINATOR: 1.3,
    Partner.Role.PARTNER: 1.0,
    Partner.Role.ASSOCIATED: 0.3,
    Partner.Role.SUBCONTRACTOR: 0.25,
}
STAFF_TITLES = [
    "Chargée de mission projets collaboratifs",
    "Chargé d'affaires innovation",
    "Directrice des projets",
    "Responsable adhésions et services aux membres",
    "Chargé de mission Europe",
    "Délégué général",
]

# Public funding a partner asks, as a share of its eligible costs.
AID_RATE = {
    "micro": 0.45,
    "sme": 0.45,
    "midcap": 0.35,
    "large": 0.25,
    "research": 0.5,
    "school": 0.5,
    "public": 0.3,
    "other": 0.3,
}
# Funding schemes: (name, share of projects). Each names the programmes of companies, of
# the others, and of the coordinator (None: as the companies).
SCHEMES = [("fui", 30), ("pspc", 12), ("anr", 18), ("horizon", 10), ("inov", 8), ("region", 22)]
# The demo's programmes the scale uses: key -> (demo funder key, programme name).
DEMO_PROGRAMMES = {
    "fui": ("bpifrance", "FUI"),
    "pspc_grant": ("bpifrance", "PSPC-Régions — subvention"),
    "pspc_advance": ("bpifrance", "PSPC-Régions — avance remboursable"),
    "inov_grant": ("bpifrance", "i-Nov — subvention"),
    "inov_advance": ("bpifrance", "i-Nov — avance remboursable"),
    "seed_loan": ("bpifrance", "Prêt d'amorçage"),
    "anr": ("anr", "ANR PRCE"),
    "ria": ("eu", "Horizon Europe RIA"),
    "ia": ("eu", "Horizon Europe IA"),
    "cir": ("cir", "Crédit d'impôt recherche"),
}
REPORT_SHARES = {"not_started": 15, "draft": 25, "submitted": 20, "returned": 5, "validated": 35}
REPORTS_OPENED = 40  # days ago
# How the summary names the rows written, in its order.
ROW_NAMES = {
    Pole: "poles",
    Theme: "themes",
    CommitteeSession: "committee sessions",
    Funder.reviewers.through: "funder reviewers",
    Person: "people",
    PoleStaff: "pole staff",
    Organisation: "organisations",
    Affiliation: "affiliations",
    Membership: "memberships",
    Campaign: "campaigns",
    Project: "projects",
    Project.themes.through: "project themes",
    Partner: "partners",
    Contact: "contacts",
    Submission: "submissions",
    StateChange: "state changes",
    ExpertAssignment: "expert assignments",
    FundingLine: "funding lines",
    PrivateRound: "private rounds",
    Disbursement: "disbursements",
    Repayment: "repayments",
    MarketLaunch: "launches",
    LaunchRevenue: "launch revenues",
    OutcomeReport: "outcome reports",
    PartnerFigures: "partner figures",
    Group: "groups",
    Person.groups.through: "group memberships",
    ProjectGroupObjectPermission: "project group permissions",
    ProjectUserObjectPermission: "project user permissions",
    PartnerUserObjectPermission: "partner user permissions",
}
# Counts of the summary shown with their average per project.
PER_PROJECT = {"partners", "contacts", "submissions", "funding lines", "disbursements"}
ENDED_WITHIN = Campaign.DEFAULT_ENDED_WITHIN


def scaled(name, projects):
    """The default of ``name`` for ``projects`` projects: the issue's numbers in proportion."""
    value = round(DEFAULTS[name] * projects / DEFAULTS["projects"])
    return max(MINIMUM.get(name, 0), value)


def chooser(rng, weights):
    """A function drawing one of ``weights``' keys in proportion to its weight."""
    keys = list(weights)
    cumulative = list(accumulate(weights[k] for k in keys))
    total = cumulative[-1]

    def choose():
        return keys[bisect_left(cumulative, rng.random() * total)]

    return choose


def spaced(n):
    """``n`` with its thousands apart, the French way: 25 000."""
    return f"{n:,}".replace(",", "\u202f")


def domain_of(name):
    """An e-mail domain made of the first words of ``name`` that say something."""
    kept = [w for w in slug(name).split("-") if w not in STOP_WORDS and len(w) > 1]
    return f"{'-'.join(kept[:3])}.{DOMAIN}"


def check_digit(payload):
    return next(d for d in "0123456789" if luhn_valid(payload + d))


def money(euros):
    return Decimal(int(euros)).quantize(Decimal("0.01"))


def rounded(value, step=100):
    return money(round(value / step) * step)


class Row:
    """A row to write: its values by attname (``project_id``…), like a model instance's."""

    def __init__(self, **values):
        self.__dict__.update(values)

    @property
    def pk(self):
        return self.id


class Table:
    """Writes the rows of one model as they are, like ``bulk_create(batch_size=BATCH)`` but a
    tenth of its cost: one ``executemany`` per batch, the values converted by the fields
    themselves, the pks given from the table's largest (so nothing is read back), and the
    dates written as set (``auto_now`` fields too: the seed dates things when they happened).
    """

    def __init__(self, model):
        self.model = model
        fields = model._meta.concrete_fields
        self.attnames = [f.attname for f in fields]
        # The values a new row holds unless told otherwise; a callable default (now…) must
        # be given.
        self.defaults = {
            f.attname: f.get_default()
            for f in fields
            if not f.primary_key and not (f.has_default() and callable(f.default))
        }
        database = connections[DEFAULT_DB_ALIAS]
        self.converters = [
            (
                partial(f.get_db_prep_save, connection=database)
                if isinstance(f, (models.DateField, models.DecimalField, models.JSONField))
                else None
            )
            for f in fields
        ]
        quote = database.ops.quote_name
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(model._meta.db_table),
            ", ".join(quote(f.column) for f in fields),
            ", ".join(["%s"] * len(fields)),
        )

    def insert(self, rows):
        if not rows:
            return
        # Read each time: the services this command calls (role_group…) add rows too.
        first = (self.model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
        pairs = list(zip(self.attnames, self.converters, strict=True))
        params = []
        for pk, row in enumerate(rows, first):
            row.id = pk
            values = row.__dict__
            params.append(
                [convert(values[name]) if convert else values[name] for name, convert in pairs]
            )
        with connection.cursor() as cursor:
            for start in range(0, len(params), BATCH):
                cursor.executemany(self.sql, params[start : start + BATCH])
            for sql in connection.ops.sequence_reset_sql(no_style(), [self.model]):
                cursor.execute(sql)  # PostgreSQL's sequence follows the pks given


class Timer:
    def __init__(self):
        self.seconds = {}

    @contextmanager
    def __call__(self, phase):
        started = time.monotonic()
        try:
            yield
        finally:
            self.seconds[phase] = self.seconds.get(phase, 0) + time.monotonic() - started


class Scale:
    """Builds the data; ``run()`` writes it, phase by phase and chunk by chunk."""

    def __init__(self, *, projects, poles, organisations, memberships, users, seed):
        self.n_projects, self.n_poles, self.n_organisations = projects, poles, organisations
        # Every organisation is a member somewhere; some of several poles.
        self.n_memberships = max(organisations, min(memberships, organisations * poles))
        self.n_users = users
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.month = self.today.replace(day=1)
        self.timer = Timer()
        # One hash for everyone, salted by the seed: hashing is slow, and the data stays
        # the same from one run to the next.
        self.password = make_password(DEMO_PASSWORD, salt=f"scale{seed}")
        self.emails = set()
        self.names = [
            (first, last)
            for first in FIRST_NAMES + words.MORE_FIRST_NAMES
            for last in LAST_NAMES + words.MORE_LAST_NAMES
        ]
        self.staff_account = Person.objects.get(email__iexact=STAFF_EMAIL)
        self.leader = Person.objects.get(email__iexact=LEADER_EMAIL)
        leader_org = Affiliation.objects.filter(person=self.leader).order_by("pk").first()
        self.leader_org = leader_org.organisation if leader_org else None
        step = (projects - 1) // len(LEADER_STATES)
        self.leader_projects = {1 + k * step: state for k, state in enumerate(LEADER_STATES)}
        project_type = ContentType.objects.get_for_model(Project)
        partner_type = ContentType.objects.get_for_model(Partner)
        perms = Permission.objects.filter(content_type__in=[project_type, partner_type])
        self.perm = {p.codename: p.pk for p in perms}
        self.stats = {}
        self.tables = {}

    # --- helpers -----------------------------------------------------------------------------

    def moment(self, day, hour=10):
        return timezone.make_aware(datetime.combine(day, clock(hour)))

    def clamp(self, day):
        return min(day, self.today)

    def email(self, first, last, domain):
        local = f"{slug(first)}.{slug(last)}".replace("-", "")
        address, n = f"{local}@{domain}", 1
        while address in self.emails:
            n += 1
            address = f"{local}{n}@{domain}"
        self.emails.add(address)
        return address

    def new_people(self, domains, joined):
        """People, one per domain of ``domains``, who joined on ``joined``: their pks."""
        people = []
        for domain in domains:
            first, last = self.rng.choice(self.names)
            people.append(
                self.new(
                    Person,
                    email=self.email(first, last, domain),
                    first_name=first,
                    last_name=last,
                    password=self.password,
                    date_joined=self.moment(joined - timedelta(days=self.rng.randrange(900))),
                )
            )
        self.insert(Person, people)
        return [p.pk for p in people]

    def table(self, model):
        if model not in self.tables:
            self.tables[model] = Table(model)
        return self.tables[model]

    def new(self, model, **values):
        """A row of ``model`` to ``insert``: ``values`` and the model's defaults."""
        return Row(**{**self.table(model).defaults, **values})

    def insert(self, model, rows):
        """Write ``rows`` of ``model`` (and give them their pk), counted for the summary."""
        self.table(model).insert(rows)
        name = ROW_NAMES.get(model, model._meta.model_name)
        self.stats[name] = self.stats.get(name, 0) + len(rows)
        return rows

    # --- the phases ----------------------------------------------------------------------------

    def run(self, out):
        self.out = out
        self.phase("poles, themes, staff and committee sessions", self.create_poles)
        self.phase("funders, programmes and reviewers", self.create_funders)
        self.phase("organisations", self.create_organisations)
        self.phase("people and affiliations", self.create_people)
        self.phase("memberships", self.create_memberships)
        self.phase("reporting campaigns", self.create_campaigns)
        self.create_projects()

    def phase(self, name, function):
        with self.timer(name), transaction.atomic():
            function()
        self.out(f"  {name}: {self.timer.seconds[name]:.1f} s")

    # Poles

    def create_poles(self):
        rng = self.rng
        regions = [code for code in words.REGION_WEIGHTS]
        combos = [(sector, code) for sector in words.SECTORS for code in regions]
        rng.shuffle(combos)
        taken = set(Pole.objects.values_list("name", flat=True))
        poles, self.pole_sectors = [], []
        for sector, code in combos:
            if len(poles) == self.n_poles:
                break
            label = Region(code).label
            prefix = rng.choice(words.POLE_PREFIXES)
            name = f"{prefix} {sector} {label}"
            if name in taken:
                continue
            taken.add(name)
            kind = {"Pôle": "competitiveness", "Cluster": "cluster"}.get(prefix, "regional")
            labelled = kind == "competitiveness"
            extra = [rng.choice(regions)] if rng.random() < 0.3 else []
            pole_regions = list(dict.fromkeys([code, *extra]))
            themes = ", ".join(words.SECTORS[sector][:3]).lower()
            poles.append(
                Pole(
                    name=name,
                    short_name=f"{sector} {label}"[:50],
                    kind=kind,
                    regions=pole_regions,
                    label_start=date(2023, 1, 1) if labelled else None,
                    label_end=date(2026, 12, 31) if labelled else None,
                    strategy=f"Feuille de route 2023-2027 : faire de {label} une référence "
                    f"européenne en {sector.lower()} ({themes}), en associant PME, ETI, "
                    "grands groupes et laboratoires du territoire.",
                )
            )
            self.pole_sectors.append(sector)
        if len(poles) < self.n_poles:
            raise CommandError(f"Only {len(poles)} distinct pole names are available.")
        self.insert(Pole, poles)
        self.poles = poles
        self.pole_ids = [p.pk for p in poles]
        self.pole_regions = [p.regions for p in poles]
        self.pole_labels = [str(p) for p in poles]
        # The first pole is the largest: it holds about 8 % of the projects (2 000 of 25 000),
        # the others less and less.
        first = max(0.083, 1.5 / self.n_poles)
        rest = [(i + 1) ** -0.6 for i in range(1, self.n_poles)]
        weights = [first] + [(1 - first) * w / sum(rest) for w in rest]
        self.pole_weights = dict(enumerate(weights))
        self.choose_pole = chooser(rng, self.pole_weights)

        themes, self.pole_themes = [], []
        for index, sector in enumerate(self.pole_sectors):
            names = rng.sample(words.SECTORS[sector], rng.randint(4, 5))
            themes.append([self.new(Theme, pole_id=poles[index].pk, name=name) for name in names])
        self.insert(Theme, [t for group in themes for t in group])
        self.pole_themes = [[t.pk for t in group] for group in themes]

        counts = [8] + [rng.randint(2, 8) for _ in range(self.n_poles - 1)]
        domains = [
            f"{slug(self.pole_sectors[i])}-{self.pole_regions[i][0].lower()}.{DOMAIN}"
            for i, n in enumerate(counts)
            for _ in range(n)
        ]
        staff = iter(self.new_people(domains, self.today))
        rows, self.pole_staff = [], []
        for index, n in enumerate(counts):
            ids = [next(staff) for _ in range(n)]
            if index == 0:
                ids.append(self.staff_account.pk)
            self.pole_staff.append(ids)
            rows += [
                self.new(
                    PoleStaff,
                    pole_id=self.pole_ids[index],
                    person_id=pk,
                    job_title=STAFF_TITLES[k % 6],
                )
                for k, pk in enumerate(ids)
            ]
        self.insert(PoleStaff, rows)
        self.pole_group = {}
        for pole in poles:
            sync_pole_staff(pole)  # the app's own: the group and its members
            self.pole_group[pole.pk] = role_group("pole", pole.pk, "staff").pk
        self.n_staff = sum(counts)
        self.create_sessions()

    def session_month(self, index, day):
        """The month (as year * 12 + month - 1) of ``index``'s first session on or after
        ``day``: each pole meets every other month."""
        month = day.year * 12 + day.month - 1
        while True:
            if (month + index) % 2 == 0 and self.session_day(index, month) >= day:
                return month
            month += 1

    def session_day(self, index, month):
        return date(month // 12, month % 12 + 1, 8 + (index * 7) % 18)

    def committee(self, index, day):
        return f"Comité de labellisation {self.pole_labels[index]} — {MONTHS_FR[day.month - 1]} {day.year}"

    def create_sessions(self):
        now = self.today.year * 12 + self.today.month - 1
        self.first_session, self.last_session = now - 132, now + 6
        sessions = []
        for index, pole_id in enumerate(self.pole_ids):
            city = words.CITIES[self.pole_regions[index][0]][0]
            for month in range(self.first_session, self.last_session + 1):
                if (month + index) % 2:
                    continue
                day = self.session_day(index, month)
                sessions.append(
                    (
                        (index, month),
                        self.new(
                            CommitteeSession,
                            pole_id=pole_id,
                            name=self.committee(index, day),
                            date=day,
                            location=f"{city}, siège du pôle",
                        ),
                    )
                )
        self.insert(CommitteeSession, [s for _key, s in sessions])
        self.sessions = {key: (s.pk, s.date) for key, s in sessions}

    def session(self, index, day):
        """(pk, date) of the session of pole ``index`` on or after ``day``, or None."""
        month = self.session_month(index, day)
        return self.sessions.get((index, month))

    # Funders

    def create_funders(self):
        rng = self.rng
        existing = {f.name: f for f in Funder.objects.all()}
        created = []

        def funder(name, kind, category):
            if name not in existing:
                new = Funder(name=name, kind=kind, category=category)
                new.full_clean()
                new.save()
                existing[name] = new
                created.append(new)
            return existing[name]

        def programme(owner, name, instrument, description=""):
            found = programme_named(owner, name, instrument)
            if description and not found.description:
                Programme.objects.filter(pk=found.pk).update(description=description)
            return (found.pk, owner.pk, found.instrument)

        self.programmes = {}
        for key, (funder_key, name) in DEMO_PROGRAMMES.items():
            owner = funder(*FUNDERS[funder_key])
            instrument = {
                "pspc_advance": "repayable_advance",
                "inov_advance": "repayable_advance",
                "seed_loan": "loan",
                "cir": "tax_credit",
            }.get(key, "grant")
            self.programmes[key] = programme(owner, name, instrument)
        self.region_programmes, self.feder = {}, {}
        for code in words.REGION_WEIGHTS:
            label = Region(code).label
            owner = funder(f"Région {label}", "public", "region")
            self.region_programmes[code] = [
                programme(owner, name, instrument, description)
                for name, instrument, description in words.REGION_PROGRAMMES
            ]
            eu = funder(f"Union européenne — FEDER {label}", "public", "eu")
            self.feder[code] = programme(eu, *words.FEDER_PROGRAMME)
        self.private = {}
        for name, category, programmes in words.PRIVATE_FUNDERS:
            owner = funder(name, "private", category)
            self.private.setdefault(category, []).extend(
                programme(owner, p_name, instrument) for p_name, instrument in programmes
            )
        # The new funders' reviewers; the demo's keep theirs.
        counts = [rng.randint(2, 4) for _ in created]
        domains = [
            domain_of(f.name) for f, n in zip(created, counts, strict=True) for _ in range(n)
        ]
        reviewers = iter(self.new_people(domains, self.today))
        self.insert(
            Funder.reviewers.through,
            [
                self.new(Funder.reviewers.through, funder_id=f.pk, person_id=next(reviewers))
                for f, n in zip(created, counts, strict=True)
                for _ in range(n)
            ],
        )
        self.n_reviewers = sum(counts)
        self.funder_group = {}
        for owner in existing.values():
            sync_funder(owner)  # the app's own: the group and its members
            self.funder_group[owner.pk] = role_group("funder", owner.pk, "reviewers").pk

    # Organisations

    def identifiers(self, index, country):
        rng = self.rng
        if country != "FR":
            digits = words.FOREIGN[country]
            return {
                "vat_number": country + "".join(str(rng.randrange(10)) for _ in range(digits)),
                "pic": str(rng.randrange(900_000_000, 999_999_999)),
                "country": country,
            }
        # Distinct for each index below ten million, away from the demo's and the tests'.
        payload = str(20_000_000 + (index * 7_919_993 + self.seed) % 10_000_000)
        siren = payload + check_digit(payload)
        nic = f"{siren}{rng.randrange(1, 100):04d}"
        return {"siren": siren, "siret": nic + check_digit(nic), "country": "FR"}

    def organisation_name(self, category, city, country, taken):
        rng = self.rng
        for attempt in range(50):
            number = rng.randrange(1000, 9999)
            discipline = rng.choice(words.DISCIPLINES)
            if category in COMPANIES:
                root = rng.choice(words.NAME_ROOTS) + rng.choice(words.NAME_ENDINGS)
                root = root[0].upper() + root[1:].lower()
                if category == "large":
                    root += " " + rng.choice(words.LARGE_SUFFIXES)
                elif rng.random() < 0.4 or attempt > 2:
                    root += " " + city
                form = (
                    words.FOREIGN_FORMS[country]
                    if country != "FR"
                    else rng.choice(words.COMPANY_FORMS[category])
                )
                name = f"{root} {form}"
                if attempt > 10:
                    name = f"{root} {number} {form}"
            else:
                pattern = rng.choice(
                    {
                        "research": words.RESEARCH_PATTERNS,
                        "school": words.SCHOOL_PATTERNS,
                        "public": words.PUBLIC_PATTERNS,
                        "other": words.OTHER_PATTERNS,
                    }[category]
                )
                name = pattern.format(discipline=discipline.lower(), city=city, number=number)
                name = name[0].upper() + name[1:]
            key = normalise_name(name)
            if key not in taken:
                taken.add(key)
                return name, key
        raise CommandError("Could not find a new organisation name.")

    def create_organisations(self):
        rng = self.rng
        choose_category = chooser(rng, CATEGORY_SHARES)
        choose_region = chooser(rng, words.REGION_WEIGHTS)
        foreign = list(words.FOREIGN)
        taken = set(Organisation.objects.values_list("name_key", flat=True))
        self.org_ids, self.org_names, self.org_categories = [], [], []
        self.org_home, self.org_activity, self.org_regions = [], [], []
        for start in range(0, self.n_organisations, BATCH):
            batch = []
            for index in range(start, min(start + BATCH, self.n_organisations)):
                category = choose_category()
                home = self.choose_pole()
                country = "FR"
                if category in ("sme", "midcap", "large", "research") and rng.random() < 0.07:
                    country = rng.choice(foreign)
                if country != "FR":
                    region, city = Region.ABROAD, rng.choice(words.FOREIGN_CITIES[country])
                else:
                    region = (
                        rng.choice(self.pole_regions[home])
                        if rng.random() < 0.85
                        else choose_region()
                    )
                    city = rng.choice(words.CITIES[region])
                name, key = self.organisation_name(category, city, country, taken)
                low, high = words.HEADCOUNTS[category]
                headcount = int(low + (high - low) * rng.random() ** 3)
                turnover = None
                if category in COMPANIES:
                    turnover = rounded(headcount * rng.uniform(*words.TURNOVER_PER_HEAD), 1000)
                sector = self.pole_sectors[home]
                theme = rng.choice(words.SECTORS[sector]).lower()
                keywords = ", ".join(t.lower() for t in rng.sample(words.SECTORS[sector], 3))
                competences = ", ".join(rng.sample(words.COMPETENCES, 3))
                competences = competences[0].upper() + competences[1:]
                description = rng.choice(words.DESCRIPTIONS).format(name=name, theme=theme)
                organisation = self.new(
                    Organisation,
                    legal_name=name,
                    category=category,
                    headcount=headcount,
                    turnover=turnover,
                    region=region,
                    city=city,
                    naf_code=rng.choice(words.NAF_CODES[category]),
                    competences=competences,
                    keywords=keywords,
                    description=description,
                    website=f"https://www.{domain_of(name)}",
                    directory_consent=rng.random() < 0.85,
                    # As save() computes them, for duplicate detection and the directory.
                    name_key=key,
                    search_text=searchable(name, keywords, competences, city, description),
                    created_at=self.moment(self.today - timedelta(days=rng.randrange(2500))),
                    **self.identifiers(index, country),
                )
                batch.append(organisation)
                self.org_categories.append(category)
                self.org_home.append(home)
                self.org_regions.append(region)
                self.org_activity.append(ACTIVITY[category] * rng.lognormvariate(0, 0.6))
            self.insert(Organisation, batch)
            self.org_ids += [o.pk for o in batch]
            self.org_names += [o.legal_name for o in batch]
        self.org_index = {pk: i for i, pk in enumerate(self.org_ids)}
        if self.leader_org is not None:  # the leader's company joins five projects
            self.leader_index = len(self.org_ids)
            self.org_ids.append(self.leader_org.pk)
            self.org_names.append(self.leader_org.legal_name)
            self.org_categories.append(self.leader_org.category)
            self.org_regions.append(self.leader_org.region)

    # People

    def create_people(self):
        rng = self.rng
        n = self.n_organisations
        self.n_experts = max(3, round(self.n_users * 0.01))
        budget = self.n_users - self.n_staff - self.n_reviewers - self.n_experts
        if budget < n:
            self.out(
                f"  (people raised to {spaced(n + self.n_users - budget)}: the poles' staff, "
                "the funders' reviewers, the experts and one person an organisation)"
            )
            budget = n
        # Everyone belongs to one organisation; the others are spread by size.
        counts = [1] * n
        weights = list(accumulate(PEOPLE[c] for c in self.org_categories[:n]))
        for index in rng.choices(range(n), cum_weights=weights, k=budget - n):
            counts[index] += 1
        self.org_people = []
        for start in range(0, n, BATCH):
            stop = min(start + BATCH, n)
            domains = [
                domain_of(self.org_names[i]) for i in range(start, stop) for _ in range(counts[i])
            ]
            ids = iter(self.new_people(domains, self.today - timedelta(days=30)))
            affiliations = []
            for i in range(start, stop):
                people = [next(ids) for _ in range(counts[i])]
                self.org_people.append(people)
                titles = JOB_TITLES[self.org_categories[i]]
                affiliations += [
                    self.new(
                        Affiliation,
                        person_id=pk,
                        organisation_id=self.org_ids[i],
                        job_title=rng.choice(titles),
                        is_admin=k == 0,
                    )
                    for k, pk in enumerate(people)
                ]
            self.insert(Affiliation, affiliations)
        if self.leader_org is not None:
            self.org_people.append([self.leader.pk])
        domains = []
        for _ in range(self.n_experts):
            domains.append(f"conseil-{rng.choice(words.NAME_ROOTS).lower()}.{DOMAIN}")
        self.experts = self.new_people(domains, self.today - timedelta(days=200))

    # Memberships

    def membership_dates(self, status):
        rng = self.rng
        year_end = date(self.today.year, 12, 31)
        since = date(self.today.year - rng.randrange(2, 9), 1, 1)
        return {
            "applied": (None, None),
            "rejected": (None, None),
            "new": (self.today - timedelta(days=rng.randrange(30, 240)), year_end),
            "current": (since, year_end),
            "grace": (since, self.today - timedelta(days=rng.randrange(20, 80))),
            "expired": (since, self.today - timedelta(days=rng.randrange(200, 500))),
        }[status]

    def create_memberships(self):
        rng = self.rng
        n = self.n_organisations
        pairs = [(i, self.org_home[i]) for i in range(n)]
        seen = set(pairs)
        activity = list(accumulate(self.org_activity[:n]))
        attempts = 0
        while len(pairs) < self.n_memberships and attempts < self.n_memberships * 20:
            attempts += 1
            pair = (rng.choices(range(n), cum_weights=activity)[0], self.choose_pole())
            if pair not in seen:
                seen.add(pair)
                pairs.append(pair)
        choose_status = chooser(rng, MEMBERSHIP_SHARES)
        self.pole_members = [[] for _ in self.pole_ids]
        rows = []
        for i, pole in pairs:
            status = choose_status()
            start, end = self.membership_dates(status)
            rows.append(
                self.new(
                    Membership,
                    organisation_id=self.org_ids[i],
                    pole_id=self.pole_ids[pole],
                    status=status,
                    start_date=start,
                    end_date=end,
                )
            )
            if status not in ("applied", "rejected"):
                self.pole_members[pole].append(i)
        self.insert(Membership, rows)
        # Who takes part in projects: the active organisations more than the others.
        self.member_weights = [
            list(accumulate(self.org_activity[i] for i in members)) for members in self.pole_members
        ]
        self.all_weights = activity

    # Campaigns

    def create_campaigns(self):
        rng = self.rng
        self.campaign_year = self.today.year - 1
        opened = self.today - timedelta(days=REPORTS_OPENED)
        self.reports_opened = opened
        campaigns = [
            self.new(
                Campaign,
                pole_id=pole_id,
                year=self.campaign_year,
                due_date=self.today + timedelta(days=rng.randint(6, 30)),
                message="Merci de renseigner les retombées de l'an dernier : chiffre "
                "d'affaires, emplois, brevets, publications et financements obtenus depuis.",
                opened_by_id=self.pole_staff[index][-1 if index == 0 else 0],
                opened_at=self.moment(opened),
            )
            for index, pole_id in enumerate(self.pole_ids)
        ]
        self.insert(Campaign, campaigns)
        self.campaigns = [c.pk for c in campaigns]

    # Projects, chunk by chunk

    def create_projects(self):
        self.acronyms = set(Project.objects.values_list("acronym", flat=True))
        self.choose_state = chooser(self.rng, STATE_SHARES)
        self.choose_abandoned = chooser(self.rng, ABANDONED_FROM)
        self.choose_role = chooser(self.rng, dict(ROLES))
        self.choose_scheme = chooser(self.rng, dict(SCHEMES))
        self.choose_report = chooser(self.rng, REPORT_SHARES)
        self.ids = {}  # what a benchmark needs
        started = time.monotonic()
        for start in range(0, self.n_projects, CHUNK):
            stop = min(start + CHUNK, self.n_projects)
            with transaction.atomic():
                with self.timer("projects: plans"):
                    plans = [self.plan(i) for i in range(start, stop)]
                self.write_chunk(plans)
            elapsed = time.monotonic() - started
            self.out(
                f"  projects {stop:>6} / {self.n_projects} "
                f"({100 * stop // self.n_projects:>3} %), {elapsed:.0f} s"
            )

    def acronym(self):
        rng = self.rng
        base = rng.choice(words.ACRONYM_ROOTS) + rng.choice(words.ACRONYM_ENDINGS)
        acronym, n = base, 1
        while acronym in self.acronyms:
            n += 1
            acronym = f"{base}{n}"
        self.acronyms.add(acronym)
        return acronym

    def pick(self, members, weights, count, taken):
        """``count`` more organisations among ``members`` (indexes), by activity."""
        rng = self.rng
        chosen = []
        for _ in range(count * 6):
            if len(chosen) == count or not members:
                break
            index = members[bisect_left(weights, rng.random() * weights[-1])]
            if index not in taken:
                taken.add(index)
                chosen.append(index)
        return chosen

    def partners_of(self, lead, size):
        """The organisations (indexes) of a consortium of ``size``, its coordinator first:
        mostly the lead pole's members, a company or a lab coordinating."""
        rng = self.rng
        members, weights = self.pole_members[lead], self.member_weights[lead]
        everyone = range(self.n_organisations)
        for _ in range(10):
            if members and rng.random() < 0.9:
                coordinator = self.pick(members, weights, 1, set())[0]
            else:
                coordinator = rng.choices(everyone, cum_weights=self.all_weights)[0]
            if self.org_categories[coordinator] in COMPANIES | {"research"}:
                break
        taken = {coordinator}
        local = self.pick(members, weights, round((size - 1) * 0.7), taken) if members else []
        chosen = [coordinator, *local]
        while len(chosen) < size:
            index = rng.choices(everyone, cum_weights=self.all_weights)[0]
            if index not in taken:
                taken.add(index)
                chosen.append(index)
        return chosen

    def budget(self, category, role):
        low, high = BUDGET_RANGES[category]
        total = self.rng.randrange(low * 1000, high * 1000, 500) * ROLE_FACTOR[role]
        total = round(total / 500) * 500
        equipment = round(total * 0.18 / 500) * 500
        subcontracting = round(total * 0.10 / 500) * 500
        other = round(total * 0.07 / 500) * 500
        return {
            "personnel_costs": money(total - equipment - subcontracting - other),
            "equipment_costs": money(equipment),
            "subcontracting_costs": money(subcontracting),
            "other_costs": money(other),
            "budget": money(total),
        }

    def dates(self, state, path, lead, basis):
        """Start, end and the date of each step of ``path``, in the past and in order, for a
        project resting in ``basis`` (the state it was abandoned in, if it was); the lead
        pole decides at its committee's session."""
        rng = self.rng
        months = rng.choice(DURATIONS)
        if basis in END_MONTHS:
            end_offset = rng.randint(*END_MONTHS[basis])
            start = add_months(self.month, end_offset - months)
        else:
            low, high = START_MONTHS.get(basis, START_MONTHS[State.DRAFT])
            if state == State.ABANDONED:
                low -= 24
            offset = rng.randint(low, high)
            start = add_months(self.month, offset)
            if basis == State.RUNNING:
                months = max(months, -offset + 2)
        end = add_months(start, months) - timedelta(days=1)
        plan = {
            "created": add_months(start, -10) + timedelta(days=rng.randrange(28)),
            "submit": add_months(start, -7) + timedelta(days=rng.randrange(28)),
            "label": add_months(start, -5) + timedelta(days=12),
            "reject": add_months(start, -5) + timedelta(days=12),
            "funded": add_months(start, -1) + timedelta(days=5),
            "not_funded": add_months(start, -1) + timedelta(days=5),
            "running": start,
            "completed": end,
            "closed": end + timedelta(days=150),
        }
        previous = self.clamp(plan["created"])
        steps = {"created": previous}
        for step in path:
            if step == "funding_sought":
                day = previous + timedelta(days=rng.randint(5, 25))
            elif step == "abandoned":
                day = previous + timedelta(days=rng.randint(45, 300))
            elif step in ("label", "reject"):
                day = max(plan[step], previous)
                session = self.session(lead, day)
                if session and session[1] <= self.today:
                    day = session[1]
            else:
                day = plan[step]
            previous = self.clamp(max(day, previous))
            steps[step] = previous
        return start, end, steps

    def plan(self, i):
        """Everything about project ``i``, as plain data."""
        rng = self.rng
        state = self.choose_state()
        size = rng.randint(4, 12)
        if i == 0:  # the benchmark's detail page: a running project of the largest pole
            state, size = State.RUNNING, 12
        state = self.leader_projects.get(i, state)
        lead = 0 if i == 0 else self.choose_pole()
        basis = state
        if state == State.ABANDONED:
            basis = self.choose_abandoned()
            path = PATHS[basis] + ["abandoned"]
        else:
            path = PATHS[state]
        start, end, steps = self.dates(state, path, lead, basis)
        orgs = self.partners_of(lead, size)
        if i in self.leader_projects and self.leader_org is not None:
            orgs[1] = self.leader_index
        roles = [Partner.Role.COORDINATOR] + [self.choose_role() for _ in orgs[1:]]
        if i in self.leader_projects:
            roles[1] = Partner.Role.PARTNER
        partners = []
        for k, (org, role) in enumerate(zip(orgs, roles, strict=True)):
            people = self.org_people[org]
            contacts = []
            if role == Partner.Role.COORDINATOR:
                leader = people[0] if rng.random() < 0.6 else rng.choice(people)
                contacts.append((leader, Contact.Role.COORDINATOR_CONTACT))
                others = [p for p in people if p != leader]
                if others and rng.random() < 0.25:
                    contacts.append((rng.choice(others), Contact.Role.FINANCIAL_SIGNATORY))
            elif i in self.leader_projects and k == 1:
                contacts.append((self.leader.pk, Contact.Role.PARTNER_CONTACT))
            elif role != Partner.Role.SUBCONTRACTOR or rng.random() < 0.5:
                first = rng.choice(people)
                contacts.append((first, Contact.Role.PARTNER_CONTACT))
                others = [p for p in people if p != first]
                if others and rng.random() < 0.1:
                    contacts.append((rng.choice(others), Contact.Role.PARTNER_CONTACT))
            partners.append(
                {
                    "org": org,
                    "role": role,
                    "costs": self.budget(self.org_categories[org], role),
                    "contacts": contacts,
                }
            )
        poles = [lead]
        if "submit" in steps and self.n_poles > 1 and rng.random() < CO_LABELLED:
            other = rng.randrange(self.n_poles - 1)
            poles.append(other + 1 if other >= lead else other)
        acronym = self.acronym()
        sector = self.pole_sectors[lead]
        obj, use = rng.choice(words.OBJECTS), rng.choice(words.USES)
        title = rng.choice(words.TITLE_PATTERNS).format(
            Verb=rng.choice(words.VERBS), object=obj, use=use, object_cap=obj.capitalize()
        )
        summary = rng.choice(words.SUMMARIES).format(
            acronym=acronym,
            verb=rng.choice(words.VERBS).lower(),
            object=obj,
            use=use,
            n=size,
        )
        trl_start = rng.randint(2, 5)
        plan = {
            "i": i,
            "acronym": acronym,
            "title": title[:255],
            "summary": summary,
            "description": f"{sector} — {summary}\n\n"
            + "\n\n".join(rng.sample(words.DESCRIPTION_PARAGRAPHS, 2)),
            "themes": rng.sample(self.pole_themes[lead], rng.randint(1, 2)),
            "trl": (trl_start, min(9, trl_start + rng.randint(1, 4))),
            "start": start,
            "end": end,
            "state": state,
            "path": path,
            "steps": steps,
            "poles": poles,
            "partners": partners,
            "leader": partners[0]["contacts"][0][0],  # the coordinator contact
        }
        plan["submissions"] = self.plan_submissions(plan)
        plan["labelled_on"] = min(
            (s["decided_on"] for s in plan["submissions"] if s["decision"] == "labelled"),
            default=None,
        )
        return plan

    def plan_submissions(self, plan):
        rng = self.rng
        steps, path = plan["steps"], plan["path"]
        if "submit" not in steps:
            return []
        submissions = []
        for k, pole in enumerate(plan["poles"]):
            staff = self.pole_staff[pole]
            row = {
                "pole": pole,
                "submitted_at": self.moment(steps["submit"]),
                "decision": "pending",
                "decided_on": None,
                "session": None,
                "committee": "",
                "decided_by": None,
                "texts": ("", "", ""),
            }
            decided = steps.get("label") or steps.get("reject")
            if decided:
                labelled = "label" in steps and (k == 0 or rng.random() < 0.8)
                if k == 0:
                    session = self.session(pole, decided)
                    if session and session[1] <= self.today:
                        row["session"], decided = session
                else:
                    decided = self.clamp(decided + timedelta(days=9))
                row["decided_on"] = decided
                row["decision"] = "labelled" if labelled else "rejected"
                row["committee"] = self.committee(pole, decided)
                row["decided_by"] = rng.choice(staff)
                if labelled:
                    row["texts"] = (
                        rng.choice(LABEL_OPINIONS),
                        rng.choice(LABEL_CONDITIONS),
                        rng.choice(STAFF_NOTES),
                    )
                else:
                    row["texts"] = (
                        REJECTION["opinion"],
                        REJECTION["conditions"],
                        REJECTION["notes"],
                    )
            elif path[-1:] == ["abandoned"]:
                row["decision"] = "withdrawn"
            elif rng.random() < 0.6:
                session = self.session(pole, self.today + timedelta(days=1))
                row["session"] = session[0] if session else None
            submissions.append(row)
        # Rejected once every pole has rejected it.
        if "reject" in steps:
            steps["reject"] = max(s["decided_on"] for s in submissions)
        return submissions

    # Writing a chunk

    def write_chunk(self, plans):
        with self.timer("projects: projects, consortia and groups"):
            projects, partners, contacts = self.write_consortia(plans)
        with self.timer("projects: labelling and experts"):
            experts = self.write_labelling(plans, projects)
        with self.timer("projects: funding"):
            funders = self.write_funding(plans, projects, partners)
        with self.timer("projects: launches and outcome reports"):
            self.write_outcomes(plans, projects, partners)
        with self.timer("projects: permissions"):
            self.write_grants(plans, projects, partners, contacts, experts, funders)

    def write_consortia(self, plans):
        projects = []
        for plan in plans:
            steps = plan["steps"]
            leader = plan["leader"]
            last = max(steps.values())
            projects.append(
                self.new(
                    Project,
                    acronym=plan["acronym"],
                    title=plan["title"],
                    public_summary=plan["summary"],
                    description=plan["description"],
                    trl_start=plan["trl"][0],
                    trl_target=plan["trl"][1],
                    start_date=plan["start"],
                    end_date=plan["end"],
                    state=plan["state"],
                    labelled_on=plan["labelled_on"],
                    created_by_id=leader,
                    created_at=self.moment(steps["created"], 9),
                    updated_at=self.moment(last, 11),
                )
            )
        self.insert(Project, projects)
        for plan, project in zip(plans, projects, strict=True):
            if plan["i"] == 0:
                self.ids["detail_project"] = project.pk
            if plan["i"] in self.leader_projects:
                self.ids.setdefault("leader_projects", []).append(project.pk)
        self.insert(
            Project.themes.through,
            [
                self.new(Project.themes.through, project_id=project.pk, theme_id=theme)
                for plan, project in zip(plans, projects, strict=True)
                for theme in plan["themes"]
            ],
        )
        partners = []
        for plan, project in zip(plans, projects, strict=True):
            rows = [
                self.new(
                    Partner,
                    project_id=project.pk,
                    organisation_id=self.org_ids[p["org"]],
                    role=p["role"],
                    **p["costs"],
                )
                for p in plan["partners"]
            ]
            partners.append(rows)
        self.insert(Partner, [p for rows in partners for p in rows])
        contacts = [
            self.new(Contact, partner_id=partner.pk, person_id=person, role=role)
            for plan, rows in zip(plans, partners, strict=True)
            for spec, partner in zip(plan["partners"], rows, strict=True)
            for person, role in spec["contacts"]
        ]
        self.insert(Contact, contacts)
        return projects, partners, contacts

    def write_labelling(self, plans, projects):
        rng = self.rng
        submissions, changes, assignments = [], [], []
        for plan, project in zip(plans, projects, strict=True):
            leader = plan["leader"]
            for row in plan["submissions"]:
                opinion, conditions, notes = row["texts"]
                submissions.append(
                    self.new(
                        Submission,
                        project_id=project.pk,
                        pole_id=self.pole_ids[row["pole"]],
                        submitted_at=row["submitted_at"],
                        decision=row["decision"],
                        decided_on=row["decided_on"],
                        committee=row["committee"],
                        opinion=opinion,
                        conditions=conditions,
                        staff_notes=notes,
                        decided_by_id=row["decided_by"],
                        session_id=row["session"],
                    )
                )
            state = State.DRAFT
            for k, step in enumerate(plan["path"]):
                target = STEP_STATE[step]
                by, comment = leader, ""
                if step in ("label", "reject"):
                    deciding = plan["submissions"][0 if step == "label" else -1]
                    by, comment = deciding["decided_by"], self.pole_labels[deciding["pole"]]
                changes.append(
                    self.new(
                        StateChange,
                        project_id=project.pk,
                        from_state=state,
                        to_state=target,
                        by_id=by,
                        at=self.moment(plan["steps"][step], 10 + k),
                        comment=comment,
                    )
                )
                state = target
            # Experts: asked while the pole decides; their access ends with the decision.
            if not plan["submissions"]:
                continue
            first = plan["submissions"][0]
            pending = first["decision"] == "pending"
            if rng.random() >= (0.7 if pending else 0.25):
                continue
            submitted = plan["steps"]["submit"]
            for expert in rng.sample(self.experts, min(len(self.experts), rng.randint(1, 2))):
                given = not pending or rng.random() < 0.5
                closed = None
                if not pending:  # decided, or withdrawn when the project was abandoned
                    day = first["decided_on"] or plan["steps"].get("abandoned") or submitted
                    closed = self.moment(day, 16)
                assignments.append(
                    self.new(
                        ExpertAssignment,
                        project_id=project.pk,
                        pole_id=self.pole_ids[first["pole"]],
                        expert_id=expert,
                        requested_by_id=self.pole_staff[first["pole"]][0],
                        requested_at=self.moment(self.clamp(submitted + timedelta(days=7))),
                        opinion=rng.choice(LABEL_OPINIONS) if given else "",
                        opinion_given_at=(
                            self.moment(self.clamp(submitted + timedelta(days=21)))
                            if given
                            else None
                        ),
                        closed_at=closed,
                    )
                )
        self.insert(Submission, submissions)
        self.insert(StateChange, changes)
        self.insert(ExpertAssignment, assignments)
        return assignments

    # Funding

    def line_programmes(self, scheme, partner, k, region):
        """The programmes (key tuples) one partner applies to in ``scheme``."""
        rng = self.rng
        category = self.org_categories[partner["org"]]
        company = category in COMPANIES
        regional = self.region_programmes.get(region) or self.region_programmes["ARA"]
        feder = self.feder.get(region) or self.feder["ARA"]
        p = self.programmes
        if scheme == "fui":
            chosen = [p["fui"]] if company else [regional[0]]
            if not company and rng.random() < 0.15:
                chosen.append(feder)
        elif scheme == "pspc":
            chosen = [p["pspc_grant"], p["pspc_advance"]] if company else [regional[0]]
        elif scheme == "anr":
            chosen = [p["anr"]]
        elif scheme == "horizon":
            chosen = [p["ria"] if rng.random() < 0.6 else p["ia"]]
        elif scheme == "inov":
            chosen = [p["inov_grant"], p["inov_advance"]] if k == 0 and company else [regional[0]]
        else:
            chosen = [regional[0]]
            if rng.random() < 0.2:
                chosen.append(feder)
        if company:
            if rng.random() < 0.08:
                chosen.append(p["cir"])
            if rng.random() < 0.05:
                chosen.append(regional[1])
            if rng.random() < 0.04 and "bank" in self.private:
                chosen.append(rng.choice(self.private["bank"]))
            if category in ("micro", "sme") and rng.random() < 0.04:
                chosen.append(rng.choice(self.private["vc"] + [p["seed_loan"]]))
        return list(dict.fromkeys(chosen))

    def requested(self, partner, programme, share):
        budget = partner["costs"]["budget"]
        instrument = programme[2]
        category = self.org_categories[partner["org"]]
        if instrument == "tax_credit":
            amount = float(budget) * 0.3
        elif instrument == "loan":
            amount = float(budget) * self.rng.uniform(0.2, 0.4)
        elif instrument == "equity":
            amount = self.rng.randrange(300_000, 3_000_000)
        else:
            amount = float(budget) * AID_RATE[category] * share
        return max(rounded(amount), money(1000))

    def line_status(self, plan):
        """The status a line of the project has, and its decision date."""
        rng = self.rng
        steps = plan["steps"]
        reached = [s for s in plan["path"] if s != "abandoned"]
        last = reached[-1] if reached else None
        if last == "funding_sought":
            if plan["state"] == State.ABANDONED:
                return FundingLine.Status.WITHDRAWN, None
            return (
                FundingLine.Status.PLANNED if rng.random() < 0.1 else FundingLine.Status.APPLIED
            ), None
        if last == "not_funded":
            if rng.random() < 0.15:
                return FundingLine.Status.WITHDRAWN, None
            return FundingLine.Status.REFUSED, steps["not_funded"]
        decided = steps["funded"]
        draw = rng.random()
        if draw < 0.09:
            return FundingLine.Status.REFUSED, decided
        if draw < 0.12:
            return FundingLine.Status.WITHDRAWN, None
        if last == "closed":
            return FundingLine.Status.CLOSED, decided
        return FundingLine.Status.GRANTED, decided

    def write_funding(self, plans, projects, partners):
        """The lines, their tranches and repayments, the private rounds: returns the funders
        with a line on each project (for the grants)."""
        rng = self.rng
        lines, specs, rounds = [], [], []
        funders = []
        for plan, project, rows in zip(plans, projects, partners, strict=True):
            steps = plan["steps"]
            funders.append(set())
            if "funding_sought" not in steps:
                continue
            scheme = self.choose_scheme()
            number = 0
            for k, (spec, partner) in enumerate(zip(plan["partners"], rows, strict=True)):
                role = spec["role"]
                if role == Partner.Role.SUBCONTRACTOR or (
                    role == Partner.Role.ASSOCIATED and rng.random() < 0.7
                ):
                    continue
                region = self.org_regions[spec["org"]]
                if region not in self.region_programmes:
                    region = self.pole_regions[plan["poles"][0]][0]
                chosen = self.line_programmes(scheme, spec, k, region)
                grants = [c for c in chosen if c[2] in ("grant", "repayable_advance")]
                for programme in chosen:
                    share = 1 / len(grants) if programme in grants else 1
                    requested = self.requested(spec, programme, share)
                    status, decided = self.line_status(plan)
                    granted = None
                    if status in FundingLine.DECIDED:
                        granted = rounded(float(requested) * rng.choice([1, 0.95, 0.9, 0.85]))
                    number += 1
                    line = self.new(
                        FundingLine,
                        project_id=project.pk,
                        partner_id=partner.pk,
                        programme_id=programme[0],
                        funder_id=programme[1],
                        amount_requested=requested,
                        amount_granted=granted,
                        status=status,
                        decision_date=decided if status in FundingLine.DATED else None,
                        created_at=self.moment(steps["funding_sought"]),
                    )
                    lines.append(line)
                    specs.append((plan, number, programme[2]))
                    funders[-1].add(programme[1])
            if plan["state"] in (State.RUNNING, State.COMPLETED, State.CLOSED):
                for spec, partner in zip(plan["partners"], rows, strict=True):
                    category = self.org_categories[spec["org"]]
                    if category in PrivateRound.NOT_COMPANIES or rng.random() > 0.07:
                        continue
                    closed_on = self.clamp(
                        add_months(plan["start"], rng.randint(3, 30)) + timedelta(days=14)
                    )
                    rounds.append(
                        self.new(
                            PrivateRound,
                            partner_id=partner.pk,
                            kind=rng.choice(PrivateRound.Kind.values),
                            amount=rounded(rng.randrange(200_000, 5_000_000), 10_000),
                            investors=rng.choice(words.INVESTORS),
                            closed_on=max(closed_on, plan["start"]),
                        )
                    )
        self.insert(FundingLine, lines)
        self.insert(PrivateRound, rounds)
        tranches, repayments = [], []
        for line, (plan, number, instrument) in zip(lines, specs, strict=True):
            if line.status not in FundingLine.DECIDED:
                continue
            tranches += self.tranches(line, plan, number, instrument)
            if instrument in ("repayable_advance", "loan"):
                repayments += self.repayments(line, plan, instrument)
        self.insert(Disbursement, tranches)
        self.insert(Repayment, repayments)
        return funders

    def tranches(self, line, plan, number, instrument):
        """As the demo pays them: a grant or an advance in three tranches (an advance after the
        decision, an interim payment a year into the project, the balance after its end), the
        rest at once; those due are paid a dozen days later, but a few left late."""
        decided, granted = line.decision_date, line.amount_granted
        if instrument in ("loan", "equity", "tax_credit"):
            schedule = [(Disbursement.Kind.FINAL, granted, decided + timedelta(days=30))]
        else:
            advance = rounded(float(granted) * 0.3)
            interim = rounded(float(granted) * 0.4)
            schedule = [
                (Disbursement.Kind.PRE_FINANCING, advance, decided + timedelta(days=20)),
                (
                    Disbursement.Kind.INTERIM,
                    interim,
                    max(add_months(plan["start"], 12), decided + timedelta(days=60)),
                ),
                (
                    Disbursement.Kind.FINAL,
                    granted - advance - interim,
                    plan["end"] + timedelta(days=120),
                ),
            ]
        rows = []
        for n, (kind, amount, day) in enumerate(schedule, 1):
            late = line.status == FundingLine.Status.GRANTED and self.rng.random() < 0.02
            paid = self.clamp(day + timedelta(days=12)) if day < self.today and not late else None
            rows.append(
                self.new(
                    Disbursement,
                    line_id=line.pk,
                    kind=kind,
                    amount=amount,
                    scheduled_date=day,
                    paid_date=paid,
                    reference=f"{plan['acronym']}-{number:03d}-V{n}",
                )
            )
        return rows

    def repayments(self, line, plan, instrument):
        if instrument == "repayable_advance":
            count, months, first = 4, 12, add_months(plan["end"], 13)
        else:
            count, months, first = 8, 3, add_months(line.decision_date, 12)
        instalment = money(int(line.amount_granted / count / 100) * 100)
        if not instalment:
            count, instalment = 1, line.amount_granted
        rows = []
        for n in range(count):
            amount = instalment if n < count - 1 else line.amount_granted - instalment * (count - 1)
            due = add_months(first, n * months)
            paid = due + timedelta(days=5)
            rows.append(
                self.new(
                    Repayment,
                    line_id=line.pk,
                    amount=amount,
                    due_date=due,
                    paid_date=paid if paid <= self.today else None,
                )
            )
        return rows

    # Launches and outcome reports

    def write_outcomes(self, plans, projects, partners):
        rng = self.rng
        launches, revenues_of = [], []
        reports, figures_of = [], []
        for plan, project, rows in zip(plans, projects, partners, strict=True):
            state = plan["state"]
            companies = [
                (spec, partner)
                for spec, partner in zip(plan["partners"], rows, strict=True)
                if self.org_categories[spec["org"]] in COMPANIES
            ]
            count = 0
            if state in (State.COMPLETED, State.CLOSED):
                count = (rng.random() < 0.45) + (rng.random() < 0.15)
            elif state == State.RUNNING:
                count = int(rng.random() < 0.1)
            for _ in range(count if companies else 0):
                spec, partner = companies[0] if rng.random() < 0.5 else rng.choice(companies)
                earliest = add_months(plan["start"], 6)
                if earliest >= self.today:
                    break
                latest = self.clamp(add_months(plan["end"], 30))
                launched = earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))
                markets = ["FR"] + rng.sample(words.MARKETS, rng.randint(0, 4))
                name = f"{rng.choice(words.PRODUCT_ROOTS)}{rng.choice(words.PRODUCT_ENDINGS)}"
                launches.append(
                    self.new(
                        MarketLaunch,
                        project_id=project.pk,
                        partner_id=partner.pk,
                        name=f"{name} {rng.randint(1, 9)}00",
                        kind=rng.choice(MarketLaunch.Kind.values),
                        description=rng.choice(words.LAUNCH_DESCRIPTIONS),
                        launch_date=launched,
                        markets=markets,
                        trl_reached=rng.randint(max(7, plan["trl"][1]), 9),
                        created_at=self.moment(launched, 15),
                    )
                )
                base = rng.randrange(50_000, 2_000_000)
                revenue = {}
                for year in range(launched.year, self.today.year + 1):
                    share = 1 if year < self.today.year else self.today.month / 12
                    if year == launched.year:
                        share *= (13 - launched.month) / 12
                    revenue[year] = rounded(base * share)
                    base *= rng.uniform(1.0, 1.6)
                revenues_of.append(revenue)
            reports += self.plan_reports(plan, project, rows, figures_of)
        self.insert(MarketLaunch, launches)
        self.insert(
            LaunchRevenue,
            [
                self.new(LaunchRevenue, launch_id=launch.pk, year=year, amount=amount)
                for launch, revenue in zip(launches, revenues_of, strict=True)
                for year, amount in revenue.items()
                if amount > 0
            ],
        )
        self.insert(OutcomeReport, [r for r, _f in reports])
        figures = []
        for report, rows in reports:
            for row in rows:
                row.report_id = report.pk
                figures.append(row)
        self.insert(PartnerFigures, figures)

    def in_scope(self, plan):
        """Asked by last year's campaign: running, or ended within its years (campaign_scope)."""
        if plan["state"] == State.RUNNING:
            return True
        year = self.campaign_year
        return plan["state"] in (State.COMPLETED, State.CLOSED) and (
            date(year - ENDED_WITHIN, 1, 1) <= plan["end"] <= date(year, 12, 31)
        )

    def plan_reports(self, plan, project, rows, figures_of):
        rng = self.rng
        if not self.in_scope(plan):
            return []
        reports = []
        leader = plan["leader"]
        for submission in plan["submissions"]:
            if submission["decision"] != "labelled":
                continue
            pole = submission["pole"]
            state = self.choose_report()
            staff = self.pole_staff[pole][0]
            opened = self.reports_opened
            report = self.new(
                OutcomeReport, campaign_id=self.campaigns[pole], project_id=project.pk
            )
            figures = []
            for k, (spec, partner) in enumerate(zip(plan["partners"], rows, strict=True)):
                row = self.new(PartnerFigures, partner_id=partner.pk)
                # What snapshot() reads of the partner: its organisation's name.
                row.partner = Row(organisation=self.org_names[spec["org"]])
                filled = state != "not_started" and (state != "draft" or rng.random() < 0.5)
                if filled:
                    day = self.clamp(opened + timedelta(days=2 + k))
                    by = spec["contacts"][0][0] if spec["contacts"] else leader
                    self.fill(row, spec, partner, by, day)
                    if state in ("submitted", "validated") or (
                        state == "draft" and rng.random() < 0.5
                    ):
                        row.completed_at = self.moment(day, 17)
                figures.append(row)
            figures.sort(key=lambda row: row.partner.organisation)
            if state != "not_started":
                report.started_at = self.moment(self.clamp(opened + timedelta(days=2)))
                report.narrative = rng.choice(words.NARRATIVES)
            if state in ("submitted", "validated", "returned"):
                report.spin_offs = int(rng.random() < 0.1)
                submitted = self.clamp(opened + timedelta(days=rng.randint(15, 30)))
                report.submitted_at, report.submitted_by_id = self.moment(submitted), leader
                report.submitted_figures = snapshot(report, figures)
                report.version = 2
                if state != "submitted":
                    report.state = state
                    report.reviewed_at = self.moment(self.clamp(submitted + timedelta(days=8)))
                    report.reviewed_by_id = staff
                    report.version = 3
                else:
                    report.state = state
                if state == "returned":
                    report.review_comments = rng.choice(words.REVIEW_COMMENTS)
            reports.append((report, figures))
        return reports

    def fill(self, row, spec, partner, by, day):
        rng = self.rng
        share, export, created, kept, filed, granted, papers = OUTCOME_FIGURES[
            self.org_categories[spec["org"]]
        ]
        noise = rng.uniform(0.5, 1.5)
        row.revenue = rounded(float(partner.budget) * float(share) * noise)
        row.export_share = Decimal(export).quantize(Decimal("0.01"))
        row.jobs_created = (Decimal(created) * Decimal(round(noise, 1))).quantize(Decimal("0.1"))
        row.jobs_maintained = Decimal(kept).quantize(Decimal("0.1"))
        row.patents_filed, row.patents_granted, row.publications = filed, granted, papers
        row.follow_on_funding = money(0)
        row.updated_at, row.updated_by_id = self.moment(day, 15), by

    # Permissions: the rows sync_project writes, in bulk

    def write_grants(self, plans, projects, partners, contacts, experts, funders):
        VIEW, CHANGE = project_permissions.VIEW, project_permissions.CHANGE
        LABEL, OPINION = project_permissions.LABEL, project_permissions.OPINION
        perm = self.perm
        groups = []
        for project in projects:
            groups.append(self.new(Group, name=f"project:{project.pk}:consortium"))
            groups.append(self.new(Group, name=f"project:{project.pk}:leaders"))
        self.insert(Group, groups)
        members, group_rows, user_rows, partner_rows = [], [], [], []
        by_partner = {}
        for contact in contacts:
            by_partner.setdefault(contact.partner_id, []).append(contact)
        for n, (plan, project, rows) in enumerate(zip(plans, projects, partners, strict=True)):
            consortium, leaders = groups[2 * n].pk, groups[2 * n + 1].pk
            people, leading = set(), set()
            for partner in rows:
                for contact in by_partner.get(partner.pk, []):
                    people.add(contact.person_id)
                    if contact.role == Contact.Role.COORDINATOR_CONTACT:
                        leading.add(contact.person_id)
                    partner_rows.append(
                        self.new(
                            PartnerUserObjectPermission,
                            user_id=contact.person_id,
                            permission_id=perm[project_permissions.CHANGE_PARTNER],
                            content_object_id=partner.pk,
                        )
                    )
            members += [(person, consortium) for person in sorted(people)]
            members += [(person, leaders) for person in sorted(leading)]
            wanted = [(consortium, VIEW), (leaders, VIEW), (leaders, CHANGE)]
            for row in plan["submissions"]:
                if row["decision"] != "withdrawn":
                    staff = self.pole_group[self.pole_ids[row["pole"]]]
                    wanted += [(staff, VIEW), (staff, LABEL)]
            wanted += [(self.funder_group[f], VIEW) for f in sorted(funders[n])]
            group_rows += [
                self.new(
                    ProjectGroupObjectPermission,
                    group_id=group,
                    permission_id=perm[codename],
                    content_object_id=project.pk,
                )
                for group, codename in dict.fromkeys(wanted)
            ]
        for assignment in experts:
            if assignment.closed_at is None:
                user_rows += [
                    self.new(
                        ProjectUserObjectPermission,
                        user_id=assignment.expert_id,
                        permission_id=perm[codename],
                        content_object_id=assignment.project_id,
                    )
                    for codename in (VIEW, OPINION)
                ]
        through = Person.groups.through
        self.insert(
            through,
            [self.new(through, person_id=person, group_id=group) for person, group in members],
        )
        self.insert(ProjectGroupObjectPermission, group_rows)
        self.insert(ProjectUserObjectPermission, user_rows)
        self.insert(PartnerUserObjectPermission, partner_rows)

    # What a benchmark needs

    def benchmark_ids(self):
        largest = (
            Pole.objects.filter(pk__in=self.pole_ids)
            .annotate(
                submitted=Count(
                    "submissions", filter=~Q(submissions__decision=Submission.Decision.WITHDRAWN)
                )
            )
            .order_by("-submitted", "pk")
            .first()
        )
        detail = Project.objects.get(pk=self.ids["detail_project"])
        generated = Contact.objects.filter(person__email__endswith=f".{DOMAIN}")
        leading = Q(role=Contact.Role.COORDINATOR_CONTACT)
        member = (
            generated.values("person")
            .annotate(
                projects=Count("partner__project", distinct=True),
                leading=Count("pk", filter=leading),
            )
            .filter(projects=5, leading=0)
            .order_by("person")
            .first()
        )
        member_email = Person.objects.get(pk=member["person"]).email if member is not None else None
        leader_projects = (
            Project.objects.filter(partners__contact_rows__person=self.leader).distinct().count()
        )
        return {
            "seed": self.seed,
            "projects": self.n_projects,
            "password": DEMO_PASSWORD,
            "largest_pole": {
                "id": largest.pk,
                "name": largest.name,
                "projects": largest.submitted,
                "staff": STAFF_EMAIL,
            },
            "detail_project": {
                "id": detail.pk,
                "acronym": detail.acronym,
                "partners": detail.partners.count(),
                "pole": self.pole_ids[0],
            },
            "member": {"email": member_email, "projects": 5 if member else None},
            "leader": {
                "email": LEADER_EMAIL,
                "scale_projects": self.ids["leader_projects"],
                "projects": leader_projects,
            },
            "pole_ids": self.pole_ids,
        }


class Command(BaseCommand):
    help = (
        "Seed national-scale data on top of the demo for benchmarks (issue 8): poles, "
        "organisations, people, memberships, projects with their consortia, labelling, "
        "funding, launches and reports. Refuses to run when DEBUG is off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--projects", type=int, default=DEFAULTS["projects"], help="Projects (25 000)."
        )
        for name in ("poles", "organisations", "memberships", "users"):
            parser.add_argument(
                f"--{name}",
                type=int,
                help=f"{name.title()} ({DEFAULTS[name]:,} for 25 000 projects; in proportion "
                "to --projects otherwise).",
            )
        parser.add_argument("--seed", type=int, default=SEED, help="Random seed (2026).")
        parser.add_argument("--force", action="store_true", help="Seed even though DEBUG is off.")
        parser.add_argument(
            "--output",
            default=str(OUTPUT),
            help="Where to write the ids a benchmark needs, as JSON ('' to write none).",
        )

    def handle(self, *args, force=False, output="", seed=SEED, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_scale creates accounts whose password is 'demo': it refuses to run when "
                "DEBUG is off. Pass --force if this really is a benchmark installation."
            )
        projects = options["projects"]
        if projects < MINIMUM["projects"]:
            raise CommandError(f"Seed at least {MINIMUM['projects']} projects.")
        sizes = {
            name: options[name] if options[name] is not None else scaled(name, projects)
            for name in ("poles", "organisations", "memberships", "users")
        }
        if sizes["poles"] < MINIMUM["poles"] or sizes["organisations"] < MINIMUM["organisations"]:
            raise CommandError("Seed at least 3 poles and 40 organisations.")
        if Person.objects.filter(email__endswith=f".{DOMAIN}").exists():
            raise CommandError(
                "The scale data is already seeded: seed it into a database holding the demo only."
            )
        if not Person.objects.filter(email__iexact=STAFF_EMAIL).exists():
            if Person.objects.exists():
                raise CommandError(
                    "seed_scale runs on top of the demo: run `manage.py seed_demo` first, in an "
                    "empty database."
                )
            self.stdout.write("The database is empty: seeding the demo first.")
            call_command("seed_demo", stdout=self.stdout)
        started = time.monotonic()
        self.stdout.write(
            f"Seeding {spaced(projects)} projects, {sizes['poles']} poles, "
            f"{spaced(sizes['organisations'])} organisations, "
            f"{spaced(sizes['memberships'])} memberships and {spaced(sizes['users'])} people "
            f"(seed {seed}):"
        )
        scale = Scale(projects=projects, seed=seed, **sizes)
        scale.run(self.stdout.write)
        snapshots.changed(everything=True)  # written without save(): no figure kept is current
        if connection.vendor == "postgresql":
            # Planner statistics for the rows just written (autovacuum would take a while):
            # without them PostgreSQL plans the next queries as if the tables were empty.
            with scale.timer("analyze"), connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        with scale.timer("benchmark ids"):
            ids = scale.benchmark_ids()
        if output:
            path = Path(output)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(ids, indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(self.summary(scale, ids, time.monotonic() - started, output))

    def summary(self, scale, ids, elapsed, output):
        projects = scale.n_projects
        lines = ["Time by phase:"]
        lines += [f"  {name:<46}{seconds:>7.1f} s" for name, seconds in scale.timer.seconds.items()]
        lines.append(f"Scale seeded in {elapsed:.1f} s ({elapsed / 60:.1f} min). Rows written:")
        for name, count in scale.stats.items():
            average = f"  ({count / projects:.1f} a project)" if name in PER_PROJECT else ""
            lines.append(f"  {name:<26}{spaced(count):>10}{average}")
        pole, detail = ids["largest_pole"], ids["detail_project"]
        lines += [
            f"Largest pole: #{pole['id']} {pole['name']} ({spaced(pole['projects'])} projects), "
            f"its staff {pole['staff']}.",
            f"A project of {detail['partners']} partners: #{detail['id']} {detail['acronym']}.",
            f"A member of 5 projects: {ids['member']['email']}.",
            f"{LEADER_EMAIL}: partner contact in 5 more projects ({ids['leader']['projects']} "
            "in all).",
            f'Every generated person signs in with the password "{DEMO_PASSWORD}".',
        ]
        if output:
            lines.append(f"Ids written to {output}.")
        return "\n".join(lines)
