"""The rows of the permission matrix for managing a consortium: partners' roles and removal
(the leader), contacts and invitations (the leader for every partner, a member for their own
row), the directory search of the "Add a partner" form (the leader)."""

import secrets

from portal.models import Person
from projects.models import Invitation

from . import NF, OK

# fmt: off
#   (name, method, path template, object)                                                   leader member staff funder expert outsider
ROWS = [
    ("organisation search", "get", "/projects/{draft}/partners/organisations/?organisation_q=open", "draft", OK, NF, NF, NF, NF, NF),
    ("organisation search", "get", "/projects/{submitted}/partners/organisations/?organisation_q=open", "submitted", OK, NF, NF, NF, NF, NF),
    ("partner role", "post", "/projects/{draft}/partners/{draft:member_partner}/role/", "draft",  OK, NF, NF, NF, NF, NF),
    ("partner role", "post", "/projects/{submitted}/partners/{submitted:member_partner}/role/", "submitted", OK, NF, NF, NF, NF, NF),
    ("remove partner", "post", "/projects/{draft}/partners/{draft:member_partner}/remove/", "draft", OK, NF, NF, NF, NF, NF),
    ("remove partner", "post", "/projects/{funded}/partners/{funded:member_partner}/remove/", "funded", OK, NF, NF, NF, NF, NF),
    ("add contact", "post", "/projects/{draft}/partners/{draft:member_partner}/contacts/", "draft (own row)", OK, OK, NF, NF, NF, NF),
    ("add contact", "post", "/projects/{draft}/partners/{draft:coordinator}/contacts/", "draft (coordinator)", OK, NF, NF, NF, NF, NF),
    ("add contact", "post", "/projects/{submitted}/partners/{submitted:member_partner}/contacts/", "submitted", OK, OK, NF, NF, NF, NF),
    ("add contact", "post", "/projects/{funded}/partners/{funded:member_partner}/contacts/", "funded", OK, OK, NF, NF, NF, NF),
    # A partner's folded management block, opened (GET): behind the permission of its "add contact".
    ("contacts block", "get", "/projects/{draft}/partners/{draft:member_partner}/contacts/", "draft (own row)", OK, OK, NF, NF, NF, NF),
    ("contacts block", "get", "/projects/{draft}/partners/{draft:coordinator}/contacts/", "draft (coordinator)", OK, NF, NF, NF, NF, NF),
    ("contacts block", "get", "/projects/{submitted}/partners/{submitted:member_partner}/contacts/", "submitted", OK, OK, NF, NF, NF, NF),
    ("contacts block", "get", "/projects/{funded}/partners/{funded:member_partner}/contacts/", "funded", OK, OK, NF, NF, NF, NF),
    ("invite", "post", "/projects/{draft}/partners/{draft:member_partner}/invitations/", "draft (own row)", OK, OK, NF, NF, NF, NF),
    ("invite", "post", "/projects/{funded}/partners/{funded:coordinator}/invitations/", "funded (coordinator)", OK, NF, NF, NF, NF, NF),
    ("contact role", "post", "/projects/{draft}/contacts/{draft:member_contact}/role/", "draft (own row)", OK, OK, NF, NF, NF, NF),
    ("contact role", "post", "/projects/{draft}/contacts/{draft:leader_contact}/role/", "draft (coordinator contact)", OK, NF, NF, NF, NF, NF),
    ("contact role", "post", "/projects/{submitted}/contacts/{submitted:member_contact}/role/", "submitted", OK, OK, NF, NF, NF, NF),
    ("remove contact", "post", "/projects/{draft}/contacts/{draft:member_contact}/remove/", "draft (own row)", OK, OK, NF, NF, NF, NF),
    ("remove contact", "post", "/projects/{draft}/contacts/{draft:leader_contact}/remove/", "draft (coordinator contact)", OK, NF, NF, NF, NF, NF),
    ("resend invitation", "post", "/projects/{draft}/invitations/{draft:invitation}/resend/", "draft (own row)", OK, OK, NF, NF, NF, NF),
    ("cancel invitation", "post", "/projects/{draft}/invitations/{draft:invitation}/cancel/", "draft (own row)", OK, OK, NF, NF, NF, NF),
    ("api invite", "post", "/api/v1/invitations/", "draft (own row)",                            OK, OK, NF, NF, NF, NF),
    ("api invite coordinator", "post", "/api/v1/invitations/", "submitted (coordinator)",       OK, NF, NF, NF, NF, NF),
    ("api invitation", "get", "/api/v1/invitations/{draft:invitation}/", "draft (own row)",      OK, OK, NF, NF, NF, NF),
    ("api cancel invitation", "delete", "/api/v1/invitations/{draft:invitation}/", "draft (own row)", OK, OK, NF, NF, NF, NF),
    ("api contact", "get", "/api/v1/contacts/{draft:member_contact}/", "draft",                  OK, OK, NF, NF, NF, NF),
    ("api contact", "get", "/api/v1/contacts/{submitted:member_contact}/", "submitted",          OK, OK, OK, NF, OK, NF),
    ("api contact", "get", "/api/v1/contacts/{funded:member_contact}/", "funded",                OK, OK, OK, OK, NF, NF),
    ("api add contact", "post", "/api/v1/contacts/", "draft (own row)",                          OK, OK, NF, NF, NF, NF),
    ("api add contact coordinator", "post", "/api/v1/contacts/", "submitted (coordinator)",     OK, NF, NF, NF, NF, NF),
    ("api contact role", "patch", "/api/v1/contacts/{draft:member_contact}/", "draft (own row)", OK, OK, NF, NF, NF, NF),
    ("api contact role", "patch", "/api/v1/contacts/{submitted:member_contact}/", "submitted",   OK, OK, NF, NF, NF, NF),
    ("api remove contact", "delete", "/api/v1/contacts/{draft:member_contact}/", "draft (own row)", OK, OK, NF, NF, NF, NF),
    ("api remove partner", "delete", "/api/v1/partners/{draft:member_partner}/", "draft",        OK, NF, NF, NF, NF, NF),
]
# fmt: on

