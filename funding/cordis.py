"""EU research projects imported from CORDIS, the EU's open data on the projects it funds, so
that a pole sees the European projects of its members (``manage.py import_cordis``).

The input is a release's ``project.csv`` and ``organization.csv`` as the EU open-data portal
publishes them. What the import decides, so that staff can predict it:

Reading the files
- ``;``-separated, UTF-8 (a BOM is fine), fields quoted or not, text fields over several lines.
  Columns are found by their header (case ignored), in any order; unknown columns are ignored.
  A file lacking a column the import needs is refused before anything is written, the message
  naming the missing columns (``FileRefused``).
- The published files have a defect: inside a quoted text, some ``"`` are not doubled
  (``to "play around" with``). So a quote closes a quoted field only when a ``;`` or the end of
  the record follows it; any other quote is part of the text. A record goes on over the next
  lines while a quoted field is open, up to a line that starts as records do (a number and a
  ``;``) or ``MAX_RECORD`` characters: then the record is bad (a quote never closed) and
  reading goes on with its next line. A record with another number of fields than the header
  is a bad row.
- Amounts take a decimal point or a decimal comma (``228437.5``, ``491873,75``), as the releases
  differ; an empty amount is 0; amounts are Decimals, never floats. Dates are ``YYYY-MM-DD``
  (a time after them is ignored) or ``dd/mm/yyyy``; an empty date is no date.
- A bad row (field count, amount, date, status, role, encoding) is reported with its file and
  line number and skipped; everything else is imported. With ``strict``, the whole run is one
  transaction: the first bad row stops it and nothing at all is written.

Memory: bounded whatever the size of the files
- First pass: organization.csv is read row by row; each row is checked and its byte offset
  filed under its project id in a temporary SQLite index on disk (deleted at the end).
  Second pass: project.csv is read row by row, and each project's organisation rows are read
  back from their offsets. Neither file needs to be sorted. The CORDIS ids of the projects
  already in Grappe go to the index too. What stays in memory: one record, one project with
  its rows, and the identifiers (PIC, VAT, SIREN, name) of the poles' member organisations,
  which tell at once that most projects are not theirs.

Which projects
- By default, a project is imported when one of its participants is an active member (new,
  current or in grace) of a pole, or when an earlier import brought it (it is kept up to date
  even once that member has left). ``import_all`` (``--all``) imports every project.
- Organisation rows of a project missing from project.csv are counted and left aside.

Organisations
- A participant is the organisation of Grappe with its PIC (``organisationID``), else with its
  VAT number (spaces and dots dropped), else with the SIREN inside a French VAT number
  (``FRkk`` + SIREN), else with its normalised name (``Organisation.name_key``) in the same
  country, provided that organisation has no other PIC, VAT number or SIREN. When several
  share that name, the participation is skipped and reported (no guess, no third duplicate).
- An organisation found gets the PIC and VAT number it lacked (reported); nothing else of it
  changes. The others are created: legal name, category from ``activityType`` and ``SME`` (PRC
  and SME → SME, PRC → large company, HES → school or university, REC → research, PUB →
  public body, OTH or none → other), country, city, region (from the NUTS code in France;
  outside France otherwise), PIC, VAT number, SIREN (from a French VAT number), website, not
  in the public directory. A French organisation whose SIREN the file does not give is created
  without it (its PIC identifies it; the SIREN is asked when someone edits it); every other
  rule of ``Organisation`` holds, and one that cannot be kept skips the participation.

Projects, partners and funding
- A project is keyed by its CORDIS id (``Project.cordis_id``). Acronym, title (cut to 255
  characters), objective as the public summary, start and end dates, state from ``status``:
  SIGNED → funded before its start, completed after its end, running in between; CLOSED →
  closed; TERMINATED → abandoned. Moves of state are recorded (``StateChange``, nobody's).
  The project is not labelled (not public), has no theme and no consortium contact: nobody
  leads it in Grappe.
- Partners are keyed by organisation. Roles: coordinator → coordinator; participant, partner
  or beneficiary → partner; associatedPartner → associated partner; thirdParty (an affiliated
  entity doing part of the work, paid through its beneficiary) → associated partner too. A
  second coordinator row becomes a partner, a second row of the same organisation is skipped
  (both reported). The participant's ``totalCost`` goes to
  the partner's other costs (CORDIS gives no breakdown), so the partners' budgets add up to
  the project's total cost. A partner no longer in the file is removed, unless a row of the
  project was bad, or the file has no row at all for the project, or something recorded in
  Grappe depends on it (then kept, reported).
- A participant with an ``ecContribution`` above 0 gets a granted funding line from the funder
  "European Union" (category EU, created if missing), programme "<frameworkProgramme> —
  <fundingScheme>" (a grant), requested and granted = ``ecContribution``, decided on
  ``ecSignatureDate`` (else ``startDate``; neither: no line, reported). A linked third party's
  money is in its beneficiary's contribution, so it has no line of its own. One such line per
  partner: a new release moves it to its new programme and amount; it is deleted when the
  contribution falls to 0, unless disbursements were recorded on it.

Writing
- Each project (its new organisations, partners, lines and permissions) is written in its own
  transaction: a project that breaks a rule of the models is reported with its line and
  skipped, the others are written. A dry run does the same in one transaction rolled back at
  the end, and reports what would change. Re-running the import on the same files changes
  nothing: every project, partner and line comes out "unchanged".

Who sees the projects
- ``cordis_member_grants``: the staff of every pole of which a partner is an active member
  see the project (its confidential part included). Recomputed by ``sync_project`` at each
  import and by ``manage.py rebuild_permissions``: a membership that starts or ends changes
  that access at the next import or rebuild. Anyone else gets a 404, as for any project.
"""

