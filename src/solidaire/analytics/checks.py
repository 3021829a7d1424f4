"""System checks of the ledger's summaries (decision 0054)."""

from django.core import checks

from solidaire.core.activity_kinds import kind_get

from .models import ENGAGEMENT_KIND_FIELDS


@checks.register()
def digest_kinds_declared(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A digest column whose kind no app declares any more stays empty: warn, so that
    renaming or moving a kind does not quietly slow audiences down."""
    return [
        checks.Warning(
            f"The engagement digest has a column ({field}) for the kind {value!r}, which "
            f"no installed app declares.",
            hint="Declare the kind in its app's activities.py, or drop the column.",
            id="analytics.W001",
        )
        for value, field in ENGAGEMENT_KIND_FIELDS.items()
        if kind_get(value) is None
    ]
