"""The column-choice page names the tool an export comes from, the important columns
left out, and the language everyone gets when no column gives one."""

from pathlib import Path

import pytest

from solidaire.people.models import PersonImport

from tests.organize.conftest import url
from tests.organize.test_import_views import upload, uploaded_import

FILES = Path(__file__).parent.parent / "people" / "import_formats"


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def montreal(world, as_user):
    return as_user(world.montreal_organizer)


def mapping_page(client, name: str, lang: str) -> tuple[PersonImport, str]:
    person_import = uploaded_import(upload(client, name, (FILES / name).read_bytes(),
                                           lang=lang))
    page = client.get(url("import_detail", pk=person_import.pk, lang=lang))
    assert page.status_code == 200
    return person_import, page.content.decode()


def test_an_action_network_export_is_recognized_and_its_unkept_columns_listed(montreal):
    _person_import, html = mapping_page(montreal, "action_network.csv", "en")
    assert "Recognized: Action Network export." in html
    assert "These columns look important but will not be imported" in html
    for header in ("can2_user_address", "can2_user_city", "can2_state_abbreviated"):
        assert f"<li>{header}</li>" in html
    assert "<li>can2_phone</li>" not in html
    assert "will get the default language" not in html  # a language column is read


def test_a_zetkin_export_warns_in_french_that_everyone_gets_french(montreal):
    _person_import, html = mapping_page(montreal, "zetkin.csv", "fr")
    assert "Format reconnu\u00a0: export de Zetkin." in html
    assert ("Aucune colonne n'indique la langue\u00a0: toutes les personnes ajoutées "
            "auront la langue par défaut (français).") in html


def test_after_an_organizer_maps_a_column_it_is_no_longer_listed(montreal):
    person_import, html = mapping_page(montreal, "action_network.csv", "en")
    assert "<li>can2_user_city</li>" in html
    data = {f"column_{i}": key for i, key in person_import.mapping.items()}
    data["column_5"] = "workplace"  # can2_user_city, chosen by hand
    data["chapter"] = ""  # left out on purpose: the page comes back with its errors
    data["column_0"] = "given_name"
    response = montreal.post(url("import_detail", pk=person_import.pk), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<li>can2_user_city</li>" not in html and "<li>can2_user_address</li>" in html
