"""What a metric means and how it is computed: declarations, kinds, the one query, rollups, privacy."""
