"""Reusable widgets; they receive data and post messages, they never query."""
