"""What text the system accepts: the single definition that every way in (forms, API schemas,
query strings and paths, workbook rows) applies.

- Control characters are refused, never silently dropped: C0 (NUL included), DEL, C1, lone
  surrogates and the non-characters U+FFFE/U+FFFF. One of them in a stored value breaks every
  Excel export that contains it (openpyxl refuses it), and PostgreSQL refuses NUL outright.
  Line breaks and tabs are kept in long text (``\\r\\n`` becomes ``\\n``); in a single-line
  value they become a space.
- Single-line values also lose zero-width and bidirectional formatting characters (U+200B–U+200F,
  U+202A–U+202E, U+2060, U+2066–U+2069, U+FEFF) and surrounding spaces: a name made of them
  looks blank, or looks like another name.
- Nested JSON (an application's data, a correction's changes) is walked: keys and strings are
  checked the same way, and its depth and size are bounded.

Pure functions of plain values; the refusals are ``UnsafeText`` (a ``ValueError``) with a Chinese
message that names the character."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

# Refused everywhere. \t \n \r are handled separately (kept in long text).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"[\t\r\n]+")
# Invisible formatting characters removed from single-line values.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")

# The longest long text (宗旨, 业务范围, reasons, opinions) a form or the API accepts.
LONG_TEXT_MAX = 2000

# Bounds of nested JSON input (an application's data): nesting depth, number of strings and
# containers, and characters of all strings together.
JSON_MAX_DEPTH = 4
JSON_MAX_ITEMS = 500
JSON_MAX_CHARS = 20_000


class UnsafeText(ValueError):
    """Input text the system refuses; the message is for the person who typed it."""


def control_problem(value: str) -> str | None:
    """Why ``value`` may not be stored (its first control character), or None."""
    found = _CONTROL.search(value)
    if found is None:
        return None
    return _("第 %(pos)s 个字符是不可见的控制字符（U+%(code)04X），请删除后重新输入。") % {
        "pos": found.start() + 1,
        "code": ord(found.group()),
    }


def clean_line(value: str) -> str:
    """A single-line value as stored: line breaks and tabs as one space, invisible formatting
    characters removed, surrounding whitespace stripped. Raises ``UnsafeText``."""
    if problem := control_problem(value):
        raise UnsafeText(problem)
    return INVISIBLE.sub("", _LINE_BREAKS.sub(" ", value)).strip()


def clean_text(value: str) -> str:
    """A long (multi-line) value as stored: ``\\r\\n`` and ``\\r`` as ``\\n``, tabs and line
    breaks kept, trailing whitespace stripped. Raises ``UnsafeText``."""
    if problem := control_problem(value):
        raise UnsafeText(problem)
    return value.replace("\r\n", "\n").replace("\r", "\n").rstrip()


def check_text(value: str) -> str:
    """``value`` unchanged when it has no control character (paths, identifiers, file names);
    raises ``UnsafeText`` otherwise."""
    if problem := control_problem(value):
        raise UnsafeText(problem)
    if "\t" in value or "\r" in value or "\n" in value:
        raise UnsafeText(_("不能包含换行符或制表符。"))
    return value


class _Budget:
    def __init__(self) -> None:
        self.items = 0
        self.chars = 0

    def spend(self, chars: int) -> None:
        self.items += 1
        self.chars += chars
        if self.items > JSON_MAX_ITEMS:
            raise UnsafeText(_("内容项数过多（最多 %(n)s 项）。") % {"n": JSON_MAX_ITEMS})
        if self.chars > JSON_MAX_CHARS:
            raise UnsafeText(_("内容过长（合计最多 %(n)s 个字符）。") % {"n": JSON_MAX_CHARS})


def clean_json(value: Any) -> Any:
    """Nested JSON with every key a clean line and every string clean long text; depth, item
    count and total characters bounded. Raises ``UnsafeText`` naming where the problem is."""
    return _clean_json(value, budget=_Budget(), depth=0, where="")


def _clean_json(value: Any, *, budget: _Budget, depth: int, where: str) -> Any:
    if depth > JSON_MAX_DEPTH:
        raise UnsafeText(_("内容嵌套层数过多（最多 %(n)s 层）。") % {"n": JSON_MAX_DEPTH})
    if isinstance(value, str):
        budget.spend(len(value))
        return _at(where, clean_text, value)
    if isinstance(value, dict):
        budget.spend(0)
        out = {}
        for key, item in value.items():
            name = _at(where, clean_line, str(key))
            out[name] = _clean_json(item, budget=budget, depth=depth + 1, where=_join(where, name))
        return out
    if isinstance(value, list | tuple):
        budget.spend(0)
        return [
            _clean_json(item, budget=budget, depth=depth + 1, where=_join(where, str(i)))
            for i, item in enumerate(value)
        ]
    budget.spend(0)
    return value


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _at(where: str, clean: Any, value: str) -> str:
    try:
        result: str = clean(value)
    except UnsafeText as exc:
        if not where:
            raise
        raise UnsafeText(_("“%(where)s”：%(problem)s") % {"where": where, "problem": exc}) from exc
    return result
