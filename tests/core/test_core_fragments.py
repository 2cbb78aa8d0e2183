"""``{% samefor %}``: rendered once per language and named values, and nothing else gets in."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings
from django.utils import translation

LOAD = "{% load i18n fragments %}"


def render(source: str, **context: object) -> str:
    return Template(LOAD + source).render(Context(context))


def test_a_fragment_sees_only_the_values_it_is_keyed_on():
    template = Template(LOAD + "{% samefor name=place %}{{ name }}|{{ person }}{% endsamefor %}")
    assert template.render(Context({"place": "Oslo", "person": "Kari"})) == "Oslo|"
    # A second person, the same place: the same fragment, and still no one's name in it.
    assert template.render(Context({"place": "Oslo", "person": "Ola"})) == "Oslo|"
    assert template.render(Context({"place": "Bergen", "person": "Ola"})) == "Bergen|"


def test_a_fragment_is_rendered_once_per_language():
    template = Template(LOAD + '{% samefor %}{% translate "Tjenester" %}{% endsamefor %}')
    with translation.override("nb"):
        assert template.render(Context()) == "Tjenester"
    with translation.override("en"):
        assert template.render(Context()) == "Services"
    with translation.override("nb"):
        assert template.render(Context()) == "Tjenester"


def test_a_fragment_is_kept_until_a_setting_changes():
    template = Template(LOAD + "{% samefor n=counter.next %}{{ n }}{% endsamefor %}")
    calls = iter(range(10))

    class Counter:
        def next(self) -> int:
            return next(calls)

    assert template.render(Context({"counter": Counter()})) == "0"
    assert template.render(Context({"counter": Counter()})) == "1"
    static = Template(
        "{% load fragments static %}{% samefor %}{% static 'a.css' %}{% endsamefor %}"
    )
    before = static.render(Context())
    with override_settings(STATIC_URL="/other-static/"):
        # A changed setting empties the fragments, as a deployed process would restart.
        assert static.render(Context()) == "/other-static/a.css"
    assert static.render(Context()) == before


@pytest.mark.django_db
def test_the_page_header_and_footer_in_english(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in page
    assert 'href="/tjenester/">Services</a>' in page
    assert 'name="language" value="nb" lang="nb">Norsk (bokmål)</button>' in page
    assert ">Log in</a>" in page
    assert 'href="/personvern/">' in page
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert 'href="/tjenester/">Tjenester</a>' in page
    assert 'lang="en">English</button>' in page


@pytest.mark.parametrize("source", ["{% samefor place %}{% endsamefor %}", "{% samefor %}"])
def test_bad_syntax_is_refused(source):
    with pytest.raises(TemplateSyntaxError):
        render(source)
