"""Crash test on PostgreSQL: acknowledged writes survive SIGKILL of the web and worker processes.

One command (from the project root)::

    .venv/bin/python benchmarks/crash/run.py [--seconds 60] [--kills 8] [--writers 3]

It creates a fresh database ``socorg_crash_<time>`` (dropped afterwards unless ``--keep``),
loads the demo city, starts gunicorn and a task worker (``socorg db_worker``), and drives
acknowledged writes while killing both with SIGKILL and restarting them:

- through the HTTP API (bearer tokens): a registrar proposes a data correction (201 = acknowledged),
  a division head approves or rejects it (200 = acknowledged; approving applies the change to
  the organization in the same transaction);
- through the worker: tasks that propose corrections (a task whose result is SUCCEEDED is
  acknowledged by the worker; its enqueue was committed by this process).

Afterwards it checks that every acknowledged write is present, that no transition is half-done
(each correction's state, its transition rows, its audit rows and the organization's change
agree) and that ``socorg audit verify`` passes (the chain and every checkpoint written by
``socorg audit anchor`` between kills). The counts go to ``benchmarks/crash/last_run.json``."""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
RESULT_FILE = Path(__file__).with_name("last_run.json")


@dataclass
class Ledger:
    """What the writers were told: acknowledged writes, and attempts whose outcome is unknown."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    proposals: dict[int, tuple[int, str]] = field(default_factory=dict)  # id -> (org, domicile)
    decisions: dict[int, str] = field(default_factory=dict)  # id -> state acknowledged
    tasks: dict[str, tuple[int, str]] = field(default_factory=dict)  # task id -> (org, domicile)
    applications: dict[int, str] = field(default_factory=dict)  # id -> name applied for
    withdrawals: set[int] = field(default_factory=set)
    unacknowledged: Counter[str] = field(default_factory=Counter)


class Processes:
    """gunicorn and the task worker, each in its own process group so SIGKILL takes all of it."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env, self.port = env, port
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.logs = Path(env["SOCORG_VAR_DIR"])

    def _spawn(self, args: list[str], log: str) -> subprocess.Popen[bytes]:
        out = (self.logs / log).open("ab")
        return subprocess.Popen(
            args, env=self.env, cwd=ROOT, stdout=out, stderr=out, start_new_session=True
        )

    def start_web(self) -> None:
        bind = f"127.0.0.1:{self.port}"
        args = [str(BIN / "gunicorn"), "socorg.wsgi", "-w", "2", "-b", bind, "--timeout", "30"]
        self.web = self._spawn(args, "web.log")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://{bind}/login/", timeout=2).read()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not come up")

    def start_worker(self) -> None:
        args = [str(BIN / "socorg"), "db_worker", "--interval", "0.05", "--no-reload"]
        self.worker = self._spawn(args, "worker.log")

    @staticmethod
    def _kill(proc: subprocess.Popen[bytes] | None, sig: int) -> None:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, sig)
            proc.wait()

    def kill_web(self, sig: int = signal.SIGKILL) -> None:
        self._kill(self.web, sig)

    def kill_worker(self, sig: int = signal.SIGKILL) -> None:
        self._kill(self.worker, sig)


