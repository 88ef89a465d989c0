"""Download of a stored attachment, only through its owner's access check.

The owner's registered check decides (``attachments.attachment_owner_register``): an
attachment whose owner the user may not see does not exist for them (404)."""

from __future__ import annotations

from typing import cast

from django.http import FileResponse, HttpRequest, HttpResponse

from socorg.core.attachments import attachment_open
from socorg.core.decorators import staff_view
from socorg.core.models import User

# Kinds a browser may show in place; everything else is offered as a download.
INLINE_TYPES = frozenset({"application/pdf"})


@staff_view("registry.view")
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file under its original name (RFC 5987 for non-ASCII names), never sniffed."""
    attachment, content = attachment_open(user=cast(User, request.user), pk=pk)
    response = FileResponse(
        content,
        as_attachment=attachment.content_type not in INLINE_TYPES,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)  # streamed; the decorator types views as HttpResponse
