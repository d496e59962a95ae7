"""The matchmaking board: members post offers and needs, Grappe suggests who matches and why,
and members write to each other through the portal without seeing each other's address."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.matchmaking import (
    DAILY_CONTACT_LIMIT,
    Profile,
    close_post,
    create_post,
    keywords_of,
    suggest_for_post,
)
from portal.models import Affiliation, ContactRequest, Membership, Organisation, Person, Post, Theme
from portal.services import create_organisation

from ..factories import valid_siren
from ..shared import module_world
from ..world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_site")]


def organisation(name, n, *, pole, category="research", region="ARA", consent=True, **fields):
    admin = Person.objects.create_user(f"admin{n}@lab.example", "demo", first_name=f"Admin{n}")
    created = create_organisation(
        Organisation(
            legal_name=name,
            siren=valid_siren(8000 + n),
            category=category,
            region=region,
            directory_consent=consent,
            **fields,
        ),
        admin=admin,
    )
    if pole is not None:
        Membership.objects.create(organisation=created, pole=pole, status="current")
    return created


def post(organisation, kind, title, keywords="", themes=(), wanted="", body="…"):
    author = organisation.people.first()
    return create_post(
        by=author,
        organisation=organisation,
        kind=kind,
        title=title,
        body=body,
        keywords=keywords,
        themes=themes,
        wanted_category=wanted,
    )


def _build_world():
    world = build_world()
    own = world["poles"]["own"]
    for key in ("leader", "member"):
        Membership.objects.create(organisation=world["organisations"][key], pole=own)
    Membership.objects.filter(pole=own).update(status="current")
    return world


built_world, world = module_world(_build_world, language="en", site=True)


@pytest.fixture
def board(world):
    """The leader's SME needs a lab in composites; around it, posts that match more or less."""
    own = world["poles"]["own"]
    composites = Theme.objects.create(pole=own, name="Matériaux composites")
    hydrogen = Theme.objects.get(name="Hydrogène")
    lab_a = organisation("Lab Alpes", 1, pole=own, keywords="composites, caractérisation")
    sme_b = organisation("Bretagne Plast", 2, pole=own, category="sme", region="BRE")
    lab_c = organisation("Lab Hydro", 3, pole=own, region="IDF", keywords="hydrogène")
    lab_d = organisation("Lab Fermé", 4, pole=own)
    hidden = organisation("Hidden Composites", 5, pole=own, consent=False, keywords="composites")
    outside = organisation("Not A Member", 6, pole=None, keywords="composites")
    need = post(
        world["organisations"]["leader"],
        Post.Kind.NEED,
        "Laboratoire en composites cherché pour démonstrateur",
        keywords="Composites, démonstrateur, recyclage",
        themes=[composites],
        wanted="research",
    )
    return {
        "need": need,
        "themes": {"composites": composites, "hydrogen": hydrogen},
        "offer_a": post(
            lab_a,
            Post.Kind.OFFER,
            "Offre : essais de fatigue sur pièces composites",
            keywords="composite, essais de fatigue",
            themes=[composites],
        ),
        "need_b": post(
            sme_b,
            Post.Kind.NEED,
            "Partenaire pour composites recyclés",
            keywords="composites, recyclage",
        ),
        "offer_c": post(
            lab_c, Post.Kind.OFFER, "Essais hydrogène haute pression", themes=[hydrogen]
        ),
        "closed_d": close_post(post(lab_d, Post.Kind.OFFER, "Composites", keywords="composites")),
        "own": post(world["organisations"]["leader"], Post.Kind.OFFER, "Our composites offer"),
        "hidden": post(hidden, Post.Kind.OFFER, "Discreet composites", keywords="composites"),
        "outside": outside,
        "lab_a": lab_a,
    }


def test_keywords_come_from_the_list_or_else_from_the_title():
    assert keywords_of("Composites ; démonstrateur, ,recyclage") == [
        "Composites",
        "démonstrateur",
        "recyclage",
    ]
    assert keywords_of("", "Cherche laboratoire pour essais de fatigue") == [
        "laboratoire",
        "essais",
        "fatigue",
    ]


