"""Forms of the party-building pages: they parse input, nothing more."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from socorg.core.inputs import Form
from socorg.party.services.imports import DocumentInput
from socorg.registry.models import SourceDocument

NEW_DOCUMENT = ""


class ResponsibilityImportForm(Form):
    """The workbook and its source document: an existing one, or title, 文号 and date of a new
    one (created only if the import succeeds)."""

    file = forms.FileField(
        label=_("填好的工作簿（.xlsx）"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    document = forms.TypedChoiceField(
        label=_("依据文件"), required=False, coerce=int, empty_value=None
    )
    title = forms.CharField(label=_("文件标题"), required=False, max_length=200)
    number = forms.CharField(
        label=_("文号"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": _("如：日组通〔2022〕12号")}),
    )
    issued_on = forms.DateField(
        label=_("印发日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, documents: Iterable[SourceDocument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["document"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (NEW_DOCUMENT, _("新建依据文件（在下方填写）")),
            *((d.pk, str(d)) for d in documents),
        ]

    @staticmethod
    def initial_from(result: dict[str, Any] | None) -> dict[str, Any]:
        """The document of the last attempt, so that a retry (or the next file under the same
        document) needs only the file."""
        result = result or {}
        if result.get("document_id"):  # created by the import: now one to choose
            return {"document": result["document_id"]}
        document = result.get("document_input") or {}
        if "id" in document:
            return {"document": document["id"]}
        return {k: document[k] for k in ("title", "number", "issued_on") if k in document}

    def document_input(self) -> DocumentInput:
        data = self.cleaned_data
        return DocumentInput(
            existing_id=data.get("document"),
            title=data.get("title") or "",
            number=data.get("number") or "",
            issued_on=data.get("issued_on"),
        )

    def add_service_errors(self, exc: ValidationError) -> None:
        """Show a service's refusal next to the field it concerns."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for field, messages in exc.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)
