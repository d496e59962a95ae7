"""What ``tests/test_url_walk.py`` walks: every route of the URLconf, the objects of another
consortium, pole and funder to fill their parameters with, and what each role may get.

- ``routes()`` enumerates the URLconf (``include()``s, regex routes and the DRF router, whose
  format-suffix twins are collapsed into the route they double) as path templates such as
  ``/projects/{pk}/partners/{partner_pk}/role/``.
- ``PARAMS`` says, for every route with a parameter, which kind of object each parameter
  names (``partner_pk`` → ``partner``). It must list every such route of the URLconf and
  nothing else: a new URL fails the walk until someone says here what fills it.
- ``build_foreign(world)`` makes, on top of ``tests.world`` and the permission matrix's
  builders, the objects nobody of the world may see, and returns the ``SCENARIOS``: one
  object per kind, consistent with each other (the partner is one of the project's).
- ``EXCEPTIONS`` lists, with the reason taken from DESIGN.md, what may answer other than 404
  (an object that is public, an action open to everyone on something public).

Routes under ``/admin/`` are Django's admin: every person of the world is refused it
(not ``is_staff``), whatever the object; their parameters are filled by ``ADMIN_PARAMS``.
"""

import datetime
import re
import secrets
from decimal import Decimal

from django.contrib.auth.models import Group
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from funding.models import Funder, FundingLine, Programme
from funding.services import (
    change_funding_line,
    programme_named,
    record_disbursement,
    record_funding_line,
    record_private_round,
    record_repayment,
)
from outcomes import services as outcome_services
from portal import services as portal_services
from portal.matchmaking import create_post
from portal.models import (
    FeeCall,
    FeeSchedule,
    Membership,
    Notification,
    Organisation,
    Payment,
    Person,
    Post,
)
from portal.services import create_organisation
from projects import services
from projects.models import Invitation
from tokens.services import create_token

from .factories import valid_siren
from .world import ROLES

# Routes: the URLconf as path templates


def _piece(pattern):
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern))
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", str(pattern))
    return text.replace("^", "").replace("$", "").replace("\\", "")


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + _piece(pattern.pattern))
        else:
            yield "/" + prefix + _piece(pattern.pattern)


def routes():
    """Every route of the URLconf as a template, in URLconf order, without the DRF router's
    format-suffix twins (``/api/v1/poles.{format}/?``: the same view as ``/api/v1/poles/``)."""
    seen = []
    for template in _walk(get_resolver().url_patterns):
        if "{format}" in template:
            continue
        if template not in seen:
            seen.append(template)
    return seen


def parameters(template):
    return re.findall(r"\{(\w+)\}", template)


def is_admin(template):
    return template.startswith("/admin/")


def is_api(template):
    return template.startswith("/api/")


# Which object each parameter names. Kinds in CAPITALS are not objects but values (the
# format of an export, a year); a route whose parameters are all values is not about an
# object and is walked by the anonymous walk only.

FMT = "FMT"  # csv or xlsx
YEAR = "YEAR"  # the year of an impact report
P = "project"

