"""System checks: every shipped service names a workflow that exists (and one that makes
a decision, when its fee is claimed after the decision)."""

from __future__ import annotations

from typing import Any

from django.core import checks

from iktipet.cases.workflow import all_workflows
from iktipet.catalog import checks as catalog_checks


@checks.register(checks.Tags.models)
def workflows_load(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        all_workflows()
    except Exception as exc:  # a broken YAML file must be reported, not crash start-up
        return [checks.Error(f"A case workflow does not load: {exc}", id="cases.E001")]
    return []


def workflow_problems(definition: Any) -> list[tuple[str, str]]:
    """For ``iktipet services check``: a form service must name a workflow that exists."""
    if getattr(definition, "kind", "") != "form":
        return []
    known = all_workflows()
    if definition.workflow not in known:
        return [
            (
                "workflow",
                f"unknown workflow '{definition.workflow}' (known: {', '.join(sorted(known))})",
            )
        ]
    fee = definition.fee
    workflow = known[definition.workflow]
    decides = any(t.action == "decide" for t in workflow.transitions)
    if fee is not None and fee.when == "decision" and not decides:
        return [("fee.when", f"workflow '{workflow.id}' makes no decision to claim the fee on")]
    return []


if workflow_problems not in catalog_checks.extra_checks:
    catalog_checks.extra_checks.append(workflow_problems)
