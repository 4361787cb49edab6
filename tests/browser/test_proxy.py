"""Through a real nginx on loopback (deploy/kam-locations.conf) in front of the dashboard under /kam/."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from kam.config import Settings
from tests.browser.test_browser import _settled
from tests.serve import ROOT, free_port, http_ok, serving, started_demo, wait_until_up

NGINX = "/usr/sbin/nginx"
LOCATIONS = ROOT / "deploy" / "kam-locations.conf"
# Each page's path under /kam/ and its heading, for the VP.
PAGES = {
    "overview": "Overview",
    "tiers": "Tiers",
    "visits": "Visit compliance",
    "complaints": "Complaint SLA",
    "satisfaction": "Satisfaction",
    "managers": "Managers",
    "account": "Account view",
}
# The test's own nginx: the deployment's locations, plain HTTP on a free loopback port.
CONFIG = """
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
    server {{
        listen 127.0.0.1:{port};
        include {folder}/kam-locations.conf;
    }}
}}
"""


def test_the_proxys_upload_limit_is_the_configured_one():
    assert f"client_max_body_size {Settings().upload_max_mb}m;" in LOCATIONS.read_text()


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (bin/test installs it)")
    folder = tmp_path_factory.mktemp("nginx")
    with serving({"KAM_DB_PATH": str(started_demo(folder))}, base="kam") as upstream:
        locations = LOCATIONS.read_text().replace("http://127.0.0.1:8501", upstream)
        (folder / "kam-locations.conf").write_text(locations)
        port = free_port()
        (folder / "nginx.conf").write_text(CONFIG.format(folder=folder, port=port))
        process = subprocess.Popen(
            [NGINX, "-c", str(folder / "nginx.conf"), "-p", str(folder), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(process, lambda: http_ok(f"{url}/kam/_stcore/health"), "nginx", 20)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)
            shutil.rmtree(folder / "body", ignore_errors=True)


def test_health_answers_under_the_base_path(proxied: str):
    with urllib.request.urlopen(f"{proxied}/kam/healthz", timeout=10) as reply:
        body = json.load(reply)
    assert reply.status == 200
    assert body["status"] == "ok" and body["database"] == "readable" and body["last_load"]


def test_sign_in_and_every_page_under_kam(proxied: str, browser: Browser):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{proxied}/kam/tiers", wait_until="domcontentloaded")
        page.get_by_label("User name").fill("vp", timeout=60_000)
        page.get_by_label("Password", exact=True).fill("vp-demo-2026")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Tiers", exact=True).wait_for(timeout=60_000)
        assert page.evaluate("location.pathname") == "/kam/tiers"
        [cookie] = [c for c in context.cookies() if c["name"] == "kam_session"]
        assert cookie["path"] == "/kam/" and cookie["httpOnly"]
        for path, heading in PAGES.items():
            page.goto(f"{proxied}/kam/{path}", wait_until="domcontentloaded")
            page.get_by_role("heading", name=heading, exact=True).wait_for(timeout=60_000)
            _settled(page)
            assert page.locator('[data-testid="stException"]').count() == 0, path
            assert page.get_by_label("User name").count() == 0, path
        # The sidebar's links stay under /kam/, and sign-out comes back to /kam/.
        page.get_by_role("link", name="Tiers").click()
        page.wait_for_function("() => location.pathname === '/kam/tiers'", timeout=30_000)
        page.get_by_role("button", name="Sign out").click()
        page.get_by_label("User name").wait_for(timeout=60_000)
        assert page.evaluate("location.pathname").startswith("/kam/")
    finally:
        context.close()
