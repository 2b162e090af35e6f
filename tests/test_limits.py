"""Limits enforced from outside the rendering code: time, memory, output (reportgen.limits)."""
from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from click.testing import CliRunner

from conftest import MINIMAL, ROOT, write
from reportgen.cli import main
from reportgen.errors import DataError, LimitError, RenderError, RenderTimeout
from reportgen.limits import Limits, run_limited


def _template(tmp_path, body):
    write(tmp_path / "tpl", "bulletin.html", body)
    return write(tmp_path, "r.yaml", MINIMAL), tmp_path / "tpl"


@pytest.mark.slow
def test_a_template_that_never_ends_is_stopped(tmp_path):
    data, folder = _template(tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}"
                                       "{% endfor %}{% endfor %}")
    result = CliRunner().invoke(main, ["render", str(data), "-o", str(tmp_path / "out"), "-f", "pdf",
                                       "--templates", str(folder), "--timeout", "2"])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "took longer than 2 s" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_compile_time_arithmetic_cannot_switch_the_limit_off(tmp_path):
    # Jinja folds constants while compiling; an alarm raised then used to be swallowed
    data, folder = _template(tmp_path, "{% set x = 9 ** 99 %}{% for i in range(100000) %}"
                                       "{% for j in range(100000) %}{{ '' }}{% endfor %}{% endfor %}")
    start = time.monotonic()
    with pytest.raises(RenderTimeout):
        from reportgen.render import render_file
        render_file(data, tmp_path / "out", ["html"], template_dirs=[folder], timeout=1.5)
    assert time.monotonic() - start < 30


def test_a_template_that_grows_without_end_stops_within_the_memory_limit(tmp_path):
    data, folder = _template(tmp_path, '{% set ns = namespace(s="十" * 100000) %}'
                                       "{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}")
    # the cap is what the child inherits plus --memory-mb: this process's size, then 600 MB
    inherited_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = CliRunner().invoke(main, ["render", str(data), "-o", str(tmp_path / "out"), "-f", "html",
                                       "--templates", str(folder), "--memory-mb", "600"])
    assert result.exit_code == 1 and "error: " in result.output
    assert "memory" in result.output or "killed" in result.output, result.output
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak_kb < inherited_kb + 750 * 1024, f"a limited child reached {peak_kb // 1024} MB " \
        f"(this process: {inherited_kb // 1024} MB)"


def _boom():
    raise DataError("x.yaml", "bad value", line=3, field="title")


def test_errors_cross_from_the_child_with_their_class_and_fields():
    with pytest.raises(DataError) as error:
        run_limited(_boom, what="test")
    assert (str(error.value), error.value.line, error.value.field) == ("x.yaml:3: title: bad value", 3, "title")


def _big():
    return b"x" * (3 * 1024 * 1024)


def test_output_past_the_limit_is_refused():
    with pytest.raises(LimitError, match="output passed 1 MB"):
        run_limited(_big, limits=Limits(output_mb=1), what="test")


def _die():
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_child_that_dies_is_reported_in_one_line():
    with pytest.raises(RenderError, match="killed by signal 9"):
        run_limited(_die, what="test")


def test_children_die_with_their_parent(tmp_path):
    """kill -9 of reportgen leaves no renderer behind (PR_SET_PDEATHSIG)."""
    pidfile = tmp_path / "child.pid"
    script = textwrap.dedent(f"""
        import os, sys, time
        sys.path.insert(0, {str(ROOT / 'src')!r})
        from reportgen.limits import run_limited, Limits
        def work():
            open({str(pidfile)!r}, "w").write(str(os.getpid()))
            time.sleep(60)
        run_limited(work, limits=Limits(seconds=120))
    """)
    parent = subprocess.Popen([sys.executable, "-c", script])
    for _ in range(200):
        if pidfile.exists() and pidfile.read_text():
            break
        time.sleep(0.05)
    child = int(pidfile.read_text())
    parent.kill()
    parent.wait()
    for _ in range(100):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the limited child outlived its parent")
