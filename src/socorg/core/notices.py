"""In-app notices (站内通知): what one capability tells an account — a reminder of a due
report, a decision, a notice before a listing. ``notice_send`` runs inside the caller's
transaction (the caller writes the audit row of the act the notice reports); reading a notice
marks it read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core.access import scope_notices
from socorg.core.models import Notice, User
from socorg.core.text import clean_line

# Notices per page of the notices list.
PAGE_SIZE = 30
# A reminder about the same subject reaches the same account at most once in this window.
REPEAT_WINDOW = timedelta(hours=20)


def notice_send(
    *,
    recipients: Iterable[User | int],
    title: str,
    body: str = "",
    link: str = "",
    subject: str = "",
    sender: User | None = None,
) -> int:
    """Notify each recipient once; with a ``subject``, an account already told about it in the
    last ``REPEAT_WINDOW`` is skipped. Returns how many notices were written."""
    ids = {r if isinstance(r, int) else r.pk for r in recipients}
    now = timezone.now()
    if subject:
        ids -= set(
            Notice.objects.filter(
                subject=subject, recipient_id__in=ids, created_at__gte=now - REPEAT_WINDOW
            ).values_list("recipient_id", flat=True)
        )
    rows = [
        Notice(
            recipient_id=pk,
            title=clean_line(title)[:120],
            body=clean_line(body)[:500],
            link=link[:300],
            subject=subject[:80],
            sender=sender,
            created_at=now,
        )
        for pk in sorted(ids)
    ]
    with transaction.atomic():
        Notice.objects.bulk_create(rows)
    return len(rows)


def unread_count(user: User) -> int:
    return scope_notices(user).filter(read_at__isnull=True).count()


def notice_mark_read(*, user: User, pk: int) -> Notice:
    """The user's own notice, marked read; 404 for anyone else's."""
    notice = scope_notices(user).filter(pk=pk).first()
    if notice is None:
        raise Http404(_("未找到该通知。"))
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notice_page(user: User, number: int) -> Page:
    """One page of the user's own notices, newest first (unread ones stand out on the page)."""
    return Paginator(scope_notices(user).select_related("sender"), PAGE_SIZE).get_page(number)


def safe_link(link: str) -> str:
    """A notice's link if it stays on this site (a path), else nothing: a notice never sends
    its reader elsewhere."""
    if link.startswith("/") and not link.startswith("//") and "\\" not in link:
        return link
    return ""
