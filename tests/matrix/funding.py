"""The rows of the permission matrix for the funding record of a project: its section and
the API. The leaders apply and record private rounds; a funder's reviewers decide, disburse
and take repayments on their funder's lines only; the consortium and the poles' staff see
every line; experts and everyone else nothing."""

import datetime
from decimal import Decimal

from funding.models import Funder, FundingLine, Programme
from funding.services import (
    change_funding_line,
    programme_named,
    record_disbursement,
    record_funding_line,
    record_private_round,
    record_repayment,
)

from . import NF, OK

# fmt: off
#   (name, method, path template, object)                                                           leader member staff funder expert outsider
ROWS = [
    ("funding section", "get", "/projects/{funded}/funding/", "funded",                                 OK, OK, OK, OK, NF, NF),
    ("funding section", "get", "/projects/{submitted}/funding/", "submitted (no line)",                  OK, OK, OK, NF, NF, NF),
    ("funding section", "get", "/projects/{foreign_labelled}/funding/", "foreign_labelled",              NF, NF, NF, NF, NF, NF),
    ("funding section", "get", "/projects/{foreign_draft}/funding/", "foreign_draft",                    NF, NF, NF, NF, NF, NF),
    ("add line", "post", "/projects/{funded}/funding/lines/", "funded",                                  OK, NF, NF, NF, NF, NF),
    ("add line", "post", "/projects/{foreign_labelled}/funding/lines/", "foreign_labelled",              NF, NF, NF, NF, NF, NF),
    ("edit application", "post", "/projects/{funded}/funding/lines/{funded:planned_line}/", "planned line", OK, NF, NF, NF, NF, NF),
    ("edit application", "post", "/projects/{funded}/funding/lines/{funded:bpi_line}/", "granted line", NF, NF, NF, NF, NF, NF),
    ("decide", "post", "/projects/{funded}/funding/lines/{funded:applied_line}/decision/", "own funder's line", NF, NF, NF, OK, NF, NF),
    ("decide", "post", "/projects/{funded}/funding/lines/{funded:anr_line}/decision/", "other funder's line", NF, NF, NF, NF, NF, NF),
    ("disburse", "post", "/projects/{funded}/funding/lines/{funded:bpi_line}/disbursements/", "own funder's line", NF, NF, NF, OK, NF, NF),
    ("disburse", "post", "/projects/{funded}/funding/lines/{funded:anr_line}/disbursements/", "other funder's line", NF, NF, NF, NF, NF, NF),
    ("mark paid", "post", "/projects/{funded}/funding/disbursements/{funded:disbursement}/paid/", "own funder's tranche", NF, NF, NF, OK, NF, NF),
    ("mark paid", "post", "/projects/{funded}/funding/disbursements/{funded:anr_disbursement}/paid/", "other funder's tranche", NF, NF, NF, NF, NF, NF),
    ("remove tranche", "post", "/projects/{funded}/funding/disbursements/{funded:disbursement}/delete/", "own funder's tranche", NF, NF, NF, OK, NF, NF),
    ("repay", "post", "/projects/{funded}/funding/lines/{funded:advance_line}/repayments/", "own funder's advance", NF, NF, NF, OK, NF, NF),
    ("repay", "post", "/projects/{funded}/funding/lines/{funded:bpi_line}/repayments/", "a grant", NF, NF, NF, NF, NF, NF),
    ("repayment paid", "post", "/projects/{funded}/funding/repayments/{funded:repayment}/paid/", "own funder's repayment", NF, NF, NF, OK, NF, NF),
    ("add round", "post", "/projects/{funded}/funding/rounds/", "funded",                                OK, NF, NF, NF, NF, NF),
    ("remove round", "post", "/projects/{funded}/funding/rounds/{funded:round}/delete/", "funded",       OK, NF, NF, NF, NF, NF),
    # The folded forms of the section, opened (GET): behind the same permission as their POST.
    ("add line form", "get", "/projects/{funded}/funding/lines/", "funded",                              OK, NF, NF, NF, NF, NF),
    ("add line form", "get", "/projects/{foreign_labelled}/funding/lines/", "foreign_labelled",          NF, NF, NF, NF, NF, NF),
    ("edit application form", "get", "/projects/{funded}/funding/lines/{funded:planned_line}/", "planned line", OK, NF, NF, NF, NF, NF),
    ("edit application form", "get", "/projects/{funded}/funding/lines/{funded:bpi_line}/", "granted line", NF, NF, NF, NF, NF, NF),
    ("decision form", "get", "/projects/{funded}/funding/lines/{funded:applied_line}/decision/", "own funder's line", NF, NF, NF, OK, NF, NF),
    ("decision form", "get", "/projects/{funded}/funding/lines/{funded:anr_line}/decision/", "other funder's line", NF, NF, NF, NF, NF, NF),
    ("disbursement form", "get", "/projects/{funded}/funding/lines/{funded:bpi_line}/disbursements/", "own funder's line", NF, NF, NF, OK, NF, NF),
    ("disbursement form", "get", "/projects/{funded}/funding/lines/{funded:anr_line}/disbursements/", "other funder's line", NF, NF, NF, NF, NF, NF),
    ("repayment form", "get", "/projects/{funded}/funding/lines/{funded:advance_line}/repayments/", "own funder's advance", NF, NF, NF, OK, NF, NF),
    ("repayment form", "get", "/projects/{funded}/funding/lines/{funded:bpi_line}/repayments/", "a grant", NF, NF, NF, NF, NF, NF),
    ("round form", "get", "/projects/{funded}/funding/rounds/", "funded",                                OK, NF, NF, NF, NF, NF),
    ("api funders", "get", "/api/v1/funders/", "all",                                                    OK, OK, OK, OK, OK, OK),
    ("api programmes", "get", "/api/v1/programmes/", "all",                                              OK, OK, OK, OK, OK, OK),
    ("api line", "get", "/api/v1/funding-lines/{funded:bpi_line}/", "own funder's line",                 OK, OK, OK, OK, NF, NF),
    ("api line", "get", "/api/v1/funding-lines/{funded:anr_line}/", "other funder's line",               OK, OK, OK, NF, NF, NF),
    ("api line", "get", "/api/v1/funding-lines/{foreign_labelled:line}/", "foreign_labelled",            NF, NF, NF, NF, NF, NF),
    ("api add line", "post", "/api/v1/funding-lines/", "funded",                                         OK, NF, NF, NF, NF, NF),
    ("api edit application", "patch", "/api/v1/funding-lines/{funded:planned_line}/", "planned line",    OK, NF, NF, NF, NF, NF),
    ("api decide", "patch", "/api/v1/funding-lines/{funded:bpi_line}/", "own funder's line",             NF, NF, NF, OK, NF, NF),
    ("api decide", "patch", "/api/v1/funding-lines/{funded:anr_line}/", "other funder's line",           NF, NF, NF, NF, NF, NF),
    ("api disbursement", "get", "/api/v1/disbursements/{funded:disbursement}/", "own funder's tranche",  OK, OK, OK, OK, NF, NF),
    ("api disbursement", "get", "/api/v1/disbursements/{funded:anr_disbursement}/", "other funder's tranche", OK, OK, OK, NF, NF, NF),
    ("api disburse", "post", "/api/v1/disbursements/", "own funder's line",                              NF, NF, NF, OK, NF, NF),
    ("api disburse foreign", "post", "/api/v1/disbursements/", "other funder's line",                    NF, NF, NF, NF, NF, NF),
    ("api disbursement edit", "patch", "/api/v1/disbursements/{funded:disbursement}/", "own funder's tranche", NF, NF, NF, OK, NF, NF),
    ("api disbursement delete", "delete", "/api/v1/disbursements/{funded:disbursement}/", "own funder's tranche", NF, NF, NF, OK, NF, NF),
    ("api repayment", "get", "/api/v1/repayments/{funded:repayment}/", "own funder's repayment",         OK, OK, OK, OK, NF, NF),
    ("api repay", "post", "/api/v1/repayments/", "own funder's advance",                                 NF, NF, NF, OK, NF, NF),
    ("api repayment edit", "patch", "/api/v1/repayments/{funded:repayment}/", "own funder's repayment",  NF, NF, NF, OK, NF, NF),
    ("api round", "get", "/api/v1/private-rounds/{funded:round}/", "funded",                             OK, OK, OK, NF, NF, NF),
    ("api add round", "post", "/api/v1/private-rounds/", "funded",                                       OK, NF, NF, NF, NF, NF),
    ("api round edit", "patch", "/api/v1/private-rounds/{funded:round}/", "funded",                      OK, NF, NF, NF, NF, NF),
    ("api round delete", "delete", "/api/v1/private-rounds/{funded:round}/", "funded",                   OK, NF, NF, NF, NF, NF),
]
# fmt: on

