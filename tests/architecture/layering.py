"""The layering rules of the source tree, checked on its syntax (``ast``), never by importing it.

Each check takes the root of a ``socorg`` package (``src/socorg``, or a small tree a self-test
writes) and returns its offences as ``path:line: message`` lines, so a test can assert the
list is empty and a failure names every offender at once."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = "socorg"

# What each app may import from socorg: whole apps by name, or one room of any app
# ("*.selectors"). An app missing from this table fails the check: a new app declares its
# place in the house here. Imports under ``if TYPE_CHECKING:`` count too (a type is a
# dependency); so do dotted paths in strings (``include("socorg.x.urls")``).
ANY = frozenset({"*"})
ALLOWED_IMPORTS: dict[str, frozenset[str]] = {
    "core": frozenset({"core"}),
    "registry": frozenset({"core", "registry"}),
    "registration": frozenset({"core", "registry", "registration"}),
    "party": frozenset({"core", "registry", "party"}),
    "supervision": frozenset({"core", "registry", "party", "supervision"}),
    "support": frozenset({"core", "registry", "party", "supervision", "support"}),
    # The public portal and the statistics read other apps only through their reads.
    "portal": frozenset({"core", "portal", "*.selectors", "*.access"}),
    "insights": frozenset({"core", "insights", "*.selectors", "*.access"}),
    "demo": ANY,
}
# Modules directly under socorg/ that wire the apps together (URLs, the API, settings, the
# command line, the servers): they may import anything.
TOP_LEVEL_WIRING = frozenset({"__init__", "urls", "api", "settings", "cli", "wsgi", "asgi"})

# The rooms of an app (DESIGN.md "Layout"): one module or one package each, never a family of
# files prefixed or suffixed with a room's name.
ROOMS = frozenset(
    {
        "services",
        "selectors",
        "views",
        "forms",
        "processes",
        "rules",
        "access",
        "api",
        "tasks",
        "effects",
    }
)
READ_ONLY_ROOMS = frozenset({"services", "selectors"})
USER_INTERFACE_ROOMS = frozenset({"forms", "views"})
SCOPE_FUNCTION = re.compile(r"^(scope|access)_")
NOQA_E402 = re.compile(r"#\s*(ruff\s*:\s*)?noqa\s*:[^#\n]*\bE402\b", re.IGNORECASE)


@dataclass(frozen=True)
class Module:
    path: Path  # the file
    rel: str  # its path under the package root, with "/" separators
    name: str  # dotted module name, e.g. socorg.registry.services
    tree: ast.Module
    source: str

    @property
    def parts(self) -> list[str]:
        return self.name.split(".")

    @property
    def app(self) -> str | None:
        """The app the module belongs to; ``None`` for a top-level module of the package."""
        parts = self.parts
        if len(parts) > 2 or (len(parts) == 2 and self.is_package):
            return parts[1]
        return None

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"


@dataclass(frozen=True)
class Import:
    line: int
    candidates: tuple[str, ...]  # every dotted name it may reach (``from x import y``: x, x.y)
    text: str  # the statement as written
    nested: bool  # inside a function body (at any depth)
    string: bool = False  # only a dotted path in a string (include(), add_router())


@cache
def modules(root: Path) -> list[Module]:
    """Every module of the package under ``root`` except migrations, sorted by path (parsed
    once per root)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if "migrations" in path.relative_to(root).parts:
            continue
        dotted = [PACKAGE, *rel[: -len(".py")].split("/")]
        if dotted[-1] == "__init__":
            dotted.pop()
        source = path.read_text(encoding="utf-8")
        found.append(Module(path, rel, ".".join(dotted), ast.parse(source, str(path)), source))
    return found


