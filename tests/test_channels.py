"""Publishing channels: the 公众号 article (inline styles, what the editor keeps) and the long
image (1080 px, numbered parts), from the same data as the PDF and Word file."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from conftest import DATA, ROOT, write
from reportgen.io import load_report
from reportgen.render import render_file
from reportgen.render.image import IMAGE_WIDTH_PX
from reportgen.render.wechat import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, FORBIDDEN_PROPERTIES, PHONE_WIDTH_PX

DOCUMENTS = sorted(DATA.glob("*.yaml")) + [ROOT / "examples" / "custom" / "example-2021.yaml"]


class Article(HTMLParser):
    """Tags, attributes, styles, text and image sources of an article, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.styles, self.sources, self.text = [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.append((tag, name))
            if name == "style":
                self.styles.append(value or "")
            if tag == "img" and name == "src":
                self.sources.append(value)

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> Article:
    article = Article()
    article.feed(path.read_text(encoding="utf-8"))
    return article


def titles_of(report) -> list[str]:
    return [item.title for lst in report.all_lists() for item in lst.items]


@pytest.fixture(scope="module")
def wechat(tmp_path_factory):
    out = tmp_path_factory.mktemp("wechat")
    return {data.stem: render_file(data, out, ["wechat"]).outputs for data in DOCUMENTS}


@pytest.mark.parametrize("data", DOCUMENTS, ids=lambda p: p.stem)
def test_wechat_article_obeys_the_editor_rules(wechat, data):
    outputs = wechat[data.stem]
    article_file = next(p for p in outputs if p.name.endswith(".wechat.html"))
    article = parse(article_file)
    assert set(article.tags) <= ALLOWED_TAGS, set(article.tags) - ALLOWED_TAGS
    for tag, name in article.attributes:
        assert name in ALLOWED_ATTRIBUTES.get(tag, {"style"}), (tag, name)
    for style in article.styles:
        properties = {d.split(":")[0].strip().lower() for d in style.split(";") if ":" in d}
        assert not properties & FORBIDDEN_PROPERTIES, style
        assert "url(" not in style and "@font-face" not in style
        for width in re.findall(r"(?:^|;)\s*(?:max-|min-)?width:\s*(\d+(?:\.\d+)?)px", style):
            assert float(width) <= PHONE_WIDTH_PX, style
    assert article.styles, "styles must be inline"


@pytest.mark.parametrize("data", DOCUMENTS, ids=lambda p: p.stem)
def test_wechat_article_has_every_title_in_reading_order(wechat, data):
    outputs = wechat[data.stem]
    # (a headline's words are held together by word joiners: invisible, and not the text)
    text = "".join(parse(next(p for p in outputs if p.name.endswith(".wechat.html"))).text).replace("\u2060", "")
    report = load_report(data)
    position = text.index(report.title)
    for title in titles_of(report):
        position = text.index(title, position) + len(title)  # raises if missing or out of order


@pytest.mark.parametrize("data", DOCUMENTS, ids=lambda p: p.stem)
def test_wechat_headings_are_set_left_never_justified(wechat, data):
    """A justified heading that wraps is letter-spaced across its line ("我 校 两 个 …"): item
    titles, article titles, subheadings and section headlines are set left (the banner and the
    slogan are centred)."""
    html = next(p for p in wechat[data.stem] if p.name.endswith(".wechat.html")).read_text(encoding="utf-8")
    bold = re.findall(r'<p style="([^"]*font-weight:bold[^"]*)"', html)
    report = load_report(data)
    headings = len(titles_of(report)) + len(report.articles) + len(report.sections)
    assert sum("text-align:left" in style for style in bold) >= headings > 0
    assert not any("justify" in style for style in bold)


def test_wechat_pictures_are_files_beside_it_and_inline_in_the_second_variant(wechat):
    outputs = wechat["cq-kx-2021-ballot"]
    article_file = next(p for p in outputs if p.name.endswith(".wechat.html"))
    sources = parse(article_file).sources
    assert sources == ["cq-kx-2021-ballot.wechat/qr.png"]
    qr = article_file.parent / sources[0]
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(qr))] == [load_report(DATA / "cq-kx-2021-ballot.yaml").vote.url]
    inline = parse(next(p for p in outputs if p.name.endswith(".wechat-inline.html")))
    assert len(inline.sources) == 1 and inline.sources[0].startswith("data:image/png;base64,")
    custom = wechat["example-2021"]
    assert any(p.name.startswith("logo") for p in custom)  # the logo travels with the article


def test_wechat_photos_are_upright_and_screen_sized(tmp_path):
    photo = Image.new("RGB", (3000, 2000), (30, 120, 200))
    exif = photo.getexif()
    exif[0x0112] = 6  # the camera was turned: shown rotated by 90°
    photo.save(tmp_path / "photo.jpg", exif=exif.tobytes())
    text = (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
    minimal = re.search(r'MINIMAL = """\\\n(.*?)"""', text, re.S).group(1)
    data = write(tmp_path, "r.yaml", minimal + "        images: [{path: photo.jpg, caption: 现场}]\n")
    outputs = render_file(data, tmp_path / "out", ["wechat"]).outputs
    picture = next(p for p in outputs if p.suffix == ".jpg")
    with Image.open(picture) as shown:
        assert shown.size == (1080, 1620)  # upright (portrait) and 1080 px wide
    assert (tmp_path / "photo.jpg").stat().st_size > 0  # the original stays as it was


@pytest.fixture(scope="module")
def long_images(tmp_path_factory):
    out = tmp_path_factory.mktemp("png")
    return {data.stem: render_file(data, out, ["png"]).outputs for data in DOCUMENTS}


@pytest.mark.parametrize("data", DOCUMENTS, ids=lambda p: p.stem)
def test_long_image_is_1080_wide_in_parts_under_20000(long_images, data):
    parts = long_images[data.stem]
    assert parts[0].name == f"{data.stem}.png"
    assert [p.name for p in parts[1:]] == [f"{data.stem}-{i}.png" for i in range(2, len(parts) + 1)]
    for part in parts:
        with Image.open(part) as image:
            assert image.width == IMAGE_WIDTH_PX and 200 < image.height <= 20_000


def test_long_image_of_the_ballot_shows_a_readable_qr_code(long_images):
    url = load_report(DATA / "cq-kx-2021-ballot.yaml").vote.url
    found = []
    for part in long_images["cq-kx-2021-ballot"]:
        found += [r.text for r in zxingcpp.read_barcodes(Image.open(part).convert("L"))]
    assert url in found


def test_long_parts_are_balanced(long_images):
    parts = long_images["cq-kx-2021-ballot"]
    if len(parts) > 1:
        heights = [Image.open(p).height for p in parts]
        assert min(heights) > 0.6 * max(heights), heights  # no short tail part


def test_build_manifests_take_the_new_formats(tmp_path):
    from reportgen.batch import build, read_manifest

    data = write(tmp_path, "r.yaml", (DATA / "cq-kx-2020.yaml").read_text(encoding="utf-8"))
    manifest = write(tmp_path, "m.yaml", "out: out\nformats: [wechat, png]\ndocuments: [r.yaml]\n")
    jobs = read_manifest(manifest)
    assert [r.status for r in build(jobs, jobs_n=1).results] == ["rendered"]
    assert (tmp_path / "out" / "r.wechat.html").exists() and (tmp_path / "out" / "r.png").exists()
    assert [r.status for r in build(jobs, jobs_n=1).results] == ["unchanged"]
    assert data.exists()
