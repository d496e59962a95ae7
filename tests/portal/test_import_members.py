"""Importing a pole's members from the spreadsheet it kept until now: messy CSV and XLSX files
built here, the dry run's report row by row, the all-or-nothing real run, the command and the
staff page's two steps."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from portal import services
from portal.imports import (
    CREATE,
    REJECT,
    UNCHANGED,
    UPDATE,
    FileRefused,
    import_members,
)
from portal.management.commands.import_members import Progress
from portal.models import Affiliation, Membership, Organisation, Person

from ..factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PoleFactory,
    pole_staff,
    valid_siren,
    valid_siret,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SIREN_A, SIREN_B, SIREN_C, SIREN_D = (valid_siren(n) for n in (101, 102, 103, 104))
BAD_SIREN = SIREN_A[:8] + str((int(SIREN_A[8]) + 1) % 10)  # the check digit is wrong

HEADERS = [
    "Raison sociale",
    "SIREN",
    "Catégorie",
    "Effectif",
    "Chiffre d'affaires",
    "Région",
    "Ville",
    "Annuaire",
    "Statut d'adhésion",
    "Adhérent depuis",
    "Contact e-mail",
    "Contact nom",
]


def csv_bytes(rows, separator=";", encoding="cp1252", headers=HEADERS):
    lines = [separator.join(headers), *(separator.join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, headers=HEADERS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def counts():
    return (
        Organisation.objects.count(),
        Membership.objects.count(),
        Affiliation.objects.count(),
        Person.objects.count(),
    )


def run(data, pole, **options):
    return import_members(io.BytesIO(data), pole, name="adherents.csv", **options)


@pytest.fixture
def pole():
    return PoleFactory(name="Pôle Composites")


MESSY_LATIN1 = [
    # An engineering school, a turnover with spaces as thousands separators and a decimal comma.
    [
        "École des Mines d'Alès",
        SIREN_A,
        "École",
        "1 250",
        "12 345 678,90 €",
        "Occitanie",
        "Alès",
        "oui",
        "Adhérent",
        "15/03/2019",
        "direction@mines-ales.fr",
        "Hélène Ménard",
    ],
    # A lab whose region is a code and whose consent is a cross; non-breaking spaces.
    [
        "Laboratoire Matériaux Avancés",
        SIREN_B,
        "Laboratoire",
        "",
        "987\u00a0654,5",
        "ARA",
        "Grenoble",
        "X",
        "En retard",
        "01/09/2021",
        "",
        "",
    ],
    ["Composites Sud SARL", SIREN_C, "PME", "42", "", "PACA", "Toulon", "non", "", "", "", ""],
]


def test_a_latin1_csv_with_semicolons_and_decimal_commas_is_read(pole):
    report = run(csv_bytes(MESSY_LATIN1), pole)

    assert report.kind == "CSV"
    assert report.encoding == "cp1252"
    assert report.encoding_label == "Windows-1252 (Latin-1)"
    assert report.delimiter == ";"
    assert [(r.number, r.action) for r in report.rows] == [(2, CREATE), (3, CREATE), (4, CREATE)]
    assert report.rows[0].name == "École des Mines d'Alès"
    assert report.rows[0].errors == []


def test_the_real_run_writes_what_the_dry_run_announced(pole):
    report = run(csv_bytes(MESSY_LATIN1), pole, dry_run=False)

    assert report.committed
    school = Organisation.objects.get(siren=SIREN_A)
    assert school.legal_name == "École des Mines d'Alès"
    assert school.category == Organisation.Category.SCHOOL
    assert school.headcount == 1250
    assert school.turnover == Decimal("12345678.90")
    assert school.region == "OCC"
    assert school.directory_consent is True
    # Saved one by one through save(): the duplicate key and the accent-free search text are set.
    assert school.name_key == "ecole des mines d ales"
    assert "ecole des mines" in school.search_text and "ales" in school.search_text
    lab = Organisation.objects.get(siren=SIREN_B)
    assert lab.turnover == Decimal("987654.50")
    assert lab.category == Organisation.Category.RESEARCH
    assert lab.region == "ARA" and lab.directory_consent is True
    sme = Organisation.objects.get(siren=SIREN_C)
    assert sme.directory_consent is False and sme.region == "PAC"

    memberships = {m.organisation.siren: m for m in Membership.objects.filter(pole=pole)}
    assert memberships[SIREN_A].status == Membership.Status.CURRENT
    assert memberships[SIREN_A].start_date == datetime.date(2019, 3, 15)
    assert memberships[SIREN_B].status == Membership.Status.GRACE
    assert memberships[SIREN_C].status == Membership.Status.CURRENT  # the default
    assert memberships[SIREN_C].start_date is None


def test_a_utf8_file_with_a_bom_and_commas_keeps_quoted_decimal_commas(pole):
    data = "\ufeff" + "\n".join(
        [
            "Raison sociale,SIREN,Catégorie,Chiffre d'affaires,Mots-clés",
            f'Société Générale d\'Ingénierie,{SIREN_A},ETI,"1 500 000,50","résine, fibre"',
        ]
    )
    report = run(data.encode("utf-8"), pole, dry_run=False)

    assert report.encoding_label == "UTF-8 (BOM)"
    assert report.delimiter == ","
    assert report.rows[0].action == CREATE, report.rows[0].errors
    organisation = Organisation.objects.get()
    assert organisation.legal_name == "Société Générale d'Ingénierie"  # the BOM is not in a header
    assert organisation.turnover == Decimal("1500000.50")
    assert organisation.keywords == "résine, fibre"


def test_a_tab_separated_utf8_file(pole):
    data = f"Nom\tSIREN\tType\tVille\nÉcole Centrale\t{SIREN_A}\tUniversité\tLyon\n"
    report = run(data.encode("utf-8"), pole)
    assert report.encoding_label == "UTF-8"
    assert report.delimiter == "\t"
    assert report.rows[0].action == CREATE
    assert [h for h, _ in report.columns] == ["Nom", "SIREN", "Type", "Ville"]


def test_an_unquoted_decimal_comma_in_a_comma_separated_file_is_caught(pole):
    data = f"Raison sociale,SIREN,Catégorie,Chiffre d'affaires\nAcme,{SIREN_A},PME,1234,56\n"
    report = run(data.encode("utf-8"), pole)
    assert report.rows[0].action == REJECT
    assert "more cells than the header" in report.rows[0].errors[0]


def test_headers_ignore_case_accents_and_spaces_and_unknown_columns_are_listed(pole):
    headers = [
        "  RAISON SOCIALE ",
        "siren",
        "CATEGORIE",
        "Commentaire interne",
        "Chiffre d'Affaires (€)",
    ]
    report = run(csv_bytes([["Acme", SIREN_A, "pme", "secret", "10"]], headers=headers), pole)
    assert report.ignored_columns == ["Commentaire interne"]
    assert report.rows[0].action == CREATE


def test_wrong_headers_refuse_the_whole_file(pole):
    headers = ["Entreprise", "Numéro", "Secteur"]
    with pytest.raises(FileRefused) as refused:
        run(csv_bytes([["Acme", SIREN_A, "PME"]], headers=headers), pole, dry_run=False)
    message = " ".join(refused.value.messages)
    assert "Required columns are missing: « Catégorie », « SIREN »" in message
    assert "« Numéro »" in message  # what the file has instead
    assert Organisation.objects.count() == 0


def test_a_file_that_is_no_spreadsheet_is_refused(pole):
    with pytest.raises(FileRefused, match="neither a CSV"):
        run(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", pole)
    with pytest.raises(FileRefused, match="not an Excel workbook"):
        buffer = io.BytesIO()
        import zipfile

        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "hi")
        run(buffer.getvalue(), pole)


def test_an_invalid_siren_rejects_its_row_naming_the_column(pole):
    rows = [
        ["Acme", BAD_SIREN, "PME", "", "", "", "", "", "", "", "", ""],
        ["Béta", "12345", "PME", "", "", "", "", "", "", "", "", ""],
        ["Gamma", "", "PME", "", "", "", "", "", "", "", "", ""],
    ]
    report = run(csv_bytes(rows), pole)
    assert [r.action for r in report.rows] == [REJECT, REJECT, REJECT]
    assert report.rows[0].errors == [
        f"Column “SIREN”: {BAD_SIREN} is not a valid SIREN: its check digit is wrong."
    ]
    assert report.rows[1].errors == ["Column “SIREN”: A SIREN has exactly 9 digits."]
    assert report.rows[2].errors == ["Column “SIREN”: A French organisation needs its SIREN."]


def test_every_bad_cell_of_a_row_is_told_in_the_order_of_the_columns(pole):
    row = [
        "Acme",
        BAD_SIREN,
        "Start-up",
        "beaucoup",
        "12 k€",
        "Atlantide",
        "",
        "peut-être",
        "Fantôme",
        "31/02/2020",
        "pas-une-adresse",
        "",
    ]
    (result,) = run(csv_bytes([row]), pole).rows
    assert result.action == REJECT
    columns = [e.split("”")[0].removeprefix("Column “") for e in result.errors]
    assert columns == [
        "SIREN",
        "Catégorie",
        "Effectif",
        "Chiffre d'affaires",
        "Région",
        "Annuaire",
        "Statut d'adhésion",
        "Adhérent depuis",
        "Contact e-mail",
    ]
    assert "“Start-up” is not one of the values Grappe knows" in result.errors[1]
    assert "Write “oui” or “non”, not “peut-être”." in result.errors[5]
    assert "“31/02/2020” is not a date written dd/mm/yyyy." in result.errors[7]


def test_the_second_of_two_rows_for_the_same_organisation_is_rejected(pole):
    rows = [
        ["Acme Composites SAS", SIREN_A, "PME", "", "", "", "", "", "", "", "", ""],
        ["Acme Bis", SIREN_A, "PME", "", "", "", "", "", "", "", "", ""],
        ["ACME COMPOSITES S.A.S.", SIREN_B, "PME", "", "", "", "", "", "", "", "", ""],
    ]
    report = run(csv_bytes(rows), pole)
    assert [r.action for r in report.rows] == [CREATE, REJECT, REJECT]
    assert report.rows[1].errors == ["Column “SIREN”: row 2 already has this SIREN."]
    assert (
        report.rows[2]
        .errors[0]
        .startswith(
            "Column “Raison sociale”: row 2 already has this name (both read “acme composites”"
        )
    )


def test_two_rows_finding_the_same_organisation_the_second_is_rejected(pole):
    OrganisationFactory(legal_name="Hydrogène Vallée", siren=SIREN_A)
    rows = [
        ["Acme", SIREN_A, "PME"] + [""] * 9,
        ["HYDROGENE VALLEE", "", "PME"] + [""] * 9,  # found by its name: the same organisation
    ]
    report = run(csv_bytes(rows), pole)
    assert [r.action for r in report.rows] == [UPDATE, REJECT]
    assert report.rows[1].errors == [
        "Column “Raison sociale”: row 2 is already about this organisation (Hydrogène Vallée)."
    ]


def test_a_formula_in_a_csv_cell_rejects_the_row_unevaluated(pole):
    rows = [
        ["Acme", SIREN_A, "PME", "", "", "", "", "", "", "", "", ""],
        # Quoted as spreadsheets quote a cell holding the separator.
        ['"=HYPERLINK(""http://evil.example"";""clic"")"', SIREN_B, "PME"] + [""] * 9,
    ]
    report = run(csv_bytes(rows), pole, dry_run=False)
    assert report.rows[1].action == REJECT
    assert report.rows[1].errors == [
        'Column “Raison sociale”: the cell holds a formula (=HYPERLINK("http://evil.example";"clic")): '
        "formulas are not evaluated, type the value itself."
    ]
    assert report.refused and not report.committed
    assert Organisation.objects.count() == 0


def test_an_xlsx_file_with_numbers_dates_and_a_formula(pole):
    rows = [
        # SIREN typed as a number, a float turnover, a real date cell, a boolean-ish consent.
        [
            "Aérostructures Normandes",
            int(SIREN_A),
            "ETI",
            320,
            45_000_000.5,
            "Normandie",
            "Caen",
            "Oui",
            "nouveau",
            datetime.datetime(2022, 1, 10),
            "ceo@aero.example",
            "Jean Dupont",
        ],
        ["Calculs SA", SIREN_B, "PME", "=10*5", "=SUM(A1:A2)", "", "", "", "", "", "", ""],
        [
            "Plasturgie Bretonne",
            SIREN_C,
            "PME",
            12.0,
            None,
            "BRE",
            "Brest",
            "non",
            None,
            "05/06/2018",
            None,
            None,
        ],
    ]
    data = xlsx_bytes(rows)
    report = import_members(
        io.BytesIO(data), pole, name="adherents.xlsx", dry_run=False, skip_invalid=True
    )

    assert report.kind == "XLSX"
    assert report.encoding == "" and report.delimiter == ""
    assert [(r.number, r.action) for r in report.rows] == [(2, CREATE), (3, REJECT), (4, CREATE)]
    assert report.rows[1].errors == [
        "Column “Effectif”: the cell holds a formula (=10*5): formulas are not evaluated, type "
        "the value itself.",
        "Column “Chiffre d'affaires”: the cell holds a formula (=SUM(A1:A2)): formulas are not "
        "evaluated, type the value itself.",
    ]
    assert report.committed
    aero = Organisation.objects.get(siren=SIREN_A)
    assert aero.turnover == Decimal("45000000.50") and aero.headcount == 320
    assert aero.region == "NOR" and aero.directory_consent is True
    membership = aero.memberships.get(pole=pole)
    assert membership.status == Membership.Status.NEW
    assert membership.start_date == datetime.date(2022, 1, 10)
    assert Organisation.objects.get(siren=SIREN_C).memberships.get().start_date == datetime.date(
        2018, 6, 5
    )
    assert not Organisation.objects.filter(siren=SIREN_B).exists()


def test_an_xlsx_siren_that_lost_its_leading_zero_gets_it_back(pole):
    siren = next(s for s in (valid_siren(n) for n in range(200, 400)) if s.startswith("1"))
    zero = "0" + siren[1:]  # may not be valid; the check digit is checked after padding
    report = run(xlsx_bytes([["Zéro", int(zero), "PME"]], headers=HEADERS[:3]), pole)
    assert report.rows[0].siren == zero


def test_dates_and_consent_values(pole):
    headers = ["Raison sociale", "SIREN", "Catégorie", "Annuaire", "Adhérent depuis"]
    rows = [
        ["A1", valid_siren(111), "PME", "OUI", "1/2/2020"],
        ["A2", valid_siren(112), "PME", "Non", "2020-02-03"],
        ["A3", valid_siren(113), "PME", "vrai", "04.02.2020"],
        ["A4", valid_siren(114), "PME", "0", "05-02-2020"],
        ["A5", valid_siren(115), "PME", "", "2020"],
    ]
    report = run(csv_bytes(rows, headers=headers), pole, dry_run=False, skip_invalid=True)
    assert [r.action for r in report.rows] == [CREATE, CREATE, CREATE, CREATE, REJECT]
    assert report.rows[4].errors == [
        "Column “Adhérent depuis”: “2020” is not a date written dd/mm/yyyy."
    ]
    by_name = {o.legal_name: o for o in Organisation.objects.all()}
    assert [by_name[n].directory_consent for n in ("A1", "A2", "A3", "A4")] == [
        True,
        False,
        True,
        False,
    ]
    starts = [by_name[n].memberships.get().start_date for n in ("A1", "A2", "A3", "A4")]
    assert starts == [datetime.date(2020, 2, d) for d in (1, 3, 4, 5)]


def test_an_existing_organisation_is_updated_never_blanked_and_keeps_its_name(pole):
    existing = OrganisationFactory(
        legal_name="Acme Composites SAS",
        siren=SIREN_A,
        siret=valid_siret(SIREN_A),
        headcount=10,
        turnover=Decimal("100.00"),
        city="Lyon",
        directory_consent=True,
    )
    rows = [["ACME", SIREN_A, "ETI", "250", "", "", "", "", "", "", "", ""]]
    report = run(csv_bytes(rows), pole, dry_run=False)

    (result,) = report.rows
    assert result.action == UPDATE
    assert {c.label: (c.old, c.new) for c in result.changes} == {
        "category": ("SME (PME)", "mid-cap (ETI)"),
        "headcount": ("10", "250"),
    }
    existing.refresh_from_db()
    assert existing.legal_name == "Acme Composites SAS"
    assert existing.category == "midcap" and existing.headcount == 250
    assert existing.turnover == Decimal("100.00") and existing.city == "Lyon"
    assert existing.directory_consent is True
    assert existing.memberships.get(pole=pole).status == Membership.Status.CURRENT


def test_an_organisation_without_siren_is_found_by_its_name(pole):
    association = OrganisationFactory(
        legal_name="Association Hydrogène Vallée", siren="", siret="", category="other"
    )
    rows = [["ASSOCIATION HYDROGENE VALLEE", "", "Association", "", "", "", "Grenoble"] + [""] * 5]
    (result,) = run(csv_bytes(rows), pole, dry_run=False).rows
    assert result.action == UPDATE
    association.refresh_from_db()
    assert association.city == "Grenoble"
    assert Organisation.objects.count() == 1


def test_a_name_taken_by_an_organisation_of_another_siren_is_rejected(pole):
    OrganisationFactory(legal_name="Dupont SA", siren=SIREN_A)
    rows = [["Dupont", SIREN_B, "PME"] + [""] * 9]
    (result,) = run(csv_bytes(rows), pole).rows
    assert result.action == REJECT
    assert "an organisation of this name but another SIREN is already in Grappe" in result.errors[0]


def test_an_existing_membership_takes_the_status_and_date_of_the_file(pole):
    membership = MembershipFactory(
        pole=pole,
        organisation__siren=SIREN_A,
        organisation__legal_name="Acme",
        status=Membership.Status.GRACE,
        start_date=datetime.date(2020, 1, 1),
        end_date=None,
    )
    organisation = membership.organisation
    rows = [
        [
            "Acme",
            SIREN_A,
            "PME",
            str(organisation.headcount),
            "3 500 000,00",
            "ARA",
            organisation.city,
            "oui",
            "expiré",
            "02/01/2020",
            "",
            "",
        ]
    ]
    (result,) = run(csv_bytes(rows), pole, dry_run=False).rows
    assert result.action == UPDATE
    assert result.changes == []
    assert (
        result.membership == "status: grace period → expired; member since: 01/01/2020 → 02/01/2020"
    )
    membership.refresh_from_db()
    assert membership.status == Membership.Status.EXPIRED
    assert membership.start_date == datetime.date(2020, 1, 2)

    (again,) = run(csv_bytes(rows), pole).rows
    assert again.action == UNCHANGED


def test_contacts_with_an_account_are_attached_the_others_listed_to_invite(pole):
    known = PersonFactory(email="marie@acme.example")
    rows = [
        ["Acme", SIREN_A, "PME", "", "", "", "", "", "", "", "Marie@Acme.example", "Marie"],
        ["Béta", SIREN_B, "PME", "", "", "", "", "", "", "", "paul@beta.example", "Paul Martin"],
    ]
    people = Person.objects.count()
    report = run(csv_bytes(rows), pole, dry_run=False)

    assert [r.contact_action for r in report.rows] == ["attached", "to invite"]
    assert [(r.contact_email, r.contact_name, r.name) for r in report.contacts_to_invite] == [
        ("paul@beta.example", "Paul Martin", "Béta")
    ]
    assert Affiliation.objects.get(person=known).organisation.siren == SIREN_A
    assert not Affiliation.objects.get(person=known).is_admin
    assert Person.objects.count() == people  # the import creates no account


def test_the_dry_run_writes_nothing(pole):
    existing = OrganisationFactory(siren=SIREN_D, legal_name="Existing", headcount=5)
    PersonFactory(email="marie@acme.example")
    rows = [
        *MESSY_LATIN1,
        ["Existing", SIREN_D, "PME", "99", "", "", "", "", "", "", "marie@acme.example", ""],
    ]
    before = counts()
    report = run(csv_bytes(rows), pole)  # dry_run is the default
    assert [r.action for r in report.rows] == [CREATE, CREATE, CREATE, UPDATE]
    assert not report.committed
    assert counts() == before
    existing.refresh_from_db()
    assert existing.headcount == 5


def test_the_real_run_is_all_or_nothing(pole):
    rows = [*MESSY_LATIN1, ["Bad", BAD_SIREN, "PME"] + [""] * 9]
    before = counts()
    report = run(csv_bytes(rows), pole, dry_run=False)
    assert report.refused and not report.committed
    assert [r.action for r in report.rows] == [CREATE, CREATE, CREATE, REJECT]
    assert counts() == before
    assert all(r.organisation_id is None for r in report.rows)

    report = run(csv_bytes(rows), pole, dry_run=False, skip_invalid=True)
    assert report.committed
    assert Organisation.objects.count() == before[0] + 3
    assert Membership.objects.filter(pole=pole).count() == 3


def test_row_numbers_are_the_spreadsheets_even_with_blank_rows_and_multiline_cells(pole):
    data = (
        "\n"
        "Raison sociale;SIREN;Catégorie;Compétences\n"
        f'Acme;{SIREN_A};PME;"Usinage\nSoudure"\n'
        ";;;\n"
        f"Bad;{BAD_SIREN};PME;\n"
    )
    report = run(data.encode("utf-8"), pole)
    assert [(r.number, r.action) for r in report.rows] == [(3, CREATE), (5, REJECT)]


def test_too_many_rows_for_the_page_are_refused(pole):
    rows = [[f"Org {n}", valid_siren(300 + n), "PME"] + [""] * 9 for n in range(5)]
    with pytest.raises(FileRefused, match="more than 3 rows"):
        run(csv_bytes(rows), pole, dry_run=False, max_rows=3)
    assert Organisation.objects.count() == 0


def test_progress_is_told_row_by_row(pole):
    seen = []
    run(csv_bytes(MESSY_LATIN1), pole, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


# --- the command --------------------------------------------------------------------------


def command(tmp_path, data, *args, name="adherents.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import_members", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        code = error.returncode
        err.write(str(error))
    return code, out.getvalue(), err.getvalue()


def test_the_command_dry_run_reports_and_writes_nothing(tmp_path, pole):
    code, out, err = command(tmp_path, csv_bytes(MESSY_LATIN1), "--pole", str(pole.pk), "--dry-run")
    assert code == 0
    assert "dry run, nothing written" in out
    assert "encoding: Windows-1252 (Latin-1), separator: semicolon (;)" in out
    assert "Row 2: create École des Mines d'Alès (SIREN" in out
    assert "Contacts to invite (no account was created):" in out
    assert "direction@mines-ales.fr\tHélène Ménard\tÉcole des Mines d'Alès" in out
    assert "3 to create, 0 to update, 0 unchanged, 0 rejected." in out
    assert err.strip().endswith("3/3 rows")  # plain progress lines when not on a terminal
    assert Organisation.objects.count() == 0


def test_the_command_imports_and_exits_zero(tmp_path, pole):
    code, out, _err = command(tmp_path, csv_bytes(MESSY_LATIN1), "--pole", str(pole.pk))
    assert code == 0
    assert "3 created, 0 updated, 0 unchanged, 0 rejected and skipped." in out
    assert Membership.objects.filter(pole=pole).count() == 3


def test_the_command_refuses_rejected_rows_with_exit_code_1(tmp_path, pole):
    rows = [*MESSY_LATIN1, ["Bad", BAD_SIREN, "PME"] + [""] * 9]
    code, out, err = command(tmp_path, csv_bytes(rows), "--pole", str(pole.pk))
    assert code == 1
    assert "Row 5: REJECTED Bad" in out
    assert f"✗ Column “SIREN”: {BAD_SIREN} is not a valid SIREN" in out
    assert "1 rejected row(s): nothing is imported" in err
    assert Organisation.objects.count() == 0

    code, out, _err = command(tmp_path, csv_bytes(rows), "--pole", str(pole.pk), "--skip-invalid")
    assert code == 0
    assert "3 created, 0 updated, 0 unchanged, 1 rejected and skipped." in out
    assert Organisation.objects.count() == 3


def test_the_command_refuses_a_bad_file_or_pole_with_exit_code_2(tmp_path, pole):
    code, out, err = command(tmp_path, csv_bytes([["x"]], headers=["Nom"]), "--pole", str(pole.pk))
    assert code == 2
    assert "File refused: Required columns are missing: « Catégorie », « SIREN »" in err
    code, _out, err = command(tmp_path, csv_bytes(MESSY_LATIN1), "--pole", "999999")
    assert code == 2 and "No pole has the id 999999." in err


def test_the_command_reads_xlsx(tmp_path, pole):
    data = xlsx_bytes([["Acme", SIREN_A, "PME"]], headers=HEADERS[:3])
    code, out, _err = command(tmp_path, data, "--pole", str(pole.pk), name="a.bin")
    assert code == 0 and "1 created" in out
    assert Organisation.objects.get().legal_name == "Acme"


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_the_progress_bar_redraws_in_place_on_a_terminal():
    from django.core.management.base import OutputWrapper

    stream = FakeTerminal()
    progress = Progress(OutputWrapper(stream), width=10)
    progress(5, 10)
    progress(10, 10)
    assert stream.getvalue() == "\r[#####-----] 5/10 rows\r[##########] 10/10 rows\n"


# --- the page -----------------------------------------------------------------------------


@pytest.fixture
def staff(client, pole):
    person = pole_staff(pole)
    client.force_login(person)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return person


def upload(data, name="adherents.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_the_page_exists_for_the_poles_staff_only(client, pole):
    client.force_login(pole_staff(PoleFactory()))
    assert client.get(f"/poles/{pole.pk}/import/").status_code == 404
    assert client.post(f"/poles/{pole.pk}/import/", {"file": upload(b"x")}).status_code == 404
    client.force_login(PersonFactory())
    assert client.get(f"/poles/{pole.pk}/import/").status_code == 404


def test_the_page_dry_run_then_import(client, staff, pole):
    page = client.get(f"/poles/{pole.pk}/import/")
    assert page.status_code == 200
    assert "Import the members of Pôle Composites" in page.content.decode()

    rows = [*MESSY_LATIN1, ["Bad", BAD_SIREN, "PME"] + [""] * 9]
    before = counts()
    response = client.post(f"/poles/{pole.pk}/import/", {"file": upload(csv_bytes(rows))})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dry run: nothing is written yet" in html
    assert "Windows-1252 (Latin-1)" in html
    assert "Organisations to create" in html and "École des Mines d&#x27;Alès" in html
    assert f"{BAD_SIREN} is not a valid SIREN" in html
    assert "direction@mines-ales.fr" in html  # a contact to invite
    assert "Import the valid rows and skip the others" in html
    assert counts() == before
    token = response.context["confirm_form"].initial["token"]

    # Confirmed without skipping the rejected row: nothing is imported, the report says why.
    response = client.post(f"/poles/{pole.pk}/import/confirm/", {"token": token})
    assert response.status_code == 400
    assert "nothing was imported" in response.content.decode()
    assert counts() == before

    response = client.post(
        f"/poles/{pole.pk}/import/confirm/", {"token": token, "skip_invalid": "on"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Import done" in html and "Organisations created" in html
    assert Membership.objects.filter(pole=pole).count() == 3
    school = Organisation.objects.get(siren=SIREN_A)
    assert f'href="/organisations/{school.pk}/"' in html

    # The kept file is gone: the same token imports nothing twice.
    response = client.post(f"/poles/{pole.pk}/import/confirm/", {"token": token}, follow=True)
    assert "This file is no longer kept: upload it again." in response.content.decode()
    assert Organisation.objects.count() == before[0] + 3


def test_the_page_imports_an_xlsx_file(client, staff, pole):
    data = xlsx_bytes([["Acme", SIREN_A, "PME"]], headers=HEADERS[:3])
    response = client.post(f"/poles/{pole.pk}/import/", {"file": upload(data, "membres.xlsx")})
    assert response.status_code == 200
    token = response.context["confirm_form"].initial["token"]
    response = client.post(f"/poles/{pole.pk}/import/confirm/", {"token": token})
    assert response.status_code == 200
    assert Organisation.objects.get().memberships.get().pole == pole


def test_the_page_refuses_wrong_files_with_the_reason(client, staff, pole):
    response = client.post(f"/poles/{pole.pk}/import/", {"file": upload(b"\x89PNG\r\n\x1a\n\0\0")})
    assert response.status_code == 400
    assert "neither a CSV text file nor an XLSX workbook" in response.content.decode()

    wrong = csv_bytes([["Acme", "PME"]], headers=["Société", "Secteur"])
    response = client.post(f"/poles/{pole.pk}/import/", {"file": upload(wrong)})
    assert response.status_code == 400
    assert "Required columns are missing" in response.content.decode()
    assert "confirm_form" not in response.context


def test_the_page_refuses_files_above_its_limit(client, staff, pole, monkeypatch):
    monkeypatch.setattr("portal.forms.WEB_MAX_SIZE", 100)
    response = client.post(f"/poles/{pole.pk}/import/", {"file": upload(csv_bytes(MESSY_LATIN1))})
    assert response.status_code == 400
    assert "manage.py import_members" in response.content.decode()


def test_a_token_is_only_good_for_the_session_and_pole_that_kept_it(client, staff, pole):
    response = client.post(f"/poles/{pole.pk}/import/", {"file": upload(csv_bytes(MESSY_LATIN1))})
    token = response.context["confirm_form"].initial["token"]

    other_pole = PoleFactory()
    pole_staff(other_pole, staff)
    response = client.post(f"/poles/{other_pole.pk}/import/confirm/", {"token": token})
    assert response.status_code == 302

    for forged in ("../../etc/passwd", "0" * 32):
        response = client.post(f"/poles/{pole.pk}/import/confirm/", {"token": forged})
        assert response.status_code == 302

    client.force_login(pole_staff(pole))  # a colleague, in another session
    response = client.post(f"/poles/{pole.pk}/import/confirm/", {"token": token})
    assert response.status_code == 302
    assert Organisation.objects.count() == 0


def test_a_profile_saved_while_the_file_is_imported_is_not_written_over(pole, monkeypatch):
    """The import reads an organisation, someone saves its profile, the import saves: the
    row is rejected (the whole import, as any rejected row), the file's values not written.
    (Here their save shares the import's transaction, so it is rolled back with it; in
    production it is committed already, and stays.)"""
    from portal import imports

    existing = OrganisationFactory(legal_name="Acme Composites SAS", siren=SIREN_A, headcount=10)
    read = imports._Importer._organisation

    def read_then_someone_saves(self, row, siren):
        organisation = read(self, row, siren)
        services.update_organisation(Organisation.objects.get(pk=existing.pk), city="Grenoble")
        return organisation

    monkeypatch.setattr(imports._Importer, "_organisation", read_then_someone_saves)
    rows = [["ACME", SIREN_A, "ETI", "250", "", "", "", "", "", "", "", ""]]
    report = run(csv_bytes(rows), pole, dry_run=False)
    (result,) = report.rows
    assert result.action == REJECT
    assert "Someone changed this organisation" in result.errors[0]
    existing.refresh_from_db()
    assert existing.headcount == 10
