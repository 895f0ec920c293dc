"""A merged group's headcount from its own rows equals the rule's reading of the whole calendar.

The import records the published units by asking, group after group, whether some teams' months
together hold the threshold; `Workload.headcount` answers from those cells' rows alone (a binary
search per cell), where the rule's general path (`days` then `_min_headcount` of their `_union`)
builds every team's calendar. Both must give the same number.
"""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.semantic.privacy_pools import _min_headcount, _union
from metrics.semantic.privacy_workload import workload_of

A, B, C = ("Nord", "LIL", "A"), ("Nord", "LIL", "B"), ("Nord", "ROU", "C")


def frame(rows):
    return pd.DataFrame(rows, columns=["region", "site", "team", "day", "agents"])


def test_headcount_of_two_teams_by_hand():
    work = workload_of(frame([
        (*A, "2025-03-03", 3.0), (*A, "2025-03-04", 2.0),   # A: March 5 agent-days on 2 days
        (*B, "2025-03-04", 4.0), (*B, "2025-03-05", 1.0),   # B: March 5 agent-days, one day shared with A
        (*A, "2025-04-01", 6.0),                            # A: April 6 on 1 day
        (*C, "2025-03-03", 50.0),                           # another site: not asked about
    ]))
    # March, A and B merged: (3 + 2 + 4 + 1) agent-days over 3 distinct days (3, 4, 5 March)
    assert work.headcount([(A, 202503), (B, 202503)]) == 10 / 3
    # A's March and April: March 5 / 2 = 2.5, April 6 / 1: the lowest month
    assert work.headcount([(A, 202503), (A, 202504)]) == 2.5
    assert work.headcount([(B, 202504)]) == float("inf")  # no rows: nothing to hold
    assert work.headcount([(("Sud", "X", "Z"), 202503)]) == float("inf")  # an unknown team


def test_a_missing_agent_count_counts_its_day_with_no_agent():
    work = workload_of(frame([(*A, "2025-03-03", np.nan), (*A, "2025-03-04", 4.0)]))
    assert work.headcount([(A, 202503)]) == 2.0  # 4 agent-days over 2 days with rows


@settings(max_examples=60, deadline=None)
@given(st.lists(
    st.tuples(st.sampled_from([A, B, C]), st.integers(1, 3), st.integers(1, 28),
              st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.5, 7.0])),
    min_size=1, max_size=40,
), st.data())
def test_headcount_matches_the_rules_calendar(rows, data):
    work = workload_of(frame([(*key, f"2025-{m:02d}-{d:02d}", a) for key, m, d, a in rows]))
    cells = sorted(work.cells(), key=str)
    group = data.draw(st.lists(st.sampled_from(cells), min_size=1, unique=True))
    days, starts = work.days(group)
    assert work.headcount(group) == _min_headcount(_union(list(days.values())), starts)
