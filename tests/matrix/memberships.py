"""The rows of the permission matrix for memberships: applications and their decisions,
members, fee schedules, fee calls and payments. An organisation's admins apply and see their
own; the staff of the pole review, decide and manage the fees; nobody else."""

import datetime
from decimal import Decimal

from django.utils import timezone

from portal import services
from portal.models import FeeCall, FeeSchedule, Membership, Organisation, Payment

from . import NF, OK

DOSSIER = {"activities": "Tooling for composites.", "needs": "Partners for a demonstrator."}

# fmt: off
#   (name, method, path template, object)                                                  leader member staff funder expert outsider
OWN = "/poles/{pole:own}/"
APPLICATION = OWN + "applications/{submitted:application}/"
CALL = OWN + "fee-calls/{funded:fee_call}/"
ROWS = [
    ("apply", "get", OWN + "apply/", "own pole",                                               OK, OK, OK, OK, OK, OK),
    ("apply for an organisation", "get", OWN + "apply/?organisation={org:leader}", "leader org", OK, NF, NF, NF, NF, NF),
    ("memberships", "get", "/memberships/", "own memberships",                                  OK, OK, OK, OK, OK, OK),
    ("own application", "get", "/memberships/applications/{submitted:application}/", "outsider's application", NF, NF, NF, NF, NF, OK),
    ("complete application", "post", "/memberships/applications/{submitted:application}/", "outsider's application", NF, NF, NF, NF, NF, OK),
    ("applications", "get", OWN + "applications/", "own pole",                                NF, NF, OK, NF, NF, NF),
    ("applications", "get", "/poles/{pole:foreign}/applications/", "foreign pole",             NF, NF, NF, NF, NF, NF),
    ("application review", "get", APPLICATION, "outsider's application",                       NF, NF, OK, NF, NF, NF),
    ("application review", "get", "/poles/{pole:foreign}/applications/{foreign_labelled:application}/", "leader's to foreign pole", NF, NF, NF, NF, NF, NF),
    ("request info", "post", APPLICATION + "request-info/", "outsider's application",          NF, NF, OK, NF, NF, NF),
    ("accept", "post", APPLICATION + "accept/", "outsider's application",                      NF, NF, OK, NF, NF, NF),
    ("reject", "post", APPLICATION + "reject/", "outsider's application",                      NF, NF, OK, NF, NF, NF),
    ("members", "get", OWN + "members/", "own pole",                                           NF, NF, OK, NF, NF, NF),
    ("membership", "get", OWN + "members/{funded:membership}/", "leader org",                  NF, NF, OK, NF, NF, NF),
    ("membership status", "post", OWN + "members/{funded:membership}/status/", "leader org",   NF, NF, OK, NF, NF, NF),
    ("fees", "get", OWN + "fees/", "own pole",                                                 NF, NF, OK, NF, NF, NF),
    ("fees", "get", "/poles/{pole:foreign}/fees/", "foreign pole",                             NF, NF, NF, NF, NF, NF),
    ("add fee", "post", OWN + "fees/rows/", "own pole",                                        NF, NF, OK, NF, NF, NF),
    ("edit fee", "get", OWN + "fees/rows/{funded:fee_row}/edit/", "fee row",                   NF, NF, OK, NF, NF, NF),
    ("remove fee", "post", OWN + "fees/rows/{funded:fee_row}/delete/", "fee row",              NF, NF, OK, NF, NF, NF),
    ("issue calls", "post", OWN + "fees/issue/", "own pole",                                   NF, NF, OK, NF, NF, NF),
    ("fee calls", "get", OWN + "fee-calls/", "own pole",                                       NF, NF, OK, NF, NF, NF),
    ("fee call", "get", CALL, "leader org's call",                                             NF, NF, OK, NF, NF, NF),
    ("record payment", "post", CALL + "payments/", "leader org's call",                        NF, NF, OK, NF, NF, NF),
    ("export fee calls", "get", OWN + "fee-calls/export.xlsx", "own pole",                     NF, NF, OK, NF, NF, NF),
    ("export payments", "get", OWN + "payments/export.csv", "own pole",                        NF, NF, OK, NF, NF, NF),
    ("api application", "get", "/api/v1/applications/{submitted:application}/", "outsider's application", NF, NF, OK, NF, NF, OK),
    ("api application", "get", "/api/v1/applications/{foreign_labelled:application}/", "leader's to foreign pole", OK, NF, NF, NF, NF, NF),
    ("api complete application", "patch", "/api/v1/applications/{submitted:application}/", "outsider's application", NF, NF, NF, NF, NF, OK),
    ("api accept", "post", "/api/v1/applications/{submitted:application}/accept/", "outsider's application", NF, NF, OK, NF, NF, NF),
    ("api reject", "post", "/api/v1/applications/{submitted:application}/reject/", "outsider's application", NF, NF, OK, NF, NF, NF),
    ("api membership", "get", "/api/v1/memberships/{funded:membership}/", "leader org",        OK, NF, OK, NF, NF, NF),
    ("api membership status", "post", "/api/v1/memberships/{funded:membership}/status/", "leader org", NF, NF, OK, NF, NF, NF),
    ("api fee schedule", "get", "/api/v1/fee-schedules/{funded:fee_row}/", "fee row",          NF, NF, OK, NF, NF, NF),
    ("api edit fee schedule", "patch", "/api/v1/fee-schedules/{funded:fee_row}/", "fee row",   NF, NF, OK, NF, NF, NF),
    ("api fee call", "get", "/api/v1/fee-calls/{funded:fee_call}/", "leader org's call",       OK, NF, OK, NF, NF, NF),
    ("api payment", "get", "/api/v1/payments/{funded:payment}/", "leader org's payment",       OK, NF, OK, NF, NF, NF),
]
# fmt: on