def test_suggestions_are_ranked_with_why_they_match(world, board):
    found = suggest_for_post(world["people"]["leader"], board["need"])
    posts = found["posts"]
    assert [s.target for s in posts] == [board["offer_a"], board["need_b"]]
    best = posts[0]
    assert best.reasons == [
        "shared keywords: Composites",
        "same theme: Matériaux composites",
        "an offer that answers your need",
        "research organisation, the kind of partner sought",
        "same region: Auvergne-Rhône-Alpes",
    ]
    assert best.score == 3 + 2 + 3 + 4 + 1
    assert posts[1].reasons == ["shared keywords: Composites, recyclage"]
    assert posts[1].score == 6
    # Organisations: members one may see sharing a keyword or a theme, never one's own.
    organisations = [s.target.legal_name for s in found["organisations"]]
    assert organisations == ["Lab Alpes"]
    assert found["organisations"][0].reasons[0] == "shared keywords: Composites"
    assert {"Hidden Composites", "Not A Member", "Leader SAS"}.isdisjoint(organisations)


def test_a_closed_or_unrelated_post_is_not_suggested(world, board):
    found = suggest_for_post(world["people"]["leader"], board["need"])
    targets = [s.target for s in found["posts"]]
    for key in ("offer_c", "closed_d", "own", "hidden"):
        assert board[key] not in targets


def test_an_empty_profile_suggests_nothing(world):
    assert not Profile(keywords=[])


def test_the_post_page_shows_the_suggestions_and_their_reasons(client, world, board):
    client.force_login(world["people"]["leader"])
    html = client.get(board["need"].get_absolute_url()).content.decode()
    assert "Offre : essais de fatigue sur pièces composites" in html
    assert "an offer that answers your need" in html
    assert "Lab Alpes" in html
    assert "Essais hydrogène haute pression" not in html


def test_the_home_page_suggests_for_the_members_organisation(client, world, board):
    client.force_login(world["people"]["leader"])
    response = client.get("/")
    suggestions = response.context["sections"]["suggestions"]
    assert suggestions[0].target == board["offer_a"]
    assert "Suggested for you" in response.content.decode()
    client.force_login(world["people"]["funder"])  # not a member: nothing to suggest
    response = client.get("/")
    assert response.context["sections"]["suggestions"] == []
    assert "Suggested for you" not in response.content.decode()


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_suggestions_take_a_fixed_number_of_queries(client, world, board):
    client.force_login(world["people"]["leader"])
    urls = [board["need"].get_absolute_url(), "/", "/matchmaking/"]
    before = [_count(client, url) for url in urls]
    own, composites = world["poles"]["own"], board["themes"]["composites"]
    for n in range(6):
        lab = organisation(f"More Lab {n}", 20 + n, pole=own, keywords="composites")
        post(lab, Post.Kind.OFFER, f"Composites {n}", keywords="composites", themes=[composites])
    assert [_count(client, url) for url in urls] == before


# The board


def test_members_post_and_the_board_lists_open_posts(client, world, board):
    client.force_login(world["people"]["member"])
    response = client.post(
        "/matchmaking/new/",
        {
            "organisation": world["organisations"]["member"].pk,
            "kind": "offer",
            "title": "Offre : caractérisation de matériaux",
            "body": "Microscopie, essais mécaniques.",
            "keywords": "caractérisation, matériaux",
            "themes": [board["themes"]["composites"].pk],
            "wanted_category": "",
        },
    )
    created = Post.objects.get(title="Offre : caractérisation de matériaux")
    assert response["Location"] == created.get_absolute_url()
    assert created.author == world["people"]["member"]
    assert created.search_text.startswith("offre : caracterisation de materiaux")
    listed = client.get("/matchmaking/").context["page"].object_list
    assert created in listed and board["offer_a"] in listed
    assert board["closed_d"] not in listed and board["hidden"] not in listed
    with_closed = client.get("/matchmaking/", {"closed": "on"}).context["page"].object_list
    assert board["closed_d"] in with_closed


def test_the_board_search_ignores_accents_and_filters(client, world, board):
    client.force_login(world["people"]["member"])

    def titles(**params):
        return {p.title for p in client.get("/matchmaking/", params).context["page"]}

    assert titles(q="PIECES COMPOSITES") == {"Offre : essais de fatigue sur pièces composites"}
    assert titles(q="recycles", kind="need") == {"Partenaire pour composites recyclés"}
    assert titles(theme=board["themes"]["hydrogen"].pk) == {"Essais hydrogène haute pression"}
    assert titles(region="BRE") == {"Partenaire pour composites recyclés"}
    assert titles(wanted_category="research") == {board["need"].title}
    fragment = client.get("/matchmaking/", {"q": "fatigue"}, headers={"HX-Request": "true"})
    assert fragment.content.decode().strip().startswith('<div id="post-results"')


