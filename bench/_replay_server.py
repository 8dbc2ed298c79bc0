"""Bench-only: serve recorded ``message list`` pages over loopback HTTP from its own process.

``bench.sync_replay --loopback`` syncs from this instead of an in-process mock transport, so the
client's HTTP work (sockets, HTTP/1.1 parsing, keep-alive) is measured too, while answering costs
the client's process nothing (a page is a slice of a memory-mapped recording). Ends when stdin closes.
"""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from bench.sync_replay import Recording


def main() -> None:
    recording = Recording(Path(sys.argv[1]))

    class Pages(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            page = int(parse_qs(urlsplit(self.path).query).get("page", ["1"])[0])
            body = recording.body(page)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"http://127.0.0.1:{server.server_address[1]}/v1", flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
