"""Who may edit call and e-mail actions, and the services refusing the others
(decision 0056)."""

import pytest

from solidaire.advocacy.models import Action
from solidaire.advocacy.selectors import action_may_edit, actions_editable_by
from solidaire.advocacy.services import action_create, action_update
from solidaire.core.access import NotAllowed

from tests.factories import ActionFactory
from tests.policies import EDITS, accounts, editable_names, placements


@pytest.mark.parametrize("account", sorted(EDITS))
def test_actions_editable_by_follow_the_table(world, account):
    user = accounts(world)[account]
    items = {p.name: ActionFactory(organization=p.organization, chapter=p.chapter)
             for p in placements(world)}
    by_pk = {action.pk: name for name, action in items.items()}
    assert editable_names(actions_editable_by(user), by_pk) == EDITS[account]
    for name, action in items.items():
        assert action_may_edit(user, action) is (name in EDITS[account])


def test_action_create_refuses_a_placement_out_of_scope_and_lets_the_application_through(
        world):
    accounts(world)
    for actor, chapter in ((world.montreal_organizer, None),
                           (world.rimouski_organizer, world.montreal),
                           (world.volunteer, world.montreal),
                           (world.no_role, world.montreal)):
        with pytest.raises(NotAllowed):
            action_create(slug="no", title={"fr": "Non"}, organization=world.centre,
                          chapter=chapter, actor=actor)
    assert not Action.objects.exists()
    action_create(slug="demo", title={"fr": "Démo"}, organization=world.centre)  # no actor
    action_create(slug="local", title={"fr": "Local"}, organization=world.centre,
                  chapter=world.montreal, actor=world.montreal_organizer)


def test_action_update_refuses_who_may_not_edit_and_moving_out_of_scope(world):
    accounts(world)
    action = ActionFactory(organization=world.centre, chapter=world.montreal, goal=10)
    for actor in (world.rimouski_organizer, world.other_coordinator, world.volunteer):
        with pytest.raises(NotAllowed):
            action_update(action=action, actor=actor, goal=99)
    with pytest.raises(NotAllowed):
        action_update(action=action, actor=world.montreal_organizer, chapter=None)
    action.refresh_from_db()
    assert (action.goal, action.chapter) == (10, world.montreal)
    action_update(action=action, actor=world.montreal_organizer, goal=99)
