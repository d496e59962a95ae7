"""The matchmaking board: members post offers and needs, Grappe suggests who matches and why,
and members write to each other through the portal without seeing each other's address.

Services (``create_post``, ``update_post``, ``close_post``, ``reopen_post``,
``send_contact_request``) validate and save; who may call them is decided in
``portal.permissions``. Suggestions (``suggest``, ``suggested_for``) score candidates in
Python after a bounded database search, in a fixed number of queries.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import permissions
from .models import Affiliation, ContactRequest, Organisation, Person, Post, Region
from .modelutils import claim_version
from .notifications import absolute_url, notify
from .validators import searchable

DAILY_CONTACT_LIMIT = 10  # contact requests a person may send in 24 hours

# Posts


@transaction.atomic
def create_post(*, by, organisation, kind, title, body, keywords="", themes=(), wanted_category=""):
    post = Post(
        organisation=organisation,
        author=by,
        kind=kind,
        title=title,
        body=body,
        keywords=keywords,
        wanted_category=wanted_category,
    )
    post.full_clean()
    post.save()
    post.themes.set(themes)
    return post


@transaction.atomic
def update_post(post, *, expected_version=None, themes=None, **fields):
    """Change a post. With ``expected_version`` (the version the person edited), a save over
    a newer one is refused with ``StaleEdit``."""
    for name, value in fields.items():
        setattr(post, name, value)
    post.full_clean()
    claim_version(post, expected_version)
    post.save()
    if themes is not None:
        post.themes.set(themes)
    return post


def close_post(post):
    """The offer is taken, the partner found: the post leaves the board and the suggestions."""
    if post.closed_at is None:
        post.closed_at = timezone.now()
        post.save(update_fields=["closed_at"])
    return post


def reopen_post(post):
    if post.closed_at is not None:
        post.closed_at = None
        post.save(update_fields=["closed_at"])
    return post


# Contact requests


class ContactLimitReached(ValidationError):
    """The sender wrote ``DAILY_CONTACT_LIMIT`` messages in the last 24 hours."""


CONTACT_SUBJECT = gettext_lazy("%(sender)s wrote to %(organisation)s through Grappe")
CONTACT_SUBJECT_POST = gettext_lazy("%(sender)s wrote about your post “%(title)s”")
CONTACT_INTRO = gettext_lazy(
    "%(sender)s (%(sender_organisation)s) sent this message to %(organisation)s through Grappe:"
)
CONTACT_INTRO_POST = gettext_lazy(
    "%(sender)s (%(sender_organisation)s) sent this message to %(organisation)s through Grappe, "
    "about your post “%(title)s”:"
)
CONTACT_SHARED = gettext_lazy(
    "%(sender)s shared their e-mail address with you: answer this e-mail to reply to them."
)
CONTACT_NOT_SHARED = gettext_lazy(
    "%(sender)s did not share their e-mail address. To reply, write to %(sender_organisation)s "
    "through Grappe: %(reply_url)s"
)


def contact_recipients(organisation):
    """Who receives an organisation's messages: its admins, or all its people if it has none."""
    people = Person.objects.filter(affiliations__organisation=organisation, is_active=True)
    admins = list(people.filter(affiliations__is_admin=True))
    return admins or list(people)


