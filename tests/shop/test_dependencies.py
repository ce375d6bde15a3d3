"""What the code imports is declared in pyproject.toml and pinned, with hashes, in the lock
files that `make install` installs from."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
LOCKS = {"runtime": ROOT / "requirements.lock", "dev": ROOT / "requirements-dev.lock"}
LOCAL = {path.name for path in ROOT.iterdir() if (path / "__init__.py").exists()}
SKIP = {".venv", "node_modules", ".git"}


def _declared(requirements: list[str]) -> dict[str, Requirement]:
    parsed = [Requirement(line) for line in requirements]
    return {canonicalize_name(requirement.name): requirement for requirement in parsed}


RUNTIME = _declared(PYPROJECT["project"]["dependencies"])
DEV = _declared(PYPROJECT["project"]["optional-dependencies"]["dev"])


def _third_party_imports(folders: list[Path]) -> dict[str, str]:
    """{top-level module: a file importing it} for modules neither stdlib nor the project's."""
    found: dict[str, str] = {}
    for folder in folders:
        for path in folder.rglob("*.py"):
            if SKIP & set(path.relative_to(ROOT).parts):
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in LOCAL:
                        found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def _distributions(module: str) -> set[str]:
    return {canonicalize_name(name) for name in packages_distributions().get(module, [])}


def _undeclared(
    imports: dict[str, str], allowed: set[str], *, or_required_by_them: bool = False
) -> list[str]:
    """Modules imported whose distribution is not declared (nor, when asked, required by a
    declared one: the tests may use celery's billiard or pytest's packaging)."""
    from importlib.metadata import PackageNotFoundError, requires

    reachable = set(allowed)
    for name in allowed if or_required_by_them else []:
        try:
            required = requires(name) or []
        except PackageNotFoundError:
            continue  # declared but not installed here: `make install` puts it in
        for line in required:
            requirement = Requirement(line)
            if requirement.marker is None or "extra" in str(requirement.marker):
                reachable.add(canonicalize_name(requirement.name))
    return sorted(
        f"{module} ({where})"
        for module, where in imports.items()
        if not _distributions(module) & reachable
    )


def _locked(path: Path) -> dict[str, str]:
    text = path.read_text()
    return {
        canonicalize_name(name): version
        for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", text, re.M)
    }


def test_every_package_the_shop_imports_is_a_runtime_dependency():
    # Declared itself, not merely pulled in by another package (requests came with twilio).
    app_folders = [ROOT / name for name in sorted(LOCAL) if name not in {"tests", "bench"}]
    assert _undeclared(_third_party_imports(app_folders), set(RUNTIME)) == []


def test_every_package_the_tests_import_is_declared():
    imports = _third_party_imports([ROOT / "tests", ROOT / "bench"])
    assert _undeclared(imports, set(RUNTIME) | set(DEV), or_required_by_them=True) == []


def test_the_lock_files_pin_what_pyproject_pins_with_hashes():
    for kind, path in LOCKS.items():
        locked = _locked(path)
        wanted = RUNTIME | (DEV if kind == "dev" else {})
        for name, requirement in wanted.items():
            pinned = str(requirement.specifier).removeprefix("==")
            assert locked.get(name) == pinned, f"{path.name}: {name} is not locked at {pinned}"
        entries = re.split(r"\n(?=[A-Za-z0-9])", path.read_text().split("\n", 2)[2].strip())
        unhashed = [entry.split()[0] for entry in entries if "--hash=sha256:" not in entry]
        assert unhashed == [], f"{path.name}: no hash for {unhashed}"
    assert not set(DEV) - set(_locked(LOCKS["dev"]))
    assert not set(DEV) & set(_locked(LOCKS["runtime"])) - set(RUNTIME)


def test_make_install_installs_the_lock_with_hashes_required():
    makefile = (ROOT / "Makefile").read_text()
    assert "LOCK := requirements-dev.lock" in makefile
    assert "pip install --quiet --require-hashes -r $(LOCK)" in makefile
    assert "$(STAMP): $(LOCK)" in makefile