# The one module of projects that imports funding: a project from CORDIS comes with its EU
# funding, and both are written in one transaction.
import collections
import contextlib
import datetime
import re
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.imports import CSV_KIND, CellError, FileRefused, parse_amount, parse_date, sniff_kind
from portal.models import Membership, Organisation, Region
from portal.modelutils import claim_version
from portal.permissions import ACTIVE_MEMBERSHIP, active_members, role_group
from portal.services import create_organisation
from portal.validators import normalise_identifier, normalise_name, validate_siren
from projects.models import Partner, Project, State, StateChange
from projects.permissions import VIEW, grant_provider, sync_project
from projects.signals import partner_leaving

from .models import Funder, FundingLine
from .services import programme_named

ZERO, CENT = Decimal("0.00"), Decimal("0.01")
# Partners and funding lines skip Django's check of their constraints (a query each): the import
# keeps them by construction (one row per organisation, one coordinator, amounts >= 0, one line
# per partner), and the database enforces them all the same (a breach fails the project).
FAST_CLEAN = {"validate_constraints": False}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PLAIN_AMOUNT = re.compile(r"\d{1,12}(?:[.,]\d{1,6})?")
MAX_RECORD = 1_000_000  # characters: a longer record is a quote never closed, not data
FUNDER_NAME = "European Union"
IMPORT_COMMENT = "CORDIS"

PROJECT_FILE, ORGANISATION_FILE = "project.csv", "organization.csv"
PROJECT_COLUMNS = [
    "id",
    "acronym",
    "status",
    "title",
    "startDate",
    "endDate",
    "frameworkProgramme",
    "fundingScheme",
    "objective",
]
PROJECT_OPTIONAL = ["ecSignatureDate"]
ORGANISATION_COLUMNS = [
    "projectID",
    "organisationID",
    "vatNumber",
    "name",
    "SME",
    "activityType",
    "country",
    "role",
    "ecContribution",
    "totalCost",
]
ORGANISATION_OPTIONAL = ["city", "nutsCode", "organizationURL"]

Category = Organisation.Category
Role = Partner.Role
CATEGORIES = {
    "PRC": Category.LARGE,  # an SME's row says so with SME=true
    "HES": Category.SCHOOL,
    "REC": Category.RESEARCH,
    "PUB": Category.PUBLIC,
    "OTH": Category.OTHER,
    "": Category.OTHER,
}
ROLES = {
    "coordinator": Role.COORDINATOR,
    "participant": Role.PARTNER,
    "partner": Role.PARTNER,
    "beneficiary": Role.PARTNER,
    "associatedpartner": Role.ASSOCIATED,
    "thirdparty": Role.ASSOCIATED,
}
STATUSES = {"SIGNED", "CLOSED", "TERMINATED"}
TRUE, FALSE = {"true", "1", "yes", "y"}, {"false", "0", "no", "n", ""}

# NUTS codes of French regions, those of 2016 onwards and those of 2013 (older releases).
NUTS_REGIONS = {
    "FR1": Region.IDF,
    "FRB": Region.CVL,
    "FRC": Region.BFC,
    "FRD": Region.NORMANDIE,
    "FRE": Region.HDF,
    "FRF": Region.GRAND_EST,
    "FRG": Region.PDL,
    "FRH": Region.BRETAGNE,
    "FRI": Region.NA,
    "FRJ": Region.OCCITANIE,
    "FRK": Region.AURA,
    "FRL": Region.PACA,
    "FRM": Region.CORSE,
    "FRY1": Region.GUADELOUPE,
    "FRY2": Region.MARTINIQUE,
    "FRY3": Region.GUYANE,
    "FRY4": Region.REUNION,
    "FRY5": Region.MAYOTTE,
    "FR21": Region.GRAND_EST,
    "FR22": Region.HDF,
    "FR23": Region.NORMANDIE,
    "FR24": Region.CVL,
    "FR25": Region.NORMANDIE,
    "FR26": Region.BFC,
    "FR30": Region.HDF,
    "FR41": Region.GRAND_EST,
    "FR42": Region.GRAND_EST,
    "FR43": Region.BFC,
    "FR51": Region.PDL,
    "FR52": Region.BRETAGNE,
    "FR53": Region.NA,
    "FR61": Region.NA,
    "FR62": Region.OCCITANIE,
    "FR63": Region.NA,
    "FR71": Region.AURA,
    "FR72": Region.AURA,
    "FR81": Region.OCCITANIE,
    "FR82": Region.PACA,
    "FR83": Region.CORSE,
    "FR91": Region.GUADELOUPE,
    "FR92": Region.MARTINIQUE,
    "FR93": Region.GUYANE,
    "FR94": Region.REUNION,
    "FRA1": Region.GUADELOUPE,
    "FRA2": Region.MARTINIQUE,
    "FRA3": Region.GUYANE,
    "FRA4": Region.REUNION,
    "FRA5": Region.MAYOTTE,
}


class BadRow(ValueError):
    """A row that cannot be imported: ``message`` says why, naming its file and line."""


