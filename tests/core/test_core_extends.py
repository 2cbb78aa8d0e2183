"""``{% extends %}`` (core.templatetags.extends): the root template's blocks found once per
compiled template, and every page renders as with Django's own tag."""

from __future__ import annotations

import pytest
from django.template import Context, Engine
from django.template import engines as django_engines
from django.template.loader_tags import ExtendsNode as DjangoExtendsNode

from iktipet.core.templatetags import extends

TEMPLATES = {
    "root.html": "<{% block a %}root-a{% endblock %}|{% block b %}root-b{% endblock %}>",
    "middle.html": ("{% extends 'root.html' %}{% block a %}mid-a({{ block.super }}){% endblock %}"),
    "leaf.html": (
        "{% extends 'middle.html' %}{% block a %}leaf-a[{{ block.super }}]{% endblock %}"
        "{% block b %}leaf-b {% include 'part.html' %}{% endblock %}"
    ),
    "part.html": "{% extends 'root.html' %}{% block b %}part-b {{ who }}{% endblock %}",
    "direct.html": "{% extends 'root.html' %}{% block b %}{{ block.super }}+d{% endblock %}",
}


def engine(ours: bool) -> Engine:
    loaders = [("django.template.loaders.locmem.Loader", TEMPLATES)]
    return Engine(
        loaders=[("django.template.loaders.cached.Loader", loaders)],
        builtins=["iktipet.core.templatetags.extends"] if ours else [],
    )


@pytest.mark.parametrize("name", ["leaf.html", "middle.html", "direct.html", "part.html"])
def test_pages_render_as_with_djangos_tag(name: str) -> None:
    ours, theirs = engine(True), engine(False)
    for _ in range(3):  # the blocks kept from the first render serve the next ones
        context = {"who": "<Kari & Ola>"}
        assert ours.get_template(name).render(Context(context)) == theirs.get_template(name).render(
            Context(context)
        )
    assert ours.get_template("leaf.html").render(Context({"who": "x"})) == (
        "<leaf-a[mid-a(root-a)]|leaf-b <root-a|part-b x>>"
    )


def test_a_parent_given_as_a_template() -> None:
    ours = engine(True)
    child = ours.from_string("{% extends parent %}{% block a %}own{% endblock %}")
    parent = ours.get_template("root.html")
    assert child.render(Context({"parent": parent})) == "<own|root-b>"
    assert child.render(Context({"parent": parent})) == "<own|root-b>"


def test_the_root_blocks_are_found_once_per_compiled_template() -> None:
    ours = engine(True)
    root = ours.get_template("root.html")
    ours.get_template("middle.html").render(Context())
    found = extends.root_blocks(root)
    assert found is not None and set(found) == {"a", "b"}
    assert extends.root_blocks(root) is found
    assert extends.root_blocks(ours.get_template("middle.html")) is None  # extends another


def test_the_projects_engine_uses_it() -> None:
    template = django_engines["django"].from_string("{% extends 'base.html' %}")
    node = template.template.nodelist[0]
    assert isinstance(node, extends.ExtendsNode) and isinstance(node, DjangoExtendsNode)
