"""Modal forms: they validate and return a value or a dataclass; they write nothing."""