NEWCOMER = "newcomer@world.example"

BODIES = {
    "partner role": {"role": "associated"},
    "add contact": {"email": NEWCOMER, "role": "partner_contact"},
    "invite": {"email": "invitee@example.test", "role": "partner_contact"},
    "contact role": {"role": "financial_signatory"},
    "api invite": {
        "partner": "{draft:member_partner}",
        "email": "invitee@example.test",
        "role": "partner_contact",
    },
    "api invite coordinator": {
        "partner": "{submitted:coordinator}",
        "email": "invitee@example.test",
        "role": "partner_contact",
    },
    "api add contact": {"partner": "{draft:member_partner}", "email": NEWCOMER},
    "api add contact coordinator": {"partner": "{submitted:coordinator}", "email": NEWCOMER},
    "api contact role": {"role": "financial_signatory"},
}


def build(world):
    """Each project's contacts, a pending invitation to the member's row of the draft, and
    someone with an account who is in no consortium yet."""
    member_org = world["organisations"]["member"]
    for key in ("draft", "submitted", "funded"):
        project = world["projects"][key]
        member_partner = project.partners.get(organisation=member_org)
        world["extra"][f"{key}:member_contact"] = member_partner.contact_rows.get()
        world["extra"][f"{key}:member_row"] = member_partner
    draft = world["projects"]["draft"]
    world["extra"]["draft:leader_contact"] = draft.partners.get(
        role="coordinator"
    ).contact_rows.get()
    world["extra"]["draft:invitation"] = Invitation.objects.create(
        partner=world["extra"]["draft:member_row"],
        email="pending@example.test",
        token=secrets.token_urlsafe(32),
        invited_by=world["people"]["leader"],
    )
    Person.objects.create_user(NEWCOMER, "demo", first_name="Newcomer")
