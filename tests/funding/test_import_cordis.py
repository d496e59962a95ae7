"""Importing EU projects from CORDIS (``manage.py import_cordis``): on the real files of
../shared/data/cordis/ when they are there, and on small files written here for what the real
ones do not show (decimal commas, texts over several lines, unknown columns, bad rows)."""

import csv
import datetime
import io
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from funding.cordis import import_cordis
from funding.models import FundingLine
from portal.models import Membership, Organisation
from projects.models import Partner, Project, State, StateChange
from projects.permissions import sync_project

from ..factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PoleFactory,
    pole_staff,
    valid_siren,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _cordis_folder():
    """The real files: ``CORDIS_DATA`` if set, else ../shared/data/cordis next to the checkout,
    else the work area's /work/shared/data/cordis (CI clones the repository elsewhere)."""
    candidates = [
        os.environ.get("CORDIS_DATA", ""),
        Path(__file__).resolve().parents[3] / "shared" / "data" / "cordis",
        "/work/shared/data/cordis",
    ]
    for folder in filter(None, candidates):
        if (Path(folder) / "project.csv").exists():
            return Path(folder)
    return Path(candidates[1])


CORDIS = _cordis_folder()
REAL_PROJECTS, REAL_ORGANISATIONS = CORDIS / "project.csv", CORDIS / "organization.csv"
real_files = pytest.mark.skipif(
    not (REAL_PROJECTS.exists() and REAL_ORGANISATIONS.exists()),
    reason=f"the real CORDIS files (project.csv, organization.csv) are not in {CORDIS}",
)
TODAY = datetime.date(2025, 6, 1)

PROJECT_HEADER = (
    "id;acronym;status;title;startDate;endDate;totalCost;ecMaxContribution;legalBasis;topics;"
    "ecSignatureDate;frameworkProgramme;masterCall;subCall;fundingScheme;nature;objective;"
    "contentUpdateDate;rcn;grantDoi"
).split(";")
ORGANISATION_HEADER = (
    "projectID;projectAcronym;organisationID;vatNumber;name;shortName;SME;activityType;street;"
    "postCode;city;country;nutsCode;geolocation;organizationURL;contactForm;contentUpdateDate;"
    "rcn;order;role;ecContribution;netEcContribution;totalCost;endOfParticipation;active"
).split(";")


def quoted(values):
    return ";".join('"' + str(v).replace('"', '""') + '"' for v in values)


def write_csv(path, header, rows, *, newline="\n", bom=False):
    """A CORDIS-like file: every field quoted, as the EU publishes them."""
    text = newline.join(quoted(r) for r in [header, *rows]) + newline
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def project_row(cordis_id, acronym, **values):
    row = {
        "id": cordis_id,
        "acronym": acronym,
        "status": "SIGNED",
        "title": f"The {acronym} project",
        "startDate": "2024-01-01",
        "endDate": "2027-12-31",
        "ecSignatureDate": "2023-11-15",
        "frameworkProgramme": "HORIZON",
        "fundingScheme": "HORIZON-RIA",
        "objective": f"What {acronym} is about.",
        **values,
    }
    return [row.get(column, "") for column in PROJECT_HEADER]


def organisation_row(project_id, pic, name, **values):
    row = {
        "projectID": project_id,
        "organisationID": pic,
        "name": name,
        "SME": "false",
        "activityType": "PRC",
        "city": "Lyon",
        "country": "FR",
        "nutsCode": "FRK26",
        "role": "participant",
        "ecContribution": "100000",
        "netEcContribution": "100000",
        "totalCost": "125000",
        **values,
    }
    return [row.get(column, "") for column in ORGANISATION_HEADER]


def real_organisation_rows():
    with open(REAL_ORGANISATIONS, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file, delimiter=";"))


def identities(rows):
    """The organisations of ``rows``: one per PIC, except that PICs sharing a VAT number are
    one organisation (an institute of the Max Planck Society has its own PIC)."""
    pics_of_vat = {}
    for row in rows:
        if row["vatNumber"]:
            pics_of_vat.setdefault(row["vatNumber"], set()).add(row["organisationID"])
    return {
        (min(pics_of_vat[row["vatNumber"]]) if row["vatNumber"] else row["organisationID"])
        for row in rows
    }


def amount(text):
    return Decimal(text.replace(",", ".")) if text else Decimal(0)


def write_projects_of_real_organisations(folder):
    """A project.csv for the 300 projects of the real organization.csv (whose own project rows
    the README says could not be recovered)."""
    seen = {}
    for row in real_organisation_rows():
        seen.setdefault(row["projectID"], row["projectAcronym"])
    rows = [project_row(cordis_id, acronym) for cordis_id, acronym in seen.items()]
    return write_csv(folder / "project.csv", PROJECT_HEADER, rows)


