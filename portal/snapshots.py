"""Dashboard figures computed once and kept until the data behind them changes.

A pole's funding and impact figures aggregate tens of thousands of rows: seconds of SQL at
national scale. ``cached(kind, poles, params, compute)`` returns the figures kept for those
poles and parameters when they are still current, else computes, keeps and returns them.

Current means: the versions of the poles read (``FiguresVersion``, one row per pole, plus
scope 0 for what every pole's figures read) are those the figures were computed at. A
funder's portfolio is kept the same way, under its funders' scopes (``funder_scopes``); the
project page's costlier sections (funding, history) under their project's
(``project_scopes``), the history's also under ``PEOPLE`` (people's names). Every change to
the data moves the versions on, in the same transaction as the change:

- ``watch(model, poles=…, projects=…)`` connects a model's saves and deletes (each app watches
  its own models, in its AppConfig.ready) to ``changed``;
- code that writes without ``save()`` (``update()``, ``bulk_create``, raw SQL) calls
  ``changed`` itself.

The versions are read before the figures are computed: a change committed meanwhile makes
the kept figures stale at once, never current. A change still uncommitted when the figures
were read has not moved the versions others see, so it makes them stale when it commits.

Stale figures of a landing view (no filter) are shown, marked with when they were computed
(``STALE``), while the worker computes them again (``schedule_refresh``, a few seconds after
the change), for at most ``FIGURES_STALE_SECONDS`` after they were computed: under constant
changes, nobody waits seconds for a dashboard. Filtered views are computed when asked for.
"""

import contextvars
import datetime
import hashlib
import pickle
import time
import zlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone, translation
from django.utils.translation import get_language

from .models import FiguresSnapshot, FiguresVersion, Person, Pole

EVERY_POLE = 0  # the scope of what every pole's figures read
PEOPLE = 999_999_999  # people's names (as the project pages' kept history writes them)
FUNDERS = 1_000_000_000  # a funder's scope is FUNDERS + its pk: above every pole's pk
PROJECTS = 2_000_000_000  # a project's scope (its page's kept sections): PROJECTS + its pk (< 2^31)
# The key ``cached`` adds to figures shown while they are being computed again: when they were
# computed (pages say "figures of 16:20, being updated").
STALE = "stale_since"
_refreshing = contextvars.ContextVar("refreshing", default=False)  # the worker computes


def funder_scopes(funder_ids):
    """The scopes of the funders ``funder_ids`` (their portfolios' figures)."""
    return [FUNDERS + pk for pk in funder_ids]


def project_scopes(project_ids):
    """The scopes of the projects ``project_ids`` (what their pages keep)."""
    return [PROJECTS + pk for pk in project_ids]


def changed(*, poles=None, projects=None, funders=None, pages=None, people=False, everything=False):
    """The data of ``poles`` (pks, or a queryset of pks), or of ``projects`` (pks or a flat
    queryset of pks) and the poles they were submitted to, or of the funders ``funders`` (pks,
    or a queryset of pks) changed; or only what the pages of the projects ``pages`` (pks or a
    flat queryset of pks) keep, no figure; or, with ``people``, someone's name — or, with
    ``everything``, what every pole's figures and every project's kept sections read."""
    from projects.models import Submission  # projects imports portal

    versions = FiguresVersion.objects
    if everything:
        updated = versions.filter(scope=EVERY_POLE).update(version=F("version") + 1)
        if not updated:
            versions.bulk_create(
                [FiguresVersion(scope=EVERY_POLE, version=1)], ignore_conflicts=True
            )
        transaction.on_commit(schedule_refresh)
        return
    scopes = []
    if poles is not None:
        scopes.append(versions.filter(scope__in=poles))
    if projects is not None:
        submitted = Submission.objects.filter(project__in=projects).values("pole_id")
        scopes.append(versions.filter(scope__in=submitted))
        scopes.append(versions.filter(scope__in=project_scopes({pk for pk in projects if pk})))
    if funders is not None:
        scopes.append(versions.filter(scope__in=funder_scopes({pk for pk in funders if pk})))
    if pages is not None:
        scopes.append(versions.filter(scope__in=project_scopes({pk for pk in pages if pk})))
    if people:
        scopes.append(versions.filter(scope=PEOPLE))
    for queryset in scopes:
        # A pole without a row yet has no figures kept: nothing to make stale.
        queryset.update(version=F("version") + 1)
    if poles is not None or projects is not None or funders is not None:
        transaction.on_commit(schedule_refresh)  # figures only: pages keep no landing view


