import pytest

from tests.resources.pages import assert_sets_no_cookies, text

pytestmark = pytest.mark.django_db


def test_it_explains_what_quick_exit_does_and_does_not_do(client):
    response = client.get("/en/browse-safely/")
    assert response.status_code == 200
    page = text(response.content)
    assert "It does not erase your browsing history" in page
    assert "private window" in page
    assert "Clear your history" in page
    assert "shared device" in page
    assert "Tor Browser" in page
    assert "Remember my answers on this device" in page


def test_it_marks_itself_current_in_the_navigation(client):
    assert (
        'href="/en/browse-safely/" aria-current="page"' in client.get("/en/browse-safely/").content.decode()
    )


def test_it_sets_no_cookies(client):
    assert_sets_no_cookies(client.get("/en/browse-safely/"))


def test_it_rejects_post(client):
    assert client.post("/en/browse-safely/").status_code == 405