class StrictStop(FileRefused):
    """A bad row met with ``strict``: nothing is written."""


# --- reading the files --------------------------------------------------------------------------

# A quoted field: doubled quotes, and quotes followed by neither ";" nor the end of the record,
# are text. Possessive quantifiers: a quote never closed fails at once, without backtracking.
QUOTED = re.compile(r'"((?:[^"]++|""|"(?!;|\Z))*+)"(?=;|\Z)', re.S)
RECORD_START = re.compile(r'"?\d+"?;')  # both files start each record with a numeric id


def split_record(text, width=None):
    """The fields of one record and whether its last field was quoted; ``None`` for the fields
    while a quoted field is still open (the record goes on on the next line)."""
    if '"' not in text:
        return text.split(";"), False
    if width and text[0] == text[-1] == '"' and text.count('"') == 2 * width:
        # Every field quoted, no quote inside (the published files' usual row): quicker.
        fields = text[1:-1].split('";"')
        if len(fields) == width:
            return fields, True
    fields, pos, end = [], 0, len(text)
    while True:
        if text.startswith('"', pos):
            match = QUOTED.match(text, pos)
            if match is None:
                return None, True
            fields.append(match.group(1).replace('""', '"'))
            pos, quoted = match.end(), True
        else:
            stop = text.find(";", pos)
            stop = end if stop < 0 else stop
            fields.append(text[pos:stop])
            pos, quoted = stop, False
        if pos >= end:
            return fields, quoted
        pos += 1  # the separator


@dataclass
class Record:
    line: int  # where the record starts, the header being line 1
    offset: int  # in bytes, where the record starts
    end: int  # in bytes, just after the record
    fields: list | None
    error: str = ""


@dataclass
class _Line:
    number: int
    offset: int
    end: int
    text: str | None  # None: not UTF-8


class CsvRecords:
    """The records of one CORDIS CSV file (a binary file object), read a line at a time."""

    def __init__(self, file, name):
        self.file, self.name = file, name
        self.file.seek(0, 2)
        self.size = self.file.tell()
        self.file.seek(0)
        if not self.size:
            raise FileRefused(_("%(file)s is empty.") % {"file": name}, code="empty")
        if sniff_kind(self.file) != CSV_KIND:
            raise FileRefused(
                _("%(file)s is not a CSV file: give the CSV file of the CORDIS release.")
                % {"file": name},
                code="not_csv",
            )
        header = next(self.records(0, 1, width=None), None)
        if header is None or header.fields is None:
            raise FileRefused(_("%(file)s has no header line.") % {"file": name}, code="no_header")
        self.header = [h.strip().lstrip("\ufeff") for h in header.fields]
        self.width = len(self.header)
        self.data_offset, self.data_line = header.end, header.line + 1
        self.columns = {h.lower(): i for i, h in reversed(list(enumerate(self.header)))}
        self._positions = {}

    def position(self, column):
        """The index of ``column`` (its name as CORDIS spells it, or in any case), or None."""
        try:
            return self._positions[column]
        except KeyError:
            index = self._positions[column] = self.columns.get(column.lower())
            return index

    def missing(self, required):
        return [c for c in required if c.lower() not in self.columns]

    def _lines(self, offset, number):
        self.file.seek(offset)
        for raw in self.file:
            end = offset + len(raw)
            try:
                text = raw.rstrip(b"\r\n").decode("utf-8")
            except UnicodeDecodeError:
                text = None
            if offset == 0 and text:
                text = text.lstrip("\ufeff")
            yield _Line(number, offset, end, text)
            offset, number = end, number + 1

    def records(self, offset=None, number=None, width=-1):
        """Each record from ``offset`` (the first data row by default) to the end."""
        if width == -1:
            width = self.width
        if offset is None:
            offset, number = self.data_offset, self.data_line
        lines = self._lines(offset, number)
        pending = collections.deque()  # lines to read again after a quote never closed
        while True:
            first = pending.popleft() if pending else next(lines, None)
            if first is None:
                return
            if first.text is None:
                yield Record(first.number, first.offset, first.end, None, _("not UTF-8 text"))
                continue
            if not first.text and width:
                continue  # a blank line
            parts, text = [first], first.text
            fields, quoted = split_record(text, width)
            while fields is None or (width and len(fields) < width and quoted):
                following = pending.popleft() if pending else next(lines, None)
                if following is None:
                    break
                if (
                    following.text is None
                    or len(text) > MAX_RECORD
                    or RECORD_START.match(following.text)
                ):
                    pending.appendleft(following)
                    break
                parts.append(following)
                text += "\n" + following.text
                fields, quoted = split_record(text, width)
            if fields is None:
                pending.extendleft(reversed(parts[1:]))
                yield Record(
                    first.number, first.offset, first.end, None, _("a quoted field is never closed")
                )
                continue
            record = Record(first.number, first.offset, parts[-1].end, fields)
            if width and len(fields) != width:
                record.error = _(
                    "%(found)s fields where the header has %(width)s (a quote or a “;” inside a "
                    "text?)"
                ) % {"found": len(fields), "width": width}
            yield record

    def record_at(self, offset, number):
        return next(self.records(offset, number))


