"""Step plugins: steps that are not plain forms (``kind: booking``) are rendered by a plugin
another app registers. The catalogue uses the registry to say honestly when a service
cannot be used yet because a plugin is missing.

The booking app registers itself like this::

    from iktipet.catalog.plugins import BaseStepPlugin, register

    @register("booking")
    class BookingStepPlugin(BaseStepPlugin):
        def check_step(self, step):  # e.g. the resource exists
            return [] if Resource.objects.filter(slug=step.booking.resource).exists() \
                else [f"unknown booking resource '{step.booking.resource}'"]

The form engine (applications) drives such a step through the methods below and never
imports the plugin's app: it renders ``template_name`` inside its step page with
``page_context``, stores what ``save`` returns as the step's answer, asks ``problem`` before
the summary and the submit, shows ``summary_rows``, and calls ``on_submit`` inside the
submit transaction (a :class:`StepRefused` there undoes the submit and sends the person
back to the step, their answers kept) and ``on_discard`` inside the one that deletes the
draft.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from iktipet.core.registry import Plugin, Registry


def answer_key(step: Any) -> str:
    """Where a plugin step's answer is kept in the draft's answers (never a field id: those
    are identifiers, and a colon is not allowed in one)."""
    return f"step:{step.id}"


class StepRefused(Exception):
    """The step's answer cannot be used now (a hold that lapsed): ``message`` tells why."""

    def __init__(self, message: str, code: str = "") -> None:
        self.message = message
        self.code = code
        super().__init__(message)


@dataclass
class StepSaved:
    """What a POST of a plugin step came to: the answer to keep (None: keep the old one),
    errors by input name, a status for the page shown again, and extra page context."""

    answer: Any = None
    errors: dict[str, str] = field(default_factory=dict)
    status: int = 200
    context: dict[str, Any] = field(default_factory=dict)


class BaseStepPlugin(Plugin):
    """A step kind other than ``form``. Built without options (``step_plugins.create``)."""

    #: The fragment the engine includes inside its step page's form.
    template_name = ""

    def check_step(self, step: Any) -> list[str]:
        """Problems with this step's configuration (shown by `iktipet services check`)."""
        return []

    def page_context(
        self, step: Any, answer: Any, *, user: Any, page: str | None, typed: Mapping[str, str]
    ) -> dict[str, Any]:
        """The fragment's context (``page``: which page of choices, from the query)."""
        return {}

    def save(
        self, step: Any, answer: Any, *, user: Any, data: Mapping[str, str], answers: Mapping
    ) -> StepSaved:
        return StepSaved(answer=answer)

    def problem(self, step: Any, answer: Any, *, user: Any) -> str:
        """Why the step is not complete ("" when it is)."""
        return ""

    def summary_rows(self, step: Any, answer: Any, *, user: Any) -> list[dict[str, str]]:
        """``label``/``value`` rows for the summary and the receipt."""
        return []

    def on_submit(
        self, step: Any, answer: Any, *, application_id: Any, user: Any, party: Any
    ) -> dict[str, Any]:
        """Inside the submit transaction: make the answer final, or raise StepRefused.
        Returns what the receipt shows: ``rows`` (label/value) and ``links`` (text/url)."""
        return {}

    def on_discard(self, step: Any, answer: Any, *, user: Any) -> None:
        """Inside the transaction that deletes the draft: let go of what the answer holds
        (a held slot), so that nobody waits for it to lapse."""


step_plugins: Registry[BaseStepPlugin] = Registry("step plugin", BaseStepPlugin)


def register(kind: str) -> Callable[[type[BaseStepPlugin]], type[BaseStepPlugin]]:
    return step_plugins.register(kind)


def unregister(kind: str) -> None:
    step_plugins.unregister(kind)


def plugin_for(kind: str) -> BaseStepPlugin | None:
    return step_plugins.create(kind) if kind in step_plugins else None


def is_available(kind: str) -> bool:
    """Plain form steps are always available; other kinds need their plugin."""
    return kind == "form" or kind in step_plugins


def check_step(step: Any) -> list[str]:
    plugin = plugin_for(step.kind)
    return plugin.check_step(step) if plugin else []
