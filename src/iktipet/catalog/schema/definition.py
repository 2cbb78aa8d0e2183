"""A whole service definition: a form service with steps, or a link to another authority."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal, Union

from pydantic import (
    Discriminator,
    Field,
    HttpUrl,
    JsonValue,
    StringConstraints,
    Tag,
    TypeAdapter,
    field_validator,
    model_validator,
)

from iktipet.catalog import titles
from iktipet.catalog.schema.common import (
    Expression,
    Identifier,
    Model,
    ServiceId,
    Slug,
    Text,
)
from iktipet.catalog.schema.fields import AnyField, FieldBase, GroupField, InfoField

RoleCode = Annotated[str, Field(pattern=r"^[A-Z]{4}$")]
"""An Enhetsregisteret role code (DAGL daglig leder, LEDE styreleder, …)."""


class Validation(Model):
    """A cross-field rule: ``check`` must be true, else ``message`` is shown.

    ``fields`` says where the message belongs (the first gets the link from the error
    summary); ``warning`` severity informs without blocking.
    """

    id: Identifier
    check: Expression
    message: Text
    fields: list[Identifier] = Field(default_factory=list)
    severity: Literal["error", "warning"] = "error"


class StopRule(Model):
    """Ends the application at this step with an answer instead of going on (e.g. "no
    application needed"). Checked when the step is completed."""

    id: Identifier
    when: Expression
    title: Text
    message: Text


class Computed(Model):
    """A named value derived from answers, usable in later expressions and in texts."""

    id: Identifier
    expression: Expression


class _StepBase(Model):
    id: Identifier
    title: Text
    intro: Text | None = None
    visible_if: Expression | None = None


class FormStep(_StepBase):
    kind: Literal["form"] = "form"
    fields: list[AnyField] = Field(min_length=1)
    validations: list[Validation] = Field(default_factory=list)
    stop_if: list[StopRule] = Field(default_factory=list)


class BookingConfig(Model):
    """What the booking plugin needs: which bookable resource, and how long a hold lasts."""

    resource: Slug
    hold_minutes: int = Field(default=15, ge=1, le=120)


class BookingStep(_StepBase):
    """A step rendered by the plugin registered for kind ``booking`` (see catalog.plugins)."""

    kind: Literal["booking"]
    booking: BookingConfig


Step = Annotated[
    Union[Annotated[FormStep, Tag("form")], Annotated[BookingStep, Tag("booking")]],  # noqa: UP007
    Discriminator(lambda v: v.get("kind", "form") if isinstance(v, dict) else v.kind),
]


class FeeLine(Model):
    """One line of a fee's breakdown: ``text`` (may use ``{computed}`` placeholders) and
    ``amount``, an expression giving kroner. A line that comes to 0 kr is left out."""

    text: Text
    amount: Expression


class Fee(Model):
    """What the service costs and when it is paid.

    ``expression`` gives the fee in kroner (int or double; rounded to øre), or ``lines``
    give it as a breakdown (the fee is their sum; each line is rounded to øre). Without
    either the service is free and ``description`` explains any other costs.

    ``when``: ``application`` — paid before the application is submitted (the summary's
    "Betal og send inn"); ``decision`` — claimed after the application is granted, due
    ``due_days`` after the decision. Before ``when`` existed a fee was only shown and
    recorded: a definition that leaves it out is paid with the application.
    """

    expression: Expression | None = None
    lines: list[FeeLine] = Field(default_factory=list, max_length=20)
    when: Literal["application", "decision"] = "application"
    due_days: int = Field(default=30, ge=1, le=365)
    #: The payment providers offered for this fee (names of registered providers, e.g.
    #: ``[vipps, nets]``); empty: every provider the platform offers.
    providers: list[Slug] = Field(default_factory=list, max_length=10)
    description: Text

    @model_validator(mode="after")
    def _one_rule(self) -> Fee:
        if self.expression is not None and self.lines:
            raise ValueError("give the fee as expression or as lines, not both")
        return self

    @property
    def charged(self) -> bool:
        """Whether a fee is computed at all (a free service only describes other costs)."""
        return self.expression is not None or bool(self.lines)


class OneOpenPer(Model):
    """The field whose answer may have one open application per person, and the warning."""

    field: Identifier
    warning: Text


class _ServiceBase(Model):
    schema_version: Literal[1] = 1
    id: ServiceId
    title: Text
    summary: Text
    description: Text | None = None
    keywords: list[str] = Field(default_factory=list)


class FormService(_ServiceBase):
    """A service the citizen or business applies for through the portal."""

    kind: Literal["form"]
    agency: Slug
    audience: Literal["person", "organisation", "any"]
    login_level: Literal["substantial", "high"]
    representation_roles: list[RoleCode] = Field(default_factory=list)
    params: dict[Identifier, JsonValue] = Field(default_factory=dict)
    computed: list[Computed] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)
    fee: Fee | None = None
    workflow: Slug
    processing_time: Text
    receipt: Text
    #: The case's title on Min side and in the inbox, from the answers (``{venue_name}``;
    #: see ``catalog.titles``); without it, the service's title.
    case_title: Text | None = None
    #: One open application per answer to this field (barnehageplass: per child): another
    #: draft or an open case with the same answer is pointed out, not blocked.
    one_open_per: OneOpenPer | None = None

    @model_validator(mode="after")
    def _one_open_per_names_a_field(self) -> FormService:
        if self.one_open_per is not None:
            ids = [field.id for _step, field in self.iter_fields()]
            if self.one_open_per.field not in ids:
                raise ValueError(f"one_open_per.field: no field {self.one_open_per.field!r}")
        return self

    @model_validator(mode="after")
    def _case_title_names_fields(self) -> FormService:
        if self.case_title is not None:
            ids = [field.id for _step, field in self.iter_fields()]
            for language in ("nb", "en"):
                for problem in titles.problems(getattr(self.case_title, language), ids):
                    raise ValueError(f"case_title.{language}: {problem}")
        return self

    @model_validator(mode="after")
    def _roles_match_audience(self) -> FormService:
        if self.audience == "organisation" and not self.representation_roles:
            raise ValueError("an organisation service needs representation_roles (e.g. [DAGL])")
        if self.audience == "person" and self.representation_roles:
            raise ValueError("a person service cannot have representation_roles")
        return self

    def iter_fields(self) -> Iterator[tuple[FormStep, FieldBase | InfoField]]:
        """Every top-level field with its step (group items not included)."""
        for step in self.steps:
            if isinstance(step, FormStep):
                for field in step.fields:
                    yield step, field

    def field(self, field_id: str) -> FieldBase | InfoField | None:
        for _step, field in self.iter_fields():
            if field.id == field_id:
                return field
        return None

    def step(self, step_id: str) -> FormStep | BookingStep | None:
        return next((s for s in self.steps if s.id == step_id), None)

    @property
    def step_kinds(self) -> set[str]:
        return {step.kind for step in self.steps}

    def attachments(self) -> list[FieldBase]:
        """File fields, in order (group items included): what the service page lists."""
        found: list[FieldBase] = []
        for _step, field in self.iter_fields():
            if isinstance(field, GroupField):
                found.extend(f for f in field.fields if getattr(f, "type", "") == "file")  # type: ignore[misc]
            elif field.type == "file":
                found.append(field)  # type: ignore[arg-type]
        return found


