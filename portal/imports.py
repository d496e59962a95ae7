"""A pole's members imported from the spreadsheet it kept until now: CSV or XLSX, French headers.

``import_members`` reads the file row by row (never the whole of it at once) and says, for each
row, what it does: create an organisation, update one, leave one unchanged, or reject the row
and why, naming the column. A dry run writes nothing; the real run writes everything in one
transaction, and refuses to write anything while a row is rejected unless told to skip them.

What the import decides, so that staff can predict it:

- An organisation is found by its SIREN (or the first 9 digits of its SIRET), else by its
  normalised name (``Organisation.name_key``): then it is updated, else created. A name shared
  with an organisation of another SIREN, or with several organisations, rejects the row.
- An update sets the fields the file fills; an empty cell never blanks an existing value, and
  the legal name of an existing organisation is kept (the file's spelling may be shorter).
- The membership of the pole is created (status from the file, else current) or updated (status
  and start date from the file when given).
- A contact e-mail of someone who has an account attaches that person to the organisation;
  any other e-mail is only listed under "contacts to invite": the import creates no account.
- Two rows with the same SIREN or the same normalised name: the second is rejected.
- A cell holding a formula (a CSV value starting with "=", an XLSX formula) rejects its row:
  formulas are never evaluated.

What a file may be (anything else refuses it whole, before anything is written):

- CSV: text from its first byte to its last (no control character a text never holds); each
  value at most 131 072 characters (the ``csv`` module's limit).
- XLSX: a ZIP archive of at most ``XLSX_MAX_PARTS`` parts, deflated or stored, that unpacks
  to at most ``max_unpacked`` bytes (checked on the archive's directory before openpyxl opens
  it: a "zip bomb" is refused unread; zipfile never unpacks more than the directory says);
  then read in openpyxl's read-only mode, a row at a time, ignoring the sheet's declared
  dimensions.
- Only the first ``MAX_COLUMNS`` columns are read: cells further right are ignored.
- ``max_rows`` rows with values at most, ``max_lines`` rows in all (blank ones included) —
  the page's limits; the command has none.
"""

import codecs
import csv
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Affiliation, Membership, Organisation, Person, Region
from .modelutils import StaleEdit, claim_version
from .validators import normalise_identifier, normalise_name

Category = Organisation.Category
Status = Membership.Status

# What the web page accepts; larger files go through ``manage.py import_members``. Never more
# than MAX_UPLOAD_SIZE: the server keeps no more of an upload (portal.uploads).
WEB_MAX_SIZE = min(
    getattr(settings, "MEMBER_IMPORT_MAX_SIZE", 5 * 1024 * 1024), settings.MAX_UPLOAD_SIZE
)
WEB_MAX_ROWS = getattr(settings, "MEMBER_IMPORT_MAX_ROWS", 5_000)  # ~10 s of dry run
WEB_MAX_LINES = 20 * WEB_MAX_ROWS  # blank rows included (a sheet formatted far down)
WEB_MAX_UNPACKED = 10 * WEB_MAX_SIZE  # an XLSX unpacked: far more than a real one of that size
XLSX_MAX_UNPACKED = 500 * 1024 * 1024  # for the command, which has no other limit
XLSX_MAX_PARTS = 1_000
MAX_COLUMNS = 200


class FileRefused(ValidationError):
    """The file as a whole cannot be imported (its type, its encoding, its headers): nothing
    of it is read further, nothing is written."""


