"""Changes to launches, campaigns and outcome reports: each runs in one transaction, validates
with the models' rules and raises ``ValidationError`` (``StaleEdit`` for a save over a newer
version). Every save records who made it (``by``) in the history."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from funding.models import PrivateRound
from portal.models import Person
from portal.modelutils import claim_version, update_announced
from portal.notifications import notify
from projects.models import Contact, Project, State, Submission

from . import permissions
from .models import Campaign, LaunchRevenue, MarketLaunch, OutcomeReport, PartnerFigures

ZERO = Decimal("0.00")


def _save(instance, by=None):
    instance.full_clean()
    if by is not None:
        instance._history_user = by
    instance.save()
    return instance


def _claim(instance, expected_version):
    """Move the version on from ``expected_version`` (the one the person edited), else from
    the one loaded: a change sent without its version still makes a later save over an
    older one stale (409)."""
    claim_version(instance, instance.version if expected_version is None else expected_version)


# --- Launches --------------------------------------------------------------------------------


def _check_other_projects(launch, other_projects):
    """Each other project the launch came from has the launching organisation as a partner
    and started before the launch."""
    problems = []
    for project in other_projects:
        if project.pk == launch.project_id:
            continue
        if not project.partners.filter(organisation_id=launch.partner.organisation_id).exists():
            problems.append(
                _("%(organisation)s is not a partner of %(project)s.")
                % {"organisation": launch.partner.organisation, "project": project.acronym}
            )
        elif project.start_date and launch.launch_date < project.start_date:
            problems.append(
                _("%(project)s started on %(date)s, after this launch.")
                % {
                    "project": project.acronym,
                    "date": formats.date_format(project.start_date, "SHORT_DATE_FORMAT"),
                }
            )
    if problems:
        raise ValidationError({"other_projects": problems})


@transaction.atomic
def record_launch(*, project, partner, by=None, other_projects=(), revenues=None, **fields):
    """A launch of ``partner`` (of ``project``); ``revenues``: {year: amount}."""
    launch = _save(MarketLaunch(project=project, partner=partner, **fields), by)
    _check_other_projects(launch, other_projects)
    launch.other_projects.set([p for p in other_projects if p.pk != project.pk])
    for year, amount in (revenues or {}).items():
        set_launch_revenue(launch, year=year, amount=amount, by=by)
    return launch


@transaction.atomic
def change_launch(launch, *, expected_version=None, by=None, other_projects=None, **fields):
    _claim(launch, expected_version)
    for name, value in fields.items():
        setattr(launch, name, value)
    _save(launch, by)
    if other_projects is not None:
        _check_other_projects(launch, other_projects)
        launch.other_projects.set([p for p in other_projects if p.pk != launch.project_id])
    elif "launch_date" in fields:
        _check_other_projects(launch, launch.other_projects.all())
    if "launch_date" in fields:
        early = launch.revenues.filter(year__lt=launch.launch_date.year)
        if early.exists():
            raise ValidationError(
                {"launch_date": _("Revenue is recorded for years before this date.")}
            )
    return launch


@transaction.atomic
def delete_launch(launch, *, by=None):
    if by is not None:
        launch._history_user = by
    launch.delete()


@transaction.atomic
def set_launch_revenue(launch, *, year, amount, by=None):
    """The launch's revenue for ``year``, replacing what was recorded for that year."""
    revenue = LaunchRevenue.objects.filter(launch=launch, year=year).first() or LaunchRevenue(
        launch=launch, year=year
    )
    revenue.amount = amount
    return _save(revenue, by)


@transaction.atomic
def delete_launch_revenue(revenue, *, by=None):
    if by is not None:
        revenue._history_user = by
    revenue.delete()


# --- Campaigns -------------------------------------------------------------------------------


