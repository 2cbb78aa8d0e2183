"""What the register plugins share on top of the core plugin pattern."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from iktipet.core.registry import Plugin
from iktipet.registers.http import TokenRegisterClient, read_token_file, token_file_problems


@dataclass(frozen=True)
class PostalAddress:
    """A Norwegian postal address as the registers give it: one street line and a post code."""

    street: str
    postnummer: str
    poststed: str

    @property
    def one_line(self) -> str:
        return f"{self.street}, {self.postnummer} {self.poststed}"


class RegisterPlugin(Plugin):
    """A register adapter. Options come in through ``__init__`` (from
    ``options_from_settings`` when the settings choose it); nothing reads settings later."""


ClientT = TypeVar("ClientT", bound=TokenRegisterClient)


class TokenHttpRegister(Generic[ClientT]):
    """A register reached over HTTP with a bearer token that a token agent keeps fresh in a
    file (Maskinporten): its options, its lazily built client and its configuration check.

    Mix it in before the kind's base class and name the client and the settings::

        @contact_registers.register("krr")
        class KrrContactRegister(TokenHttpRegister[KrrClient], BaseContactRegister):
            client_class = KrrClient
            url_setting, token_file_setting = "KRR_URL", "KRR_TOKEN_FILE"

    The client (``<name>/client.py``, a :class:`TokenRegisterClient`) knows the API and asks
    ``token_provider`` before each request; the plugin knows our domain and where the token
    is: it reads the file on every request, as the token agent rotates it.
    """

    client_class: ClassVar[type[TokenRegisterClient]]
    #: Settings (without ``IKTIPET_``) holding the base URL and the token file's path.
    url_setting: ClassVar[str]
    token_file_setting: ClassVar[str]
    #: The URL when none is given (the public production endpoint, if there is one).
    default_url: ClassVar[str] = ""
    #: What the URL points at, for the operator's message when it is missing.
    url_hint: ClassVar[str] = ""
    #: False for a register that answers without a token (a facade inside the city's network).
    token_required: ClassVar[bool] = True

    def __init__(
        self,
        *,
        base_url: str | None = None,
        token_file: str = "",
        token: str = "",
        timeout: float = 5.0,
        client: ClientT | None = None,
    ) -> None:
        self.base_url = self.default_url if base_url is None else base_url
        self.token_file = token_file
        self._token = token
        self._timeout = timeout
        self._client = client

    @classmethod
    def options_from_settings(cls, conf: Any) -> dict[str, Any]:
        return {
            "base_url": getattr(conf, cls.url_setting),
            "token_file": getattr(conf, cls.token_file_setting),
            "timeout": conf.REGISTER_TIMEOUT,
        }

    def _bearer(self) -> str:
        return self._token or read_token_file(self.token_file)

    @property
    def client(self) -> ClientT:
        if self._client is None:
            self._client = self.client_class(
                self.base_url, token_provider=self._bearer, timeout=self._timeout
            )
        return self._client  # type: ignore[return-value]

    def check_config(self) -> list[str]:
        problems = []
        if not self.base_url:
            hint = f" ({self.url_hint})" if self.url_hint else ""
            problems.append(f"IKTIPET_{self.url_setting} is not set{hint}.")
        variable = f"IKTIPET_{self.token_file_setting}"
        if self._token:
            return problems
        if self.token_required:
            problems += token_file_problems(self.token_file, variable)
        elif self.token_file and not read_token_file(self.token_file):
            problems.append(f"{variable}={self.token_file!r} is unreadable.")
        return problems