def stamp(pole_ids):
    """The versions of ``pole_ids`` (and of scope 0), as a short string."""
    scopes = sorted({EVERY_POLE, *pole_ids})
    versions = dict(FiguresVersion.objects.filter(scope__in=scopes).values_list("scope", "version"))
    missing = [scope for scope in scopes if scope not in versions]
    if missing:
        # Rows made before the figures are computed: later changes move them on.
        FiguresVersion.objects.bulk_create(
            [FiguresVersion(scope=scope) for scope in missing], ignore_conflicts=True
        )
    text = ",".join(f"{scope}:{versions.get(scope, 0)}" for scope in scopes)
    return hashlib.sha256(text.encode()).hexdigest()


def snapshot_key(kind, pole_ids, params):
    """The key of ``kind``'s figures of ``pole_ids`` with ``params`` (values that ``str``
    writes the same way every time; None or "" as if not given), in the current language
    (labels are translated)."""
    parts = [kind, ",".join(str(pk) for pk in sorted(pole_ids)), get_language() or ""]
    parts += [f"{k}={v}" for k, v in sorted(params.items()) if v not in (None, "")]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def cached(kind, pole_ids, params, compute, *, as_of=None):
    """``compute()``'s figures of ``pole_ids`` (scopes) with ``params`` (values, or model
    instances kept by their pk), kept while current — and, with ``as_of`` (a day…), computed
    as of that value: kept under the same key, replaced when it changes."""
    pole_ids = sorted(pole_ids)
    params = {  # a model instance (a theme…) by its pk; None or "" as if not given
        name: getattr(value, "pk", value)
        for name, value in params.items()
        if value not in (None, "")
    }
    key = snapshot_key(kind, pole_ids, params)
    current = stamp(pole_ids)
    if as_of is not None:
        current = hashlib.sha256(f"{current}|{as_of}".encode()).hexdigest()
    kept = FiguresSnapshot.objects.filter(key=key).values_list("stamp", "computed_at", "data")
    for kept_stamp, computed_at, data in kept:
        if kept_stamp == current:
            return pickle.loads(data)
        if not params and not _refreshing.get() and _may_show_while_refreshing(computed_at):
            # A landing view the worker computes again (``schedule_refresh``): shown as it
            # was, said to be, rather than computed again by whoever comes first.
            return {**pickle.loads(data), STALE: computed_at}
    started = time.perf_counter()
    figures = compute()
    fields = {
        "kind": kind,
        "poles": ",".join(str(pk) for pk in pole_ids),
        "params": params,
        "language": get_language() or "",
        "stamp": current,
        "data": pickle.dumps(figures, protocol=pickle.HIGHEST_PROTOCOL),
        "computed_at": timezone.now(),
        "seconds": time.perf_counter() - started,
    }
    try:
        with transaction.atomic():
            FiguresSnapshot.objects.update_or_create(key=key, defaults=fields)
    except IntegrityError:
        pass  # another request kept the same figures at the same moment
    return figures


def cached_html(kind, scopes, params, render, *, as_of=None):
    """``render()``'s markup (a page's section) kept like figures (``cached``), compressed:
    a project's section is tens of KB of markup, a tenth once zipped."""

    def compressed():
        return {"html": zlib.compress(render().encode())}

    kept = cached(kind, scopes, params, compressed, as_of=as_of)
    return zlib.decompress(kept["html"]).decode()


def _may_show_while_refreshing(computed_at):
    """Whether figures computed at ``computed_at``, made stale since, may be shown while the
    worker computes them again: within ``FIGURES_STALE_SECONDS`` of their computation, and
    only when the worker refreshes them (``FIGURES_REFRESH``)."""
    seconds = settings.FIGURES_STALE_SECONDS
    if not (settings.FIGURES_REFRESH and seconds):
        return False
    return computed_at >= timezone.now() - datetime.timedelta(seconds=seconds)


def forget():
    """Drop every kept figure (they are computed again when asked for)."""
    FiguresSnapshot.objects.all().delete()


# --- Computing stale figures again, in the background -----------------------------------------

# kind → function(pole_ids, params) that computes (and keeps, through ``cached``) the figures.
COMPUTERS = {}


