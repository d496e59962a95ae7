from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Person
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


class FundingLine(models.Model):
    """One partner's funding from one funder for one project."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        APPLIED = "applied", _("applied")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")
        CLOSED = "closed", _("closed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding_lines")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="funding_lines")
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="funding_lines")
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    amount_requested = models.DecimalField(_("requested (€)"), default=0, **MONEY)
    amount_granted = models.DecimalField(_("granted (€)"), null=True, blank=True, **MONEY)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)

    class Meta:
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        ordering = ["project_id", "pk"]

    def __str__(self):
        return f"{self.project} — {self.funder} ({self.partner.organisation})"

    def clean(self):
        super().clean()
        if self.partner_id and self.project_id and self.partner.project_id != self.project_id:
            raise ValidationError({"partner": _("This partner is not in the project.")})
        if self.status == self.Status.GRANTED and self.amount_granted is None:
            raise ValidationError({"amount_granted": _("A granted line needs its granted amount.")})
