"""Every word on screen, in French (default) and English; `t(key)` picks the current language."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from dashboard.messages import MESSAGES
from metrics import catalogue

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"


def current_lang() -> str:
    """The language in the URL (`?lang=en`), else the one chosen earlier this session, else French."""
    lang = st.query_params.get("lang") or st.session_state.get("lang") or DEFAULT_LANG
    return lang if lang in LANGS else DEFAULT_LANG


def translate(key: str, lang: str, **values: object) -> str:
    """The message `key` in `lang`, with `{name}` placeholders filled; a missing key fails loudly in tests.

    The pages' own words are in `dashboard.messages`; the sentences the CLI shows too (with plural
    forms) are in `metrics.catalogue`.
    """
    entry = MESSAGES.get(key)
    if entry is None:
        return catalogue.text(key, lang, **values)
    return entry[lang].format(**values) if values else entry[lang]


def t(key: str, **values: object) -> str:
    """The message `key` in the current language."""
    return translate(key, current_lang(), **values)


def label(names: Mapping[str, str]) -> str:
    """A declared {"fr": ..., "en": ...} label (metrics, datasets) in the current language."""
    return names[current_lang()]
