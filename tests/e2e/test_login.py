"""A full OIDC login round trip in Chromium against a local mock provider, then log out."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest
from e2e.browser import Server, assert_healthy, free_port, wait_ready


@pytest.fixture(scope="module")
def provider():
    port = free_port()
    claims = [{"sub": "ann", "email": "ann@example.com", "name": "Ann Admin"},
              {"sub": "vic", "email": "vic@partner.org", "name": "Vic Viewer"}]
    args = [sys.executable, "-m", "oidc_provider_mock", "--port", str(port)]
    for claim in claims:
        args += ["--user-claims", json.dumps(claim)]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2)
            break
        except OSError:
            if time.time() > deadline:
                proc.kill()
                raise RuntimeError("the mock OIDC provider did not start") from None
            time.sleep(0.3)
    yield url
    proc.kill()
    proc.wait()


@pytest.fixture(scope="module")
def login_server(provider, sample_path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("login")
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{'c' * 40}"
client_id = "tandem"
client_secret = "tandem-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[tandem]
default_role = "none"

[tandem.roles]
admin = ["ann@example.com"]
viewer = ["vic@partner.org"]
""")
    db_path = folder / "login.duckdb"
    shutil.copy(sample_path, db_path)
    srv = Server(db_path, port, extra_env={"STREAMLIT_SECRETS_FILES": str(secrets)})
    yield srv
    srv.stop()


def log_in_as(tab, server, sub: str) -> None:
    tab.goto(server.url)
    wait_ready(tab, filters=False)
    assert tab.locator('[data-testid="stMain"] h1').first.inner_text() == "Tandem"
    assert tab.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').count() == 0
    tab.get_by_role("button", name="Log in").click()
    tab.wait_for_url("**/authorize**", timeout=30_000)
    tab.get_by_role("button", name=sub, exact=True).click()
    tab.wait_for_url(f"{server.url}/**", timeout=30_000)
    wait_ready(tab)


def test_login_round_trip_lands_with_role_and_logs_out(login_server, page):
    log_in_as(page, login_server, "ann")
    assert_healthy(page)
    assert page.locator('[data-testid="stMain"] h1').first.inner_text() == "Brand & quota"
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "ann@example.com" in sidebar and "role: admin" in sidebar
    page.get_by_role("button", name="Log out").click()
    # Streamlit ends the provider session too; this mock provider shows a page and does not redirect back.
    page.wait_for_url("**/end_session**", timeout=30_000)
    page.goto(login_server.url)
    wait_ready(page, filters=False)
    assert page.get_by_role("button", name="Log in").count() == 1
    assert page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').count() == 0


def test_login_viewer_role_shown(login_server, page):
    log_in_as(page, login_server, "vic")
    assert "role: viewer" in page.locator('[data-testid="stSidebar"]').inner_text()
