"""The input seam: every form and every API schema cleans its text through ``core.text``.

- Forms derive from :class:`Form` or :class:`ModelForm` (the mixin :class:`CleanInputMixin`):
  before Django cleans the fields, each submitted value is cleaned by its field's kind
  (``Textarea`` → long text, password-like fields verbatim but still refused when they hold a
  control character, everything else → single line). A control character refuses the whole
  submission with the message on the field, and no field is cleaned further.
- API input schemas derive from :class:`InputSchema`: a field validator (mode ``before``)
  cleans each string field the same way (``MultiLine`` marks long text) and walks dicts and
  lists (``core.text.clean_json``), so the error is a 422 on the field.
- Paths, query strings, multipart bodies, uploaded file names and NUL in any form value are
  checked at the door by ``core.middleware.InputGuardMiddleware`` (400).

``tests/security/test_control_characters.py`` enumerates every form and every API operation
and fails on one that does not go through here."""

from __future__ import annotations

import re
from typing import Annotated, Any

from django import forms
from django.forms.utils import ErrorDict
from django.http import QueryDict
from ninja import Schema
from pydantic import ValidationInfo, field_validator

from socorg.core import text


class _MultiLineMark:
    """Metadata of an API string field holding long text (line breaks kept)."""

    def __repr__(self) -> str:
        return "MultiLine"


MULTILINE_MARK = _MultiLineMark()
MultiLine = Annotated[str, MULTILINE_MARK]


# --- forms ---------------------------------------------------------------------------------------


def field_cleaner(field: forms.Field) -> Any:
    """How a submitted value of ``field`` is cleaned before the field sees it."""
    if isinstance(field.widget, forms.PasswordInput) or getattr(field, "strip", True) is False:
        return text.check_text if not isinstance(field.widget, forms.Textarea) else _verbatim
    if isinstance(field.widget, forms.Textarea):
        return text.clean_text
    return text.clean_line


def _verbatim(value: str) -> str:
    if problem := text.control_problem(value):
        raise text.UnsafeText(problem)
    return value


def clean_value(field: forms.Field, value: Any) -> Any:
    """One submitted value (a string, or JSON data given to a form as a dict)."""
    if isinstance(value, str):
        return field_cleaner(field)(value)
    if isinstance(value, dict | list | tuple):
        return text.clean_json(value)
    return value


class CleanInputMixin:
    """Runs the seam on the bound data before Django's cleaning (see the module docstring)."""

    def full_clean(self) -> None:
        form: Any = self
        if form.is_bound and form.data is not None:
            problems = self._clean_bound_data()
            if problems:
                form._errors = ErrorDict(renderer=form.renderer)
                form.cleaned_data = {}
                for name, message in problems.items():
                    form.add_error(name, message)
                return
        super().full_clean()  # type: ignore[misc]

    def _clean_bound_data(self) -> dict[str | None, str]:
        form: Any = self
        data = form.data
        is_query = isinstance(data, QueryDict)
        cleaned: Any = data.copy() if is_query else dict(data)
        problems: dict[str | None, str] = {}
        for name, field in form.fields.items():
            for key in _keys_of(form.add_prefix(name), field, data):
                values = data.getlist(key) if is_query else [data[key]]
                try:
                    new = [clean_value(field, v) for v in values]
                except text.UnsafeText as exc:
                    problems.setdefault(name, str(exc))
                    continue
                if is_query:
                    cleaned.setlist(key, new)
                else:
                    cleaned[key] = new[0]
        form.data = cleaned
        return problems


def _keys_of(html_name: str, field: forms.Field, data: Any) -> list[str]:
    if isinstance(field.widget, forms.MultiWidget):
        pattern = re.compile(rf"{re.escape(html_name)}(_\d+)?")
        return [key for key in data if pattern.fullmatch(key)]
    return [html_name] if html_name in data else []


class Form(CleanInputMixin, forms.Form):
    """The base of every form of the project."""


class ModelForm(CleanInputMixin, forms.ModelForm):
    """The base of every model form of the project."""


# --- API schemas ---------------------------------------------------------------------------------


class InputSchema(Schema):
    """The base of every API input schema: strings are cleaned single-line values unless
    annotated ``MultiLine``; dicts and lists are walked (``core.text.clean_json``)."""

    @field_validator("*", mode="before")
    @classmethod
    def _clean_input(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        multiline = field is not None and MULTILINE_MARK in field.metadata
        return _clean_api_value(value, multiline=multiline)


def _clean_api_value(value: Any, *, multiline: bool) -> Any:
    try:
        if isinstance(value, str):
            return text.clean_text(value) if multiline else text.clean_line(value)
        if isinstance(value, dict | list | tuple):
            return text.clean_json(value)
    except text.UnsafeText as exc:
        # pydantic reports a ValueError raised here as the field's own message.
        raise ValueError(str(exc)) from exc
    return value


# --- query parameters ----------------------------------------------------------------------------

PAGE_NUMBER = re.compile(r"[0-9]{1,6}")
MAX_PAGE = 999_999


def page_number(raw: str | None) -> int:
    """A list page's ``?page=``: ASCII digits up to ``MAX_PAGE``; anything else is page 1
    (``str.isdigit`` accepts ``²``, which ``int`` refuses)."""
    if raw and PAGE_NUMBER.fullmatch(raw):
        return max(1, int(raw))
    return 1