@pytest.fixture
def projects_of_real_organisations(tmp_path):
    return write_projects_of_real_organisations(tmp_path)


def run(projects, organisations, **options):
    with open(projects, "rb") as p, open(organisations, "rb") as o:
        return import_cordis(
            p,
            o,
            projects_name=projects.name,
            organisations_name=organisations.name,
            today=TODAY,
            **options,
        )


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_cordis", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def database_counts():
    return (
        Project.objects.count(),
        Partner.objects.count(),
        FundingLine.objects.count(),
        Organisation.objects.count(),
        StateChange.objects.count(),
    )


# --- the real files ----------------------------------------------------------------------------


@real_files
def test_the_real_project_file_is_read_despite_its_undoubled_quotes(tmp_path):
    report = run(REAL_PROJECTS, REAL_ORGANISATIONS, import_all=True)

    assert report.bad_rows == 0
    assert report.projects["created"] == 4
    assert report.orphan_projects == 300  # their organisations' projects are not in project.csv
    toy = Project.objects.get(cordis_id="101165535")
    assert toy.acronym == "TOY"
    assert toy.title == "Machine learning in science and society: A dangerous toy?"
    assert 'used to "play around" with different features' in toy.public_summary
    assert toy.public_summary.endswith("appropriate use and trustworthiness of DL in society.")
    assert toy.start_date == datetime.date(2025, 1, 1)
    assert toy.state == State.RUNNING  # signed, started before TODAY, not ended
    supa = Project.objects.get(cordis_id="101177315")
    assert '"rule-offsetting" schemes' in supa.public_summary
    assert supa.end_date == datetime.date(2028, 2, 29)
    democracy = Project.objects.get(cordis_id="101178843")
    assert democracy.title.startswith("#DemocracyinAction: GRASSROOTS CULTURE")
    wiseshift = Project.objects.get(cordis_id="101178477")
    assert '"inclusive and sustainable by design."' in wiseshift.public_summary
    assert wiseshift.public_summary.endswith("social economy strategy.")


@pytest.fixture
def pole_with_members():
    """A pole whose members are four organisations of the real organization.csv, each known to
    Grappe by another identifier."""
    pole = PoleFactory(name="Pôle Hydrogène")

    def member(**fields):
        organisation = OrganisationFactory(**fields)
        MembershipFactory(organisation=organisation, pole=pole)
        return organisation

    members = {
        # Known by its PIC only: another name, another SIREN.
        "pic": member(legal_name="HRS", siren=valid_siren(7001), pic="886340411"),
        "vat": member(
            legal_name="Forvia Exhaust", siren="420797433", siret="", vat_number="FR70420797433"
        ),
        "siren": member(legal_name="Engie SA", siren="542107651", siret=""),
        "name": member(
            legal_name="Ministère de l'Enseignement supérieur et de la Recherche",
            siren=valid_siren(7002),
            category="public",
        ),
    }
    return pole, members


@real_files
def test_members_are_found_by_pic_vat_siren_and_name_and_only_their_projects_come(
    projects_of_real_organisations, pole_with_members
):
    pole, members = pole_with_members
    pics = {"pic": "886340411", "vat": "971090475", "siren": "999964562", "name": "999822263"}
    rows = real_organisation_rows()
    theirs = {r["projectID"] for r in rows if r["organisationID"] in pics.values()}

    report = run(projects_of_real_organisations, REAL_ORGANISATIONS)

    assert report.projects["created"] == len(theirs) == Project.objects.count()
    assert report.projects["skipped"] == 300 - len(theirs)
    assert set(Project.objects.values_list("cordis_id", flat=True)) == theirs
    for how, organisation in members.items():
        organisation.refresh_from_db()
        assert organisation.pic == pics[how]  # found, and given the PIC it lacked
        assert report.matched[how] >= 1
        assert Partner.objects.filter(organisation=organisation).exists()
    assert members["siren"].vat_number == "FR13542107651"
    assert members["name"].legal_name == "Ministère de l'Enseignement supérieur et de la Recherche"
    assert Organisation.objects.filter(pic__in=pics.values()).count() == 4  # no duplicate


