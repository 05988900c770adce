import pytest

EXPECTED = {
    "Referrer-Policy": "same-origin",  # nothing leaves for other sites; see config/security.py
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def assert_security_headers(response):
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "camera=()" in response.headers["Permissions-Policy"]


@pytest.mark.django_db
def test_headers_on_a_content_page(client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_headers_on_a_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_security_headers(response)
    assert b"We could not find that page" in response.content


@pytest.mark.django_db
@pytest.mark.urls("tests.config.urls_for_errors")
def test_headers_on_a_500_which_reveals_nothing(client):
    client.raise_request_exception = False
    response = client.get("/test-broken/")
    assert response.status_code == 500
    assert_security_headers(response)
    assert b"Something went wrong on our side" in response.content
    assert b"deliberate failure" not in response.content
