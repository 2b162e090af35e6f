"""Checks of the machine a render depends on (``reportgen doctor``)."""
from __future__ import annotations

import shutil
from dataclasses import dataclass


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    required: bool = True


def run_checks() -> list[Check]:
    checks: list[Check] = []
    try:
        from .render.patches import import_weasyprint

        weasyprint = import_weasyprint()
        from weasyprint.text import ffi as wffi

        pango = wffi.pango.pango_version()
        checks.append(Check("WeasyPrint", True, f"{weasyprint.__version__}, Pango "
                            f"{pango // 10000}.{pango // 100 % 100}.{pango % 100}"))
        subset = getattr(wffi, "harfbuzz_subset", None)
        checks.append(Check(
            "HarfBuzz subsetter", subset is not None,
            "libharfbuzz-subset found: fonts are subset fast" if subset is not None else
            "libharfbuzz-subset0 missing: PDFs fall back to fontTools subsetting, ~40x slower "
            "(apt-get install libharfbuzz-subset0)"))
        from .render.patches import install

        for name, state in install().items():
            checks.append(Check(f"patch: {name}", state.startswith("active"), state, required=False))
    except Exception as exc:  # OSError for missing Pango, ImportError otherwise
        checks.append(Check("WeasyPrint", False, f"cannot load ({exc}); apt-get install "
                            "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"))

    from .render.fonts import BUNDLED, system_font_files

    for family, weights in BUNDLED.items():
        missing = [str(p) for p in weights.values() if not p.is_file()]
        checks.append(Check(f"bundled font {family}", not missing,
                            "regular and bold present" if not missing else f"missing {', '.join(missing)}"))
    from .theme import FontStacks

    stacks = FontStacks()
    for family in dict.fromkeys(stacks.title[:1] + stacks.body[:1] + stacks.heading[:1] + stacks.kai[:1]):
        files = system_font_files(family)
        checks.append(Check(f"official font {family}", bool(files),
                            files[0] if files else "not installed; the bundled Noto face is used instead",
                            required=False))
    try:
        from .formats import builtin_templates as builtin_templates_dir

        checks.append(Check("templates", True, str(builtin_templates_dir())))
    except Exception as exc:
        checks.append(Check("templates", False, str(exc)))
    office = shutil.which("libreoffice") or shutil.which("soffice")
    checks.append(Check("LibreOffice", bool(office), office or "not installed (only needed to preview "
                        "DOCX as PDF: apt-get install libreoffice-writer-nogui)", required=False))
    return checks