def api(port: int, token: str, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1{path}",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, {}


def _failure(exc: OSError) -> str:
    """``refused``: the request never reached a server (web process down); ``lost``: it was sent
    and no answer came back (the process died while handling it — outcome unknown)."""
    reason = getattr(exc, "reason", exc)
    return "refused" if isinstance(reason, ConnectionRefusedError) else "lost"


def http_writer(
    port: int,
    tokens: dict[str, str],
    orgs: list[tuple[int, str]],
    ledger: Ledger,
    stop: threading.Event,
) -> None:
    """Propose a correction, then decide it: each step acknowledged only by its success status."""
    rng = random.Random()
    while not stop.is_set():
        org_id, uscc = rng.choice(orgs)
        domicile = f"日照市东港区海曲东路{uuid.uuid4().hex[:8]}号"
        body = {"organization": uscc, "changes": {"domicile": domicile}, "reason": "住所核实"}
        try:
            status, data = api(port, tokens["registrar"], "/data_correction", body)
        except OSError as exc:
            ledger.unacknowledged[f"proposal_{_failure(exc)}"] += 1
            time.sleep(0.05)
            continue
        if status != 201:
            ledger.unacknowledged[f"proposal_http_{status}"] += 1
            continue
        pk = int(data["id"])
        with ledger.lock:
            ledger.proposals[pk] = (org_id, domicile)
        action = "approve" if rng.random() < 0.7 else "reject"
        decision = {"action": action, "comment": "核实无误", "expected_state": "proposed"}
        try:
            status, data = api(port, tokens["head"], f"/data_correction/{pk}/transitions", decision)
        except OSError as exc:
            ledger.unacknowledged[f"decision_{_failure(exc)}"] += 1
            continue
        if status == 200:
            with ledger.lock:
                ledger.decisions[pk] = data["state"]
        else:
            ledger.unacknowledged[f"decision_http_{status}"] += 1


def application_writer(port: int, token: str, ledger: Ledger, stop: threading.Event) -> None:
    """A founder drafts an establishment application (acknowledged by its id), then withdraws
    every other one (a workflow transition, acknowledged by 200)."""
    rng = random.Random()
    while not stop.is_set():
        name = f"日照市{uuid.uuid4().hex[:6]}科技促进会"
        body = {
            "kind": "establishment",
            "org_type": "social_group",
            "jurisdiction": "371100",
            "data": {"name": name, "domicile": "日照市东港区海曲中路1号"},
        }
        try:
            status, data = api(port, token, "/applications", body)
        except OSError as exc:
            ledger.unacknowledged[f"application_{_failure(exc)}"] += 1
            time.sleep(0.05)
            continue
        if status != 200:
            ledger.unacknowledged[f"application_http_{status}"] += 1
            time.sleep(0.05)
            continue
        pk = int(data["id"])
        with ledger.lock:
            ledger.applications[pk] = name
        if rng.random() < 0.5:
            continue
        withdraw = {"action": "withdraw", "comment": "", "expected_state": "draft"}
        try:
            status, _data = api(port, token, f"/application/{pk}/transitions", withdraw)
        except OSError as exc:
            ledger.unacknowledged[f"withdrawal_{_failure(exc)}"] += 1
            continue
        if status == 200:
            with ledger.lock:
                ledger.withdrawals.add(pk)
        else:
            ledger.unacknowledged[f"withdrawal_http_{status}"] += 1


def task_writer(orgs: list[tuple[int, str]], ledger: Ledger, stop: threading.Event) -> None:
    from django.db import connection

    from benchmarks.crash.tasks import propose_correction

    rng = random.Random()
    while not stop.is_set():
        org_id, _uscc = rng.choice(orgs)
        domicile = f"日照市岚山区圣岚路{uuid.uuid4().hex[:8]}号"
        result = propose_correction.enqueue(
            organization_id=org_id, domicile=domicile, proposer="city_registrar"
        )
        with ledger.lock:
            ledger.tasks[str(result.id)] = (org_id, domicile)
        time.sleep(0.05)
    connection.close()


def socorg(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "socorg"), *args], env=env, cwd=ROOT, capture_output=True, text=True
    )


