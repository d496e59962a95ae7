from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from portal.models import Organisation, Person, Pole, Theme
from portal.modelutils import ConstraintErrorsOnFields

TRL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(9)]


class State(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for labelling")
    LABELLED = "labelled", _("labelled")
    REJECTED = "rejected", _("rejected")
    FUNDING_SOUGHT = "funding_sought", _("funding sought")
    FUNDED = "funded", _("funded")
    NOT_FUNDED = "not_funded", _("not funded")
    RUNNING = "running", _("running")
    COMPLETED = "completed", _("completed")
    CLOSED = "closed", _("closed")
    ABANDONED = "abandoned", _("abandoned")


# The lifecycle of DESIGN.md: each state and the states it may move to.
OPEN_STATES = {
    State.DRAFT,
    State.SUBMITTED,
    State.LABELLED,
    State.REJECTED,
    State.FUNDING_SOUGHT,
    State.FUNDED,
    State.NOT_FUNDED,
    State.RUNNING,
}
TRANSITIONS = {
    State.DRAFT: {State.SUBMITTED},
    State.SUBMITTED: {State.DRAFT, State.LABELLED, State.REJECTED},
    State.LABELLED: {State.FUNDING_SOUGHT},
    State.REJECTED: {State.DRAFT},
    State.FUNDING_SOUGHT: {State.FUNDED, State.NOT_FUNDED},
    State.NOT_FUNDED: {State.FUNDING_SOUGHT},
    State.FUNDED: {State.RUNNING},
    State.RUNNING: {State.COMPLETED},
    State.COMPLETED: {State.CLOSED},
    State.CLOSED: set(),
    State.ABANDONED: set(),
}
for _state in OPEN_STATES:
    TRANSITIONS[_state] = TRANSITIONS[_state] | {State.ABANDONED}

# States that a pole's labelling decision moves a project into; they are not the consortium's.
DECISION_STATES = {State.LABELLED, State.REJECTED}


class Project(ConstraintErrorsOnFields, models.Model):
    acronym = models.CharField(_("acronym"), max_length=40)
    title = models.CharField(_("title"), max_length=255)
    public_summary = models.TextField(_("public summary"), blank=True)
    description = models.TextField(_("confidential description"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="projects")
    trl_start = models.PositiveSmallIntegerField(
        _("TRL at start"), validators=TRL_VALIDATORS, default=3
    )
    trl_target = models.PositiveSmallIntegerField(
        _("target TRL"), validators=TRL_VALIDATORS, default=6
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    # Set by the first positive labelling decision: from then on the public summary is public.
    labelled_on = models.DateField(_("labelled on"), null=True, blank=True)
    poles = models.ManyToManyField(Pole, through="Submission", related_name="projects")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("label_project", "Record labelling decisions on the project"),
            ("give_opinion", "Give an expert opinion on the project"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trl_target__gte=models.F("trl_start")),
                name="project_trl_target_not_below_start",
                violation_error_code="trl_below_start",
                violation_error_message=_("The target TRL cannot be below the TRL at start."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_start",
                violation_error_code="ends_before_start",
                violation_error_message=_("The project ends before it starts."),
            ),
        ]

    constraint_error_fields = {"trl_below_start": "trl_target", "ends_before_start": "end_date"}

    def __str__(self):
        return self.acronym

    def get_absolute_url(self):
        return reverse("project_detail", args=[self.pk])

    @property
    def is_public(self):
        return self.labelled_on is not None

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    def allowed_transitions(self):
        return [s for s in State if s in TRANSITIONS[State(self.state)]]

    def check_transition(self, target):
        """Raise a ValidationError unless the lifecycle allows moving to ``target``."""
        if target not in State.values:
            raise ValidationError(
                {"state": _("“%(state)s” is not a project state.") % {"state": target}}
            )
        if target not in TRANSITIONS[State(self.state)]:
            raise ValidationError(
                {
                    "state": _("A project cannot go from “%(from)s” to “%(to)s”.")
                    % {"from": State(self.state).label, "to": State(target).label}
                }
            )


class ProjectUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Project, on_delete=models.CASCADE)


class ProjectGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Project, on_delete=models.CASCADE)


