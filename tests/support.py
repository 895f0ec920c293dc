"""Helpers shared by test modules (import as `from tests.support import ...`)."""

from __future__ import annotations

from metrics.store import Store


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, to compare the database before and after a refusal."""
    with store.cursor() as cur:
        tables = [r[0] for r in cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
        ).fetchall()]
        return {t: sorted(cur.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}


# the [auth] section a page test gives AppTest for a signed-in reader (no provider is reached: AppTest
# simulates the user), and the access file both sign-in page tests grant
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-secret",
    "client_id": "cx",
    "client_secret": "cx",
    "server_metadata_url": "http://localhost:1/.well-known/openid-configuration",
}
ROLES_ACCESS = """
[[grant]]
who = "dir@example.com"
role = "regional_director"
regions = ["Bretagne"]

[[grant]]
who = "rep@example.com"
role = "staff_representative"

[[grant]]
who = "boss@example.com"
role = "executive"
"""
