"""The layers of ARCHITECTURE.md hold where import-linter does not look: templates and the
URL names written in code. One source of truth: the layers contract in pyproject.toml.

A template belongs to the app of its folder (templates/<app>/); the shared layout
(base.html, components/, registration/, the error pages) belongs to shop, at the bottom.
It may load the tag libraries, include or extend the templates and reverse the URLs of
its own app and of the apps below it, never of a sibling or an app above.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template import engines

ROOT = Path(settings.BASE_DIR)
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]

LOAD = re.compile(r"{%-?\s*load\s+(.+?)\s*-?%}")
INCLUDE = re.compile(r"""{%-?\s*(?:include|extends)\s+["']([^"']+)["']""")
URL = re.compile(r"""{%-?\s*url\s+["']([a-z_]+):""")
URL_NAME = re.compile(r"^([a-z_]+):[a-z_]+$")


def layers() -> list[set[str]]:
    """The layers contract's apps, bottom first: [{"shop"}, {"customers"}, ...]."""
    (contract,) = [c for c in CONTRACTS["contracts"] if c["type"] == "layers"]
    return [
        {name.strip().strip("()") for name in re.split(r"[|:]", layer)}
        for layer in reversed(contract["layers"])
    ]


RANK = {app: rank for rank, layer in enumerate(layers()) for app in layer}


def allowed(importer: str, imported: str) -> bool:
    """May `importer` depend on `imported`? Itself and the apps below; apps outside the
    layers (Django, third parties) are not ours to order."""
    if importer == imported or imported not in RANK:
        return True
    return RANK[imported] < RANK[importer]


def template_app(name: str) -> str:
    folder = name.split("/", 1)[0] if "/" in name else ""
    return folder if folder in RANK else "shop"


def library_apps() -> dict[str, str]:
    """Each tag library's name -> the app whose templatetags define it."""
    modules = engines["django"].engine.libraries  # name -> "reports.templatetags.reports"
    return {name: module.split(".")[0] for name, module in modules.items()}


def template_violations(name: str, text: str, libraries: dict[str, str]) -> list[str]:
    app = template_app(name)
    found = []
    for match in LOAD.finditer(text):
        words = match.group(1).split()
        # {% load a b %}, or {% load x y from library %}: the library is the last word.
        names = [words[-1]] if "from" in words else words
        for library in names:
            owner = libraries.get(library, "")
            if not allowed(app, owner):
                found.append(f"{name} ({app}) loads the tag library {library} of {owner}")
    for included in INCLUDE.findall(text):
        owner = template_app(included)
        if not allowed(app, owner):
            found.append(f"{name} ({app}) includes or extends {included} of {owner}")
    for namespace in URL.findall(text):
        if not allowed(app, namespace):
            found.append(f"{name} ({app}) reverses a URL of {namespace}")
    return found


def templates() -> list[tuple[str, str]]:
    folders = [ROOT / "templates"] + [
        Path(config.path) / "templates" for config in apps.get_app_configs() if local(config)
    ]
    return [
        (path.relative_to(folder).as_posix(), path.read_text())
        for folder in folders
        if folder.is_dir()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".svg"}
    ]


def local(config) -> bool:
    """An app of this project: under its folder, and not an installed package (CI's
    virtualenv lives in the checkout, so site-packages is under ROOT there)."""
    path = Path(config.path)
    return path.is_relative_to(ROOT) and "site-packages" not in path.parts


def test_it_lists_every_app_of_the_project_in_the_layers_and_the_root_packages():
    ours = {config.name.split(".")[0] for config in apps.get_app_configs() if local(config)}
    assert ours - set(RANK) == set(), "add the new app to the layers in pyproject.toml"
    assert ours - set(CONTRACTS["root_packages"]) == set(), "add it to root_packages too"


def test_it_keeps_templates_to_the_layers():
    libraries = library_apps()
    pages = templates()
    assert len(pages) > 100  # the templates were found
    assert libraries["workorders"] == "workorders" and libraries["static"] == "django"
    found = [v for name, text in pages for v in template_violations(name, text, libraries)]
    assert found == [], "\n".join(found)


def test_it_keeps_url_names_in_code_to_the_layers():
    """reverse("reports:…") in workorders is a dependency import-linter does not see."""
    found = []
    for app in RANK:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    match = URL_NAME.match(node.value)
                    if match and not allowed(app, match.group(1)):
                        where = f"{path.relative_to(ROOT)}:{node.lineno}"
                        found.append(f"{where} names the URL {node.value} of {match.group(1)}")
    assert found == [], "\n".join(found)


def test_it_names_the_template_and_the_library_that_break_the_layers():
    libraries = {"reports": "reports", "workorders": "workorders", "static": "django"}
    page = "{% load static reports %}{% include 'fleet/partials/panel.html' %}"
    page += "{% url 'messaging:inbox' %}{% load workorders %}"
    assert template_violations("workorders/board/page.html", page, libraries) == [
        "workorders/board/page.html (workorders) loads the tag library reports of reports",
        "workorders/board/page.html (workorders) includes or extends fleet/partials/panel.html"
        " of fleet",
        "workorders/board/page.html (workorders) reverses a URL of messaging",
    ]
    # Siblings are refused both ways; the shared layout is shop's.
    assert not allowed("fleet", "messaging") and not allowed("messaging", "fleet")
    assert template_violations("base.html", "{% load workorders %}", libraries) == [
        "base.html (shop) loads the tag library workorders of workorders"
    ]
    assert allowed("config", "integrations") and allowed("reports", "shop")


def test_it_draws_the_same_layers_in_architecture_md_as_the_contract():
    text = (ROOT / "ARCHITECTURE.md").read_text()
    diagram = text.split("```", 2)[1]
    drawn = [
        re.split(r"\s{2,}", line.strip())[0]
        for line in diagram.splitlines()
        if line.strip() and not line.strip().startswith("─")
    ]
    (contract,) = [c for c in CONTRACTS["contracts"] if c["type"] == "layers"]
    assert drawn == [
        " | ".join(part.strip() for part in layer.split("|")) for layer in contract["layers"]
    ]
    tabled = set(re.findall(r"^\| ([a-z_]+) \|", text, flags=re.MULTILINE))
    assert tabled >= set(RANK), "each app has a row in ARCHITECTURE.md's table of imports"
