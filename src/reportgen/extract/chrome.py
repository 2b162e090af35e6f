"""What a web page or a copied article carries besides its text, and what a user must look at.

:func:`sift` goes through the paragraphs of a document once:

* page chrome — a site's navigation (首页 > 新闻中心), "字号 大 中 小", share and print
  buttons, "责任编辑", copyright lines, "上一篇/下一篇" — is dropped, every dropped piece
  written whole into the findings (nothing vanishes unreported);
* the article's own facts on a meta line ("来源：新华网 2021-01-26 作者：…") are read into
  ``Meta`` (source, date, author) and the line dropped with a note;
* injected advertising and spam lines are dropped and flagged; image tags, base64 data
  and template placeholders of the page (``<img …>``, ``${视频图片}``) likewise;
* what stays but needs a look is flagged in place: mojibake (text decoded with the wrong
  encoding), file names, placeholders (xx市, xxx名, X个), scrambled sentences.

Traditional-script pages (來源, 編輯, 首頁) are recognised the same; nothing is converted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..typography import HAN_RANGES
from .clean import Findings



@dataclass
class Para:
    """One paragraph of the document: its first line number and its text."""

    no: int
    text: str


@dataclass
class Meta:
    """Facts about the article that the page states outside its text."""

    source: str = ""
    date: str = ""         # ISO date
    author: str = ""
    dropped: list[str] = field(default_factory=list)


# a navigation trail, share/print buttons, counters, copyright: never the article's text
_CHROME = [
    r"^(?:您(?:当前|現在|现在|當前)的?位置|当前位置|當前位置|所在位置|本页位置|本頁位置)\s*[:：]?",
    r"(?:首页|首頁|主页|主頁)\s*(?:[>＞»›→/]|&gt;)",
    r"^\s*(?:[>＞»›]\s*)?(?:首页|首頁)\s*$",
    r"字号\s*[:：]?\s*[\[【（(]?\s*大|字號\s*[:：]?\s*[\[【（(]?\s*大|【字体|【字體|^字号\s*[:：]?\s*$",
    r"^(?:分享到|分享至|分享|打印本页|打印本頁|关闭窗口|關閉窗口|返回顶部|返回頂部|【打印】|【关闭】)",
    r"(?:打印本页|打印本頁|关闭窗口|關閉窗口|收藏本页|加入收藏)",
    r"^(?:上一篇|下一篇|上一條|下一條|上一条|下一条)\s*[:：]",
    r"^\s*[【\[（(]?\s*(?:责任编辑|責任編輯|编辑|編輯|审核|審核|校对|校對|责编|責編)\s*[:：]",
    r"(?:版权所有|版權所有|Copyright|©|备案号|備案號|ICP备|ICP備|京公网安备|未经授权禁止|未經授權禁止|"
    r"本网站所刊载|本網站所刊載|刊用本网站稿件)",
    r"^(?:查看原文|阅读原文|閱讀原文|点击查看|點擊查看|扫一扫|掃一掃|长按识别|長按識別)",
    r"^(?:浏览次数|瀏覽次數|点击数|點擊數|阅读量|閱讀量|点击量|點擊量|访问量|參與互動|参与互动)\s*[:：(（]?\s*\d*",
    r"^-{2,}\s*[^\s-]\S{0,8}[^\s-]\s*-{2,}$",  # --- 结束 --- (the label starts and ends in a non-dash: linear)
    r"^(?:相关(?:新闻|阅读|链接)|相關(?:新聞|閱讀|鏈接)|热点推荐|熱點推薦|推荐阅读|推薦閱讀)\s*[:：]?$",
    r"^(?:来源|來源)\s*[:：]\s*\S{1,20}\s*$",  # handled by meta first; a bare one is chrome too
    r"^(?:网站|網站|移动端|移動端|所属栏目|所屬欄目|栏目|欄目|标签|標籤|关键词|關鍵詞)\s*[:：]",
    r"^(?:ID|大小|页数|頁數)\s*[:：]\s*\S{1,20}$",
    # pagination of a long article
    r"^(?:点击进入下一页|點擊進入下一頁|点击进入上一页|下一页|下一頁|上一页|上一頁|返回列表|查看全文)\s*$|"
    r"^(?:第\s*\d+\s*页\s*)?共\s*\d+\s*页|^[<«]?\s*(?:上一页|上一頁)\s*(?:\d+\s*)+(?:下一页|下一頁)",
    # a forum's (Discuz and the like) buttons and post furniture around the thread
    r"^(?:找回密码|找回密碼|立即注册|立即註冊|马上注册|馬上註冊|QQ登录|QQ登錄|微信登录|微信登錄|只需一步[，,]\s*快速开始|"
    r"跳转到指定楼层|跳轉到指定樓層|楼主|樓主|沙发|沙發|板凳|地板|只看该作者|只看該作者|\[?复制链接\]?|\[?複製鏈接\]?)\s*$",
    r"^查看\s*[:：]\s*\d+\s*[|｜]\s*回复\s*[:：]\s*\d+|^發表於|^发表于\s*(?:19|20)\d{2}-\d{1,2}-\d{1,2}|"
    r"^您需要\s*登录\s*才可以|^您需要\s*登錄\s*才可以",
    r"^(?:打印\s*)?上一主题\s*下一主题|^(?:打印\s*)?上一主題\s*下一主題|^(?:马上注册|馬上註冊)[，,]",
    r"^[xX×]$",                    # a close button's letter
    # a document-sharing site's labels around the preview of a file
    r"^(?:内容预览|內容預覽|文档预览|文檔預覽|全文预览|全文預覽|文档介绍|文檔介紹)\s*[:：]?\s*$",
]
CHROME = re.compile("|".join(f"(?:{p})" for p in _CHROME))

# a meta line: 来源/作者/发布时间/日期 … (at least one label, short, no sentence)
META_LABEL = re.compile(r"(来源|來源|作者|發布時間|发布时间|发布日期|發布日期|时间|時間|日期|稿源|文章来源|文章來源|"
                        r"信息来源|信息來源|点击|點擊|浏览|瀏覽)\s*[:：]\s*")
DATE = re.compile(r"((?:19|20)\d{2})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?")

# advertising and spam that sites inject into copied articles
SPAM = re.compile(r"毛片|高清.{0,6}(?:在线|無碼|无码)|在线(?:观看|觀看|播放)|av\b|AV在线|一区二区|一區二區|"
                  r"博彩|彩票|娱乐城|娛樂城|棋牌|赌场|賭場|代开发票|代開發票|加微信|加v信|薇信|"
                  r"澳门|澳門|真人视讯|免费领取|免費領取|日赚|日賺|兼职刷单|刷單|贷款|貸款|"
                  # a content farm's own lines around a copied article
                  r"小编|小編|供大家参考|供大家參考|希望(?:可以|能)?(?:对|對)?(?:您|你|大家)?(?:有所)?帮助|"
                  r"由会员上传|由會員上傳|免费在线阅读|免費在線閱讀|我要投稿|欢迎阅读|歡迎閱讀|下载文档|下載文檔")
# the page's own markup or template leftovers
MARKUP = re.compile(r"<\s*(?:img|image|video|iframe|script|div|span|p)\b[^>]*>|</\w+>|"
                    r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]{16,}|\$\{[^}]{0,40}\}|\{\{[^}]{0,40}\}\}|"
                    r"\[(?:图片|圖片|视频|視頻|image|img)\]", re.I)
FILE_NAME = re.compile(r"[\w\-\u4e00-\u9fff]{1,60}\.(?:jpe?g|png|gif|bmp|webp|docx?|xlsx?|pdf|mp4|html?)\b", re.I)
PLACEHOLDER = re.compile(r"_{2,}|＿{2,}|\*{3,}|(?<![*\w])\*{1,2}(?=[县市区镇乡省縣區鎮鄉])|"
                         r"(?<=\d)[xX×＊*_]{1,2}(?=年)|"
                         r"(?:[xX×Ｘ＊]{2,}|(?<![A-Za-z])[xX×Ｘ](?![A-Za-z]))"
                         rf"(?=[{HAN_RANGES}]|$)|[{HAN_RANGES}](?:[xX×Ｘ]{{2,}}|(?<![A-Za-z])[xX×Ｘ](?![A-Za-z0-9]))")
# the same text read with the wrong encoding: Latin-1 / cp1252 or GBK shown for UTF-8
LATIN_MOJIBAKE = re.compile(r"(?:[ÃÂâåæçèéäï][\x80-\xbf\u0152-\u2122]){2,}")


def mojibake(text: str) -> str | None:
    """What *text* reads as when its wrong decoding is undone, if that is clearly better."""
    for wrong in ("gbk", "cp1252", "latin-1"):
        try:
            # a GBK reading of UTF-8 loses a byte here and there: a few replacements allowed
            fixed = text.encode(wrong, errors="replace" if wrong == "gbk" else "strict").decode(
                "utf-8", errors="replace" if wrong == "gbk" else "strict")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        lost = fixed.count("\ufffd") + fixed.count("?") - text.count("?")
        han = len(re.findall(f"[{HAN_RANGES}]", fixed))
        if fixed != text and len(fixed) < len(text) * 0.85 and han >= 4 and lost <= max(1, han // 8):
            return fixed
    if "锟斤拷" in text or "烫烫烫" in text or text.count("\ufffd") >= 2:
        return ""
    return None


#: frequent characters that only traditional script writes so (jieba's dictionary is simplified)
TRADITIONAL = set("這們會為國與來說時個學對開關於發經過還進電動產業實現點務條當應見長門問間頭體區縣協議衛級網"
                  "絡華東車書記導專團讓認識變種類運營歷樣總製據處際參與獲舉辦員報設計調節論術傳統")


def scrambled(text: str) -> bool:
    """A sentence whose characters were shuffled: almost no two neighbours form a word.

    jieba's dictionary cuts real Chinese prose into words of two or more characters for
    most of its length; shuffled text falls apart into single characters.
    """
    han = "".join(re.findall(f"[{HAN_RANGES}]+", text))
    if len(han) < 16 or sum(ch in TRADITIONAL for ch in han) >= 3:
        return False  # too short to judge, or traditional script (not judged)
    from ..typography import words as cut  # the dictionary: loaded only for texts long enough to judge

    words = [w for w in cut(han, hmm=False) if w.strip()]
    single = sum(1 for w in words if len(w) == 1)
    return single / max(len(han), 1) > 0.62


#: how extract/pdf.py hands on a page's furniture: a label, then the text
FURNITURE = re.compile(r"^(页眉|页脚|页码|水印|脚注)：")


def furniture(lines: list, findings: Findings) -> list:
    """The lines without the page furniture a PDF's reading labelled, each reported: running
    headers and footers, page numbers and a watermark dropped; a footnote kept out of the
    text and flagged (it may belong somewhere)."""
    kept = []
    for line in lines:
        label = FURNITURE.match(line.text)
        if label is None:
            kept.append(line)
        elif label.group(1) == "脚注":
            findings.add(line.no, "text", f"a footnote kept out of the text: {line.text[3:]!r}; place it where it "
                         "belongs if it matters", "flagged")
        else:
            findings.add(line.no, "page", f"page chrome dropped: {line.text!r}")
    return kept


def sift(paras: list[Para], findings: Findings) -> tuple[list[Para], Meta]:
    """The paragraphs that are the document's text, and the page's facts about it."""
    meta = Meta()
    kept: list[Para] = []
    last = max((i for i, para in enumerate(paras) if para.text.strip()), default=-1)
    for index, para in enumerate(paras):
        text = para.text.strip()
        if not text:
            continue
        if index == last and kept and DATE.fullmatch(text) and len(kept[-1].text) <= 30 \
                and not re.search("[。，,；;：:！？]", kept[-1].text):
            kept.append(Para(para.no, text))    # a 落款's date under the name that signs: the sign-off's
            continue
        if is_meta(text):
            _read_meta(text, meta)
            findings.add(para.no, "page", f"article information read and dropped: {text!r}")
            meta.dropped.append(text)
            continue
        if CHROME.search(text) and len(text) <= 160:
            findings.add(para.no, "page", f"page chrome dropped: {text!r}")
            meta.dropped.append(text)
            continue
        if SPAM.search(text) and len(re.findall(f"[{HAN_RANGES}]", text)) < 160:
            findings.add(para.no, "text", f"advertising or spam line dropped: {text!r}", "flagged")
            meta.dropped.append(text)
            continue
        markup = MARKUP.search(text)
        if markup:
            rest = MARKUP.sub("", text).strip()
            for piece in MARKUP.findall(text):
                findings.add(para.no, "text", f"image tag or page markup dropped: {piece!r}", "flagged")
                meta.dropped.append(piece)
            if not rest:
                continue
            text = rest
        _flag(text, para.no, findings)
        kept.append(Para(para.no, text))
    return kept, meta


def is_meta(text: str) -> bool:
    """A line of facts about the article (来源：… 作者：… 2021-01-26), not a sentence of it."""
    if len(text) > 120 or re.search("[。！？]", text):
        return False
    labels = set(META_LABEL.findall(text))
    if labels - {"时间", "時間", "日期"}:
        return True
    if labels and DATE.search(text) and len(text) <= 40:
        return True
    return bool(re.fullmatch(rf"{DATE.pattern}\s*(?:\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?", text))


def _read_meta(text: str, meta: Meta) -> None:
    date = DATE.search(text)
    if date and not meta.date:
        year, month, day = (int(g) for g in date.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            meta.date = f"{year:04d}-{month:02d}-{day:02d}"
    for label, value in re.findall(r"(来源|來源|稿源|文章来源|文章來源|信息来源|信息來源|作者)\s*[:：]\s*"
                                   r"([^\s:：|｜]{1,30})", text):
        if label == "作者":
            meta.author = meta.author or value
        else:
            meta.source = meta.source or value


def _flag(text: str, line: int, findings: Findings) -> None:
    fixed = mojibake(text)
    if fixed is not None:
        reads = f"; it reads {fixed[:30]!r} when decoded as UTF-8" if fixed else ""
        findings.add(line, "text", f"mojibake (text decoded with the wrong encoding): {text[:30]!r}{reads}; "
                     "take the text from the original file", "flagged")
    elif LATIN_MOJIBAKE.search(text):
        findings.add(line, "text", f"mojibake (text decoded with the wrong encoding): {text[:30]!r}", "flagged")
    for name in FILE_NAME.findall(text):
        if not re.match(r"https?://", name):
            findings.add(line, "text", f"a file name in the text: {name!r}", "flagged")
    for match in PLACEHOLDER.finditer(text):
        around = text[max(match.start() - 4, 0):match.end() + 4]
        findings.add(line, "text", f"a placeholder left in the text: {around!r}", "flagged")
    latin = re.search(r"[A-Za-z]{30,}", text)
    if latin and re.search(f"[{HAN_RANGES}]", text) and not re.search(r"https?://\S*" + re.escape(latin.group(0)), text):
        findings.add(line, "text", f"foreign text run into the Chinese (injected or scrambled): "
                     f"{latin.group(0)[:30]!r}…", "flagged")
    if scrambled(text):
        findings.add(line, "text", f"scrambled sentence (its words do not read): {text[:30]!r}", "flagged")
