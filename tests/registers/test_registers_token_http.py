"""The token + HTTP registers (KRR, Folkeregisteret, the matrikkel facade) share one base:
options from settings, a client built on first use with the token read per request, and the
same configuration check."""

from __future__ import annotations

import pytest

from iktipet.registers.contact import contact_registers
from iktipet.registers.population import population_registers
from iktipet.registers.property import property_registers

KINDS = [
    (contact_registers, "CONTACT_REGISTER", "krr", "KRR"),
    (population_registers, "POPULATION_REGISTER", "folkeregister", "FOLKEREGISTER"),
    (property_registers, "PROPERTY_REGISTER", "matrikkel", "MATRIKKEL"),
]


@pytest.mark.parametrize(("registry", "setting", "name", "prefix"), KINDS)
def test_options_come_from_the_settings(settings, tmp_path, registry, setting, name, prefix):
    token_file = tmp_path / "token"
    token_file.write_text("t0k3n\n")
    setattr(settings, setting, name)
    setattr(settings, f"{prefix}_URL", "https://register.example/api")
    setattr(settings, f"{prefix}_TOKEN_FILE", str(token_file))
    settings.REGISTER_TIMEOUT = 7
    register = registry.configured()
    assert (register.name, register.base_url, register.token_file) == (
        name,
        "https://register.example/api",
        str(token_file),
    )
    client = register.client
    assert client._http.timeout.read == 7
    assert client._auth() == {"Authorization": "Bearer t0k3n"}
    assert register.client is client
    assert registry.problems(settings) == []


@pytest.mark.parametrize(("registry", "setting", "name", "prefix"), KINDS)
def test_an_unreadable_token_file_is_a_problem_for_each(registry, setting, name, prefix):
    problems = registry.check_config(name, base_url="https://r.example", token_file="/nope")
    assert len(problems) == 1 and f"IKTIPET_{prefix}_TOKEN_FILE='/nope'" in problems[0]
