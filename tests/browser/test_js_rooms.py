"""The page's rooms (docs/architecture.md): pure modules import no DOM module and touch no
browser global, and only api/client.js calls fetch. Read from the sources' import lines."""

from __future__ import annotations

import re
from pathlib import Path

JS = Path(__file__).resolve().parents[2] / "static" / "js"

# Pure: state, configuration, geometry, colours, numbers and the string tables.
PURE = (
    "model/",
    "network/layout.js",
    "draw/scales.js",
    "draw/format.js",
    "draw/ticks.js",
    "i18n/strings",
)
IMPORT = re.compile(
    r"""^\s*(?:import|export)\b[^'"]*?\bfrom\s*["']([^"']+)["']|import\(["']([^"']+)["']\)""", re.M
)
GLOBALS = "document|window|localStorage|navigator|fetch|requestAnimationFrame"
BROWSER = re.compile(rf"(?<![\w.])({GLOBALS})\b")
FETCH = re.compile(r"(?<![\w.])fetch\s*\(")


def modules() -> dict[str, str]:
    return {p.relative_to(JS).as_posix(): p.read_text() for p in sorted(JS.rglob("*.js"))}


def imports(name: str, source: str) -> list[str]:
    found = []
    for m in IMPORT.finditer(source):
        target = (JS / name).parent / (m.group(1) or m.group(2))
        found.append(target.resolve().relative_to(JS.resolve()).as_posix())
    return found


def is_pure(name: str) -> bool:
    return name.startswith(PURE)


def code(source: str) -> str:
    """The source without comments (JSDoc mentions of `document` are not uses)."""
    return re.sub(r"/\*.*?\*/|//[^\n]*", "", source, flags=re.S)


def test_every_import_names_an_existing_module() -> None:
    mods = modules()
    missing = {(n, t) for n, s in mods.items() for t in imports(n, s) if t not in mods}
    assert missing == set()


def test_pure_modules_import_only_pure_modules_and_touch_no_browser_global() -> None:
    mods = modules()
    pure = [n for n in mods if is_pure(n)]
    expected = {"model/config.js", "network/layout.js", "draw/format.js", "i18n/strings.js"}
    assert expected <= set(pure)
    wrong = {(n, t) for n in pure for t in imports(n, mods[n]) if not is_pure(t)}
    assert wrong == set(), "a pure module imports a DOM module"
    touched = {(n, m.group(1)) for n in pure for m in BROWSER.finditer(code(mods[n]))}
    assert touched == set(), "a pure module uses a browser global"


def test_only_the_api_client_calls_fetch() -> None:
    callers = {n for n, s in modules().items() if FETCH.search(code(s))}
    assert callers == {"api/client.js"}


def test_main_only_wires() -> None:
    source = code(modules()["main.js"])
    assert re.search(r"\b(textContent|innerHTML|setAttribute|createElement)\b", source) is None
    assert not re.search(r"\bapi/client\.js", source), "main.js reaches the API through the session"
