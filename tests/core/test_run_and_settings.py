"""``socorg run`` starts and stops the web server and the task worker together; production
settings refuse to start without their secrets and pass Django's deployment checks.

Each case runs ``socorg`` in a fresh process so that settings are imported anew."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

SECRET = "k3Jw9-vQz_7pXr2LmN8sTb4YhUe6GcDfAa1Bo5Ci0Ej-Wq_Rt9Ys3Zu7Vx2Mn4Pl"
STARTUP_SECONDS = 60


def socorg_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DEBUG",
            "SOCORG_ENV",
            "PORT",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for the browser tests of this process only
        }
    }
    env.update(
        SQLITE_PATH=str(tmp / "socorg.sqlite3"),
        SOCORG_VAR_DIR=str(tmp / "var"),
        SOCORG_TASK_BACKEND="database",
        DJANGO_SETTINGS_MODULE="socorg.settings",
    )
    env.update(extra)
    return env


def socorg(*args: str, env: dict[str, str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "socorg.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


def production_env(tmp: Path, **extra: str) -> dict[str, str]:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'prod.sqlite3'}"
    values = {
        "SOCORG_ENV": "production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "socorg.example.gov.cn,127.0.0.1",
        "DATABASE_URL": url,
    }
    values.update(extra)
    return socorg_env(tmp, **{k: v for k, v in values.items() if v is not None})


@pytest.mark.parametrize(
    ("missing", "message"),
    [("SECRET_KEY", "SECRET_KEY"), ("ALLOWED_HOSTS", "ALLOWED_HOSTS")],
)
def test_production_refuses_to_start_without(tmp_path, missing, message) -> None:
    env = production_env(tmp_path)
    del env[missing]
    result = socorg("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_production_refuses_a_short_secret_key_and_debug(tmp_path) -> None:
    assert socorg("check", env=production_env(tmp_path, SECRET_KEY="short")).returncode != 0
    result = socorg("check", env=production_env(tmp_path, DEBUG="1"))
    assert result.returncode != 0 and "DEBUG" in result.stderr


def audit_key_file(tmp: Path) -> str:
    """A chain key file as ``socorg audit rotate-key`` writes it."""
    path = tmp / "audit-chain-keys.json"
    ring = {"current": "k1", "unkeyed_until": 0, "keys": {"k1": {"secret": "ab" * 32}}}
    path.write_text(json.dumps(ring))
    return str(path)


def test_production_passes_the_deployment_checks(tmp_path) -> None:
    env = production_env(tmp_path, SOCORG_AUDIT_KEY_FILE=audit_key_file(tmp_path))
    result = socorg("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_deployment_check_requires_the_audit_chain_key(tmp_path) -> None:
    result = socorg("check", "--deploy", env=production_env(tmp_path))
    assert result.returncode != 0
    assert "socorg.E010" in result.stderr and "rotate-key" in result.stderr


# --- socorg run -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_page(url: str, proc: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert proc.poll() is None, "socorg run ended before serving"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return exc.code
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {STARTUP_SECONDS} s")


def child_pids(output: Path, expected: int) -> list[int]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        pids = [int(p) for p in re.findall(r"[（(][^0-9（(]*?(\d+)[）)]", output.read_text())]
        if len(pids) >= expected:
            return pids[:expected]
        time.sleep(0.2)
    raise AssertionError(output.read_text())


def cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not Path(f"/proc/{pid}/status").read_text().count("State:\tZ")


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("run")
    result = socorg("migrate", "--noinput", env=socorg_env(tmp))
    assert result.returncode == 0, result.stderr
    return tmp


def start_run(tmp: Path, env: dict[str, str], port: int) -> tuple[subprocess.Popen[bytes], Path]:
    output = tmp / f"run-{port}.log"
    with output.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "socorg.cli", "run", "--port", str(port)],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return proc, output


def stop_and_check(proc: subprocess.Popen[bytes], pids: list[int], sig: int) -> None:
    try:
        assert all(alive(pid) for pid in pids)
        proc.send_signal(sig)
        assert proc.wait(timeout=30) == 0
        time.sleep(0.2)
        assert not any(alive(pid) for pid in pids)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_run_serves_pages_and_stops_both_processes(migrated, sig) -> None:
    port = free_port()
    proc, output = start_run(migrated, socorg_env(migrated), port)
    try:
        assert wait_for_page(f"http://127.0.0.1:{port}/login/", proc) == 200
        pids = child_pids(output, 2)
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    assert "runserver" in cmdline(pids[0]) and "db_worker" in cmdline(pids[1])
    stop_and_check(proc, pids, sig)
    assert not (migrated / "var" / "static").exists(), (
        "static files are collected in production only"
    )


def test_run_in_production_collects_static_and_uses_gunicorn(migrated) -> None:
    port = free_port()
    env = production_env(migrated, DATABASE_URL=f"sqlite:///{migrated / 'socorg.sqlite3'}")
    env["SECURE_SSL_REDIRECT"] = "0"
    proc, output = start_run(migrated, env, port)
    try:
        assert wait_for_page(f"http://127.0.0.1:{port}/login/", proc) == 200
        pids = child_pids(output, 2)
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    assert (migrated / "var" / "static" / "staticfiles.json").exists()
    assert "gunicorn" in cmdline(pids[0]) and "db_worker" in cmdline(pids[1])
    stop_and_check(proc, pids, signal.SIGTERM)
