"""``socorg token create|revoke|list``: manage API bearer tokens from the console."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from socorg.core.models import User
from socorg.core.tokens import token_create, token_revoke, tokens_of


class Command(BaseCommand):
    help = "管理接口令牌（Bearer token）：create 创建、revoke 吊销、list 列出。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为用户创建令牌（令牌只显示这一次）")
        create.add_argument("--user", required=True, help="用户名")
        create.add_argument("--name", default="", help="令牌用途说明")
        revoke = sub.add_parser("revoke", help="按前缀吊销令牌")
        revoke.add_argument("--prefix", required=True, help="令牌的前8位")
        listing = sub.add_parser("list", help="列出用户的令牌（只显示前缀）")
        listing.add_argument("--user", required=True, help="用户名")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc

    def _create(self, options: dict[str, Any]) -> None:
        user = _user(options["user"])
        token, raw = token_create(user=user, name=options["name"])
        self.stdout.write(raw)
        self.stderr.write(
            _("已为 %(user)s 创建令牌（前缀 %(prefix)s）。令牌只显示这一次，请妥善保存。")
            % {"user": user.get_username(), "prefix": token.prefix}
        )

    def _revoke(self, options: dict[str, Any]) -> None:
        token = token_revoke(prefix=options["prefix"])
        self.stdout.write(
            _("已吊销令牌 %(prefix)s（用户 %(user)s）。")
            % {"prefix": token.prefix, "user": token.user.get_username()}
        )

    def _list(self, options: dict[str, Any]) -> None:
        for token in tokens_of(_user(options["user"])):
            state = _("已吊销") if token.revoked_at else _("有效")
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else _("从未使用")
            self.stdout.write(f"{token.prefix}\t{token.name or '-'}\t{state}\t{used}")


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("用户“%(name)s”不存在。") % {"name": username})
    return user
