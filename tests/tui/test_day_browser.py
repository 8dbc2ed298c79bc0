"""The browser mode in a browser (#16): ``noxtui serve-web --demo`` driven by headless Chromium
(the system's, installed by ``.ci/run`` from the OS packages) through Playwright. Keys typed into
the page reach the app without a click, the filtered count appears, and the page loads nothing
from anywhere but the app's own server (its fonts included)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no system Chromium (.ci/run installs it)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "NOXTUI_HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "noxtui", "serve-web", "--demo", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url, timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError("serve-web did not start listening") from None
                time.sleep(0.2)  # polling a port that is not open yet; not a wait for the app
        yield url
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=15)


class Screen:
    """What the app sent to the page: the terminal's output, read from the websocket frames."""

    def __init__(self) -> None:
        self.text = ""

    def add(self, payload: bytes | str) -> None:
        raw = payload.encode("utf-8", "replace") if isinstance(payload, str) else payload
        self.text += re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw.decode("utf-8", "ignore"))


def test_keys_reach_the_app_without_a_click_and_the_filtered_count_appears(served: str) -> None:
    requested: list[str] = []
    screen = Screen()
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("request", lambda request: requested.append(request.url))
            page.on("websocket", lambda ws: ws.on("framereceived", screen.add))
            page.goto(served)
            page.wait_for_function("document.activeElement && document.activeElement.tagName === 'TEXTAREA'")
            deadline = time.monotonic() + 60
            while not re.search(r"\d+ threads", screen.text):
                assert time.monotonic() < deadline, "the list never showed its count"
                page.wait_for_timeout(100)
            seen = len(screen.text)
            page.keyboard.press("n")  # no click first: the page gave the terminal the keyboard
            while "needs reply" not in screen.text[seen:]:
                assert time.monotonic() < deadline, "n never reached the app"
                page.wait_for_timeout(100)
            while not re.search(r"\d+ threads", screen.text[seen:]):
                assert time.monotonic() < deadline, "the filtered count never appeared"
                page.wait_for_timeout(100)
        finally:
            browser.close()
    hosts = {urlsplit(url).hostname for url in requested if url.startswith("http")}
    assert hosts == {"127.0.0.1"}, f"the page loaded from elsewhere: {sorted(hosts)}"
    assert any("/fonts/RobotoMono" in url for url in requested), "the font comes from the app's server"
