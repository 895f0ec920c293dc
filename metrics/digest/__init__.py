"""Digests for each reader: what moved in their scope since their last digest, by e-mail or as files.

`recipients` (who, language, metrics) -> `figures` (read through the reader's scoped store) ->
`compose` (words from the catalogue) -> `delivery` (SMTP or .eml files) -> `history` (what was sent);
`run` ties them together for `python -m metrics digest`. Guide: docs/digests.md.
"""
