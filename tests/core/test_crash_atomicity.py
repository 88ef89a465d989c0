"""A process killed with SIGKILL in the middle of a workflow transition leaves nothing half-done:
the state change, its transition row and its audit row commit together or not at all, and the
audit chain still verifies. (PostgreSQL: the killed process is a separate connection to the
test database; ``benchmarks/crash`` runs the same check against gunicorn and the worker.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from socorg.core.models import AuditLog, Transition

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    import django
    django.setup()
    from django.db import transaction
    from socorg.core.models import User
    from socorg.core.workflow import fire
    from socorg.registry.processes import DATA_CORRECTION

    head = User.objects.get(username=sys.argv[1])
    with transaction.atomic():
        fire(process=DATA_CORRECTION, key=int(sys.argv[2]), action="approve", actor=head)
        if sys.argv[3] == "before-commit":
            os.kill(os.getpid(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def killed_approval(correction, division_head, settings, when: str) -> int:
    conf = connection.settings_dict
    url = f"postgres://{conf['USER']}@{conf['HOST']}:{conf['PORT'] or 5432}/{conf['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SOCORG_AUDIT_KEY_FILE": str(settings.SOCORG_AUDIT_KEY_FILE),
        "SOCORG_AUDIT_SIGNING_KEY_FILE": str(settings.SOCORG_AUDIT_SIGNING_KEY_FILE),
        "SOCORG_AUDIT_ANCHOR_DIR": str(settings.SOCORG_AUDIT_ANCHOR_DIR),
    }
    args = [sys.executable, "-c", SCRIPT, division_head.username, str(correction.pk), when]
    return subprocess.run(args, env=env, capture_output=True).returncode


def verify_code() -> int:
    try:
        call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture(autouse=True)
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the killed process needs a database it can share: PostgreSQL")


def test_transition_killed_before_commit_leaves_no_trace(correction, division_head, settings):
    rows = AuditLog.objects.count()
    assert killed_approval(correction, division_head, settings, "before-commit") == -signal.SIGKILL
    correction.refresh_from_db()
    assert correction.state == "proposed"
    assert not Transition.objects.filter(object_id=str(correction.pk)).exists()
    assert AuditLog.objects.count() == rows
    assert verify_code() == 0


def test_transition_killed_after_commit_is_complete(correction, division_head, settings):
    assert killed_approval(correction, division_head, settings, "after-commit") == -signal.SIGKILL
    correction.refresh_from_db()
    assert correction.state == "approved"
    assert Transition.objects.filter(object_id=str(correction.pk), to_state="approved").count() == 1
    assert AuditLog.objects.filter(action="data_correction.approve").count() == 1
    assert AuditLog.objects.filter(action="organization.correct").count() == 1
    assert verify_code() == 0