def key(text):
    """A header or a value reduced to lower-case letters and digits, accents dropped:
    "Chiffre d'affaires (€)" → "chiffredaffaires", "École" → "ecole"."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


# --- the columns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    field: str  # an Organisation field, or membership_status/member_since/contact_*
    header: str  # the French header people see in the report and the help
    synonyms: tuple = ()

    def keys(self):
        return {key(self.header), *(key(s) for s in self.synonyms)}


COLUMNS = (
    Column(
        "legal_name",
        "Raison sociale",
        ("Nom", "Dénomination", "Dénomination sociale", "Organisation", "Entreprise", "Société"),
    ),
    Column("siren", "SIREN", ("N° SIREN", "Numéro SIREN")),
    Column("siret", "SIRET", ("N° SIRET", "Numéro SIRET", "SIRET siège")),
    Column("category", "Catégorie", ("Type", "Type de structure", "Type d'organisation")),
    Column("headcount", "Effectif", ("Effectifs", "Nombre de salariés", "Salariés")),
    Column("turnover", "Chiffre d'affaires", ("CA", "Chiffre d'affaires (EUR)", "CA (EUR)")),
    Column("region", "Région"),
    Column("city", "Ville", ("Commune",)),
    Column("country", "Pays"),
    Column("naf_code", "Code NAF", ("NAF", "Code APE", "APE", "Code NAF/APE")),
    Column("keywords", "Mots-clés", ("Mot-clé", "Mots clés")),
    Column("competences", "Compétences"),
    Column("description", "Description", ("Activité", "Activités")),
    Column("website", "Site web", ("Site internet", "Site", "URL")),
    Column("vat_number", "N° TVA", ("TVA", "TVA intracommunautaire", "Numéro de TVA")),
    Column("pic", "PIC", ("Code PIC", "N° PIC")),
    Column(
        "directory_consent",
        "Annuaire",
        ("Consentement annuaire", "Visible dans l'annuaire", "Parution annuaire"),
    ),
    Column("membership_status", "Statut d'adhésion", ("Statut", "Statut adhésion")),
    Column("member_since", "Adhérent depuis", ("Date d'adhésion", "Date adhésion")),
    Column(
        "contact_email", "Contact e-mail", ("Contact email", "Contact mail", "E-mail", "Courriel")
    ),
    Column("contact_name", "Contact nom", ("Nom du contact", "Contact")),
)
BY_KEY = {k: column for column in COLUMNS for k in column.keys()}
BY_FIELD = {column.field: column for column in COLUMNS}
ORGANISATION_FIELDS = [
    c.field
    for c in COLUMNS
    if c.field not in {"membership_status", "member_since", "contact_email", "contact_name"}
]


# --- values: what a French spreadsheet writes, made into what the models hold --------------------


class CellError(ValueError):
    """A cell's value cannot be read; the message says what to write instead."""


def _choices(table):
    return {key(word): value for value, words in table.items() for word in words}


CATEGORIES = _choices(
    {
        Category.MICRO: ["micro", "micro-entreprise", "TPE", "très petite entreprise"],
        Category.SME: ["sme", "PME", "petite et moyenne entreprise", "SME (PME)"],
        Category.MIDCAP: ["midcap", "ETI", "entreprise de taille intermédiaire", "mid-cap (ETI)"],
        Category.LARGE: ["large", "GE", "grande entreprise", "grand groupe", "large company"],
        Category.RESEARCH: [
            "research",
            "laboratoire",
            "labo",
            "organisme de recherche",
            "centre de recherche",
            "recherche",
            "research organisation",
        ],
        Category.SCHOOL: [
            "school",
            "école",
            "école d'ingénieurs",
            "université",
            "enseignement supérieur",
            "établissement d'enseignement supérieur",
            "higher-education school or university",
        ],
        Category.PUBLIC: [
            "public",
            "collectivité",
            "collectivité territoriale",
            "organisme public",
            "établissement public",
            "administration",
            "public body",
        ],
        Category.OTHER: ["other", "autre", "association"],
    }
)

STATUSES = _choices(
    {
        Status.APPLIED: ["applied", "candidat", "candidature", "en attente"],
        Status.NEW: ["new", "nouveau", "nouvel adhérent", "nouvelle adhésion"],
        Status.CURRENT: ["current", "adhérent", "actif", "active", "à jour", "en cours", "membre"],
        Status.GRACE: ["grace", "période de grâce", "grâce", "en retard", "relancé"],
        Status.EXPIRED: ["expired", "expiré", "expirée", "ancien", "ancien adhérent", "radié"],
        Status.REJECTED: ["rejected", "refusé", "rejeté"],
    }
)

# Region names and codes, including the INSEE codes and the names people still use.
REGIONS = {key(r.label): r.value for r in Region if r != Region.ABROAD}
REGIONS.update({key(r.value): r.value for r in Region})
REGIONS.update(
    _choices(
        {
            Region.AURA: ["AURA", "84"],
            Region.BFC: ["27"],
            Region.BRETAGNE: ["53"],
            Region.CVL: ["Centre", "24"],
            Region.CORSE: ["94"],
            Region.GRAND_EST: ["44"],
            Region.HDF: ["32"],
            Region.IDF: ["IDF", "11"],
            Region.NORMANDIE: ["28"],
            Region.NA: ["75"],
            Region.OCCITANIE: ["76"],
            Region.PDL: ["52"],
            Region.PACA: ["PACA", "Région Sud", "Sud", "93"],
            Region.GUADELOUPE: ["01"],
            Region.MARTINIQUE: ["02"],
            Region.GUYANE: ["03"],
            Region.REUNION: ["Réunion", "04"],
            Region.MAYOTTE: ["06"],
            Region.ABROAD: ["étranger", "hors France", "outside France", "international"],
        }
    )
)

