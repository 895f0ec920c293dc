"""What the figures alone do not say: alerts, verbatim themes, hand-offs between teams."""
