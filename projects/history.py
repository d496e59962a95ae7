"""The history of a project, read-only: every change to the project, its partners and
their budgets, its contacts, its submissions and its milestones (django-simple-history's
records), and its moves along the lifecycle (``StateChange``), merged newest first.

Each entry says who, when, which object, and for each field that changed its name and
its value before and after, as a reader writes them (money in euros, choices by label).
A page costs a fixed number of queries whatever the number of changes: per kind of
object, its latest records and the records they follow; then the names they refer to.

What a viewer may not see never shows: the history is for those who see the project's
confidential part (callers check ``permissions.may_view_confidential``), and a pole's
deliberation notes only for that pole's staff, as on the project page.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import OuterRef, Subquery, Value
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from portal import snapshots
from portal.models import Organisation, Person, Pole
from portal.templatetags.grappe import euros

from . import permissions
from .models import Contact, Milestone, Partner, Project, State, Submission

PAGE_SIZE = 100
PREVIEW_SIZE = 10  # the project page's latest changes; the whole history has its own page
MAX_PAGE = 10_000  # a million changes: beyond, a page number is a mistake
CREATED, CHANGED, DELETED, MOVED = "created", "changed", "deleted", "moved"
_ACTIONS = {"+": CREATED, "~": CHANGED, "-": DELETED}
_RANK = models.IntegerField()
_history_managers = {}  # model -> its historical model's manager (see history_of)


@dataclass
class FieldChange:
    name: str
    label: str
    before: str  # as a reader writes it; "" when empty
    after: str
    before_value: object = None  # the stored value, for the API
    after_value: object = None


@dataclass
class Entry:
    at: object
    who: object  # a Person, or None for changes made outside a request
    kind: str  # project, partner, contact, submission, milestone or state
    action: str  # created, changed, deleted or moved
    object: str  # the object, as a reader names it
    title: str  # one line saying what happened
    changes: list = field(default_factory=list)
    comment: str = ""
    sort_key: tuple = ()


@dataclass
class HistoryPage:
    entries: list
    number: int
    has_next: bool

    @property
    def next_page_number(self):
        return self.number + 1


def history_of(model):
    """The historical records of ``model``: its historical model's plain manager, read once
    (``model.history`` builds a new manager class at each use, a cost the pages paid per
    query)."""
    manager = _history_managers.get(model)
    if manager is None:
        manager = _history_managers[model] = model.history.model._default_manager
    return manager


class _Source:
    """One kind of object whose records tell the history."""

    def __init__(self, model, kind, hidden, records=None, name=None, viewer=None):
        self.model, self.kind = model, kind
        self.custom_records, self.name, self.viewer = records, name, viewer  # register_source
        self.historical = model.history.model
        self.history = history_of(model)
        tracked = self.historical.tracked_fields
        # What a reader is shown; ``hidden`` is bookkeeping, or told by another entry.
        self.fields = [f for f in tracked if f.name not in hidden]
        # What names the object or its values: the organisation, the person, the pole…
        self.relations = [f for f in tracked if f.is_relation and f.name != "project"]

    def records(self, project, user):
        if self.custom_records is not None:
            return self.custom_records(project, user)
        history = self.history
        if self.model is Project:
            return history.filter(id=project.pk)
        if self.model is Contact:
            # Through every partner the project ever had: a removed one's contacts too.
            partners = history_of(Partner).filter(project_id=project.pk).values("id")
            return history.filter(partner_id__in=partners)
        return history.filter(project_id=project.pk)


SOURCES = [
    # The state is told by the StateChange entries, with their comment.
    _Source(Project, "project", {"id", "state", "created_at", "created_by"}),
    _Source(Partner, "partner", {"id", "project"}),
    _Source(Contact, "contact", {"id", "partner"}),
    _Source(Submission, "submission", {"id", "project"}),
    _Source(Milestone, "milestone", {"id", "project"}),
]
STATE_RANK = 1000  # among entries of the same instant, state changes sort last
_namers = {}  # model -> function(ids) -> {pk: name}, for models other apps register


def register_source(model, kind, hidden, *, records, name, viewer, namers=None):
    """Add the records of another app's ``model`` to the history (projects imports no other
    app): ``records(project, user)``, its historical records about ``project`` that ``user``
    may see; ``viewer(project, user)``, a text that is the same for two people exactly when
    ``records`` gives them the same (what the project page's kept history is kept per);
    ``name(record, names)``, the object as a reader names it (``names.of(model, pk)``);
    ``namers``, {model: function(ids) -> {pk: name}} for what its records point to. Watch
    ``model`` (``portal.snapshots.watch``) so that its changes move its project's scope on."""
    SOURCES.append(_Source(model, kind, hidden, records=records, name=name, viewer=viewer))
    _namers.update(namers or {})


def page_number(value):
    """The page asked for (``?page=``); the first one unless it is a positive number."""
    try:
        return min(max(int(value), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def project_history(user, project, page=1, page_size=PAGE_SIZE):
    """The ``page``-th ``page_size`` records of ``project``'s history, as ``user`` may see them:
    fewer entries when some records say nothing this viewer may see (a change of another
    pole's notes, a save that changed nothing), so that pages never overlap nor skip."""
    page = max(int(page), 1)
    # The newest ``page`` pages of each kind hold the newest ``page`` pages of all.
    limit = page * page_size + 1
    fetched = []  # (sort key, source or None for a state change, record)
    for rank, source in enumerate(SOURCES):
        for record in _latest(source, project, user, limit):
            fetched.append(((record.history_date, rank, record.history_id), source, record))
    state_changes = project.state_changes.select_related("by").order_by("-at", "-pk")[:limit]
    for change in state_changes:
        fetched.append(((change.at, STATE_RANK, change.pk), None, change))
    fetched.sort(key=lambda item: item[0], reverse=True)
    window = fetched[(page - 1) * page_size : page * page_size]
    return _page(user, project, window, page, has_next=len(fetched) > page * page_size)


def latest_changes(user, project, count=PREVIEW_SIZE):
    """The first page of ``count`` entries of ``project_history``, read the cheap way for the
    project page: the keys of the newest records of every kind in one query, then the
    records among them, a query per kind present (a few, rarely every kind)."""
    keys = _newest_keys(project, user, count + 1)
    window = keys[:count]
    wanted = {}
    for _at, rank, pk in window:
        wanted.setdefault(rank, []).append(pk)
    records = {}
    for rank, pks in wanted.items():
        if rank == STATE_RANK:
            rows = project.state_changes.filter(pk__in=pks).select_related("by")
        else:
            source = SOURCES[rank]
            rows = _with_previous_id(source, source.history.filter(history_id__in=pks))
        records.update(((rank, row.pk), row) for row in rows)
    window = [
        (key, None if key[1] == STATE_RANK else SOURCES[key[1]], records[key[1:]]) for key in window
    ]
    return _page(user, project, window, 1, has_next=len(keys) > count)


def kept_preview(user, project, count=PREVIEW_SIZE):
    """The history section of the project page: ``latest_changes`` as history_section.html
    writes it, kept until the project's history or a name it shows changes (``portal.
    snapshots``: every kind of record it tells is watched and moves its project's scope on;
    organisations', poles', funders' and programmes' names move every scope on, people's
    ``PEOPLE``), per language and per what decides the records and notes the viewer reads:
    the poles whose deliberation notes they read and what each registered source says of
    them. For those who see the project's confidential part (callers check)."""
    viewer = {
        "project": project.pk,
        "notes": ",".join(str(pk) for pk in sorted(permissions.deliberation_pole_ids(user))),
    }
    for source in SOURCES:
        if source.viewer is not None:
            viewer[source.kind] = source.viewer(project, user)

    def render_section():
        context = {
            "history": latest_changes(user, project, count),
            "history_preview": True,
            "project": project,
        }
        return render_to_string("projects/history_section.html", context)

    scopes = [*snapshots.project_scopes([project.pk]), snapshots.PEOPLE]
    html = snapshots.cached_html("project-history", scopes, viewer, render_section)
    return mark_safe(html)  # escaped by the template


def _newest_keys(project, user, limit):
    """The (date, rank, id) of the newest ``limit`` records of every kind, newest first,
    in one query (a UNION of each kind's records ``user`` may see)."""
    rank = lambda value: Value(value, output_field=_RANK)  # noqa: E731
    parts = [
        source.records(project, user)
        .annotate(rank=rank(index))
        .values_list("history_date", "rank", "history_id")
        .order_by()
        for index, source in enumerate(SOURCES)
    ]
    parts.append(
        project.state_changes.annotate(rank=rank(STATE_RANK))
        .values_list("at", "rank", "pk")
        .order_by()
    )
    newest = parts[0].union(*parts[1:], all=True)
    keys = list(newest.order_by("-history_date", "-rank", "-history_id")[:limit])
    return sorted(keys, reverse=True)


def _page(user, project, window, page, has_next):
    """The entries of ``window`` ((sort key, source or None, record), newest first)."""
    previous = _previous_records(window)
    names = _Names([(s, r) for _k, s, r in window if s] + list(previous.values()))
    notes_poles = permissions.deliberation_pole_ids(user)
    entries = []
    for key, source, record in window:
        if source is None:
            entry = _state_entry(project, record)
        else:
            entry = _record_entry(source, record, previous.get((source, record.previous_id)), names)
            if source.model is Submission and record.pole_id not in notes_poles:
                entry.changes = [c for c in entry.changes if c.name != "staff_notes"]
            if entry.action == CHANGED and not entry.changes:
                continue  # nothing this viewer may see changed (or a save that changed nothing)
        entry.sort_key = key
        entries.append(entry)
    return HistoryPage(entries=entries, number=page, has_next=has_next)


def _latest(source, project, user, limit):
    """The newest ``limit`` records, each with the id of the record it follows."""
    records = _with_previous_id(source, source.records(project, user))
    return list(records.order_by("-history_date", "-history_id")[:limit])


def _with_previous_id(source, records):
    """``records`` with their author, each with the id of the record it follows."""
    before = source.history.filter(
        id=OuterRef("id"), history_id__lt=OuterRef("history_id")
    ).order_by("-history_id")
    return records.select_related("history_user").annotate(
        previous_id=Subquery(before.values("history_id")[:1])
    )


def _previous_records(window):
    """The records the changed ones follow, in one query per kind of object, keyed by
    (source, history id): history ids are numbered per historical table."""
    wanted = {}
    for _key, source, record in window:
        if source is not None and record.history_type == "~" and record.previous_id:
            wanted.setdefault(source, set()).add(record.previous_id)
    return {
        (source, record.history_id): (source, record)
        for source, ids in wanted.items()
        for record in source.history.filter(history_id__in=ids)
    }


class _Names:
    """The names of the objects the records point to, read in one query per model."""

    def __init__(self, records):
        wanted = {}
        for source, record in records:
            for f in source.relations:
                value = getattr(record, f.attname)
                if value is not None:
                    wanted.setdefault(f.related_model, set()).add(value)
        self.names = {}
        for model, ids in wanted.items():
            if model is Partner:
                # A partner is named by its organisation, even once removed from the project.
                rows = (
                    history_of(Partner)
                    .filter(id__in=ids)
                    .values_list("id", "organisation__legal_name")
                )
                self.names[model] = dict(rows.order_by().distinct())
            elif model in _namers:
                self.names[model] = _namers[model](ids)
            else:
                objects = model._default_manager.filter(pk__in=ids)
                self.names[model] = {o.pk: str(o) for o in objects}

    def of(self, model, pk):
        if pk is None:
            return ""
        return self.names.get(model, {}).get(pk) or f"#{pk}"


def _display(f, value, names):
    if value is None or value == "":
        return ""
    if f.is_relation:
        return names.of(f.related_model, value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.DecimalField):
        return euros(value)
    if isinstance(f, models.DateTimeField):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(f, models.DateField):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(f, models.BooleanField):
        return _("yes") if value else _("no")
    return str(value)


def _raw(value):
    """The stored value as JSON carries it: amounts and dates as text."""
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _is_blank(value):
    return value is None or value == "" or (isinstance(value, Decimal) and not value)


def _record_entry(source, record, previous, names):
    """The entry of one record; ``previous`` is (source, the record it follows) or None."""
    action = _ACTIONS[record.history_type]
    before_record = previous[1] if previous else None
    changes = []
    for f in source.fields if action != DELETED else []:
        after = getattr(record, f.attname)
        if action == CHANGED and before_record is not None:
            before = getattr(before_record, f.attname)
            if before == after:
                continue
        else:
            # A creation (or the oldest record kept of an object): the values it starts with.
            before = None
            if _is_blank(after):
                continue
        changes.append(
            FieldChange(
                name=f.name,
                label=str(f.verbose_name),
                before=_display(f, before, names),
                after=_display(f, after, names),
                before_value=_raw(before),
                after_value=_raw(after),
            )
        )
    name = _object_name(source, record, names)
    titles = {
        CREATED: _("%(kind)s “%(name)s” created"),
        CHANGED: _("%(kind)s “%(name)s” changed"),
        DELETED: _("%(kind)s “%(name)s” removed"),
    }
    return Entry(
        at=record.history_date,
        who=record.history_user,
        kind=source.kind,
        action=action,
        object=name,
        title=titles[action] % {"kind": _kind_label(source, record), "name": name},
        changes=changes,
    )


def _kind_label(source, record):
    if source.model is Milestone:
        label = dict(Milestone.Kind.choices).get(record.kind, Milestone._meta.verbose_name)
    else:
        label = source.model._meta.verbose_name
    return capfirst(str(label))


def _object_name(source, record, names):
    if source.name is not None:
        return source.name(record, names)
    if source.model is Project:
        return record.acronym
    if source.model is Partner:
        return names.of(Organisation, record.organisation_id)
    if source.model is Contact:
        return f"{names.of(Person, record.person_id)} — {names.of(Partner, record.partner_id)}"
    if source.model is Submission:
        return names.of(Pole, record.pole_id)
    return record.title


def _state_entry(project, change):
    before, after = State(change.from_state).label, State(change.to_state).label
    return Entry(
        at=change.at,
        who=change.by,
        kind="state",
        action=MOVED,
        object=project.acronym,
        title=_("Project moved from “%(from)s” to “%(to)s”") % {"from": before, "to": after},
        changes=[
            FieldChange(
                name="state",
                label=str(Project._meta.get_field("state").verbose_name),
                before=str(before),
                after=str(after),
                before_value=change.from_state,
                after_value=change.to_state,
            )
        ],
        comment=change.comment,
    )
