"""Forms of the brand pages: a member joining, an activity planned, an activity reported
held."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socorg.core.inputs import Form
from socorg.party.forms.liaisons import DATE, BootstrapMixin
from socorg.party.models.brand import PARTICIPANTS_MAX
from socorg.party.services.brand import ActivityInput


class MemberForm(BootstrapMixin, Form):
    organization = forms.CharField(
        label=_("社会组织"),
        max_length=100,
        help_text=_("统一社会信用代码或登记证书上的全称"),
    )
    joined_on = forms.DateField(label=_("加入日期"), widget=DATE)
    role = forms.CharField(
        label=_("承担角色"),
        max_length=60,
        required=False,
        help_text=_("如：志愿服务队、阵地共建单位"),
    )

    @classmethod
    def today(cls) -> dict[str, Any]:
        return {"joined_on": timezone.localdate()}


class ActivityForm(BootstrapMixin, Form):
    title = forms.CharField(label=_("活动名称"), max_length=100)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    venue = forms.CharField(label=_("活动地点"), max_length=100, required=False)
    description = forms.CharField(
        label=_("活动内容"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    organizations = forms.TypedMultipleChoiceField(
        label=_("参与的成员组织"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("请至少选择一家参与的成员组织。")},
    )

    def __init__(self, *args: Any, members: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organizations"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(members)

    def activity_input(self) -> ActivityInput:
        data = self.cleaned_data
        return ActivityInput(
            title=data["title"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            venue=data["venue"],
            description=data["description"],
        )


class HeldForm(BootstrapMixin, Form):
    participants = forms.IntegerField(label=_("参与人次"), min_value=1, max_value=PARTICIPANTS_MAX)
    volunteers = forms.IntegerField(
        label=_("志愿者人数"), min_value=0, max_value=PARTICIPANTS_MAX, required=False
    )
    comment = forms.CharField(
        label=_("开展情况"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
