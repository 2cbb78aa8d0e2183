"""The one Content-Security-Policy builder: the site policy, extended for one response."""

from __future__ import annotations

from types import SimpleNamespace

from iktipet.core.csp import SITE_POLICY, content_security_policy


def directives(policy: str) -> dict[str, list[str]]:
    return {name: sources for name, *sources in (part.split() for part in policy.split("; "))}


def conf(*extra: str) -> SimpleNamespace:
    return SimpleNamespace(CSP_FORM_ACTION_EXTRA=list(extra))


def test_the_site_policy_is_strict():
    parts = directives(content_security_policy(conf()))
    assert parts == {name: list(sources) for name, sources in SITE_POLICY.items()}
    assert parts["script-src"] == ["'self'"]
    assert parts["frame-ancestors"] == ["'none'"]


def test_form_action_gets_the_configured_origins_then_the_page_s_own():
    policy = content_security_policy(
        conf("https://pay.example"), form_action=["https://idp.example"]
    )
    assert "form-action 'self' https://pay.example https://idp.example" in policy
    assert directives(policy)["script-src"] == ["'self'"]


def test_a_source_replaces_none_and_a_new_directive_is_appended():
    parts = directives(
        content_security_policy(
            conf(), frame_ancestors=["https://idp.example"], frame_src=["'self'", "https://rp"]
        )
    )
    assert parts["frame-ancestors"] == ["https://idp.example"]
    assert parts["frame-src"] == ["'self'", "https://rp"]
    assert list(parts)[-1] == "frame-src"


def test_no_sources_leave_none():
    assert directives(content_security_policy(conf(), frame_ancestors=[""]))["frame-ancestors"] == [
        "'none'"
    ]