class _Row:
    """One record's values by column name."""

    def __init__(self, source, record):
        self.source, self.record, self.errors = source, record, []

    def __getitem__(self, column):
        index = self.source.position(column)
        return "" if index is None else self.record.fields[index].strip()

    def amount(self, column):
        text = self[column]
        if not text:
            return ZERO
        if PLAIN_AMOUNT.fullmatch(text):  # what CORDIS writes: a quicker way to the same Decimal
            return Decimal(text.replace(",", ".")).quantize(CENT, rounding=ROUND_HALF_UP)
        try:
            amount = parse_amount(text)
        except CellError as error:
            return self.error(column, str(error), ZERO)
        if amount < 0:
            return self.error(column, _("an amount cannot be negative"), ZERO)
        return amount

    def date(self, column):
        text = self[column].split(" ")[0].split("T")[0]
        if not text:
            return None
        if ISO_DATE.fullmatch(text):  # what CORDIS writes: quicker than trying every format
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                pass
        try:
            return parse_date(text)
        except CellError:
            return self.error(
                column, _("“%(value)s” is not a date (YYYY-MM-DD)") % {"value": text}, None
            )

    def error(self, column, message, value=None):
        self.errors.append(f"{column}: {message}")
        return value

    def check(self):
        if self.errors:
            raise BadRow(where(self.source, self.record.line) + "; ".join(self.errors))


def where(source, line):
    return _("%(file)s, line %(line)s: ") % {"file": source.name, "line": line}


# --- the rows, read into what Grappe needs ------------------------------------------------------


@dataclass
class CordisProject:
    line: int
    id: str
    acronym: str
    title: str
    objective: str
    status: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    signed_on: datetime.date | None
    programme: str

    def state(self, today):
        if self.status == "CLOSED":
            return State.CLOSED
        if self.status == "TERMINATED":
            return State.ABANDONED
        if self.start_date and self.start_date > today:
            return State.FUNDED
        if self.end_date and self.end_date < today:
            return State.COMPLETED
        return State.RUNNING


def read_project(source, record):
    row = _Row(source, record)
    cordis_id = row["id"]
    if not re.fullmatch(r"\d{1,20}", cordis_id):
        row.error("id", _("“%(value)s” is not a CORDIS project id") % {"value": cordis_id})
    status = row["status"].upper()
    if status not in STATUSES:
        row.error(
            "status",
            _("“%(value)s” is not one of %(expected)s")
            % {"value": row["status"], "expected": ", ".join(sorted(STATUSES))},
        )
    acronym = row["acronym"] or cordis_id
    title = " ".join(row["title"].split()) or acronym
    framework, scheme = row["frameworkProgramme"], row["fundingScheme"]
    project = CordisProject(
        line=record.line,
        id=cordis_id,
        acronym=acronym[:40],
        title=title if len(title) <= 255 else title[:254] + "…",
        objective=row["objective"],
        status=status,
        start_date=row.date("startDate"),
        end_date=row.date("endDate"),
        signed_on=row.date("ecSignatureDate"),
        programme=(" — ".join(p for p in (framework, scheme) if p) or _("CORDIS"))[:200],
    )
    row.check()
    return project


@dataclass
class Participation:
    line: int
    project_id: str
    pic: str
    vat: str
    siren: str
    name: str
    category: str
    country: str
    city: str
    region: str
    website: str
    role: str
    cordis_role: str
    ec_contribution: Decimal
    total_cost: Decimal
    warnings: list = field(default_factory=list)

    @property
    def name_key(self):
        return normalise_name(self.name)


def siren_in_vat(vat):
    """The SIREN inside a French VAT number (FR, a two-character key, the SIREN), if valid."""
    match = re.fullmatch(r"FR[0-9A-Z]{2}(\d{9})", vat)
    if match is None:
        return ""
    try:
        validate_siren(match.group(1))
    except ValidationError:
        return ""
    return match.group(1)


def region_of(country, nuts):
    if country != "FR":
        return Region.ABROAD
    nuts = nuts.upper()
    for length in (4, 3):
        if nuts[:length] in NUTS_REGIONS:
            return NUTS_REGIONS[nuts[:length]]
    return ""


def _website(url):
    url = url.strip()
    if url and not re.match(r"(?i)https?://", url):
        url = "http://" + url
    try:
        URLValidator()(url)
    except ValidationError:
        return ""
    return url if len(url) <= 200 else ""


def read_participation(source, record):
    row = _Row(source, record)
    project_id = row["projectID"]
    if not re.fullmatch(r"\d{1,20}", project_id):
        row.error("projectID", _("“%(value)s” is not a CORDIS project id") % {"value": project_id})
    name = " ".join(row["name"].split())
    if not name:
        row.error("name", _("the organisation has no name"))
    cordis_role = row["role"]
    role = ROLES.get(cordis_role.lower())
    if role is None:
        row.error(
            "role",
            _(
                "“%(value)s” is not a CORDIS role (coordinator, participant, associatedPartner, "
                "thirdParty)"
            )
            % {"value": cordis_role},
        )
    activity = row["activityType"].upper()
    if activity not in CATEGORIES:
        row.error(
            "activityType",
            _("“%(value)s” is not PRC, HES, REC, PUB nor OTH") % {"value": row["activityType"]},
        )
    sme = row["SME"].lower()
    if sme not in TRUE | FALSE:
        row.error("SME", _("“%(value)s” is neither true nor false") % {"value": row["SME"]})
    country = row["country"].upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        row.error("country", _("“%(value)s” is not a country code") % {"value": row["country"]})
    warnings = []
    pic = normalise_identifier(row["organisationID"])
    if pic and not re.fullmatch(r"\d{9}", pic):
        warnings.append(_("organisationID “%(value)s” is not a PIC: ignored") % {"value": pic})
        pic = ""
    vat = normalise_identifier(row["vatNumber"])
    if len(vat) > 20:
        warnings.append(_("vatNumber “%(value)s” is too long: ignored") % {"value": vat})
        vat = ""
    category = CATEGORIES.get(activity, Category.OTHER)
    if category == Category.LARGE and sme in TRUE:
        category = Category.SME
    participation = Participation(
        line=record.line,
        project_id=project_id,
        pic=pic,
        vat=vat,
        siren=siren_in_vat(vat),
        name=name[:255],
        category=category,
        country=country,
        city=" ".join(row["city"].split())[:120],
        region=region_of(country, row["nutsCode"]),
        website=row["organizationURL"],
        role=role,
        cordis_role=cordis_role,
        ec_contribution=row.amount("ecContribution"),
        total_cost=row.amount("totalCost"),
        warnings=warnings,
    )
    row.check()
    return participation


