import pytest
from django.core.management import CommandError, call_command

from policylend.households.models import Household

from .workbooks import household, workbook_bytes


def test_the_command_checks_then_imports(org, officer, tmp_path):
    path = tmp_path / "ho.xlsx"
    path.write_bytes(workbook_bytes(households=[household(n) for n in range(3)]))
    call_command("import_workbook", str(path), user=officer.username, language="en")
    assert Household.objects.count() == 0
    call_command("import_workbook", str(path), user=officer.username, confirm=True)
    assert Household.objects.count() == 3


def test_the_command_lists_the_problems_and_imports_nothing(org, officer, tmp_path, capsys):
    rows = [household(n) for n in range(3)]
    rows[1]["national_id"] = "1"
    path = tmp_path / "ho.xlsx"
    path.write_bytes(workbook_bytes(households=rows))
    with pytest.raises(CommandError):
        call_command(
            "import_workbook", str(path), user=officer.username, confirm=True, language="en"
        )
    assert "households row 3 national_id" in capsys.readouterr().out
    assert Household.objects.count() == 0