# fmt: off
PARAMS = {
    "/accounts/reset/{uidb64}/{token}/": {"uidb64": "person_uid", "token": "reset_token"},
    "/notifications/{pk}/read/": {"pk": "notification"},
    "/account/tokens/{pk}/revoke/": {"pk": "api_token"},
    "/organisations/{pk}/": {"pk": "organisation"},
    "/organisations/{pk}/edit/": {"pk": "organisation"},
    "/organisations/{pk}/contact/": {"pk": "organisation"},
    "/matchmaking/{pk}/": {"pk": "post"},
    "/matchmaking/{pk}/edit/": {"pk": "post"},
    "/matchmaking/{pk}/close/": {"pk": "post"},
    "/matchmaking/{pk}/reopen/": {"pk": "post"},
    "/matchmaking/{pk}/contact/": {"pk": "post"},
    "/projects/{pk}/summary.pdf": {"pk": P},
    "/projects/export.{fmt}": {"fmt": FMT},
    "/projects/{pk}/": {"pk": P},
    "/projects/{pk}/edit/": {"pk": P},
    "/projects/{pk}/transition/": {"pk": P},
    "/projects/{pk}/submit/": {"pk": P},
    "/projects/{pk}/history/": {"pk": P},
    "/projects/{pk}/partners/": {"pk": P},
    "/projects/{pk}/partners/organisations/": {"pk": P},
    "/projects/{pk}/partners/{partner_pk}/role/": {"pk": P, "partner_pk": "partner"},
    "/projects/{pk}/partners/{partner_pk}/remove/": {"pk": P, "partner_pk": "partner"},
    "/projects/{pk}/partners/{partner_pk}/contacts/": {"pk": P, "partner_pk": "partner"},
    "/projects/{pk}/partners/{partner_pk}/invitations/": {"pk": P, "partner_pk": "partner"},
    "/projects/{pk}/contacts/{contact_pk}/role/": {"pk": P, "contact_pk": "contact"},
    "/projects/{pk}/contacts/{contact_pk}/remove/": {"pk": P, "contact_pk": "contact"},
    "/projects/{pk}/invitations/{invitation_pk}/resend/": {"pk": P, "invitation_pk": "invitation"},
    "/projects/{pk}/invitations/{invitation_pk}/cancel/": {"pk": P, "invitation_pk": "invitation"},
    "/projects/{pk}/milestones/": {"pk": P},
    "/projects/{pk}/milestones/{milestone_pk}/edit/": {"pk": P, "milestone_pk": "milestone"},
    "/projects/{pk}/milestones/{milestone_pk}/done/": {"pk": P, "milestone_pk": "milestone"},
    "/projects/{pk}/milestones/{milestone_pk}/delete/": {"pk": P, "milestone_pk": "milestone"},
    "/projects/{pk}/documents/": {"pk": P},
    "/projects/{pk}/documents/{document_pk}/": {"pk": P, "document_pk": "document"},
    "/projects/{pk}/documents/{document_pk}/delete/": {"pk": P, "document_pk": "document"},
    "/projects/{pk}/partners/{partner_pk}/budget/": {"pk": P, "partner_pk": "partner"},
    "/projects/{pk}/submissions/{submission_pk}/decision/": {"pk": P, "submission_pk": "submission"},
    "/projects/{pk}/submissions/{submission_pk}/": {"pk": P, "submission_pk": "submission"},
    "/projects/{pk}/submissions/{submission_pk}/experts/": {"pk": P, "submission_pk": "submission"},
    "/projects/{pk}/submissions/{submission_pk}/letter/": {"pk": P, "submission_pk": "submission"},
    "/projects/{pk}/submissions/{submission_pk}/letter.pdf": {"pk": P, "submission_pk": "submission"},
    "/projects/{pk}/opinions/{assignment_pk}/": {"pk": P, "assignment_pk": "assignment"},
    "/projects/{pk}/funding/": {"pk": P},
    "/projects/{pk}/funding/lines/": {"pk": P},
    "/projects/{pk}/funding/lines/{line_pk}/": {"pk": P, "line_pk": "line"},
    "/projects/{pk}/funding/lines/{line_pk}/decision/": {"pk": P, "line_pk": "line"},
    "/projects/{pk}/funding/lines/{line_pk}/disbursements/": {"pk": P, "line_pk": "line"},
    "/projects/{pk}/funding/lines/{line_pk}/repayments/": {"pk": P, "line_pk": "advance_line"},
    "/projects/{pk}/funding/disbursements/{disbursement_pk}/paid/": {"pk": P, "disbursement_pk": "disbursement"},
    "/projects/{pk}/funding/disbursements/{disbursement_pk}/delete/": {"pk": P, "disbursement_pk": "disbursement"},
    "/projects/{pk}/funding/repayments/{repayment_pk}/paid/": {"pk": P, "repayment_pk": "repayment"},
    "/projects/{pk}/funding/repayments/{repayment_pk}/delete/": {"pk": P, "repayment_pk": "repayment"},
    "/projects/{pk}/funding/rounds/": {"pk": P},
    "/projects/{pk}/funding/rounds/{round_pk}/delete/": {"pk": P, "round_pk": "round"},
    "/projects/{pk}/funding/export.{fmt}": {"pk": P, "fmt": FMT},
    "/projects/{pk}/launches/": {"pk": P},
    "/projects/{pk}/launches/new/": {"pk": P},
    "/projects/{pk}/launches/{launch_pk}/edit/": {"pk": P, "launch_pk": "launch"},
    "/projects/{pk}/launches/{launch_pk}/delete/": {"pk": P, "launch_pk": "launch"},
    "/projects/{pk}/launches/{launch_pk}/revenues/": {"pk": P, "launch_pk": "launch"},
    "/projects/{pk}/launches/{launch_pk}/revenues/{revenue_pk}/delete/": {"pk": P, "launch_pk": "launch", "revenue_pk": "revenue"},
    "/launches/export.{fmt}": {"fmt": FMT},
    "/audit/export.{fmt}": {"fmt": FMT},
    "/funding/lines/export.{fmt}": {"fmt": FMT},
    "/funding/portfolio/export.{fmt}": {"fmt": FMT},
    "/impact/{pole_pk}/{year}/report/": {"pole_pk": "pole", "year": YEAR},
    "/impact/{pole_pk}/{year}/report.xlsx": {"pole_pk": "pole", "year": YEAR},
    "/impact/{pole_pk}/{year}/report/pdf/": {"pole_pk": "pole", "year": YEAR},
    "/impact/{pole_pk}/{year}/report.pdf": {"pole_pk": "pole", "year": YEAR},
    "/campaigns/{pk}/": {"pk": "campaign"},
    "/campaigns/{pk}/export.{fmt}": {"pk": "campaign", "fmt": FMT},
    "/reports/{pk}/": {"pk": "report"},
    "/reports/{pk}/figures/{figures_pk}/": {"pk": "report", "figures_pk": "figures"},
    "/reports/{pk}/narrative/": {"pk": "report"},
    "/reports/{pk}/submit/": {"pk": "report"},
    "/reports/{pk}/validate/": {"pk": "report"},
    "/reports/{pk}/return/": {"pk": "report"},
    "/invitations/{token}/": {"token": "invitation_token"},
    "/poles/{pole_pk}/pipeline/": {"pole_pk": "pole"},
    "/poles/{pole_pk}/committees/": {"pole_pk": "pole"},
    "/poles/{pole_pk}/committees/new/": {"pole_pk": "pole"},
    "/poles/{pole_pk}/committees/{session_pk}/": {"pole_pk": "pole", "session_pk": "session"},
    "/poles/{pole_pk}/committees/{session_pk}/edit/": {"pole_pk": "pole", "session_pk": "session"},
    "/poles/{pole_pk}/committees/{session_pk}/agenda/": {"pole_pk": "pole", "session_pk": "session"},
    "/poles/{pole_pk}/committees/{session_pk}/agenda/{submission_pk}/remove/": {"pole_pk": "pole", "session_pk": "session", "submission_pk": "scheduled_submission"},
    "/poles/{pole_pk}/apply/": {"pole_pk": "pole"},
    "/poles/{pole_pk}/applications/": {"pole_pk": "pole"},
    "/poles/{pole_pk}/applications/{pk}/": {"pole_pk": "pole", "pk": "application"},
    "/poles/{pole_pk}/applications/{pk}/request-info/": {"pole_pk": "pole", "pk": "application"},
    "/poles/{pole_pk}/applications/{pk}/accept/": {"pole_pk": "pole", "pk": "application"},
    "/poles/{pole_pk}/applications/{pk}/reject/": {"pole_pk": "pole", "pk": "application"},
    "/poles/{pole_pk}/members/": {"pole_pk": "pole"},
    "/poles/{pole_pk}/members/{pk}/": {"pole_pk": "pole", "pk": "membership"},
    "/poles/{pole_pk}/members/{pk}/status/": {"pole_pk": "pole", "pk": "membership"},
    "/poles/{pole_pk}/fees/": {"pole_pk": "pole"},
    "/poles/{pole_pk}/fees/rows/": {"pole_pk": "pole"},
    "/poles/{pole_pk}/fees/rows/{row_pk}/edit/": {"pole_pk": "pole", "row_pk": "fee_row"},
    "/poles/{pole_pk}/fees/rows/{row_pk}/delete/": {"pole_pk": "pole", "row_pk": "fee_row"},
    "/poles/{pole_pk}/fees/copy/": {"pole_pk": "pole"},
    "/poles/{pole_pk}/fees/issue/": {"pole_pk": "pole"},
    "/poles/{pole_pk}/fee-calls/": {"pole_pk": "pole"},
    "/poles/{pole_pk}/fee-calls/export.{fmt}": {"pole_pk": "pole", "fmt": FMT},
    "/poles/{pole_pk}/payments/export.{fmt}": {"pole_pk": "pole", "fmt": FMT},
    "/poles/{pole_pk}/fee-calls/{pk}/": {"pole_pk": "pole", "pk": "fee_call"},
    "/poles/{pole_pk}/fee-calls/{pk}/payments/": {"pole_pk": "pole", "pk": "fee_call"},
    "/memberships/applications/{pk}/": {"pk": "application"},
    "/poles/{pole_pk}/import/": {"pole_pk": "pole"},
    "/poles/{pole_pk}/import/confirm/": {"pole_pk": "pole"},
    "/api/v1/poles/{pk}/": {"pk": "pole"},
    "/api/v1/organisations/{pk}/": {"pk": "organisation"},
    "/api/v1/posts/{pk}/": {"pk": "post"},
    "/api/v1/posts/{pk}/close/": {"pk": "post"},
    "/api/v1/posts/{pk}/reopen/": {"pk": "post"},
    "/api/v1/posts/{pk}/suggestions/": {"pk": "post"},
    "/api/v1/applications/{pk}/": {"pk": "application"},
    "/api/v1/applications/{pk}/accept/": {"pk": "application"},
    "/api/v1/applications/{pk}/reject/": {"pk": "application"},
    "/api/v1/applications/{pk}/request-info/": {"pk": "application"},
    "/api/v1/memberships/{pk}/": {"pk": "membership"},
    "/api/v1/memberships/{pk}/status/": {"pk": "membership"},
    "/api/v1/fee-schedules/{pk}/": {"pk": "fee_row"},
    "/api/v1/fee-calls/{pk}/": {"pk": "fee_call"},
    "/api/v1/payments/{pk}/": {"pk": "payment"},
    "/api/v1/projects/{pk}/": {"pk": P},
    "/api/v1/projects/{pk}/submit/": {"pk": P},
    "/api/v1/projects/{pk}/transition/": {"pk": P},
    "/api/v1/partners/{pk}/": {"pk": "partner"},
    "/api/v1/contacts/{pk}/": {"pk": "contact"},
    "/api/v1/invitations/{pk}/": {"pk": "invitation"},
    "/api/v1/invitations/{pk}/resend/": {"pk": "invitation"},
    "/api/v1/committee-sessions/{pk}/": {"pk": "session"},
    "/api/v1/committee-sessions/{pk}/agenda/": {"pk": "session"},
    "/api/v1/committee-sessions/{pk}/agenda/{submission_pk}/": {"pk": "session", "submission_pk": "scheduled_submission"},
    "/api/v1/submissions/{pk}/": {"pk": "submission"},
    "/api/v1/submissions/{pk}/decision/": {"pk": "submission"},
    "/api/v1/expert-assignments/{pk}/": {"pk": "assignment"},
    "/api/v1/expert-assignments/{pk}/opinion/": {"pk": "assignment"},
    "/api/v1/milestones/{pk}/": {"pk": "milestone"},
    "/api/v1/milestones/{pk}/complete/": {"pk": "milestone"},
    "/api/v1/documents/{pk}/": {"pk": "document"},
    "/api/v1/documents/{pk}/download/": {"pk": "document"},
    "/api/v1/funders/{pk}/": {"pk": "funder"},
    "/api/v1/programmes/{pk}/": {"pk": "programme"},
    "/api/v1/funding-lines/{pk}/": {"pk": "line"},
    "/api/v1/disbursements/{pk}/": {"pk": "disbursement"},
    "/api/v1/repayments/{pk}/": {"pk": "repayment"},
    "/api/v1/private-rounds/{pk}/": {"pk": "round"},
    "/api/v1/launches/{pk}/": {"pk": "launch"},
    "/api/v1/launch-revenues/{pk}/": {"pk": "revenue"},
    "/api/v1/campaigns/{pk}/": {"pk": "campaign"},
    "/api/v1/reports/{pk}/": {"pk": "report"},
    "/api/v1/reports/{pk}/return/": {"pk": "report"},
    "/api/v1/reports/{pk}/submit/": {"pk": "report"},
    "/api/v1/reports/{pk}/validate/": {"pk": "report"},
    "/api/v1/report-figures/{pk}/": {"pk": "figures"},
    "/api/v1/report-figures/{pk}/complete/": {"pk": "figures"},
    "/api/v1/projects/{pk}/history/": {"pk": P},
    "/api/v1/projects/{pk}/summary/": {"pk": P},
}
# fmt: on

