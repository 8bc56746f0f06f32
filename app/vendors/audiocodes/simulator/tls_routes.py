"""The simulated Mediant's /files/tls resources (document section 7, TLS Context Files)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.vendors.audiocodes.simulator import pki
from app.vendors.audiocodes.simulator.common import ALL_METHODS, described, json_body, octets, uploaded_file
from app.vendors.audiocodes.simulator.state import MediantState, TlsContextState

KEY_SIZES = (512, 1024, 2048, 4096)
_SUBJECT_FIELDS = ("subjectName", "organizationalUnit", "companyName", "localityName", "state", "countryCode")


@dataclass(frozen=True, slots=True)
class ServedCertificate:
    """Key and certificate that TLS context 0 now holds: what the device's HTTPS server must serve."""

    key_pem: bytes
    cert_pem: bytes
    cert_der: bytes


CertificateHook = Callable[[ServedCertificate], None]


class TlsRoutes:
    """Private keys, device certificates, CSRs and trusted roots per TLS context, with real cryptography."""

    def __init__(self, state: MediantState) -> None:
        self.state = state
        self.on_certificate_changed: CertificateHook | None = None

    def routes(self) -> list[Route]:
        """The Starlette routes of /api/v1/files/tls."""
        base = "/api/v1/files/tls"
        return [
            Route(base, self.list_contexts, methods=ALL_METHODS),
            Route(base + "/{cid}", self.context_items, methods=ALL_METHODS),
            Route(base + "/{cid}/privateKey", self.private_key, methods=ALL_METHODS),
            Route(base + "/{cid}/privateKey/generate", self.generate_key, methods=ALL_METHODS),
            Route(base + "/{cid}/certificate", self.certificate, methods=ALL_METHODS),
            Route(base + "/{cid}/certificate/generate", self.generate_certificate, methods=ALL_METHODS),
            Route(base + "/{cid}/certificate/request", self.certificate_request, methods=ALL_METHODS),
            Route(base + "/{cid}/trustedRoot", self.trusted_root, methods=ALL_METHODS),
            Route(base + "/{cid}/trustedRoot/incremental", self.add_trusted_root, methods=ALL_METHODS),
        ]

    def _ctx(self, request: Request) -> TlsContextState | None:
        return self.state.context(str(request.path_params["cid"]))

    async def list_contexts(self, request: Request) -> Response:
        """GET /files/tls."""
        items = [
            {"id": c.id, "name": c.name, "url": f"/api/v1/files/tls/{c.id}"}
            for c in self.state.contexts.values()
        ]
        return JSONResponse({"tls": items})

    async def context_items(self, request: Request) -> Response:
        """GET /files/tls/<id>."""
        cid = str(request.path_params["cid"])
        if cid not in self.state.contexts:
            return described("TLS context not found", 404)
        names = (
            ("privateKey", "Private key"),
            ("certificate", "TLS certificate"),
            ("trustedRoot", "Trusted root"),
        )
        return JSONResponse(
            {"items": [{"id": i, "description": d, "url": f"/api/v1/files/tls/{cid}/{i}"} for i, d in names]}
        )

    async def private_key(self, request: Request) -> Response:
        """GET size and validity; PUT a PEM key (optionally with a password)."""
        ctx = self._ctx(request)
        if ctx is None:
            return described("TLS context not found", 404)
        if request.method == "GET":
            size = ctx.key.key_size if ctx.key else 0
            return JSONResponse({"size": size, "valid": ctx.certificate_matches_key()})
        upload = await uploaded_file(request)
        if upload is None:
            return described("Bad request: private key file is missing", 400)
        content, _, fields = upload
        password = fields.get("password") or request.query_params.get("password", "")
        try:
            key = pki.load_pem_key(content, password)
        except ValueError:
            return described(
                "Bad request: private key is not in PEM format, has a wrong password or size", 400
            )
        if key.key_size not in KEY_SIZES:
            return described("Bad request: private key has an invalid size", 400)
        ctx.key = key
        self._maybe_serve(ctx)
        return described("Private key was successfully changed")

    async def generate_key(self, request: Request) -> Response:
        """POST privateKey/generate {"size": 512|1024|2048|4096}: a new key made on the device."""
        ctx = self._ctx(request)
        body = await json_body(request)
        if ctx is None:
            return described("TLS context not found", 404)
        if body is None or body.get("size") not in KEY_SIZES:
            return described("Bad request: size must be 512, 1024, 2048 or 4096", 400)
        ctx.key = await asyncio.to_thread(pki.generate_rsa_key, int(body["size"]))
        return described("Private key was successfully generated")

    async def certificate(self, request: Request) -> Response:
        """GET the device certificate (PEM); PUT a new one: PEM, certifying the context's key."""
        ctx = self._ctx(request)
        if ctx is None:
            return described("TLS context not found", 404)
        if request.method == "GET":
            if ctx.certificate is None:
                return described("Bad request: no certificate", 400)
            return octets(ctx.certificate.public_bytes(serialization.Encoding.PEM))
        upload = await uploaded_file(request)
        try:
            certificates = pki.load_pem_certificates(upload[0] if upload else b"")
        except ValueError:
            return described("Bad request: certificate file is wrong (not in PEM format)", 400)
        if ctx.key is None or not pki.same_public_key(certificates[0], ctx.key):
            return described("Bad request: certificate does not match the private key", 400)
        ctx.certificate = certificates[0]
        self._maybe_serve(ctx)
        return described("Certificate was successfully changed")

    async def generate_certificate(self, request: Request) -> Response:
        """POST certificate/generate: a self-signed certificate for the context's key."""
        ctx = self._ctx(request)
        body = await json_body(request)
        if ctx is None:
            return described("TLS context not found", 404)
        if body is None or ctx.key is None:
            return described("Bad request: provided parameters are incorrect", 400)
        fields = {name: str(body.get(name, "")) for name in _SUBJECT_FIELDS}
        try:
            ctx.certificate = pki.self_signed(ctx.key, fields, self.state.clock.now(), self.state.ip_address)
        except ValueError:
            return described("Bad request: provided subject is incorrect", 400)
        self._maybe_serve(ctx)
        return described("Self-signed certificate was successfully generated")

    async def certificate_request(self, request: Request) -> Response:
        """POST certificate/request: a CSR signed by the context's key (sha1 unless asked otherwise)."""
        ctx = self._ctx(request)
        body = await json_body(request)
        if ctx is None:
            return described("TLS context not found", 404)
        algorithm = str((body or {}).get("signatureAlgorithm", "sha1"))
        if body is None or ctx.key is None or algorithm not in pki.SIGNATURE_ALGORITHMS:
            return described("Bad request: provided parameters are incorrect", 400)
        fields = {name: str(body.get(name, "")) for name in _SUBJECT_FIELDS}
        try:
            csr = pki.build_csr(ctx.key, fields, algorithm)
        except ValueError:
            return described("Bad request: provided subject is incorrect", 400)
        return octets(csr)

    async def trusted_root(self, request: Request) -> Response:
        """GET the whole store as PEM (400 when empty: no content); PUT replaces it."""
        ctx = self._ctx(request)
        if ctx is None:
            return described("TLS context not found", 404)
        if request.method == "GET":
            if not ctx.roots:
                return described("Bad request: trusted root store is empty", 400)
            return octets(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in ctx.roots))
        upload = await uploaded_file(request)
        try:
            ctx.roots = pki.load_pem_certificates(upload[0] if upload else b"")
        except ValueError:
            return described("Bad request: certificate file is wrong (not in PEM format)", 400)
        return described("Trusted root store was successfully changed")

    async def add_trusted_root(self, request: Request) -> Response:
        """PUT trustedRoot/incremental: add certificates to the store."""
        ctx = self._ctx(request)
        if ctx is None:
            return described("TLS context not found", 404)
        upload = await uploaded_file(request)
        try:
            added = pki.load_pem_certificates(upload[0] if upload else b"")
        except ValueError:
            return described("Bad request: certificate file is wrong (not in PEM format)", 400)
        ctx.roots.extend(c for c in added if c not in ctx.roots)
        return described("Trusted root certificate was successfully added")

    def _maybe_serve(self, ctx: TlsContextState) -> None:
        """Context 0 secures the device's own web server: a matching new pair is served from now on."""
        if ctx.id != "0" or not ctx.certificate_matches_key() or self.on_certificate_changed is None:
            return
        key_pem, cert_pem, cert_der = self.state.served_pem()
        self.on_certificate_changed(ServedCertificate(key_pem, cert_pem, cert_der))