BODIES = {
    "add line": {
        "partner": "{funded:member_partner}",
        "programme": "{funded:pspc}",
        "amount_requested": "5000",
        "status": "planned",
    },
    "edit application": {
        "version": "1",
        "partner": "{funded:coordinator}",
        "programme": "{funded:pspc}",
        "amount_requested": "6000",
        "status": "applied",
    },
    "decide": {
        "version": "1",
        "status": "granted",
        "amount_granted": "20000",
        "decision_date": "2026-03-01",
    },
    "disburse": {"kind": "interim", "amount": "1000", "scheduled_date": "2026-03-01"},
    "mark paid": {"paid_date": "2026-03-05", "version": "1"},
    "repay": {"amount": "1000", "due_date": "2029-06-30"},
    "repayment paid": {"paid_date": "2029-07-01", "version": "1"},
    "add round": {
        "partner": "{funded:member_partner}",
        "kind": "equity",
        "amount": "250000",
        "investors": "Seed club",
        "closed_on": "2026-05-01",
    },
    "api add line": {
        "project": "{funded}",
        "partner": "{funded:member_partner}",
        "programme": "{funded:pspc}",
        "amount_requested": "5000.00",
        "status": "planned",
    },
    "api edit application": {"amount_requested": "6000.00"},
    "api decide": {"conditions": "Report in June"},
    "api disburse": {
        "line": "{funded:bpi_line}",
        "kind": "interim",
        "amount": "1000.00",
        "scheduled_date": "2026-03-01",
    },
    "api disburse foreign": {
        "line": "{funded:anr_line}",
        "kind": "interim",
        "amount": "1000.00",
        "scheduled_date": "2026-03-01",
    },
    "api disbursement edit": {"paid_date": "2026-03-05"},
    "api repay": {"line": "{funded:advance_line}", "amount": "1000.00", "due_date": "2029-06-30"},
    "api repayment edit": {"paid_date": "2029-07-01"},
    "api add round": {
        "partner": "{funded:member_partner}",
        "kind": "equity",
        "amount": "250000.00",
        "closed_on": "2026-05-01",
    },
    "api round edit": {"investors": "Seed club and friends"},
}

