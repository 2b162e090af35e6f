"""An association's own checks: ``checks.yaml`` beside its data files.

::

    names:                      # full name → the short forms used after it (first mention: the full name)
      重庆市科学技术协会: [重庆市科协, 市科协]
    leaders:                    # in protocol order, with their current titles
      - {name: 张三, title: 党组书记、主席}
    banned: [某某词]            # never printed (an error wherever it appears)
    prefer: {旧名称: 新名称}     # written otherwise by this association (a warning)
    rules: []                   # more rules, written as the package's (rules/*.yaml)
    disable: [numerals.measure] # package rules this association does not follow
"""
from __future__ import annotations

import functools
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..io import read_yaml, validate_data
from .engine import Rule

#: the file an association's checks are read from, in the data file's folder
FILE_NAME = "checks.yaml"


class Leader(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=2, max_length=20)
    title: str = Field(min_length=1, max_length=60, description="current title as printed, e.g. 党组书记、主席")


class CheckConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    names: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    leaders: tuple[Leader, ...] = ()
    banned: tuple[str, ...] = ()
    prefer: dict[str, str] = Field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
    disable: frozenset[str] = frozenset()

    @field_validator("banned")
    @classmethod
    def _words(cls, words: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(dict.fromkeys(w.strip() for w in words if w.strip()))
        if len(cleaned) > 50_000:
            raise ValueError("more than 50 000 banned words")
        return cleaned

    @field_validator("rules")
    @classmethod
    def _new_ids(cls, rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
        from .engine import rules as package_rules

        taken = {rule.id for rule in package_rules()}
        for rule in rules:
            if rule.id in taken:
                raise ValueError(f"rule {rule.id} is already a rule (use another id, or 'disable' the package's)")
            taken.add(rule.id)
        return rules


def load_config(path: Path | str) -> CheckConfig:
    """Read and validate a ``checks.yaml`` (errors name the file, line and field)."""
    path = Path(path)
    data, lines = read_yaml(path)
    return validate_data(path, data, lines, model=CheckConfig)


@functools.lru_cache(maxsize=64)
def _cached(path: Path, stamp: tuple[int, int]) -> CheckConfig:
    return load_config(path)


def config_beside(data_file: Path | str) -> CheckConfig:
    """The checks of the folder *data_file* is in (none: the package's rules alone)."""
    path = Path(data_file).resolve().parent / FILE_NAME
    if not path.is_file() or path.is_symlink():
        return CheckConfig()
    info = path.stat()
    return _cached(path, (info.st_mtime_ns, info.st_size))
