"""import_linkedin, import_vcard, import_data and export_data on the command line."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from contacts.models import Contact
from tests.factories import ContactFactory, PositionFactory

CSV = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
    "Jill,Okafor,https://www.linkedin.com/in/jill-okafor,,Northwind,Partner,14 Mar 2019\r\n"
    ",,,,,,\r\n"
    ",Nobody,https://nope.example,,,,\r\n"
)


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


@pytest.mark.django_db
def test_import_linkedin_prints_the_summary_and_detects_job_changes(
    user: User, tmp_path: Path
) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(CSV, encoding="utf-8")
    assert run("import_linkedin", str(path), "--user", "alice") == (
        "created=2 updated=0 job_changes=0 skipped=0"
    )
    path.write_text(CSV.replace("Northwind", "Contoso"), encoding="utf-8")
    assert run("import_linkedin", str(path), "--user", "alice") == (
        "created=0 updated=1 job_changes=1 skipped=0"
    )
    assert run("import_linkedin", str(path), "--user", "alice") == (
        "created=0 updated=0 job_changes=0 skipped=0"
    )


@pytest.mark.django_db
def test_import_vcard_with_a_trust_level(user: User, tmp_path: Path) -> None:
    path = tmp_path / "contacts.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Jill Okafor\nEND:VCARD\n", encoding="utf-8")
    out = run("import_vcard", str(path), "--user", "alice", "--trust-level", "close")
    assert out == "created=1 updated=0 job_changes=0 skipped=0"
    assert Contact.objects.get().trust_level == "close"


@pytest.mark.parametrize(
    ("command", "content", "message"),
    [
        ("import_linkedin", "Name,Company\n", "No header row"),
        ("import_vcard", "BEGIN:VCARD\nFN:x\n", "no END:VCARD"),
        ("import_data", "[1, 2]", "not a Rapport backup"),
        ("import_data", "", "empty"),
    ],
)
@pytest.mark.django_db
def test_bad_input_exits_2_with_a_message(
    user: User, tmp_path: Path, command: str, content: str, message: str
) -> None:
    path = tmp_path / "input.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message) as error:
        run(command, str(path), "--user", "alice")
    assert error.value.returncode == 2


@pytest.mark.django_db
def test_an_unknown_user_or_missing_file_exits_2(user: User, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No user named") as error:
        run("import_linkedin", str(tmp_path / "x.csv"), "--user", "nobody")
    assert error.value.returncode == 2
    with pytest.raises(CommandError, match="No such file") as error:
        run("import_linkedin", str(tmp_path / "x.csv"), "--user", "alice")
    assert error.value.returncode == 2


@pytest.mark.django_db
def test_export_data_then_import_data_round_trips(
    user: User, other_user: User, tmp_path: Path
) -> None:
    jill = ContactFactory(owner=user, first_name="Jill", last_name="Okafor", tags=["vc"])
    PositionFactory(contact=jill, company="Northwind", title="Partner")
    target = tmp_path / "backup.json"
    run("export_data", "--user", "alice", "--format", "json", "--output", str(target))
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["contacts"][0]["tags"] == ["vc"]
    assert run("import_data", str(target), "--user", "mallory") == (
        "created=1 updated=0 job_changes=0 skipped=0"
    )
    copy = Contact.objects.get(owner=other_user)
    assert copy.positions.get().company == "Northwind"


@pytest.mark.parametrize(("fmt", "marker"), [("csv", "First name"), ("vcard", "BEGIN:VCARD")])
@pytest.mark.django_db
def test_export_data_writes_csv_and_vcard_to_stdout(user: User, fmt: str, marker: str) -> None:
    ContactFactory(owner=user, first_name="Jill")
    assert marker in run("export_data", "--user", "alice", "--format", fmt)


@pytest.mark.django_db
def test_export_data_to_a_missing_directory_exits_2(user: User, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as error:
        run("export_data", "--user", "alice", "--format", "csv", "--output", str(tmp_path / "no/x"))
    assert error.value.returncode == 2
