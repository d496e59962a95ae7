"""The member directory: sectors of activity, text search and what each entry shows.

Text search compares the query reduced by ``validators.searchable`` (lower case, no accents)
with ``Organisation.search_text`` and ``Post.search_text``, reduced the same way when saved:
"ecole" finds "École" and "ÉCOLE" on SQLite and PostgreSQL alike, with a plain ``LIKE``.
Rows written without ``save()`` (``bulk_create``, ``update``) lack it:
``manage.py rebuild_search_text`` repairs them.
"""

import dataclasses

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from .models import Organisation, Region
from .validators import searchable

# The sections of the French classification of activities (NAF rév. 2), by their divisions
# (the code's first two digits). Official French labels, like the regions' names.
NAF_SECTIONS = [
    ("A", 1, 3, "Agriculture, sylviculture et pêche"),
    ("B", 5, 9, "Industries extractives"),
    ("C", 10, 33, "Industrie manufacturière"),
    (
        "D",
        35,
        35,
        "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné",
    ),
    (
        "E",
        36,
        39,
        "Production et distribution d'eau ; assainissement, gestion des déchets et dépollution",
    ),
    ("F", 41, 43, "Construction"),
    ("G", 45, 47, "Commerce ; réparation d'automobiles et de motocycles"),
    ("H", 49, 53, "Transports et entreposage"),
    ("I", 55, 56, "Hébergement et restauration"),
    ("J", 58, 63, "Information et communication"),
    ("K", 64, 66, "Activités financières et d'assurance"),
    ("L", 68, 68, "Activités immobilières"),
    ("M", 69, 75, "Activités spécialisées, scientifiques et techniques"),
    ("N", 77, 82, "Activités de services administratifs et de soutien"),
    ("O", 84, 84, "Administration publique"),
    ("P", 85, 85, "Enseignement"),
    ("Q", 86, 88, "Santé humaine et action sociale"),
    ("R", 90, 93, "Arts, spectacles et activités récréatives"),
    ("S", 94, 96, "Autres activités de services"),
    ("T", 97, 98, "Activités des ménages en tant qu'employeurs et producteurs pour usage propre"),
    ("U", 99, 99, "Activités extra-territoriales"),
]
SECTION_CHOICES = [(letter, f"{letter} — {label}") for letter, _first, _last, label in NAF_SECTIONS]
_SECTIONS = {letter: (first, last, label) for letter, first, last, label in NAF_SECTIONS}
_SECTION_OF_DIVISION = {
    division: letter
    for letter, first, last, _label in NAF_SECTIONS
    for division in range(first, last + 1)
}

# The directory counts its matches up to this many ("more than 500: narrow your search"),
# instead of reading the thousands a broad word matches; its pages go that far (20 pages of
# 25: beyond, people narrow the search with its filters). Counting 1 000 took a broad search
# on the national data 2 ms more, a tenth of the page.
DIRECTORY_COUNT_CAP = 500
MAX_QUERY_WORDS = 10  # a pasted paragraph must not become a hundred LIKEs


def naf_section(code):
    """The section letter of a NAF code ("62.01Z" → "J"), or "" when there is none."""
    try:
        return _SECTION_OF_DIVISION.get(int((code or "")[:2]), "")
    except ValueError:
        return ""


def sector_label(code):
    """The label of the section of a NAF code ("22.29A" → "Industrie manufacturière")."""
    letter = naf_section(code)
    return _SECTIONS[letter][2] if letter else ""


def in_section(letter, field="naf_code"):
    """A condition: the NAF code in ``field`` belongs to section ``letter``."""
    first, last, _label = _SECTIONS[letter]
    condition = Q()
    for division in range(first, last + 1):
        condition |= Q(**{f"{field}__startswith": f"{division:02d}."})
    return condition


def query_words(query):
    """The words of a query reduced like ``search_text`` (case and accents dropped)."""
    return searchable(query).split()[:MAX_QUERY_WORDS]


def text_search(query, field="search_text"):
    """A condition: every word of ``query`` is in ``field`` (AND), whatever its case and
    accents. An empty query is no condition."""
    condition = Q()
    for word in query_words(query):
        condition &= Q(**{f"{field}__contains": word})
    return condition


PROJECTS_SHOWN = 5  # an entry's labelled projects shown; the organisation's page lists them all


@dataclasses.dataclass(slots=True)
class PublicProject:
    """A labelled project (public by its summary) as a directory entry names it."""

    id: int
    acronym: str
    title: str
    url: str = ""


def attach_public_projects(organisations):
    """Give each of ``organisations`` (a page of them, a list) ``public_projects``, its first
    ``PROJECTS_SHOWN`` labelled projects by acronym, and ``public_projects_total``, how many
    there are in all — read in one query for the page, whatever their number (a laboratory
    is in hundreds of projects). Returns ``organisations``."""
    from projects.models import Partner

    by_pk = {organisation.pk: organisation for organisation in organisations}
    for organisation in organisations:
        organisation.public_projects, organisation.public_projects_total = [], 0
    if not by_pk:
        return organisations
    # One place in a project each (``partner_unique_per_project``): a project once per entry.
    by_acronym = [F("project__acronym").asc(), F("pk").asc()]
    rows = (
        Partner.objects.filter(organisation__in=by_pk, project__labelled_on__isnull=False)
        .annotate(
            total=Window(Count("pk"), partition_by=F("organisation_id")),
            rank=Window(RowNumber(), partition_by=F("organisation_id"), order_by=by_acronym),
        )
        .filter(rank__lte=PROJECTS_SHOWN)
        .order_by("project__acronym", "pk")
        .values_list("organisation_id", "project_id", "project__acronym", "project__title", "total")
    )
    for organisation_id, pk, acronym, title, total in rows:
        organisation = by_pk[organisation_id]
        organisation.public_projects.append(PublicProject(pk, acronym, title))
        organisation.public_projects_total = total
    return organisations


def _pk_url(view_name):
    """``pk → reverse(view_name, args=[pk])`` for a view taking one pk, reversed once: a
    page of the directory links up to 150 organisations and projects."""
    marker = 987654321
    before, after = reverse(view_name, args=[marker]).split(str(marker))
    return lambda pk: f"{before}{pk}{after}"


def describe_entries(organisations):
    """What each entry of a directory page (a list) shows: its ``url``, ``sector``,
    ``category_label``, ``region_label``, ``public_projects`` (each with its ``url``) and how
    many ``more_projects``; the labels of a page looked up once, its projects in one query."""
    attach_public_projects(organisations)
    organisation_url, project_url = _pk_url("organisation_detail"), _pk_url("project_detail")
    categories = dict(Organisation.Category.choices)
    regions = dict(Region.choices)
    for organisation in organisations:
        organisation.url = organisation_url(organisation.pk)
        organisation.sector = sector_label(organisation.naf_code)
        organisation.category_label = categories.get(organisation.category, organisation.category)
        organisation.region_label = regions.get(organisation.region, organisation.region)
        shown = organisation.public_projects
        organisation.more_projects = organisation.public_projects_total - len(shown)
        for project in shown:
            project.url = project_url(project.id)
