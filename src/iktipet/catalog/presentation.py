"""How a definition is described to citizens: who can apply, login, fee, time."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iktipet.catalog import plugins
from iktipet.catalog.schema import Definition, FormService, LinkService

ROLE_NAMES = {
    "DAGL": gettext_lazy("daglig leder"),
    "LEDE": gettext_lazy("styreleder"),
    "NEST": gettext_lazy("nestleder"),
    "MEDL": gettext_lazy("styremedlem"),
    "INNH": gettext_lazy("innehaver"),
    "KOMP": gettext_lazy("komplementar"),
    "DTPR": gettext_lazy("deltaker med delt ansvar"),
    "DTSO": gettext_lazy("deltaker med fullt ansvar"),
    "BEST": gettext_lazy("bestyrende reder"),
    "REPR": gettext_lazy("norsk representant for utenlandsk foretak"),
    "KONT": gettext_lazy("kontaktperson"),
}
UNAVAILABLE = {
    "booking": gettext_lazy("Timebestilling er ikke tilgjengelig ennå"),
}


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


def role_list(codes: list[str]) -> str:
    names = [str(ROLE_NAMES.get(code, code)) for code in codes]
    if len(names) < 2:
        return "".join(names)
    # Translators: joins the last two role names, e.g. "daglig leder eller styreleder".
    return _("%(first)s eller %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def audience_text(definition: Definition) -> str:
    if isinstance(definition, FormService) and definition.audience == "organisation":
        return _("Virksomheter (sendes av %(roles)s)") % {
            "roles": role_list(definition.representation_roles)
        }
    if definition.audience == "person":
        return _("Privatpersoner")
    if definition.audience == "organisation":
        return _("Virksomheter")
    return _("Privatpersoner og virksomheter")


def login_text(level: str) -> str:
    if level == "high":
        return _("ID-porten, høyt nivå (f.eks. BankID)")
    return _("ID-porten, betydelig nivå (f.eks. MinID)")


def fee_text(definition: FormService) -> str:
    return str(definition.fee.description) if definition.fee else _("Gratis")


def facts(definition: Definition) -> list[Fact]:
    """What the catalogue says about every service, in the current language."""
    if isinstance(definition, LinkService):
        return [
            Fact(_("Hvem"), audience_text(definition)),
            Fact(_("Tilbys av"), str(definition.provider)),
        ]
    return [
        Fact(_("Hvem kan søke"), audience_text(definition)),
        Fact(_("Innlogging"), login_text(definition.login_level)),
        Fact(_("Gebyr"), fee_text(definition)),
        Fact(_("Saksbehandlingstid"), str(definition.processing_time)),
    ]


def unavailable_reasons(definition: Definition) -> list[str]:
    """Why the service cannot be used yet (a step kind whose plugin is not installed)."""
    if not isinstance(definition, FormService):
        return []
    return [
        str(UNAVAILABLE.get(kind, _("Tjenesten er ikke tilgjengelig ennå")))
        for kind in sorted(definition.step_kinds)
        if not plugins.is_available(kind)
    ]


def paragraphs(text: object) -> list[str]:
    return [part.strip() for part in str(text or "").split("\n\n") if part.strip()]
