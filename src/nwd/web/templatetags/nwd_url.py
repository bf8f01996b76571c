"""``{% url %}`` as Django's, reversing each route once (a template builtin: settings.TEMPLATES).

Django's tag calls ``reverse()`` on every use: some 40 microseconds, and a page with a long list
writes a link per row (docs/performance.md, "Templates"). This one gives the same text, escaped the
same way, from ``nwd.web.html.url``: a route without arguments is reversed once, a route with one
whole-number argument once with a marker that the key then replaces. Anything else (keyword
arguments, several arguments, a key that is not a whole number) goes to Django's own tag unchanged.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from nwd.web.html import url as fast_url

register = template.Library()


class URLNode(defaulttags.URLNode):
    def render(self, context: template.Context) -> str:
        if self.kwargs or len(self.args) > 1:
            return super().render(context)
        pk = self.args[0].resolve(context) if self.args else None
        if self.args and (type(pk) is not int or pk < 0):
            return super().render(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        text = ""
        try:
            text = fast_url(self.view_name.resolve(context), pk, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = text
            return ""
        return conditional_escape(text) if context.autoescape else text


@register.tag
def url(parser: Any, token: Any) -> URLNode:
    node = defaulttags.url(parser, token)
    return URLNode(node.view_name, node.args, node.kwargs, node.asvar)
