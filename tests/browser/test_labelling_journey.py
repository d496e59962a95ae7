"""The labelling journey of issue 3 in a real Chromium, as the people live it: the leader
creates a project, finds a partner in the directory as they type, sets its costs inline and
submits the project to the pole; the pole's staff find it in their pipeline and label it; an
outsider then sees its public summary, and nothing else.

The pages are served in French; the names of controls accept the English text and its French
translation (the catalogue is still being completed).
"""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.models import Organisation
from portal.services import create_organisation
from projects.models import Partner, Project, State
from tests.factories import valid_siren

from .conftest import screenshot, sign_in
from .test_journeys import assert_not_reloaded, mark_page, normalised

pytestmark = pytest.mark.browser

ACRONYM = "H2PORT"
SUMMARY = "Ravitaillement en hydrogène des engins portuaires, démontré sur deux quais."
SECRET = "Confidentiel : prix cible de 8 € le kilo, lettre d'intention du port de Lorient."
PARTNER = "Piles Atlantique Recherche"
COMMITTEE = "Comité de labellisation — séance de printemps"
OPINION = "Projet structurant pour la filière hydrogène du territoire."
NOTES = "Avis unanime ; un membre s'est déporté."


def words(*names):
    """A pattern matching one of ``names`` (English, French…) at the start of a label."""
    return re.compile("^(" + "|".join(names) + ")", re.I)


def messages(page):
    """The messages the last action left at the top of the page."""
    return page.locator("ul.messages[role=status]")


def text_of(locator):
    return normalised(locator.inner_text())


