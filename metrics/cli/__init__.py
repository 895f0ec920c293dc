"""`python -m metrics`: one click group; each module adds the commands of one family."""