COUNTRIES = _choices(
    {
        "FR": ["France", "FRA"],
        "DE": ["Allemagne", "Germany", "DEU"],
        "BE": ["Belgique", "Belgium", "BEL"],
        "CH": ["Suisse", "Switzerland", "CHE"],
        "IT": ["Italie", "Italy", "ITA"],
        "ES": ["Espagne", "Spain", "ESP"],
        "PT": ["Portugal", "PRT"],
        "NL": ["Pays-Bas", "Netherlands", "NLD"],
        "LU": ["Luxembourg", "LUX"],
        "AT": ["Autriche", "Austria", "AUT"],
        "GB": ["Royaume-Uni", "United Kingdom", "Angleterre", "GBR", "UK"],
        "IE": ["Irlande", "Ireland", "IRL"],
        "SE": ["Suède", "Sweden", "SWE"],
        "DK": ["Danemark", "Denmark", "DNK"],
        "FI": ["Finlande", "Finland", "FIN"],
        "NO": ["Norvège", "Norway", "NOR"],
        "PL": ["Pologne", "Poland", "POL"],
        "US": ["États-Unis", "USA", "United States"],
        "CA": ["Canada", "CAN"],
        "JP": ["Japon", "Japan", "JPN"],
        "CN": ["Chine", "China", "CHN"],
    }
)

YES = {key(w) for w in ["oui", "o", "yes", "y", "vrai", "true", "1", "x", "ok"]}
NO = {key(w) for w in ["non", "n", "no", "faux", "false", "0"]}


def _text(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()


def _pick(table, value, expected):
    found = table.get(key(value))
    if found is None:
        raise CellError(
            _("“%(value)s” is not one of the values Grappe knows (%(expected)s).")
            % {"value": _text(value), "expected": expected}
        )
    return found


def parse_category(value):
    return _pick(
        CATEGORIES,
        value,
        "Micro-entreprise, PME, ETI, Grande entreprise, Laboratoire, Organisme de recherche, "
        "École, Université, Collectivité, Autre",
    )


def parse_status(value):
    return _pick(STATUSES, value, "Adhérent, Nouveau, En retard, Expiré, Candidature, Refusé")


def parse_region(value):
    return _pick(REGIONS, value, _("a region's name, e.g. Auvergne-Rhône-Alpes, or its code, ARA"))


def parse_country(value):
    text = _text(value)
    if re.fullmatch(r"[A-Za-z]{2}", text):
        return text.upper()
    return _pick(COUNTRIES, text, _("the country's two-letter code: FR, DE, BE…"))


def parse_identifier(digits):
    """SIREN and SIRET as digits; a number cell lost its leading zeros, which come back."""

    def parse(value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int):
            return str(value).zfill(digits)
        return normalise_identifier(_text(value))

    return parse


def parse_headcount(value):
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        text = re.sub(r"\s", "", _text(value)).replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": _text(value)})
    if number < 0:
        raise CellError(_("A headcount cannot be negative."))
    return int(number)


def parse_amount(value):
    """An amount in euros as French spreadsheets write it: "1 234 567,89 €", "1.234,5", 1234.5."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = Decimal(str(value))
    else:
        text = _text(value)
        compact = re.sub(r"[\s\u00a0\u202f\u2009'’]", "", text)
        compact = re.sub(r"(?i)^€|(€|eur|euros?)$", "", compact)
        if re.search(r"(?i)\d[km]$", compact):
            raise CellError(_("Write the amount in euros, without “k” or “M”."))
        if "," in compact and "." in compact:
            thousands = "." if compact.rfind(",") > compact.rfind(".") else ","
            compact = compact.replace(thousands, "")
        if compact.count(",") > 1:
            compact = compact.replace(",", "")
        if compact.count(".") > 1:
            compact = compact.replace(".", "")
        compact = compact.replace(",", ".")
        try:
            amount = Decimal(compact)
        except InvalidOperation:
            raise CellError(
                _("“%(value)s” is not an amount in euros (e.g. 1 234 567,89).") % {"value": text}
            ) from None
    if not amount.is_finite():
        raise CellError(_("“%(value)s” is not an amount in euros.") % {"value": _text(value)})
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    formats = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
    for fmt in formats:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(_("“%(value)s” is not a date written dd/mm/yyyy.") % {"value": text})


def parse_consent(value):
    if isinstance(value, bool):
        return value
    word = key(_text(value))
    if word in YES:
        return True
    if word in NO:
        return False
    raise CellError(_("Write “oui” or “non”, not “%(value)s”.") % {"value": _text(value)})


def parse_naf(value):
    code = re.sub(r"\s", "", _text(value)).upper()
    if re.fullmatch(r"\d{4}[A-Z]", code):
        code = f"{code[:2]}.{code[2:]}"
    return code


def parse_website(value):
    url = _text(value)
    if not re.match(r"(?i)https?://", url):
        url = "https://" + url
    return url


def parse_email(value):
    email = _text(value).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise CellError(_("“%(value)s” is not an e-mail address.") % {"value": email}) from None
    return email


PARSERS = {
    "siren": parse_identifier(9),
    "siret": parse_identifier(14),
    "pic": parse_identifier(9),
    "category": parse_category,
    "headcount": parse_headcount,
    "turnover": parse_amount,
    "region": parse_region,
    "country": parse_country,
    "naf_code": parse_naf,
    "website": parse_website,
    "directory_consent": parse_consent,
    "membership_status": parse_status,
    "member_since": parse_date,
    "contact_email": parse_email,
}


class Formula(str):
    """A cell holding a formula: never evaluated, it rejects its row."""


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


# --- reading the file ------------------------------------------------------------------------


XLSX_KIND, CSV_KIND = "XLSX", "CSV"


def sniff_kind(file):
    """ "XLSX" or "CSV" from the file's content, never its name; FileRefused otherwise."""
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    if not head:
        raise FileRefused(_("The file is empty."), code="empty")
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            names = []
        finally:
            file.seek(0)
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return XLSX_KIND
        raise FileRefused(
            _(
                "This archive is not an Excel workbook (.xlsx): save the spreadsheet as XLSX or CSV."
            ),
            code="not_xlsx",
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            _("Old Excel files (.xls) are not read: save the spreadsheet as XLSX or CSV."),
            code="xls",
        )
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not utf16 and NOT_TEXT.search(head):
        raise _not_a_table()
    return CSV_KIND


# Bytes no text holds: NUL and the control characters (tab, line ends, VT, FF and ESC aside).
NOT_TEXT = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _not_a_table():
    return FileRefused(
        _("This is neither a CSV text file nor an XLSX workbook."), code="not_a_table"
    )


ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252 (Latin-1)",
    "latin-1": "ISO-8859-1 (Latin-1)",
}


