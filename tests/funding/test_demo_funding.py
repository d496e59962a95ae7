"""The demo's funding record (``manage.py seed_demo``): the real programmes a pole meets with
their instruments, tranches paid, scheduled and one late, a repayment schedule, private
rounds — all of it valid by the rules the pages and the API apply."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from funding.models import Disbursement, FundingLine, PrivateRound, Programme, Repayment
from projects.history import project_history

Instrument = Programme.Instrument


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(DEBUG=True, PASSWORD_HASHERS=hashers):
        with transaction.atomic():
            call_command("seed_demo", stdout=StringIO())
            yield
            transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_the_programmes_a_pole_meets_with_their_instruments():
    instruments = dict(Programme.objects.values_list("name", "instrument"))
    assert instruments["FUI"] == Instrument.GRANT
    assert instruments["PSPC-Régions — avance remboursable"] == Instrument.REPAYABLE_ADVANCE
    assert instruments["i-Nov — subvention"] == Instrument.GRANT
    assert instruments["i-Nov — avance remboursable"] == Instrument.REPAYABLE_ADVANCE
    assert instruments["ANR PRCE"] == Instrument.GRANT
    assert instruments["Horizon Europe RIA"] == instruments["Horizon Europe IA"] == "grant"
    assert instruments["EIC Accelerator — fonds propres"] == Instrument.EQUITY
    assert instruments["FEDER — Recherche et innovation"] == Instrument.GRANT
    assert instruments["Prêt d'amorçage"] == Instrument.LOAN
    assert instruments["Crédit d'impôt recherche"] == Instrument.TAX_CREDIT


def test_tranches_are_paid_scheduled_and_one_is_late():
    today = timezone.localdate()
    tranches = Disbursement.objects.select_related("line")
    assert tranches.filter(paid_date__isnull=False).exists()
    assert tranches.filter(paid_date__isnull=True, scheduled_date__gte=today).exists()
    (late,) = tranches.filter(paid_date__isnull=True, scheduled_date__lt=today)
    assert late.line.funder.name == "Bpifrance"
    for tranche in tranches:
        tranche.full_clean()
        assert tranche.line.status in FundingLine.DECIDED


def test_no_line_is_disbursed_or_repaid_beyond_its_rules():
    for line in FundingLine.objects.select_related("programme"):
        line.full_clean()
        disbursed = sum(d.amount for d in line.disbursements.all())
        assert disbursed <= (line.amount_granted or 0) - line.amount_cancelled
        repaid = sum(r.amount for r in line.repayments.all())
        assert repaid <= disbursed
        if line.repayments.exists():
            assert line.programme.instrument in Programme.REPAID


def test_a_repayable_advance_has_its_schedule():
    advance = Repayment.objects.filter(
        line__programme__instrument=Instrument.REPAYABLE_ADVANCE
    ).values_list("line", flat=True)
    assert advance.count() >= 4
    loan = Repayment.objects.filter(line__programme__instrument=Instrument.LOAN)
    assert loan.filter(paid_date__isnull=False).exists()


def test_private_rounds_by_companies_from_the_vc_fund_and_business_angels():
    rounds = PrivateRound.objects.select_related("partner__organisation")
    assert any("Demeter" in r.investors for r in rounds)
    assert any("angels" in r.investors.lower() for r in rounds)
    for private_round in rounds:
        private_round.full_clean()


def test_the_history_tells_who_applied_and_who_decided():
    line = FundingLine.objects.filter(funder__name="Bpifrance", status="granted").first()
    entries = project_history(line.project.created_by, line.project, page_size=500).entries
    stories = [e for e in entries if e.kind == "funding_line" and line.programme.name in e.object]
    assert {e.action for e in stories} >= {"created", "changed"}
    decided = next(e for e in stories if any(c.name == "amount_granted" for c in e.changes))
    assert decided.who.email == "funder@demo.example"
    assert decided.at.date() <= timezone.localdate()


def test_the_funder_has_an_application_to_decide():
    waiting = FundingLine.objects.filter(funder__name="Bpifrance", status="applied")
    assert waiting.exists()
    assert all(line.project.state == "running" for line in waiting)
