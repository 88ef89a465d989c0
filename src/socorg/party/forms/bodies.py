"""Forms of party affiliation and branches: they parse input, nothing more."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from socorg.core.inputs import Form
from socorg.party.models import BranchKind, PartyBody
from socorg.registry.models import SourceDocument


class AffiliationChangeForm(Form):
    body = forms.TypedChoiceField(label=_("新隶属机构"), coerce=int)
    changed_on = forms.DateField(
        label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source_document = forms.TypedChoiceField(
        label=_("调整依据文件"), required=False, coerce=int, empty_value=None
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(
        self,
        *args: Any,
        bodies: Iterable[PartyBody],
        documents: Iterable[SourceDocument],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        body_field = self.fields["body"]
        doc_field = self.fields["source_document"]
        assert isinstance(body_field, forms.ChoiceField)
        assert isinstance(doc_field, forms.ChoiceField)
        body_field.choices = [(b.pk, str(b)) for b in bodies]
        doc_field.choices = [
            ("", _("（首次明确隶属关系时可不选）")),
            *((d.pk, str(d)) for d in documents),
        ]


class BranchForm(Form):
    name = forms.CharField(label=_("党组织名称"), max_length=120)
    kind = forms.ChoiceField(label=_("建立方式"), choices=BranchKind.choices)
    organizations = forms.CharField(
        label=_("覆盖的社会组织"),
        max_length=2000,
        help_text=_("填写统一社会信用代码；联合党支部填写多个，用逗号或空格分隔。"),
    )
    body = forms.TypedChoiceField(label=_("隶属机构"), coerce=int, required=False, empty_value=None)
    secretary = forms.CharField(label=_("书记"), max_length=30, required=False)
    founded_on = forms.DateField(
        label=_("成立日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    members_total = forms.IntegerField(label=_("党员人数"), min_value=0, max_value=9999)
    members_full_time = forms.IntegerField(
        label=_("其中专职人员中的党员"), min_value=0, max_value=9999
    )
    elected_on = forms.DateField(
        label=_("本届选举日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    next_election_on = forms.DateField(
        label=_("应换届日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, bodies: Iterable[PartyBody], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["body"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *((b.pk, str(b)) for b in bodies)]

    def usccs(self) -> list[str]:
        text = self.cleaned_data.get("organizations") or ""
        return [c for c in text.replace("，", ",").replace(",", " ").upper().split() if c]
