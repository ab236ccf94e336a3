"""The runtime is complete: production code runs on what ``requirements.txt`` installs, without
the test tools that ``make test`` adds (``make run`` installs requirements.txt only).

A virtualenv is built from requirements.txt alone, once per content of the file (its hash
names the folder, under ``PPID_RUNTIME_VENV_DIR`` or ``~/.cache/ppid-portal``), and
``tests/runtime_imports.py`` imports every production module in it with Django set up,
including the imports written inside functions.
"""

import fcntl
import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements.txt"


def _venv_root():
    configured = os.environ.get("PPID_RUNTIME_VENV_DIR")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ppid-portal"


def runtime_python():
    """The Python of a virtualenv holding requirements.txt and nothing else, built if needed."""
    key = hashlib.sha256(REQUIREMENTS.read_bytes() + sys.version.encode()).hexdigest()[:16]
    root = _venv_root()
    root.mkdir(parents=True, exist_ok=True)
    venv = root / f"runtime-{key}"
    python = venv / "bin" / "python"
    with open(root / f"runtime-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time, whoever runs the suite
        if not (venv / ".lengkap").exists():
            shutil.rmtree(venv, ignore_errors=True)  # what an interrupted build left
            base = getattr(sys, "_base_executable", sys.executable)
            subprocess.run([base, "-m", "venv", str(venv)], check=True)
            subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                            "-r", str(REQUIREMENTS)], check=True)
            (venv / ".lengkap").touch()
    return python


def _package_of(module):
    """The distribution that provides ``module`` in the test environment, e.g. pypdf."""
    top = module.split(".")[0]
    names = importlib.metadata.packages_distributions().get(top)
    return ", ".join(sorted(set(names))) if names else f"(tidak diketahui; modul {top})"


def test_every_production_import_works_with_requirements_txt_alone(tmp_path):
    python = runtime_python()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTHON"))}
    env.update(PPID_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="ppid.settings")
    env.pop("DATABASE_URL", None)  # importing needs no database; the embedded default is enough
    result = subprocess.run([str(python), str(ROOT / "tests" / "runtime_imports.py")], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    lines = {}  # one line per import statement and missing module
    for f in json.loads(result.stdout):
        lines.setdefault((f["file"], f["line"], f["missing"]), (
            f"{f['file']}:{f['line']} imports {f['module']} ({f['error']}); "
            f"package: {_package_of(f['missing'] or f['module'])} is not in requirements.txt"))
    lines = list(lines.values())
    assert not lines, "Production code imports what requirements.txt does not install:\n" + "\n".join(lines)


def test_the_check_finds_an_import_made_inside_a_function(tmp_path):
    """The walk reads imports at every depth, as the bulk archive's pypdf was (inside a function)."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        import runtime_imports
    finally:
        sys.path.remove(str(ROOT / "tests"))
    source = tmp_path / "contoh.py"
    source.write_text("import os\n\ndef f():\n    from pypdf import PdfWriter\n    from .tasks import susun\n")
    found = list(runtime_imports.imports_of(source, "arsip.contoh"))
    assert (4, "pypdf", False) in found and (4, "pypdf.PdfWriter", True) in found
    assert (5, "arsip.tasks", False) in found
