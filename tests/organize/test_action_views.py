"""Organizer pages of call and e-mail actions: list, counts, creating and editing."""

from solidaire.advocacy.models import Action, CallReport
from solidaire.core.models import AuditEntry

from tests.factories import ActionFactory, CampaignFactory, PersonFactory, TargetFactory
from tests.organize.conftest import url


def form_data(target, **overrides):
    data = {
        "title_fr": "Appelez le ministre", "title_en": "Call the minister",
        "intro_fr": "", "intro_en": "Hundreds of us will call.",
        "script_fr": "Bonjour", "script_en": "Hello",
        "letter_subject_fr": "", "letter_subject_en": "", "letter_body_fr": "",
        "letter_body_en": "", "kind": "call", "slug": "", "organization": "cti",
        "chapter": "", "campaign": "", "status": "open", "goal": "500",
        "targeting": "fixed", "riding_level": "federal", "targets": [str(target.pk)],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_coordinator_creates_an_open_call_action(world, as_user):
    target = TargetFactory(name="Marc Miller")
    campaign = CampaignFactory(organization=world.centre, slug="status")
    client = as_user(world.coordinator)
    response = client.post(url("action_add"), form_data(target, campaign="status"))
    action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("action_detail", "appelez-le-ministre")
    assert action.title == {"fr": "Appelez le ministre", "en": "Call the minister"}
    assert action.intro == {"en": "Hundreds of us will call."}
    assert (action.campaign, action.goal, action.status) == (campaign, 500, "open")
    assert list(action.targets.all()) == [target]
    assert AuditEntry.objects.get(action="solidaire.action.created").actor == world.coordinator


def test_an_open_fixed_action_needs_a_target_and_keeps_the_input(world, as_user):
    target = TargetFactory()
    response = as_user(world.coordinator).post(url("action_add"),
                                               form_data(target, targets=[]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose at least one target before opening the action." in html
    assert "Hundreds of us will call." in html
    assert not Action.objects.exists()


def test_editing_changes_the_action_and_is_audited(world, as_user):
    target = TargetFactory()
    action = ActionFactory(organization=world.centre, slug="call-in")
    client = as_user(world.coordinator)
    response = client.post(url("action_edit", "call-in"),
                           form_data(target, slug="call-in", status="closed"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "closed" and list(action.targets.all()) == [target]
    assert AuditEntry.objects.filter(action="solidaire.action.updated").exists()


def test_the_list_shows_counts_of_visible_actions_only(world, as_user):
    mine = ActionFactory(organization=world.centre, chapter=world.montreal,
                         title={"en": "Montréal call-in"})
    ActionFactory(organization=world.centre, chapter=world.bsl, title={"en": "BSL call-in"})
    ActionFactory(organization=world.other, title={"en": "MSU call-in"})
    target = TargetFactory()
    for n, outcome in enumerate(["message", "message", "reached"]):
        CallReport.objects.create(action=mine, target=target, outcome=outcome, token=f"t{n}")
    html = as_user(world.montreal_organizer).get(url("actions")).content.decode()
    assert "Montréal call-in" in html
    assert "BSL call-in" not in html and "MSU call-in" not in html
    assert "<td>3</td>\n      <td>2</td>" in html


def test_the_detail_shows_counts_per_target_and_notes_of_people_in_scope_only(world, as_user):
    action = ActionFactory(organization=world.centre, chapter=world.montreal, slug="mtl")
    target = TargetFactory(name="Arif Virani")
    CallReport.objects.create(action=action, target=target, outcome="reached", token="a",
                              person=world.in_montreal, note="Staff was kind")
    CallReport.objects.create(action=action, target=target, outcome="message", token="b",
                              person=world.in_bsl, note="Secret of Rimouski")
    CallReport.objects.create(action=action, target=target, outcome="message", token="c",
                              person=PersonFactory(), note="Nobody's")
    html = as_user(world.montreal_organizer).get(url("action_detail", "mtl")).content.decode()
    assert "Arif Virani" in html and "Staff was kind" in html
    assert "Secret of Rimouski" not in html and "Nobody&#x27;s" not in html
    assert '<th scope="row">Arif Virani</th><td>3</td><td>1</td><td>2</td>' in html


def test_out_of_scope_actions_are_404(world, as_user):
    ActionFactory(organization=world.centre, chapter=world.bsl, slug="bsl")
    ActionFactory(organization=world.other, slug="msu")
    ActionFactory(organization=world.centre, slug="whole")
    client = as_user(world.montreal_organizer)
    for slug in ("bsl", "msu"):
        assert client.get(url("action_detail", slug)).status_code == 404
        assert client.get(url("action_edit", slug)).status_code == 404
        assert client.post(url("action_edit", slug), {}).status_code == 404
    # Seeing the centre's own action is not running it.
    assert client.get(url("action_detail", "whole")).status_code == 200
    assert client.get(url("action_edit", "whole")).status_code == 404


def test_volunteers_see_actions_but_cannot_add_or_edit(world, as_user):
    ActionFactory(organization=world.centre, slug="whole", title={"en": "Centre call-in"})
    client = as_user(world.volunteer)
    assert "Centre call-in" in client.get(url("actions")).content.decode()
    assert client.get(url("action_detail", "whole")).status_code == 200
    assert client.get(url("action_add")).status_code == 404
    assert client.get(url("action_edit", "whole")).status_code == 404


def test_the_list_query_count_does_not_grow_with_the_rows(
        world, as_user, django_assert_num_queries, django_assert_max_num_queries):
    client = as_user(world.coordinator)
    target = TargetFactory()

    def add(count):
        for _n in range(count):
            action = ActionFactory(organization=world.centre, chapter=world.montreal)
            CallReport.objects.create(action=action, target=target, outcome="message",
                                      token=f"t{action.pk}")

    add(3)
    with django_assert_max_num_queries(12) as few:
        response = client.get(url("actions"))
    assert response.content.decode().count("Call-in ") == 3
    add(12)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url("actions"))
    assert response.content.decode().count("Call-in ") == 15
