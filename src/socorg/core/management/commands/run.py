"""``socorg run``: the web server and a task worker together, stopped together.

Development: Django's ``runserver`` (no auto-reload). Production (``SOCORG_ENV=production``):
``collectstatic`` first, then gunicorn. The worker is ``db_worker`` for the database task
backend and ``rqworker`` for the Redis one; none for the immediate backend. Ctrl-C or SIGTERM
stops both; when either stops by itself the other is stopped too and its exit code returned."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

GRACE_SECONDS = 10.0


def _manage(*args: str) -> list[str]:
    return [sys.executable, "-m", "socorg.cli", *args]


def recommended_workers() -> int:
    """Sync workers for the cores this machine has: a request spends most of its time on the
    CPU (the database is near and fast), so one worker per core plus one to cover the moments
    a worker waits for the database. ``WEB_CONCURRENCY`` overrides it."""
    return int(os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) + 1)


def gunicorn_command(app: str, host: str, port: int, workers: int) -> list[str]:
    """The production server's command line; the throughput benchmark serves its hello-world
    baseline with the same one."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        f"--bind={host}:{port}",
        f"--workers={workers}",
        "--access-logfile=-",
        f"--graceful-timeout={int(GRACE_SECONDS) - 2}",
    ]


def web_command(host: str, port: int, workers: int) -> list[str]:
    if settings.PRODUCTION:
        return gunicorn_command("socorg.wsgi:application", host, port, workers)
    return _manage("runserver", f"{host}:{port}", "--noreload")


def worker_command() -> list[str] | None:
    backend = str(settings.TASKS["default"]["BACKEND"])
    if backend.startswith("django_tasks_db"):
        return _manage("db_worker", "--queue-name=*", "--no-reload", "--no-startup-delay")
    if backend.startswith("django_tasks_rq"):
        return _manage("rqworker", "default", "--job-class=django_tasks_rq.Job")
    return None


class Command(BaseCommand):
    help = "启动网站服务和后台任务进程；按 Ctrl-C 或发送 SIGTERM 同时停止两者。"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT") or 8000),
            help="端口（默认取环境变量 PORT 或 8000）",
        )
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument(
            "--workers",
            type=int,
            default=recommended_workers(),
            help="生产环境 gunicorn 进程数（默认取 WEB_CONCURRENCY，否则为 CPU 核数 + 1）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["port"] < 65536:
            raise CommandError(_("端口号应在 1 到 65535 之间。"))
        # Refuse to start when a rule parameter the code needs is missing (socorg.core.checks).
        call_command("check", tags=["rule_parameters"], deploy=True, databases=["default"])
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        commands = [
            (_("网站服务"), web_command(options["host"], options["port"], options["workers"]))
        ]
        worker = worker_command()
        if worker is not None:
            commands.append((_("后台任务进程"), worker))
        self.stdout.write(
            _("网站地址：http://%(host)s:%(port)d/")
            % {"host": options["host"], "port": options["port"]}
        )
        code = Supervisor(commands, self.stdout.write).run()
        if code:
            sys.exit(code)


class Supervisor:
    """Starts the children, forwards a stop request to them and waits for them to end."""

    def __init__(self, commands: list[tuple[str, list[str]]], say: Any) -> None:
        self.commands = commands
        self.say = say
        self.children: list[subprocess.Popen[bytes]] = []
        self.stopping = False

    def run(self) -> int:
        previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            for label, command in self.commands:
                child = subprocess.Popen(command)
                self.children.append(child)
                self.say(_("已启动%(name)s（进程 %(pid)d）") % {"name": label, "pid": child.pid})
            return self._wait()
        finally:
            self._stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def _wait(self) -> int:
        while not self.stopping:
            for child in self.children:
                code = child.poll()
                if code is not None:
                    self.say(
                        _("进程 %(pid)d 已退出（%(code)d），正在停止其余进程。")
                        % {"pid": child.pid, "code": code}
                    )
                    return code or 1
            time.sleep(0.2)
        self.say(_("收到停止信号，正在停止网站服务和后台任务进程……"))
        return 0

    def _stop(self) -> None:
        for child in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for child in self.children:
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
