"""Single sign-on in Chromium, through a company provider on a loopback port: a link opens its view after it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import fresh_page
from tests.browser.test_browser import _settled
from tests.oidc import Provider, provider
from tests.serve import free_port, serving

SECRETS = """[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "a-test-cookie-secret-of-some-length"
client_id = "{client_id}"
client_secret = "{client_secret}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
"""


@pytest.fixture(scope="module")
def company() -> Iterator[Provider]:
    with provider() as known:
        yield known


@pytest.fixture(scope="module")
def server(company: Provider, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard on the demo data, single sign-on through the company's provider."""
    folder = tmp_path_factory.mktemp("sso")
    port = free_port()
    secrets = Path(folder / "secrets.toml")
    secrets.write_text(
        SECRETS.format(port=port, client_id=company.client_id, client_secret=company.client_secret, issuer=company.url),
        encoding="utf-8",
    )
    env = {"KAM_DB_PATH": str(folder / "kam.duckdb")}
    with serving(env, options=["--secrets.files", str(secrets)], port=port) as url:
        yield url


def test_a_manager_signs_on_from_a_link_and_lands_on_its_view(server: str, company: Provider, browser: Browser):
    company.email = "m01@example.com"  # 徐军, manager M01 in the demo exports
    page = fresh_page(browser, server, viewport={"width": 1366, "height": 768})
    try:
        page.goto(f"{server}/tiers?tier=A", wait_until="domcontentloaded")
        page.get_by_role("button", name="Sign in with the company account").click(timeout=60_000)
        page.get_by_role("heading", name="Tiers", exact=True).wait_for(timeout=60_000)
        _settled(page)
        assert page.evaluate("location.pathname") == "/tiers"
        assert "tier=A" in page.evaluate("location.search")
        assert [name for name, _ in company.requests] == ["authorize", "token"]
        # The kept address has served its turn: a later sign-on from the start page stays there.
        assert "kam_link" not in {cookie["name"] for cookie in page.context.cookies()}
    finally:
        page.close()


def test_an_address_nobody_has_is_refused_with_a_way_to_try_another(server: str, company: Provider, browser: Browser):
    company.email = "stranger@example.com"
    page = fresh_page(browser, server, viewport={"width": 1366, "height": 768})
    try:
        page.goto(server, wait_until="domcontentloaded")
        page.get_by_role("button", name="Sign in with the company account").click(timeout=60_000)
        page.get_by_text("stranger@example.com has no access to this dashboard; ask an admin.").wait_for(timeout=60_000)
        page.get_by_role("button", name="Sign in with another company account").wait_for()
        assert page.get_by_role("heading", name="My worklist").count() == 0
    finally:
        page.close()
