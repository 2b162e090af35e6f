"""What templates see: plain, read-only data — never model objects or their methods.

Templates are untrusted (third-party HTML and Word templates, an association's own
folder). A pydantic model handed to a template brings every method of the model with
it (``parse_raw(..., proto="pickle")`` unpickles and so runs code), so templates get a
*view* instead: :class:`Record` objects whose only attributes are the data's fields,
tuples, strings, numbers, dates and booleans, plus the few :class:`Helper` functions
the project defines. What a template used to compute by calling a method is computed
here once (``lst.heading``, ``lst.numbered``, ``f.parts``).

:func:`walk` lists every object reachable from a context; the tests fail on anything
outside :data:`PLAIN_TYPES`.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any, Callable, Iterator

from markupsafe import Markup
from pydantic import BaseModel

#: the leaf values a template may hold
PLAIN_TYPES = (str, Markup, int, float, bool, Decimal, dt.date, type(None))


class Record:
    """A read-only record of named fields; ``rec.name`` and ``rec["name"]`` read a field.

    It has no methods a template can reach: attribute access goes to the fields only
    (the sandbox refuses everything else), and it cannot be changed.
    """

    __slots__ = ("_fields",)
    _fields: dict[str, Any]

    def __init__(self, fields: dict[str, Any]):
        object.__setattr__(self, "_fields", dict(fields))

    def __getattr__(self, name: str) -> Any:
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> Any:
        return self._fields[name]

    def __contains__(self, name: object) -> bool:
        return name in self._fields

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("template data is read-only")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and other._fields == self._fields

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"Record({', '.join(self._fields)})"



def field_names(record: Record) -> tuple[str, ...]:
    return tuple(record._fields)


class Helper:
    """A function the project gives templates (``qr``, ``picture``): callable, nothing else."""

    __slots__ = ("_function", "_name")
    _function: Callable[..., Any]
    _name: str

    def __init__(self, name: str, function: Callable[..., Any]):
        object.__setattr__(self, "_function", function)
        object.__setattr__(self, "_name", name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._function(*args, **kwargs)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("read-only")

    def __repr__(self) -> str:
        return f"<helper {self._name}>"


def _properties(cls: type) -> list[str]:
    """Public properties defined by the project's own model classes (derived values)."""
    names: list[str] = []
    for klass in cls.__mro__:
        if klass in (BaseModel, object):
            break
        names += [n for n, v in vars(klass).items() if isinstance(v, property) and not n.startswith("_")]
    return names


def plain(value: Any) -> Any:
    """*value* as template data: models and dataclasses become Records (fields and
    derived properties), lists become tuples, leaves stay as they are."""
    if isinstance(value, Record) or isinstance(value, PLAIN_TYPES):
        return value
    if isinstance(value, BaseModel):
        fields = {name: plain(getattr(value, name)) for name in type(value).model_fields}
        fields.update({name: plain(getattr(value, name)) for name in _properties(type(value))})
        return Record(fields)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        fields.update({name: plain(getattr(value, name)) for name in _properties(type(value))})
        return Record(fields)
    if isinstance(value, (list, tuple)):
        return tuple(plain(v) for v in value)
    if isinstance(value, dict):
        return Record({str(k): plain(v) for k, v in value.items()})
    raise TypeError(f"{type(value).__name__} is not template data")


def item_list(report, lst) -> Record:
    """A list as templates see it: ``heading`` as shown, ``numbered`` as (number, item) pairs,
    every item with its shown ``number``."""
    items = []
    for number, item in lst.numbered():
        record = plain(item)
        record._fields["number"] = number
        items.append(record)
    record = plain(lst)
    record._fields.update(heading=report.list_heading(lst), items=tuple(items),
                          numbered=tuple((item.number, item) for item in items))
    return record


def _block(report, block) -> Any:
    from ..model import ListBlock

    if isinstance(block, ListBlock):
        return Record({"list": item_list(report, block.list)})
    return plain(block)


def report_view(report) -> Record:
    """The report as plain data, with every list's heading and numbers resolved."""
    record = plain(report)
    articles = []
    for article in report.articles:
        view = plain(article)
        view._fields["body"] = tuple(_block(report, b) for b in article.body)
        articles.append(view)
    record._fields.update(lists=tuple(item_list(report, lst) for lst in report.lists),
                          articles=tuple(articles))
    return record


def walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every object reachable from *value* through fields, items and pairs, with its path."""
    yield path, value
    if isinstance(value, Record):
        for name in field_names(value):
            yield from walk(value[name], f"{path}.{name}")
    elif isinstance(value, (tuple, list)):
        for i, child in enumerate(value):
            yield from walk(child, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from walk(child, f"{path}[{key!r}]")
