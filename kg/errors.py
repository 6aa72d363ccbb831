"""Errors the library raises; the CLI turns each into one line on stderr and an exit code."""


class KgError(Exception):
    """Base class: something the user can fix. ``exit_code`` is what the CLI exits with."""
    exit_code = 2


class InputError(KgError):
    """An input file or directory cannot be read as text (missing, empty, binary, undecodable)."""


class UsageError(KgError):
    """Arguments that do not fit together (unknown format, bad option value)."""


class QueryError(KgError):
    """A SPARQL query that is malformed or asks for something refused (SERVICE, LOAD, UPDATE)."""


class OutputError(KgError):
    """An output path that cannot be written."""
