"""The one way a page fires a workflow button: parse the posted form, fire, and turn the
engine's refusals into what the clerk sees. A stale click (someone else handled the item) or an
invalid record comes back as a flash message; a guard's refusal (e.g. rejecting without a
comment) as a :class:`Refusal` for the page to show inline under the buttons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from socorg.core import workflow
from socorg.core.decorators import request_user
from socorg.core.inputs import Form


class TransitionForm(Form):
    """A button of the workflow: which action, the state the clerk saw, and an optional comment."""

    action = forms.CharField(max_length=40)
    expected_state = forms.CharField(max_length=40)
    comment = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)


@dataclass(frozen=True)
class Refusal:
    message: str
    comment: str


# Fires the cleaned form's action; the default is the engine itself. A capability passes its
# own service where an action carries more than a comment (e.g. 受理 with the departments to
# consult), still ending in ``workflow.fire``.
Runner = Callable[[HttpRequest, workflow.Process, Any, dict[str, Any]], None]


def _fire(request: HttpRequest, process: workflow.Process, key: Any, data: dict[str, Any]) -> None:
    workflow.fire(
        process=process,
        key=key,
        action=data["action"],
        actor=request_user(request),
        comment=data["comment"],
        expected_state=data["expected_state"],
    )


def fire_posted(
    request: HttpRequest,
    process: workflow.Process,
    key: Any,
    *,
    run: Runner = _fire,
    done: str = "",
) -> Refusal | None:
    """``done`` words the success message around the action's label (default 已<label>。,
    right for verb labels such as 批准 or 受理). An item outside the caller's scope answers 404
    whatever was posted."""
    process.access(request_user(request), key)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("提交的操作不完整，请刷新页面后重试。"))
        return None
    data: dict[str, Any] = form.cleaned_data
    try:
        run(request, process, key, data)
    except workflow.ActionRefused as exc:
        return Refusal(str(exc), data["comment"])
    except (workflow.StaleState, workflow.UnknownAction) as exc:
        messages.warning(request, str(exc))
    except ValidationError as exc:
        messages.error(request, _("操作未生效：%(why)s") % {"why": "；".join(exc.messages)})
    else:
        label = process.action(data["action"]).label
        messages.success(request, (done or _("已%(label)s。")) % {"label": label})
    return None
