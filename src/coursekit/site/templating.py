"""The site's HTML templates (templates/*.html.j2, Jinja2, escaped by default).

Text goes into a template as text and is escaped there; authored Markdown goes in through
the ``inline`` and ``markdown`` filters (coursekit.markup), which mark their HTML as safe.
Knows nothing of MkDocs.
"""

from __future__ import annotations

import html
import json
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from coursekit import markup


def json_attribute(data: object) -> Markup:
    """JSON for an HTML attribute value (quoted with double quotes); read it with JSON.parse.

    Widgets carry their data in an attribute, not in a <script type="application/json">:
    Material's instant navigation re-creates every <script> in the content without its
    attributes, so such an element would then run as JavaScript.
    """
    return Markup(html.escape(json.dumps(data, ensure_ascii=False, separators=(",", ":")), quote=True))


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("coursekit.site", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters["inline"] = lambda text: Markup(markup.inline(text))
    env.filters["markdown"] = lambda text: Markup(markup.markdown(text))
    env.filters["json_attribute"] = json_attribute
    return env


def render(name: str, **context: object) -> Markup:
    """The template ``name`` filled in with ``context``, as HTML."""
    return Markup(environment().get_template(name).render(**context))
