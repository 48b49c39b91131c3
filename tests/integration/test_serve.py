"""``customer-service serve`` as an operator runs it. With ``--workers 2``: two
processes on one port sharing the embedded store, started once; a logout
answered by one process holds in the other; SIGTERM stops everything. A
busy port is an error before anything starts."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.serving import children, command_line, fresh, read_me, register_then_read, serving
from tests.support import API, PASSWORD, bearer, free_port, unique_email

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(os.environ.get("CS_TEST_MONGODB_URI")), reason="runs the embedded store itself"),
]


def counted(exposition: str) -> dict[tuple[str, ...], float]:
    """Event and request counters by their labels' values."""
    return {
        (sample.name, *sample.labels.values()): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
        if sample.name in ("customer_service_events_total", "customer_service_requests_total")
    }


def test_two_workers_share_one_store_and_one_logout_and_stop_on_sigterm(tmp_path):
    with serving(tmp_path, "--workers", "2", CS_LOG_LEVEL="WARNING") as served:
        processes = [command_line(child) for child in children(served.server.pid)]
        tokens, reads = register_then_read(served.url, unique_email("workers"), 10)
        with fresh(served.url) as client:
            assert client.post(f"{API}/auth/logout", headers=bearer(tokens)).status_code == 204
        after_logout = [read_me(served.url, tokens) for _ in range(10)]
        metrics = []
        for _ in range(6):
            with fresh(served.url) as client:
                metrics.append(counted(client.get("/metrics").text))

    assert sum("secantus" in process for process in processes) == 1  # the store, started once
    assert sum("multiprocessing" in process for process in processes) >= 2  # the workers
    assert reads == [200] * 10
    assert after_logout == [401] * 10
    # Whichever worker answers /metrics counts for both (multiprocess mode).
    me = ("customer_service_requests_total", "GET", f"{API}/me")
    assert all(m[("customer_service_events_total", "registered", "")] == 1 for m in metrics), metrics
    assert all(m[(*me, "200")] == 10 and m[(*me, "401")] == 10 for m in metrics), metrics
    assert served.server.returncode == 0 and served.stopped_in < 10, served.errors
    assert "Traceback" not in served.errors
    assert not (tmp_path / "var" / "embedded.json").exists()  # the store stopped too


def test_logs_are_json_lines_with_requests_and_events_and_no_email_or_secret(tmp_path):
    email = unique_email("logged")
    with serving(tmp_path) as served:
        tokens, _ = register_then_read(served.url, email, 1)
        with fresh(served.url) as client:
            client.post(f"{API}/auth/login", json={"email": email, "password": "not the password"})

    entries = [json.loads(line) for line in served.errors.splitlines() if line.strip()]
    requests = [entry for entry in entries if entry["logger"] == "customer_service.access"]
    events = {entry["event"]: entry for entry in entries if entry.get("event")}
    [me] = [entry for entry in requests if entry["route"] == f"{API}/me"]
    customer_id = me["customerId"]
    assert (me["method"], me["status"], me["level"]) == ("GET", 200, "INFO") and me["durationMs"] > 0
    assert me["requestId"] and customer_id
    assert events["registered"]["customerId"] == customer_id
    assert events["login_failed"]["customerId"] == customer_id
    assert events["login_failed"]["reason"] == "invalid_credentials"
    assert any(entry["message"] == f"serving {served.url} (1 worker process)" for entry in entries)
    for secret in (
        email,
        PASSWORD,
        "not the password",
        tokens["accessToken"],
        tokens["refreshToken"].partition(".")[2],
    ):
        assert secret not in served.errors


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_busy_port_exits_5_at_once_saying_so(tmp_path, workers):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {
            **{name: value for name, value in os.environ.items() if not name.startswith("CS_")},
            "CS_DATA_DIR": str(tmp_path / "var"),
            "CS_PORT": str(port),
        }
        script = Path(sys.executable).parent / "customer-service"

        completed = subprocess.run(
            [str(script), "serve", "--workers", workers], env=env, capture_output=True, text=True, timeout=30
        )

    assert completed.returncode == 5, completed.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert not (tmp_path / "var" / "db").exists()  # nothing was started


def test_a_second_instance_with_workers_cannot_join_the_port_of_the_first(tmp_path):
    with serving(tmp_path / "first", "--workers", "2", CS_LOG_LEVEL="WARNING") as served:
        port = served.url.rsplit(":", 1)[1]
        env = {name: value for name, value in os.environ.items() if not name.startswith("CS_")}
        second = subprocess.run(
            [str(Path(sys.executable).parent / "customer-service"), "serve", "--workers", "2"],
            env={**env, "CS_PORT": port, "CS_DATA_DIR": str(tmp_path / "second")},
            capture_output=True,
            text=True,
            timeout=30,
        )

    assert second.returncode == 5, second.stderr
    assert "another customer-service serves there" in second.stderr


def test_a_worker_that_dies_stops_the_others_and_the_exit_code_says_so(tmp_path):
    with serving(tmp_path, "--workers", "2", CS_LOG_LEVEL="WARNING") as served:
        first, second = [pid for pid in children(served.server.pid) if "multiprocessing.spawn" in command_line(pid)]
        os.kill(first, signal.SIGTERM)  # by someone else than the parent
        served.server.wait(timeout=30)

    assert served.server.returncode == signal.SIGTERM  # not 0: a supervisor restarts it
    assert not Path(f"/proc/{second}").exists() or "zombie" in Path(f"/proc/{second}/status").read_text().lower()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_stops_the_api_then_the_store_within_3_seconds_without_a_traceback(tmp_path, workers):
    with serving(tmp_path, "--workers", workers, ctrl_c=True, CS_LOG_FORMAT="text") as served:
        register_then_read(served.url, unique_email("stopped"), 1)

    assert served.stopped_in < 3.5, served.errors  # 2.4 s measured; a margin for a loaded machine
    assert served.server.returncode in (0, 130), served.errors  # 130: ended by Ctrl-C
    assert "Traceback" not in served.errors
    lines = served.errors.splitlines()
    finished = [n for n, line in enumerate(lines) if "Finished server process" in line]
    assert len(finished) == int(workers) and "embedded store stopped" in lines[-1]  # the API first, then the store


def test_a_second_server_on_the_same_data_directory_waits_for_the_first_to_stop(tmp_path):
    email = unique_email("handed-over")
    with serving(tmp_path, CS_LOG_FORMAT="text") as first:
        register_then_read(first.url, email, 1)
        port = free_port()
        env = {name: value for name, value in os.environ.items() if not name.startswith("CS_")}
        env |= {"CS_DATA_DIR": str(tmp_path / "var"), "CS_PORT": str(port), "CS_LOG_FORMAT": "text"}
        second = subprocess.Popen(
            [str(Path(sys.executable).parent / "customer-service"), "serve"], env=env, stderr=subprocess.PIPE
        )
        time.sleep(3)
        with pytest.raises(httpx.TransportError):  # listening, not answering: not ready while the store is not its own
            httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=1)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and second.poll() is None
                time.sleep(0.2)
        login = httpx.post(
            f"http://127.0.0.1:{port}{API}/auth/login", json={"email": email, "password": PASSWORD}, timeout=10
        )
    finally:
        second.send_signal(signal.SIGTERM)
        errors = second.communicate(timeout=30)[1].decode()

    assert ready.status_code == 200 and login.status_code == 200, errors
    assert "in use by another process; waiting for it to stop" in errors
