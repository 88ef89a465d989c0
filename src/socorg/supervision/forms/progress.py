"""The filing progress page's filters and its reminder form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socorg.core.forms import Form
from socorg.registry.models import OrgType
from socorg.supervision.rules import progress as rules
from socorg.supervision.selectors.progress import UNFILED, ProgressFilters, bucket_labels

# The earliest year the progress page offers (the platform's first annual reports).
FIRST_YEAR = 2015
# Most organizations one reminder form may name.
REMIND_MAX_IDS = 5000


def year_choices() -> list[tuple[int, str]]:
    """Years whose reports are due or were due, newest first (this year's fall due next year)."""
    newest = timezone.localdate().year
    return [(year, str(year)) for year in range(newest, FIRST_YEAR - 1, -1)]


def state_choices() -> list[tuple[str, Any]]:
    labels = bucket_labels()
    return [
        ("", _("全部")),
        (UNFILED, _("尚未报送（未开始或草稿）")),
        *[(bucket, labels[bucket]) for bucket in rules.BUCKETS],
    ]


class ProgressFilterForm(Form):
    """The progress page's filters, bound to GET so a URL can be shared."""

    year = forms.TypedChoiceField(label=_("报告年度"), coerce=int, required=False)
    state = forms.ChoiceField(label=_("报送情况"), required=False)
    late = forms.BooleanField(label=_("仅看逾期"), required=False)
    org_type = forms.ChoiceField(label=_("类型"), required=False)
    q = forms.CharField(
        label=_("名称或统一社会信用代码"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("名称关键字"),
                "class": "form-control form-control-sm",
            }
        ),
    )
    department = forms.IntegerField(
        required=False, min_value=0, max_value=2**31, widget=forms.HiddenInput
    )
    jurisdiction = forms.IntegerField(
        required=False, min_value=1, max_value=2**31, widget=forms.HiddenInput
    )

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        self.fields["year"].choices = year_choices()  # type: ignore[attr-defined]
        self.fields["state"].choices = state_choices()  # type: ignore[attr-defined]
        self.fields["org_type"].choices = [  # type: ignore[attr-defined]
            ("", _("全部类型")),
            *[(value, label) for value, label in OrgType.choices if value in rules.FILING_TYPES],
        ]

    def filters(self, default_year: int) -> ProgressFilters:
        """The valid filters (an invalid one is dropped, its error shown beside the field)."""
        self.is_valid()
        data = self.cleaned_data
        return ProgressFilters(
            year=data.get("year") or default_year,
            state=data.get("state") or "",
            late=bool(data.get("late")),
            org_type=data.get("org_type") or "",
            department=data.get("department"),
            jurisdiction=data.get("jurisdiction"),
            q=data.get("q") or "",
        )


class IdListField(forms.Field):
    """Organization ids posted as repeated values (checkboxes)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        if len(values) > REMIND_MAX_IDS:
            raise ValidationError(_("一次最多提醒 %(n)s 个组织。"), params={"n": REMIND_MAX_IDS})
        ids = []
        for item in values:
            text = str(item).strip()
            if not text.isdigit() or len(text) > 18:
                raise ValidationError(_("所选组织有误，请刷新页面后重新选择。"))
            ids.append(int(text))
        return ids


class RemindForm(Form):
    """Whom to remind: the ticked organizations, or every one of the list that has not filed."""

    year = forms.TypedChoiceField(label=_("报告年度"), coerce=int)
    organization = IdListField(required=False)
    everyone = forms.BooleanField(required=False)

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        self.fields["year"].choices = year_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("organization") and not data.get("everyone"):
            raise ValidationError(_("请先勾选要提醒的组织。"))
        return data
