"""Forms of term transitions and the 换届管理 list: they parse input, nothing more."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from socorg.core.inputs import Form
from socorg.registration.forms.principals import DATE_INPUT, TEXT
from socorg.registration.rules import terms as tr
from socorg.registry.models import PrincipalCandidateReview


def _review_label(review: PrincipalCandidateReview) -> str:
    return str(
        _("#%(id)s · 选举日 %(day)s") % {"id": review.pk, "day": f"{review.election_on:%Y-%m-%d}"}
    )


class TermTransitionForm(Form):
    review = forms.ModelChoiceField(
        label=_("已通过的负责人候选人审核"),
        queryset=PrincipalCandidateReview.objects.none(),
        empty_label=_("请选择"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    election_on = forms.DateField(label=_("选举日期"), widget=DATE_INPUT)
    starts_on = forms.DateField(label=_("新一届起始日期"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("新一届届满日期"), widget=DATE_INPUT)
    audit_report = forms.FileField(
        label=_("财务审计报告（PDF）"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".pdf,application/pdf"}
        ),
    )

    def __init__(
        self, *args: Any, reviews: QuerySet[PrincipalCandidateReview], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["review"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = reviews
        field.label_from_instance = _review_label  # type: ignore[method-assign,assignment]

    def add_service_errors(self, exc: Any) -> None:
        for name, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
            self.add_error(name if name in self.fields else None, messages)


STATUS_CHOICES = [("", _("全部（即将届满及逾期）"))] + [
    (str(s), label) for s, label in tr.TERM_STATUS_LABELS.items() if s != tr.TermStatus.CURRENT
]


class TermFilterForm(Form):
    status = forms.ChoiceField(
        label=_("状态"),
        choices=STATUS_CHOICES,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    q = forms.CharField(
        label=_("组织名称"), required=False, max_length=40, widget=forms.TextInput(attrs=TEXT)
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"status": "", "q": ""}
        return {"status": self.cleaned_data["status"], "q": self.cleaned_data["q"].strip()}
