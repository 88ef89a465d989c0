"""Forms of the instructors' pages: they parse input, nothing more (the services validate)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socorg.core.inputs import Form
from socorg.core.text import LONG_TEXT_MAX
from socorg.party.models.instructors import NOTE_MAX, TOPICS_MAX

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TEXT_INPUT = forms.TextInput(attrs={"class": "form-control"})


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "form-control"})


class AssignmentForm(Form):
    organization = forms.CharField(
        label=_("社会组织统一社会信用代码"),
        max_length=18,
        widget=forms.TextInput(
            attrs={"placeholder": _("18 位统一社会信用代码"), "class": "form-control"}
        ),
    )
    started_on = forms.DateField(label=_("选派日期"), widget=DATE_INPUT, initial=timezone.localdate)
    note = forms.CharField(label=_("备注"), required=False, max_length=NOTE_MAX, widget=TEXT_INPUT)


class AssignmentEndForm(Form):
    end_on = forms.DateField(label=_("结束日期"), widget=DATE_INPUT, initial=timezone.localdate)
    reason = forms.CharField(
        label=_("结束原因"), required=False, max_length=NOTE_MAX, widget=TEXT_INPUT
    )


class VisitForm(Form):
    visited_on = forms.DateField(label=_("走访日期"), widget=DATE_INPUT, initial=timezone.localdate)
    topics = forms.CharField(
        label=_("指导内容"),
        max_length=TOPICS_MAX,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("如：支部组织生活、换届准备、党员发展"),
                "class": "form-control",
            }
        ),
    )
    findings = forms.CharField(
        label=_("发现的问题"),
        max_length=LONG_TEXT_MAX,
        widget=_textarea(3),
    )
    follow_ups = forms.CharField(
        label=_("跟进事项"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=_textarea(2),
    )
    follow_up_due = forms.DateField(label=_("跟进期限"), required=False, widget=DATE_INPUT)


class FollowUpCloseForm(Form):
    result = forms.CharField(label=_("跟进结果"), max_length=LONG_TEXT_MAX, widget=_textarea(2))