#: A page of this portal (``/timebestilling/…/``) that a catalogue entry leads to.
PortalPath = Annotated[str, StringConstraints(pattern=r"^/[a-z0-9][a-z0-9/_.-]*/$", max_length=200)]


class LinkService(_ServiceBase):
    """A catalogue entry for a service with a page of its own, not a form: another
    authority's service (an https address), or a page of this portal such as a booking of
    an exam seat or of premises (a path), so that it is found where every service is."""

    kind: Literal["link"]
    url: HttpUrl | PortalPath
    provider: Text
    agency: Slug | None = None
    audience: Literal["person", "organisation", "any"] = "any"

    @field_validator("url")
    @classmethod
    def _https(cls, url: HttpUrl | str) -> HttpUrl | str:
        if not isinstance(url, str) and url.scheme != "https":
            raise ValueError("a link must use https")
        return url

    @property
    def external(self) -> bool:
        """Another authority's site (the person leaves the portal), not a page of ours."""
        return not isinstance(self.url, str)


ServiceDefinition = Annotated[FormService | LinkService, Field(discriminator="kind")]


_ADAPTER: TypeAdapter[FormService | LinkService] = TypeAdapter(ServiceDefinition)


def parse_definition(data: Any) -> FormService | LinkService:
    """Validate raw data (as loaded from YAML or stored JSON) into a definition model.

    Raises ``pydantic.ValidationError``; :mod:`iktipet.catalog.loader` turns it into
    file + path + reason.
    """
    return _ADAPTER.validate_python(data)
