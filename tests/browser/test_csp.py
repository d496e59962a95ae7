"""The main pages run under the strict Content Security Policy in a real Chromium.

The browser reports every violation (an inline script or style it refused, a blocked eval) as a
``securitypolicyviolation`` event and a console error: neither may happen on any page, and
HTMX must still swap content (it runs without eval and without its injected indicator style).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.main_pages import leader_pages, staff_pages
from tests.outcomes.world import build_outcomes

from .conftest import sign_in

pytestmark = pytest.mark.browser

# Playwright injects this through the DevTools protocol, which the page's CSP does not govern.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP violation it reports collected (event or console)."""
    reported = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            reported.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.reported_violations = reported
    return page


def visit(page, path, htmx=True):
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__cspViolations")
    assert not violations, f"CSP violations on {path}: {violations}"
    if htmx:
        assert page.evaluate("typeof window.htmx") == "object", f"htmx did not load on {path}"


def test_sign_in_page_has_no_violation(watched, world):
    visit(watched, "/accounts/login/")
    assert not watched.reported_violations


def test_staff_pages_have_no_violation(watched, world):
    build_outcomes(world)
    sign_in(watched, "staff@world.example")
    for path in staff_pages(world):
        visit(watched, path)
    assert not watched.reported_violations


def test_leader_pages_have_no_violation(watched, world):
    build_outcomes(world)
    sign_in(watched, "leader@world.example")
    for path in leader_pages(world):
        visit(watched, path)
    assert not watched.reported_violations


def test_api_docs_run_under_their_policy(watched, world):
    sign_in(watched, "leader@world.example")
    visit(watched, "/api/docs/", htmx=False)
    expect(watched.locator(".swagger-ui .info .title")).to_contain_text("Grappe API")
    assert not watched.reported_violations


def test_htmx_filter_swaps_content_under_the_policy(watched, world):
    sign_in(watched, "leader@world.example")
    visit(watched, "/projects/")
    watched.evaluate("window.__marker = 1")
    results = watched.locator("#project-results")
    expect(results.get_by_role("link", name="DRAFT", exact=True)).to_be_visible()

    watched.get_by_role("searchbox").press_sequentially("FUND")

    expect(results.get_by_role("link", name="DRAFT", exact=True)).to_have_count(0)
    expect(results.get_by_role("link", name="FUNDED", exact=True)).to_be_visible()
    expect(watched).to_have_url(re.compile(r"[?&]q=FUND(&|$)"))
    assert watched.evaluate("window.__marker") == 1, "the page was reloaded, not swapped"
    assert not watched.evaluate("window.__cspViolations")
    assert not watched.reported_violations


def test_admin_pages_have_no_violation(watched, world):
    admin = world["people"]["outsider"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    project = world["projects"]["funded"].pk
    sign_in(watched, "outsider@world.example")
    for path in [
        "/admin/",
        "/admin/projects/project/",
        f"/admin/projects/project/{project}/change/",
    ]:
        visit(watched, path, htmx=False)
    assert not watched.reported_violations
