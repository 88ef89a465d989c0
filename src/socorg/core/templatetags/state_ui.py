"""The one way a page shows the state of an item: a badge whose colour says what the state
means to the reader, the same in every capability.

- draft, withdrawn, closed: grey;
- in review (waiting for the authority): blue;
- waiting for the applicant (a correction asked, a filing returned), suspended: amber;
- approved, consented, registered, filed: green;
- refused, rejected, revoked: red.

States are matched by their stored value; the capabilities name their states alike
(``submitted``, ``approved``, ``refused``…), so one table serves them all."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

DRAFT, IN_REVIEW, WAITING, APPROVED, REFUSED = "draft", "review", "waiting", "approved", "refused"

# Meaning -> Bootstrap colour of the badge.
COLOURS = {
    DRAFT: "secondary",
    IN_REVIEW: "primary",
    WAITING: "warning",
    APPROVED: "success",
    REFUSED: "danger",
}

MEANINGS: dict[str, str] = {
    "draft": DRAFT,
    "withdrawn": DRAFT,
    "deregistered": DRAFT,
    "submitted": IN_REVIEW,
    "joint_review": IN_REVIEW,
    "pending": IN_REVIEW,
    "proposed": IN_REVIEW,
    "party_agreed": IN_REVIEW,
    "unit_agreed": IN_REVIEW,
    "unit_review": IN_REVIEW,
    "bureau_review": IN_REVIEW,
    "pre_review": IN_REVIEW,
    "correction_requested": WAITING,
    "review_correction": WAITING,
    "returned": WAITING,
    "suspended": WAITING,
    "approved": APPROVED,
    "consented": APPROVED,
    "registered": APPROVED,
    "filed": APPROVED,
    "concluded": APPROVED,
    "published": APPROVED,
    "refused": REFUSED,
    "rejected": REFUSED,
    "revoked": REFUSED,
    # credit listings (CR-2 … CR-5): on a list is bad news, leaving it good news
    "noticed": WAITING,
    "listed": REFUSED,
    "delisting_requested": IN_REVIEW,
    "cancelled": DRAFT,
    "delisted": APPROVED,
    # Dormant-organization candidates (DO-2).
    "identified": IN_REVIEW,
    "rectifying": WAITING,
    "guided_deregistration": WAITING,
    "revocation": WAITING,
    "reactivated": APPROVED,
    "dismissed": DRAFT,
    # Complaints and tips: waiting on the bureau, with a department, answered.
    "received": WAITING,
    "triaged": IN_REVIEW,
    "routed": IN_REVIEW,
    "replied": APPROVED,
    "closed": DRAFT,
    # Random-inspection plans (RI-*): committed and waiting for the draw, then drawn.
    "committed": IN_REVIEW,
    "drawn": APPROVED,
    # Enforcement cases: being handled, waiting on the party's statement, penalty decided.
    "opened": IN_REVIEW,
    "investigating": IN_REVIEW,
    "decided": REFUSED,
    "served": REFUSED,
    "executed": APPROVED,
    # Brand activities (party building): planned, then held (or cancelled, grey above).
    "planned": IN_REVIEW,
    "held": APPROVED,
    # An instructor's visit: nothing to follow up, a follow-up open, followed up.
    "no_follow_up": DRAFT,
    "follow_up_open": WAITING,
    "follow_up_done": APPROVED,
}


def state_meaning(state: str) -> str:
    """What the state means to the reader (grey for a state the table does not know)."""
    return MEANINGS.get(str(state), DRAFT)


@register.simple_tag
def state_badge(state: str, label: str, extra: str = "") -> SafeString:
    """``{% state_badge app.state app.get_state_display %}``: the state's label on its colour."""
    meaning = state_meaning(state)
    css = f"badge state-badge text-bg-{COLOURS[meaning]} {extra}".strip()
    return format_html(
        '<span class="{}" data-state="{}" data-meaning="{}">{}</span>', css, state, meaning, label
    )