DECIDED = datetime.date(2026, 2, 1)


def build(world):
    """On FUNDED, besides the world's granted Bpifrance line of the member: an ANR line of the
    coordinator (another funder's), a planned and an applied Bpifrance line of the
    coordinator, a Bpifrance repayable advance of the member, a tranche on each funder's
    granted line, a repayment, a private round."""
    extra = world["extra"]
    funded = world["projects"]["funded"]
    coordinator = funded.partners.get(role="coordinator")
    member = funded.partners.get(organisation=world["organisations"]["member"])
    bpi_line = funded.funding_lines.get(partner=member)
    bpifrance, anr = bpi_line.funder, Funder.objects.get(name="ANR")
    extra["funded:bpi_line"] = bpi_line
    anr_line = _granted(
        record_funding_line(
            project=funded,
            partner=coordinator,
            funder=anr,
            programme="ANR PRCE",
            amount_requested=Decimal("90000.00"),
            status=FundingLine.Status.APPLIED,
        ),
        conditions="ANR's own conditions",
    )
    extra["funded:anr_line"] = anr_line
    extra["funded:pspc"] = programme_named(bpifrance, "PSPC-Régions")
    extra["funded:planned_line"] = record_funding_line(
        project=funded,
        partner=coordinator,
        programme=extra["funded:pspc"],
        amount_requested=Decimal("5000.00"),
    )
    extra["funded:applied_line"] = record_funding_line(
        project=funded,
        partner=coordinator,
        funder=bpifrance,
        programme="FUI",
        amount_requested=Decimal("40000.00"),
        status=FundingLine.Status.APPLIED,
    )
    advance = _granted(
        record_funding_line(
            project=funded,
            partner=member,
            programme=programme_named(
                bpifrance, "i-Nov — avance", Programme.Instrument.REPAYABLE_ADVANCE
            ),
            amount_requested=Decimal("100000.00"),
            status=FundingLine.Status.APPLIED,
        )
    )
    extra["funded:advance_line"] = advance
    record_disbursement(
        advance, kind="pre_financing", amount=Decimal("60000.00"), scheduled_date=DECIDED
    )
    extra["funded:repayment"] = record_repayment(
        advance, amount=Decimal("10000.00"), due_date=datetime.date(2029, 6, 30)
    )
    extra["funded:disbursement"] = record_disbursement(
        bpi_line, kind="interim", amount=Decimal("1000.00"), scheduled_date=DECIDED
    )
    extra["funded:anr_disbursement"] = record_disbursement(
        anr_line, kind="interim", amount=Decimal("1000.00"), scheduled_date=DECIDED
    )
    extra["funded:round"] = record_private_round(
        member, kind="equity", amount=Decimal("100000.00"), closed_on=datetime.date(2026, 4, 1)
    )
    extra["foreign_labelled:line"] = world["projects"]["foreign_labelled"].funding_lines.get()


def _granted(line, **fields):
    return change_funding_line(
        line,
        status=FundingLine.Status.GRANTED,
        amount_granted=line.amount_requested,
        decision_date=DECIDED,
        **fields,
    )
