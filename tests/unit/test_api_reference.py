"""docs/api.md is the reference of the API the code serves."""

from pathlib import Path

from entrypoints.http.api_reference import markdown, served_openapi

REFERENCE = Path(__file__).parents[2] / "docs" / "api.md"


def test_the_api_reference_in_docs_is_the_one_the_code_serves():
    assert markdown(served_openapi()) == REFERENCE.read_text(), "docs/api.md is behind the code: run make api-docs"


def test_the_reference_names_each_route_with_its_answers():
    text = markdown(served_openapi())

    assert "## POST `/api/v1/customers/auth/login`" in text
    assert "- 401: INVALID_CREDENTIALS" in text
    assert "## GET `/api/v1/customers/me` *bearer*" in text
    assert "### Address" in text
