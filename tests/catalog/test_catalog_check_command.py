"""`iktipet services check`: every problem is reported with file, path and reason."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from support.catalog import write_definition


def _check(*paths: Path) -> tuple[str, str, int]:
    out, err = StringIO(), StringIO()
    try:
        call_command("services", "check", *map(str, paths), stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc.returncode
    return out.getvalue(), err.getvalue(), 0


def _field(step: int, index: int) -> str:
    return f"steps[{step}].fields[{index}]"


def _lines_fee() -> dict:
    return {"description": {"nb": "Gebyr", "en": "Fee"}}


def _line(amount: str, en: str = "Fee") -> dict:
    return {"text": {"nb": "Gebyr", "en": en}, "amount": amount}


BROKEN = {
    "bad_cel": (
        lambda d: d["steps"][0]["fields"][1].update(visible_if="count >"),
        f"{_field(0, 1)}.visible_if",
        "CEL syntax error",
    ),
    "unknown_field_type": (
        lambda d: d["steps"][0]["fields"][0].update(type="slider"),
        _field(0, 0),
        "unknown field type 'slider'",
    ),
    "unknown_agency": (
        lambda d: d.update(agency="nosuch-etat"),
        "agency",
        "unknown agency 'nosuch-etat'",
    ),
    "duplicate_field_id": (
        lambda d: d["steps"][1]["fields"][0].update(id="count"),
        f"{_field(1, 0)}.id",
        "duplicate field or computed id 'count'",
    ),
    "rule_references_unknown_field": (
        lambda d: d["steps"][0]["validations"][0].update(check="count > 0 && antall < 10"),
        "steps[0].validations[0].check",
        "unknown name 'antall'",
    ),
    "visible_if_references_unknown_field": (
        lambda d: d["steps"][0]["fields"][1].update(visible_if="size(nosuch) > 2"),
        f"{_field(0, 1)}.visible_if",
        "unknown name 'nosuch'",
    ),
    "fee_references_unknown_param": (
        lambda d: d["fee"].update(expression="double(count) * params.rates"),
        "fee.expression",
        "unknown parameter 'params.rates'",
    ),
    "unknown_function": (
        lambda d: d["fee"].update(expression="max(double(count), 1.0)"),
        "fee.expression",
        "unknown function 'max'",
    ),
    "fee_line_references_unknown_field": (
        lambda d: d.update(fee={**_lines_fee(), "lines": [_line("double(antall) * 2.0")]}),
        "fee.lines[0].amount",
        "unknown name 'antall'",
    ),
    "fee_line_text_with_unknown_placeholder": (
        lambda d: d.update(fee={**_lines_fee(), "lines": [_line("2.0", en="Per {amount}")]}),
        "fee.lines[0].text.en",
        "unknown placeholder '{amount}'",
    ),
    "fee_with_expression_and_lines": (
        lambda d: d["fee"].update(lines=[_line("2.0")]),
        "fee",
        "give the fee as expression or as lines, not both",
    ),
    "fee_claimed_after_decision_without_amount": (
        lambda d: d.update(fee={**_lines_fee(), "when": "decision"}),
        "fee.when",
        "a fee claimed after the decision needs an expression or lines",
    ),
    "fee_paid_at_unknown_time": (
        lambda d: d["fee"].update(when="later"),
        "fee.when",
        "Input should be 'application' or 'decision'",
    ),
    "fee_offered_through_unknown_provider": (
        lambda d: d["fee"].update(providers=["paypal"]),
        "fee.providers[0]",
        "unknown payment provider 'paypal'",
    ),
    "fee_claimed_after_decision_on_a_workflow_without_one": (
        lambda d: (d.update(workflow="timebestilling"), d["fee"].update(when="decision")),
        "fee.when",
        "workflow 'timebestilling' makes no decision to claim the fee on",
    ),
    "validation_points_at_unknown_field": (
        lambda d: d["steps"][0]["validations"][0].update(fields=["ok"]),
        "steps[0].validations[0].fields[0]",
        "unknown field 'ok'",
    ),
    "unknown_key": (lambda d: d.update(colour="red"), "colour", "unknown key"),
    "missing_key": (lambda d: d.pop("workflow"), "workflow", "required key is missing"),
    "reserved_id": (
        lambda d: d["steps"][1]["fields"][0].update(id="today"),
        f"{_field(1, 0)}.id",
        "'today' is reserved for rules",
    ),
    "unknown_placeholder": (
        lambda d: d["steps"][0]["validations"][0]["message"].update(en="Wrong {amount}"),
        "steps[0].validations[0].message.en",
        "unknown placeholder '{amount}'",
    ),
    "missing_translation": (
        lambda d: d["title"].pop("en"),
        "title.en",
        "required key is missing",
    ),
}


@pytest.mark.django_db
@pytest.mark.usefixtures("agencies")
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_check_reports_file_path_and_reason(tmp_path, minimal, case):
    mutate, path, reason = BROKEN[case]
    mutate(minimal)
    good = write_definition(tmp_path, minimal, "testtjeneste")
    _out, err, code = _check(tmp_path)
    assert code == 1
    assert f"{good}: {path}: {reason}" in err, err


@pytest.mark.django_db
@pytest.mark.usefixtures("agencies")
def test_check_passes_the_shipped_services(seed_dir):
    out, err, code = _check(seed_dir)
    assert code == 0, err
    assert out.count("ok ") == len(list(seed_dir.glob("*.yaml")))


@pytest.mark.django_db
@pytest.mark.usefixtures("agencies")
def test_check_reports_every_broken_file_and_passes_the_good(tmp_path, minimal):
    write_definition(tmp_path, minimal, "testtjeneste")
    broken = write_definition(tmp_path, {**minimal, "id": "annen"}, "feil-navn")
    (tmp_path / "syntax.yaml").write_text("id: [unclosed\n")
    out, err, code = _check(tmp_path)
    assert code == 1
    assert "ok   " in out and "testtjeneste.yaml" in out
    assert f"{broken}: id: id 'annen' must equal the file name ('feil-navn')" in err
    assert "syntax.yaml: not valid YAML" in err and "line 2" in err


@pytest.mark.django_db
def test_check_without_agencies_warns_and_still_checks_the_rest(tmp_path, minimal):
    minimal["agency"] = "nosuch-etat"
    write_definition(tmp_path, minimal, "testtjeneste")
    out, err, code = _check(tmp_path)
    assert code == 0 and "ok   " in out
    assert "agency slugs were not checked" in err


def test_check_exits_non_zero_from_the_command_line(tmp_path, minimal):
    """The real `iktipet services check` process, as CI runs it (no database set up)."""
    minimal["steps"][0]["fields"][0]["type"] = "slider"
    path = write_definition(tmp_path / "services", minimal, "testtjeneste")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IKTIPET_", "DJANGO_"))}
    env["IKTIPET_VAR_DIR"] = str(tmp_path / "var")
    result = subprocess.run(
        [sys.executable, "-m", "iktipet", "services", "check", str(path.parent)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert f"{path}: steps[0].fields[0]: unknown field type 'slider'" in result.stderr
