"""`{% shared_fragment "family" key %}…{% endshared_fragment %}`: a part of a page that every viewer
sees the same, kept in the shared cache (core/fragments.py) under the family's token and the key
(and the active language). What the part shows must come from lazy reads (a selector called from
the template, a cached property), so that a hit makes no query; the family's models are watched
by the app that owns the page (`fragments.watch` in its `AppConfig.ready()`)."""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression
from django.utils.safestring import SafeString, mark_safe

from wijkwerk.core import fragments

register = template.Library()


class SharedFragmentNode(template.Node):
    def __init__(
        self, nodelist: template.NodeList, family: FilterExpression, key: FilterExpression
    ) -> None:
        self.nodelist = nodelist
        self.family = family
        self.key = key

    def render(self, context: template.Context) -> SafeString:
        family = str(self.family.resolve(context))
        key = str(self.key.resolve(context))
        parts = fragments.cached(family, key, lambda: {"html": self.nodelist.render(context)})
        return mark_safe(parts["html"])  # noqa: S308 - a rendered template, autoescaped


@register.tag("shared_fragment")
def shared_fragment(parser: template.base.Parser, token: template.base.Token) -> SharedFragmentNode:
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes a family and a key: {{% {bits[0]} 'family' key %}}"
        )
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(
        nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2])
    )
