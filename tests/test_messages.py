"""One message catalogue: every word the product shows is a gettext message in `metrics/locale/*/cx.po`.

`pybabel extract` (babel's extractor) lists the message ids the code uses: the first argument of
`t`, `translate`, `text` and `N_` (the gettext marker for an id used through a variable). A message the
code uses but no catalogue has fails here, and so does a message no code uses any more.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from metrics import catalogue

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"t": None, "translate": None, "text": None, "N_": None}
# a message id is a dotted key, with an optional surface ending: `traj.title`, `import.partial@cli`
KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+(@[a-z]+)?$")


def _extracted():
    """Every key-shaped id the code passes to a catalogue function, with where it is used."""
    found = {}
    for folder, pattern in (("metrics", "**.py"), ("dashboard", "**.py"), (".", "streamlit_app.py")):
        for name, line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[(pattern, "python")], keywords=KEYWORDS, comment_tags=()
        ):
            if folder == "." and name != "streamlit_app.py":
                continue
            key = message if isinstance(message, str) else message[0]
            if KEY.match(key):
                found.setdefault(key, []).append(f"{folder}/{name}:{line}")
    return found


@pytest.fixture(scope="module")
def used():
    return _extracted()


def test_every_message_the_code_uses_is_in_the_french_catalogue(used):
    missing = {key: where for key, where in used.items() if not catalogue.has(key)}
    assert missing == {}


def test_every_message_in_the_catalogue_is_used_by_the_code(used):
    unused = sorted(key for key in catalogue.ids() if key.partition("@")[0] not in used)
    assert unused == []


def test_extraction_sees_keys_used_through_a_variable():
    # HEADER_KEYS["glide"] is marked N_("chart.glide"); `t(HEADER_KEYS[col])` alone would hide it
    assert "chart.glide" in _extracted()


def _fields(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", [lang for lang in catalogue.langs() if lang != catalogue.DEFAULT_LANG])
def test_every_language_has_every_french_message_with_the_same_placeholders(lang):
    french = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalogue.catalog("fr") if m.id}
    other = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalogue.catalog(lang) if m.id}
    assert sorted(set(french) - set(other)) == []
    assert sorted(set(other) - set(french)) == []
    for key, message in french.items():
        assert message.pluralizable == other[key].pluralizable, key
        forms = message.string if message.pluralizable else (message.string,)
        theirs = other[key].string if other[key].pluralizable else (other[key].string,)
        assert all(theirs), f"{lang} {key}: empty translation"
        assert _fields(forms[-1]) == _fields(theirs[-1]), key


def test_each_catalogue_declares_its_plural_rule():
    assert catalogue.catalog("fr").plural_forms == "nplurals=2; plural=(n > 1);"
    assert catalogue.catalog("en").plural_forms == "nplurals=2; plural=(n != 1);"


def test_a_missing_message_fails_loudly_instead_of_showing_its_key():
    with pytest.raises(KeyError, match=r"no message 'traj\.nope'"):
        catalogue.text("traj.nope", "fr")
