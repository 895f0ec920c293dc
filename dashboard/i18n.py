"""Every word on screen comes from the gettext catalogues in `metrics/locale`; `t(key)` picks the language."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from metrics import catalogue

DEFAULT_LANG = catalogue.DEFAULT_LANG


def langs() -> tuple[str, ...]:
    """The languages a reader can pick: one per `.po` found, French first."""
    return catalogue.langs()


def current_lang() -> str:
    """The language in the URL (`?lang=en`), else the one chosen earlier this session, else French."""
    lang = st.query_params.get("lang") or st.session_state.get("lang") or DEFAULT_LANG
    return lang if lang in langs() else DEFAULT_LANG


def translate(key: str, lang: str, **values: object) -> str:
    """The message `key` in `lang`, with `{name}` placeholders filled; a missing key fails loudly."""
    return catalogue.text(key, lang, **values)


def t(key: str, **values: object) -> str:
    """The message `key` in the current language."""
    return translate(key, current_lang(), **values)


def label(names: Mapping[str, str]) -> str:
    """A declared {"fr": ..., "en": ...} label (metrics, datasets) in the current language, else French."""
    return names.get(current_lang()) or names[DEFAULT_LANG]
