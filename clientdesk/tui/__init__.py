"""The Textual UI: a thin layer over clientdesk.domain."""
