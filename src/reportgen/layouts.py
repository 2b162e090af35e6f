"""The one list of layouts: every other place derives from it (the model's ``layout``
field, what each layout needs, extraction's kinds and parsers, the CLI's ``--kind``,
template names). No heavy imports, so the CLI can read it for ``--help``."""
from __future__ import annotations

#: layout name → what it shows
LAYOUTS: dict[str, str] = {
    "bulletin": "十件大事 / 十大亮点 bulletin: banner and numbered lists",
    "ballot": "评选 brochure: introduction, vote panel with QR code, candidate lists",
    "news": "news release: articles with an embedded 十大事件 list",
    "review": "工作回眸 review: themed sections with large numerals and bold figures",
    "report": "newspaper report: headline, byline, columns, photos, 数说 panel",
}
NAMES: tuple[str, ...] = tuple(LAYOUTS)
#: what the studio calls them
LABELS: dict[str, str] = {"bulletin": "十件大事公报", "ballot": "评选手册", "news": "新闻稿",
                          "review": "工作回眸", "report": "报纸报道"}