def campaign_scope(pole, year, include_running=True, ended_within_years=None):
    """The projects a campaign of ``pole`` for ``year`` asks: those the pole labelled that are
    running (if ``include_running``) or ended within ``ended_within_years`` of ``year``."""
    if ended_within_years is None:
        ended_within_years = Campaign.DEFAULT_ENDED_WITHIN
    labelled = Submission.objects.filter(
        project=OuterRef("pk"), pole=pole, decision=Submission.Decision.LABELLED
    )
    ended = Q(
        state__in=[State.COMPLETED, State.CLOSED],
        end_date__gte=datetime.date(year - ended_within_years, 1, 1),
        end_date__lte=datetime.date(year, 12, 31),
    )
    wanted = ended | Q(state=State.RUNNING) if include_running else ended
    return Project.objects.filter(Exists(labelled)).filter(wanted)


def leaders_of(project):
    contacts = Contact.objects.filter(
        partner__project=project, role=Contact.Role.COORDINATOR_CONTACT
    )
    return Person.objects.filter(pk__in=contacts.values("person"))


@transaction.atomic
def open_campaign(*, pole, year, due_date, by=None, **fields):
    """Open ``pole``'s campaign for ``year``: one report per project in scope, each partner's
    figures to fill, an e-mail and a notice to each project's leaders."""
    campaign = Campaign(pole=pole, year=year, due_date=due_date, opened_by=by, **fields)
    campaign.full_clean()
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date is already past.")})
    projects = list(
        campaign_scope(pole, year, campaign.include_running, campaign.ended_within_years)
    )
    if not projects:
        raise ValidationError(_("No project of this pole is in this scope: nothing to ask for."))
    _save(campaign, by)
    for project in projects:
        add_report(campaign, project, by=by)
    return campaign


def add_report(campaign, project, *, by=None):
    """Ask ``project`` for its report in ``campaign`` and tell its leaders."""
    report = _save(OutcomeReport(campaign=campaign, project=project), by)
    ensure_figures(report)
    notify(
        leaders_of(project),
        gettext_lazy("Outcome report %(year)s of %(acronym)s requested by %(pole)s"),
        gettext_lazy(
            "%(pole)s asks for the outcome report of %(acronym)s for %(year)s by %(due)s: "
            "each partner fills its figures, you check them and submit the report."
        ),
        url=report_url(report),
        params=_params(report),
    )
    return report


def report_url(report):
    return reverse("report_detail", args=[report.pk])


def _params(report):
    # Notifications are written in the site's language: the date too, whoever's request it is.
    with translation.override(settings.LANGUAGE_CODE):
        due = formats.date_format(report.campaign.due_date, "SHORT_DATE_FORMAT")
    return {
        "year": report.campaign.year,
        "acronym": report.project.acronym,
        "pole": str(report.campaign.pole),
        "due": due,
    }


def ensure_figures(report):
    """A row of figures for every partner of the project that has none (a row made meanwhile
    by another request is kept)."""
    partners = report.project.partners.exclude(outcome_figures__report=report)
    PartnerFigures.objects.bulk_create(
        [PartnerFigures(report=report, partner=partner) for partner in partners],
        ignore_conflicts=True,
    )


def add_partner_figures(partner):
    """A row of figures for a partner who joins a project, in each of its reports still being
    filled (``receivers.partner_joined``): the pages only read them."""
    reports = OutcomeReport.objects.filter(
        project_id=partner.project_id, state__in=OutcomeReport.EDITABLE
    )
    PartnerFigures.objects.bulk_create(
        [PartnerFigures(report=report, partner=partner) for report in reports],
        ignore_conflicts=True,
    )


