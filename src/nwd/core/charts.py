"""Charts as SVG for a page or a PDF: the look every chart shares, and the clean-up that lets a page inline one.

Shared by the evaluation's charts (``nwd.evaluation.report.charts``, ``nwd.evaluation.web_charts``)
and the forecast's (``nwd.forecast.web.charts``), which draw different pictures the same way: GOV.UK
colours, text kept as text, every id prefixed so several charts live on one page, and no inline CSS.

Why no inline CSS: matplotlib styles every element with a ``style`` attribute and a ``<style>``
element, and the site's content security policy (``style-src 'self'``) forbids both, so the browser
would draw the charts unstyled (black) and report a violation per element. Every property matplotlib
writes is also an SVG presentation attribute, so each ``style="fill: #1d70b8; stroke-width: 0.8"``
becomes ``fill="#1d70b8" stroke-width="0.8"``: the same picture, no inline CSS.

Pure matplotlib and text: no Django, no records (the layers contract in pyproject.toml).
"""

from __future__ import annotations

import html
import io
import re

from matplotlib.figure import Figure as MplFigure

STYLE = {
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#505a5f",
    "axes.labelcolor": "#0b0c0c",
    "xtick.color": "#0b0c0c",
    "ytick.color": "#0b0c0c",
    "svg.hashsalt": "nwd",  # the same chart gives the same SVG, so reports can be compared
}

# What matplotlib's SVG backend writes in style attributes; each is also a presentation attribute.
PRESENTATION_ATTRIBUTES = frozenset({
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "opacity",
    "font-size", "font-family", "font-weight", "font-style", "text-anchor", "clip-path", "display",
    "visibility",
})
_STYLE = re.compile(r'\sstyle="([^"]*)"')


def money_label(value, _pos=None) -> str:
    """Pounds as a chart shows them: £12.8m, £450k, £900 (also a matplotlib tick formatter)."""
    if abs(value) >= 1_000_000:
        return f"£{value / 1_000_000:,.1f}m"
    if abs(value) >= 1000:
        return f"£{value / 1000:,.0f}k"
    return f"£{value:,.0f}"


def figure_svg(figure: MplFigure, prefix: str) -> str:
    """A drawn matplotlib figure as an ``<svg>`` element: every id prefixed with ``prefix`` (matplotlib
    numbers markers and clip paths the same way in each chart, and a page may hold several), and a
    width the page decides (the viewBox keeps the aspect ratio)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)
    return re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 width="100%"', text, count=1)


def _attributes(declarations: str) -> str:
    parts = []
    for declaration in declarations.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name in PRESENTATION_ATTRIBUTES and value:
            parts.append(f' {name}="{html.escape(value, quote=True)}"')
    return "".join(parts)


def without_inline_css(text: str) -> str:
    """The SVG with no ``style`` attribute or element: each declaration as a presentation attribute."""
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    # matplotlib's one style rule, "*{stroke-linejoin: round; stroke-linecap: butt}", as attributes on
    # the root, which every element inherits unless it sets its own.
    text = re.sub(r"<style[^>]*>.*?</style>\s*", "", text, flags=re.S)
    text = re.sub(r"<defs>\s*</defs>\s*", "", text)
    text = text.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)
    return _STYLE.sub(lambda match: _attributes(match.group(1)), text)


def for_the_page(text: str, prefix: str, title: str, description: str) -> str:
    """An ``<svg>`` (ids already prefixed with ``prefix``) made fit to inline: no inline CSS (the
    content security policy), an image role named by its title and described by ``description``."""
    text = without_inline_css(text)
    title_id, desc_id = f"{prefix}-title", f"{prefix}-desc"
    opening = (
        f'<svg role="img" aria-labelledby="{title_id} {desc_id}" focusable="false" class="nwd-chart__svg" '
    )
    text = text.replace("<svg ", opening, 1)
    end_of_opening = text.index(">") + 1
    labels = (
        f'<title id="{title_id}">{html.escape(title)}</title>'
        f'<desc id="{desc_id}">{html.escape(description)}</desc>'
    )
    return text[:end_of_opening] + labels + text[end_of_opening:]
