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
problems an operator must fix (shown by ``iktipet registers check`` and similar commands).
"""

from __future__ import annotations

from abc import ABC
from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

__all__ = ["Plugin", "PluginError", "Registry", "UnknownPlugin"]


class Plugin(ABC):  # noqa: B024 - abstract methods are declared per kind
    """What every plugin offers. Each kind narrows this with its own ``Base…`` class."""

    #: The name it was registered under (set by :meth:`Registry.register`).
    name: ClassVar[str] = ""
    #: A short human-readable description for operators.
    label: ClassVar[str] = ""

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


B = TypeVar("B", bound=Plugin)
C = TypeVar("C", bound=type[Plugin])


class Registry(Generic[B]):
    """Named plugin classes of one kind, all subclasses of ``base``."""

    def __init__(self, kind: str, base: type[B]) -> None:
        self.kind = kind
        self.base = base
        self._classes: dict[str, type[B]] = {}

    def register(self, name: str) -> Callable[[C], C]:
        """Class decorator: ``@registry.register("local")``."""
        if not name or name != name.strip():
            raise ValueError(f"Invalid {self.kind} plugin name {name!r}.")

        def decorator(cls: C) -> C:
            if not issubclass(cls, self.base):
                raise TypeError(f"{cls.__name__} is not a {self.base.__name__}.")
            existing = self._classes.get(name)
            if existing is not None and existing is not cls:
                raise ValueError(f"A {self.kind} plugin named {name!r} is already registered.")
            cls.name = name
            self._classes[name] = cls  # type: ignore[assignment]
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
