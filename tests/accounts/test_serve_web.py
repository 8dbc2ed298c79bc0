"""Browser mode: `noxtui serve-web` serves the app page on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_web_answers_on_loopback(tmp_path) -> None:
    port = _free_port()
    env = {**os.environ, "NOXTUI_HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "noxtui", "serve-web", "--demo", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        page = None
        while time.monotonic() < deadline:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert page is not None, "serve-web did not start listening"
        assert page.status_code == 200
        assert "noxtui" in page.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)
