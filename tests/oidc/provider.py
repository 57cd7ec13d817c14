"""A real OpenID Connect provider for the tests, on loopback, built on pyop (the OP
library behind SATOSA): discovery, authorization (a form where the test picks the
person and the authentication level, as ID GOB.PE's login would), token, userinfo and
JWKS. Run: `python -m tests.oidc.provider CONFIG.json`; it prints its base URL.

CONFIG: {"client_id", "client_secret", "redirect_uri", "users": {id: {claims}},
"cert", "key"} (a TLS certificate for 127.0.0.1: OpenID Connect requires HTTPS).
"""

from __future__ import annotations

import html
import json
import ssl
import sys
import threading
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from Cryptodome.PublicKey import RSA
from jwkest.jwk import RSAKey
from pyop.authz_state import AuthorizationState
from pyop.exceptions import InvalidAuthenticationRequest, OAuthError
from pyop.provider import Provider
from pyop.subject_identifier import HashBasedSubjectIdentifierFactory
from pyop.userinfo import Userinfo

ACR_VALUES = ["one_factor", "two_factor", "certificate_dnie", "certificate_token"]


class Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def make_provider(base: str, config: dict[str, Any]) -> Provider:
    key = RSAKey(key=RSA.generate(2048), alg="RS256", kid="prueba")
    info = {
        "issuer": base,
        "authorization_endpoint": f"{base}/authorize",
        "token_endpoint": f"{base}/token",
        "userinfo_endpoint": f"{base}/userinfo",
        "jwks_uri": f"{base}/jwks",
        "response_types_supported": ["code"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "subject_types_supported": ["public"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "scopes_supported": ["openid"],
        "acr_values_supported": ACR_VALUES,
        "grant_types_supported": ["authorization_code"],
    }
    clients = {
        config["client_id"]: {
            "client_secret": config["client_secret"],
            "redirect_uris": [config["redirect_uri"]],
            "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_post",
        }
    }
    state = AuthorizationState(HashBasedSubjectIdentifierFactory("sal-de-prueba"))
    return Provider(
        key,
        info,
        state,
        clients,
        Userinfo(config["users"]),
        extra_scopes={"documento": ["doc_type", "doc_number"]},
    )


def application(provider: Provider, config: dict[str, Any]) -> Any:
    levels_by_code: dict[str, str] = {}  # the level chosen on the form, per code issued

    def app(environ: dict[str, Any], start: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        method = environ["REQUEST_METHOD"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length).decode() if length else ""
        headers = {"Authorization": environ.get("HTTP_AUTHORIZATION", "")}

        def answer(status: str, payload: Any, kind: str = "application/json") -> list[bytes]:
            data = payload if isinstance(payload, str) else json.dumps(payload)
            start(status, [("Content-Type", kind)])
            return [data.encode()]

        try:
            if path == "/.well-known/openid-configuration":
                return answer("200 OK", provider.provider_configuration.to_dict())
            if path == "/jwks":
                return answer("200 OK", provider.jwks)
            if path == "/authorize" and method == "GET":
                query = environ.get("QUERY_STRING", "")
                provider.parse_authentication_request(query)  # refuse a bad request early
                people = "".join(
                    f'<option value="{html.escape(uid)}">{html.escape(uid)}</option>'
                    for uid in config["users"]
                )
                levels = "".join(f'<option value="{a}">{a}</option>' for a in ACR_VALUES)
                page = (
                    f'<form method="post" action="/authorize">'
                    f'<input type="hidden" name="request" value="{html.escape(query)}">'
                    f'<select name="user">{people}</select><select name="acr">{levels}</select>'
                    f"<button>Ingresar</button></form>"
                )
                return answer("200 OK", page, "text/html")
            if path == "/authorize" and method == "POST":
                form = {k: v[0] for k, v in parse_qs(body).items()}
                request = provider.parse_authentication_request(form["request"])
                response = provider.authorize(request, form["user"])
                levels_by_code[response["code"]] = form["acr"]
                target = response.request(request["redirect_uri"], False)
                start("302 Found", [("Location", target)])
                return [b""]
            if path == "/token":
                code = parse_qs(body).get("code", [""])[0]
                acr = {"acr": levels_by_code.pop(code, "")} if code in levels_by_code else {}
                token = provider.handle_token_request(
                    body, headers, extra_id_token_claims=lambda user, client: dict(acr)
                )
                return answer("200 OK", token.to_dict())
            if path == "/userinfo":
                return answer("200 OK", provider.handle_userinfo_request(body, headers).to_dict())
        except (InvalidAuthenticationRequest, OAuthError) as exc:
            return answer("400 Bad Request", {"error": str(exc)})
        return answer("404 Not Found", {"error": "not found"})

    return app


def serve(config: dict[str, Any]) -> None:
    server = make_server("127.0.0.1", 0, lambda e, s: [b""], handler_class=Quiet)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)  # OpenID Connect requires HTTPS
    tls.load_cert_chain(config["cert"], config["key"])
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    base = f"https://127.0.0.1:{server.server_port}"
    provider = make_provider(base, config)
    server.set_app(application(provider, config))
    print(base, flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()  # until the test closes our stdin
    server.shutdown()


if __name__ == "__main__":
    with open(sys.argv[1]) as handle:
        serve(json.load(handle))
