"""The arrows hold: ``ppid`` -> workflow apps -> ``sop``, and nothing else. Every import in the
engine's and the apps' files (at module level or inside a function) is read from the source;
the engine's and the portal's shared templates name no workflow app's URL."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
ENGINE = "sop"
PORTAL = "ppid"
# Every top-level package of the checkout with an AppConfig, besides the engine and the portal.
WORKFLOW_APPS = sorted(
    path.parent.name for path in ROOT.glob("*/apps.py") if path.parent.name not in (ENGINE, PORTAL))


def imported_packages(path):
    """``(line, top-level package)`` of each absolute import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def violations(package, forbidden):
    return [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, name in imported_packages(path)
        if name in forbidden
    ]


def test_the_workflow_apps_are_found():
    assert {"aduan", "opini", "publikasi", "arsip"} <= set(WORKFLOW_APPS)


def test_the_engine_imports_no_workflow_app_and_not_the_portal():
    assert violations(ENGINE, {PORTAL, *WORKFLOW_APPS}) == []


@pytest.mark.parametrize("app", WORKFLOW_APPS)
def test_a_workflow_app_imports_neither_the_portal_nor_another_app(app):
    assert violations(app, {PORTAL, *(other for other in WORKFLOW_APPS if other != app)}) == []


def test_the_engines_and_the_shared_templates_name_no_workflow_apps_url():
    names = "|".join(WORKFLOW_APPS)
    url = re.compile(rf"""{{%\s*url\s+["']({names}):""")
    shared = [*sorted((ROOT / "templates" / "sop").glob("*.html")),
              ROOT / "templates" / "base.html", ROOT / "templates" / "staf" / "base.html"]
    assert [str(path.relative_to(ROOT)) for path in shared if url.search(path.read_text(encoding="utf-8"))] == []


def test_the_checker_sees_imports_inside_functions(tmp_path):
    source = tmp_path / "contoh.py"
    source.write_text("import os\n\ndef f():\n    from ppid.middleware import x\n    import aduan.views\n")
    assert sorted(name for _, name in imported_packages(source)) == ["aduan", "os", "ppid"]
