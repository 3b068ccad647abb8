"""The import direction of the rooms (docs/architecture.md), read from the source with ast.

core imports nothing of the app; in app/, api → domain → store and schemas, never back; no
module of core or app is part of an import cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What each room of app/ may import from the app (besides itself, core and the standard and
# third-party libraries). The modules at app/'s top level are shared plumbing.
PLUMBING = {"app.settings", "app.version", "app.encode", "app.guard", "app.deps"}
MAY_IMPORT = {
    "app.schemas": {"app.settings", "app.guard"},
    "app.store": {"app.settings", "app.schemas"},  # the stored config is schemas' NetworkConfig
    "app.domain": {"app.schemas", "app.store", "app.settings"},
    "app.api": {"app.domain", "app.schemas", "app.store"} | PLUMBING,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module `path` imports (absolute names), at any depth of the file."""
    name = module_name(path)
    return imports_of(
        path.read_text(), name if path.name == "__init__.py" else name.rpartition(".")[0]
    )


def imports_of(source: str, package: str) -> set[str]:
    """Every module `source` (a module of `package`) imports, relative ones made absolute."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            out.add(base)
            out |= {f"{base}.{alias.name}" for alias in node.names}
    return out


def graph() -> dict[str, set[str]]:
    """Module → the modules of core and app it imports (only those that exist as files)."""
    files = [*ROOT.joinpath("core").rglob("*.py"), *ROOT.joinpath("app").rglob("*.py")]
    names = {module_name(f): f for f in files}
    return {name: {m for m in imports(f) if m in names and m != name} for name, f in names.items()}


def room(name: str) -> str | None:
    return next((r for r in MAY_IMPORT if name == r or name.startswith(r + ".")), None)


def test_core_imports_nothing_of_the_app() -> None:
    for f in ROOT.joinpath("core").rglob("*.py"):
        bad = {m for m in imports(f) if m.split(".")[0] in ("app", "fastapi", "pydantic")}
        assert not bad, f"{f.name} imports {bad}"


def test_each_room_imports_only_the_rooms_below_it() -> None:
    wrong = []
    for name, targets in graph().items():
        mine = room(name)
        if mine is None:
            continue
        for target in targets:
            if target.startswith("core") or room(target) == mine:
                continue
            allowed = MAY_IMPORT[mine]
            if not any(target == a or target.startswith(a + ".") for a in allowed):
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_no_import_cycle() -> None:
    edges = graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_the_checks_see_a_forbidden_import() -> None:
    found = imports_of("from app.api import router\nimport core.mlp\nfrom . import x", "app.domain")
    assert {"app.api", "app.api.router", "core.mlp", "app.domain.x"} <= found
    assert room("app.domain.training") == "app.domain"
    assert not any("app.api".startswith(a) for a in MAY_IMPORT["app.domain"])