@transaction.atomic
def release_partner(partner):
    """Before ``partner`` leaves its project (``receivers.partner_leaving``): its figures in the
    reports still being filled go with it; figures in a report submitted to the pole or
    validated keep it in the consortium (``ValidationError``, for the leader)."""
    reports = list(
        OutcomeReport.objects.select_for_update(of=("self",))
        .filter(pk__in=PartnerFigures.objects.filter(partner=partner).values("report"))
        .select_related("campaign__pole")
        .order_by("campaign__year", "pk")
    )
    kept = [report for report in reports if not report.is_editable]
    if kept:
        raise ValidationError(
            _(
                "%(organisation)s has figures in outcome reports submitted to the pole "
                "(%(reports)s): it stays in the consortium."
            )
            % {
                "organisation": partner.organisation,
                "reports": ", ".join(f"{r.campaign.year} — {r.campaign.pole}" for r in kept),
            },
            code="reported",
        )
    PartnerFigures.objects.filter(partner=partner).delete()


# --- Filling, submitting, reviewing ------------------------------------------------------------


def _check_editable(report):
    if report.state == OutcomeReport.State.VALIDATED:
        raise ValidationError(
            _("This report was validated by the pole: it is locked."), code="locked"
        )
    if report.state == OutcomeReport.State.SUBMITTED:
        raise ValidationError(
            _("This report is submitted: it can change again only if the pole returns it."),
            code="submitted",
        )


def _started(report):
    if report.started_at is None:
        report.started_at = timezone.now()
        OutcomeReport.objects.filter(pk=report.pk).update(started_at=report.started_at)


@transaction.atomic
def save_figures(figures, *, by=None, expected_version=None, **values):
    """Save a partner's figures (the draft: any may be empty until the submission)."""
    report = OutcomeReport.objects.select_for_update().get(pk=figures.report_id)
    _check_editable(report)
    _claim(figures, expected_version)
    for name, value in values.items():
        setattr(figures, name, value)
    if figures.missing():  # a figure emptied: the part is no longer complete
        figures.completed_at = None
    figures.updated_at, figures.updated_by = timezone.now(), by
    _save(figures, by)
    _started(report)
    return figures


@transaction.atomic
def complete_figures(figures, *, by=None, expected_version=None):
    """The partner says its part is complete: every required figure must be there."""
    report = OutcomeReport.objects.select_for_update().get(pk=figures.report_id)
    _check_editable(report)
    # Read again under the report's lock, which every change of its figures takes: the
    # figures checked are those saved, not a copy loaded before someone else's save.
    figures.refresh_from_db()
    _claim(figures, expected_version)
    missing = figures.missing()
    if missing:
        raise ValidationError(
            {name: _("Give this figure (zero if there is none).") for name in missing}
        )
    figures.completed_at = timezone.now()
    figures.updated_by = by
    _save(figures, by)
    _started(report)
    return figures


@transaction.atomic
def save_report(report, *, by=None, expected_version=None, **values):
    """The leaders' part: the narrative and the spin-offs."""
    locked = OutcomeReport.objects.select_for_update().get(pk=report.pk)
    _check_editable(locked)
    _claim(report, expected_version)
    for name, value in values.items():
        setattr(report, name, value)
    report.started_at = report.started_at or timezone.now()
    _save(report, by)
    return report


def _missing_errors(report, figures):
    """What a report lacks to be submitted, as messages a leader can act on."""
    problems = []
    labels = {f.name: f.verbose_name for f in PartnerFigures._meta.fields}
    for row in figures:
        missing = row.missing()
        if missing:
            problems.append(
                _("%(partner)s: %(figures)s missing.")
                % {
                    "partner": row.partner.organisation,
                    "figures": ", ".join(str(labels[name]) for name in missing),
                }
            )
    errors = {}
    if problems:
        errors["figures"] = problems
    if report.spin_offs is None:
        errors["spin_offs"] = [_("Give the number of spin-offs (zero if there is none).")]
    if not report.narrative.strip():
        errors["narrative"] = [_("Tell in a few lines what the project brought.")]
    return errors


