"""The one plugin pattern: core.registry."""

from __future__ import annotations

from abc import abstractmethod

import pytest

from iktipet.core.registry import Plugin, PluginError, Registry, UnknownPlugin


class BaseGreeter(Plugin):
    @abstractmethod
    def greet(self) -> str: ...


def make_registry() -> Registry[BaseGreeter]:
    registry: Registry[BaseGreeter] = Registry("greeter", BaseGreeter)

    @registry.register("plain")
    class Plain(BaseGreeter):
        def __init__(self, *, greeting: str = "Hei") -> None:
            self.greeting = greeting

        def greet(self) -> str:
            return self.greeting

        def check_config(self) -> list[str]:
            return [] if self.greeting else ["greeting is empty"]

    @registry.register("broken")
    class Broken(BaseGreeter):
        def greet(self) -> str:
            return ""

        def check_config(self) -> list[str]:
            raise RuntimeError("cannot look")

    return registry


def test_register_and_create_with_explicit_options():
    registry = make_registry()
    assert registry.names() == ["broken", "plain"]
    assert "plain" in registry and "other" not in registry
    assert registry.create("plain").greet() == "Hei"
    greeter = registry.create("plain", greeting="Hallo")
    assert greeter.greet() == "Hallo"
    assert greeter.name == "plain"
    # Each create is a fresh instance: no hidden singleton between callers.
    assert registry.create("plain") is not registry.create("plain")


def test_unknown_plugin():
    with pytest.raises(
        UnknownPlugin, match="Unknown greeter 'x' \\(choose one of: broken, plain\\)"
    ):
        make_registry().create("x")
    assert isinstance(UnknownPlugin("k", "n", []), LookupError)


def test_bad_options_are_a_plugin_error():
    with pytest.raises(PluginError, match="Cannot create greeter 'plain'"):
        make_registry().create("plain", colour="blue")


def test_check_config_never_raises():
    registry = make_registry()
    assert registry.check_config("plain") == []
    assert registry.check_config("plain", greeting="") == ["greeting is empty"]
    assert registry.check_config("plain", colour="blue")[0].startswith("Cannot create")
    assert registry.check_config("broken") == ["greeter 'broken': check_config failed: cannot look"]
    assert registry.check_config("missing")[0].startswith("Unknown greeter")


def test_register_rejects_wrong_base_and_duplicate_names():
    registry = make_registry()
    with pytest.raises(TypeError):

        @registry.register("wrong")
        class NotAGreeter(Plugin):  # type: ignore[type-var]
            pass

    with pytest.raises(ValueError, match="already registered"):

        @registry.register("plain")
        class Other(BaseGreeter):
            def greet(self) -> str:
                return ""

    with pytest.raises(ValueError):
        registry.register(" spaced ")


def test_abstract_plugin_cannot_be_created():
    registry: Registry[BaseGreeter] = Registry("greeter", BaseGreeter)

    @registry.register("incomplete")
    class Incomplete(BaseGreeter):
        pass

    with pytest.raises(PluginError):
        registry.create("incomplete")
