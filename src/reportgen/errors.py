"""Exceptions with one-line messages that name the file, line or field."""
from __future__ import annotations

from pathlib import Path


class ReportgenError(Exception):
    """Base class: ``str(error)`` is a complete one-line message for the user."""

    def __reduce__(self):
        # picklable with its class and fields, whatever the subclass's __init__ takes
        # (errors cross from the limited child process to its parent: reportgen.limits)
        return _rebuild, (type(self), str(self), dict(self.__dict__))


def _rebuild(cls, message: str, state: dict) -> "ReportgenError":
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class DataError(ReportgenError):
    """A data file that cannot be read or does not validate."""

    def __init__(self, path: Path | str | None, message: str, *, line: int | None = None,
                 field: str | None = None, label: str | None = None):
        self.path = Path(path) if path is not None else None
        self.line = line
        self.field = field    # the field's path for programs: lists[0].items[1].title
        self.label = label    # the same for people, counting from 1: 十件大事 第2项 title
        self.message = message
        super().__init__(self.location() + message)

    def at(self, path: Path | str) -> "DataError":
        """This error, said of *path* when it names no file yet (a theme or vote problem
        found while working on a data file)."""
        if self.path is not None:
            return self
        return DataError(path, self.message, line=self.line, field=self.field, label=self.label)

    def location(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        if self.label or self.field:
            where += f"{self.label or self.field}: "
        return where


class DataErrors(DataError):
    """Several validation errors of one file; ``str()`` shows the first and a count."""

    def __init__(self, errors: list[DataError]):
        self.errors = errors
        first = errors[0]
        more = f" (and {len(errors) - 1} more; run 'reportgen validate')" if len(errors) > 1 else ""
        super().__init__(first.path, first.message + more, line=first.line, field=first.field, label=first.label)


class RenderError(ReportgenError):
    """A template or renderer failure."""


class RenderTimeout(RenderError):
    """A render that took longer than its time limit (a template that loops forever)."""


class LimitError(RenderError):
    """Work that passed its memory or output limit (see ``reportgen.limits``)."""


class FontCoverageError(RenderError):
    """A character of the data that no font of the theme's stacks can draw."""


class OutputExistsError(ReportgenError):
    """Refusing to overwrite a user's file without --force."""
