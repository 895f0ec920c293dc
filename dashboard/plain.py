r"""User text (headers, file names, values) shown literally inside Streamlit's Markdown elements.

`st.error`, `st.warning`, `st.info`, `st.success` and `st.caption` render Markdown: a CSV header named
`![p](http://evil.example/p.png)` would make the browser fetch an image, and a file name
`[clic](http://evil.example)` would become a live link. Every ASCII punctuation mark is escaped with a
backslash, which CommonMark shows as the mark itself, so links, images, HTML, emphasis, colour
directives (`:red[...]`) and bare-URL autolinks cannot form.
"""

from __future__ import annotations

import string

import streamlit as st

from dashboard.i18n import current_lang
from metrics.errors import CxError

# GitHub-flavoured Markdown turns bare `http://…`, `www.…` and `a@b.fr` into links even when their
# punctuation is escaped: an invisible word joiner (U+2060) before ":", "." and "@" breaks them apart
_JOINED = ":.@"
_ESCAPES = {ord(c): ("\u2060" if c in _JOINED else "") + "\\" + c for c in string.punctuation}


def literal(text: object) -> str:
    """`text` escaped so that Markdown shows it character for character."""
    return str(text).translate(_ESCAPES)


def error(err: CxError | str) -> None:
    """An error box whose sentence, which may quote file text, is never read as Markdown.

    A typed error is rendered in the reader's language with the page's own fix (never a CLI flag).
    """
    st.error(literal(err.render(current_lang(), "page") if isinstance(err, CxError) else err))


def warning(text: str) -> None:
    """A warning box around a sentence that may quote file text."""
    st.warning(literal(text))
