"""The one plugin pattern: a small typed registry per kind of extension point.

Payment providers, identity providers, register adapters, notification channels and case
destinations each declare a ``Base…`` class (subclass of :class:`Plugin`) and one
:class:`Registry` for it::

    population_registers: Registry[BasePopulationRegister] = Registry(
        "population register", BasePopulationRegister
    )

    @population_registers.register("local")
    class LocalPopulationRegister(BasePopulationRegister): ...

    register = population_registers.create("local", data_dir=settings.DEMO_DATA_DIR)

Configuration is passed to ``create`` explicitly, so a plugin never reads a global
singleton and a test can build one with whatever options it needs. ``check_config`` lists
problems an operator must fix.

Settings meet plugins in one place. A registry knows which setting chooses its plugin
(``setting="POPULATION_REGISTER"``, or ``choose=`` for a kind used in several slots), each
plugin class says which settings its options come from (:meth:`Plugin.options_from_settings`),
and then::

    population_registers.configured()    # the plugin the settings choose, built from them
    population_registers.problems()      # its check_config, unknown names included

Every registry records itself, so :func:`plugin_statuses` checks the configured plugin of
every kind: the system check (``core.checks``) and ``iktipet registers check`` both use it.
A registry is found once its module is imported: import it in the app's ``ready()``.
"""

from __future__ import annotations

import weakref
from abc import ABC
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from django.conf import settings

__all__ = [
    "Choice",
    "Plugin",
    "PluginError",
    "PluginStatus",
    "Registry",
    "UnknownPlugin",
    "plugin_statuses",
    "registries",
]


class Plugin(ABC):  # noqa: B024 - abstract methods are declared per kind
    """What every plugin offers. Each kind narrows this with its own ``Base…`` class."""

    #: The name it was registered under (set by :meth:`Registry.register`).
    name: ClassVar[str] = ""
    #: A short human-readable description for operators.
    label: ClassVar[str] = ""

    @classmethod
    def options_from_settings(cls, conf: Any) -> dict[str, Any]:
        """The ``create`` options this plugin takes from Django settings (IKTIPET_* env).

        A kind used in several slots (citizen and staff login) gets ``slot`` as a second
        argument. Read ``conf``, never ``django.conf.settings``: tests pass their own.
        """
        return {}

    def check_config(self) -> list[str]:
        """Problems with this plugin's configuration, as sentences for an operator.

        An empty list means it is ready. Must not raise and should not do slow I/O beyond a
        cheap local check (files exist, URLs parse); reachability belongs in health checks.
        """
        return []


class PluginError(Exception):
    """A plugin could not be created with the options given."""


class UnknownPlugin(PluginError, LookupError):
    def __init__(self, kind: str, name: str, known: list[str]) -> None:
        self.kind = kind
        self.plugin_name = name
        choices = ", ".join(known) or "none registered"
        super().__init__(f"Unknown {kind} {name!r} (choose one of: {choices}).")


@dataclass(frozen=True)
class Choice:
    """A plugin the settings choose for one kind.

    ``setting`` is the variable an operator changes (``IKTIPET_SMS_CHANNEL``). ``slot`` tells
    apart two uses of one kind with their own options (citizen and staff login). ``in_use`` is
    False when the settings leave the slot empty (no staff issuer): the plugin can still be
    built, but its problems are not reported until someone configures it.
    """

    name: str
    setting: str = ""
    slot: str = ""
    in_use: bool = True


@dataclass(frozen=True)
class PluginStatus:
    """A configured plugin and what an operator must fix in it (empty: ready)."""

    kind: str
    plugin: str
    setting: str
    slot: str
    problems: list[str]

    @property
    def title(self) -> str:
        """``contact register (IKTIPET_CONTACT_REGISTER=krr)``; the slot where there is one."""
        if self.slot:
            return f"{self.kind} for {self.slot} ({self.plugin}, {self.setting})"
        return f"{self.kind} ({self.setting}={self.plugin})"


B = TypeVar("B", bound=Plugin)
C = TypeVar("C", bound=type[Plugin])

#: Every registry made, so that checks can find them (weak: a test's registry may go).
_REGISTRIES: weakref.WeakSet[Registry[Any]] = weakref.WeakSet()


