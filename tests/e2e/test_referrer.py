"""What the browser tells other sites about us (nothing), and what it tells us (enough for CSRF)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_other_sites_get_no_referrer_but_our_own_forms_carry_our_origin(page, network, live_server, settings):
    settings.QUICK_EXIT_URL = "https://neutral.example/"
    page.route("https://neutral.example/**", lambda route: route.fulfill(body="<p>Weather</p>"))
    seen_headers: dict[str, dict[str, str]] = {}
    page.on("request", lambda request: seen_headers.setdefault(request.url, request.headers))

    page.goto(f"{live_server.url}/en/browse-safely/")
    # A same-origin POST, as a staff login or the no-JavaScript chat form would make.
    with page.expect_navigation():
        page.evaluate(
            """() => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = "/en/search/";
                document.body.appendChild(form);
                form.submit();
            }"""
        )
    post = next(r for r in network.requests if r.method == "POST")
    assert seen_headers[post.url].get("origin") == live_server.url

    page.goto(f"{live_server.url}/en/browse-safely/")
    page.click("text=Quick exit")
    page.wait_for_url("https://neutral.example/")
    assert "referer" not in seen_headers["https://neutral.example/"]
