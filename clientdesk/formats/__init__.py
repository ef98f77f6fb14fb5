"""Headless output formats: status table, reports, iCalendar."""