def _resolve(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.parts if module.is_package else module.parts[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _segment(module: Module, node: ast.AST) -> str:
    return (ast.get_source_segment(module.source, node) or "").strip().splitlines()[0]


class _ImportVisitor(ast.NodeVisitor):
    """Collects the socorg imports of one module, noting which sit inside a function."""

    def __init__(self, module: Module) -> None:
        self.module = module
        self.depth = 0
        self.found: list[Import] = []

    def _scoped(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _scoped  # noqa: N815

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(node, (alias.name,))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = _resolve(self.module, node)
        for alias in node.names:
            self._add(node, (base, f"{base}.{alias.name}"))

    def visit_Call(self, node: ast.Call) -> None:
        # import_module("socorg.x.y"), __import__(…), import_string(…): an import by name.
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        first = node.args[0] if node.args else None
        if (
            name in {"import_module", "__import__", "import_string"}
            and isinstance(first, ast.Constant)
            and _is_socorg(str(first.value))
        ):
            self._add(node, _prefixes(str(first.value)), dynamic=True)
            return  # its argument is the string just read
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        # include("socorg.x.urls"), add_router("", "socorg.x.api.router"): a dependency named
        # in a string is a dependency all the same.
        # Module names are lower case: "socorg.E001" (a system check's id) names no module.
        value = node.value
        if isinstance(value, str) and re.fullmatch(rf"{PACKAGE}(\.[a-z_][a-z0-9_]*)+", value):
            self._add(node, _prefixes(value), string=True)

    def _add(
        self,
        node: ast.AST,
        candidates: tuple[str, ...],
        *,
        dynamic: bool = False,
        string: bool = False,
    ) -> None:
        if not any(_is_socorg(c) for c in candidates):
            return
        self.found.append(
            Import(
                line=getattr(node, "lineno", 1),
                candidates=candidates,
                text=_segment(self.module, node),
                nested=self.depth > 0,
                string=string and not dynamic,
            )
        )


def _is_socorg(name: str) -> bool:
    return name == PACKAGE or name.startswith(PACKAGE + ".")


def _prefixes(dotted: str) -> tuple[str, ...]:
    parts = dotted.split(".")
    return tuple(".".join(parts[:n]) for n in range(2, len(parts) + 1))


@cache
def socorg_imports(module: Module) -> list[Import]:
    visitor = _ImportVisitor(module)
    visitor.visit(module.tree)
    return visitor.found


def _target_app(candidates: tuple[str, ...]) -> tuple[str, str | None]:
    """(app or top-level module, room) an import reaches: ``socorg.registry.services.x`` →
    ``("registry", "services")``; ``from socorg import registry`` → ``("registry", None)``."""
    longest = max(candidates, key=len).split(".")
    app = longest[1] if len(longest) > 1 else ""
    room = longest[2] if len(longest) > 2 else None
    return app, room


def _allowed(allowed: frozenset[str], app: str, room: str | None) -> bool:
    if allowed is ANY or app in allowed:
        return True
    return room is not None and f"*.{room}" in allowed


def _where(module: Module, line: int) -> str:
    return f"{module.rel}:{line}"


def import_direction_offences(root: Path) -> list[str]:
    """(a) Every module imports only the apps its own app may import."""
    offences = []
    for module in modules(root):
        app = module.app
        if app is None:
            if module.parts[-1] in TOP_LEVEL_WIRING or module.name == PACKAGE:
                continue
            offences.append(
                f"{module.rel}:1: top-level module {module.name} is neither an app nor wiring "
                f"({', '.join(sorted(TOP_LEVEL_WIRING))})"
            )
            continue
        allowed = ALLOWED_IMPORTS.get(app)
        if allowed is None:
            app_dir = module.rel.split("/")[0]
            offences.append(f"{app_dir}/__init__.py:1: app {app!r} has no entry in ALLOWED_IMPORTS")
            continue
        for imp in socorg_imports(module):
            target_app, room = _target_app(imp.candidates)
            if not target_app or _allowed(allowed, target_app, room):
                continue
            if imp.string and target_app in TOP_LEVEL_WIRING:
                continue  # "python -m socorg.cli" names a program, it imports nothing
            offences.append(
                f"{_where(module, imp.line)}: {app} may not import {target_app} "
                f"(allowed: {', '.join(sorted(allowed))}): {imp.text}"
            )
    return _unique(offences)


def _nested_import_exempt(module: Module) -> bool:
    return module.path.name == "apps.py" or "/management/commands/" in f"/{module.rel}"


def nested_import_offences(root: Path) -> list[str]:
    """(b) No socorg import inside a function body, of any depth (a module-level
    ``if TYPE_CHECKING:`` block is fine). Exempt: ``apps.py`` and management commands."""
    return _unique(
        [
            f"{_where(module, imp.line)}: socorg import inside a function: {imp.text}"
            for module in modules(root)
            if not _nested_import_exempt(module)
            for imp in socorg_imports(module)
            if imp.nested and not imp.string
        ]
    )


def noqa_e402_offences(root: Path) -> list[str]:
    """(c) No ``# noqa: E402``: an import below code is a cycle being dodged."""
    return [
        f"{path.relative_to(root).as_posix()}:{number}: {line.strip()}"
        for path in sorted(root.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if NOQA_E402.search(line)
    ]


def _room_of(name: str) -> str:
    """``principal_forms`` → ``forms``; ``views`` → ``views``; anything else → itself."""
    for room in ROOMS:
        if name == room or name.endswith("_" + room) or name.startswith(room + "_"):
            return room
    return name


def _rooms_of_module(module: Module) -> set[str]:
    return {_room_of(part) for part in module.parts[2:]}


def read_room_offences(root: Path) -> list[str]:
    """(d) Services and selectors never import forms or views (of any app)."""
    offences = []
    for module in modules(root):
        if module.app is None or not (_rooms_of_module(module) & READ_ONLY_ROOMS):
            continue
        for imp in socorg_imports(module):
            reached = {
                _room_of(part) for candidate in imp.candidates for part in candidate.split(".")[2:]
            }
            hit = reached & USER_INTERFACE_ROOMS
            if hit:
                offences.append(
                    f"{_where(module, imp.line)}: {module.parts[-1]} imports "
                    f"{'/'.join(sorted(hit))}: {imp.text}"
                )
    return _unique(offences)


def prefixed_room_offences(root: Path) -> list[str]:
    """(e) No prefixed rooms (``principal_services.py``, ``responsibility_views/``): a room that
    grows becomes a package (``services/terms.py``)."""
    offences = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if "migrations" in rel.parts or "__pycache__" in rel.parts or len(rel.parts) < 2:
            continue
        if path.is_file() and path.suffix != ".py":
            continue
        if path.is_dir() and not (path / "__init__.py").exists():
            continue
        name = path.stem if path.is_file() else path.name
        room = _room_of(name)
        if room in ROOMS and name != room and _inside_app_code(rel):
            offences.append(
                f"{rel.as_posix()}:1: prefixed room {name!r}: make {room!r} a package "
                f"({room}/__init__.py + {room}/<capability>.py)"
            )
    return offences


def _inside_app_code(rel: Path) -> bool:
    """Module files of an app (not its templates, tags, commands or static files)."""
    return not ({"templatetags", "management", "templates", "static", "locale"} & set(rel.parts))


def scope_function_offences(root: Path) -> list[str]:
    """(e) ``scope_*``/``access_*`` functions live only in an app's ``access`` room."""
    return [
        f"{_where(module, node.lineno)}: def {node.name} outside access.py/access/"
        for module in modules(root)
        if "access" not in module.parts[2:]
        for node in ast.walk(module.tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and SCOPE_FUNCTION.match(node.name)
    ]


CHECKS = {
    "import direction": import_direction_offences,
    "nested imports": nested_import_offences,
    "noqa E402": noqa_e402_offences,
    "services and selectors import no forms or views": read_room_offences,
    "prefixed rooms": prefixed_room_offences,
    "scope functions outside access": scope_function_offences,
}


def iter_offences(root: Path) -> Iterator[tuple[str, str]]:
    for check, run in CHECKS.items():
        for offence in run(root):
            yield check, offence


def _unique(offences: list[str]) -> list[str]:
    """One line per offence (``from x import a, b`` is one statement, not two)."""
    return list(dict.fromkeys(offences))
