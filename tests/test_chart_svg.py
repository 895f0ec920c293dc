"""The trajectory drawn as a static SVG: every point where its value says, read back through the ticks."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree

import pandas as pd
import pytest

from metrics.reports.chart_svg import nice_step, trajectory_svg, value_axis
from metrics.reports.trajectory import Trajectory
from metrics.semantic.definitions import metric

SVG = "{http://www.w3.org/2000/svg}"
NAN = float("nan")


def months(values, low, high, ytd, glide):
    periods = [dt.date(2026, k, 1) for k in range(1, len(values) + 1)]
    return pd.DataFrame(
        {"period": periods, "value": values, "low": low, "high": high, "ytd_value": ytd, "glide": glide}
    )


def trajectory(frame, *, target=40.0, projection=36.0, months_left=3, value=34.0, key="nps"):
    return Trajectory(
        metric=metric(key), year=2026, as_of=dt.date(2026, 9, 30), region=None, months=frame,
        value=value, n=900, moe=3.0, target=target, gap=None, glide=None, status="at_risk",
        projection=projection, required=None, reachable=None, best_possible=None,
        change_vs_last_month=None, months_left=months_left,
    )  # fmt: skip


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def texts(root) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def tick_labels(root):
    """The y axis's labels: the texts right-aligned at the plot's left edge, top to bottom."""
    found = [t for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end" and t.get("x") == "64.0"]
    return sorted(found, key=lambda t: float(t.get("y")))


def y_scale(root, lang="fr"):
    """Pixel row -> value, fitted through two tick labels (the labels are read as numbers)."""
    ticks = []
    for t in tick_labels(root):
        number = float(t.text.replace(",", ".")) if lang == "fr" else float(t.text.replace(",", ""))
        ticks.append((float(t.get("y")) - 4, number))  # labels sit 4 px under their grid line
    (y0, v0), (y1, v1) = ticks[0], ticks[-1]
    return lambda y: v0 + (y - y0) * (v1 - v0) / (y1 - y0)


def polylines(root, colour):
    return [p for p in root.iter(f"{SVG}polyline") if p.get("stroke") == colour]


def points(line) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in line.get("points").split()]


def test_nice_steps_are_one_two_two_and_a_half_or_five_times_a_power_of_ten():
    # spans over five intervals: 12.5 / 5 = 2.5; 9 / 5 = 1.8 -> 2; 0.7 / 5 = 0.14 -> 0.2; 130 / 5 = 26 -> 50
    assert [nice_step(s) for s in (12.5, 9, 0.7, 130)] == [2.5, 2, 0.2, 50]


def test_the_axis_runs_from_a_round_tick_under_the_lowest_value_to_one_over_the_highest():
    axis = value_axis([29.0, 40.0, NAN, 31.2], top=0, bottom=100, from_zero=False)
    # span 11 -> step 2.5 (11 / 5 = 2.2); 27.5 <= 29 and 40 >= 40
    assert axis.ticks == (27.5, 30.0, 32.5, 35.0, 37.5, 40.0)
    assert (axis.y(27.5), axis.y(40.0), axis.y(33.75)) == (100, 0, 50)
    counts = value_axis([120.0, 180.0], top=0, bottom=100, from_zero=True)
    assert (counts.ticks[0], counts.ticks[-1]) == (0.0, 200.0)  # counts start at zero (step 50)


def test_each_month_is_drawn_at_its_value_and_the_year_to_date_at_its_own():
    frame = months(
        values=[30.0, 34.0, 32.0], low=[27.0, 31.0, 29.5], high=[33.0, 37.0, 34.5],
        ytd=[30.0, 32.1, 32.07], glide=[31.0, 32.0, 33.0],
    )  # fmt: skip
    root = parse(trajectory_svg(trajectory(frame), metric("nps"), "fr"))
    value_of = y_scale(root)
    (monthly,) = polylines(root, "#0072B2")
    got = [round(value_of(y), 6) for _x, y in points(monthly)]
    assert got == pytest.approx([30.0, 34.0, 32.0], abs=0.06)  # a pixel rounded to 0.1 is under 0.06 NPS
    (ytd,) = polylines(root, "#000000")
    assert [value_of(y) for _x, y in points(ytd)] == pytest.approx([30.0, 32.1, 32.07], abs=0.06)
    # months one apart are one twelfth of the year apart (31 and 28 days: January to March)
    xs = [x for x, _y in points(monthly)]
    assert (xs[1] - xs[0]) / (xs[2] - xs[1]) == pytest.approx(31 / 28, abs=0.01)


def test_target_projection_and_legend_are_drawn_in_the_readers_language():
    frame = months([30.0, 34.0], [27.0, 31.0], [33.0, 37.0], [30.0, 32.1], [31.0, 32.0])
    root = parse(trajectory_svg(trajectory(frame), metric("nps"), "fr"))
    words = texts(root)
    assert "Objectif 40" in words
    assert "36,0" in words  # the projection's value by the diamond, with a decimal comma
    legend = {"Cumul annuel", "Trajectoire cible", "Projection fin d'année", "Marge d'erreur (95 %)"}
    assert legend <= set(words)
    assert words.count("janv.") == 1
    assert "déc." in words
    # the target's line across the plot (the legend's sample has the same colour, further down)
    lines = root.iter(f"{SVG}line")
    (target,) = [ln for ln in lines if ln.get("stroke") == "#D55E00" and ln.get("x1") == "72.0"]
    assert y_scale(root)(float(target.get("y1"))) == pytest.approx(40.0, abs=0.06)
    english = texts(parse(trajectory_svg(trajectory(frame), metric("nps"), "en")))
    assert {"Target 40", "Jan", "Dec", "36.0"} <= set(english)


def test_a_month_without_a_value_breaks_the_line_and_a_finished_year_has_no_projection():
    frame = months(
        values=[30.0, NAN, 32.0, 33.0], low=[27.0, NAN, 29.0, 30.0], high=[33.0, NAN, 35.0, 36.0],
        ytd=[30.0, 30.0, 31.0, 31.6], glide=[31.0, 32.0, 33.0, 34.0],
    )  # fmt: skip
    root = parse(trajectory_svg(trajectory(frame, months_left=0), metric("nps"), "fr"))
    runs = polylines(root, "#0072B2")
    assert [len(points(r)) for r in runs] == [1, 2]  # January alone, then March and April
    assert len([p for p in root.iter(f"{SVG}polygon")]) == 2  # the band breaks with it
    assert "Projection fin d'année" not in texts(root)
    assert not [p for p in root.iter(f"{SVG}path")]  # no projection diamond


def test_without_a_target_there_is_no_target_line_glide_path_or_legend_for_them():
    frame = months([30.0, 34.0], [27.0, 31.0], [33.0, 37.0], [30.0, 32.1], [NAN, NAN])
    root = parse(trajectory_svg(trajectory(frame, target=None, projection=None), metric("nps"), "fr"))
    words = texts(root)
    assert not [w for w in words if w.startswith("Objectif")]
    assert "Trajectoire cible" not in words
    assert not polylines(root, "#E69F00")


def test_event_labels_are_text_never_markup_and_cut_at_forty_characters():
    frame = months([30.0, 34.0], [27.0, 31.0], [33.0, 37.0], [30.0, 32.1], [31.0, 32.0])
    events = pd.DataFrame(
        {
            "date": [pd.Timestamp(2026, 2, 15), pd.Timestamp(2025, 6, 1)],  # the second: another year
            "label": ['<script>alert("x")</script> & réorganisation des équipes du centre', "Ancien"],
        }
    )
    svg = trajectory_svg(trajectory(frame), metric("nps"), "fr", events)
    assert "<script>" not in svg
    words = texts(parse(svg))
    label = '<script>alert("x")</script> & réorganis'[:39] + "…"
    assert len(label) == 40
    assert label in words
    assert "Ancien" not in words
    dotted = [ln for ln in parse(svg).iter(f"{SVG}line") if ln.get("stroke") == "#595959"]
    assert len(dotted) == 1
    # the scale read from the points of 1 January and 1 February (31 days apart): 15 February is 45
    # days after 1 January
    (line,) = polylines(parse(svg), "#0072B2")
    (january, _), (february, _) = points(line)
    per_day = (february - january) / 31
    assert float(dotted[0].get("x1")) == pytest.approx(january + 45 * per_day, abs=0.15)


def test_a_rate_reads_its_ticks_with_decimals_only_when_the_step_needs_them():
    frame = months([80.2, 80.9], [79.9, 80.6], [80.5, 81.2], [80.2, 80.55], [80.4, 80.8])
    rate = metric("first_time_fix_rate")
    tr = trajectory(frame, target=81.0, projection=80.7, value=80.55, key="first_time_fix_rate")
    root = parse(trajectory_svg(tr, rate, "fr"))
    # values from 79.9 to 81.2: 1.3 / 5 = 0.26, so a step of 0.5, from 79,5 up to 81,5
    assert [t.text for t in tick_labels(root)] == ["81,5", "81,0", "80,5", "80,0", "79,5"]
    frame = months([30.0, 34.0], [27.0, 31.0], [33.0, 37.0], [30.0, 32.1], [31.0, 32.0])
    root = parse(trajectory_svg(trajectory(frame), metric("nps"), "fr"))
    # values from 27 to 40 (the target): 13 / 5 = 2.6, so a step of 5 and no decimals
    assert [t.text for t in tick_labels(root)] == ["40", "35", "30", "25"]


def test_a_year_without_any_value_yet_draws_its_axes_and_no_line_nor_projection():
    empty = pd.DataFrame({c: [] for c in ("period", "value", "low", "high", "ytd_value", "glide")})
    for frame, value in ((empty, NAN), (months([NAN], [NAN], [NAN], [NAN], [31.0]), NAN)):
        svg = trajectory_svg(trajectory(frame, value=value, projection=35.0), metric("nps"), "fr")
        assert "nan" not in svg  # no coordinate is "nan": the image would not draw
        root = parse(svg)
        assert not polylines(root, "#0072B2")
        assert "Projection fin d'année" not in texts(root)
        assert [t.text for t in tick_labels(root)]  # the axis is there, with round ticks


def test_negative_values_read_with_their_sign():
    frame = months([-12.0, -3.5], [-20.0, -9.0], [-4.0, 2.0], [-12.0, -8.0], [-10.0, -5.0])
    tr = trajectory(frame, target=0.0, projection=-2.0, value=-8.0)
    root = parse(trajectory_svg(tr, metric("nps"), "fr"))
    # values from -20 to 2: 22 / 5 = 4.4, so a step of 5, from -20 up to 5
    assert [t.text for t in tick_labels(root)] == ["5", "0", "-5", "-10", "-15", "-20"]
    (monthly,) = polylines(root, "#0072B2")
    assert [y_scale(root)(y) for _x, y in points(monthly)] == pytest.approx([-12.0, -3.5], abs=0.06)
