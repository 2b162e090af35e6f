"""The draft as the platform takes it, made without the network: title, author, digest, the
article's body with its pictures (JPEG unless a picture needs transparency, each under 1 MB),
the cover (the data's ``cover``, else one made from the banner in the theme's colours), and
every problem the platform would refuse, one Chinese line each naming the field."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Report
from . import wechat as api


@dataclass(frozen=True)
class Picture:
    name: str
    mime: str
    data: bytes


#: what one article may hold, leaving room for the platform's picture addresses and a margin
PART_CHARS = 17_000
PART_NAMES = "一二三四五六七八九十"


@dataclass
class Draft:
    title: str
    author: str
    digest: str
    parts: list[str]                   # the body's HTML, one per article; pictures as reportgen-picture:N
    pictures: list[Picture]
    cover: Picture
    problems: list[str] = field(default_factory=list)

    @property
    def content(self) -> str:
        return "".join(self.parts)

    def titles(self) -> list[str]:
        if len(self.parts) == 1:
            return [self.title]
        return [f"{self.title}（{PART_NAMES[i]}）" for i in range(len(self.parts))]

    def articles(self, urls: list[str], thumb_media_id: str) -> list[dict]:
        """The ``articles`` of ``draft/add``: one, or a multi-article draft when it cannot fit in one."""
        return [{"title": title, "author": self.author, "digest": self.digest,
                 "content": re.sub(r"reportgen-picture:(\d+)", lambda m: urls[int(m.group(1))], part),
                 "thumb_media_id": thumb_media_id, "need_open_comment": 0, "only_fans_can_comment": 0}
                for title, part in zip(self.titles(), self.parts)]


def measured(part: str) -> int:
    """The length the platform will count of *part*: its characters, with each picture's
    placeholder counted as the platform's address that replaces it."""
    return len(part) + part.count("reportgen-picture:") * api.URL_ALLOWANCE


def split(body, limit: int = PART_CHARS) -> list[str]:
    """The article's HTML, in parts of at most *limit* characters when it is longer: the blocks
    of its content column grouped in order, each part wrapped as the whole is (its font and
    padding), the banner in the first."""
    import copy

    import lxml.html

    whole = "".join(lxml.html.tostring(child, encoding="unicode") for child in body)
    if measured(whole) < limit:
        return [whole]
    outer = next(iter(body), None)
    if outer is None or not len(outer) or len(outer[-1]) < 2:
        return [whole]
    column = outer[-1]
    blocks = list(column)
    shell = copy.deepcopy(outer)
    for child in list(shell):
        shell.remove(child)
    parts: list[list] = [[]]
    size = 0
    for block in blocks:
        text = lxml.html.tostring(block, encoding="unicode")
        if parts[-1] and size + len(text) > limit - 2000:
            parts.append([])
            size = 0
        parts[-1].append(block)
        size += len(text)
    out = []
    for number, members in enumerate(parts):
        part = copy.deepcopy(shell)
        if number == 0:
            for child in outer[:-1]:
                part.append(copy.deepcopy(child))  # the banner
        holder = copy.deepcopy(column)
        for child in list(holder):
            holder.remove(child)
        for block in members:
            holder.append(copy.deepcopy(block))
        part.append(holder)
        out.append(lxml.html.tostring(part, encoding="unicode"))
    return out


def first_sentence(report: Report) -> str:
    """The digest's default: the first sentence of the introduction, else of the first item."""
    texts = list(report.intro)
    texts += [p for lst in report.all_lists() for item in lst.items for p in item.paragraphs][:1]
    texts += [b for article in report.articles for b in article.body if isinstance(b, str)][:1]
    texts += [point.text for section in report.sections for point in section.points][:1]
    for text in texts:
        sentence = re.split(r"(?<=[。！？])", text.strip(), maxsplit=1)[0]
        if sentence:
            return sentence if len(sentence) <= 120 else sentence[:119] + "…"
    return ""