@pytest.fixture
def small_release(tmp_path):
    projects = write_csv(
        tmp_path / "project.csv",
        PROJECT_HEADER,
        [project_row("101000051", "ONE"), project_row("101000052", "TWO")],
    )
    organisations = write_csv(
        tmp_path / "organization.csv",
        ORGANISATION_HEADER,
        [
            organisation_row("101000051", "900000051", "Alpha SAS", role="coordinator"),
            organisation_row("101000051", "900000052", "Beta SAS"),
            organisation_row("101000052", "900000052", "Beta SAS", role="coordinator"),
        ],
    )
    return projects, organisations


def test_a_dry_run_writes_nothing_and_says_what_it_would_do(small_release):
    out, _err = command(*small_release, "--all", "--dry-run")

    assert database_counts() == (0, 0, 0, 0, 0)
    assert "dry run, nothing written" in out
    assert "Projects: 2 to create, 0 to update, 0 unchanged" in out
    assert "Partners: 3 to create" in out
    assert "EU funding lines: 3 to create" in out
    assert "2 created;" in out  # organisations


def test_the_command_reports_counts_speed_and_progress(small_release):
    out, err = command(*small_release, "--all")
    again, _err = command(*small_release, "--all")

    assert "Projects: 2 created, 0 updated, 0 unchanged" in out
    assert "rows/s" in out
    assert "5 rows" in err  # 2 project rows and 3 organisation rows, on stderr
    assert "Projects: 0 created, 0 updated, 2 unchanged" in again
    assert "Partners: 0 created, 0 updated, 3 unchanged, 0 removed." in again


# --- who sees what ---------------------------------------------------------------------------


@pytest.fixture
def imported(tmp_path):
    """Two projects: one with a member of the pole, one without; both imported (--all)."""
    pole = PoleFactory()
    member = OrganisationFactory(legal_name="Membre SAS", pic="900000001")
    MembershipFactory(organisation=member, pole=pole)
    projects = write_csv(
        tmp_path / "project.csv",
        PROJECT_HEADER,
        [project_row("101000001", "OURS"), project_row("101000002", "THEIRS")],
    )
    organisations = write_csv(
        tmp_path / "organization.csv",
        ORGANISATION_HEADER,
        [
            organisation_row(
                "101000001",
                "900000002",
                "Coordinator GmbH",
                role="coordinator",
                country="DE",
                vatNumber="DE123456789",
            ),
            organisation_row("101000001", "900000001", "MEMBRE"),
            organisation_row(
                "101000002",
                "900000002",
                "Coordinator GmbH",
                role="coordinator",
                country="DE",
                vatNumber="DE123456789",
            ),
        ],
    )
    run(projects, organisations, import_all=True)
    return pole, member, Project.objects.get(acronym="OURS"), Project.objects.get(acronym="THEIRS")


def test_the_poles_staff_see_their_members_projects_and_nobody_else_does(client, imported):
    pole, member, ours, theirs = imported
    staff = pole_staff(pole)
    other_staff = pole_staff()
    outsider = PersonFactory()

    client.force_login(staff)
    page = client.get(f"/projects/{ours.pk}/")
    assert page.status_code == 200
    assert "What OURS is about." in page.content.decode()
    assert client.get(f"/projects/{theirs.pk}/").status_code == 404
    for person in (other_staff, outsider):
        client.force_login(person)
        assert client.get(f"/projects/{ours.pk}/").status_code == 404


def test_the_staff_lose_sight_of_the_project_once_the_member_leaves(client, imported):
    pole, member, ours, _theirs = imported
    staff = pole_staff(pole)
    Membership.objects.filter(organisation=member).update(status=Membership.Status.EXPIRED)
    sync_project(ours)  # as the next import, or rebuild_permissions, does

    client.force_login(staff)
    assert client.get(f"/projects/{ours.pk}/").status_code == 404


def test_imported_projects_have_no_consortium_contacts_and_are_not_public(imported):
    _pole, _member, ours, _theirs = imported

    assert ours.labelled_on is None
    assert not Partner.objects.filter(project=ours, contact_rows__isnull=False).exists()


# --- what the real files do not show ------------------------------------------------------------


