"""Backups: an export and re-import of the seeded demo loses nothing (rows of every table, the
money of every project to the cent), and the inventory notices what a restore would lose."""

import io
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from funding.models import Disbursement, FundingLine
from portal import backup
from portal.models import Pole
from projects.models import Milestone, Project

from ..outcomes.impact_data import build_impact_data

pytestmark = pytest.mark.usefixtures("english")


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_an_export_and_import_of_the_demo_loses_nothing(tmp_path):
    run("seed_demo", "--force")
    before = backup.inventory()
    assert before["rows"]["projects.Project"] > 10
    assert len(before["project_money"]) == Project.objects.count()
    assert before["rows"]["funding.Disbursement"] > 0 and "portal.Payment" in before["other_money"]
    path = tmp_path / "grappe.json.gz"
    assert "rows of" in run("export_data", str(path))

    call_command("flush", interactive=False, verbosity=0)  # a new, migrated, empty database
    ContentType.objects.clear_cache()
    assert backup.filled_models() == []
    assert "match the export" in run("import_data", str(path))

    assert backup.differences(before, backup.inventory()) == []
    assert backup.inventory() == before
    # The restored portal works: the demo accounts sign in with their password.
    from django.contrib.auth import authenticate

    assert authenticate(email="staff@demo.example", password="demo") is not None


@pytest.mark.django_db
def test_the_inventory_notices_a_lost_row_and_a_changed_cent(tmp_path):
    build_impact_data()
    Milestone.objects.create(
        project=Project.objects.first(), title="Prototype", due_date="2026-01-01"
    )
    saved = tmp_path / "inventory.json"
    saved.write_text(run("data_inventory"))
    assert "Same data" in run("data_inventory", "--compare", str(saved))

    line = FundingLine.objects.filter(status="granted").first()
    Disbursement.objects.create(line=line, amount=Decimal("1000"), scheduled_date="2025-01-01")
    saved.write_text(run("data_inventory"))
    disbursement = Disbursement.objects.select_related("line").get()
    disbursement.amount += Decimal("0.01")
    disbursement.save()
    milestones = Milestone.objects.count()
    Milestone.objects.first().delete()
    with pytest.raises(CommandError) as error:
        run("data_inventory", "--compare", str(saved))
    message = str(error.value)
    assert f"project {disbursement.line.project_id}: its money differs" in message
    assert f"projects.Milestone: {milestones} rows saved, {milestones - 1} rows now" in message
    assert message.count("its money differs") == 1  # the other projects' money is the same


@pytest.mark.django_db
def test_import_refuses_a_database_holding_data(tmp_path):
    Pole.objects.create(name="Pôle", kind=Pole.Kind.CLUSTER)
    path = tmp_path / "grappe.json"
    run("export_data", str(path))
    with pytest.raises(CommandError, match="already holds data"):
        run("import_data", str(path))


@pytest.mark.django_db
def test_bad_files_are_refused_with_a_message(tmp_path):
    path = tmp_path / "grappe.json"
    run("export_data", str(path))
    with pytest.raises(CommandError, match="exists"):
        run("export_data", str(path))
    with pytest.raises(CommandError, match="No file"):
        run("import_data", str(tmp_path / "missing.json"))
    broken = tmp_path / "broken.json.gz"
    broken.write_text("not gzip")
    with pytest.raises(CommandError, match="not a file written by export_data"):
        run("import_data", str(broken))
    with pytest.raises(CommandError, match="not an inventory"):
        run("data_inventory", "--compare", str(broken))