def detect_encoding(file):
    """UTF-8 if the whole file decodes strictly as UTF-8 (with or without its BOM), else
    Windows-1252, the Latin-1 of French spreadsheets; read by chunks."""
    file.seek(0)
    head = file.read(4)
    file.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        file.seek(0)
        try:
            while chunk := file.read(1 << 16):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            file.seek(0)
        return encoding
    if candidates[0] in ("utf-8-sig", "utf-16"):
        raise FileRefused(
            _("The file says it is %(encoding)s but is not: save it again as UTF-8 CSV.")
            % {"encoding": ENCODINGS[candidates[0]]},
            code="encoding",
        )
    return "latin-1"  # every byte is a Latin-1 character


DELIMITERS = {";": gettext_lazy("semicolon (;)"), ",": gettext_lazy("comma (,)")}
DELIMITERS["\t"] = gettext_lazy("tab")


class Table:
    """The rows of a file, one at a time, each with its number as the spreadsheet shows it."""

    kind = ""
    encoding = ""
    delimiter = ""

    def rows(self):
        raise NotImplementedError

    def count(self):
        """How many rows the file has (for a progress bar), or None if unknown."""
        return None

    def close(self):
        pass


class CsvTable(Table):
    kind = CSV_KIND

    def __init__(self, file):
        self.file = file
        self.encoding = detect_encoding(file)
        if self.encoding != "utf-16":
            self._check_text()
        self.delimiter = self._sniff_delimiter()

    def _check_text(self):
        """Text to its last byte: binary bytes after the first ones sniffed refuse the file."""
        self.file.seek(0)
        try:
            while chunk := self.file.read(1 << 16):
                if NOT_TEXT.search(chunk):
                    raise _not_a_table()
        finally:
            self.file.seek(0)

    def _text(self):
        self.file.seek(0)
        return io.TextIOWrapper(self.file, encoding=self.encoding, newline="")

    def _sniff_delimiter(self):
        """The separator that splits the header line the most (``;`` on ties): values may hold
        decimal commas, headers hardly ever hold separators."""
        text = self._text()
        try:
            for line in text:
                if line.strip():
                    break
            else:
                line = ""
        finally:
            text.detach()
        counts = {d: line.count(d) for d in (";", "\t", ",")}
        best = max(counts, key=lambda d: counts[d])  # ";" first on ties
        return best if counts[best] else ";"

    def _reader(self):
        text = self._text()
        return text, csv.reader(text, delimiter=self.delimiter)

    def rows(self):
        text, reader = self._reader()
        try:
            for number, cells in enumerate(_csv_records(reader), start=1):
                yield (
                    number,
                    [Formula(c.strip()) if c.strip().startswith("=") else c for c in cells],
                )
        finally:
            text.detach()

    def count(self):
        text, reader = self._reader()
        try:
            return sum(1 for _ in _csv_records(reader))
        finally:
            text.detach()


def _csv_records(reader):
    """The reader's records; a line it cannot read (a value too long) refuses the file."""
    try:
        yield from reader
    except csv.Error as error:
        raise FileRefused(
            _("Line %(line)s cannot be read as CSV (%(error)s).")
            % {"line": reader.line_num, "error": error},
            code="bad_csv",
        ) from None