@transaction.atomic
def submit_report(report, *, by=None):
    """The leaders submit the whole report to the pole; what they submit is kept apart."""
    report = (
        OutcomeReport.objects.select_for_update().select_related("campaign__pole").get(pk=report.pk)
    )
    _check_editable(report)
    ensure_figures(report)
    figures = list(report.figures.select_related("partner__organisation"))
    errors = _missing_errors(report, figures)
    if errors:
        raise ValidationError(errors)
    report.state = OutcomeReport.State.SUBMITTED
    report.submitted_at, report.submitted_by = timezone.now(), by
    report.submitted_figures = snapshot(report, figures)
    report.version += 1
    _save(report, by)
    staff = Person.objects.filter(staff_of=report.campaign.pole)
    notify(
        staff,
        gettext_lazy("Outcome report %(year)s of %(acronym)s submitted"),
        gettext_lazy("The outcome report of %(acronym)s for %(year)s waits for your review."),
        url=report_url(report),
        params=_params(report),
    )
    return report


def _review(report, by):
    report = (
        OutcomeReport.objects.select_for_update().select_related("campaign__pole").get(pk=report.pk)
    )
    if report.state != OutcomeReport.State.SUBMITTED:
        raise ValidationError(
            _("Only a submitted report is validated or returned; this one is “%(state)s”.")
            % {"state": report.get_state_display()},
            code="state",
        )
    report.reviewed_at, report.reviewed_by = timezone.now(), by
    report.version += 1
    return report


def _consortium_of(project):
    return Person.objects.filter(
        pk__in=Contact.objects.filter(partner__project=project).values("person")
    )


@transaction.atomic
def validate_report(report, *, by=None):
    """Staff validate a submitted report: it is locked, and its figures count."""
    report = _review(report, by)
    report.state = OutcomeReport.State.VALIDATED
    _save(report, by)
    notify(
        leaders_of(report.project),
        gettext_lazy("Outcome report %(year)s of %(acronym)s validated"),
        gettext_lazy("%(pole)s validated the outcome report of %(acronym)s for %(year)s."),
        url=report_url(report),
        params=_params(report),
    )
    return report


@transaction.atomic
def return_report(report, *, comments, by=None):
    """Staff return a submitted report for changes, saying what to change."""
    if not (comments or "").strip():
        raise ValidationError({"review_comments": _("Say what should change.")})
    report = _review(report, by)
    report.state = OutcomeReport.State.RETURNED
    report.review_comments = comments.strip()
    update_announced(PartnerFigures.objects.filter(report=report), by=by, completed_at=None)
    ensure_figures(report)  # partners who joined while it was submitted
    _save(report, by)
    notify(
        _consortium_of(report.project),
        gettext_lazy("Outcome report %(year)s of %(acronym)s returned for changes"),
        gettext_lazy("%(pole)s returned the outcome report of %(acronym)s: %(comments)s"),
        url=report_url(report),
        params={**_params(report), "comments": report.review_comments},
    )
    return report


# --- Figures of one report ---------------------------------------------------------------------

SUMMED = [
    "revenue",
    "jobs_created",
    "jobs_maintained",
    "patents_filed",
    "patents_granted",
    "publications",
    "follow_on_funding",
]


def report_totals(figures):
    """The project's figures from its partners' (rows of PartnerFigures): sums, and the
    export share weighted by each partner's revenue (None when there is no revenue)."""
    totals = {name: sum((getattr(row, name) or 0 for row in figures), 0) for name in SUMMED}
    revenue = sum((row.revenue or 0 for row in figures), ZERO)
    # ZERO, not 0: 0 * 0 / 100 is a float, which a Decimal sum refuses.
    exported = sum(
        ((row.revenue or ZERO) * (row.export_share or ZERO) / 100 for row in figures), ZERO
    )
    totals["export_share"] = (
        (exported * 100 / revenue).quantize(Decimal("0.01")) if revenue else None
    )
    return totals


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def snapshot(report, figures):
    """The report as submitted, as JSON: each partner's figures and the totals."""
    fields = PartnerFigures.REQUIRED
    return {
        "narrative": report.narrative,
        "spin_offs": report.spin_offs,
        "partners": [
            {
                "partner": row.partner_id,
                "organisation": str(row.partner.organisation),
                **{name: _plain(getattr(row, name)) for name in fields},
                "comments": row.comments,
            }
            for row in figures
        ],
        "totals": {name: _plain(value) for name, value in report_totals(figures).items()},
    }


