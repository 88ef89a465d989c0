"""The house's layering, checked on the source tree (see ``layering`` for the rules and the
import table): each check runs on ``src/socorg`` and, to prove it bites, on a small tree with
one offending file per rule."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.architecture import layering

SRC = Path(__file__).resolve().parents[2] / "src" / "socorg"


def _report(offences: list[str]) -> str:
    return "\n".join(["", *offences])


def test_src_tree_is_found() -> None:
    names = {module.name for module in layering.modules(SRC)}
    assert {"socorg.core.access", "socorg.urls"} <= names
    assert not any(".migrations." in name for name in names)


def test_each_app_imports_only_what_the_import_table_allows() -> None:
    offences = layering.import_direction_offences(SRC)
    assert offences == [], _report(offences)


def test_no_socorg_import_inside_a_function() -> None:
    offences = layering.nested_import_offences(SRC)
    assert offences == [], _report(offences)


def test_no_noqa_e402() -> None:
    offences = layering.noqa_e402_offences(SRC)
    assert offences == [], _report(offences)


def test_services_and_selectors_import_no_forms_or_views() -> None:
    offences = layering.read_room_offences(SRC)
    assert offences == [], _report(offences)


def test_no_prefixed_room_files() -> None:
    offences = layering.prefixed_room_offences(SRC)
    assert offences == [], _report(offences)


def test_scope_and_access_functions_live_in_access_rooms() -> None:
    offences = layering.scope_function_offences(SRC)
    assert offences == [], _report(offences)


def test_every_app_has_an_entry_in_the_import_table() -> None:
    apps = {p.name for p in SRC.iterdir() if (p / "__init__.py").exists()}
    assert apps - layering.ALLOWED_IMPORTS.keys() == set()


# --- the checks bite ------------------------------------------------------------------------

# A tree that keeps every rule, with each exemption the rules grant.
CLEAN_TREE = {
    "__init__.py": "",
    "urls.py": "from socorg.registration import views\nfrom socorg.demo import loader\n",
    "core/__init__.py": "",
    "core/models.py": "X = 1\n",
    "core/access.py": "from socorg.core.models import X\n\ndef scope_things(user):\n    return X\n",
    "core/apps.py": "def ready():\n    from socorg.core import access\n",
    "core/management/__init__.py": "",
    "core/management/commands/__init__.py": "",
    "core/management/commands/run.py": (
        'PROGRAM = ["python", "-m", "socorg.cli"]\n\n'
        "def handle():\n    from socorg.core import models\n"
    ),
    "core/migrations/__init__.py": "",
    "core/migrations/0001_initial.py": "def forwards():\n    from socorg.registry import models\n",
    "registry/__init__.py": "",
    "registry/models.py": "from socorg.core.models import X\n",
    "registry/services/__init__.py": "",
    "registry/services/terms.py": "from socorg.registry.models import X\n",
    "registry/selectors.py": textwrap.dedent(
        """\
        from typing import TYPE_CHECKING

        from socorg.core import access

        if TYPE_CHECKING:
            from socorg.registry.models import X


        def page(user):
            return access.scope_things(user)
        """
    ),
    "registry/views.py": "from socorg.registry import forms, selectors\n",
    "registry/forms.py": "",
    "registration/__init__.py": "",
    "registration/services.py": "from socorg.registry import selectors\nfrom .rules import A\n",
    "registration/rules/__init__.py": "A = 1\n",
    "registration/rules/names.py": "B = 2\n",
    "party/__init__.py": "",
    "party/selectors.py": "from socorg.registry.models import X\n",
    "demo/__init__.py": "",
    "demo/loader.py": "from socorg.party import selectors\nfrom socorg.registration import services\n",
}

# One offence per rule: (check, file, source, what the message must name).
OFFENDERS = [
    ("import direction", "core/worklist.py", "from socorg.registry import models\n", "registry"),
    (
        "import direction",
        "registry/services.py",
        "def refresh():\n    pass\n\nfrom socorg.registration import name_check\n",
        "registration",
    ),
    ("import direction", "party/views.py", "from ..registration import views\n", "registration"),
    ("import direction", "core/urls.py", 'URLS = "socorg.registry.urls"\n', "registry"),
    ("import direction", "newapp/__init__.py", "", "no entry"),
    (
        "nested imports",
        "registry/selectors.py",
        "def detail():\n    from socorg.registry.models import X\n",
        "from socorg.registry.models import X",
    ),
    (
        "nested imports",
        "registry/rules.py",
        "def outer():\n    class Inner:\n        def f(self):\n            import socorg.core.models\n",
        "import socorg.core.models",
    ),
    (
        "nested imports",
        "registry/effects.py",
        'import importlib\n\ndef f():\n    return importlib.import_module("socorg.registry.services")\n',
        "import_module",
    ),
    (
        "noqa E402",
        "registry/processes.py",
        "X = 1\nfrom socorg.registry import models  # noqa: E402, F401\n",
        "E402",
    ),
    (
        "services and selectors import no forms or views",
        "registration/services.py",
        "from socorg.registration.forms import ChangeForm\n",
        "forms",
    ),
    (
        "services and selectors import no forms or views",
        "registry/selectors/terms.py",
        "from socorg.registry import views\n",
        "views",
    ),
    ("prefixed rooms", "registry/principal_services.py", "", "principal_services"),
    ("prefixed rooms", "party/responsibility_views.py", "", "responsibility_views"),
    ("prefixed rooms", "registration/api_name_check.py", "", "api_name_check"),
    ("prefixed rooms", "registry/principal_selectors/__init__.py", "", "principal_selectors"),
    (
        "scope functions outside access",
        "registration/selectors.py",
        "def scope_applications(user):\n    return []\n",
        "scope_applications",
    ),
]


def _write(root: Path, files: dict[str, str]) -> Path:
    package = root / layering.PACKAGE
    for rel, source in files.items():
        path = package / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
        init = path.parent / "__init__.py"
        if not init.exists() and path.parent != package:
            init.write_text("", encoding="utf-8")
    return package


def test_clean_tree_passes_every_check(tmp_path) -> None:
    package = _write(tmp_path, CLEAN_TREE)
    assert list(layering.iter_offences(package)) == []


@pytest.mark.parametrize(
    "check, rel, source, named", OFFENDERS, ids=[f"{c}:{r}" for c, r, _s, _n in OFFENDERS]
)
def test_each_check_fails_on_one_offending_file(tmp_path, check, rel, source, named) -> None:
    package = _write(tmp_path, {**CLEAN_TREE, rel: source})
    found = list(layering.iter_offences(package))
    assert found, f"{check} did not notice {rel}"
    assert {c for c, _offence in found} == {check}, found
    assert all(offence.startswith(rel.removesuffix("/__init__.py")) for _c, offence in found), found
    assert any(named in offence for _c, offence in found), found
    line = found[0][1].split(":")[1]
    assert line.isdigit(), f"no line number in {found[0][1]}"


def test_every_check_has_an_offending_example() -> None:
    assert {check for check, *_rest in OFFENDERS} == set(layering.CHECKS)
