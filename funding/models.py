from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal.models import Person
from portal.modelutils import ConstraintErrorsOnFields
from projects.models import Partner, Project

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class Funder(models.Model):
    class Kind(models.TextChoices):
        PUBLIC = "public", _("public")
        PRIVATE = "private", _("private")

    class Category(models.TextChoices):
        STATE = "state", _("State / DGE")
        BPIFRANCE = "bpifrance", _("Bpifrance")
        ANR = "anr", _("ANR")
        REGION = "region", _("Region")
        EU = "eu", _("European Union")
        LOCAL = "local", _("local authority")
        VC = "vc", _("venture capital fund")
        ANGELS = "angels", _("business angels")
        BANK = "bank", _("bank")
        CORPORATE = "corporate", _("corporate")
        FOUNDATION = "foundation", _("foundation")
        CROWDFUNDING = "crowdfunding", _("crowdfunding")

    PUBLIC_CATEGORIES = {"state", "bpifrance", "anr", "region", "eu", "local"}

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    reviewers = models.ManyToManyField(
        Person, blank=True, related_name="reviewer_for", verbose_name=_("reviewers")
    )

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        is_public = self.category in self.PUBLIC_CATEGORIES
        if self.category and self.kind and is_public != (self.kind == self.Kind.PUBLIC):
            raise ValidationError(
                {
                    "category": _("This category does not fit a %(kind)s funder.")
                    % {"kind": self.get_kind_display()}
                }
            )


class Programme(models.Model):
    """A funder's call or scheme (FUI, i-Nov, ANR PRCE, EIC Accelerator…) and its instrument."""

    class Instrument(models.TextChoices):
        GRANT = "grant", _("grant")
        REPAYABLE_ADVANCE = "repayable_advance", _("repayable advance")
        LOAN = "loan", _("loan")
        EQUITY = "equity", _("equity")
        GUARANTEE = "guarantee", _("guarantee")
        TAX_CREDIT = "tax_credit", _("tax credit")

    # Instruments whose money comes back: they carry a repayment schedule.
    REPAID = {Instrument.REPAYABLE_ADVANCE, Instrument.LOAN}

    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="programmes")
    name = models.CharField(_("name"), max_length=200)
    instrument = models.CharField(_("instrument"), max_length=20, choices=Instrument.choices)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["funder__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["funder", "name"],
                name="programme_unique_per_funder",
                violation_error_code="programme_exists",
                violation_error_message=_("This funder already has a programme of this name."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.funder})"


