"""Who publishes a document, read only where a document states it.

A document names many organisations: the one that entrusted a task (受省科协的委托), the
one materials go to (上报自治区科学技术协会), the one a teacher joined. Only a few places
state the publisher: the title (江北区科协2023年十件大事, 中国化学会2023年工作报告), a
banner or 红头 line above it (通州区科学技术协会, …科学技术协会文件), the 落款 (sign-off),
a 来源 line, and the subject of the opening paragraph's clauses (3月18日，春城市科学技术
协会发布…) when it names one association only. The association is taken from those places,
and only when the words there are a whole name (a title that says only 市科协 names none).
Otherwise the name is left empty for the user, with a warning — a wrong name on a cover is
worse than an empty field.
"""
from __future__ import annotations

import re

from ..typography import HAN_RANGES

_HAN = f"[{HAN_RANGES}]"
LEVEL = "省|市|自治区|自治州|州|盟|县|区|旗|縣|區"
FULL = "科学技术协会|科學技術協會"
SHORT = "科协|科協"
SOCIETY = "学会|學會|协会|協會|研究会|研究會|联合会|聯合會|促进会|促進會"
#: characters a place name never starts with (全市, 我市, 本县, 各区 …)
NOT_PLACES = set("全我本各该城超省县区年度的在和与及为对从向到由被把将给跟同来受经")
#: words that make a phrase a sentence, not a name
VERB_WORDS = ("参加", "上报", "组织", "举办", "开展", "召开", "委托", "推荐", "关于", "關於", "成立", "联合", "指导",
              "支持", "主办", "承办", "协办", "牵头", "获得", "荣获", "走进", "来到", "前往", "加入", "会同", "携手")
VERBS = re.compile("[的了在向对把被将给为与和及受经由从]|" + "|".join(VERB_WORDS))

_KEXIE = re.compile(rf"^((?:{_HAN}{{2,8}}?)(?:{LEVEL}))({FULL}|{SHORT})$")
_CAST = re.compile(rf"^(中国|中國)({FULL}|{SHORT})$")
_SOCIETY = re.compile(rf"^({_HAN}{{2,22}}?(?:{SOCIETY}))$")


#: words a place name never holds (科技节市科学技术协会 is a phrase run into a name)
NOT_IN_PLACES = re.compile("科技|科普|节|節|届|屆|活动|活動|大会|大會|会议|會議|工作|年")


def whole_name(text: str, context: str = "", societies: bool = True) -> dict | None:
    """``{"name", "short_name"}`` when *text* is exactly an organisation's name (short names
    with their place expanded: 江北区科协 → 江北区科学技术协会); *context* (the document)
    chooses the short name it uses. None for anything else."""
    text = re.sub(r"\s", "", text)
    traditional = "協" in text
    cast = _CAST.match(text)
    if cast:
        return ({"name": "中國科學技術協會", "short_name": "中國科協"} if traditional or cast.group(1) == "中國"
                else {"name": "中国科学技术协会", "short_name": "中国科协"})
    kexie = _KEXIE.match(text)
    if kexie:
        place = kexie.group(1)
        if place[0] in NOT_PLACES or VERBS.search(place) or NOT_IN_PLACES.search(place) \
                or place.startswith(("中国", "中國")):
            return None
        level = place[-3:] if place.endswith(("自治区", "自治州")) else place[-1]
        if len(place) - len(level) < 2 or place.endswith(("自治区", "自治州")) and len(place) < 5:
            return None              # 市科协, 自治区科协: a level, not a place
        short = f"{level}科协" if level in "市省" and f"{level}科协" in context else f"{place}科协"
        if traditional:
            return {"name": f"{place}科學技術協會", "short_name": short.replace("科协", "科協")}
        return {"name": f"{place}科学技术协会", "short_name": short}
    society = _SOCIETY.match(text) if societies else None
    if society and not re.search("(?:学技术协会|學技術協會)$", text) and text[0] not in NOT_PLACES \
            and not VERBS.search(text[:-2]):
        short = next((s for s in (text.replace("科学技术工作者协会", "科协"), text.replace("科学技术协会", "科协"))
                      if s != text and s in context), text)
        return {"name": text, "short_name": short}
    return None


