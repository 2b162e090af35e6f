"""Templates, whatever they make: one Jinja environment factory, one error translation and
one check of the names a template uses, for HTML, PDF, 公众号, long image and Word alike.

Every format's templates run in the same sandbox (:mod:`.sandbox`) over the same plain
data (:func:`.context.template_data`) with *strict* undefined names: ``{{ reprot }}`` is an
error in a Word template as in an HTML one, and :func:`unknown_names` finds it before a
render (``validate`` and ``check`` report it with the template, the line and the names
the template may use).
"""
from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from typing import Any, Callable, Iterator

import jinja2
from jinja2 import meta, nodes

from ..errors import RenderError
from .filters import FILTERS, TESTS
from .sandbox import ConfinedLoader, PlainSandbox

def _sandbox(loader: jinja2.BaseLoader | None, autoescape: Any, **options: Any) -> PlainSandbox:
    env = PlainSandbox(loader=loader, autoescape=autoescape, undefined=jinja2.StrictUndefined, **options)
    env.filters.update(FILTERS)
    env.tests.update(TESTS)
    return env


@functools.lru_cache(maxsize=16)
def environment(search_path: tuple[Path, ...], escape: bool = True) -> PlainSandbox:
    """The environment of the template files on *search_path* (HTML, 公众号, long image, PDF,
    and any text format), cached per path and escaping: templates compile once. It escapes
    what templates print unless its format says ``escape="none"``."""
    for folder in search_path:
        if not folder.is_dir():
            raise RenderError(f"{folder}: template folder does not exist")
    autoescape = jinja2.select_autoescape(["html", "htm", "xml", "j2"], default_for_string=True,
                                          default=True) if escape else False
    return _sandbox(ConfinedLoader(search_path), autoescape, trim_blocks=True, lstrip_blocks=True,
                    auto_reload=False)


def word_environment(finalize: Callable[[Any], Any], **filters: Callable) -> PlainSandbox:
    """The environment docxtpl renders a Word template's XML in: the same sandbox, filters and
    strict names, every value printed through *finalize* (escaped for WordprocessingML), and
    the Word-only *filters* (``runs``, ``styled`` …) of one render."""
    env = _sandbox(None, True, finalize=finalize)
    env.filters.update(filters)
    return env


def hint(message: str | None) -> str:
    """Templates written for reportgen 0.1 called model methods that plain data does not have."""
    if message and any(old in message for old in ("'numbered'", "'list_heading'")):
        return " (templates see plain data: use lst.numbered, lst.heading and item.number instead of " \
               "lst.numbered() and report.list_heading(lst))"
    return ""


def template_line(exc: BaseException) -> str | None:
    """'bulletin.html:12' for the innermost template frame of a traceback."""
    tb, found = exc.__traceback__, None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".css", ".j2", ".md", ".txt")):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


@contextlib.contextmanager
def template_errors(name: str, search_path: tuple[Path, ...] = (), *, word: bool = False) -> Iterator[None]:
    """Any failure of template *name* as one :class:`RenderError` line naming the template
    and, where Jinja knows it, the line (a Word template's lines are its XML's: "near")."""
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        if word:
            raise RenderError(f"{name}: template syntax error in Word text near line {exc.lineno}: "
                              f"{exc.message}") from None
        raise RenderError(f"{exc.filename or exc.name or name}:{exc.lineno}: template syntax error: "
                          f"{exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template {exc.name!r} not found in {', '.join(map(str, search_path))}") from None
    except jinja2.UndefinedError as exc:
        where = name if word else template_line(exc) or name
        raise RenderError(f"{where}: {exc.message}{hint(exc.message)}") from None
    except jinja2.exceptions.SecurityError as exc:
        raise RenderError(f"{name}: template not allowed to do that: {exc}") from None
    except (RenderError, MemoryError):
        raise
    except Exception as exc:  # an error raised by the template's own code
        where = name if word else template_line(exc) or name
        raise RenderError(f"{where}: template failed: {type(exc).__name__}: {exc}") from None


def _first_lines(tree: nodes.Template, names: set[str]) -> dict[str, int]:
    lines: dict[str, int] = {}
    for node in tree.find_all(nodes.Name):
        if node.ctx == "load" and node.name in names:
            lines[node.name] = min(lines.get(node.name, node.lineno), node.lineno)
    return lines


