"""The audit trail as the Data page shows it: when, who, what, on what, with the detail as text."""

from __future__ import annotations

import pandas as pd

from dashboard import display as fmt
from dashboard.i18n import t
from metrics.catalogue import N_

# each audited action's label key (metrics.access.audit)
ACTIONS = {
    "access": N_("data.action_access"),
    "demo": N_("data.action_demo"),
    "digest": N_("data.action_digest"),
    "follow_up": N_("data.action_follow_up"),
    "import": N_("data.action_import"),
    "rollback": N_("data.action_rollback"),
    "targets": N_("data.action_targets"),
}


def audit_table(trail: pd.DataFrame) -> pd.DataFrame:
    """The trail with translated headers and actions; names, files and details stay as written (text)."""
    return pd.DataFrame(
        {
            t("data.audit_when"): [fmt.timestamp(v) for v in trail["happened_at"]],
            t("data.audit_who"): trail["who"].astype(str).tolist(),
            t("data.audit_what"): [t(ACTIONS[a]) for a in trail["action"]],
            t("data.audit_subject"): trail["subject"].astype(str).tolist(),
            t("data.audit_detail"): trail["detail"].astype(str).tolist(),
        }
    )
