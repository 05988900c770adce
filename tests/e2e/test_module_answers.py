"""A seeker works through a guided module in a real browser: their answers never leave the device."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resources.demo import load_demo_content
from resources.models import Exercise, GuidedModule

pytestmark = pytest.mark.e2e

# Distinctive answers, so any copy of them in any request is easy to find.
REFLECTION = "My private reflection zq81-hollyhock"
PLAN = "When it gets late I will switch off and walk zq81-larkspur"
RATING = "7"
STORAGE_KEY = "helpline.module-answers.making-a-plan"


@pytest.fixture
def module_url(live_server) -> str:
    load_demo_content()
    return f"{live_server.url}/en/modules/making-a-plan/"


@pytest.fixture
def exercises() -> dict[str, Exercise]:
    module = GuidedModule.objects.get(slug="making-a-plan")
    all_exercises = list(Exercise.objects.filter(step__module=module).order_by("step__order", "order"))
    return {
        "rating": next(e for e in all_exercises if e.kind == Exercise.Kind.RATING),
        "reflection": next(e for e in all_exercises if e.kind == Exercise.Kind.REFLECTION),
        "plan": next(e for e in all_exercises if e.kind == Exercise.Kind.PLAN),
    }


def _stored(page, store: str) -> dict | None:
    raw = page.evaluate(f"window.{store}.getItem({json.dumps(STORAGE_KEY)})")
    return json.loads(raw)["answers"] if raw else None


def _answer_everything(page, exercises) -> None:
    page.fill(f"#{exercises['reflection'].answer_key}-answer", REFLECTION)
    page.fill(f"#{exercises['plan'].answer_key}-answer", PLAN)
    page.check(f"#{exercises['rating'].answer_key}-{RATING}")


def _assert_nothing_left_the_device(network, live_server) -> None:
    assert network.requests, "the recording saw the page load"
    assert network.foreign_requests(live_server.url) == []
    for answer in (REFLECTION, PLAN, "zq81"):
        assert network.containing(answer) == [], answer
    assert {r.method for r in network.requests} <= {"GET"}


def test_answers_stay_in_the_tab_download_and_delete(
    page, network, console, live_server, module_url, exercises
):
    page.goto(module_url)
    assert page.is_visible("text=Download my answers")
    assert page.is_hidden("[data-answers-nojs]")

    _answer_everything(page, exercises)
    # Enter in a written answer is a new line, never a submission.
    page.press(f"#{exercises['reflection'].answer_key}-answer", "Enter")
    page.fill(f"#{exercises['reflection'].answer_key}-answer", REFLECTION)
    assert page.url == module_url

    stored = _stored(page, "sessionStorage")
    assert stored == {
        exercises["reflection"].answer_key: REFLECTION,
        exercises["plan"].answer_key: PLAN,
        exercises["rating"].answer_key: RATING,
    }
    assert _stored(page, "localStorage") is None, "kept only for this tab unless the person opts in"

    with page.expect_download() as download_info:
        page.click("text=Download my answers")
    download = download_info.value
    assert download.suggested_filename == "making-a-plan-my-answers.txt"
    contents = Path(download.path()).read_text(encoding="utf-8")
    assert REFLECTION in contents
    assert PLAN in contents
    assert f"My rating: {RATING}" in contents
    assert "Making a plan for difficult moments" in contents

    page.reload()
    assert page.input_value(f"#{exercises['reflection'].answer_key}-answer") == REFLECTION
    assert page.input_value(f"#{exercises['plan'].answer_key}-answer") == PLAN
    assert page.is_checked(f"#{exercises['rating'].answer_key}-{RATING}")

    page.on("dialog", lambda dialog: dialog.accept())
    page.click("text=Delete my answers")
    assert page.input_value(f"#{exercises['reflection'].answer_key}-answer") == ""
    assert not page.is_checked(f"#{exercises['rating'].answer_key}-{RATING}")
    assert _stored(page, "sessionStorage") is None
    assert page.is_visible("text=Your answers have been deleted from this device.")
    page.reload()
    assert page.input_value(f"#{exercises['plan'].answer_key}-answer") == ""

    _assert_nothing_left_the_device(network, live_server)
    assert not [line for line in console if "Content Security Policy" in line or "pageerror" in line], console


def test_a_new_tab_starts_empty_unless_the_person_chose_to_remember(
    page, network, live_server, module_url, exercises
):
    page.goto(module_url)
    _answer_everything(page, exercises)

    other_tab = page.context.new_page()
    other_tab.goto(module_url)
    assert other_tab.input_value(f"#{exercises['reflection'].answer_key}-answer") == ""
    other_tab.close()

    page.check("#answers-remember")
    assert _stored(page, "localStorage") is not None
    assert _stored(page, "sessionStorage") is None

    other_tab = page.context.new_page()
    other_tab.goto(module_url)
    assert other_tab.is_checked("#answers-remember")
    assert other_tab.input_value(f"#{exercises['reflection'].answer_key}-answer") == REFLECTION

    other_tab.uncheck("#answers-remember")
    assert _stored(other_tab, "localStorage") is None
    assert _stored(other_tab, "sessionStorage") is not None
    other_tab.close()

    _assert_nothing_left_the_device(network, live_server)


def test_answers_typed_before_leaving_are_not_sent_by_the_quick_exit(
    page, network, live_server, module_url, exercises, settings
):
    settings.QUICK_EXIT_URL = "https://neutral.example/"
    page.route("https://neutral.example/**", lambda route: route.fulfill(body="<p>Weather</p>"))
    page.goto(module_url)
    _answer_everything(page, exercises)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url("https://neutral.example/")
    page.go_back()
    assert page.url != module_url, "the module page was replaced in the tab's history"

    assert network.foreign_requests(live_server.url) == [
        r for r in network.requests if r.url == "https://neutral.example/"
    ]
    for answer in (REFLECTION, PLAN):
        assert network.containing(answer) == []


class TestWithJavaScriptOff:
    @pytest.fixture
    def browser_context_options(self) -> dict[str, object]:
        return {"java_script_enabled": False}

    def test_the_module_reads_and_each_exercise_is_printable(
        self, page, network, live_server, module_url, exercises
    ):
        page.goto(module_url)
        assert page.is_visible("text=JavaScript is off in your browser")
        assert page.is_hidden("text=Download my answers")
        assert page.is_visible("text=Step 5 of 5: Looking back")

        # Typing and pressing Enter goes nowhere: no form, so nothing to submit.
        page.fill(f"#{exercises['plan'].answer_key}-answer", PLAN)
        page.press(f"#{exercises['plan'].answer_key}-answer", "Enter")
        page.check(f"#{exercises['rating'].answer_key}-{RATING}")
        page.press(f"#{exercises['rating'].answer_key}-{RATING}", "Enter")
        assert page.url == module_url

        page.click(f"#{exercises['plan'].answer_key} >> text=Printable version of this exercise")
        assert (
            page.url == f"{live_server.url}/en/modules/making-a-plan/exercises/{exercises['plan'].pk}/print/"
        )
        assert page.is_visible("text=Write your plan for risky moments.")
        assert page.is_hidden("text=Print this exercise")
        page.emulate_media(media="print")
        assert page.is_hidden("[data-quick-exit]")
        assert page.is_visible(".print-lines")

        _assert_nothing_left_the_device(network, live_server)
