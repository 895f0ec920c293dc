"""The audit trail as the Data page shows it: when, who, what, on what, with the detail as text."""

from __future__ import annotations

import pandas as pd

from dashboard import display as fmt
from dashboard.i18n import t


def audit_table(trail: pd.DataFrame) -> pd.DataFrame:
    """The trail with translated headers and actions; names, files and details stay as written (text)."""
    return pd.DataFrame(
        {
            t("data.audit_when"): [fmt.timestamp(v) for v in trail["happened_at"]],
            t("data.audit_who"): trail["who"].astype(str).tolist(),
            t("data.audit_what"): [t(f"data.action_{a}") for a in trail["action"]],
            t("data.audit_subject"): trail["subject"].astype(str).tolist(),
            t("data.audit_detail"): trail["detail"].astype(str).tolist(),
        }
    )
