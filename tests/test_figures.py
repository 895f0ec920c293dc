"""Figures shared by the board pack and the insight pages: localised months, escaped names, flagged weeks."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from metrics.reports.figures import control_figure, impact_figure, share_figure
from metrics.semantic.definitions import metric


def test_share_figure_names_months_in_french_and_plots_percent():
    monthly = pd.DataFrame(
        {"period": [dt.date(2026, 1, 1), dt.date(2026, 2, 1)], "share": [0.25, 1.0], "mentions": [1, 2],
         "comments": [4, 2]}
    )  # fmt: skip
    fig = share_figure(monthly, "Prix", "fr")
    assert fig.layout.xaxis.ticktext == ("janv. 2026", "févr. 2026")
    assert list(fig.data[0].y) == [25.0, 100.0]
    assert fig.data[0].text[0] == "janv. 2026: 25,0\xa0% (1 / 4)"  # babel's no-break space before %


def test_control_figure_escapes_the_group_name_and_marks_flagged_weeks():
    weeks = [dt.date(2026, 1, 5) + dt.timedelta(weeks=i) for i in range(3)]
    chart = pd.DataFrame(
        {"period": weeks, "value": [30.0, 31.0, 0.0], "n": [150] * 3, "center": [30.0] * 3,
         "lcl": [11.0] * 3, "ucl": [49.0] * 3, "beyond": [False, False, True], "in_run": [False] * 3}
    )  # fmt: skip
    fig = control_figure(chart, metric("nps"), "en", "NPS · <b>Sud</b>")
    assert fig.layout.title.text == "NPS · &lt;b&gt;Sud&lt;/b&gt;"
    assert list(fig.data[0].y) == [49.0] * 3  # upper limit
    flagged = fig.data[-1]
    assert list(flagged.x) == [weeks[2]]
    assert list(flagged.y) == [0.0]


def test_impact_figure_puts_the_largest_impact_on_top_with_n():
    themes = pd.DataFrame({"label": ["Prix", "Attente"], "impact": [0.5, 2.0], "mentions": [1200, 300]})
    fig = impact_figure(themes, "fr", "Impact")
    # bottom to top; French thousands take a narrow no-break space
    assert list(fig.data[0].y) == ["Prix (n = 1\u202f200)", "Attente (n = 300)"]


def test_control_limits_are_drawn_inside_the_scale_of_a_rate():
    # a 95 % rate on 20 answers: sigma 100 sqrt(.95 x .05 / 20) = 4.87, ucl 109.6 -> drawn at 100
    chart = pd.DataFrame(
        {"period": [dt.date(2026, 1, 5)], "value": [95.0], "n": [20], "center": [95.0], "lcl": [80.4],
         "ucl": [109.6], "beyond": [False], "in_run": [False]}
    )  # fmt: skip
    fig = control_figure(chart, metric("first_time_fix_rate"), "fr", "FTF")
    assert list(fig.data[0].y) == [100.0]
    assert list(fig.data[1].y) == [80.4]


@pytest.mark.parametrize(
    ("periods", "first"),
    [
        (["2026-07-01", "2026-08-01", "2026-09-01"], "juil. 2026: "),  # a thin group, charted by month
        (["2026-08-31", "2026-09-07", "2026-09-14"], "Semaine 31 août 2026: "),
    ],
)
def test_a_control_chart_names_its_points_by_their_grain(periods, first):
    import datetime as dt

    import pandas as pd

    from metrics.reports.figures import control_figure
    from metrics.semantic.definitions import metric

    chart = pd.DataFrame({
        "period": [dt.date.fromisoformat(p) for p in periods], "value": [30.0, 32.0, 20.0],
        "n": [120, 130, 110], "center": 31.0, "ucl": 45.0, "lcl": 17.0, "beyond": False, "in_run": False,
    })  # fmt: skip
    fig = control_figure(chart, metric("nps"), "fr", "NPS")
    hover = next(t.text for t in fig.data if t.text is not None)
    assert hover[0].startswith(first), hover[0]