def computes(kind):
    """Register the function that computes ``kind``'s figures for the worker."""

    def register(function):
        COMPUTERS[kind] = function
        return function

    return register


def refresh_stale():
    """Compute again the kept figures of the dashboards' landing views (no filter) that a
    change made stale, in the language they were asked in: the next person to open them gets
    them at once. Filtered views are computed again when asked for. Returns how many."""
    token = _refreshing.set(True)
    try:
        return _refresh_stale()
    finally:
        _refreshing.reset(token)


def _refresh_stale():
    refreshed = 0
    landing = FiguresSnapshot.objects.filter(params={})
    for snapshot in landing.order_by("pk").only("kind", "poles", "params", "language", "stamp"):
        computer = COMPUTERS.get(snapshot.kind)
        if computer is None or snapshot.params:  # a filtered view
            continue
        pole_ids = [int(pk) for pk in snapshot.poles.split(",") if pk]
        if stamp(pole_ids) == snapshot.stamp:
            continue
        with translation.override(snapshot.language or None):
            computer(pole_ids, snapshot.params)
        refreshed += 1
    return refreshed


def schedule_refresh():
    """After a change is committed: a task to compute the stale landing views again, in a
    little while (changes made meanwhile are covered by the same task), unless one waits."""
    if not settings.FIGURES_REFRESH:
        return
    from django.tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .tasks import refresh_figures

    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=refresh_figures.module_path
    ).exists()
    if not waiting:
        later = timezone.now() + datetime.timedelta(seconds=settings.FIGURES_REFRESH_DELAY)
        refresh_figures.using(run_after=later).enqueue()


# --- Watching the models the figures read ----------------------------------------------------


def watch(model, *, poles=None, projects=None, funders=None, pages=None, everything=False, m2m=()):
    """Move the versions on whenever a ``model`` row is saved or deleted: ``poles(instance)``,
    ``projects(instance)`` and ``funders(instance)`` give the pks (or a queryset of pks) of the
    poles, of the projects, or of the funders whose figures it is part of; ``pages(instance)``
    those of the projects whose pages' kept sections only show it; ``everything``: every
    pole's. ``m2m``: the many-to-many fields of ``model`` whose changes count too (with the
    same ``projects`` or ``poles``)."""

    def receiver(sender, instance, **kwargs):
        if kwargs.get("raw"):
            return  # fixtures loading
        if everything:
            changed(everything=True)
            return
        changed(
            poles=poles(instance) if poles else None,
            projects=projects(instance) if projects else None,
            funders=funders(instance) if funders else None,
            pages=pages(instance) if pages else None,
        )

    def m2m_receiver(sender, instance, action, reverse, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if reverse:  # from the other side (theme.projects.add(…)): rare, every pole's
            changed(everything=True)
        else:
            receiver(sender, instance)

    uid = f"figures:{model._meta.label}"
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
    for name in m2m:
        through = getattr(model, name).through
        m2m_changed.connect(m2m_receiver, sender=through, weak=False, dispatch_uid=f"{uid}:{name}")


def watch_portal():
    """The portal's own models: memberships are a pole's; organisations, themes' names and the
    poles themselves are read by every pole's figures (regions, categories, labels)."""
    from .models import Membership, Organisation, Theme

    watch(Membership, poles=lambda membership: [membership.pole_id])
    watch(Theme, poles=lambda theme: [theme.pole_id])
    watch(Organisation, everything=True)
    watch(Pole, everything=True)
    names = "figures:portal.Person:names"
    pre_save.connect(_renamed, sender=Person, weak=False, dispatch_uid=names)
    post_delete.connect(_person_deleted, sender=Person, weak=False, dispatch_uid=names)


_NAME_FIELDS = ("first_name", "last_name", "email")  # what ``str(person)`` writes


def _renamed(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a person is saved: their name changing makes what pages keep of it stale (the
    history's "who"). A sign-in (``last_login`` alone) reads nothing."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(_NAME_FIELDS) & set(update_fields):
        return
    before = Person.objects.filter(pk=instance.pk).values_list(*_NAME_FIELDS).first()
    if before is not None and before != tuple(getattr(instance, f) for f in _NAME_FIELDS):
        changed(people=True)


def _person_deleted(sender, instance, **kwargs):
    changed(people=True)  # their changes now say "the platform"