def declared_names(tree: nodes.Template) -> set[str]:
    """Every name *tree* defines anywhere: ``set``, ``for`` and ``with`` targets, macros and
    their arguments, imports. (Jinja's own :func:`jinja2.meta.find_undeclared_variables` also
    reports a macro imported at the top of a child template and called in its blocks, or
    imported inside an ``if``: those are defined, only not where it looks.)"""
    names = {node.name for node in tree.find_all(nodes.Name) if node.ctx in ("store", "param")}
    names |= {node.name for node in tree.find_all(nodes.Macro)}
    names |= {node.target for node in tree.find_all(nodes.Import)}
    for node in tree.find_all(nodes.FromImport):
        names |= {item[1] if isinstance(item, tuple) else item for item in node.names}
    return names | {"caller", "varargs", "kwargs", "loop", "self", "super"}


def unknown_names(env: jinja2.Environment, tree: nodes.Template, known: set[str],
                  declared: set[str] = frozenset()) -> list[tuple[str, int]]:  # type: ignore[assignment]
    """The names the parsed template *tree* reads that neither the template context (*known*),
    Jinja's globals, the template itself nor *declared* (what the templates it extends or
    includes define) define: ``[(name, line)]``, first use first."""
    unknown = meta.find_undeclared_variables(tree) - known - set(env.globals) - declared - declared_names(tree)
    lines = _first_lines(tree, unknown)
    return sorted(((name, lines.get(name, 0)) for name in unknown), key=lambda pair: (pair[1], pair[0]))


def html_template_problems(env: jinja2.Environment, name: str, known: set[str]) -> list[str]:
    """Unknown names in template *name* and every template it extends, includes or imports,
    one message each: ``FILE:LINE: unknown name 'reprot' (a template may use: …)``."""
    trees: dict[str, tuple[nodes.Template, str]] = {}  # each template parsed once
    todo = [name]
    while todo:
        current = todo.pop()
        if current in trees:
            continue
        with template_errors(current, getattr(env.loader, "folders", ())):
            source, filename, _ = env.loader.get_source(env, current)  # type: ignore[union-attr]
            tree = env.parse(source, current, filename)
        trees[current] = (tree, filename or current)
        todo += [ref for ref in meta.find_referenced_templates(tree) if ref]
    declared: set[str] = set()
    for tree, _ in trees.values():
        declared |= declared_names(tree)
    problems = []
    for tree, filename in trees.values():
        for unknown, line in unknown_names(env, tree, known, declared):
            problems.append(f"{filename}:{line}: unknown name {unknown!r} (a template may use: "
                            f"{', '.join(sorted(known))})")
    return problems


def template_problems(layout: str, style: str, search_path: tuple[Path, ...], formats, *,
                      builtin_too: bool = False) -> list[str]:
    """The unknown names in the templates that rendering *layout* to *formats* would use
    (the first Word template on the search path, or the format's template and everything it
    extends, includes or imports), one message each; an unreadable template is one too.
    The built-in templates alone are left to the test suite unless *builtin_too*."""
    from ..formats import builtin_templates, get_format
    from .context import template_names

    problems: list[str] = []
    builtin = builtin_templates().resolve()
    if not builtin_too and all(Path(folder).resolve() == builtin for folder in search_path):
        return problems  # the built-in templates alone: checked by the test suite, not each time
    for name in dict.fromkeys(formats):
        fmt = get_format(name)
        if not fmt.template or layout not in fmt.layouts:
            continue  # a format that cannot render the layout says so before (formats.cannot_render)
        try:
            if fmt.template.endswith(".docx"):
                found = find_docx_template(layout, style, search_path)
                if found is not None and (builtin_too or not found.is_relative_to(builtin)):
                    from .docx.template import word_template_problems

                    problems += word_template_problems(found, template_names("docx"))
            else:
                env = environment(search_path, fmt.escape != "none")
                problems += html_template_problems(env, fmt.template_for(layout), template_names("html"))
        except RenderError as exc:
            problems.append(str(exc))
    return list(dict.fromkeys(problems))


def find_docx_template(layout: str, style: str, search_path: tuple[Path, ...]) -> Path | None:
    """The first ``docx/<layout>[-<style>].docx`` on the template search path; one that a
    symbolic link leads out of its folder is refused."""
    from ..formats import get_format

    name = get_format("docx").template_for(layout)
    if style != "bulletin":  # a style of its own: docx/<layout>-<style>.docx
        name = name.replace(".docx", f"-{style}.docx")
    for folder in search_path:
        candidate = folder / name
        if candidate.is_file():
            file = candidate.resolve()
            if not file.is_relative_to(folder.resolve()):
                raise RenderError(f"Word template {candidate} leads outside its folder {folder} "
                                  "(a symbolic link?); refused")
            return file
    return None