@transaction.atomic
def send_contact_request(*, sender, organisation, message, post=None, share_email=False):
    """Send ``message`` from ``sender`` to ``organisation``'s admins by e-mail (and in their
    notifications). Nobody's address is shown to the other side, unless the sender shares
    theirs (``share_email``): then the e-mail's Reply-To is the sender's address."""
    # One send at a time per person, so that the daily limit holds for parallel requests.
    list(Person.objects.select_for_update().filter(pk=sender.pk).values_list("pk"))
    since = timezone.now() - timedelta(days=1)
    if ContactRequest.objects.filter(sender=sender, sent_at__gte=since).count() >= (
        DAILY_CONTACT_LIMIT
    ):
        raise ContactLimitReached(
            _(
                "You have sent %(limit)d messages in the last 24 hours, the most Grappe allows: "
                "please try again tomorrow."
            )
            % {"limit": DAILY_CONTACT_LIMIT},
            code="contact_limit",
        )
    if post is not None and post.organisation_id != organisation.pk:
        raise ValidationError({"post": _("This post is not one of this organisation's.")})
    if Affiliation.objects.filter(person=sender, organisation=organisation).exists():
        raise ValidationError(_("You work for this organisation: no need to write to it here."))
    # The organisation the sender writes for: the recipients may answer it through Grappe.
    own = (
        permissions.postable_organisations(sender).order_by("legal_name").first()
        or Organisation.objects.filter(affiliations__person=sender).order_by("legal_name").first()
    )
    if own is None:
        raise ValidationError(_("Only the people of a member organisation write to others here."))
    recipients = contact_recipients(organisation)
    if not recipients:
        raise ValidationError(_("Nobody at this organisation can receive messages yet."))
    contact = ContactRequest(sender=sender, organisation=organisation, post=post, message=message)
    contact.full_clean()
    contact.save()
    params = {
        "sender": sender.get_full_name() or sender.get_short_name(),
        "sender_organisation": own.legal_name,
        "organisation": organisation.legal_name,
        "title": post.title if post else "",
        "message": contact.message,
        "reply_url": absolute_url(reverse("organisation_contact", args=[own.pk])),
    }
    body = format_lazy(
        "{}\n\n{}\n\n{}",
        CONTACT_INTRO_POST if post else CONTACT_INTRO,
        "%(message)s",
        CONTACT_SHARED if share_email else CONTACT_NOT_SHARED,
    )
    notify(
        recipients,
        CONTACT_SUBJECT_POST if post else CONTACT_SUBJECT,
        body,
        url=post.get_absolute_url() if post else own.get_absolute_url(),
        params=params,
        reply_to=sender.email if share_email else None,
    )
    return contact


# Suggestions

MAX_KEYWORDS = 8  # the keywords of a post that the database search looks for
MAX_CANDIDATES = 200  # rows read from the database and scored in Python, per kind
STOP_WORDS = set(
    "avec dans pour sans sous vers chez entre notre votre leurs nous vous elle elles sont "
    "cherche cherchons recherche recherchons offre offrons propose proposons besoin "
    "with from that this their have looking offer need seek seeking".split()
)
# Points of each reason a candidate matches.
KEYWORD_POINTS, THEME_POINTS, COMPLEMENT_POINTS, CATEGORY_POINTS, SEEKS_YOU_POINTS = 3, 2, 3, 4, 2
REGION_POINTS = 1


def _stem(keyword):
    """A keyword as the search looks for it in ``search_text``: without case nor accents, each
    word without its plural mark, so that "Composites" finds "composite", "essais" "essai"."""
    return " ".join(
        w[:-1] if len(w) > 4 and w[-1] in "sx" else w for w in searchable(keyword).split()
    )


def keywords_of(text, fallback=""):
    """The keywords of a comma (or semicolon) separated list, as written; without any, the
    longer words of ``fallback`` (a title)."""
    found, seen = [], set()
    parts = [p.strip() for p in re.split(r"[,;/\n]+", text or "")]
    if not any(len(searchable(p)) >= 3 for p in parts):
        parts = [w for w in re.findall(r"[\w'-]+", fallback or "") if len(w) >= 5]
        parts = [w for w in parts if searchable(w) not in STOP_WORDS]
    for part in parts:
        key = _stem(part)
        if len(key) >= 3 and key not in seen:
            seen.add(key)
            found.append(part)
    return found[:MAX_KEYWORDS]


OPPOSITE = {Post.Kind.OFFER: Post.Kind.NEED, Post.Kind.NEED: Post.Kind.OFFER}


