"""What each workflow app tells the engine and the portal about itself, so that neither names an
app: its menu entries (public and staff), the links it adds to a case page's header, and its
rate-limited endpoints with an optional over-limit page of its own.

An app registers once, in its ``AppConfig.ready()``::

    registry.register(self, staff_menu=[MenuEntry("Daftar aduan", "aduan:staf_daftar")], ...)

Registering again replaces the app's entries. Readers see only the entries of apps that are
installed now, in ``INSTALLED_APPS`` order, so the engine's pages render with any set of
workflow apps (and under ``override_settings(INSTALLED_APPS=...)``).
"""

from dataclasses import dataclass, field
from typing import Callable, Optional

from django.apps import apps
from django.urls import reverse


@dataclass(frozen=True)
class MenuEntry:
    """A menu item: its label, the URL name it opens, and who sees it. ``permission``
    ("app_label.codename") hides it from a user without that permission; ``admin_staff``
    shows it only to admin-site staff (checked first, so an officer costs no permission query).
    A superuser sees every entry."""

    label: str
    url_name: str
    permission: str = ""
    admin_staff: bool = False

    def visible_to(self, user):
        if getattr(user, "is_superuser", False):
            return True
        if self.admin_staff and not getattr(user, "is_staff", False):
            return False
        return not self.permission or user.has_perm(self.permission)


@dataclass(frozen=True)
class CaseLink:
    """A link in a case page's header, as a case-link function returns it."""

    label: str
    url: str
    html_id: str = ""
    download: bool = False


@dataclass(frozen=True)
class Limit:
    """A rate-limited endpoint: requests to ``view_name`` with ``method`` count against the
    limit ``name`` (a key of ``settings.PPID_BATAS``); with ``only_with_query`` a request without
    a query string is free. ``responder(request, wait_seconds)`` answers a client over the limit
    (the portal's own 429 page when it is None)."""

    view_name: str
    name: str
    method: str = "POST"
    only_with_query: bool = False
    responder: Optional[Callable] = None


@dataclass
class _AppEntries:
    public_menu: list = field(default_factory=list)
    staff_menu: list = field(default_factory=list)
    case_links: list = field(default_factory=list)
    limits: list = field(default_factory=list)


class Registry:
    def __init__(self):
        self._by_label = {}

    def register(self, app_config, *, public_menu=(), staff_menu=(), case_links=(), limits=()):
        """Set what ``app_config``'s app contributes (replacing what it registered before).
        ``case_links`` are functions ``case -> CaseLink | None``."""
        self._by_label[app_config.label] = _AppEntries(
            list(public_menu), list(staff_menu), list(case_links), list(limits))

    def _installed(self):
        for config in apps.get_app_configs():
            entries = self._by_label.get(config.label)
            if entries is not None:
                yield entries

    def menu(self, area, user):
        """``[(label, url)]`` of the ``area`` ("public" or "staff") entries ``user`` may see."""
        attr = {"public": "public_menu", "staff": "staff_menu"}[area]
        return [
            (entry.label, reverse(entry.url_name))
            for entries in self._installed()
            for entry in getattr(entries, attr)
            if entry.visible_to(user)
        ]

    def case_links(self, case):
        """The links the installed apps add to ``case``'s header."""
        links = (function(case) for entries in self._installed() for function in entries.case_links)
        return [link for link in links if link is not None]

    def limit(self, view_name):
        """The :class:`Limit` an installed app declared for ``view_name``, or None."""
        for entries in self._installed():
            for limit in entries.limits:
                if limit.view_name == view_name:
                    return limit
        return None


registry = Registry()
