"""`python -m metrics` runs the command-line interface."""

from metrics.cli import main

main()