class FundingLine(ConstraintErrorsOnFields, models.Model):
    """One partner's funding from one programme for one project: its amounts tell its story
    (requested, granted, disbursed, remaining, cancelled, repaid)."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("funding line status", "planned")
        APPLIED = "applied", pgettext_lazy("funding line status", "applied")
        GRANTED = "granted", pgettext_lazy("funding line status", "granted")
        REFUSED = "refused", pgettext_lazy("funding line status", "refused")
        WITHDRAWN = "withdrawn", pgettext_lazy("funding line status", "withdrawn")
        CLOSED = "closed", pgettext_lazy("funding line status", "closed")

    # The lifecycle of a line; who may move it where is funding.permissions' call.
    TRANSITIONS = {
        Status.PLANNED: {Status.APPLIED, Status.WITHDRAWN},
        Status.APPLIED: {Status.GRANTED, Status.REFUSED, Status.WITHDRAWN},
        Status.GRANTED: {Status.CLOSED},
        Status.REFUSED: set(),
        Status.WITHDRAWN: set(),
        Status.CLOSED: set(),
    }
    # Lines whose money is decided: they carry disbursements (and repayments).
    DECIDED = {Status.GRANTED, Status.CLOSED}
    # Statuses that say the funder decided: they need the decision date.
    DATED = {Status.GRANTED, Status.REFUSED, Status.CLOSED}

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="funding_lines", verbose_name=_("project")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="funding_lines", verbose_name=_("partner")
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="funding_lines",
        verbose_name=_("programme"),
    )
    # The programme's funder, kept on the line: who may see and record what follows from it.
    funder = models.ForeignKey(
        Funder,
        on_delete=models.PROTECT,
        related_name="funding_lines",
        editable=False,
        verbose_name=_("funder"),
    )
    amount_requested = models.DecimalField(_("requested (€)"), default=0, **MONEY)
    amount_granted = models.DecimalField(_("granted (€)"), null=True, blank=True, **MONEY)
    amount_cancelled = models.DecimalField(_("cancelled (€)"), default=0, **MONEY)
    # Granting more than was requested happens (a funder tops up) but must be said.
    over_request_confirmed = models.BooleanField(
        _("granted above the amount requested, confirmed"), default=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created on"))
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        ordering = ["project_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "partner", "programme"],
                name="funding_line_unique",
                violation_error_code="line_exists",
                violation_error_message=_(
                    "This partner already has a funding line from this programme."
                ),
            ),
        ]

    constraint_error_fields = {"line_exists": "programme"}

    def __str__(self):
        return f"{self.project} — {self.programme} ({self.partner.organisation})"

    def save(self, *args, **kwargs):
        if self.programme_id:
            self.funder_id = Programme.objects.values_list("funder_id", flat=True).get(
                pk=self.programme_id
            )
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.partner_id and self.project_id and self.partner.project_id != self.project_id:
            raise ValidationError({"partner": _("This partner is not in the project.")})
        decided = self.status in self.DECIDED
        if decided and self.amount_granted is None:
            raise ValidationError({"amount_granted": _("A granted line needs its granted amount.")})
        if self.status in self.DATED and self.decision_date is None:
            raise ValidationError({"decision_date": _("A decision needs its date.")})
        errors = {}
        if self.amount_requested is not None and self.amount_requested <= 0:
            errors["amount_requested"] = _("The amount requested must be above zero.")
        if not decided and self.amount_granted is not None:
            errors["amount_granted"] = _("Only a granted line has an amount granted.")
        elif decided and self.amount_granted <= 0:
            errors["amount_granted"] = _(
                "The amount granted must be above zero: a line granted nothing is refused."
            )
        cancelled = self.amount_cancelled or 0
        if cancelled and (not decided or cancelled > (self.amount_granted or 0)):
            errors["amount_cancelled"] = _("Only part of an amount granted can be cancelled.")
        if errors:
            raise ValidationError(errors)
        if (
            self.amount_granted is not None
            and self.amount_granted > self.amount_requested
            and not self.over_request_confirmed
        ):
            raise ValidationError(
                {
                    "amount_granted": _(
                        "The amount granted is above the amount requested: confirm it."
                    )
                }
            )


class Disbursement(models.Model):
    """A dated tranche (versement) of a granted line."""

    class Kind(models.TextChoices):
        PRE_FINANCING = "pre_financing", _("pre-financing (advance)")
        INTERIM = "interim", _("interim payment")
        FINAL = "final", _("final balance")

    line = models.ForeignKey(
        FundingLine, on_delete=models.CASCADE, related_name="disbursements", verbose_name=_("line")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INTERIM)
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    scheduled_date = models.DateField(_("scheduled date"))
    paid_date = models.DateField(_("paid date"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["scheduled_date", "pk"]
        indexes = [
            # The tranches still to pay, by date: the late and upcoming ones of a portfolio.
            models.Index(
                fields=["scheduled_date", "id"],
                condition=models.Q(paid_date__isnull=True),
                name="funding_tranche_unpaid",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} €"

    def clean(self):
        super().clean()
        errors = _tranche_errors(self, ["scheduled_date", "paid_date"])
        if self.line_id and self.line.status not in FundingLine.DECIDED:
            errors["line"] = _(
                "Only a granted line has disbursements; this one is “%(status)s”."
            ) % {"status": self.line.get_status_display()}
        if errors:
            raise ValidationError(errors)


def _tranche_errors(tranche, date_fields):
    """What is wrong with the amount and dates of a disbursement or a repayment: money moves
    after the funder's decision, never before."""
    errors = {}
    if tranche.amount is not None and tranche.amount <= 0:
        errors["amount"] = _("The amount must be above zero.")
    decided_on = tranche.line.decision_date if tranche.line_id else None
    for name in date_fields:
        day = getattr(tranche, name)
        if decided_on and day and day < decided_on:
            errors[name] = _("This date is before the decision of %(date)s.") % {
                "date": formats.date_format(decided_on, "SHORT_DATE_FORMAT")
            }
    return errors


class Repayment(models.Model):
    """A scheduled repayment of a repayable advance or a loan."""

    line = models.ForeignKey(
        FundingLine, on_delete=models.CASCADE, related_name="repayments", verbose_name=_("line")
    )
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    due_date = models.DateField(_("due date"))
    paid_date = models.DateField(_("paid date"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        ordering = ["due_date", "pk"]

    def __str__(self):
        return f"{self.amount} € — {self.due_date}"

    def clean(self):
        super().clean()
        errors = _tranche_errors(self, ["due_date", "paid_date"])
        if self.line_id:
            if self.line.programme.instrument not in Programme.REPAID:
                errors["line"] = _("Only repayable advances and loans are repaid.")
            elif self.line.status not in FundingLine.DECIDED:
                errors["line"] = _("Only a granted advance or loan is repaid.")
        if errors:
            raise ValidationError(errors)


class PrivateRound(models.Model):
    """Private money a partner company raised on the strength of the project."""

    class Kind(models.TextChoices):
        EQUITY = "equity", _("equity")
        CONVERTIBLE = "convertible", _("convertible note")
        BANK_LOAN = "bank_loan", _("bank loan")
        CROWDFUNDING = "crowdfunding", _("crowdfunding")
        CORPORATE = "corporate", _("corporate funding")

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="private_rounds", verbose_name=_("partner")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.EQUITY)
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    investors = models.TextField(_("investors"), blank=True)
    closed_on = models.DateField(_("closed on"))
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("private round")
        verbose_name_plural = _("private rounds")
        ordering = ["-closed_on", "pk"]

    def __str__(self):
        return f"{self.partner.organisation}: {self.amount} € ({self.closed_on})"

    # Organisations that raise no private round: they have no shares to sell.
    NOT_COMPANIES = {"research", "school", "public"}

    def clean(self):
        super().clean()
        errors = {}
        if self.amount is not None and self.amount <= 0:
            errors["amount"] = _("The amount must be above zero.")
        if self.partner_id and self.partner.organisation.category in self.NOT_COMPANIES:
            errors["partner"] = _(
                "Private rounds are raised by companies; %(organisation)s is a %(category)s."
            ) % {
                "organisation": self.partner.organisation,
                "category": self.partner.organisation.get_category_display(),
            }
        if errors:
            raise ValidationError(errors)
