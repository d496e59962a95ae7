"""What projects bring: market launches, and the outcome reports poles ask for each year.

A reporting campaign (a pole, a year, a due date) asks every project in its scope for one
outcome report. A report is shared work: the contacts of each partner fill their partner's
figures (``PartnerFigures``), the leader writes the narrative and submits the whole, the
pole's staff validate it (it is then locked) or return it with their comments. What was
submitted is kept apart from the drafts (``OutcomeReport.submitted_figures``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal.models import Pole
from portal.modelutils import ConstraintErrorsOnFields
from projects.models import TRL_VALIDATORS, Partner, Project

from .countries import parse_markets

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(0)]}
# Full-time equivalents, to a tenth: 2.5 jobs.
FTE = {"max_digits": 8, "decimal_places": 1, "validators": [MinValueValidator(0)]}
COUNT = {"validators": [MinValueValidator(0)]}


class MarketLaunch(models.Model):
    """A product, service, process or licence that came out of one or more projects."""

    class Kind(models.TextChoices):
        PRODUCT = "product", _("product")
        SERVICE = "service", _("service")
        PROCESS = "process", _("process")
        LICENCE = "licence", _("licence")

    # The project it came from and the partner (of that project) that launches it.
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="launches", verbose_name=_("project")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="launches", verbose_name=_("partner")
    )
    # Other projects it also came from (the launching organisation is a partner of each).
    other_projects = models.ManyToManyField(
        Project, blank=True, related_name="+", verbose_name=_("also from the projects")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PRODUCT)
    description = models.TextField(_("description"), blank=True)
    launch_date = models.DateField(_("launch date"))
    # ISO 3166-1 alpha-2 codes, e.g. ["FR", "DE"].
    markets = models.JSONField(_("markets (countries)"), default=list, blank=True)
    trl_reached = models.PositiveSmallIntegerField(_("TRL reached"), validators=TRL_VALIDATORS)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created on"))
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("market launch")
        verbose_name_plural = _("market launches")
        ordering = ["-launch_date", "pk"]

    def __str__(self):
        return self.name

    @property
    def organisation(self):
        return self.partner.organisation

    def clean(self):
        super().clean()
        errors = {}
        try:
            self.markets = parse_markets(self.markets)
        except ValidationError as error:
            errors["markets"] = error.messages
        if self.partner_id and self.project_id and self.partner.project_id != self.project_id:
            errors["partner"] = _("This partner is not in the project.")
        start = self.project.start_date if self.project_id else None
        if self.launch_date and start and self.launch_date < start:
            errors["launch_date"] = _(
                "A launch cannot come before its project started (%(date)s)."
            ) % {"date": formats.date_format(start, "SHORT_DATE_FORMAT")}
        if errors:
            raise ValidationError(errors)


class LaunchRevenue(ConstraintErrorsOnFields, models.Model):
    """The revenue a launch brought in one year, in euros."""

    launch = models.ForeignKey(
        MarketLaunch, on_delete=models.CASCADE, related_name="revenues", verbose_name=_("launch")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    amount = models.DecimalField(_("revenue (€)"), **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("revenue of a launch")
        verbose_name_plural = _("revenues of launches")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["launch", "year"],
                name="launch_revenue_unique_year",
                violation_error_code="year_exists",
                violation_error_message=_("This launch already has its revenue for this year."),
            )
        ]

    constraint_error_fields = {"year_exists": "year"}

    def __str__(self):
        return f"{self.launch} {self.year}: {self.amount} €"

    def clean(self):
        super().clean()
        if self.launch_id and self.year and self.year < self.launch.launch_date.year:
            raise ValidationError(
                {
                    "year": _("This year is before the launch (%(year)s).")
                    % {"year": self.launch.launch_date.year}
                }
            )


class Campaign(ConstraintErrorsOnFields, models.Model):
    """A pole's yearly call for outcome reports."""

    # Projects ended this many years ago or less are asked (Researchfish asks up to 5).
    DEFAULT_ENDED_WITHIN = 5

    pole = models.ForeignKey(
        Pole, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("pole")
    )
    year = models.PositiveSmallIntegerField(
        _("year reported on"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    due_date = models.DateField(_("due date"))
    include_running = models.BooleanField(_("running projects"), default=True)
    ended_within_years = models.PositiveSmallIntegerField(
        _("projects ended within (years)"),
        default=DEFAULT_ENDED_WITHIN,
        validators=[MaxValueValidator(15)],
    )
    message = models.TextField(_("message to the leaders"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(default=timezone.now, verbose_name=_("opened on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting campaign")
        verbose_name_plural = _("reporting campaigns")
        ordering = ["-year", "pole__name"]
        permissions = [("view_national_impact", _("See the impact figures of every pole"))]
        constraints = [
            models.UniqueConstraint(
                fields=["pole", "year"],
                name="campaign_unique_year",
                violation_error_code="campaign_exists",
                violation_error_message=_("This pole already has a campaign for this year."),
            )
        ]

    constraint_error_fields = {"campaign_exists": "year"}

    def __str__(self):
        return f"{self.pole} — {self.year}"


class OutcomeReport(models.Model):
    """A project's answer to a campaign."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("report state", "draft")
        SUBMITTED = "submitted", pgettext_lazy("report state", "submitted")
        VALIDATED = "validated", pgettext_lazy("report state", "validated")
        RETURNED = "returned", pgettext_lazy("report state", "returned for changes")

    # States in which the consortium may still change the figures.
    EDITABLE = {State.DRAFT, State.RETURNED}

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="reports", verbose_name=_("campaign")
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="outcome_reports", verbose_name=_("project")
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    narrative = models.TextField(_("narrative"), blank=True)
    spin_offs = models.PositiveIntegerField(_("spin-offs created"), null=True, blank=True)
    # When someone first saved anything in it: "not started" until then.
    started_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("started on")
    )
    submitted_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("submitted on")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    # The figures as submitted, kept apart from the drafts that follow a return.
    submitted_figures = models.JSONField(null=True, blank=True, editable=False)
    reviewed_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("reviewed on")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_comments = models.TextField(_("comments of the pole"), blank=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["version", "reminded_on"])

    class Meta:
        verbose_name = _("outcome report")
        verbose_name_plural = _("outcome reports")
        ordering = ["campaign_id", "project__acronym", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "project"], name="report_unique")
        ]

    def __str__(self):
        return f"{self.project} — {self.campaign.year}"

    @property
    def is_editable(self):
        return self.state in self.EDITABLE

    @property
    def is_locked(self):
        return self.state == self.State.VALIDATED


class PartnerFigures(models.Model):
    """One partner's figures in a report, filled by that partner's contacts (or the leader).
    An empty figure is one not given yet; zero is an answer."""

    # The figures a report cannot be submitted without, in the order forms show them.
    REQUIRED = [
        "revenue",
        "export_share",
        "jobs_created",
        "jobs_maintained",
        "patents_filed",
        "patents_granted",
        "publications",
        "follow_on_funding",
    ]

    report = models.ForeignKey(
        OutcomeReport, on_delete=models.CASCADE, related_name="figures", verbose_name=_("report")
    )
    # A partner leaves with its figures of the reports still being filled
    # (``services.release_partner``); figures submitted to the pole keep it.
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="outcome_figures", verbose_name=_("partner")
    )
    revenue = models.DecimalField(
        _("revenue from the project's results (€)"), null=True, blank=True, **MONEY
    )
    export_share = models.DecimalField(
        _("export share of that revenue (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    jobs_created = models.DecimalField(_("jobs created (FTE)"), null=True, blank=True, **FTE)
    jobs_maintained = models.DecimalField(_("jobs maintained (FTE)"), null=True, blank=True, **FTE)
    patents_filed = models.PositiveIntegerField(_("patents filed"), null=True, blank=True)
    patents_granted = models.PositiveIntegerField(_("patents granted"), null=True, blank=True)
    publications = models.PositiveIntegerField(_("publications"), null=True, blank=True)
    follow_on_funding = models.DecimalField(
        _("follow-on funding raised (€)"), null=True, blank=True, **MONEY
    )
    comments = models.TextField(_("comments"), blank=True)
    # The partner said its part is complete; the leader may still correct it before submitting.
    completed_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("completed on")
    )
    updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("partner's figures")
        verbose_name_plural = _("partners' figures")
        ordering = ["report_id", "partner__organisation__legal_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "partner"], name="figures_unique_partner")
        ]

    def __str__(self):
        return f"{self.report} — {self.partner.organisation}"

    def missing(self):
        """The names of the required figures not given yet."""
        return [name for name in self.REQUIRED if getattr(self, name) is None]

    def clean(self):
        super().clean()
        if self.partner_id and self.report_id and self.partner.project_id != self.report.project_id:
            raise ValidationError({"partner": _("This partner is not in the project.")})


def impact_report_path(instance, filename):
    return f"impact-reports/{instance.pole_id}/{instance.year}-{instance.language}-{filename}"


class ImpactReportFile(models.Model):
    """The yearly impact report of a pole as a PDF, generated by a background task and kept
    until the figures it shows change (``fingerprint``: a digest of those figures)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being generated")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    pole = models.ForeignKey(Pole, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    language = models.CharField(max_length=8)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    file = models.FileField(upload_to=impact_report_path, blank=True, max_length=255)
    fingerprint = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pole", "year", "language"], name="impact_report_file_unique"
            )
        ]

    def __str__(self):
        return f"{self.pole} {self.year} ({self.language}): {self.status}"