def leader_creates_the_project(page, world):
    sign_in(page, "leader@world.example")
    page.goto("/projects/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words("New project", "Nouveau projet")
    )
    form = page.locator("main form")
    form.get_by_label(
        words("Coordinating organisation", "Organisation chef de file")
    ).select_option(label="Leader SAS")
    form.get_by_label(words("acronym", "acronyme")).fill(ACRONYM)
    form.get_by_label(words("title", "titre")).fill("Hydrogène pour les ports de l'Ouest")
    form.get_by_label(words("public summary", "résumé public")).fill(SUMMARY)
    form.get_by_label(words("confidential description", "description confidentielle")).fill(SECRET)
    form.get_by_label("Hydrogène (Pôle Own)").check()
    form.get_by_label(words("TRL at start", "TRL initial")).fill("4")
    form.get_by_label(words("target TRL", "TRL visé")).fill("7")
    form.get_by_label(words("start date", "date de début")).fill("2027-01-01")
    form.get_by_label(words("end date", "date de fin")).fill("2029-06-30")
    screenshot(page, "labelling-1-new-project")
    form.get_by_role("button", name=words("Save", "Enregistrer")).click()

    expect(page).to_have_url(re.compile(r"/projects/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(ACRONYM)
    expect(page.locator(".lead .badge")).to_have_class(re.compile(r"\bstate-draft\b"))
    expect(page.locator("section[aria-labelledby=description]")).to_contain_text(SECRET)
    return Project.objects.get(acronym=ACRONYM)


def leader_adds_a_partner_from_the_directory(page, project, organisation):
    mark_page(page)
    page.locator("#organisation-q").press_sequentially("piles atl", delay=30)
    choice = page.get_by_role("radio", name=re.compile(PARTNER))
    expect(choice).to_be_visible()
    assert_not_reloaded(page)  # the results came as the leader typed
    choice.check()
    page.get_by_role("button", name=words("Add the partner", "Ajouter le partenaire")).click()

    partner = project.partners.get(organisation=organisation)
    row = page.locator(f"#partner-{partner.pk}")
    expect(row).to_contain_text(PARTNER)
    expect(row).to_contain_text(re.compile("partner|partenaire", re.I))
    return partner, row


def leader_sets_its_costs_inline(page, partner, row):
    mark_page(page)
    row.get_by_role("link", name=words("Edit", "Modifier")).click()
    costs = {
        "[Pp]ersonnel": "180000",
        "[EeÉé]quipement|[Ee]quipment": "45000",
        "[Ss]ous-traitance|[Ss]ubcontracting": "12500",
        "[Aa]utres|[Oo]ther": "2500",
    }
    for name, amount in costs.items():
        row.get_by_role("textbox", name=re.compile(name)).fill(amount)
    row.get_by_role("button", name=words("Save", "Enregistrer")).click()

    expect(row.locator("input[name=personnel_costs]")).to_have_count(0)
    expect(row).to_contain_text(PARTNER)
    assert "240 000,00 €" in text_of(row)
    total = page.get_by_role("region", name="Consortium").locator("tfoot")
    expect(total).to_contain_text(re.compile(r"240\s000,00\s€"))  # the coordinator has no costs
    assert_not_reloaded(page)
    screenshot(page, "labelling-2-consortium-costs")


def leader_submits_to_the_pole(page):
    labelling = page.locator("section[aria-labelledby=labelling]")
    labelling.get_by_label("Pôle Own", exact=True).check()
    labelling.get_by_role(
        "button", name=words("Submit for labelling", "Soumettre à labellisation")
    ).click()

    expect(messages(page)).to_contain_text(
        re.compile("submitted for labelling|soumis à labellisation", re.I)
    )
    expect(page.locator(".lead .badge")).to_have_class(re.compile(r"\bstate-submitted\b"))
    row = labelling.get_by_role("row").filter(has_text="Pôle Own")
    expect(row).to_contain_text(re.compile("Pending|En attente", re.I))
    expect(labelling.get_by_role("button", name=re.compile("Submit|Soumettre"))).to_have_count(0)
    screenshot(page, "labelling-3-submitted")


def staff_finds_it_in_the_pipeline(page, world):
    page.context.clear_cookies()
    sign_in(page, "staff@world.example")
    pole = world["poles"]["own"]
    pipeline = page.get_by_role("region", name=re.compile(pole.name))
    awaiting = pipeline.get_by_role("link", name=ACRONYM, exact=True)
    expect(awaiting).to_be_visible()  # "awaiting the committee's decision" on the home page
    pipeline.get_by_role(
        "link", name=re.compile("whole pipeline|portefeuille de projets", re.I)
    ).click()
    expect(page).to_have_url(re.compile(rf"/poles/{pole.pk}/pipeline/$"))
    results = page.locator("#project-results")
    expect(results.get_by_role("link", name=ACRONYM, exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="FDRAFT", exact=True)).to_have_count(0)
    screenshot(page, "labelling-4-pipeline")
    results.get_by_role("link", name=ACRONYM, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(ACRONYM)
    # The pole sees what it labels: the confidential description and the partners' costs.
    expect(page.locator("section[aria-labelledby=description]")).to_contain_text(SECRET)
    expect(page.get_by_role("region", name="Consortium")).to_contain_text(PARTNER)


def staff_records_the_label(page):
    labelling = page.locator("section[aria-labelledby=labelling]")
    labelling.get_by_role(
        "link", name=words("Record the decision", "Enregistrer la décision")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ACRONYM)
    form = page.locator("main form")
    form.get_by_role("radio", name=re.compile("^(labelled|labellisé)$", re.I)).check()
    form.get_by_label(words("Committee", "Comité")).fill(COMMITTEE)
    form.get_by_label(words("Opinion", "Avis")).fill(OPINION)
    form.get_by_label(words("Conditions")).fill("Transmettre l'accord de consortium signé.")
    form.get_by_label(words("Deliberation notes", "Notes de délibération")).fill(NOTES)
    screenshot(page, "labelling-5-decision-form")
    form.get_by_role("button", name=words("Record the decision", "Enregistrer la décision")).click()

    expect(page).to_have_url(re.compile(r"/projects/\d+/$"))
    expect(messages(page)).to_contain_text(re.compile("Decision recorded|Décision enregistrée"))
    expect(page.locator(".lead .badge")).to_have_class(re.compile(r"\bstate-labelled\b"))
    today = timezone.localdate().strftime("%d/%m/%Y")
    expect(page.locator(".lead")).to_contain_text(
        re.compile(f"(labelled by|labellisé par) Pôle Own (on|le) {today}")
    )
    labelling = page.locator("section[aria-labelledby=labelling]")
    expect(labelling).to_contain_text(COMMITTEE)
    expect(labelling).to_contain_text(OPINION)
    expect(labelling).to_contain_text(NOTES)  # the pole's own deliberation notes
    expect(
        labelling.get_by_role("link", name=words("Record the decision", "Enregistrer"))
    ).to_have_count(0)
    screenshot(page, "labelling-6-labelled")
    return page.url


def outsider_sees_the_public_summary_only(page, project_url):
    page.context.clear_cookies()
    sign_in(page, "outsider@world.example")
    recent = page.get_by_role("region", name=re.compile("Recently labelled|récemment labellisés"))
    expect(recent.get_by_role("link", name=ACRONYM, exact=True)).to_be_visible()
    page.goto(project_url)

    expect(page.get_by_role("heading", level=1)).to_contain_text(ACRONYM)
    expect(page.locator("section[aria-labelledby=summary]")).to_contain_text(SUMMARY)
    main = page.locator("main")
    for hidden in (SECRET, PARTNER, "240", COMMITTEE, OPINION, NOTES):
        expect(main).not_to_contain_text(hidden)
    for section in ("description", "consortium", "labelling", "documents-heading"):
        expect(page.locator(f"section[aria-labelledby={section}]")).to_have_count(0)
    expect(page.get_by_role("link", name=words("Edit", "Modifier"))).to_have_count(0)
    screenshot(page, "labelling-7-outsider")


def test_leader_creates_and_submits_then_staff_labels(page, world):
    organisation = create_organisation(
        Organisation(
            legal_name=PARTNER,
            siren=valid_siren(991),
            category="research",
            region="BRE",
            directory_consent=True,
        )
    )
    leader, staff = world["people"]["leader"], world["people"]["staff"]

    project = leader_creates_the_project(page, world)
    partner, row = leader_adds_a_partner_from_the_directory(page, project, organisation)
    leader_sets_its_costs_inline(page, partner, row)
    leader_submits_to_the_pole(page)
    staff_finds_it_in_the_pipeline(page, world)
    project_url = staff_records_the_label(page)
    outsider_sees_the_public_summary_only(page, project_url)

    project.refresh_from_db()
    assert project.state == State.LABELLED
    assert project.labelled_on == timezone.localdate()
    assert project.created_by == leader
    assert (project.trl_start, project.trl_target) == (4, 7)
    assert [t.name for t in project.themes.all()] == ["Hydrogène"]
    assert [(c.to_state, c.by) for c in project.state_changes.all()] == [
        (State.SUBMITTED, leader),
        (State.LABELLED, staff),
    ]
    partner.refresh_from_db()
    assert partner.role == Partner.Role.PARTNER
    assert partner.budget == Decimal("240000.00")
    assert (partner.personnel_costs, partner.other_costs) == (Decimal("180000"), Decimal("2500"))
    (submission,) = project.submissions.all()
    assert submission.pole == world["poles"]["own"]
    assert (submission.decision, submission.decided_by) == ("labelled", staff)
    assert (submission.committee, submission.opinion, submission.staff_notes) == (
        COMMITTEE,
        OPINION,
        NOTES,
    )
    # The services told each side: the pole of the submission, the consortium of the decision.
    assert staff.notifications.filter(subject__contains=ACRONYM).exists()
    assert leader.notifications.filter(subject__contains=ACRONYM).exists()