BODIES = {
    "complete application": {**DOSSIER, "project_idea": "A demonstrator", "version": "1"},
    "api complete application": {"project_idea": "A demonstrator"},
    "request info": {"info-comment": "How many engineers?"},
    "reject": {"reject-reason": "Outside our themes."},
    "api reject": {"reason": "Outside our themes."},
    "membership status": {"status": "current"},
    "api membership status": {"status": "grace"},
    "add fee": {"category": "school", "min_headcount": "0", "amount": "500"},
    "api edit fee schedule": {"amount": "950.00"},
    "issue calls": {"year": "2030"},
    "record payment": {"paid_on": "2026-01-15", "amount": "100.00", "reference": "VIR-9"},
}


def build(world):
    """Outsider SARL applies to the own pole; Leader SAS is a member of it, with a fee call
    partly paid, and applies to the foreign pole; the own pole has a fee schedule row."""
    people, poles, organisations = world["people"], world["poles"], world["organisations"]
    outsider_org = Organisation.objects.get(legal_name="Outsider SARL")
    world["extra"]["submitted:application"] = services.apply_for_membership(
        poles["own"], outsider_org, by=people["outsider"], people=[people["outsider"]], **DOSSIER
    )
    world["extra"]["foreign_labelled:application"] = services.apply_for_membership(
        poles["foreign"], organisations["leader"], by=people["leader"], **DOSSIER
    )
    membership, _ = Membership.objects.update_or_create(
        organisation=organisations["leader"],
        pole=poles["own"],
        defaults={
            "status": Membership.Status.CURRENT,
            "start_date": datetime.date(2022, 1, 1),
            "end_date": datetime.date(2026, 12, 31),
        },
    )
    world["extra"]["funded:membership"] = membership
    world["extra"]["funded:fee_row"] = FeeSchedule.objects.create(
        pole=poles["own"], year=2030, category="sme", amount=Decimal("900.00")
    )
    call = FeeCall.objects.create(
        membership=membership,
        year=2026,
        amount=Decimal("900.00"),
        issued_on=datetime.date(2026, 1, 5),
        due_date=datetime.date(2026, 2, 5),
    )
    world["extra"]["funded:fee_call"] = call
    world["extra"]["funded:payment"] = Payment.objects.create(
        fee_call=call,
        paid_on=min(datetime.date(2026, 1, 10), timezone.localdate()),
        amount=Decimal("300.00"),
    )
