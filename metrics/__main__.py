"""`python -m metrics` runs the command-line interface."""

from metrics.cli.main import main

main()
