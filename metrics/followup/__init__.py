"""Closing the loop with detractors: a follow-up case per detractor and per complaint (issue #30, part 2).

The queue is derived, never stored: every detractor answer (score 0-6) and every complaint of a period,
each joined to the one `follow_ups` row people may have set (owner, status, outcome, dates). A case
without a row is open and due `CX_FOLLOW_UP_HOURS` after the answer or the complaint. Imported rows are
never altered. `queue` lists, `edits` changes (role checked, audited), `stats` measures per region.
"""