# --- the import ---------------------------------------------------------------------------------

CREATED, UPDATED, UNCHANGED, REMOVED = "created", "updated", "unchanged", "removed"
SKIPPED, FAILED = "skipped", "failed"


@dataclass
class CordisReport:
    dry_run: bool = False
    import_all: bool = False
    project_rows: int = 0
    organisation_rows: int = 0
    bad_rows: int = 0
    warnings: int = 0
    # Each counter by action: created, updated, unchanged, removed (projects: skipped, failed).
    projects: collections.Counter = field(default_factory=collections.Counter)
    partners: collections.Counter = field(default_factory=collections.Counter)
    lines: collections.Counter = field(default_factory=collections.Counter)
    # How each partner's organisation was found: pic, vat, siren, name, or created.
    matched: collections.Counter = field(default_factory=collections.Counter)
    organisations_completed: int = 0  # found organisations given their PIC or VAT number
    orphan_projects: int = 0  # project ids of organization.csv missing from project.csv
    bytes_read: int = 0
    seconds: float = 0.0
    committed: bool = False

    @property
    def rows(self):
        return self.project_rows + self.organisation_rows

    @property
    def rows_per_second(self):
        return self.rows / self.seconds if self.seconds else 0.0


class Ambiguous(Exception):
    """Several organisations of Grappe have the participant's name."""