class XlsxTable(Table):
    kind = XLSX_KIND
    encoding = ""
    delimiter = ""

    def __init__(self, file, max_unpacked=XLSX_MAX_UNPACKED):
        import openpyxl

        check_archive(file, max_unpacked)
        file.seek(0)
        try:
            # Formulas read as formulas (data_only=False): each is refused, never evaluated.
            self.workbook = openpyxl.load_workbook(file, read_only=True, data_only=False)
        except Exception as error:  # openpyxl raises many kinds on a damaged workbook
            raise _unreadable(error) from error
        if not self.workbook.worksheets:
            self.workbook.close()
            raise FileRefused(_("This XLSX workbook has no worksheet."), code="bad_xlsx")
        self.sheet = self.workbook.worksheets[0]
        declared = self.sheet.max_row
        self.declared_rows = declared if isinstance(declared, int) else None
        # The dimensions the file declares ("A1:XFD1048576") would pad every row and fill
        # every gap with empty cells: read only the cells the sheet holds.
        self.sheet.reset_dimensions()

    def rows(self):
        cells_by_row = enumerate(self.sheet.iter_rows(min_row=1), start=1)
        while True:
            try:
                number, cells = next(cells_by_row)
            except StopIteration:
                return
            except Exception as error:  # a sheet damaged further down, found while reading
                raise _unreadable(error) from error
            values = []
            for cell in cells[:MAX_COLUMNS]:
                value = cell.value
                if getattr(cell, "data_type", None) == "f" or (
                    isinstance(value, str) and value.strip().startswith("=")
                ):
                    value = Formula(getattr(value, "text", None) or str(value))
                values.append(value)
            yield number, values

    def count(self):
        return self.declared_rows

    def close(self):
        self.workbook.close()


def _unreadable(error):
    return FileRefused(
        _("This XLSX workbook cannot be read (%(error)s).") % {"error": error}, code="bad_xlsx"
    )