def suggested_figures(report, user):
    """What the portal already knows of the figures of the partners ``user`` fills, for the
    campaign's year, so nobody types a number twice: {partner pk: {"revenue": …,
    "follow_on_funding": …}}; nothing of the partners ``user`` does not fill (a funder may not
    read a partner's private rounds one by one). Revenue: that year's revenue of the
    partner's launches from the project (or naming it among their other projects) that
    ``user`` sees. Follow-on funding: the private rounds the partner closed that year."""
    partner_ids = permissions.fillable_partner_ids(user, report)
    if not partner_ids:
        return {}
    year = report.campaign.year
    project = report.project
    # Each launch once, however many other projects it names (a join would repeat it).
    launches = (
        permissions.visible_launches(user)
        .filter(Q(project=project) | Q(other_projects=project))
        .values("pk")
    )
    revenue = (
        LaunchRevenue.objects.filter(year=year, launch__in=launches)
        .values("launch__partner__organisation_id")
        .annotate(total=Sum("amount"))
    )
    revenue_by_org = {row["launch__partner__organisation_id"]: row["total"] for row in revenue}
    rounds = (
        PrivateRound.objects.filter(partner__in=partner_ids, closed_on__year=year)
        .values("partner_id")
        .annotate(total=Sum("amount"))
    )
    rounds_by_partner = {row["partner_id"]: row["total"] for row in rounds}
    return {
        partner.pk: {
            "revenue": revenue_by_org.get(partner.organisation_id),
            "follow_on_funding": rounds_by_partner.get(partner.pk),
        }
        for partner in project.partners.filter(pk__in=partner_ids)
    }


# --- Reminders ----------------------------------------------------------------------------------

REMIND_BEFORE_DAYS = 7  # one reminder a week before the due date
REMIND_EVERY_DAYS = 7  # then one a week once it is late


def reports_to_remind(today):
    """Reports not submitted whose leaders should hear from us today."""
    pending = OutcomeReport.objects.filter(state__in=OutcomeReport.EDITABLE).select_related(
        "campaign__pole", "project"
    )
    soon = today + datetime.timedelta(days=REMIND_BEFORE_DAYS)
    week_ago = today - datetime.timedelta(days=REMIND_EVERY_DAYS)
    before = Q(campaign__due_date__gte=today, campaign__due_date__lte=soon, reminded_on=None)
    # Late: the first day after the due date (whatever was sent before it), then weekly.
    late = Q(campaign__due_date__lt=today) & (
        Q(reminded_on=None)
        | Q(reminded_on__lte=week_ago)
        | Q(reminded_on__lte=F("campaign__due_date"))
    )
    return pending.filter(before | late)


def send_reminders(today=None):
    """Remind the leaders of reports due within a week (once) and of late ones (weekly).
    Returns how many reports were reminded."""
    today = today or timezone.localdate()
    count = 0
    for report in reports_to_remind(today):
        late = report.campaign.due_date < today
        with transaction.atomic():
            notify(
                leaders_of(report.project),
                gettext_lazy("Outcome report %(year)s of %(acronym)s: late since %(due)s")
                if late
                else gettext_lazy("Outcome report %(year)s of %(acronym)s: due on %(due)s"),
                gettext_lazy(
                    "%(pole)s is waiting for the outcome report of %(acronym)s for %(year)s "
                    "(due on %(due)s)."
                ),
                url=report_url(report),
                params=_params(report),
            )
            OutcomeReport.objects.filter(pk=report.pk).update(reminded_on=today)
        count += 1
    return count
