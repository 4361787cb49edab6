"""A company's OpenID Connect provider, as the dashboard's single sign-on meets it, on a loopback port.

It signs in whoever asks as the e-mail it is told (`provider.email`), at once: the authorisation
code flow with a signed ID token (RS256, its key published), nothing else.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.serve import free_port


@dataclass
class Provider:
    """The provider's address, the client it knows, and the e-mail it signs in as."""

    url: str
    client_id: str
    client_secret: str
    email: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "kam-test"}))
    # Codes handed out and not yet swapped for tokens: code -> (nonce, e-mail).
    codes: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    # What the dashboard's server asked for, in order: ("authorize" | "token", parameters).
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "profile", "email"],
        }

    def id_token(self, nonce: str | None, email: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.url,
            "sub": email,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 600,
            "email": email,
            "email_verified": True,
            **({"nonce": nonce} if nonce else {}),
        }
        return jwt.encode({"alg": "RS256", "kid": "kam-test"}, claims, self.key)

    def client_authenticated(self, authorization: str | None, form: dict[str, str]) -> bool:
        if authorization and authorization.startswith("Basic "):
            pair = base64.b64decode(authorization.removeprefix("Basic ")).decode()
            return pair == f"{self.client_id}:{self.client_secret}"
        return form.get("client_id") == self.client_id and form.get("client_secret") == self.client_secret


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: Any) -> None:  # quiet
            pass

        def _json(self, body: dict[str, Any], status: int = 200) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(parts.query).items()}
            if parts.path == "/.well-known/openid-configuration":
                self._json(provider.metadata())
            elif parts.path == "/jwks":
                self._json({"keys": [provider.key.as_dict(private=False) | {"use": "sig", "alg": "RS256"}]})
            elif parts.path == "/authorize":
                provider.requests.append(("authorize", query))
                if query.get("client_id") != provider.client_id or query.get("response_type") != "code":
                    self._json({"error": "invalid_request"}, 400)
                    return
                code = secrets.token_urlsafe(16)
                provider.codes[code] = (query.get("nonce"), provider.email)
                back = urlencode({"code": code, "state": query.get("state", "")})
                self.send_response(302)
                self.send_header("Location", f"{query['redirect_uri']}?{back}")
                self.end_headers()
            else:
                self._json({"error": "not_found"}, 404)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path != "/token":
                self._json({"error": "not_found"}, 404)
                return
            provider.requests.append(("token", {key: value for key, value in form.items() if key != "client_secret"}))
            if not provider.client_authenticated(self.headers.get("Authorization"), form):
                self._json({"error": "invalid_client"}, 401)
                return
            if form.get("grant_type") != "authorization_code" or form.get("code") not in provider.codes:
                self._json({"error": "invalid_grant"}, 400)
                return
            nonce, email = provider.codes.pop(form["code"])
            self._json(
                {
                    "access_token": secrets.token_urlsafe(16),
                    "token_type": "Bearer",
                    "expires_in": 600,
                    "id_token": provider.id_token(nonce, email),
                }
            )

    return Handler


@contextmanager
def provider(client_id: str = "kam", client_secret: str = "a-client-secret") -> Iterator[Provider]:
    """The provider, serving on a free loopback port until the block ends."""
    port = free_port()
    known = Provider(f"http://127.0.0.1:{port}", client_id, client_secret)
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(known))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield known
    finally:
        server.shutdown()
        server.server_close()
