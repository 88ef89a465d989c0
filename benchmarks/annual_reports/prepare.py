"""Prepares the annual-report peak benchmark's database: organizations that must file, each with
its own organization account, an API token and a complete draft of its 2025 report, as on the
last days before the deadline. Run by ``run.py`` with the server's environment (production
settings, the database under test); writes ``token<TAB>report id<TAB>action`` lines to the
file named by its first argument, for ``--drafts`` reports.

- creates the audit chain key (as a deployment does first), migrates, and loads
  ``--orgs`` synthetic organizations (``socorg demo scale``) when the database holds none;
- picks registered organizations that must file for 2025 (AR-2) and have no 2025 report yet;
- for each: an organization account (not a demo account: production refuses those) and a
  token, then its draft through ``services.annual_report_file`` — the service the API's
  ``POST /annual-reports`` calls — with figures that pass every consistency rule, and its
  audit report (a one-page PDF) through ``services.audit_report_attach``; the submission
  (``POST /annual_report/{id}/transitions``) is what the run times."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from random import Random

import django
from fpdf import FPDF

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socorg.settings")
django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from socorg.core.audit import keys  # noqa: E402
from socorg.core.models import ApiToken, Role, User  # noqa: E402
from socorg.core.tokens import PREFIX_LENGTH, TOKEN_ALPHABET, TOKEN_LENGTH, hash_key  # noqa: E402
from socorg.demo.annual_reports import report_data  # noqa: E402
from socorg.registry.models import Organization, OrgStatus  # noqa: E402
from socorg.supervision.models import AnnualReport  # noqa: E402
from socorg.supervision.rules.annual_reports import filing_problems  # noqa: E402
from socorg.supervision.selectors.annual_reports import submit_action  # noqa: E402
from socorg.supervision.services.annual_reports import (  # noqa: E402
    annual_report_file,
    audit_report_attach,
    year_problem,
)

YEAR = 2025
PREFIX = "arbench_"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--orgs", type=int, default=20_000)
    parser.add_argument("--drafts", type=int, default=15_000)
    return parser.parse_args()


def ensure_data(orgs: int) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    if keys.load_ring() is None:  # production writes no audit row before its chain key exists
        call_command("audit", "rotate-key", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not Organization.objects.exists():
        call_command("demo", "scale", "--orgs", str(orgs), verbosity=0)


def candidates(n: int) -> list[Organization]:
    filed = AnnualReport.objects.filter(year=YEAR).values("organization_id")
    found: list[Organization] = []
    rows = (
        Organization.objects.filter(status=OrgStatus.REGISTERED)
        .exclude(pk__in=filed)
        .select_related("supervisory_unit")
        .order_by("pk")
    )
    today = timezone.localdate()
    for org in rows.iterator(chunk_size=2000):
        if not year_problem(org, YEAR, today):
            found.append(org)
            if len(found) == n:
                break
    return found


def account(org: Organization) -> tuple[User, str]:
    """An organization account with a token, written directly: the token service refuses
    nothing here and its audit rows are not what is measured."""
    user = User.objects.create(
        username=f"{PREFIX}{org.pk}",
        role=Role.ORGANIZATION,
        organization=org,
        is_demo=False,
        is_active=True,
    )
    raw = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))
    ApiToken.objects.create(
        user=user,
        name="annual-report benchmark",
        prefix=raw[:PREFIX_LENGTH],
        key_hash=hash_key(raw),
    )
    return user, raw


def audit_report_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=f"Audit report {YEAR}")
    return bytes(pdf.output())


def main() -> None:
    args = parse_args()
    ensure_data(args.orgs)
    orgs = candidates(args.drafts)
    if len(orgs) < args.drafts:
        raise SystemExit(
            f"only {len(orgs)} organizations can still file {YEAR}: use a fresh database "
            "(run.py does unless --keep) or more --orgs"
        )
    rng = Random(YEAR)
    pdf = audit_report_pdf()
    started = time.monotonic()
    lines: list[str] = []
    for i, org in enumerate(orgs, 1):
        data = report_data(rng, org, None)
        with transaction.atomic():
            user, raw = account(org)
            report = annual_report_file(actor=user, year=YEAR, data=data)
            upload = SimpleUploadedFile("audit-report.pdf", pdf, content_type="application/pdf")
            audit_report_attach(actor=user, report=report, upload=upload)
        problems = filing_problems(report.org_type, report.data)
        if problems:
            raise SystemExit(f"draft {report.pk} would be refused: {problems}")
        lines.append(f"{raw}\t{report.pk}\t{submit_action(report).name}")
        if i % 2000 == 0:
            print(f"  {i} drafts ({time.monotonic() - started:.0f} s)", flush=True)
    with open(args.output, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
