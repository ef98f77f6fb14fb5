"""clientdesk: a keyboard-driven terminal desk for many clients at once."""

__version__ = "0.1.0"