class _Importer:
    def __init__(self, report, db, *, import_all, strict, today, log):
        self.report, self.db = report, db
        self.import_all, self.strict, self.today = import_all, strict, today
        self._log = log or (lambda message: None)
        self.member_pics, self.member_vats, self.member_sirens, self.member_names = (
            set(),
            set(),
            set(),
            set(),
        )
        members = Organisation.objects.filter(pk__in=active_members()).values_list(
            "pic", "vat_number", "siren", "name_key", "country"
        )
        for pic, vat, siren, name_key, country in members.iterator():
            if pic:
                self.member_pics.add(normalise_identifier(pic))
            if vat:
                self.member_vats.add(normalise_identifier(vat))
            if siren:
                self.member_sirens.add(siren)
            if name_key:
                self.member_names.add((name_key, country))
        self.funder = None
        self.programmes = {}

    # -- what goes wrong

    def bad(self, message):
        self.report.bad_rows += 1
        if self.strict:
            raise StrictStop(
                _("%(message)s — stopped (--strict): nothing is imported.") % {"message": message},
                code="strict",
            )
        self._log(message)

    def warn(self, message):
        self.report.warnings += 1
        self._log(message)

    # -- first pass: organization.csv checked, and indexed by project

    def may_be_member(self, p):
        """Whether ``p`` may be a member of a pole, without a query (matching says for sure)."""
        return bool(
            (p.pic and p.pic in self.member_pics)
            or (p.vat and p.vat in self.member_vats)
            or (p.siren and p.siren in self.member_sirens)
            or (p.name_key, p.country) in self.member_names
        )

    def index(self, source, progress):
        insert = "INSERT INTO participation VALUES (?, ?, ?, ?, ?)"
        project_column = source.columns["projectid"]
        batch = []
        for record in source.records():
            self.report.organisation_rows += 1
            try:
                if record.error:
                    raise BadRow(where(source, record.line) + record.error)
                p = read_participation(source, record)
            except BadRow as error:
                self.bad(str(error))
                # The project loses none of its partners on the strength of a bad row.
                fields = record.fields or []
                if project_column < len(fields) and fields[project_column].strip().isdigit():
                    batch.append((fields[project_column].strip(), None, record.line, 0, 1))
            else:
                batch.append((p.project_id, record.offset, record.line, self.may_be_member(p), 0))
            if len(batch) >= 5000:
                self.db.executemany(insert, batch)
                batch = []
            progress(record.end)
        self.db.executemany(insert, batch)
        self.db.execute("CREATE INDEX participation_project ON participation (project, line)")

    # -- second pass: project.csv, each project with its organisation rows

    def run(self, projects, organisations, progress):
        for record in projects.records():
            self.report.project_rows += 1
            try:
                if record.error:
                    raise BadRow(where(projects, record.line) + record.error)
                cordis_project = read_project(projects, record)
                first = self.db.execute(
                    "SELECT line FROM seen WHERE project = ?", (cordis_project.id,)
                ).fetchone()
                if first:
                    raise BadRow(
                        where(projects, record.line)
                        + _("project %(id)s was already read on line %(line)s")
                        % {"id": cordis_project.id, "line": first[0]}
                    )
            except BadRow as error:
                self.bad(str(error))
            else:
                self.db.execute("INSERT INTO seen VALUES (?, ?)", (cordis_project.id, record.line))
                self.project(cordis_project, projects, organisations)
            progress(record.end)
        self.report.orphan_projects = self.db.execute(
            "SELECT COUNT(DISTINCT project) FROM participation "
            "WHERE project NOT IN (SELECT project FROM seen)"
        ).fetchone()[0]

    def project(self, cordis_project, projects, organisations):
        rows = self.db.execute(
            "SELECT offset, line, hint, bad FROM participation WHERE project = ? ORDER BY line",
            (cordis_project.id,),
        ).fetchall()
        known = self.db.execute(
            "SELECT 1 FROM imported WHERE project = ?", (cordis_project.id,)
        ).fetchone()
        if not known and not self.import_all and not any(row[2] for row in rows):
            self.report.projects[SKIPPED] += 1  # without a query to Grappe's database
            return
        existing = Project.objects.filter(cordis_id=cordis_project.id).first() if known else None
        # Partners missing from the file are removed only when all of the project's rows read.
        complete = bool(rows) and not any(row[3] for row in rows)
        participations = []
        for offset, line, _hint, bad in rows:
            if not bad:
                p = read_participation(organisations, organisations.record_at(offset, line))
                participations.append(p)
        found = self.find_all(participations, organisations)
        if existing is None and not self.import_all:
            members = Membership.objects.filter(
                organisation__in=[o.pk for o, _how in found.values() if o is not None],
                status__in=ACTIVE_MEMBERSHIP,
            )
            if not members.exists():
                self.report.projects[SKIPPED] += 1
                return
        for p in participations:
            for warning in p.warnings:
                self.warn(where(organisations, p.line) + warning)
        try:
            with transaction.atomic():
                action, partners, lines, matched = self.write(
                    existing, cordis_project, participations, found, organisations, complete
                )
        except (ValidationError, DatabaseError) as error:
            if isinstance(error, StrictStop):
                raise
            self.programmes.clear()  # those created in the rolled-back transaction are gone
            self.funder = None
            self.report.projects[FAILED] += 1
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            self.bad(
                where(projects, cordis_project.line)
                + _("project %(acronym)s (%(id)s) not imported: %(error)s")
                % {
                    "acronym": cordis_project.acronym,
                    "id": cordis_project.id,
                    "error": " ".join(messages),
                }
            )
            return
        self.report.projects[action] += 1
        self.report.partners.update(partners)
        self.report.lines.update(lines)
        self.report.matched.update(matched)

    # -- organisations

    def find(self, p):
        """The organisation of Grappe that ``p`` is about and how it was found, or (None, None).
        Raises ``Ambiguous`` when several organisations have its name and no other identity."""
        if p.pic:
            found = Organisation.objects.filter(pic=p.pic).order_by("pk").first()
            if found is not None:
                return found, "pic"
        if p.vat:
            found = Organisation.objects.filter(vat_number=p.vat).order_by("pk").first()
            if found is not None:
                return found, "vat"
        if p.siren:
            found = Organisation.objects.filter(siren=p.siren).first()
            if found is not None:
                return found, "siren"
        if not p.name_key:
            return None, None
        candidates = [
            o
            for o in Organisation.objects.filter(name_key=p.name_key, country=p.country)[:10]
            if not (o.pic and p.pic and o.pic != p.pic)
            and not (o.vat_number and p.vat and normalise_identifier(o.vat_number) != p.vat)
            and not (o.siren and p.siren and o.siren != p.siren)
        ]
        if len(candidates) > 1:
            raise Ambiguous
        return (candidates[0], "name") if candidates else (None, None)

    def find_all(self, participations, source):
        """Each participation's (organisation or None, how), by line; ambiguous ones missing."""
        found = {}
        for p in participations:
            try:
                found[p.line] = self.find(p)
            except Ambiguous:
                self.warn(
                    where(source, p.line)
                    + _(
                        "several organisations of Grappe are called “%(name)s” (%(country)s): "
                        "give the right one the PIC %(pic)s and import again; row skipped"
                    )
                    % {"name": p.name, "country": p.country, "pic": p.pic or "—"}
                )
        return found

    def complete_organisation(self, organisation, p):
        """Give a found organisation the PIC and VAT number it lacked."""
        changed = []
        if p.pic and not organisation.pic:
            organisation.pic = p.pic
            changed.append("pic")
        if p.vat and not organisation.vat_number:
            organisation.vat_number = p.vat
            changed.append("vat_number")
        if changed:
            claim_version(organisation, organisation.version)
            organisation.save(update_fields=changed)
            self.report.organisations_completed += 1

    def create_organisation(self, p, source):
        organisation = Organisation(
            legal_name=p.name,
            category=p.category,
            country=p.country,
            city=p.city,
            region=p.region,
            pic=p.pic,
            vat_number=p.vat,
            siren=p.siren,
            website=_website(p.website),
            directory_consent=False,
        )
        try:
            # Names were compared already: one sharing its name has another PIC, VAT or SIREN.
            return create_organisation(organisation, confirm_distinct=True)
        except ValidationError as error:
            errors = getattr(error, "error_dict", {})
            if set(errors) == {"siren"} and not organisation.siren and p.country == "FR":
                organisation.save()  # French without a VAT number, so without a SIREN: see above
                return organisation
            self.warn(
                where(source, p.line)
                + _("the organisation “%(name)s” cannot be created (%(error)s): row skipped")
                % {"name": p.name, "error": " ".join(error.messages)}
            )
            return None

    # -- one project, in its own transaction

    def write(self, project, cordis_project, participations, found, source, complete):
        partners_count, lines_count, matched = (
            collections.Counter(),
            collections.Counter(),
            collections.Counter(),
        )
        project, action = self.write_project(project, cordis_project)
        wanted = {}  # organisation pk → (participation, organisation, role)
        coordinator = None
        for p in participations:
            if p.line not in found:
                complete = False  # ambiguous, reported
                continue
            organisation, how = found[p.line]
            if organisation is None:
                organisation, how = self.create_organisation(p, source), "created"
                if organisation is None:
                    complete = False
                    continue
            else:
                self.complete_organisation(organisation, p)
            if organisation.pk in wanted:
                self.warn(
                    where(source, p.line)
                    + _("“%(name)s” is already a participant of this project: row skipped")
                    % {"name": organisation}
                )
                continue
            matched[how] += 1
            role = p.role
            if role == Role.COORDINATOR:
                if coordinator is not None:
                    self.warn(
                        where(source, p.line)
                        + _("a second coordinator: “%(name)s” becomes a partner")
                        % {"name": organisation}
                    )
                    role = Role.PARTNER
                coordinator = organisation.pk
            wanted[organisation.pk] = (p, organisation, role)

        existing = {partner.organisation_id: partner for partner in project.partners.all()}
        if complete:
            for organisation_id, partner in list(existing.items()):
                if organisation_id not in wanted and self.remove_partner(partner):
                    partners_count[REMOVED] += 1
                    del existing[organisation_id]
        stepped_down = set()
        for organisation_id, partner in existing.items():
            # The coordination moves: the old coordinator steps down before the new one steps up.
            if partner.role != Role.COORDINATOR or coordinator in (None, organisation_id):
                continue
            self.save_partner(partner, role=wanted.get(organisation_id, (0, 0, Role.PARTNER))[2])
            stepped_down.add(organisation_id)
        for organisation_id, (p, organisation, role) in wanted.items():
            costs = {
                "role": role,
                "personnel_costs": ZERO,
                "equipment_costs": ZERO,
                "subcontracting_costs": ZERO,
                "other_costs": p.total_cost,  # CORDIS gives one total: see the module's doc
            }
            partner = existing.get(organisation_id)
            new = partner is None
            if new:
                partner = Partner(project=project, organisation=organisation, **costs)
                partner.full_clean(**FAST_CLEAN)
                partner.save()
                partners_count[CREATED] += 1
            elif any(getattr(partner, name) != value for name, value in costs.items()):
                self.save_partner(partner, **costs)
                partners_count[UPDATED] += 1
            elif organisation_id in stepped_down:
                partners_count[UPDATED] += 1
            else:
                partners_count[UNCHANGED] += 1
            line_action = self.write_line(project, partner, p, cordis_project, source, new)
            if line_action:
                lines_count[line_action] += 1
        sync_project(project)
        if action == UNCHANGED and (
            partners_count.keys() - {UNCHANGED} or lines_count.keys() - {UNCHANGED}
        ):
            action = UPDATED
        return action, partners_count, lines_count, matched

    def write_project(self, project, cordis_project):
        values = {
            "acronym": cordis_project.acronym,
            "title": cordis_project.title,
            "public_summary": cordis_project.objective,
            "start_date": cordis_project.start_date,
            "end_date": cordis_project.end_date,
            "state": cordis_project.state(self.today),
        }
        if project is None:
            project = Project(cordis_id=cordis_project.id, **values)
            project.full_clean()
            project.save()
            self.state_change(project, State.DRAFT, project.state)
            return project, CREATED
        changed = [name for name, value in values.items() if getattr(project, name) != value]
        if not changed:
            return project, UNCHANGED
        before = project.state
        for name in changed:
            setattr(project, name, values[name])
        project.full_clean()
        # A new version: an edit form opened before the import cannot write old values back.
        claim_version(project, project.version)
        project.save()
        if project.state != before:
            self.state_change(project, before, project.state)
        return project, UPDATED

    def state_change(self, project, before, after):
        StateChange.objects.create(
            project=project, from_state=before, to_state=after, by=None, comment=IMPORT_COMMENT
        )

    def save_partner(self, partner, **fields):
        for name, value in fields.items():
            setattr(partner, name, value)
        partner.full_clean(**FAST_CLEAN)
        # A new version: a budget form opened before the import cannot write old values back.
        claim_version(partner, partner.version)
        partner.save()

    def remove_partner(self, partner):
        try:
            with transaction.atomic():
                FundingLine.objects.filter(
                    partner=partner, funder=self.eu_funder(), disbursements__isnull=True
                ).delete()
                partner_leaving.send(sender=Partner, partner=partner)
                partner.delete()
        except (ProtectedError, ValidationError):
            self.warn(
                _(
                    "%(project)s: “%(name)s” is no longer a participant in CORDIS, but records "
                    "of Grappe depend on it: kept"
                )
                % {"project": partner.project, "name": partner.organisation}
            )
            return False
        return True

    # -- funding

    def eu_funder(self):
        if self.funder is None:
            self.funder, _created = Funder.objects.get_or_create(
                name=FUNDER_NAME,
                defaults={"kind": Funder.Kind.PUBLIC, "category": Funder.Category.EU},
            )
        return self.funder

    def programme(self, name):
        if name not in self.programmes:
            self.programmes[name] = programme_named(self.eu_funder(), name)
        return self.programmes[name]

    def write_line(self, project, partner, p, cordis_project, source, new_partner=False):
        """The partner's EU funding line made to say what CORDIS says; what was done, or None."""
        line = None
        if not new_partner:
            line = FundingLine.objects.filter(partner=partner, funder=self.eu_funder()).first()
        amount = p.ec_contribution
        if amount <= 0:
            if line is None:
                return None
            if line.disbursements.exists():
                self.warn(
                    where(source, p.line)
                    + _("no EU contribution any more, but disbursements were recorded: line kept")
                )
                return UNCHANGED
            line.delete()
            return REMOVED
        decided_on = cordis_project.signed_on or cordis_project.start_date
        if decided_on is None:
            self.warn(
                where(source, p.line)
                + _("the project has neither ecSignatureDate nor startDate: no funding line")
            )
            return None
        values = {
            "programme": self.programme(cordis_project.programme),
            "status": FundingLine.Status.GRANTED,
            "amount_requested": amount,
            "amount_granted": amount,
            "decision_date": decided_on,
        }
        if line is None:
            line = FundingLine(project=project, partner=partner, **values)
            line.full_clean(**FAST_CLEAN)
            line.save()
            return CREATED
        if all(getattr(line, name) == value for name, value in values.items()):
            return UNCHANGED
        for name, value in values.items():
            setattr(line, name, value)
        line.amount_cancelled = min(line.amount_cancelled, amount)
        line.full_clean(**FAST_CLEAN)
        claim_version(line, line.version)
        line.save()
        return UPDATED


