"""The English catalogue is complete: every message has a translation and none is left fuzzy
(compilemessages drops fuzzy entries, so the English interface would show Chinese)."""

from __future__ import annotations

import re
from pathlib import Path

PO = Path(__file__).resolve().parents[3] / "src/socorg/locale/en/LC_MESSAGES/django.po"


def test_english_catalogue_has_no_fuzzy_or_empty_translations() -> None:
    entries = PO.read_text(encoding="utf-8").split("\n\n")[1:]  # the first is the header
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    empty = [e for e in entries if re.search(r'\nmsgstr ""\s*$', e) and "msgid_plural" not in e]
    assert fuzzy == [] and empty == []
