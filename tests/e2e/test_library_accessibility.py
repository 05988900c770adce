"""The library's pages pass axe-core's WCAG 2.2 AA and best-practice rules, with and without results."""

from __future__ import annotations

from pathlib import Path

import pytest

from resources.demo import load_demo_content
from resources.models import Exercise

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "var" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
RUN_AXE = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    return result.violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
}"""


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `bash .ci/axe.sh`")
    return AXE.read_text()


@pytest.fixture
def browser_context_options() -> dict[str, object]:
    return {"bypass_csp": True}  # only so the test can inject axe; the pages themselves are unchanged


def test_library_pages_have_no_accessibility_violations(page, live_server, axe_source):
    load_demo_content()
    plan = Exercise.objects.filter(kind=Exercise.Kind.PLAN).first()
    assert plan is not None
    paths = [
        "/en/",
        "/en/browse-safely/",
        "/en/self-help/",
        "/en/self-help/topics/worried-about-someone-else/",
        "/en/self-help/when-someone-you-love-is-worrying-you/",
        "/en/modules/",
        "/en/modules/making-a-plan/",
        f"/en/modules/making-a-plan/exercises/{plan.pk}/print/",
        "/en/search/",
        "/en/search/?q=worrying",
        "/en/search/?q=",
        "/en/self-help/no-such-page/",
    ]
    problems = {}
    for path in paths:
        page.goto(live_server.url + path)
        page.add_script_tag(content=axe_source)
        violations = page.evaluate(RUN_AXE, RULES)
        if violations:
            problems[path] = violations
    assert problems == {}
