"""Run by tests/ppid/test_requirements.py with the Python of a virtualenv built from
requirements.txt alone: with Django set up, import every production module and every module
that production code imports anywhere (inside functions too). Prints, as JSON, the imports
that failed: ``[{"file", "line", "module", "error", "missing"}]``.

Production code is every ``.py`` file of the checkout outside ``tests/``, ``bench/``, ``var/``
and hidden folders (the virtualenvs).
"""

import ast
import importlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {"tests", "bench", "var"}


def production_files():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in SKIP or any(p.startswith(".") for p in parts):
            continue
        yield path


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path, module):
    """``(line, name, member)`` for every import statement in ``path``, at any depth:
    ``member`` is true for ``from x import name``, where ``x.name`` may be an attribute."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, False
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(parts + ([node.module] if node.module else []))
            else:
                target = node.module
            yield node.lineno, target, False
            for alias in node.names:
                if alias.name != "*":
                    yield node.lineno, f"{target}.{alias.name}", True


def main():
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ppid.settings")
    import django

    django.setup()
    failures, seen = [], {}

    def attempt(file, line, name, member=False):
        if name.split(".")[0] in sys.stdlib_module_names:
            return
        if name not in seen:
            seen[name] = None
            try:
                importlib.import_module(name)
            except ModuleNotFoundError as exc:
                # ``from x import name`` of an attribute: fine once x itself imported.
                if not (member and exc.name == name):
                    seen[name] = (f"{type(exc).__name__}: {exc}", exc.name)
            except Exception as exc:  # any failure to import is the finding
                seen[name] = (f"{type(exc).__name__}: {exc}", None)
        if seen[name] is not None:
            error, missing = seen[name]
            failures.append({"file": file, "line": line, "module": name, "error": error, "missing": missing})

    for path in production_files():
        module = module_name(path)
        rel = str(path.relative_to(ROOT))
        if module != "manage":
            attempt(rel, 0, module)
        for line, name, member in imports_of(path, module):
            attempt(rel, line, name, member)
    json.dump(failures, sys.stdout)


if __name__ == "__main__":
    main()
