"""Errors the user can cause and read; every layer turns them into one clear line."""


class ClientdeskError(Exception):
    """Base of every error meant for the user's eyes."""


class InputError(ClientdeskError):
    """Bad input: a date, a number, a name, a file."""


class NotFound(ClientdeskError):
    """A client, project, task or request that does not exist."""


class RuleError(ClientdeskError):
    """An action the rules forbid (approving an unassessed request, ...)."""


class StaleEdit(ClientdeskError):
    """Someone else changed the row since it was read."""


class DatabaseProblem(ClientdeskError):
    """The database file cannot be opened, read or written."""
