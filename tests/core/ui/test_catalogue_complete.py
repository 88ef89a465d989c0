"""The English catalogue is complete: every message has a translation and none is left fuzzy
(compilemessages drops fuzzy entries, so the English interface would show Chinese)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PO = Path(__file__).resolve().parents[3] / "src/socorg/locale/en/LC_MESSAGES/django.po"


def test_english_catalogue_has_no_fuzzy_or_empty_translations() -> None:
    entries = PO.read_text(encoding="utf-8").split("\n\n")[1:]  # the first is the header
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    empty = [e for e in entries if re.search(r'\nmsgstr ""\s*$', e) and "msgid_plural" not in e]
    assert fuzzy == [] and empty == []


def _msgids(text: str) -> set[str]:
    ids = set()
    for entry in text.split("\n\n")[1:]:
        lines, capturing = [], False
        for line in entry.splitlines():
            if line.startswith("msgid "):
                capturing = True
                lines.append(line[6:])
            elif capturing and line.startswith('"'):
                lines.append(line)
            elif capturing:
                break
        ids.add("".join(part.strip()[1:-1] for part in lines))
    return ids


def test_every_message_marked_for_translation_is_in_the_english_catalogue(tmp_path) -> None:
    """What ``makemessages`` extracts from the code and templates today is all in the committed
    catalogue: a new Chinese message without its English entry fails here, not in front of an
    English-speaking user."""
    if shutil.which("xgettext") is None:
        pytest.skip("gettext is not installed")
    source = PO.parents[3]
    copy = tmp_path / "socorg"
    shutil.copytree(
        source, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo", "*.po")
    )
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete", "-v", "0"],
        cwd=copy,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "socorg.settings"},
    )
    extracted = _msgids((copy / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8"))
    missing = sorted(extracted - _msgids(PO.read_text(encoding="utf-8")) - {""})
    assert missing == [], "messages without an English entry:\n" + "\n".join(missing)
