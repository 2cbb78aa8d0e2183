"""core.errors: one refusal, its messages placed on a form's fields, one way to show it."""

from __future__ import annotations

import pytest
from django.http import HttpResponse

from iktipet.core.errors import NON_FIELD, ActionRefused, refused_page


def test_a_message_is_about_a_field_or_the_whole_action():
    assert ActionRefused("Nei.").errors == {NON_FIELD: "Nei."}
    refused = ActionRefused("For lang.", field="note", code="too_long")
    assert (refused.errors, refused.message, refused.code) == (
        {"note": "For lang."},
        "For lang.",
        "too_long",
    )
    several = ActionRefused({"body": "Skriv noe.", "files": "For mange."})
    assert several.message == "Skriv noe." and "files: For mange." in str(several)
    with pytest.raises(ValueError):
        ActionRefused({})


def test_messages_are_placed_on_the_form_that_shows_them():
    refused = ActionRefused({"body": "Skriv noe.", "files": "Feil type.", NON_FIELD: "Avsluttet."})
    placed = refused.errors_for(("grounds", "files"), other="form", renamed={"body": "grounds"})
    assert placed == {"grounds": "Skriv noe.", "files": "Feil type.", "form": "Avsluttet."}
    # Two messages for the same place are both shown.
    assert refused.errors_for(("body",), other="body") == {
        "body": "Skriv noe. Feil type. Avsluttet."
    }


def test_the_refused_page_gets_the_errors_what_was_typed_and_400():
    seen = {}

    def page(*, errors, status, typed):
        seen.update(errors=errors, status=status, typed=typed)
        return HttpResponse(status=status)

    response = refused_page(page, ActionRefused("Nei.", field="x"), typed="hei")
    assert response.status_code == 400
    assert seen == {"errors": {"x": "Nei."}, "status": 400, "typed": "hei"}