def check_archive(file, max_unpacked):
    """Refuse, from the ZIP's directory alone, a workbook that would unpack to more than
    ``max_unpacked`` bytes, has too many parts or is compressed in a way XLSX never is."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise _unreadable(error) from error
    finally:
        file.seek(0)
    if len(parts) > XLSX_MAX_PARTS or any(
        part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for part in parts
    ):
        raise FileRefused(
            _("This XLSX workbook is not built as Excel or LibreOffice build them."),
            code="bad_xlsx",
        )
    if sum(part.file_size for part in parts) > max_unpacked:
        raise FileRefused(
            _(
                "This XLSX workbook unpacks to more than %(max)s: is it really a list of "
                "members? Save it as CSV."
            )
            % {"max": filesizeformat(max_unpacked)},
            code="too_large",
        )


def open_table(file, max_unpacked=XLSX_MAX_UNPACKED):
    kind = sniff_kind(file)
    return XlsxTable(file, max_unpacked) if kind == XLSX_KIND else CsvTable(file)


# --- the report --------------------------------------------------------------------------------

CREATE, UPDATE, UNCHANGED, REJECT = "create", "update", "unchanged", "reject"


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class RowResult:
    number: int
    name: str = ""
    siren: str = ""
    action: str = ""
    errors: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    membership: str = ""
    contact_email: str = ""
    contact_name: str = ""
    contact_action: str = ""  # "attached", "already attached", "to invite"
    organisation_id: int | None = None


@dataclass
class ImportReport:
    pole: object
    file_name: str = ""
    kind: str = ""
    encoding: str = ""
    delimiter: str = ""
    dry_run: bool = True
    skip_invalid: bool = False
    columns: list = field(default_factory=list)  # (header in the file, what Grappe makes of it)
    ignored_columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    committed: bool = False

    def _with(self, action):
        return [r for r in self.rows if r.action == action]

    @property
    def created(self):
        return self._with(CREATE)

    @property
    def updated(self):
        return self._with(UPDATE)

    @property
    def unchanged(self):
        return self._with(UNCHANGED)

    @property
    def rejected(self):
        return self._with(REJECT)

    @property
    def importable(self):
        return [r for r in self.rows if r.action != REJECT]

    @property
    def refused(self):
        """The real run writes nothing: some rows are rejected and were not to be skipped."""
        return bool(self.rejected) and not self.skip_invalid

    @property
    def contacts_to_invite(self):
        return [r for r in self.rows if r.contact_action == "to invite" and r.action != REJECT]

    @property
    def encoding_label(self):
        return ENCODINGS.get(self.encoding, self.encoding)

    @property
    def delimiter_label(self):
        return DELIMITERS.get(self.delimiter, self.delimiter)


# --- importing -------------------------------------------------------------------------------


def _map_headers(cells):
    """``[(index, Column, header as written)]`` and the ignored headers; FileRefused when a
    required column is missing or two columns mean the same thing."""
    ignored, by_field = [], {}
    for index, cell in enumerate(cells):
        header = _text(cell) if not is_blank(cell) else ""
        if not header:
            continue
        column = BY_KEY.get(key(header))
        if column is None:
            ignored.append(header)
        else:
            by_field.setdefault(column.field, []).append((index, column, header))
    found = []
    for candidates in by_field.values():
        if len(candidates) > 1:
            # "Raison sociale" beside "Nom" (a contact's name?): the exact header wins.
            exact = [c for c in candidates if key(c[2]) == key(c[1].header)]
            if len(exact) != 1:
                raise FileRefused(
                    _("The columns %(columns)s all mean “%(meaning)s”: keep one.")
                    % {
                        "columns": ", ".join(f"« {c[2]} »" for c in candidates),
                        "meaning": candidates[0][1].header,
                    },
                    code="duplicate_column",
                )
            ignored.extend(c[2] for c in candidates if c is not exact[0])
            candidates = exact
        found.append(candidates[0])
    found.sort(key=lambda c: c[0])
    seen = {candidate[1].field for candidate in found}
    missing = [h for h in ("Raison sociale", "Catégorie") if BY_KEY[key(h)].field not in seen]
    if "siren" not in seen and "siret" not in seen:
        missing.append("SIREN")
    if missing:
        headers = [_text(c) for c in cells if not is_blank(c)]
        raise FileRefused(
            _(
                "Required columns are missing: %(missing)s. The file's first row should hold the "
                "headers; it holds: %(found)s."
            )
            % {
                "missing": ", ".join(f"« {h} »" for h in missing),
                "found": ", ".join(f"« {h} »" for h in headers) or _("nothing"),
            },
            code="missing_columns",
        )
    return found, ignored


class _Row:
    """One row being imported: its values by field, its errors by column."""

    def __init__(self, number, cells, columns, width):
        self.result = RowResult(number)
        self.headers = {column.field: header for _i, column, header in columns}
        self.order = {column.field: index for index, column, _h in columns}
        self.values = {}
        self.errors = []  # (column index, message): told in the file's order
        self.failed = set()  # fields with an error already: one message per column is enough
        for index, column, _header in columns:
            value = cells[index] if index < len(cells) else None
            if is_blank(value):
                continue
            if isinstance(value, Formula):
                self.error(
                    column.field,
                    _(
                        "the cell holds a formula (%(formula)s): formulas are not evaluated, type "
                        "the value itself."
                    )
                    % {"formula": value[:40]},
                )
                continue
            parse = PARSERS.get(column.field, _text)
            try:
                self.values[column.field] = parse(value)
            except CellError as error:
                self.error(column.field, str(error))
        extra = [c for c in cells[width:] if not is_blank(c)]
        if extra:
            self.error(
                None,
                _(
                    "The row has more cells than the header: a value probably holds the separator "
                    "(a decimal comma in a comma-separated file?); put such values in quotes."
                ),
            )

    def column_name(self, field_name):
        if field_name in self.headers:
            return self.headers[field_name]
        if field_name in BY_FIELD:
            return BY_FIELD[field_name].header
        try:
            return str(Organisation._meta.get_field(field_name).verbose_name)
        except Exception:
            return field_name

    def error(self, field_name, message):
        if field_name in (None, NON_FIELD_ERRORS):
            self.errors.append((len(self.headers), str(message)))
            return
        self.failed.add(field_name)
        self.errors.append(
            (
                self.order.get(field_name, len(self.headers)),
                _("Column “%(column)s”: %(message)s")
                % {"column": self.column_name(field_name), "message": message},
            )
        )

    def model_errors(self, error, fields_map=None):
        """A model's ValidationError, each message on the column it is about."""
        fields_map = fields_map or {}
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.error(None, message)
            return
        for field_name, messages in error.message_dict.items():
            name = fields_map.get(field_name, field_name)
            if name in self.failed:
                continue  # the cell's own error already says it
            for message in messages:
                self.error(name, message)


