"""``{% extends %}``: Django's, with the root template's blocks found once per compiled template.

Django's ``ExtendsNode.render`` walks the whole root template (``base.html``: every node,
recursively) on each render to collect its ``{% block %}`` nodes: 15 ``get_nodes_by_type``
calls per logged-in page, ~5 % of an empty page of ``base.html`` (cProfile through the WSGI
handler). A compiled template does not change, and the cached loader hands out the same one
to every request, so its blocks are kept with it (weakly: a template that is dropped, as
without the cached loader, takes its entry along). Everything else is Django's: the parent
found through the engine with the same history (nested ``{% extends %}``, a template
extending one of the same name), ``{{ block.super }}``, and a parent given as a ``Template``.

Registered as a builtin (``TEMPLATES["OPTIONS"]["builtins"]``), after Django's own, so every
template's ``{% extends %}`` is this one.
"""

from __future__ import annotations

import weakref
from typing import Any

from django import template
from django.template.base import Parser, Template, TextNode, Token
from django.template.context import Context
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockContext, BlockNode
from django.template.loader_tags import ExtendsNode as DjangoExtendsNode
from django.template.loader_tags import do_extends as django_do_extends
from django.utils.safestring import SafeString

register = template.Library()

#: A root template's block nodes by name; None for a template that itself extends another.
_root_blocks: weakref.WeakKeyDictionary[Template, dict[str, BlockNode] | None] = (
    weakref.WeakKeyDictionary()
)


def root_blocks(parent: Template) -> dict[str, BlockNode] | None:
    """What Django's ``ExtendsNode.render`` adds for ``parent`` (the same dict each time:
    ``BlockContext.add_blocks`` only reads it)."""
    try:
        return _root_blocks[parent]
    except KeyError:
        pass
    found: dict[str, BlockNode] | None = None
    for node in parent.nodelist:
        # The ExtendsNode has to be the first non-text node.
        if not isinstance(node, TextNode):
            if not isinstance(node, DjangoExtendsNode):
                blocks: list[Any] = parent.nodelist.get_nodes_by_type(BlockNode)
                found = {n.name: n for n in blocks}
            break
    _root_blocks[parent] = found
    return found


class ExtendsNode(DjangoExtendsNode):
    def render(self, context: Context) -> SafeString:
        compiled_parent: Any = self.get_parent(context)
        if BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
        block_context = context.render_context[BLOCK_CONTEXT_KEY]
        block_context.add_blocks(self.blocks)
        blocks = root_blocks(compiled_parent)
        if blocks is not None:
            block_context.add_blocks(blocks)
        # Template._render, as Django's: the parser context stays the same.
        with context.render_context.push_state(compiled_parent, isolated_context=False):
            rendered: SafeString = compiled_parent._render(context)
            return rendered


@register.tag("extends")
def do_extends(parser: Parser, token: Token) -> ExtendsNode:
    """Django's tag (its checks and messages), building this node."""
    node: Any = django_do_extends(parser, token)
    return ExtendsNode(node.nodelist, node.parent_name, node.template_dirs)