def test_people_outside_member_organisations_do_not_read_the_board(client, world, board):
    client.force_login(world["people"]["outsider"])  # its organisation is no member
    response = client.get("/matchmaking/")
    assert list(response.context["page"]) == [] and "post-results" not in response.content.decode()
    assert "open to the people of the poles' member organisations" in response.content.decode()
    assert client.get(board["offer_a"].get_absolute_url()).status_code == 404
    assert client.get("/matchmaking/new/").status_code == 404
    client.force_login(world["people"]["staff"])  # pole staff read, but do not post
    assert client.get(board["offer_a"].get_absolute_url()).status_code == 200
    assert client.get("/matchmaking/new/").status_code == 404


def test_only_the_organisations_people_edit_and_close_its_post(client, world, board):
    need = board["need"]
    colleague = Person.objects.create_user("colleague@world.example", "demo")
    Affiliation.objects.create(person=colleague, organisation=world["organisations"]["leader"])
    client.force_login(world["people"]["member"])
    assert client.get(f"/matchmaking/{need.pk}/edit/").status_code == 404
    assert client.post(f"/matchmaking/{need.pk}/close/").status_code == 404
    client.force_login(colleague)
    response = client.post(
        f"/matchmaking/{need.pk}/edit/",
        {
            "kind": "need",
            "title": "Nouveau titre",
            "body": "x",
            "keywords": "composites",
            "version": "1",
        },
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.title == "Nouveau titre" and need.organisation == world["organisations"]["leader"]
    assert need.search_text.startswith("nouveau titre")
    client.post(f"/matchmaking/{need.pk}/close/")
    need.refresh_from_db()
    assert need.closed_at is not None
    client.post(f"/matchmaking/{need.pk}/reopen/")
    need.refresh_from_db()
    assert need.closed_at is None


def test_one_posts_only_for_ones_own_member_organisation(client, world, board):
    client.force_login(world["people"]["member"])
    response = client.post(
        "/matchmaking/new/",
        {"organisation": board["lab_a"].pk, "kind": "offer", "title": "x", "body": "x"},
    )
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    assert not Post.objects.filter(title="x").exists()


# Contact through the portal


def _write(client, url, message="Bonjour, parlons composites.", **extra):
    return client.post(url, {"message": message, **extra})


def test_a_contact_request_goes_to_the_admins_without_any_address(
    client, world, board, django_capture_on_commit_callbacks
):
    leader_org, need = world["organisations"]["leader"], board["need"]
    colleague = Person.objects.create_user("not-admin@world.example", "demo")
    Affiliation.objects.create(person=colleague, organisation=leader_org, is_admin=False)
    member = world["people"]["member"]
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = _write(client, f"/matchmaking/{need.pk}/contact/")
    assert response.status_code == 302 and response["Location"] == need.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "Your message was sent to Leader SAS" in page
    assert "leader@world.example" not in page
    (email,) = mail.outbox
    assert email.to == ["leader@world.example"]  # the admin, not the colleague
    assert email.reply_to == []
    assert "Bonjour, parlons composites." in email.body
    assert "Member (Member Lab)" in email.body and need.title in email.subject
    assert "member@world.example" not in email.body + email.subject
    assert f"/organisations/{world['organisations']['member'].pk}/contact/" in email.body
    contact = ContactRequest.objects.get()
    assert (contact.sender, contact.organisation, contact.post) == (member, leader_org, need)
    # The leader got it in the portal too, and may answer the member's organisation, which is
    # not in the public directory, through the portal.
    assert world["people"]["leader"].notifications.filter(subject__contains=need.title).exists()
    client.force_login(world["people"]["leader"])
    member_org = world["organisations"]["member"]
    assert client.get(f"/organisations/{member_org.pk}/contact/").status_code == 200


def test_the_sender_may_share_their_address_as_reply_to(
    client, world, board, django_capture_on_commit_callbacks
):
    client.force_login(world["people"]["member"])
    with django_capture_on_commit_callbacks(execute=True):
        _write(client, f"/organisations/{board['lab_a'].pk}/contact/", share_email="on")
    (email,) = mail.outbox
    assert email.to == ["admin1@lab.example"]
    assert email.reply_to == ["member@world.example"]
    assert "shared their e-mail address" in email.body


def test_at_most_ten_contact_requests_a_day(client, world, board):
    client.force_login(world["people"]["member"])
    url = f"/organisations/{board['lab_a'].pk}/contact/"
    for _ in range(DAILY_CONTACT_LIMIT):
        assert _write(client, url).status_code == 302
    response = _write(client, url)
    assert response.status_code == 429
    assert "You have sent 10 messages in the last 24 hours" in response.content.decode()
    assert ContactRequest.objects.count() == DAILY_CONTACT_LIMIT
    api = client.post(
        "/api/v1/contact-requests/",
        {"organisation": board["lab_a"].pk, "message": "again"},
        content_type="application/json",
    )
    assert api.status_code == 429 and "24 hours" in api.json()["detail"]
    # A day later, the member may write again.
    ContactRequest.objects.update(sent_at=timezone.now() - timedelta(days=1, minutes=1))
    assert _write(client, url).status_code == 302


def test_nobody_writes_to_their_own_organisation_nor_as_a_non_member(client, world, board):
    leader_org = world["organisations"]["leader"]
    client.force_login(world["people"]["leader"])
    assert client.get(f"/organisations/{leader_org.pk}/contact/").status_code == 404
    client.force_login(world["people"]["outsider"])
    assert client.get(f"/organisations/{leader_org.pk}/contact/").status_code == 404
    assert _write(client, f"/organisations/{leader_org.pk}/contact/").status_code == 404
    assert not ContactRequest.objects.exists()


# API


def test_the_api_posts_for_ones_organisation_and_reads_the_board(client, world, board):
    client.force_login(world["people"]["member"])
    member_org = world["organisations"]["member"]
    body = {"organisation": member_org.pk, "kind": "need", "title": "API need", "body": "x"}
    created = client.post("/api/v1/posts/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["organisation_name"] == "Member Lab"
    other = client.post(
        "/api/v1/posts/",
        {**body, "organisation": board["lab_a"].pk},
        content_type="application/json",
    )
    assert other.status_code == 400 and "organisation" in other.json()
    listed = {p["title"] for p in client.get("/api/v1/posts/").json()["results"]}
    assert {"API need", "Offre : essais de fatigue sur pièces composites"} <= listed
    assert "Composites" not in listed  # closed
    offer = board["offer_a"].pk
    assert (
        client.patch(f"/api/v1/posts/{offer}/", {"title": "x"}, "application/json").status_code
        == 404
    )
    assert client.post(f"/api/v1/posts/{offer}/close/").status_code == 404
    suggestions = client.get(f"/api/v1/posts/{board['need'].pk}/suggestions/").json()
    assert suggestions["posts"][0]["id"] == offer
    assert "an offer that answers your need" in suggestions["posts"][0]["reasons"]
    client.force_login(world["people"]["outsider"])
    assert client.get("/api/v1/posts/").json()["count"] == 0
    assert client.get(f"/api/v1/posts/{offer}/").status_code == 404


def test_the_api_sends_contact_requests(client, world, board, django_capture_on_commit_callbacks):
    client.force_login(world["people"]["member"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/contact-requests/",
            {"organisation": board["lab_a"].pk, "post": board["offer_a"].pk, "message": "Hello"},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    assert set(response.json()) == {"id", "organisation", "post", "message", "sent_at"}
    assert mail.outbox[0].to == ["admin1@lab.example"]
    mismatch = client.post(
        "/api/v1/contact-requests/",
        {"organisation": board["lab_a"].pk, "post": board["need_b"].pk, "message": "Hello"},
        content_type="application/json",
    )
    assert mismatch.status_code == 400 and "post" in mismatch.json()
    client.force_login(world["people"]["outsider"])
    refused = client.post(
        "/api/v1/contact-requests/",
        {"organisation": board["lab_a"].pk, "message": "Hello"},
        content_type="application/json",
    )
    assert refused.status_code == 404
