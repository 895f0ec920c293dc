"""Before an import: which dataset the file is (or no guess), and what it would update, to confirm."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from dashboard.i18n import label, t
from metrics.contracts.datasets import DATASETS, dataset
from metrics.ingest.mapping import detect_dataset, suggest
from metrics.ingest.preview import Plan


def guess(headers: Sequence[str]) -> str | None:
    """The one dataset these headers clearly are, else None: no guess beats a wrong one.

    A guess needs every required column, and the dataset must use more of the file's columns than
    any other one and at least half of them. A survey file whose score header is unknown fills the
    sites dataset (site, région) but uses 2 of its 5 columns, while responses uses 4: no guess.
    """
    complete = [key for key, fit in detect_dataset(headers) if fit >= 1.0]
    if not complete or not headers:
        return None
    used = {key: len(suggest(ds, headers)) for key, ds in DATASETS.items()}
    best = complete[0]
    if any(n >= used[best] for key, n in used.items() if key != best):
        return None
    return best if used[best] * 2 >= len(headers) else None


def dataset_choice(headers: Sequence[str], ranked: Sequence[str]) -> tuple[str | None, str | None]:
    """The detected dataset (or None) and the one the user picked; nothing is picked for them on a doubt."""
    detected = guess(headers)
    st.text(
        t("data.detected", dataset=label(dataset(detected).label)) if detected else t("data.not_detected")
    )  # file text, never markdown
    # worded in this run, in the reader's language, and read back by key (see import_options)
    names = {k: label(dataset(k).label) for k in dict.fromkeys([*ranked, *DATASETS])}
    options = list(names)
    chosen = st.selectbox(
        t("data.dataset"),
        options,
        index=options.index(detected) if detected else None,
        format_func=names.__getitem__,
        placeholder=t("data.choose_dataset"),
        key="data_dataset",
    )
    return detected, chosen


def confirmation(detected: str | None, chosen: str, plan: Plan, key: str) -> bool:
    """Say what the import will do when it replaces rows or defies the detection; True once confirmed."""
    notes = []
    if detected is None and plan.updates:  # picked from a blank list, it is the user's own choice
        notes.append(t("data.plan_undetected", dataset=label(dataset(chosen).label)))
    elif detected is not None and detected != chosen:
        notes.append(
            t(
                "data.plan_other",
                dataset=label(dataset(chosen).label),
                detected=label(dataset(detected).label),
            )
        )
    if plan.updates:
        shown = ", ".join(plan.examples) + (" …" if plan.updates > len(plan.examples) else "")
        notes.append(
            t("data.plan_updates", n=plan.updates, dataset=label(dataset(chosen).label), keys=shown)
        )
    if not notes:
        return True
    with st.container(border=True):
        for note in notes:
            st.text("⚠ " + note)  # carries file values: text, never markdown
        return st.checkbox(t("data.plan_confirm"), key=key)


def uploader_words() -> None:
    """Replace, by CSS, the uploader's English-only "Upload" and "200MB per file" with our words."""
    button = t("data.browse").replace('"', "")
    limits = t("data.limits").replace('"', "")
    st.html(
        "<style>"
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p,'
        '[data-testid="stFileUploaderDropzoneInstructions"] span {font-size: 0;}'
        f'[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after'
        f'{{content: "{button}"; font-size: 0.875rem;}}'
        f'[data-testid="stFileUploaderDropzoneInstructions"] span::after'
        f'{{content: "{limits}"; font-size: 0.875rem;}}'
        "</style>"
    )