def _jpeg_or_png(data: bytes, name: str) -> Picture:
    """A picture the platform takes: JPEG (PNG only with transparency), under 1 MB."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        img.load()
        transparent = img.mode in ("RGBA", "LA", "P") and ("A" in img.getbands() or "transparency" in img.info)
        stem = Path(name).stem
        if transparent:
            out = io.BytesIO()
            img.save(out, "PNG", optimize=True)
            if out.tell() < api.PICTURE_BYTES:
                return Picture(f"{stem}.png", "image/png", out.getvalue())
        picture = img.convert("RGB")
        for quality, scale in ((88, 1.0), (80, 1.0), (75, 0.8), (70, 0.6), (65, 0.45)):
            sized = picture if scale == 1.0 else picture.resize(
                (max(1, int(picture.width * scale)), max(1, int(picture.height * scale))))
            out = io.BytesIO()
            sized.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
            if out.tell() < api.PICTURE_BYTES:
                return Picture(f"{stem}.jpg", "image/jpeg", out.getvalue())
    return Picture(f"{stem}.jpg", "image/jpeg", out.getvalue())


def _qr_or_lossless(data: bytes, name: str) -> Picture:
    """The QR code stays PNG (JPEG blurs its modules)."""
    return Picture(Path(name).name, "image/png", data)


def banner_cover(report: Report, theme) -> Picture:
    """A 2.35:1 cover (900 × 383) made from the banner: the theme's primary colour, the
    organisation and the title in the bundled sans in its accent colour."""
    from PIL import Image, ImageDraw, ImageFont

    from ..render.fonts import BUNDLED_SANS, face_file
    from ..render.headlines import lines_of

    colors = theme.colors or report.association.colors
    width, height = 900, 383
    image = Image.new("RGB", (width, height), colors.primary)
    draw = ImageDraw.Draw(image)
    bold = ImageFont.truetype(str(face_file(BUNDLED_SANS, True)), 52)
    small = ImageFont.truetype(str(face_file(BUNDLED_SANS, False)), 28)
    lines = lines_of(report.title or report.association.name, lambda s: draw.textlength(s, font=bold), width - 120)
    lines = lines[:3]
    block = len(lines) * 68
    top = (height - block) // 2 + 10
    draw.text((width // 2, top - 44), report.association.name, font=small, fill=colors.accent, anchor="ms")
    draw.line((width // 2 - 150, top - 30, width // 2 + 150, top - 30), fill=colors.accent, width=2)
    for i, line in enumerate(lines):
        draw.text((width // 2, top + 52 + i * 68), line, font=bold, fill=colors.accent, anchor="ms")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return Picture("cover.jpg", "image/jpeg", out.getvalue())


def prepare(data_file: Path, template_dirs=()) -> Draft:
    """The draft of *data_file*'s 公众号 article, and what the platform would refuse."""
    import lxml.html

    from ..io import load_report
    from ..render import preflight, render_bytes, render_context, resolve_theme
    from ..render.images import check_image

    data_file = Path(data_file).resolve()
    report = load_report(data_file)
    ctx = render_context(report, data_file.parent, template_dirs, name=data_file.stem)
    theme = resolve_theme(report, ctx)
    preflight(report, theme, ctx, ("wechat",))
    output = render_bytes(report, theme, ctx, "wechat")
    assert isinstance(output, dict)
    page = lxml.html.document_fromstring(output[".wechat.html"].decode("utf-8"))
    body = page.find("body")
    pictures: list[Picture] = []
    prefix = f"{data_file.stem}.wechat/"
    for img in body.iter("img"):
        source = img.get("src", "")
        if not source.startswith(prefix):
            continue
        name = source[len(prefix):]
        data = output[f".wechat/{name}"]
        pictures.append(_qr_or_lossless(data, name) if name.startswith("qr") else _jpeg_or_png(data, name))
        img.set("src", f"reportgen-picture:{len(pictures) - 1}")
    parts = split(body)
    if report.cover:
        check_image(data_file.parent, report.cover, "cover")
        cover = _jpeg_or_png((data_file.parent / report.cover).read_bytes(), "cover")
    else:
        cover = banner_cover(report, theme)
    draft = Draft(title=report.title, author=report.author or report.association.short_name,
                  digest=report.digest or first_sentence(report), parts=parts, pictures=pictures, cover=cover)
    draft.problems = problems(draft, report)
    return draft


def problems(draft: Draft, report: Report) -> list[str]:
    """What the platform would refuse, before any request: one Chinese line per problem."""
    out = []
    if not draft.title:
        out.append("标题（title）：不能为空")
    elif max(map(len, draft.titles())) > api.TITLE_CHARS:
        longest = max(draft.titles(), key=len)
        out.append(f"标题（title）：“{longest}”{len(longest)} 个字，微信最多 {api.TITLE_CHARS} 个字；请缩短标题")
    if len(draft.author) > api.AUTHOR_CHARS:
        out.append(f"作者（author）：{len(draft.author)} 个字，微信最多 {api.AUTHOR_CHARS} 个字；请在数据中填写较短的 author")
    if len(draft.digest) > api.DIGEST_CHARS:
        out.append(f"摘要（digest）：{len(draft.digest)} 个字，微信最多 {api.DIGEST_CHARS} 个字；请缩短摘要")
    for number, part in enumerate(draft.parts, 1):
        length = measured(part)
        where = f"第{number}篇正文" if len(draft.parts) > 1 else "正文"
        if length >= api.CONTENT_CHARS:
            out.append(f"{where}（content）：约 {length} 个字符（含排版代码），微信要求少于 {api.CONTENT_CHARS}；"
                       "请删减内容")
        if len(part.encode("utf-8")) >= api.CONTENT_BYTES:
            out.append(f"{where}（content）：超过 1 MB")
    for number, picture in enumerate(draft.pictures, 1):
        if len(picture.data) >= api.PICTURE_BYTES:
            out.append(f"第{number}张图片：{len(picture.data) // 1024} KB，微信要求小于 1 MB")
    if re.search(r"<a\b|href=", draft.content):
        out.append("正文（content）：含有链接；公众号文章只能链接到微信自己的页面")
    if re.search(r"\b(class|id)=|<(script|style)\b", draft.content):
        out.append("正文（content）：含有微信不接受的标签或属性（class、id、script、style）")
    return out