@dataclass
class Profile:
    """What suggestions are looked for: a post, or all that a person's organisations do."""

    keywords: list
    themes: dict = field(default_factory=dict)  # theme pk -> name
    kinds: set = field(default_factory=set)  # the kinds of the posts looked from
    wanted: set = field(default_factory=set)  # categories of partner sought
    categories: set = field(default_factory=set)  # the categories of the seeker
    regions: set = field(default_factory=set)
    organisations: set = field(default_factory=set)  # the seeker's own: never suggested
    posts: set = field(default_factory=set)

    @classmethod
    def of_post(cls, post):
        """A post's profile; its ``themes`` and ``organisation`` are read (prefetch them)."""
        organisation = post.organisation
        return cls(
            keywords=keywords_of(post.keywords, post.title),
            themes={t.pk: t.name for t in post.themes.all()},
            kinds={post.kind},
            wanted={post.wanted_category} if post.wanted_category else set(),
            categories={organisation.category},
            regions={organisation.region} if organisation.region else set(),
            organisations={organisation.pk},
            posts={post.pk},
        )

    def add(self, other):
        self.add_keywords(other.keywords)
        self.themes.update(other.themes)
        for name in ("kinds", "wanted", "categories", "regions", "organisations", "posts"):
            getattr(self, name).update(getattr(other, name))

    def add_keywords(self, keywords):
        known = {_stem(k) for k in self.keywords}
        for keyword in keywords:
            if _stem(keyword) not in known:
                known.add(_stem(keyword))
                self.keywords.append(keyword)

    @property
    def stems(self):
        return [_stem(k) for k in self.keywords[:MAX_KEYWORDS]]

    def __bool__(self):
        return bool(self.keywords or self.themes)


@dataclass
class Suggestion:
    """A post or an organisation that matches, how well (``score``) and why (``reasons``)."""

    target: object
    score: int
    reasons: list

    @property
    def is_post(self):
        return isinstance(self.target, Post)

    @property
    def organisation(self):
        return self.target.organisation if self.is_post else self.target


def _common(profile, candidate, candidate_themes):
    """The substantive reasons: the keywords found in the candidate's text, the themes shared."""
    score, reasons = 0, []
    keywords = profile.keywords[:MAX_KEYWORDS]
    shared = [
        keyword
        for keyword, stem in zip(keywords, profile.stems, strict=True)
        if re.search(rf"\b{re.escape(stem)}[sx]?\b", candidate)
    ]
    if shared:
        score += KEYWORD_POINTS * len(shared)
        reasons.append(_("shared keywords: %(keywords)s") % {"keywords": ", ".join(shared)})
    themes = [profile.themes[pk] for pk in profile.themes if pk in candidate_themes]
    if themes:
        score += THEME_POINTS * len(themes)
        reasons.append(_("same theme: %(themes)s") % {"themes": ", ".join(sorted(themes))})
    return score, reasons


def _around(profile, organisation):
    """The reasons that only add to substantive ones: the category sought, the region."""
    score, reasons = 0, []
    if organisation.category in profile.wanted:
        score += CATEGORY_POINTS
        reasons.append(
            _("%(category)s, the kind of partner sought")
            % {"category": organisation.get_category_display()}
        )
    if organisation.region and organisation.region in profile.regions:
        score += REGION_POINTS
        reasons.append(_("same region: %(region)s") % {"region": Region(organisation.region).label})
    return score, reasons


def _score_post(profile, post):
    score, reasons = _common(profile, post.search_text, {t.pk for t in post.themes.all()})
    if not score:
        return None
    if OPPOSITE[post.kind] in profile.kinds:
        score += COMPLEMENT_POINTS
        reasons.append(
            _("an offer that answers your need")
            if post.kind == Post.Kind.OFFER
            else _("a need your offer answers")
        )
    if post.wanted_category and post.wanted_category in profile.categories:
        score += SEEKS_YOU_POINTS
        reasons.append(
            _("they seek a partner like you (%(category)s)")
            % {"category": post.get_wanted_category_display()}
        )
    extra, more = _around(profile, post.organisation)
    return Suggestion(post, score + extra, reasons + more)


def _score_organisation(profile, organisation, themes):
    score, reasons = _common(profile, organisation.search_text, themes)
    if not score:
        return None
    extra, more = _around(profile, organisation)
    return Suggestion(organisation, score + extra, reasons + more)


def _keyword_condition(profile):
    condition = Q()
    for stem in profile.stems:
        condition |= Q(search_text__contains=stem)
    return condition


def _candidate_posts(user, profile):
    """At most ``MAX_CANDIDATES`` open posts one may read, newest first, that share a keyword
    (a ``LIKE`` on ``search_text``) or a theme with the profile: two queries."""
    condition = _keyword_condition(profile)
    if profile.themes:
        with_themes = Post.themes.through.objects.filter(theme_id__in=profile.themes)
        condition |= Q(pk__in=with_themes.values("post_id"))
    return list(
        permissions.visible_posts(user)
        .filter(condition, closed_at__isnull=True)
        .exclude(organisation__in=profile.organisations)
        .exclude(pk__in=profile.posts)
        .select_related("organisation")
        .prefetch_related("themes")
        .order_by("-created_at", "-pk")[:MAX_CANDIDATES]
    )


