"""Settings meet plugins in core.registry: which plugin the settings choose, its options, its
problems, and every registry found by the system check."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from iktipet.core.checks import check_plugins
from iktipet.core.registry import (
    Choice,
    Plugin,
    PluginError,
    Registry,
    plugin_statuses,
    registries,
)


class BaseGreeter(Plugin):
    pass


def make_registry(**how) -> Registry[BaseGreeter]:
    registry: Registry[BaseGreeter] = Registry("greeter", BaseGreeter, **how)

    @registry.register("plain")
    class Plain(BaseGreeter):
        def __init__(self, *, greeting: str) -> None:
            self.greeting = greeting

        @classmethod
        def options_from_settings(cls, conf, slot=""):
            return {"greeting": getattr(conf, f"{slot.upper()}GREETING")}

        def check_config(self) -> list[str]:
            return [] if self.greeting else ["GREETING is empty."]

    @registry.register("needs-setting")
    class NeedsSetting(BaseGreeter):
        @classmethod
        def options_from_settings(cls, conf):
            return {"x": conf.NOT_A_SETTING}

    return registry


def test_the_setting_chooses_the_plugin_and_its_options_come_from_settings():
    registry = make_registry(setting="GREETER")
    conf = SimpleNamespace(GREETER="plain", GREETING="Hei")
    assert registry.chosen(conf) == [Choice("plain", "IKTIPET_GREETER")]
    assert registry.configured(conf).greeting == "Hei"
    assert registry.problems(conf) == []
    conf.GREETING = ""
    assert registry.problems(conf) == ["GREETING is empty."]


def test_unknown_names_and_broken_options_are_problems_not_crashes():
    registry = make_registry(setting="GREETER")
    assert registry.problems(SimpleNamespace(GREETER="loud")) == [
        "Unknown greeter 'loud' (choose one of: needs-setting, plain)."
    ]
    with pytest.raises(PluginError):
        registry.configured(SimpleNamespace(GREETER="loud"))
    [problem] = registry.problems(SimpleNamespace(GREETER="needs-setting"))
    assert "options_from_settings failed" in problem and "NOT_A_SETTING" in problem


def test_a_setting_may_choose_several_plugins():
    registry = make_registry(setting="GREETERS")
    conf = SimpleNamespace(GREETERS=["plain", "loud"], GREETING="Hei")
    statuses = registry.statuses(conf)
    assert [(s.plugin, s.problems != []) for s in statuses] == [("plain", False), ("loud", True)]


def test_slots_have_their_own_options_and_an_empty_slot_is_not_checked():
    def choose(conf):
        return [
            Choice("plain", "IKTIPET_GREETING", "citizen", in_use=bool(conf.CITIZENGREETING)),
            Choice("plain", "IKTIPET_STAFF_GREETING", "staff", in_use=bool(conf.STAFFGREETING)),
        ]

    registry = make_registry(choose=choose)
    conf = SimpleNamespace(CITIZENGREETING="Hei", STAFFGREETING="")
    assert registry.configured(conf, slot="citizen").greeting == "Hei"
    assert registry.configured(conf, slot="staff").greeting == ""
    [status] = registry.statuses(conf)
    assert (status.slot, status.problems) == ("citizen", [])
    assert status.title == "greeter for citizen (plain, IKTIPET_GREETING)"


def test_a_registry_without_a_setting_is_not_configured_from_settings():
    registry = make_registry()
    assert registry.chosen(SimpleNamespace()) == []
    assert registry.statuses(SimpleNamespace()) == []


def test_every_registry_is_found_and_a_test_registry_goes_away():
    kinds = {registry.kind for registry in registries()}
    assert {
        "population register",
        "contact register",
        "email channel",
        "SMS channel",
        "identity provider",
        "case destination",
    } <= kinds
    registry = make_registry(setting="GREETER")
    assert registry in registries()
    del registry
    import gc

    gc.collect()
    assert "greeter" not in {registry.kind for registry in registries()}


def test_plugin_statuses_can_be_limited_to_some_registries():
    registry = make_registry(setting="GREETER")
    conf = SimpleNamespace(GREETER="plain", GREETING="")
    [status] = plugin_statuses(conf, among=[registry])
    assert status.title == "greeter (IKTIPET_GREETER=plain)"
    assert plugin_statuses(conf, among=[]) == []


def test_the_system_check_warns_for_each_problem_of_each_configured_plugin(settings):
    settings.POPULATION_REGISTER = "nope"
    settings.CASE_DESTINATION = "fiks"
    settings.STAFF_OIDC_ISSUER = "http://idp.example"
    messages = {(m.obj, m.msg) for m in check_plugins()}
    assert {m.id for m in check_plugins()} == {"core.W001"}
    assert (
        "population register (IKTIPET_POPULATION_REGISTER=nope)",
        "Unknown population register 'nope' (choose one of: folkeregister, local).",
    ) in messages
    # Other tests register destinations of their own: the list of choices may be longer.
    assert any(
        obj == "case destination (IKTIPET_CASE_DESTINATION=fiks)"
        and msg.startswith("Unknown case destination 'fiks' (choose one of: ")
        and "internal" in msg
        for obj, msg in messages
    )
    assert (
        "identity provider for staff (oidc, IKTIPET_STAFF_OIDC_ISSUER)",
        "IKTIPET_STAFF_OIDC_ISSUER must use https outside a local test setup.",
    ) in messages