def test_decimal_commas_texts_over_several_lines_and_unknown_columns(tmp_path):
    header = ["unknownFirst", *PROJECT_HEADER, "anotherNewColumn"]
    objective = 'Line one; with a separator.\nLine two with "quotes" not doubled.\n\nLine four.'
    projects = tmp_path / "project.csv"
    projects.write_bytes(
        (
            "\ufeff"
            + quoted(header)
            + "\r\n"
            + ";".join(
                [
                    '"x"',
                    *(
                        f'"{v}"' if c != "objective" else f'"{objective}"'
                        for c, v in zip(
                            PROJECT_HEADER, project_row("101000003", "MULTI"), strict=True
                        )
                    ),
                    '"y"',
                ]
            )
            + "\r\n"
        ).encode("utf-8")
    )
    organisations = write_csv(
        tmp_path / "organization.csv",
        [*ORGANISATION_HEADER, "somethingNew"],
        [
            [
                *organisation_row(
                    "101000003",
                    "900000011",
                    "Comma SAS",
                    role="coordinator",
                    ecContribution="491873,75",
                    totalCost="1087963,75",
                ),
                "z",
            ],
            [
                *organisation_row(
                    "101000003", "900000012", "Point SAS", ecContribution="228437.5", totalCost=""
                ),
                "z",
            ],
        ],
        newline="\r\n",
        bom=True,
    )

    report = run(projects, organisations, import_all=True)

    assert report.bad_rows == 0
    project = Project.objects.get(cordis_id="101000003")
    assert project.public_summary == objective
    comma = project.partners.get(organisation__pic="900000011")
    assert comma.other_costs == Decimal("1087963.75")
    assert comma.funding_lines.get().amount_granted == Decimal("491873.75")
    point = project.partners.get(organisation__pic="900000012")
    assert point.other_costs == Decimal("0.00")  # empty: 0
    assert point.funding_lines.get().amount_granted == Decimal("228437.50")


def test_a_file_without_the_expected_columns_is_refused_naming_them(tmp_path):
    projects = write_csv(tmp_path / "project.csv", PROJECT_HEADER, [project_row("1", "A")])
    header = [c for c in ORGANISATION_HEADER if c not in ("ecContribution", "role")]
    organisations = write_csv(tmp_path / "organization.csv", header, [["1"] * len(header)])

    with pytest.raises(CommandError) as refused:
        command(projects, organisations, "--all")

    assert refused.value.returncode == 2
    message = str(refused.value)
    assert "organization.csv lacks the column(s) role, ecContribution" in message
    assert "project.csv" not in message.split("lacks")[0].replace("organization.csv", "")
    assert database_counts() == (0, 0, 0, 0, 0)


def test_the_files_swapped_are_refused(tmp_path):
    projects = write_csv(tmp_path / "project.csv", PROJECT_HEADER, [project_row("1", "A")])
    organisations = write_csv(
        tmp_path / "organization.csv", ORGANISATION_HEADER, [organisation_row("1", "1", "X")]
    )

    with pytest.raises(CommandError, match="lacks the column"):
        command(organisations, projects)


@pytest.fixture
def files_with_bad_rows(tmp_path):
    projects = write_csv(
        tmp_path / "project.csv",
        PROJECT_HEADER,
        [
            project_row("101000021", "GOOD"),
            project_row("101000022", "BADDATE", startDate="someday"),
            project_row("101000023", "ALSOGOOD"),
        ],
    )
    organisations = write_csv(
        tmp_path / "organization.csv",
        ORGANISATION_HEADER,
        [
            organisation_row("101000021", "900000021", "Good SAS", role="coordinator"),
            organisation_row("101000021", "900000022", "Bad Amount SAS", ecContribution="12k"),
            organisation_row("101000023", "900000021", "Good SAS", role="coordinator"),
        ],
    )
    return projects, organisations


def test_bad_rows_are_reported_with_their_line_and_skipped(files_with_bad_rows):
    out, _err = command(*files_with_bad_rows, "--all")

    assert "organization.csv, line 3: ecContribution:" in out
    assert "project.csv, line 3: startDate: “someday” is not a date" in out
    assert "2 bad row(s) skipped" in out
    assert set(Project.objects.values_list("acronym", flat=True)) == {"GOOD", "ALSOGOOD"}
    good = Project.objects.get(acronym="GOOD")
    assert list(good.partners.values_list("organisation__legal_name", flat=True)) == ["Good SAS"]


def test_a_quote_never_closed_loses_its_row_only(tmp_path):
    projects = tmp_path / "project.csv"
    good, broken, after = (
        quoted(project_row("101000061", "BEFORE")),
        quoted(project_row("101000062", "BROKEN")).replace('"What BROKEN', '"What "BROKEN'),
        quoted(project_row("101000063", "AFTER")),
    )
    broken = broken.replace('is about."', "is about.")  # the objective's closing quote is lost
    projects.write_text("\n".join([quoted(PROJECT_HEADER), good, broken, after]) + "\n")
    organisations = write_csv(tmp_path / "organization.csv", ORGANISATION_HEADER, [])
    logged = []

    report = run(projects, organisations, import_all=True, log=logged.append)

    assert report.bad_rows == 1
    assert logged == ["project.csv, line 3: a quoted field is never closed"]
    assert set(Project.objects.values_list("acronym", flat=True)) == {"BEFORE", "AFTER"}


