"""Sign-in through a real OpenID Connect provider in a real browser, one role at a time.

`oidc-provider-mock` runs on localhost in this process; the dashboard is served with an `[auth]`
section pointing at it (`--secrets.files`), and an access file naming each test user. Chromium signs
in through the provider's form, then the test checks what each role sees and cannot reach.
"""

from __future__ import annotations

import shutil

import pytest
from oidc_provider_mock import User, run_server_in_thread

from tests.browser.conftest import settle, shoot
from tests.browser.server import free_port, serve
from tests.pages_demo import demo_db

pytestmark = pytest.mark.browser

ACCESS = """
[[grant]]
who = "dir@example.com"
role = "regional_director"
regions = ["Bretagne"]

[[grant]]
group = "cse"
role = "staff_representative"
"""
USERS = [
    User(sub="dir-1", claims={"email": "dir@example.com"}),
    User(sub="rep-1", claims={"email": "rep@example.com", "groups": ["cse"]}),
    User(sub="nobody-1", claims={"email": "nobody@example.com"}),
]


@pytest.fixture(scope="module")
def signed_in_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("sign-in")
    db = root / "cx.duckdb"
    shutil.copy(demo_db(), db)
    (root / "access.toml").write_text(ACCESS, encoding="utf-8")
    port = free_port()
    with run_server_in_thread(user_claims=USERS) as idp:
        secrets = root / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "a-cookie-secret-for-tests-only"\n'
            'client_id = "cx-dashboard"\n'
            'client_secret = "cx-secret"\n'
            f'server_metadata_url = "http://localhost:{idp.server_port}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        with (root / "streamlit.log").open("w") as log, serve(
            db,
            log=log,
            port=port,
            extra=("--secrets.files", str(secrets)),
            env={"CX_ACCESS_FILE": str(root / "access.toml")},
        ) as url:
            yield url


def sign_in(page, url: str, sub: str, path: str = "") -> None:
    """Sign in from the first page (the only one a visitor has), then open `path`."""
    page.goto(url)
    settle(page)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector("input[name=sub]")
    page.get_by_role("button", name=sub).click()  # the provider's predefined user
    page.wait_for_url(f"{url}/**")
    settle(page)
    if path:
        page.goto(f"{url}/{path}")
        settle(page)


def test_before_signing_in_only_the_sign_in_button_shows(page, signed_in_app):
    page.goto(signed_in_app)
    settle(page)
    assert page.get_by_role("button", name="Se connecter").is_visible()
    assert page.locator('[data-testid="stMetric"]').count() == 0
    shoot(page, "sign_in_prompt")


def test_a_regional_director_signs_in_and_sees_the_league_but_not_another_regions_sites(page, signed_in_app):
    sign_in(page, signed_in_app, "dir-1", "regions")
    body = page.inner_text('[data-testid="stMain"]')
    assert "Se connecter" not in body
    shoot(page, "sign_in_director_regions")
    page.goto(f"{signed_in_app}/regions?drill=Normandie")
    settle(page)
    # the drill-down of another region lists no site of it
    assert "NMD-" not in page.inner_text('[data-testid="stMain"]')  # Normandie's site codes
    page.goto(f"{signed_in_app}/?region=Normandie")
    settle(page)
    text = page.inner_text('[data-testid="stMain"]')
    assert "Normandie" in text
    assert "Le lien demande" in text
    assert "Périmètre : Bretagne" in text
    shoot(page, "sign_in_director_other_region")


def test_a_staff_representative_signs_in_to_the_workload_page_only(page, signed_in_app):
    sign_in(page, signed_in_app, "rep-1")
    # one page in the menu: Streamlit draws no menu at all for a single page
    assert "Trajectoire" not in page.inner_text('[data-testid="stSidebar"]')
    assert "Charge de travail des équipes" in page.inner_text('[data-testid="stMain"]')
    shoot(page, "sign_in_staff_workload")


def test_someone_the_access_file_does_not_name_sees_one_sentence(page, signed_in_app):
    sign_in(page, signed_in_app, "nobody-1")
    text = page.inner_text('[data-testid="stMain"]')
    assert "n'a accès à aucune page" in text
    assert page.locator('[data-testid="stMetric"]').count() == 0
    shoot(page, "sign_in_nobody")