VALUES = {FMT: "csv", YEAR: "2026"}

# The admin: every person of the world is refused it, so any object of the right model does.
ADMIN_PARAMS = {
    "object_id": "the pk of a foreign object of the admin's model, else 1",
    "pk": "the pk of a foreign object of the admin's model, else 1",
    "id": "a foreign person's pk (the password form)",
    "content_type_id": "the content type of projects.Project (view on site)",
    "app_label": "projects",
    "url": "a path no admin page has",
}


def object_kinds(template):
    """The parameters of ``template`` that name objects (not values)."""
    return {n: k for n, k in PARAMS.get(template, {}).items() if k not in VALUES}


# What nobody of the world may see


def _person(key):
    return Person.objects.create_user(f"{key}@walk.example", "demo", first_name=key.title())


def _organisation(name, admin, n, consent):
    return create_organisation(
        Organisation(
            legal_name=name,
            siren=valid_siren(7700 + n),
            category=Organisation.Category.SME,
            region="BRE",
            keywords="walk",
            directory_consent=consent,
        ),
        admin=admin,
    )


def _current_member(organisation, pole):
    membership, _ = Membership.objects.update_or_create(
        organisation=organisation,
        pole=pole,
        defaults={
            "status": Membership.Status.CURRENT,
            "start_date": datetime.date(2022, 1, 1),
            "end_date": datetime.date(2027, 12, 31),
        },
    )
    return membership