class StateChange(models.Model):
    """Who moved a project from one state to another, and when."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="state_changes")
    from_state = models.CharField(max_length=20, choices=State.choices)
    to_state = models.CharField(max_length=20, choices=State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.project}: {self.from_state} → {self.to_state}"


class Partner(ConstraintErrorsOnFields, models.Model):
    """An organisation's participation in a project: its role and its budget."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("coordinator")
        PARTNER = "partner", _("partner")
        ASSOCIATED = "associated", _("associated partner")
        SUBCONTRACTOR = "subcontractor", _("subcontractor")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    budget = models.DecimalField(
        _("eligible costs (€)"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    contacts = models.ManyToManyField(Person, through="Contact", related_name="partner_rows")

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["project_id", "role", "organisation__legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"],
                name="partner_unique_per_project",
                violation_error_code="partner_exists",
                violation_error_message=_("This organisation is already a partner of the project."),
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(role="coordinator"),
                name="partner_one_coordinator",
                violation_error_code="one_coordinator",
                violation_error_message=_("The project already has a coordinator."),
            ),
            models.CheckConstraint(
                condition=models.Q(budget__gte=0),
                name="partner_budget_not_negative",
                violation_error_code="negative_budget",
                violation_error_message=_("A budget cannot be negative."),
            ),
        ]

    constraint_error_fields = {
        "one_coordinator": "role",
        "partner_exists": "organisation",
        "negative_budget": "budget",
    }

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class PartnerUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Partner, on_delete=models.CASCADE)


class PartnerGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Partner, on_delete=models.CASCADE)


class Contact(models.Model):
    """A person's role on a project, on behalf of one partner."""

    class Role(models.TextChoices):
        COORDINATOR_CONTACT = "coordinator_contact", _("coordinator contact")
        PARTNER_CONTACT = "partner_contact", _("partner contact")
        FINANCIAL_SIGNATORY = "financial_signatory", _("financial signatory")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contact_rows")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_rows")
    role = models.CharField(
        _("role on the project"),
        max_length=30,
        choices=Role.choices,
        default=Role.PARTNER_CONTACT,
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [models.UniqueConstraint(fields=["partner", "person"], name="contact_unique")]

    def __str__(self):
        return f"{self.person} — {self.partner}"

    def clean(self):
        super().clean()
        if (
            self.role == self.Role.COORDINATOR_CONTACT
            and self.partner_id
            and self.partner.role != Partner.Role.COORDINATOR
        ):
            raise ValidationError(
                {
                    "role": _(
                        "Only a contact of the coordinating partner can be coordinator contact."
                    )
                }
            )


class Submission(models.Model):
    """A project submitted to one pole for labelling, and that pole's decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("pending")
        LABELLED = "labelled", _("labelled")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="submissions")
    pole = models.ForeignKey(Pole, on_delete=models.PROTECT, related_name="submissions")
    submitted_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    committee = models.CharField(_("committee"), max_length=200, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    # Deliberation notes stay within the pole's staff, even on a co-labelled project.
    staff_notes = models.TextField(_("deliberation notes"), blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "pole"], name="submission_unique")
        ]

    def __str__(self):
        return f"{self.project} → {self.pole}"


class ExpertAssignment(models.Model):
    """An external expert asked for an opinion on one project, until the decision."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="expert_assignments"
    )
    pole = models.ForeignKey(Pole, on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="expert_assignments")
    opinion = models.TextField(_("opinion"), blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "pole", "expert"], name="expert_assignment_unique"
            )
        ]

    def __str__(self):
        return f"{self.expert} on {self.project}"