def prepare(base_url: str, name: str) -> dict[str, str]:
    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    var = tempfile.mkdtemp(prefix="socorg-crash-")
    env = {
        **os.environ,
        "DATABASE_URL": f"{base_url}/{name}",
        "SOCORG_VAR_DIR": var,
        "SOCORG_TASK_BACKEND": "database",
        "DJANGO_SETTINGS_MODULE": "socorg.settings",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    for step in (("migrate", "--noinput"), ("createcachetable",), ("demo", "load")):
        done = socorg(env, *step)
        if done.returncode != 0:
            raise RuntimeError(f"socorg {' '.join(step)} failed:\n{done.stderr}")
    return env


def drive(env: dict[str, str], args: argparse.Namespace) -> tuple[Ledger, int, dict[str, int]]:
    from socorg.core.models import AuditChainHead, User
    from socorg.core.tokens import token_create
    from socorg.registry.models import Organization, OrgStatus

    tokens = {
        "registrar": token_create(user=User.objects.get(username="city_registrar"))[1],
        "head": token_create(user=User.objects.get(username="division_head"))[1],
        "founder": token_create(user=User.objects.get(username="founder_demo"))[1],
    }
    orgs = list(
        Organization.objects.filter(status=OrgStatus.REGISTERED)
        .exclude(uscc="")
        .values_list("pk", "uscc")[:300]
    )
    start_seq = AuditChainHead.objects.get(id=1).seq
    procs = Processes(env, args.port)
    procs.start_web()
    procs.start_worker()
    ledger, stop = Ledger(), threading.Event()
    threads = [
        threading.Thread(target=http_writer, args=(args.port, tokens, orgs, ledger, stop))
        for _ in range(args.writers)
    ]
    threads.append(threading.Thread(target=task_writer, args=(orgs, ledger, stop)))
    threads.append(
        threading.Thread(
            target=application_writer, args=(args.port, tokens["founder"], ledger, stop)
        )
    )
    for thread in threads:
        thread.start()
    kills = Counter[str]()
    rng = random.Random(7)
    for n in range(args.kills):
        time.sleep(args.seconds / args.kills * rng.uniform(0.6, 1.4))
        which = ("web", "worker", "both")[n % 3]
        if which in ("web", "both"):
            procs.kill_web()
            kills["web"] += 1
        if which in ("worker", "both"):
            procs.kill_worker()
            kills["worker"] += 1
        anchor = socorg(env, "audit", "anchor")  # a checkpoint while the writes go on
        kills["anchors"] += anchor.returncode == 0
        time.sleep(0.3)
        if which in ("web", "both"):
            procs.start_web()
        if which in ("worker", "both"):
            procs.start_worker()
    stop.set()
    for thread in threads:
        thread.join()
    drain(procs)
    return ledger, start_seq, dict(kills)


def drain(procs: Processes) -> None:
    """Let the worker finish the queue (tasks a killed worker left RUNNING stay so)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists():
            break
        time.sleep(0.5)
    procs.kill_web(signal.SIGTERM)
    procs.kill_worker(signal.SIGTERM)


def check(env: dict[str, str], ledger: Ledger, start_seq: int) -> dict[str, Any]:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from socorg.core.models import AuditLog, Transition
    from socorg.registry.models import CorrectionState, DataCorrection

    problems: list[str] = []
    found = {c.pk: c for c in DataCorrection.objects.all()}
    for pk, (org_id, domicile) in ledger.proposals.items():
        c = found.get(pk)
        if c is None or c.organization_id != org_id or c.changes.get("domicile") != domicile:
            problems.append(f"acknowledged proposal {pk} missing or different")
    for pk, state in ledger.decisions.items():
        if pk not in found or found[pk].state != state:
            problems.append(f"acknowledged decision {pk} → {state} missing")
    tasks = {str(t.id): t for t in DBTaskResult.objects.all()}
    task_status = Counter(t.status for t in tasks.values())
    acked_tasks = [t for t in tasks.values() if t.status == TaskResultStatus.SUCCESSFUL]
    for t in acked_tasks:
        c = found.get(int(t.return_value))
        if c is None or c.changes.get("domicile") != ledger.tasks[str(t.id)][1]:
            problems.append(f"task {t.id} succeeded but its correction {t.return_value} is missing")
    transitions = Counter(
        Transition.objects.filter(process="data_correction").values_list("object_id", flat=True)
    )
    last_state = dict(
        Transition.objects.filter(process="data_correction")
        .order_by("id")
        .values_list("object_id", "to_state")
    )
    audits = Counter(
        AuditLog.objects.filter(
            seq__gt=start_seq, action__startswith="data_correction."
        ).values_list("object_id", "action")
    )
    for pk, c in found.items():
        key = str(pk)
        expected = last_state.get(key, CorrectionState.PROPOSED)
        if c.state != expected or transitions[key] > 1:
            problems.append(f"correction {pk}: state {c.state}, transitions say {expected}")
        if audits[(key, "data_correction.propose")] != 1:
            problems.append(
                f"correction {pk}: {audits[(key, 'data_correction.propose')]} proposal rows"
            )
        decided = sum(
            n
            for (obj, action), n in audits.items()
            if obj == key and action != "data_correction.propose"
        )
        if decided != transitions[key]:
            problems.append(
                f"correction {pk}: {transitions[key]} transitions, {decided} audit rows"
            )
    problems += check_applications(ledger, start_seq)
    approved = sum(1 for c in found.values() if c.state == CorrectionState.APPROVED)
    applied = AuditLog.objects.filter(seq__gt=start_seq, action="organization.correct").count()
    if approved != applied:
        problems.append(f"{approved} approved corrections but {applied} applied to organizations")
    verify = socorg(env, "audit", "verify")
    if verify.returncode != 0:
        problems.append(f"audit verify failed: {verify.stderr.strip()}")
    per_state = Counter(c.state for c in found.values())
    return {
        "acknowledged": {
            "http_proposals": len(ledger.proposals),
            "http_decisions": len(ledger.decisions),
            "worker_tasks_succeeded": len(acked_tasks),
            "http_applications": len(ledger.applications),
            "http_withdrawals": len(ledger.withdrawals),
        },
        "found": {
            "http_proposals": sum(1 for pk in ledger.proposals if pk in found),
            "http_decisions": sum(
                1 for pk, s in ledger.decisions.items() if found.get(pk) and found[pk].state == s
            ),
            "worker_tasks_succeeded": len(acked_tasks)
            - sum(1 for p in problems if p.startswith("task ")),
            "http_applications": len(ledger.applications)
            - sum(1 for p in problems if p.startswith("acknowledged application")),
            "http_withdrawals": len(ledger.withdrawals)
            - sum(1 for p in problems if p.startswith("acknowledged withdrawal")),
        },
        "unacknowledged_attempts": dict(ledger.unacknowledged),
        "tasks_enqueued": len(ledger.tasks),
        "task_status": dict(task_status),
        "corrections_in_database": len(found),
        "corrections_by_state": dict(per_state),
        "audit_verify": verify.stdout.strip() or verify.stderr.strip(),
        "problems": problems[:50],
        "problem_count": len(problems),
    }


def check_applications(ledger: Ledger, start_seq: int) -> list[str]:
    """Acknowledged applications and withdrawals are there; each application's state, its
    transition rows and its audit rows agree."""
    from socorg.core.models import AuditLog, Transition
    from socorg.registration.models import Application

    problems = []
    apps = {a.pk: a for a in Application.objects.filter(pk__in=list(ledger.applications))}
    for pk, name in ledger.applications.items():
        if pk not in apps or apps[pk].data.get("name") != name:
            problems.append(f"acknowledged application {pk} missing or different")
    for pk in ledger.withdrawals:
        if pk not in apps or apps[pk].state != "withdrawn":
            problems.append(f"acknowledged withdrawal of {pk} missing")
    moves = Counter(
        Transition.objects.filter(process="application").values_list("object_id", flat=True)
    )
    rows = Counter(
        AuditLog.objects.filter(seq__gt=start_seq, action="application.withdraw").values_list(
            "object_id", flat=True
        )
    )
    created = Counter(
        AuditLog.objects.filter(seq__gt=start_seq, action="application.create").values_list(
            "object_id", flat=True
        )
    )
    for pk, app in apps.items():
        key = str(pk)
        withdrawn = app.state == "withdrawn"
        if moves[key] != int(withdrawn) or rows[key] != int(withdrawn) or created[key] != 1:
            problems.append(
                f"application {pk}: state {app.state}, {moves[key]} transitions, "
                f"{rows[key]} withdrawal rows, {created[key]} creation rows"
            )
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--writers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8771)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    name = f"socorg_crash_{time.strftime('%Y%m%d%H%M%S')}"
    env = prepare(args.postgres, name)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django
    from django.db import connections

    django.setup()
    try:
        started = time.monotonic()
        ledger, start_seq, kills = drive(env, args)
        report = check(env, ledger, start_seq)
        report.update(
            {"database": name, "kills": kills, "seconds": round(time.monotonic() - started)}
        )
    finally:
        connections.close_all()
        if not args.keep:
            with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    RESULT_FILE.write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0 if report["problem_count"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
