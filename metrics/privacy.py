"""Workload figures never single out an employee: small groups are suppressed, also by difference."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def suppress_small_groups(
    frame: pd.DataFrame, by: Sequence[str], min_agents: int, hidden: Sequence[str]
) -> pd.DataFrame:
    """Blank `hidden` columns where the group averages fewer than `min_agents` agents a day.

    Primary rule: headcount = agent-days / days with data < min_agents. Secondary rule (against
    subtraction from a total): within each period and parent group, a lone suppressed row takes
    the smallest other row down with it, so no total minus the shown rows reveals one group.
    Example: teams of 3, 9 and 12 agents on one site -> the 3 and the 9 are both suppressed.
    """
    frame = frame.copy()
    headcount = frame["agent_days"] / frame["days"].where(frame["days"] > 0)
    frame["suppressed"] = (headcount < min_agents).fillna(True).to_numpy()
    if by:
        parents = ["period", *by[:-1]]
        frame["_headcount"] = headcount
        for _, group in frame.groupby(parents, dropna=False, sort=False):
            flagged = group["suppressed"]
            if flagged.sum() == 1 and len(group) > 1:
                frame.loc[group[~flagged]["_headcount"].idxmin(), "suppressed"] = True
        frame = frame.drop(columns="_headcount")
    for col in hidden:
        if col in frame.columns:
            frame[col] = frame[col].astype("float64")
            frame.loc[frame["suppressed"], col] = float("nan")
    return frame.drop(columns=["agent_days", "days"])