def build_foreign(world):
    """The objects of another consortium, pole and funder that the walk asks for, and the
    ``SCENARIOS``: {name: {kind: object or value}}. Run after ``BUILDERS``."""
    projects, poles = world["projects"], world["poles"]
    extra = world["extra"]
    other_pole = poles["foreign"]
    other_leader = Person.objects.get(email="other-leader@world.example")
    foreign_org = world["organisations"]["foreign"]
    other_funder = Funder.objects.get(name="ANR")

    # FLABEL: labelled by the other pole, funded by the other funder, with every kind of
    # object a project carries.
    flabel = projects["foreign_labelled"]
    fpartner = flabel.partners.get()
    fcontact = fpartner.contact_rows.get()
    invitation = Invitation.objects.create(
        partner=fpartner,
        email="foreign-invitee@walk.example",
        token=secrets.token_urlsafe(32),
        invited_by=other_leader,
    )
    applied = change_funding_line(extra["foreign_labelled:line"], status=FundingLine.Status.APPLIED)
    line = change_funding_line(
        applied,
        status=FundingLine.Status.GRANTED,
        amount_granted=Decimal("50000.00"),
        decision_date=datetime.date(2026, 2, 1),
    )
    disbursement = record_disbursement(
        line, kind="interim", amount=Decimal("1000.00"), scheduled_date=datetime.date(2026, 3, 1)
    )
    advance = record_funding_line(
        project=flabel,
        partner=fpartner,
        programme=programme_named(
            other_funder, "ANR — avance", Programme.Instrument.REPAYABLE_ADVANCE
        ),
        amount_requested=Decimal("20000.00"),
        amount_granted=Decimal("20000.00"),
        status=FundingLine.Status.GRANTED,
        decision_date=datetime.date(2026, 2, 1),
    )
    record_disbursement(
        advance,
        kind="pre_financing",
        amount=Decimal("5000.00"),
        scheduled_date=datetime.date(2026, 3, 1),
    )
    repayment = record_repayment(
        advance, amount=Decimal("1000.00"), due_date=datetime.date(2029, 6, 30)
    )
    private_round = record_private_round(
        fpartner, kind="equity", amount=Decimal("10000.00"), closed_on=datetime.date(2026, 4, 1)
    )
    launch = outcome_services.record_launch(
        project=flabel,
        partner=fpartner,
        name="Foreign Cell",
        kind="product",
        launch_date=datetime.date(2026, 6, 1),
        markets=["FR"],
        trl_reached=8,
        revenues={2026: Decimal("1000.00")},
        by=other_leader,
    )

    # FSUB: submitted to the other pole, on its committee's agenda, with an expert asked.
    fsub = services.create_project(
        by=other_leader,
        coordinator=foreign_org,
        acronym="FSUB",
        title="FSUB project",
        public_summary="Public summary of FSUB",
        description="Confidential plan of FSUB",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2028, 12, 31),
    )
    services.submit_project(fsub, [other_pole], by=other_leader)
    fsub_submission = fsub.submissions.get()
    session = services.create_session(
        other_pole, name="Foreign committee", date=datetime.date(2027, 2, 9)
    )
    services.schedule(fsub_submission, session)
    assignment = services.assign_expert(fsub, other_pole, _person("other-expert"))

    # The other pole's members, applications and fees.
    membership = _current_member(foreign_org, other_pole)
    applicant_admin = _person("foreign-applicant")
    applicant = _organisation("Foreign Applicant SARL", applicant_admin, 1, consent=False)
    application = portal_services.apply_for_membership(
        other_pole,
        applicant,
        by=applicant_admin,
        activities="Foreign activities.",
        needs="Foreign needs.",
    )
    fee_row = FeeSchedule.objects.create(
        pole=other_pole, year=2030, category="sme", amount=Decimal("700.00")
    )
    fee_call = FeeCall.objects.create(
        membership=membership,
        year=2026,
        amount=Decimal("700.00"),
        issued_on=datetime.date(2026, 1, 5),
        due_date=datetime.date(2026, 2, 5),
    )
    payment = Payment.objects.create(
        fee_call=fee_call, paid_on=datetime.date(2026, 1, 10), amount=Decimal("100.00")
    )
    hidden_post = create_post(
        by=other_leader,
        organisation=foreign_org,
        kind=Post.Kind.OFFER,
        title="Foreign offer",
        body="Not for the world.",
        keywords="walk",
    )

    # A member of the other pole that consented to the directory: public.
    public_admin = _person("foreign-public-admin")
    public_org = _organisation("Foreign Public SAS", public_admin, 2, consent=True)
    _current_member(public_org, other_pole)
    public_post = create_post(
        by=public_admin,
        organisation=public_org,
        kind=Post.Kind.NEED,
        title="Public foreign need",
        body="For every member.",
        keywords="walk",
    )

    notification = Notification.objects.create(recipient=other_leader, subject="Not yours")
    api_token, _key = create_token(other_leader, name="Not yours")
    person_uid = urlsafe_base64_encode(force_bytes(other_leader.pk))
    not_a_token = secrets.token_urlsafe(32)  # a link nobody was sent

    common = {
        "pole": other_pole,
        "notification": notification,
        "api_token": api_token,
        "person_uid": person_uid,
        "reset_token": "wrong-token",  # a reset link nobody was sent
        "invitation_token": not_a_token,
        FMT: VALUES[FMT],
        YEAR: VALUES[YEAR],
    }
    flabel_scenario = {
        **common,
        P: flabel,
        "partner": fpartner,
        "contact": fcontact,
        "invitation": invitation,
        "milestone": extra["foreign_labelled:milestone"],
        "document": extra["foreign_labelled:document"],
        "submission": flabel.submissions.get(),
        "line": line,
        "advance_line": advance,
        "disbursement": disbursement,
        "repayment": repayment,
        "round": private_round,
        "launch": launch,
        "revenue": launch.revenues.get(),
        "campaign": extra["foreign_labelled:campaign"],
        "report": extra["foreign_labelled:report"],
        "figures": extra["foreign_labelled:figures"],
        "session": session,
        "scheduled_submission": fsub_submission,
        "application": application,
        "membership": membership,
        "fee_row": fee_row,
        "fee_call": fee_call,
        "payment": payment,
        "organisation": foreign_org,
        "post": hidden_post,
        "funder": other_funder,
        "programme": line.programme,
    }
    fsub_scenario = {
        **common,
        P: fsub,
        "partner": fsub.partners.get(),
        "contact": fsub.partners.get().contact_rows.get(),
        "submission": fsub_submission,
        "assignment": assignment,
        "session": session,
        "scheduled_submission": fsub_submission,
    }
    fdraft = projects["foreign_draft"]
    fdraft_scenario = {
        **common,
        P: fdraft,
        "partner": fdraft.partners.get(),
        "contact": fdraft.partners.get().contact_rows.get(),
        "milestone": extra["foreign_draft:milestone"],
        "document": extra["foreign_draft:document"],
    }
    public_scenario = {"organisation": public_org, "post": public_post}
    # Another consortium's, pole's children asked for under a parent the role sees (its own
    # project, pole, report, committee session: ``own_parents`` fills the first parameter).
    mixed = {**flabel_scenario, "assignment": assignment}
    world["own_parents"] = own_parents(world)
    return {
        "flabel": flabel_scenario,
        "fsub": fsub_scenario,
        "fdraft": fdraft_scenario,
        "public": public_scenario,
        "mixed": mixed,
    }