def _candidate_organisations(user, profile):
    """At most ``MAX_CANDIDATES`` members of the directory one may see that share a keyword or
    a theme (of a labelled project, or of an open post) with the profile, each with the
    profile's themes it has: three queries at most."""
    from projects.models import Partner

    condition = _keyword_condition(profile)
    in_projects = Partner.objects.filter(
        project__labelled_on__isnull=False, project__themes__in=list(profile.themes)
    )
    with_posts = Post.themes.through.objects.filter(
        theme_id__in=list(profile.themes), post__closed_at__isnull=True
    )
    if profile.themes:
        condition |= Q(pk__in=in_projects.values("organisation_id"))
        condition |= Q(pk__in=with_posts.values("post__organisation_id"))
    organisations = list(
        permissions.directory_organisations(user)
        .filter(condition)
        .exclude(pk__in=profile.organisations)
        .order_by("-pk")[:MAX_CANDIDATES]
    )
    themes = {}
    if profile.themes and organisations:
        pks = [o.pk for o in organisations]
        rows = list(
            in_projects.filter(organisation_id__in=pks).values_list(
                "organisation_id", "project__themes"
            )
        ) + list(
            with_posts.filter(post__organisation_id__in=pks).values_list(
                "post__organisation_id", "theme_id"
            )
        )
        for organisation_id, theme_id in rows:
            themes.setdefault(organisation_id, set()).add(theme_id)
    return [(o, themes.get(o.pk, set())) for o in organisations]


def _ranked(suggestions, limit):
    found = [s for s in suggestions if s is not None]
    found.sort(key=lambda s: (-s.score, str(s.target).lower()))
    return found[:limit]


def suggest(user, profile, limit=5):
    """The posts and the organisations that best match ``profile``, among those ``user`` may
    see, each with its reasons: ``{"posts": [...], "organisations": [...]}``.

    Bounded work whatever the size of the board: the database returns at most
    ``MAX_CANDIDATES`` posts and as many organisations sharing one of the profile's first
    ``MAX_KEYWORDS`` keywords (``LIKE`` on the accent-free ``search_text``) or one of its
    themes; they are scored in Python (keywords, themes, complementary offer and need,
    category sought, region) in five queries at most."""
    if not profile:
        return {"posts": [], "organisations": []}
    posts = [_score_post(profile, post) for post in _candidate_posts(user, profile)]
    organisations = [
        _score_organisation(profile, organisation, themes)
        for organisation, themes in _candidate_organisations(user, profile)
    ]
    return {"posts": _ranked(posts, limit), "organisations": _ranked(organisations, limit)}


def suggest_for_post(user, post, limit=5):
    return suggest(user, Profile.of_post(post), limit)


def person_profile(user, posts=3):
    """What a member's organisations look for: their latest open posts, and the keywords of
    their profiles (three queries)."""
    organisations = list(permissions.postable_organisations(user))
    if not organisations:
        return Profile(keywords=[])
    profile = Profile(
        keywords=[],
        categories={o.category for o in organisations},
        regions={o.region for o in organisations if o.region},
        organisations={o.pk for o in organisations},
    )
    latest = (
        Post.objects.filter(organisation__in=organisations, closed_at__isnull=True)
        .select_related("organisation")
        .prefetch_related("themes")
        .order_by("-created_at", "-pk")[:posts]
    )
    for post in latest:
        profile.add(Profile.of_post(post))
    for organisation in organisations:
        profile.add_keywords(keywords_of(organisation.keywords))
    return profile


def suggested_for(user, limit=5):
    """The home page's "suggested for you": posts and organisations matching what the person's
    organisations post and do, best first, in a fixed number of queries."""
    profile = person_profile(user)
    found = suggest(user, profile, limit)
    mixed = found["posts"] + found["organisations"]
    mixed.sort(key=lambda s: (-s.score, not s.is_post))
    return mixed[:limit]
