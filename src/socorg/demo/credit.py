"""The demo's credit lists, written by the compliance sweep itself on the demo's data: a run on
``NOTICE_DAY`` sends the notices (CR-2: reports not filed, unreachable organizations; CR-4:
revoked ones), a run on ``scenario.AS_OF`` — after every response window — puts them into
effect. So the 信用名录 page opens on real listings with their evidence, and the nightly sweep
that follows finds nothing new to write. Deterministic: both days are fixed."""

from __future__ import annotations

from datetime import date

from socorg.demo.annual_reports import AS_OF
from socorg.supervision.models import CreditListing
from socorg.supervision.services.sweep import sweep_run

# The notices go out a month before the demo's day; their 10 working days are over by then.
NOTICE_DAY = date(2026, 10, 9)


def ensure_demo_listings() -> int:
    """Run the sweep on the two days unless the demo has listings already; how many listings
    there are afterwards."""
    if not CreditListing.objects.exists():
        sweep_run(as_of=NOTICE_DAY)
        sweep_run(as_of=AS_OF)
    return CreditListing.objects.count()