def _display(model, field_name, value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    model_field = model._meta.get_field(field_name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    return str(value)


class _Importer:
    def __init__(self, pole, report, write):
        self.pole = pole
        self.report = report
        self.write = write
        self.sirens = {}  # SIREN → the row that had it first
        self.names = {}  # normalised name → the row that had it first
        self.found = {}  # existing organisation's pk → the row that matched it first

    def run(self, row):
        values, result = row.values, row.result
        result.name = values.get("legal_name", "")
        siren = values.get("siren") or values.get("siret", "")[:9]
        result.siren = siren
        result.contact_email = values.get("contact_email", "")
        result.contact_name = values.get("contact_name", "")
        self._check_unique_in_file(row, siren)
        organisation = self._organisation(row, siren)
        membership = self._membership(row, organisation) if organisation is not None else None
        person = self._contact(row, organisation)
        if row.errors:
            return self._reject(row)
        if self.write:
            try:
                with transaction.atomic():
                    self._save(organisation, membership, person)
            except DatabaseError as error:
                row.error(None, _("The row could not be saved: %(error)s") % {"error": error})
                return self._reject(row)
            except StaleEdit:
                row.error(
                    None,
                    _(
                        "Someone changed this organisation while the file was being imported: "
                        "import the file again."
                    ),
                )
                return self._reject(row)
        result.organisation_id = organisation.pk
        return result

    def _reject(self, row):
        """A rejected row does nothing: only its errors are told, in the file's column order."""
        result = row.result
        result.action = REJECT
        result.errors = [message for _order, message in sorted(row.errors, key=lambda e: e[0])]
        result.changes, result.membership, result.contact_action = [], "", ""
        return result

    def _check_unique_in_file(self, row, siren):
        number = row.result.number
        if siren:
            first = self.sirens.setdefault(siren, number)
            if first != number:
                row.error(
                    "siren" if "siren" in row.values else "siret",
                    _("row %(row)s already has this SIREN.") % {"row": first},
                )
        name_key = normalise_name(row.values.get("legal_name", ""))
        if name_key:
            first = self.names.setdefault(name_key, number)
            if first != number:
                row.error(
                    "legal_name",
                    _(
                        "row %(row)s already has this name (both read “%(key)s” once accents, "
                        "case and legal forms are dropped)."
                    )
                    % {"row": first, "key": name_key},
                )

    def _find(self, row, siren):
        """The existing organisation the row is about, None if it is new; rejects the row when
        its name points to several, or to one of another SIREN."""
        if len(siren) == 9:
            found = Organisation.objects.filter(siren=siren).first()
            if found is not None:
                return found
        name_key = normalise_name(row.values.get("legal_name", ""))
        if not name_key:
            return None
        candidates = list(Organisation.objects.filter(name_key=name_key)[:3])
        if siren:
            others = [o for o in candidates if o.siren and o.siren != siren]
            candidates = [o for o in candidates if not o.siren]
            if others and not candidates:
                row.error(
                    "legal_name",
                    _(
                        "an organisation of this name but another SIREN is already in Grappe: "
                        "check the SIREN, or create this organisation from its own page if it "
                        "really is another one."
                    ),
                )
                return None
        if len(candidates) > 1:
            row.error(
                "legal_name",
                _("several organisations in Grappe have this name: give the SIREN to tell which."),
            )
            return None
        return candidates[0] if candidates else None

    def _organisation(self, row, siren):
        values, result = row.values, row.result
        if "legal_name" in row.failed:
            return None
        existing = self._find(row, siren)
        if existing is not None and not {"legal_name", "siren", "siret"} & row.failed:
            first = self.found.setdefault(existing.pk, result.number)
            if first != result.number:
                row.error(
                    "legal_name",
                    _("row %(row)s is already about this organisation (%(name)s).")
                    % {"row": first, "name": existing.legal_name},
                )
        fields = {f: values[f] for f in ORGANISATION_FIELDS if f in values}
        if existing is None:
            organisation = Organisation(**fields)
            result.action = CREATE
        else:
            organisation = existing
            result.name = existing.legal_name
            for name, value in fields.items():
                if name == "legal_name" or (name == "siren" and existing.siren):
                    continue  # an existing organisation keeps its name and identity
                old = getattr(existing, name)
                if old != value:
                    result.changes.append(
                        Change(
                            str(Organisation._meta.get_field(name).verbose_name),
                            _display(Organisation, name, old),
                            _display(Organisation, name, value),
                        )
                    )
                    setattr(organisation, name, value)
            result.action = UPDATE
        try:
            organisation.full_clean()
        except ValidationError as error:
            row.model_errors(error)
        result.siren = organisation.siren or result.siren
        return organisation

    def _membership(self, row, organisation):
        values, result = row.values, row.result
        status = values.get("membership_status")
        since = values.get("member_since")
        membership = None
        if organisation.pk:
            membership = Membership.objects.filter(
                organisation=organisation, pole=self.pole
            ).first()
        if membership is None:
            membership = Membership(
                organisation=organisation if organisation.pk else None,
                pole=self.pole,
                status=status or Status.CURRENT,
                start_date=since,
            )
            result.membership = _("new membership: %(status)s") % {
                "status": membership.get_status_display()
            }
        else:
            notes = []
            if status and status != membership.status:
                notes.append(
                    _("status: %(old)s → %(new)s")
                    % {
                        "old": membership.get_status_display(),
                        "new": Status(status).label,
                    }
                )
                membership.status = status
            if since and since != membership.start_date:
                notes.append(
                    _("member since: %(old)s → %(new)s")
                    % {
                        "old": _display(Membership, "start_date", membership.start_date),
                        "new": _display(Membership, "start_date", since),
                    }
                )
                membership.start_date = since
            result.membership = "; ".join(str(n) for n in notes)
            if result.action == UPDATE and not result.changes and not notes:
                result.action = UNCHANGED
        try:
            membership.full_clean(exclude=["organisation"], validate_unique=False)
        except ValidationError as error:
            row.model_errors(
                error,
                {
                    "status": "membership_status",
                    "start_date": "member_since",
                    "end_date": "member_since",
                },
            )
        return membership

    def _contact(self, row, organisation):
        result = row.result
        email = result.contact_email
        if not email:
            return None
        person = Person.objects.filter(email__iexact=email).first()
        if person is None:
            result.contact_action = "to invite"
            return None
        if (
            organisation is not None
            and organisation.pk
            and Affiliation.objects.filter(person=person, organisation=organisation).exists()
        ):
            result.contact_action = "already attached"
            return None
        result.contact_action = "attached"
        if result.action == UNCHANGED:
            result.action = UPDATE
        return person

    def _save(self, organisation, membership, person):
        if organisation.pk is not None:
            claim_version(organisation)  # a profile saved since this run read it is not lost
        organisation.save()  # save(), never bulk: name_key and search_text are computed there
        membership.organisation = organisation
        membership.save()
        if person is not None:
            Affiliation.objects.get_or_create(person=person, organisation=organisation)


def _within(rows, max_lines):
    """The table's rows, each cut to MAX_COLUMNS cells; FileRefused past ``max_lines``."""
    try:
        for number, cells in rows:
            if max_lines is not None and number > max_lines:
                raise FileRefused(
                    _(
                        "The file goes on past row %(max)s (blank rows count too): delete the "
                        "rows below the table, or import it with the command "
                        "“manage.py import_members”."
                    )
                    % {"max": max_lines},
                    code="too_many_rows",
                )
            yield number, cells[:MAX_COLUMNS]
    finally:
        rows.close()


def import_members(
    file,
    pole,
    *,
    name="",
    dry_run=True,
    skip_invalid=False,
    progress=None,
    max_rows=None,
    max_lines=None,
    max_unpacked=XLSX_MAX_UNPACKED,
):
    """Import the members of ``pole`` from ``file`` (a binary file object, CSV or XLSX).

    Returns an ``ImportReport``. A dry run writes nothing. The real run writes every row in one
    transaction, and nothing at all when a row is rejected, unless ``skip_invalid``: then the
    valid rows are written and the others skipped. ``progress(done, total)`` is called after
    each row (``total`` may be None). Raises ``FileRefused`` when the file cannot be imported
    at all (its type, encoding or headers), has more than ``max_rows`` rows with values or
    ``max_lines`` rows in all, or is an XLSX unpacking to more than ``max_unpacked`` bytes."""
    report = ImportReport(pole=pole, file_name=name, dry_run=dry_run, skip_invalid=skip_invalid)
    table = open_table(file, max_unpacked)
    rows = None
    try:
        report.kind, report.encoding, report.delimiter = (
            table.kind,
            table.encoding,
            table.delimiter,
        )
        total = table.count() if progress else None
        rows = _within(table.rows(), max_lines)
        header_number, header = next(
            ((n, cells) for n, cells in rows if any(not is_blank(c) for c in cells)), (0, None)
        )
        if header is None:
            raise FileRefused(_("The file holds no row at all."), code="empty")
        columns, report.ignored_columns = _map_headers(header)
        report.columns = [(written, column.header) for _i, column, written in columns]
        width = len(header)
        if total is not None:
            total = max(total - header_number, 0)
        importer = _Importer(pole, report, write=not dry_run)
        done = 0
        with transaction.atomic():
            for number, cells in rows:
                if all(is_blank(c) for c in cells):
                    continue
                if max_rows is not None and len(report.rows) >= max_rows:
                    raise FileRefused(
                        _(
                            "The file has more than %(max)s rows: import it with the command "
                            "“manage.py import_members”."
                        )
                        % {"max": max_rows},
                        code="too_many_rows",
                    )
                report.rows.append(importer.run(_Row(number, cells, columns, width)))
                done = number - header_number
                if progress:
                    progress(done, total)
            if dry_run or report.refused:
                transaction.set_rollback(True)
            else:
                report.committed = True
        if progress and total is not None and done < total:
            progress(total, total)
    finally:
        if rows is not None:
            rows.close()  # the reader lets go of the file before the file is closed
        table.close()
    if not report.committed:
        for row in report.created:
            row.organisation_id = None  # rolled back, or never written
    return report