def import_cordis(
    projects_file,
    organisations_file,
    *,
    projects_name=PROJECT_FILE,
    organisations_name=ORGANISATION_FILE,
    dry_run=False,
    import_all=False,
    strict=False,
    progress=None,
    log=None,
    today=None,
):
    """Import a CORDIS release: ``projects_file`` (project.csv) and ``organisations_file``
    (organization.csv), binary file objects. Returns a ``CordisReport``.

    ``progress(bytes_done, bytes_total, rows_done)`` is called after each row; ``log(message)``
    gets each bad row and warning when met. Raises ``FileRefused`` when a file cannot be
    imported at all, ``StrictStop`` at the first bad row with ``strict``: nothing is written."""
    started = time.perf_counter()
    report = CordisReport(dry_run=dry_run, import_all=import_all)
    projects = CsvRecords(projects_file, projects_name)
    organisations = CsvRecords(organisations_file, organisations_name)
    missing = [
        _("%(file)s lacks the column(s) %(columns)s")
        % {"file": source.name, "columns": ", ".join(columns)}
        for source, columns in (
            (projects, projects.missing(PROJECT_COLUMNS)),
            (organisations, organisations.missing(ORGANISATION_COLUMNS)),
        )
        if columns
    ]
    if missing:
        raise FileRefused(
            "; ".join(missing)
            + _(" — are these the project.csv and organization.csv of a CORDIS release?"),
            code="missing_columns",
        )
    total = projects.size + organisations.size

    def advance(base):
        def to(end):
            report.bytes_read = base + end
            if progress:
                progress(report.bytes_read, total, report.rows)

        return to

    whole = transaction.atomic() if dry_run or strict else contextlib.nullcontext()
    with tempfile.TemporaryDirectory(prefix="cordis-") as folder:
        db = sqlite3.connect(Path(folder) / "index.sqlite3")
        try:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.execute(
                "CREATE TABLE participation "
                "(project TEXT, offset INTEGER, line INTEGER, hint INTEGER, bad INTEGER)"
            )
            db.execute("CREATE TABLE seen (project TEXT PRIMARY KEY, line INTEGER)")
            # The projects imported before, to tell them from new ones without a query each.
            db.execute("CREATE TABLE imported (project TEXT PRIMARY KEY)")
            imported = Project.objects.exclude(cordis_id="").values_list("cordis_id")
            db.executemany("INSERT INTO imported VALUES (?)", imported.iterator(chunk_size=5000))
            with whole:
                importer = _Importer(
                    report,
                    db,
                    import_all=import_all,
                    strict=strict,
                    today=today or timezone.localdate(),
                    log=log,
                )
                importer.index(organisations, advance(0))
                importer.run(projects, organisations, advance(organisations.size))
                if dry_run:
                    transaction.set_rollback(True)
                else:
                    report.committed = True
        finally:
            db.close()
    report.seconds = time.perf_counter() - started
    return report


# --- who sees the imported projects -------------------------------------------------------------


@grant_provider
def cordis_member_grants(project):
    """The staff of a pole see the CORDIS projects in which one of its active members takes
    part (read at each ``sync_project``)."""
    if not project.cordis_id:
        return
    poles = (
        Membership.objects.filter(
            status__in=ACTIVE_MEMBERSHIP, organisation__participations__project=project
        )
        .values_list("pole_id", flat=True)
        .distinct()
    )
    for pole_id in poles:
        yield role_group("pole", pole_id, "staff"), VIEW
