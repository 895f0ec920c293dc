"""From a user's file to stored rows: read, map, parse, classify, write, refresh; history and roll-back."""
