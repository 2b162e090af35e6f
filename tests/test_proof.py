"""Every layout read back as a designer reads it (reportgen.render.proof): headlines broken
between phrases, no short or spaced-out lines, numbers solid and with their units, no lonely
last line, no stranded heading, widow or orphan — in every PDF the examples build."""
from __future__ import annotations

import pytest

from reportgen.render.headlines import apply, headline, phrases
from reportgen.render.proof import proof

LAYOUTS = ["cq-kx-2020", "cq-kx-2021-ballot", "cast-2020-news", "cd-kx-review", "cq-kx-2021-report",
           "cq-kx-2020-formal"]
NEVER = ("headline breaks", "short lines", "spaced numbers", "split figures", "lonely last lines",
         "stranded headings", "widows", "orphans")


@pytest.mark.parametrize("name", LAYOUTS)
def test_pages_read_as_a_designers_work(all_pdfs, name):
    found = proof(all_pdfs[name]).found
    for kind in NEVER:
        assert not found[kind], (kind, found[kind])
    # a narrow column may have to space a line a little before an unbreakable figure
    assert len(found["loose lines"]) <= 2, found["loose lines"]


def test_the_proof_finds_what_it_counts(tmp_path):
    """The checker itself: a page set as WeasyPrint sets it alone (greedy headline, letter
    spacing through a number) fails it."""
    import weasyprint

    from reportgen.render.fonts import FONT_DIR

    face = (FONT_DIR / "NotoSerifSC-Regular.otf").as_uri()
    html = (f"<html><head><style>@font-face {{ font-family: T; src: url({face}); }} "
            "body { font-family: T; font-size: 12pt; } h1 { font-size: 24pt; width: 100mm } "
            "p { width: 90mm; margin: 0 0 4mm }</style></head><body>"
            "<h1>2021年重庆市科学技术协会十件大事评选</h1>"
            "<p style='letter-spacing: 2pt'>" + "科协组织开展了多项活动" * 5 + "，全年举办活动38个。</p>"
            "</body></html>")
    path = tmp_path / "bad.pdf"
    weasyprint.HTML(string=html).write_pdf(path)
    found = proof(path).found
    assert found["headline breaks"] == ["p1: 2021年重庆市科学技术协 / 会十件大事评选"]
    assert len(found["spaced numbers"]) == 1 and "(3 8)" in found["spaced numbers"][0]


def test_headline_phrases_keep_words_marks_and_units_together():
    text = "2021年重庆市科学技术协会“十件大事”“十大亮点”评选"
    cut = [text[a:b] for a, b in phrases(text)]
    assert "".join(cut) == text
    assert "科学技术协会" in cut or "协会" in cut
    assert "2021年" in cut  # a number with its unit
    assert all(not piece.startswith(("”", "，")) and not piece.endswith("“") for piece in cut)


def test_breaks_go_after_the_chosen_phrases():
    html = f"<h1>{headline('举办第四届数字经济百人会')}</h1><h2>{headline('召开年会')}</h2>"
    marked = apply(html, {0: [1]})
    assert marked.count('<br class="hb">') == 1
    first = marked.split("<h2>")[0]
    before_break = first.split('<br class="hb">')[0]
    assert before_break.count('class="w"') == 2
