"""The catalogue fragment is the same for everyone: cached per language, dropped on publish."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key

FRAGMENT = "catalogue"
SECONDS = 600


def catalogue_fragment_key(language: str) -> str:
    return make_template_fragment_key(FRAGMENT, [language])


def invalidate_catalogue() -> None:
    cache.delete_many([catalogue_fragment_key(code) for code, _name in settings.LANGUAGES])
