"""core.per_language: made once per language and script prefix, forgotten with a setting."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse, set_script_prefix
from django.utils import translation
from django.utils.translation import gettext as _

from iktipet.core.per_language import per_language

calls: list[tuple[str | None, str]] = []


@per_language
def _made() -> dict[str, str]:
    """The docstring stays."""
    calls.append((translation.get_language(), reverse("accounts:my_page")))
    return {"mine": _("Min side"), "url": reverse("accounts:my_page")}


def test_made_once_per_language_and_script_prefix_and_forgotten_when_a_setting_changes():
    calls.clear()
    with override_settings(LANGUAGE_CODE="nb"):  # forgets what an earlier test made
        with translation.override("nb"):
            first = _made()
            assert _made() is first and first["mine"] == "Min side"
        with translation.override("en"):
            assert _made()["mine"] == "My page"
            assert _made()["mine"] == "My page"
        set_script_prefix("/by/")
        try:
            with translation.override("nb"):
                assert _made()["url"].startswith("/by/")
        finally:
            set_script_prefix("/")
        with translation.override("nb"):
            assert _made() is first
        assert len(calls) == 3
    with translation.override("nb"):
        assert _made() is not first  # the setting changed back: made again
    assert len(calls) == 4
    assert _made.__doc__ == "The docstring stays."
