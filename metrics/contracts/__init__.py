"""What a file must contain: dataset declarations, column names, row checks. Imports nothing of ours."""