def own_parents(world):
    """For the "mixed" scenario: a parent each role sees (its own project, pole, report,
    committee session), to ask another consortium's child under it."""
    projects, extra = world["projects"], world["extra"]
    visible_project = {
        "leader": projects["funded"],
        "member": projects["funded"],
        "staff": projects["funded"],
        "funder": projects["funded"],
        "expert": projects["submitted"],
        "outsider": projects["funded"],  # its public summary
    }
    return {
        role: {
            P: visible_project[role],
            "pole": world["poles"]["own"],
            "report": extra["funded:report"],
            "session": extra["submitted:session"],
        }
        for role in visible_project
    }


# Routes walked in the "mixed" scenario: a parent parameter and at least one child.
PARENT_KINDS = (P, "pole", "report", "session")


def mixed_routes(templates):
    found = []
    for template in templates:
        kinds = list(object_kinds(template).values())
        if len(kinds) >= 2 and kinds[0] in PARENT_KINDS:
            found.append(template)
    return found


def admin_value(template, name, foreign_objects):
    """Fill a parameter of an admin route (see ``ADMIN_PARAMS``)."""
    from django.contrib.contenttypes.models import ContentType

    if name in ("object_id", "pk"):
        model_path = template.split("/")[2:4]  # /admin/<app>/<model>/…
        for obj in foreign_objects:
            meta = getattr(obj, "_meta", None)
            if meta and [meta.app_label, meta.model_name] == model_path:
                return str(obj.pk)
        return "1"
    if name == "id":
        return str(Person.objects.get(email="other-leader@world.example").pk)
    if name == "content_type_id":
        return str(ContentType.objects.get(app_label="projects", model="project").pk)
    if name == "app_label":
        return "projects"
    if name == "url":
        return "no-such-page/"
    raise KeyError(name)


