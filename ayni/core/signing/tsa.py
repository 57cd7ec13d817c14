"""A real RFC 3161 timestamp service on loopback, for the tests and the demo only.

It speaks HTTP like any timestamp authority (POST application/timestamp-query, answer
application/timestamp-reply) and signs with the demo TSA key that `demo.py` wrote,
through pyHanko's DummyTimeStamper (which builds the token; no crypto here). Never for
production: a real TSA is an accredited service (docs/firma.md).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

MAX_REQUEST = 64 * 1024


def timestamper_from(folder: Path) -> Any:
    from asn1crypto import keys, pem, x509
    from pyhanko.sign.timestamps import DummyTimeStamper

    cert = x509.Certificate.load(pem.unarmor((folder / "tsa.pem").read_bytes())[2])
    key = keys.PrivateKeyInfo.load(pem.unarmor((folder / "tsa.key").read_bytes())[2])
    return DummyTimeStamper(tsa_cert=cert, tsa_key=key)


def serve(folder: Path, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Start the service in a daemon thread; returns the server and its URL."""
    from asn1crypto import tsp

    stamper = timestamper_from(folder)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if self.headers.get("Content-Type") != "application/timestamp-query" or not (
                0 < length <= MAX_REQUEST
            ):
                self.send_error(400)
                return
            request = tsp.TimeStampReq.load(self.rfile.read(length))
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"
