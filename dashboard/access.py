"""Who is reading: the signed-in person's caller (OIDC through `st.login`), or the local admin.

With an `[auth]` section in `.streamlit/secrets.toml` everyone signs in with the company's identity
provider, and the access file (metrics.access.policy) gives their role and regions. Without it the
dashboard runs in local mode: it listens on localhost only (`python -m dashboard`) and a banner says
that whoever reaches it has every right. The rights themselves are enforced in `metrics/`.
"""

from __future__ import annotations

import contextlib

import streamlit as st

from metrics.access.caller import Caller
from metrics.access.changes import record_once_per_version
from metrics.access.policy import access_path, caller_for, read_grants
from metrics.errors import StoreBusy


def signed_in_mode() -> bool:
    """True when the deployment configured an identity provider (`[auth]` in secrets.toml)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all: local mode
        return False


def logged_in() -> bool:
    """True once the identity provider has signed the visitor in."""
    return bool(st.user.get("is_logged_in"))


def current_caller() -> Caller | None:
    """The visitor's caller: the local admin, their granted roles, or None (not signed in, or nobody)."""
    if not signed_in_mode():
        return Caller.local()
    if not logged_in():
        return None
    claims = st.user.to_dict()
    _record_access_changes()
    return caller_for(claims, read_grants(access_path()))


def _record_access_changes() -> None:
    """A new version of the access file goes into the audit trail the first time a page reads it."""
    from dashboard.data import store  # here: dashboard.data asks this module who the reader is

    with contextlib.suppress(StoreBusy):  # an import holds the file: recorded at the next click
        record_once_per_version(store())


def visible_pages(everything: tuple[str, ...]) -> tuple[str, ...]:
    """The pages the menu lists: the reader's own, or the first page alone (where sign-in is asked)."""
    who = current_caller()
    if who is None:
        return everything[:1]
    mine = tuple(p for p in everything if p in who.pages)
    return mine or everything[:1]