def foreign_objects(scenarios, world):
    """Every model instance of the scenarios, plus a group and a person that are not the
    world's people's (for the admin)."""
    found = [o for s in scenarios.values() for o in s.values() if hasattr(o, "_meta")]
    flabel = world["projects"]["foreign_labelled"]
    found.append(Group.objects.filter(name__startswith=f"project:{flabel.pk}:").first())
    found.append(Person.objects.get(email="other-leader@world.example"))
    return found


# The kinds each scenario fills (checked against what ``build_foreign`` makes). A route is
# walked in every scenario that fills all its object parameters.
_COMMON = {"pole", "notification", "api_token", "person_uid", "reset_token", "invitation_token"}
_FLABEL = _COMMON | {
    P, "partner", "contact", "invitation", "milestone", "document", "submission", "line",
    "advance_line", "disbursement", "repayment", "round", "launch", "revenue", "campaign",
    "report", "figures", "session", "scheduled_submission", "application", "membership",
    "fee_row", "fee_call", "payment", "organisation", "post", "funder", "programme",
}  # fmt: skip
SCENARIO_KINDS = {
    # FLABEL (another consortium's project, labelled by another pole, funded by another
    # funder: its public summary is everyone's, nothing else), the other pole's committees,
    # members, applications and fees, another person's notification, an organisation that
    # did not consent to the directory and its post.
    "flabel": _FLABEL,
    # FSUB: another consortium's project awaiting another pole's decision, with an expert.
    "fsub": _COMMON
    | {P, "partner", "contact", "submission", "assignment", "session"}
    | {"scheduled_submission"},
    # FDRAFT: another consortium's draft, seen by its consortium only.
    "fdraft": _COMMON | {P, "partner", "contact", "milestone", "document"},
    # A member of another pole that consented to the directory, and its post: public.
    "public": {"organisation", "post"},
    # FLABEL's and FSUB's children under a parent the role sees: ``own_parents`` fills the
    # route's first parameter, the scenario the others.
    "mixed": _FLABEL | {"assignment"},
}


