"""Password policy of a level-3 system (GB/T 22239-2019 8.1.4.1, rule MLPS-1): a minimum length,
a minimum number of character classes and a maximum age, each a rule parameter the bureau can
change without a deploy. ``PolicyValidator`` is one of ``AUTH_PASSWORD_VALIDATORS``, so every
form that sets a password (the self-service change page, the admin site) applies it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core.params import param
from socorg.core.rules.accounts import password_expired, password_problems


def password_is_expired(user: Any) -> bool:
    return password_expired(
        user.password_changed_at,
        max_age_days=int(param("MLPS-1.password_max_age_days")),
        now=timezone.now(),
    )


class PolicyValidator:
    """MLPS-1 length and character classes, read from the rule parameters."""

    def validate(self, password: str, user: Any = None) -> None:
        problems = password_problems(
            password,
            min_length=int(param("MLPS-1.password_min_length")),
            min_classes=int(param("MLPS-1.password_min_classes")),
        )
        if problems:
            raise ValidationError(problems, code="password_policy")

    def get_help_text(self) -> str:
        return password_policy_text()


def password_policy_text() -> str:
    return _(
        "密码至少 %(n)d 个字符，并包含大写字母、小写字母、数字、符号中的至少 %(k)d 类；"
        "每 %(d)d 天须更换一次。"
    ) % {
        "n": int(param("MLPS-1.password_min_length")),
        "k": int(param("MLPS-1.password_min_classes")),
        "d": int(param("MLPS-1.password_max_age_days")),
    }
