"""The theme's templates: the names each reads, for the keys of the pages they render."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from statuspage.render.templates import UNKNOWN_TEMPLATE, make_environment, template_variables
from statuspage.sources.theme import Theme


def test_template_variables_follow_every_template_a_page_uses() -> None:
    templates = {
        "page.html": '{% extends "base.html" %}{% block main %}{{ view }}{% endblock %}',
        "base.html": '{% import "parts.html" as p %}{{ p.x() }}{% block main %}{% endblock %}',
        "parts.html": "{% macro x() %}{{ overall }}{% endmacro %}",
        "dynamic.html": "{% include which %}",
    }
    theme = Theme(templates=templates, assets={}, origins={name: name for name in templates})
    env = make_environment(theme, ZoneInfo("UTC"))
    assert template_variables(env, "page.html") == {"view", "p", "overall"}
    assert template_variables(env, "dynamic.html") == {"which", UNKNOWN_TEMPLATE}
