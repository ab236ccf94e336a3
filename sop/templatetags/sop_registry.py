"""The registry (sop/registry.py) in templates: the menus and a case header's links, so that
no template names a workflow app's URLs.

``{% menu "staff" %}`` renders the ``<li>`` items of that menu the user may see;
``{% case_links kasus as links %}`` gives the header links the installed apps add."""

from django import template

from sop.registry import registry

register = template.Library()


@register.inclusion_tag("sop/_menu.html", takes_context=True)
def menu(context, area):
    return {"entries": registry.menu(area, context.get("user"))}


@register.simple_tag
def case_links(case):
    return registry.case_links(case)
