from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .modelutils import ConstraintErrorsOnFields
from .validators import (
    normalise_identifier,
    normalise_name,
    searchable,
    validate_naf,
    validate_pic,
    validate_siren,
    validate_siret,
)


class Region(models.TextChoices):
    AURA = "ARA", "Auvergne-Rhône-Alpes"
    BFC = "BFC", "Bourgogne-Franche-Comté"
    BRETAGNE = "BRE", "Bretagne"
    CVL = "CVL", "Centre-Val de Loire"
    CORSE = "COR", "Corse"
    GRAND_EST = "GES", "Grand Est"
    HDF = "HDF", "Hauts-de-France"
    IDF = "IDF", "Île-de-France"
    NORMANDIE = "NOR", "Normandie"
    NA = "NAQ", "Nouvelle-Aquitaine"
    OCCITANIE = "OCC", "Occitanie"
    PDL = "PDL", "Pays de la Loire"
    PACA = "PAC", "Provence-Alpes-Côte d'Azur"
    GUADELOUPE = "GUA", "Guadeloupe"
    MARTINIQUE = "MTQ", "Martinique"
    GUYANE = "GUF", "Guyane"
    REUNION = "REU", "La Réunion"
    MAYOTTE = "MAY", "Mayotte"
    ABROAD = "ZZZ", _("Outside France")


class PersonManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("A person signs in with an e-mail address.")
        person = self.model(email=self.normalize_email(email).lower(), **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class Person(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in with their e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("platform admin"), default=False, help_text=_("May sign in to the Django admin.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="person_email_ci_unique",
                violation_error_message=_("This e-mail address is already taken."),
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email


class Pole(models.Model):
    class Kind(models.TextChoices):
        COMPETITIVENESS = "competitiveness", _("pôle de compétitivité")
        CLUSTER = "cluster", _("cluster")
        REGIONAL = "regional", _("pôle d'excellence régional")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    label_start = models.DateField(_("label period start"), null=True, blank=True)
    label_end = models.DateField(_("label period end"), null=True, blank=True)
    strategy = models.TextField(_("5-year strategy"), blank=True)
    staff = models.ManyToManyField(
        Person, through="PoleStaff", related_name="staff_of", verbose_name=_("staff")
    )

    class Meta:
        verbose_name = _("pole")
        verbose_name_plural = _("poles")
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name

    def clean(self):
        super().clean()
        if self.label_start and self.label_end and self.label_end < self.label_start:
            raise ValidationError({"label_end": _("The label period ends before it starts.")})
        unknown = set(self.regions or []) - set(Region.values)
        if unknown:
            raise ValidationError({"regions": _("Unknown region codes: %s") % ", ".join(unknown)})

    def region_labels(self):
        return [Region(code).label for code in self.regions if code in Region.values]


class Theme(models.Model):
    """A strategic area of activity (domaine d'activité stratégique) of a pole."""

    pole = models.ForeignKey(Pole, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["pole_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["pole", "name"], name="theme_unique_per_pole")
        ]

    def __str__(self):
        return self.name


class PoleStaff(models.Model):
    pole = models.ForeignKey(Pole, on_delete=models.CASCADE, verbose_name=_("pole"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, verbose_name=_("person"))
    job_title = models.CharField(_("job title"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pole staff member")
        verbose_name_plural = _("pole staff")
        constraints = [models.UniqueConstraint(fields=["pole", "person"], name="pole_staff_unique")]

    def __str__(self):
        return f"{self.person} — {self.pole}"


class Organisation(ConstraintErrorsOnFields, models.Model):
    class Category(models.TextChoices):
        MICRO = "micro", _("micro-enterprise")
        SME = "sme", _("SME (PME)")
        MIDCAP = "midcap", _("mid-cap (ETI)")
        LARGE = "large", _("large company")
        RESEARCH = "research", _("research organisation")
        SCHOOL = "school", _("higher-education school or university")
        PUBLIC = "public", _("public body")
        OTHER = "other", _("other")

    legal_name = models.CharField(_("legal name"), max_length=255)
    siren = models.CharField(
        _("SIREN"), max_length=9, blank=True, validators=[validate_siren], db_index=True
    )
    siret = models.CharField(
        _("SIRET (head office)"), max_length=14, blank=True, validators=[validate_siret]
    )
    pic = models.CharField(_("EU PIC"), max_length=9, blank=True, validators=[validate_pic])
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    turnover = models.DecimalField(
        _("turnover (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    region = models.CharField(_("region"), max_length=3, choices=Region.choices, blank=True)
    country = models.CharField(_("country (ISO code)"), max_length=2, default="FR")
    city = models.CharField(_("city"), max_length=120, blank=True)
    naf_code = models.CharField(_("NAF code"), max_length=6, blank=True, validators=[validate_naf])
    competences = models.TextField(_("competences"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    directory_consent = models.BooleanField(
        _("appears in the public member directory"), default=False
    )
    people = models.ManyToManyField(
        Person, through="Affiliation", related_name="organisations", verbose_name=_("people")
    )
    # The legal name reduced for duplicate detection ("Acme S.A.S." and "ACME SAS" are one).
    name_key = models.CharField(max_length=255, editable=False, db_index=True, default="")
    # Name, keywords, competences, city and description without accents nor case, so that a
    # search for "ecole" finds "École" on SQLite and PostgreSQL alike.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["legal_name"]
        # The directory's order (legal name, then pk): its first page read in index order.
        indexes = [models.Index(fields=["legal_name", "id"], name="organisation_name_id")]
        constraints = [
            models.UniqueConstraint(
                fields=["siren"],
                condition=~models.Q(siren=""),
                name="organisation_siren_unique",
                violation_error_code="siren_taken",
                violation_error_message=_("An organisation with this SIREN already exists."),
            ),
        ]

    constraint_error_fields = {"siren_taken": "siren"}

    def __str__(self):
        return self.legal_name

    def save(self, *args, **kwargs):
        self.name_key = normalise_name(self.legal_name)
        self.search_text = searchable(
            self.legal_name, self.keywords, self.competences, self.city, self.description
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("organisation_detail", args=[self.pk])

    def clean_fields(self, exclude=None):
        # Spaces and dots typed in identifiers go before the check digits are checked.
        self.siren = normalise_identifier(self.siren)
        self.siret = normalise_identifier(self.siret)
        self.pic = normalise_identifier(self.pic)
        self.vat_number = normalise_identifier(self.vat_number)
        self.country = (self.country or "").upper()
        super().clean_fields(exclude)

    def clean(self):
        super().clean()
        if self.siret and self.siren and not self.siret.startswith(self.siren):
            raise ValidationError({"siret": _("The SIRET must start with the SIREN.")})
        if self.siret and not self.siren:
            try:
                validate_siren(self.siret[:9])
            except ValidationError:
                raise ValidationError(
                    {"siret": _("The first 9 digits of this SIRET are not a valid SIREN.")}
                ) from None
            self.siren = self.siret[:9]
        if (
            self.country == "FR"
            and not self.siren
            and self.category
            not in {
                self.Category.OTHER,
            }
        ):
            raise ValidationError({"siren": _("A French organisation needs its SIREN.")})
        if self.country and self.country != "FR" and not (self.vat_number or self.pic):
            raise ValidationError(
                {"vat_number": _("A foreign organisation needs its VAT number or its EU PIC.")}
            )
        if self.country == "FR" and self.region == Region.ABROAD:
            raise ValidationError({"region": _("Choose the French region of the organisation.")})

    @property
    def is_sme_or_midcap(self):
        return self.category in {self.Category.MICRO, self.Category.SME, self.Category.MIDCAP}


class Affiliation(models.Model):
    """A person works for an organisation; an admin keeps its profile and people."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("organisation"),
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    is_admin = models.BooleanField(_("organisation admin"), default=False)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="affiliation_unique")
        ]

    def __str__(self):
        return f"{self.person} @ {self.organisation}"


class Membership(models.Model):
    """An organisation's membership (adhésion) of a pole."""

    class Status(models.TextChoices):
        # A context of their own: "new", "current", "rejected"… agree with "adhésion" in French.
        APPLIED = "applied", pgettext_lazy("membership status", "application")
        NEW = "new", pgettext_lazy("membership status", "new")
        CURRENT = "current", pgettext_lazy("membership status", "current")
        GRACE = "grace", pgettext_lazy("membership status", "grace period")
        EXPIRED = "expired", pgettext_lazy("membership status", "expired")
        REJECTED = "rejected", pgettext_lazy("membership status", "rejected")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
        db_index=False,  # the indexes below start with it
    )
    pole = models.ForeignKey(
        Pole, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("pole")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )
    status_override = models.BooleanField(
        _("status set by hand"),
        default=False,
        help_text=_("When set, the status no longer follows the dates."),
    )
    start_date = models.DateField(_("member since"), null=True, blank=True)
    end_date = models.DateField(_("paid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "pole"], name="membership_unique")
        ]
        indexes = [
            # Whether an organisation is an active member (the directory asks it of each row
            # it reads), answered from the index alone.
            models.Index(fields=["organisation", "status"], name="membership_org_status"),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.pole}"

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The membership ends before it starts.")})

    @property
    def is_active(self):
        return self.status in {self.Status.NEW, self.Status.CURRENT, self.Status.GRACE}


class MembershipApplication(models.Model):
    """An organisation's application to join a pole, with its dossier, and staff's decision."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("application status", "submitted")
        INFO_REQUESTED = (
            "info_requested",
            pgettext_lazy("application status", "more information requested"),
        )
        ACCEPTED = "accepted", pgettext_lazy("application status", "accepted")
        REJECTED = "rejected", pgettext_lazy("application status", "rejected")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("organisation"),
    )
    pole = models.ForeignKey(
        Pole, on_delete=models.CASCADE, related_name="applications", verbose_name=_("pole")
    )
    activities = models.TextField(_("activities"))
    needs = models.TextField(_("what you expect from the pole"))
    project_idea = models.TextField(_("the collaborative project you want to run"), blank=True)
    people = models.ManyToManyField(
        Person, blank=True, related_name="+", verbose_name=_("people to attach")
    )
    submitted_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("submitted on")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    staff_comment = models.TextField(_("comment to the applicant"), blank=True)
    decided_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("decided on")
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self):
        return f"{self.organisation} → {self.pole}"


class FeeSchedule(models.Model):
    """A pole's yearly fee for one category of member, possibly by headcount band."""

    pole = models.ForeignKey(
        Pole, on_delete=models.CASCADE, related_name="fee_schedules", verbose_name=_("pole")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=20, choices=Organisation.Category.choices)
    min_headcount = models.PositiveIntegerField(_("from headcount"), default=0)
    max_headcount = models.PositiveIntegerField(_("to headcount"), null=True, blank=True)
    amount = models.DecimalField(
        _("yearly fee (€)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("fee schedule")
        verbose_name_plural = _("fee schedules")
        ordering = ["pole_id", "-year", "category", "min_headcount"]

    def __str__(self):
        return f"{self.pole} {self.year} — {self.get_category_display()}"


class FeeCall(models.Model):
    """A yearly fee called from a member: what is due, by when; payments settle it."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="fee_calls", verbose_name=_("membership")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("amount due (€)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    issued_on = models.DateField(_("issued on"), default=timezone.localdate)
    due_date = models.DateField(_("due date"))
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("fee call")
        verbose_name_plural = _("fee calls")
        ordering = ["-year", "membership_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "year"],
                name="fee_call_once_a_year",
                violation_error_code="fee_call_exists",
                violation_error_message=_("This member's fee for that year was already called."),
            )
        ]

    def __str__(self):
        return f"{self.membership} {self.year}"


class Payment(models.Model):
    fee_call = models.ForeignKey(
        FeeCall, on_delete=models.PROTECT, related_name="payments", verbose_name=_("fee call")
    )
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(
        _("amount (€)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "pk"]

    def __str__(self):
        return f"{self.amount} € — {self.paid_on}"


class Post(models.Model):
    """A member's offer (a competence) or need (a partner sought) on the matchmaking board."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("offer")
        NEED = "need", _("need")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="posts", verbose_name=_("organisation")
    )
    author = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("description"))
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="posts", verbose_name=_("themes")
    )
    wanted_category = models.CharField(
        _("category of partner sought"),
        max_length=20,
        choices=Organisation.Category.choices,
        blank=True,
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("matchmaking post")
        verbose_name_plural = _("matchmaking posts")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = searchable(self.title, self.body, self.keywords)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("post_detail", args=[self.pk])


class ContactRequest(models.Model):
    """A message one member sent another through the portal: addresses stay hidden."""

    sender = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contact_requests"
    )
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="contact_requests"
    )
    message = models.TextField(_("message"))
    sent_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"{self.sender} → {self.organisation}"


class Notification(models.Model):
    """Something a person should know, shown in the portal and sent by e-mail."""

    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.subject


class FiguresVersion(models.Model):
    """How often the data behind a pole's figures changed: ``scope`` is the pole's pk, or 0 for
    what every pole's figures read (organisations, funders…), or ``snapshots.FUNDERS`` plus a
    funder's pk for its portfolio. ``portal.snapshots`` moves it on and keeps the figures
    computed at each version."""

    scope = models.PositiveIntegerField(primary_key=True)
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("figures version")
        verbose_name_plural = _("figures versions")

    def __str__(self):
        return f"{self.scope}: {self.version}"


class FiguresSnapshot(models.Model):
    """Figures of a dashboard computed once (``data``, pickled by ``portal.snapshots``) and kept
    while the versions of the poles they read (``stamp``) stay the same."""

    key = models.CharField(max_length=64, unique=True)
    # What the figures are of, for the worker that computes stale ones again.
    kind = models.CharField(max_length=30)
    poles = models.TextField()  # their pks, "3" or "1,2,5"
    params = models.JSONField(default=dict)
    language = models.CharField(max_length=10, blank=True)
    stamp = models.CharField(max_length=64)
    data = models.BinaryField()
    computed_at = models.DateTimeField(default=timezone.now)
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("figures snapshot")
        verbose_name_plural = _("figures snapshots")

    def __str__(self):
        return f"{self.key[:12]} ({self.computed_at:%Y-%m-%d %H:%M})"


class ErasureRequest(models.Model):
    """A person's request to be erased: their account anonymised, what identifies them
    removed, the records they took part in (money, decisions, history) kept, pointing to the
    anonymised account (``portal.privacy.erase``)."""

    class State(models.TextChoices):
        ASKED = "asked", _("asked")
        DONE = "done", _("done")
        REFUSED = "refused", _("refused")

    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        related_name="erasure_requests",
        verbose_name=_("person"),
    )
    reason = models.TextField(_("reason"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ASKED)
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-asked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(state="asked"),
                name="one_open_erasure_request",
            )
        ]

    def __str__(self):
        return f"{self.person or _('erased person')} ({self.get_state_display()})"
