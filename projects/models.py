import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from portal.models import Organisation, Person, Pole, Theme
from portal.modelutils import ConstraintErrorsOnFields

TRL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(9)]
MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(0)]}
COST_FIELDS = ["personnel_costs", "equipment_costs", "subcontracting_costs", "other_costs"]


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
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="projects", verbose_name=_("themes")
    )
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
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created on"))
    updated_at = models.DateTimeField(auto_now=True)
    # The EU's project id for a project imported from CORDIS (``manage.py import_cordis``).
    cordis_id = models.CharField(_("CORDIS id"), max_length=20, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "-pk"]
        # The project list's order (acronym, then pk): its first page read in index order;
        # labelled projects are public: counting the visible ones reads an index, not the table.
        indexes = [
            models.Index(fields=["acronym", "id"], name="project_acronym_id"),
            models.Index(fields=["labelled_on", "id"], name="project_labelled_id"),
        ]
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
            models.UniqueConstraint(
                fields=["cordis_id"],
                condition=~models.Q(cordis_id=""),
                name="project_cordis_id_unique",
                violation_error_code="cordis_id_taken",
                violation_error_message=_("A project with this CORDIS id already exists."),
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

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="state_changes", verbose_name=_("project")
    )
    from_state = models.CharField(
        max_length=20, choices=State.choices, verbose_name=_("from state")
    )
    to_state = models.CharField(max_length=20, choices=State.choices, verbose_name=_("to state"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("when"))
    comment = models.TextField(blank=True, verbose_name=_("comment"))

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

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="partners", verbose_name=_("project")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    personnel_costs = models.DecimalField(_("personnel costs (€)"), default=0, **MONEY)
    equipment_costs = models.DecimalField(_("equipment costs (€)"), default=0, **MONEY)
    subcontracting_costs = models.DecimalField(_("subcontracting costs (€)"), default=0, **MONEY)
    other_costs = models.DecimalField(_("other costs (€)"), default=0, **MONEY)
    # The total of the four, kept in a column so that the database sums budgets.
    budget = models.DecimalField(_("eligible costs (€)"), default=0, editable=False, **MONEY)
    # Optimistic locking: a save based on an older version is refused (see services).
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["version"])
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
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{field}__gte": 0}),
                    name=f"partner_{field}_not_negative",
                    violation_error_code=f"negative_{field}",
                    violation_error_message=_("An amount cannot be negative."),
                )
                for field in COST_FIELDS
            ],
        ]

    constraint_error_fields = {
        "one_coordinator": "role",
        "partner_exists": "organisation",
        **{f"negative_{field}": field for field in COST_FIELDS},
    }

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        self.budget = sum((getattr(self, f) or 0) for f in COST_FIELDS)
        super().save(*args, **kwargs)


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

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="contact_rows", verbose_name=_("partner")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="contact_rows", verbose_name=_("person")
    )
    role = models.CharField(
        _("role on the project"),
        max_length=30,
        choices=Role.choices,
        default=Role.PARTNER_CONTACT,
    )
    history = HistoricalRecords()

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
        # Not a funding line's "withdrawn": in French, the request is withdrawn, not the project.
        WITHDRAWN = "withdrawn", pgettext_lazy("labelling decision", "withdrawn")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("project")
    )
    pole = models.ForeignKey(
        Pole, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("pole")
    )
    submitted_at = models.DateTimeField(_("submitted on"), default=timezone.now)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    committee = models.CharField(_("committee"), max_length=200, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    # Deliberation notes stay within the pole's staff, even on a co-labelled project.
    staff_notes = models.TextField(_("deliberation notes"), blank=True)
    # The staff member who recorded the decision: the labelling letter's signatory.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    session = models.ForeignKey(
        "CommitteeSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda",
        verbose_name=_("committee session"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["submitted_at", "pk"]
        # The years of the list's filter (``filters.submission_years``): ranges of dates.
        indexes = [models.Index(fields=["submitted_at"], name="submission_submitted_at")]
        constraints = [
            models.UniqueConstraint(fields=["project", "pole"], name="submission_unique")
        ]

    def __str__(self):
        return f"{self.project} → {self.pole}"


class ExpertAssignment(models.Model):
    """An external expert asked for an opinion on one project, until the decision."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="expert_assignments",
        verbose_name=_("project"),
    )
    pole = models.ForeignKey(
        Pole, on_delete=models.CASCADE, related_name="+", verbose_name=_("pole")
    )
    expert = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="expert_assignments",
        verbose_name=_("expert"),
    )
    opinion = models.TextField(_("opinion"), blank=True)
    opinion_given_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("opinion given on")
    )
    requested_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(default=timezone.now, verbose_name=_("requested on"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed on"))

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


class CommitteeSession(models.Model):
    """A meeting of a pole's labelling committee; its agenda is the submissions put on it."""

    pole = models.ForeignKey(
        Pole, on_delete=models.CASCADE, related_name="committee_sessions", verbose_name=_("pole")
    )
    name = models.CharField(_("name"), max_length=200)
    date = models.DateField(_("date"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("committee session")
        verbose_name_plural = _("committee sessions")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.date:%d/%m/%Y})"


class Milestone(models.Model):
    class Kind(models.TextChoices):
        MILESTONE = "milestone", _("milestone")
        DELIVERABLE = "deliverable", _("deliverable")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MILESTONE)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("responsible partner"),
    )
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # The last day an overdue reminder went out, so that reminders are not repeated daily.
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["reminded_on", "version"])

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["done_on", "due_date"], name="milestone_open_due")]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self):
        return self.done_on is None and self.due_date < timezone.localdate()

    @property
    def days_overdue(self):
        return (timezone.localdate() - self.due_date).days if self.is_overdue else 0

    def clean(self):
        super().clean()
        if self.done_on and self.done_on > timezone.localdate():
            raise ValidationError({"done_on": _("A milestone cannot be done in the future.")})
        if self.partner_id and self.project_id and self.partner.project_id != self.project_id:
            raise ValidationError({"partner": _("Choose a partner of this project.")})


def document_path(document, filename):
    # Random names: an uploaded file's name is never trusted nor exposed as a path.
    import uuid

    return f"projects/{document.project_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    class Kind(models.TextChoices):
        APPLICATION = "application", _("application file")
        CONSORTIUM_AGREEMENT = "consortium_agreement", _("consortium agreement")
        LABELLING_LETTER = "labelling_letter", _("labelling letter")
        REPORT = "report", _("report")
        OTHER = "other", _("other")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to=document_path, max_length=255)
    original_name = models.CharField(max_length=255, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveBigIntegerField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.title


class Invitation(models.Model):
    """An e-mail invitation to become a contact of one partner of a project."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role on the project"),
        max_length=30,
        choices=Contact.Role.choices,
        default=Contact.Role.PARTNER_CONTACT,
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]

    # An invitation link works this long after it was (re)sent, once.
    VALID_FOR = datetime.timedelta(days=14)

    def __str__(self):
        return f"{self.email} → {self.partner}"

    @property
    def expires_at(self):
        return self.created_at + self.VALID_FOR

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at

    @classmethod
    def pending(cls):
        """Invitations neither accepted nor expired."""
        return cls.objects.filter(
            accepted_at__isnull=True, created_at__gt=timezone.now() - cls.VALID_FOR
        )
