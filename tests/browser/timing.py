"""Browser timings of a page: first open (cold cache), warm reload and sidebar navigation.

A page is "drawn" when Streamlit's script has finished, the page's own heading is on screen, no
skeleton is left, every image (the trajectory chart, the cards' sparklines) is decoded and every Plotly
chart has drawn its SVG: what a reader waits for, not a fixed sleep.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

DRAWN = """(heading) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  const h = [...document.querySelectorAll('[data-testid="stMain"] h1')].map(e => e.innerText.trim());
  if (!h.some(t => t.startsWith(heading))) return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  if ([...document.querySelectorAll('[data-testid="stMain"] img')].some(i => !i.complete)) return false;
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]').length;
  return document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg').length >= charts;
}"""


def drawn(page, heading: str) -> None:
    """Wait until the page titled `heading` is drawn (script done, charts drawn)."""
    page.wait_for_function(DRAWN, arg=heading, polling=50)


def timed(action: Callable[[], object], page, heading: str) -> float:
    """Seconds from `action()` until the page titled `heading` is drawn."""
    began = time.monotonic()
    action()
    # the old page may still look drawn for a moment: wait for the run to start when it does
    page.wait_for_timeout(30)
    drawn(page, heading)
    return time.monotonic() - began


@dataclass(frozen=True)
class Timings:
    """Median seconds of a page's opens."""

    cold: float
    reload: float
    navigation: float


def measure(
    page, url: str, heading: str, nav_from: str, nav_from_heading: str, nav_label: str, rounds: int = 3
) -> Timings:
    """Open `url` cold once, reload it `rounds` times, and reach it `rounds` times from `nav_from`.

    The navigation clicks the sidebar link named `nav_label`, as a reader does.
    """
    cold = timed(lambda: page.goto(url), page, heading)
    reloads = [timed(page.reload, page, heading) for _ in range(rounds)]
    navigations = []
    for _ in range(rounds):
        page.goto(nav_from)
        drawn(page, nav_from_heading)
        link = page.locator('[data-testid="stSidebarNav"] a').filter(has_text=nav_label).first
        navigations.append(timed(link.click, page, heading))
    return Timings(cold, statistics.median(reloads), statistics.median(navigations))


# path -> (French heading, French sidebar link) of the pages whose first screens matter most
PAGES = {
    "": ("Trajectoire vers les objectifs", "Trajectoire"),
    "regions": ("Régions", "Régions"),
    "operations": ("Interventions et réclamations", "Opérations"),
    "workload": ("Charge de travail des équipes", "Charge des équipes"),
    "alerts": ("Alertes", "Alertes"),
    "verbatims": ("Ce que disent les verbatims", "Verbatims"),
    "followups": ("Rappeler les clients détracteurs", "Rappels clients"),
}


def ratios(browser, app_url: str, trivial_url: str, rounds: int = 3) -> dict[str, dict[str, float]]:
    """Each page's cold open, warm reload and navigation, and the two ratios to the trivial page.

    `app_url` must be a server whose caches are cold, so each page's first open is a real first open.
    Each page is compared with the trivial page at the same depth: the default page at `/`, the others
    at `/name`. A reload at `/name` pays a step the root does not: Streamlit's browser code first asks
    for `/name/_stcore/health`, gets a 404, and tries `/` after a pause (about 0.1 s).
    """
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(90_000)
    one, two = f"{trivial_url}/", f"{trivial_url}/two"  # the default page lives at /, not /one
    try:
        floors = {
            "trivial": measure(page, one, "Trivial one", two, "Trivial two", "One", rounds),
            "trivial_subpage": measure(page, two, "Trivial two", one, "Trivial one", "Two", rounds),
        }
        results: dict[str, dict[str, float]] = {name: dict(f.__dict__) for name, f in floors.items()}
        for path, (heading, link) in PAGES.items():
            other = "" if path else "regions"
            got = measure(
                page,
                f"{app_url}/{path}?lang=fr",
                heading,
                f"{app_url}/{other}?lang=fr",
                PAGES[other][0],
                link,
                rounds,
            )
            floor = floors["trivial_subpage" if path else "trivial"]
            results[path or "trajectory"] = {
                **got.__dict__,
                "reload_ratio": got.reload / floor.reload,
                "navigation_ratio": got.navigation / floor.navigation,
            }
    finally:
        context.close()
    return results


def markdown(results: dict[str, dict[str, float]]) -> str:
    """The results as the table docs/benchmarks.md shows."""
    lines = [
        "| page | first open (cold) | warm reload | reload ratio | sidebar navigation | navigation ratio |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        ratio = (
            (f"{r['reload_ratio']:.1f}×", f"{r['navigation_ratio']:.1f}×")
            if "reload_ratio" in r
            else ("1×", "1×")
        )
        lines.append(
            f"| {name} | {r['cold']:.2f} s | {r['reload']:.2f} s | {ratio[0]} "
            f"| {r['navigation']:.2f} s | {ratio[1]} |"
        )
    return "\n".join(lines)
