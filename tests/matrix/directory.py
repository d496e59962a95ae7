"""The rows of the permission matrix for the member directory and the matchmaking board:
the directory is open to everyone signed in (a member that did not consent shows to its
pole's staff only); posts are read by members and pole staff, changed by their
organisation's people; members write to other organisations through the portal."""

from portal.matchmaking import create_post
from portal.models import Membership, Organisation, Person, Post
from portal.services import create_organisation

from ..factories import valid_siren
from . import NF, OK

# fmt: off
#   (name, method, path template, object)                                               leader member staff funder expert outsider
ROWS = [
    ("directory", "get", "/directory/?q=composites", "directory",                           OK, OK, OK, OK, OK, OK),
    ("api directory", "get", "/api/v1/directory/?q=composites", "directory",                 OK, OK, OK, OK, OK, OK),
    ("organisation (not public)", "get", "/organisations/{org:discreet}/", "discreet member", NF, NF, OK, NF, NF, NF),
    ("api organisation (not public)", "get", "/api/v1/organisations/{org:discreet}/", "discreet member", NF, NF, OK, NF, NF, NF),
    ("board", "get", "/matchmaking/", "board",                                               OK, OK, OK, OK, OK, OK),
    ("matchmaking post", "get", "/matchmaking/{draft:post}/", "leader's post",                           OK, OK, OK, NF, NF, NF),
    ("matchmaking post", "get", "/matchmaking/{draft:discreet_post}/", "discreet member's post",         NF, NF, OK, NF, NF, NF),
    ("new post page", "get", "/matchmaking/new/", "board",                                   OK, OK, NF, NF, NF, NF),
    ("edit post page", "get", "/matchmaking/{draft:post}/edit/", "leader's post",           OK, NF, NF, NF, NF, NF),
    ("close post", "post", "/matchmaking/{draft:post}/close/", "leader's post",             OK, NF, NF, NF, NF, NF),
    ("reopen post", "post", "/matchmaking/{draft:post}/reopen/", "leader's post",           OK, NF, NF, NF, NF, NF),
    ("contact page", "get", "/organisations/{org:composites}/contact/", "member org",       OK, OK, NF, NF, NF, NF),
    ("write to organisation", "post", "/organisations/{org:composites}/contact/", "member org",           OK, OK, NF, NF, NF, NF),
    ("write to organisation", "post", "/organisations/{org:discreet}/contact/", "discreet member",         NF, NF, NF, NF, NF, NF),
    ("contact about post", "get", "/matchmaking/{draft:post}/contact/", "leader's post",    NF, OK, NF, NF, NF, NF),
    ("api post", "get", "/api/v1/posts/{draft:post}/", "leader's post",                     OK, OK, OK, NF, NF, NF),
    ("api edit post", "patch", "/api/v1/posts/{draft:post}/", "leader's post",              OK, NF, NF, NF, NF, NF),
    ("api close post", "post", "/api/v1/posts/{draft:post}/close/", "leader's post",        OK, NF, NF, NF, NF, NF),
    ("api delete post", "delete", "/api/v1/posts/{draft:post}/", "leader's post",           OK, NF, NF, NF, NF, NF),
    ("api suggestions", "get", "/api/v1/posts/{draft:post}/suggestions/", "leader's post",  OK, OK, OK, NF, NF, NF),
    ("api contact request", "post", "/api/v1/contact-requests/", "member org",                      OK, OK, NF, NF, NF, NF),
]
# fmt: on

BODIES = {
    "write to organisation": {"message": "Bonjour, parlons composites."},
    "api contact request": {"organisation": "{org:composites}", "message": "Bonjour."},
    "api edit post": {"title": "Un nouveau titre"},
}


def _member(organisation, pole):
    # Other features' builders may have made it a member already: keep what they set.
    Membership.objects.get_or_create(
        organisation=organisation, pole=pole, defaults={"status": Membership.Status.CURRENT}
    )
    return organisation


def _organisation(name, n, pole, consent):
    admin = Person.objects.create_user(f"admin-{n}@matrix.example", "demo")
    organisation = Organisation(
        legal_name=name,
        siren=valid_siren(9500 + n),
        category="research",
        region="ARA",
        keywords="composites",
        directory_consent=consent,
    )
    return _member(create_organisation(organisation, admin=admin), pole), admin


def build(world):
    """The leader's and the member's organisations are current members of the own pole; a
    consenting member lab, and a member that did not consent, each with a post."""
    own = world["poles"]["own"]
    _member(world["organisations"]["leader"], own)
    _member(world["organisations"]["member"], own)
    composites, _ = _organisation("Composites Lab", 1, own, consent=True)
    discreet, discreet_admin = _organisation("Discreet Lab", 2, own, consent=False)
    world["organisations"]["composites"] = composites
    world["organisations"]["discreet"] = discreet
    world["extra"]["draft:post"] = create_post(
        by=world["people"]["leader"],
        organisation=world["organisations"]["leader"],
        kind=Post.Kind.NEED,
        title="Cherche laboratoire en composites",
        body="Pour un démonstrateur.",
        keywords="composites",
    )
    world["extra"]["draft:discreet_post"] = create_post(
        by=discreet_admin,
        organisation=discreet,
        kind=Post.Kind.OFFER,
        title="Essais de fatigue",
        body="Sur pièces composites.",
        keywords="composites",
    )