def test_a_project_breaking_a_rule_is_refused_alone(tmp_path):
    projects = write_csv(
        tmp_path / "project.csv",
        PROJECT_HEADER,
        [
            project_row("101000071", "BACKWARDS", startDate="2025-01-01", endDate="2024-01-01"),
            project_row("101000072", "FINE"),
        ],
    )
    organisations = write_csv(
        tmp_path / "organization.csv",
        ORGANISATION_HEADER,
        [
            organisation_row("101000071", "900000071", "Lost SAS", role="coordinator"),
            organisation_row("101000072", "900000072", "Kept SAS", role="coordinator"),
        ],
    )
    logged = []

    report = run(projects, organisations, import_all=True, log=logged.append)

    assert report.projects == {"failed": 1, "created": 1}
    assert logged == [
        "project.csv, line 2: project BACKWARDS (101000071) not imported: "
        "The project ends before it starts."
    ]
    assert list(Project.objects.values_list("acronym", flat=True)) == ["FINE"]
    # Nothing of the refused project is written, not even its organisation.
    assert list(Organisation.objects.values_list("legal_name", flat=True)) == ["Kept SAS"]


def test_strict_stops_at_the_first_bad_row_and_writes_nothing(files_with_bad_rows):
    with pytest.raises(CommandError) as stopped:
        command(*files_with_bad_rows, "--all", "--strict")

    assert stopped.value.returncode == 1
    assert "organization.csv, line 3" in str(stopped.value)
    assert database_counts() == (0, 0, 0, 0, 0)


def test_a_new_release_updates_the_same_rows(tmp_path):
    projects = tmp_path / "project.csv"
    organisations = tmp_path / "organization.csv"
    write_csv(projects, PROJECT_HEADER, [project_row("101000031", "MOVING")])
    write_csv(
        organisations,
        ORGANISATION_HEADER,
        [
            organisation_row("101000031", "900000031", "First SAS", role="coordinator"),
            organisation_row("101000031", "900000032", "Second SAS"),
            organisation_row("101000031", "900000033", "Leaving SAS"),
        ],
    )
    run(projects, organisations, import_all=True)
    write_csv(
        projects,
        PROJECT_HEADER,
        [project_row("101000031", "MOVING", status="CLOSED", fundingScheme="HORIZON-IA")],
    )
    write_csv(
        organisations,
        ORGANISATION_HEADER,
        [
            organisation_row("101000031", "900000031", "First SAS", ecContribution="0"),
            organisation_row(
                "101000031",
                "900000032",
                "Second SAS",
                role="coordinator",
                ecContribution="150000,5",
            ),
        ],
    )

    report = run(projects, organisations, import_all=True)

    assert dict(report.projects) == {"updated": 1}
    assert dict(report.partners) == {"updated": 2, "removed": 1}
    assert dict(report.lines) == {"removed": 1, "updated": 1}
    project = Project.objects.get()
    assert project.state == State.CLOSED
    assert project.state_changes.last().comment == "CORDIS"
    roles = dict(project.partners.values_list("organisation__legal_name", "role"))
    assert roles == {"First SAS": "partner", "Second SAS": "coordinator"}
    line = FundingLine.objects.get()
    assert (line.partner.organisation.legal_name, line.amount_granted) == (
        "Second SAS",
        Decimal("150000.50"),
    )
    assert line.programme.name == "HORIZON — HORIZON-IA"
    assert Organisation.objects.filter(legal_name="Leaving SAS").exists()  # only its partner row


def test_several_organisations_of_the_same_name_are_not_guessed(tmp_path):
    OrganisationFactory(legal_name="Twin SAS", siren=valid_siren(7101))
    OrganisationFactory(legal_name="TWIN", siren=valid_siren(7102))
    projects = write_csv(tmp_path / "project.csv", PROJECT_HEADER, [project_row("101000041", "T")])
    organisations = write_csv(
        tmp_path / "organization.csv",
        ORGANISATION_HEADER,
        [
            organisation_row("101000041", "900000041", "Solo SAS", role="coordinator"),
            organisation_row("101000041", "900000042", "Twin"),
        ],
    )
    logged = []

    report = run(projects, organisations, import_all=True, log=logged.append)

    assert report.warnings == 1
    assert "several organisations of Grappe are called “Twin” (FR)" in logged[0]
    assert "organization.csv, line 3" in logged[0]
    assert Project.objects.get().partners.count() == 1
    assert Organisation.objects.filter(name_key="twin").count() == 2
