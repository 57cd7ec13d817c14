"""The API's own OpenAPI schema: valid OpenAPI, every operation documented with its
problem responses, and the running API fuzzed from it with schemathesis through the
real WSGI application and database (no 500, every answer as documented).

The number of generated examples per operation is capped (FUZZ_EXAMPLES) so that the
whole fuzzing run stays within about a minute of `make test`.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from openapi_spec_validator import validate
from schemathesis import checks

from ayni.wsgi import application
from tests.api_helpers import make_token

pytestmark = pytest.mark.django_db
FUZZ_EXAMPLES = int(os.environ.get("AYNI_API_FUZZ_EXAMPLES", "6"))
#: Who calls each part of the API while fuzzing: the persona whose token fits it.
CALLER_BY_PREFIX = {
    "/api/v1/planillas": "planillas",
    "/api/v1/expedientes": "mesa_partes",
}
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
]


def openapi() -> dict:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_and_documents_every_operation(demo_data):
    spec = openapi()
    validate(spec)
    operations = [
        (path, method, op)
        for path, methods in spec["paths"].items()
        for method, op in methods.items()
    ]
    assert len(operations) >= 22
    for path, method, op in operations:
        assert op.get("summary"), f"{method} {path} has no summary"
        assert op.get("tags"), f"{method} {path} has no tag"
        errors = {code: r for code, r in op["responses"].items() if code.startswith("4")}
        assert "422" in errors and "404" in errors, f"{method} {path}"
        for code, response in errors.items():
            assert list(response["content"]) == ["application/problem+json"], (path, code)
        if op.get("security"):
            assert {"401", "403", "429"} <= set(errors), f"{method} {path}"
    # identifiers in paths are opaque ids, never document numbers
    assert all("dni" not in path.lower() and "doc" not in path.lower() for path in spec["paths"])


def test_the_docs_page_serves_its_assets_from_ayni(demo_data):
    html = Client().get("/api/v1/docs").content.decode()
    assert 'lang="es-PE"' in html and "documentación interactiva" in html
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/api/swagger-es.js" in html  # its labels in Spanish (docs/decisions.md)
    assert Client().get("/static/api/swagger-es.js").status_code == 200
    assert "cdn" not in html.lower() and "https://" not in html
    bundle = Client().get("/static/ninja/swagger-ui-bundle.js")
    assert bundle.status_code == 200


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """As Django's test client does: a request through the WSGI app must not close the
    test's database connection (it holds the test's transaction on PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(persona, settings, wsgi_keeps_the_test_connection):
    settings.API_TOKEN_RATE_PER_MINUTE = 100_000  # the fuzzer is one busy client
    settings.VERIFY_RATE_LIMIT_PER_HOUR = 100_000
    return {
        "escalafon": make_token(persona("escalafon")),
        "planillas": make_token(persona("planillas"), ["planillas:cargar", "planillas:publicar"]),
        "mesa_partes": make_token(persona("mesa_partes")),
    }


# Loaded at collection through the WSGI app: building the schema reads no database.
fuzzed = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@fuzzed.parametrize()
@hypothesis_settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_fuzz_the_api_from_its_own_schema(case, tokens):
    caller = next(
        (who for prefix, who in CALLER_BY_PREFIX.items() if case.path.startswith(prefix)),
        "escalafon",
    )
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens[caller]}"}, checks=CHECKS)