# What FSUB and FDRAFT bring that FLABEL does not: a route is walked in them only if it
# names one of these (a route about the other pole alone is walked once, in "flabel").
_OWN_TO = {
    "fsub": {P, "partner", "contact", "submission", "assignment"},
    "fdraft": {P, "partner", "contact", "milestone", "document"},
}


def scenarios_of(template):
    """The scenarios ``template`` is walked in."""
    kinds = set(object_kinds(template).values())
    if not kinds:
        return []
    found = [
        s
        for s, filled in SCENARIO_KINDS.items()
        if s != "mixed" and kinds <= filled and kinds & _OWN_TO.get(s, kinds)
    ]
    if template in mixed_routes([template]):
        found.append("mixed")
    return found


# What may answer other than 404 (or 405, a method the route does not take: refused before
# any object is looked up). (template, scenario, roles, methods, statuses, reason).
EVERYONE = tuple(ROLES)
MEMBERS = ("leader", "member")  # people of organisations that are active members of a pole
BOARD = ("leader", "member", "staff")  # who reads the matchmaking board
LABELLED = "DESIGN.md: a labelled project's public summary is everyone's who is signed in"
PUBLIC_ORG = (
    "DESIGN.md: the member directory is open to anyone signed in; an organisation that "
    "consented to it is public"
)
PUBLIC_POST = (
    "DESIGN.md (directory, partner search): members and pole staff read the posts of the "
    "organisations they may see, and members write to them through the portal"
)
READ_ONLY = (
    "; the page answers a POST like a GET and writes nothing (the walk checks that no row changed)"
)
EXCEPTIONS = [
    ("/projects/{pk}/", "flabel", EVERYONE, ("get",), (200,), LABELLED),
    ("/projects/{pk}/", "flabel", EVERYONE, ("post",), (200,), LABELLED + READ_ONLY),
    ("/api/v1/projects/{pk}/", "flabel", EVERYONE, ("get",), (200,), LABELLED),
    (
        "/api/v1/projects/{pk}/",
        "flabel",
        EVERYONE,
        ("put",),
        (400,),
        LABELLED + "; the empty body is refused before the right to change it is asked, a "
        "valid one gets 404 (test_a_valid_put_to_a_public_project_is_refused)",
    ),
    ("/organisations/{pk}/", "public", EVERYONE, ("get", "post"), (200,), PUBLIC_ORG + READ_ONLY),
    ("/api/v1/organisations/{pk}/", "public", EVERYONE, ("get",), (200,), PUBLIC_ORG),
    ("/organisations/{pk}/contact/", "public", MEMBERS, ("get", "post"), (200,), PUBLIC_POST),
    ("/matchmaking/{pk}/", "public", BOARD, ("get", "post"), (200,), PUBLIC_POST + READ_ONLY),
    ("/matchmaking/{pk}/contact/", "public", MEMBERS, ("get", "post"), (200,), PUBLIC_POST),
    ("/api/v1/posts/{pk}/", "public", BOARD, ("get",), (200,), PUBLIC_POST),
    ("/api/v1/posts/{pk}/suggestions/", "public", BOARD, ("get",), (200,), PUBLIC_POST),
    (
        "/api/v1/poles/{pk}/",
        "flabel",
        EVERYONE,
        ("get",),
        (200,),
        "DESIGN.md: one installation hosts several poles; their names, themes and regions are "
        "public to everyone signed in (portal.permissions.visible_poles)",
    ),
    (
        "/poles/{pole_pk}/apply/",
        "flabel",
        EVERYONE,
        ("get", "post"),
        (200,),
        "DESIGN.md (membership): any organisation applies to any pole; an empty form is "
        "answered with its errors, nothing is written",
    ),
    (
        "/api/v1/funders/{pk}/",
        "flabel",
        EVERYONE,
        ("get",),
        (200,),
        "DESIGN.md: funders and their programmes are reference data (the list every "
        "consortium picks from when it records a funding line)",
    ),
    (
        "/api/v1/programmes/{pk}/",
        "flabel",
        EVERYONE,
        ("get",),
        (200,),
        "DESIGN.md: funders and their programmes are reference data (the list every "
        "consortium picks from when it records a funding line)",
    ),
    (
        "/accounts/reset/{uidb64}/{token}/",
        "flabel",
        EVERYONE,
        ("get", "post"),
        (200,),
        "Django's password reset: public, the token is the credential; a link nobody was sent "
        "shows the invalid-link page",
    ),
]

# Leaks found by the walk, each an xfail(strict=True) until fixed: {(template, scenario,
# role): reason}.
KNOWN_LEAKS = {}


def allowed(template, scenario, role, method):
    """(statuses, reason) for one request of the walk."""
    for e_template, e_scenario, roles, methods, statuses, reason in EXCEPTIONS:
        if (e_template, e_scenario) == (template, scenario) and role in roles:
            if method in methods:
                return set(statuses), reason
    return {404, 405}, "another consortium's, pole's or funder's: it does not exist for them"