class Registry(Generic[B]):
    """Named plugin classes of one kind, all subclasses of ``base``.

    ``setting`` names the Django setting whose value is the plugin (or a list of plugins)
    in use, e.g. ``"POPULATION_REGISTER"`` for ``IKTIPET_POPULATION_REGISTER``. A kind that
    is chosen otherwise passes ``choose``: settings in, :class:`Choice` list out. A kind
    with neither (step plugins) is not configured from settings and not checked here.
    """

    def __init__(
        self,
        kind: str,
        base: type[B],
        *,
        setting: str = "",
        choose: Callable[[Any], list[Choice]] | None = None,
    ) -> None:
        if setting and choose is not None:
            raise ValueError("Pass setting or choose, not both.")
        self.kind = kind
        self.base = base
        self.setting = setting
        self._choose = choose
        self._classes: dict[str, type[B]] = {}
        _REGISTRIES.add(self)

    def register(self, name: str) -> Callable[[C], C]:
        """Class decorator: ``@registry.register("local")``."""
        if not name or name != name.strip():
            raise ValueError(f"Invalid {self.kind} plugin name {name!r}.")

        def decorator(cls: C) -> C:
            plugin: type[Plugin] = cls
            if not issubclass(plugin, self.base):
                raise TypeError(f"{cls.__name__} is not a {self.base.__name__}.")
            existing = self._classes.get(name)
            if existing is not None and existing is not cls:
                raise ValueError(f"A {self.kind} plugin named {name!r} is already registered.")
            cls.name = name
            self._classes[name] = plugin
            return cls

        return decorator

    def unregister(self, name: str) -> None:
        """Forget ``name`` (a test that registered a plugin of its own cleans up with this)."""
        self._classes.pop(name, None)

    def names(self) -> list[str]:
        return sorted(self._classes)

    def __contains__(self, name: object) -> bool:
        return name in self._classes

    def get_class(self, name: str) -> type[B]:
        try:
            return self._classes[name]
        except KeyError:
            raise UnknownPlugin(self.kind, name, self.names()) from None

    def create(self, name: str, **options: Any) -> B:
        """An instance of the plugin ``name`` built with exactly these options."""
        cls = self.get_class(name)
        try:
            return cls(**options)
        except TypeError as exc:
            raise PluginError(f"Cannot create {self.kind} {name!r}: {exc}") from exc

    def check_config(self, name: str, **options: Any) -> list[str]:
        """Problems with plugin ``name`` under these options; never raises."""
        try:
            plugin = self.create(name, **options)
        except PluginError as exc:
            return [str(exc)]
        try:
            return list(plugin.check_config())
        except Exception as exc:  # a broken check must not hide the other registers
            return [f"{self.kind} {name!r}: check_config failed: {exc}"]

    # Settings meet plugins here, and only here.

    def chosen(self, conf: Any = settings) -> list[Choice]:
        """The plugins the settings choose, one per slot (none for an unconfigured kind)."""
        if self._choose is not None:
            return list(self._choose(conf))
        if not self.setting:
            return []
        value = getattr(conf, self.setting)
        names = [value] if isinstance(value, str) else list(value)
        return [Choice(str(name), f"IKTIPET_{self.setting}") for name in names]

    def options(self, name: str, conf: Any = settings, *, slot: str = "") -> dict[str, Any]:
        """The options plugin ``name`` takes from ``conf`` (for ``slot``, if the kind has slots)."""
        cls = self.get_class(name)
        if slot:
            return cls.options_from_settings(conf, slot)  # type: ignore[call-arg]
        return cls.options_from_settings(conf)

    def configured(self, conf: Any = settings, *, slot: str = "") -> B:
        """The plugin the settings choose (for ``slot``), built with the settings' options.

        Raises :class:`PluginError` for an unknown name or options the plugin refuses.
        """
        choices = [choice for choice in self.chosen(conf) if choice.slot == slot]
        if len(choices) != 1:
            raise PluginError(f"The settings choose {len(choices)} {self.kind} plugins, not one.")
        name = choices[0].name
        return self.create(name, **self.options(name, conf, slot=slot))

    def statuses(self, conf: Any = settings) -> list[PluginStatus]:
        """One entry per plugin in use, with its ``check_config``; never raises."""
        statuses = []
        for choice in self.chosen(conf):
            if choice.in_use:
                problems = self._problems(choice, conf)
                statuses.append(
                    PluginStatus(self.kind, choice.name, choice.setting, choice.slot, problems)
                )
        return statuses

    def problems(self, conf: Any = settings) -> list[str]:
        """What an operator must fix in this kind's plugins in use (empty: ready)."""
        return [problem for status in self.statuses(conf) for problem in status.problems]

    def _problems(self, choice: Choice, conf: Any) -> list[str]:
        try:
            options = self.options(choice.name, conf, slot=choice.slot)
        except PluginError as exc:
            return [str(exc)]
        except Exception as exc:  # a missing setting must not hide the other plugins
            return [f"{self.kind} {choice.name!r}: options_from_settings failed: {exc}"]
        return self.check_config(choice.name, **options)


def registries() -> list[Registry[Any]]:
    """Every registry whose module is imported, by kind."""
    return sorted(_REGISTRIES, key=lambda registry: registry.kind)


def plugin_statuses(
    conf: Any = settings, among: Iterable[Registry[Any]] | None = None
) -> list[PluginStatus]:
    """The plugins in use of every registry (or of ``among``) and their problems."""
    return [
        status
        for registry in (registries() if among is None else among)
        for status in registry.statuses(conf)
    ]
