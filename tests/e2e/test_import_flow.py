"""An organizer imports a spreadsheet in the browser: upload, column choices, summary;
the upload, column-choice and progress pages meet WCAG 2.1 AA."""

import re

import pytest
from playwright.sync_api import expect

from solidaire.people.importing.services import person_import_run
from solidaire.people.models import Person, PersonImport

from tests.e2e.conftest import axe_violations
from tests.e2e.test_organizer_flows import log_in

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    b"Full name,Email,Mobile,Notes\r\n"
    b"Rosa Parc,rosa@example.org,514 555-0111,warehouse\r\n"
    b"Samir Haddad,samir@example.org,,caregiving\r\n"
    b"Nobody,not-an-email,,\r\n"
)


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"


def test_an_organizer_imports_a_spreadsheet_and_sees_the_summary(page, live_server, world):
    log_in(page, live_server, "montreal")
    page.goto(f"{live_server.url}/en/organize/people/import/")
    assert axe_violations(page) == []

    page.get_by_label("Spreadsheet file").set_input_files(
        files=[{"name": "rally.csv", "mimeType": "text/csv", "buffer": CSV}])
    page.get_by_role("button", name="Upload and choose the columns").click()
    page.wait_for_url(re.compile(r".*/people/import/\d+/$"))

    assert page.get_by_role("heading", level=1).inner_text() == "Choose the columns"
    assert page.get_by_label("Full name").input_value() == "chosen_name"
    assert page.get_by_label("Email").input_value() == "email"
    assert page.get_by_label("Mobile").input_value() == "phone"
    assert page.get_by_label("Notes").input_value() == ""
    assert page.get_by_role("cell", name="Samir Haddad").is_visible()
    assert axe_violations(page) == []

    page.get_by_label("Notes").select_option("sector")
    page.get_by_label("Chapter for everyone in the file").select_option("montreal")
    page.get_by_label("Tags for everyone in the file").fill("rally 2026")
    page.get_by_role("button", name="Start the import").click()
    expect(page.locator("progress")).to_have_count(1)
    # The waiting page reloads nothing by itself (no meta refresh, WCAG 2.2.1).
    assert page.get_by_role("link", name="Refresh").is_visible()
    assert axe_violations(page) == []

    # The background worker's part, run here so the test needs no worker process; the
    # page's script sees it finish and shows the summary without a reload.
    person_import = PersonImport.objects.get(original_name="rally.csv")
    person_import_run(import_id=person_import.pk)

    expect(page.locator("#import-announce")).to_have_text("The import is finished.")
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    expect(page.get_by_role("link", name="Refresh")).to_be_hidden()
    assert page.locator("dt:has-text('People added') + dd").inner_text() == "2"
    assert page.locator("dt:has-text('Rows not imported') + dd").inner_text() == "1"
    assert page.get_by_role("link", name="Download the problem report (CSV)").is_visible()
    assert page.get_by_role("link", name="Undo this import").is_visible()
    rosa = Person.objects.get(chosen_name="Rosa Parc")
    assert rosa.home_chapter == world.montreal and rosa.sector == "warehouse"
    assert axe_violations(page) == []
