"""What a follow-up case can be: its source, status and call-back outcome.

No dependency: the CLI's choices read these at start, before pandas or the query layer load.
"""

from __future__ import annotations

SOURCES = ("response", "complaint")
STATUSES = ("open", "in_progress", "closed")
OUTCOMES = ("reached", "not_reached", "resolved")
