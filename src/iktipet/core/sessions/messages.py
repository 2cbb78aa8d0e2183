"""``MESSAGE_STORAGE``: Django's fallback storage (cookie, then session), made cheap for the
requests that have no message, which are nearly all of them.

``MessageMiddleware`` builds the storage for every request, and ``base.html`` asks it on
every page whether there is a message. Django's ``FallbackStorage`` builds its cookie store
(a signer, with its key derived from the secret) and its session store for each request and
reads both. Here the two stores are built on first use, and a request that carries no
``messages`` cookie and whose session holds no messages has none, without reading either
store. Messages are added, read and stored exactly as before.
"""

from __future__ import annotations

from typing import Any

from django.contrib.messages.storage.base import BaseStorage, Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.messages.storage.session import SessionStorage
from django.http import HttpRequest
from django.utils.functional import cached_property


class LazyFallbackStorage(FallbackStorage):
    storage_classes = (CookieStorage, SessionStorage)

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        BaseStorage.__init__(self, request, *args, **kwargs)
        self._storage_args = (request, *args)
        self._storage_kwargs = kwargs
        self._used_storages: set[BaseStorage] = set()

    @cached_property
    def storages(self) -> list[BaseStorage]:
        return [cls(*self._storage_args, **self._storage_kwargs) for cls in self.storage_classes]

    def _get(self, *args: Any, **kwargs: Any) -> tuple[list[Message], bool]:
        request = self.request
        if (
            CookieStorage.cookie_name not in request.COOKIES
            and SessionStorage.session_key not in request.session
        ):
            return [], True
        return super()._get(*args, **kwargs)  # type: ignore[misc]
