"""Widgets that take DataFrames and draw them: filters, cards, charts, tables with downloads."""