def in_title(title: str, context: str = "") -> dict | None:
    """The organisation a title names as its publisher: 2023年江北区科协十件大事, 中国化学会
    2023年工作报告, 江北区科学技术协会关于…的通知. A title that says only 市科协 names none:
    which city's is read from where the text states it (a banner, the 落款, the opening
    clause's subject), never from a name mentioned somewhere in it."""
    title = re.sub(r"\s", "", title)
    found = next(names_in(title, context), None)
    if found:
        return found
    society = re.match(rf"^(?:(?:19|20)\d{{2}}年度?)?({_HAN}{{2,22}}?(?:{SOCIETY}))"
                       rf"(?=(?:19|20)\d{{2}}|第|关于|關於|年度|工作|[一二三四五六七八九十]+届|$)", title)
    if society:
        found = whole_name(society.group(1), context)
        if found:
            return found
    return None


def names_in(text: str, context: str = ""):
    """Every whole association name in running text, each the longest tail of its phrase
    that is a name and does not begin inside a verb (召开江北区科协会议 → 江北区科协, not 开江北区科协)."""
    for match in re.finditer(rf"{_HAN}{{2,10}}?(?:{LEVEL})(?:{FULL}|{SHORT})|中[国國](?:{FULL}|{SHORT})", text):
        for start in range(match.start(), match.end() - 3):
            if start and text[start - 1:start + 1] in VERB_WORDS:
                continue
            found = whole_name(text[start:match.end()], context, societies=False)
            if found:
                yield found
                break


#: what a lead sentence's clause may open with before its subject: a date, 本报讯（…）, 近日
_OPENING = re.compile(r"^(?:本[报報][讯訊]\s*[（(][^）)]{0,30}[）)]\s*|[^，。]{0,12}[讯訊]\s*)?"
                      r"(?:(?:19|20)\d{2}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:上午|下午|晚)?[，,]?\s*"
                      r"(?:近日|日前|近期|今年以来|一年来|当天|當天)?[，,]?\s*")


def lead_subject(text: str, context: str = "") -> dict | None:
    """The association a news lead or an opening paragraph names as the subject of a clause
    (3月18日，春城市科学技术协会发布…; 2021年是…之年，宁远县科学技术协会坚持…) — the one
    such name, or None (受省科协的委托 or 上报自治区科学技术协会 is no clause's subject)."""
    found = {}
    for clause in re.split(r"[，,。；;：:！？]", text):
        clause = _OPENING.sub("", clause.strip(), count=1)
        for name in names_in(clause, context):
            if clause.startswith(name["name"]) or clause.startswith(name["short_name"]):
                found[name["name"]] = name
            break
    return next(iter(found.values())) if len(found) == 1 else None


def _opening_name(text: str, context: str) -> dict | None:
    """A name a 来源 or sign-off line begins with (中国科协调研宣传部 → 中国科协)."""
    text = re.sub(r"\s", "", text)
    whole = whole_name(text, context)
    if whole:
        return whole
    found = next(names_in(text, context), None)
    return found if found and (text.startswith(found["name"]) or text.startswith(found["short_name"])) else None


def publisher(lines: list[str], title: str, signoff: str = "", source: str = "", lead: str = "") -> dict:
    """The association a document states as its publisher (see the module), or empty names."""
    text = "\n".join(lines)
    found = in_title(title, text) if title else None
    if found is None:
        head = [line.strip() for line in lines if line.strip()][:4]
        for line in head:
            if title and re.sub(r"\s", "", line) == re.sub(r"\s", "", title):
                break
            found = whole_name(re.sub(r"文件$", "", line.strip()), text)
            if found:
                break
    for stated in (signoff, source):
        if found is None and stated:
            found = _opening_name(stated, text)
    if found is None and lead:
        found = lead_subject(lead, text)
    if found is None:
        tail = [line.strip() for line in lines if line.strip()][-2:]
        found = next((f for f in (whole_name(line, text) for line in tail) if f), None)
    return found or {"name": "", "short_name": ""}
