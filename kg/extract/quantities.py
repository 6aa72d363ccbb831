"""``kg_quantities``: money amounts and dates -> ``doc.spans["money"]`` / ``doc.spans["date"]``.

Each span's ``_.value`` holds the normalized value: :class:`Money` or :class:`Date`.

>>> parse_money_text("10 亿美元")
Money(amount=Decimal('1000000000'), currency='USD', vague=False)
>>> parse_money_text("$41.456 billion")
Money(amount=Decimal('41456000000'), currency='USD', vague=False)
>>> [d.value for d in find_dates("2024 年 3 月, 2023年")]
[Date(year=2024, month=3, day=None), Date(year=2023, month=None, day=None)]
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.doctext import doc_text, set_span_value
from kg.extract.lexicon import load

_CN_DIGITS = "零〇一二两三四五六七八九十百千"
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9


class Money(NamedTuple):
    """An amount in a currency; ``vague`` for a magnitude such as 数十亿美元 (no amount then)."""
    amount: Decimal | None
    currency: str
    vague: bool           # "数十亿美元", "billions of dollars": a magnitude, not an amount


class Date(NamedTuple):
    """A date as far as the text gives it: year, month and day may each be None."""
    year: int | None
    month: int | None
    day: int | None


class Found(NamedTuple):
    """A value found in text, with its character span."""
    start: int
    end: int
    value: object


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _cn_number(text: str) -> Decimal | None:
    try:
        import cn2an
        return Decimal(str(cn2an.cn2an(text, "smart")))
    except (ValueError, KeyError, TypeError, IndexError):   # what cn2an raises on text it cannot read
        return None


def _number(text: str) -> Decimal | None:
    text = text.replace(",", "").replace("，", "").strip()
    if not text:
        return None
    if re.fullmatch(r"[\d.]+", text):
        try:
            return Decimal(text)
        except InvalidOperation:
            return None
    return _cn_number(text)


# No real amount of money has more digits: "$99999999999999999999999999 billion" is a typo or a joke,
# and Decimal's 28-digit context cannot even round it to a whole number.
MAX_AMOUNT = Decimal(10) ** 18


def _amount(value: Decimal) -> Decimal | None:
    """A money amount as a plain Decimal (``4.1E+10`` -> ``41000000000``), None beyond :data:`MAX_AMOUNT`.

    >>> _amount(Decimal("41.456") * Decimal(10) ** 9), _amount(Decimal(10) ** 40)
    (Decimal('41456000000'), None)
    """
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:
        return None
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral() else value


class _MoneyPatterns:
    def __init__(self):
        m = load().cues["money"]
        self.currencies, self.scales = m["currencies"], m["scales"]
        num = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|[{_CN_DIGITS}]+"
        zh_curs = [c for c in self.currencies if re.search(r"[\u4e00-\u9fff]", c)]
        zh_scales = [s for s in self.scales if re.search(r"[\u4e00-\u9fff]", s)]
        zh_cur, zh_scale = _alt(zh_curs), _alt(zh_scales)
        sym = _alt(["US$", "HK$", "$", "€", "£", "¥", "￥"])
        en_scale = _alt([s for s in self.scales if not re.search(r"[\u4e00-\u9fff]", s)])
        code = _alt(["USD", "EUR", "CNY", "RMB", "JPY", "GBP", "HKD"])
        en_cur = _alt(["dollars", "euros", "yuan", "renminbi", "yen", "pounds", "ringgit"])
        # every part before the currency is optional, so a match could start anywhere: the lookahead (the
        # characters a match can start with) turns most positions down at once instead of trying each part
        first = "".join(sorted({re.escape(w[0]) for w in zh_curs + zh_scales} | set("数几上近" + _CN_DIGITS)))
        self.zh = re.compile(rf"(?=[\s\d{first}])"
                             rf"(?P<vague>数|几|上|近)?(?P<num>{num})?\s*(?P<scale>(?:{zh_scale})+)?\s*(?P<cur>{zh_cur})")
        self.zh_currency = re.compile(zh_cur)      # no Chinese currency word, no Chinese amount
        self.sym = re.compile(rf"(?P<cur>{sym})\s?(?P<num>{num})(?:\s?(?P<scale>{en_scale})\b)?")
        self.code = re.compile(rf"\b(?P<cur>{code})\s?(?P<num>{num})(?:\s?(?P<scale>{en_scale})\b)?")
        self.words = re.compile(rf"\b(?P<num>{num})\s?(?P<scale>{en_scale})?\s(?P<cur>{en_cur})\b")
        self.en_currency = re.compile(en_cur)      # no currency word, no "5 million dollars"
        self._scale_parts = re.compile(_alt(self.scales))
        self.vague_en = re.compile(rf"\b(?:billions|millions|trillions) of (?:{en_cur})\b")

    def scale(self, s: str | None) -> Decimal:
        if not s:
            return Decimal(1)
        total = Decimal(1)
        for part in self._scale_parts.findall(s):   # "百亿" or "万亿" may stack
            total *= Decimal(self.scales[part])
        return total

    def find(self, text: str) -> list[Found]:
        out = []
        zh = self.zh if self.zh_currency.search(text) else None
        words = self.words if self.en_currency.search(text) else None
        for rx in (self.sym, self.code, words, zh):
            for m in rx.finditer(text) if rx else ():
                if any(m.start() < f.end and f.start < m.end() for f in out):
                    continue
                gd = m.groupdict()
                num = _number(gd["num"]) if gd.get("num") else None
                cur = self.currencies.get(gd["cur"]) or self.currencies.get(gd["cur"].lower())
                vague = bool(gd.get("vague")) and gd["vague"] in "数几" or num is None
                if num is None and not gd.get("scale"):
                    continue   # a bare currency word ("美元") is not an amount
                amount = None if vague else _amount(num * self.scale(gd.get("scale")))
                vague = vague or amount is None      # an amount too large to be real is no amount
                out.append(Found(m.start(), m.end(), Money(amount, cur, vague)))
        for m in self.vague_en.finditer(text):
            out.append(Found(m.start(), m.end(), Money(None, "USD", True)))
        return sorted(out)


_money = None


def find_money(text: str) -> list[Found]:
    """Every money amount in ``text``, in order."""
    global _money
    if _money is None:
        _money = _MoneyPatterns()
    return _money.find(text)


def parse_money_text(text: str) -> Money | None:
    """The first money amount in ``text``, or None."""
    found = find_money(text)
    return found[0].value if found else None


_ZH_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年(?:\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?)?")
_ZH_MD = re.compile(r"(?<![\d年])(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?")
_ISO = re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})(?:-(?P<d>\d{2}))?\b")
# (the lookahead: a month name's first letter, so most positions are turned down at once)
_EN_DATE = re.compile(r"(?=[ADFJMNOS])\b(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
                      r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
                      r"(?:\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?)?(?:,?\s+(?P<y>(?:19|20)\d{2}))?\b")
_EN_YEAR = re.compile(r"(?<![$\d,.])\b(?P<y>(?:19|20)\d{2})\b(?![\d%]|[,.]\d|\s?(?:billion|million|tokens|GPUs))")


def find_dates(text: str) -> list[Found]:
    """Every date in ``text`` (Chinese, ISO and English forms, bare years), in order."""
    out: list[Found] = []

    def add(m, y, mo, d):
        if any(m.start() < f.end and f.start < m.end() for f in out):
            return
        out.append(Found(m.start(), m.end(), Date(y, mo, d)))

    year_zh, month_zh = "年" in text, "月" in text     # what the Chinese forms cannot do without
    for m in _ZH_DATE.finditer(text) if year_zh else ():
        add(m, int(m["y"]), int(m["m"]) if m["m"] else None, int(m["d"]) if m["d"] else None)
    for m in _ISO.finditer(text):
        add(m, int(m["y"]), int(m["m"]), int(m["d"]) if m["d"] else None)
    for m in _EN_DATE.finditer(text):
        mon = _MONTHS.get(m["mon"].lower().rstrip("."))
        if m["mon"] == "May" and not (m["d"] or m["y"]):
            continue   # the verb
        add(m, int(m["y"]) if m["y"] else None, mon, int(m["d"]) if m["d"] else None)
    for m in _ZH_MD.finditer(text) if month_zh else ():
        if 1 <= int(m["m"]) <= 12:
            add(m, None, int(m["m"]), int(m["d"]) if m["d"] else None)
    for m in _EN_YEAR.finditer(text):
        add(m, int(m["y"]), None, None)
    return sorted(out)


def inherit_years(dates: list[Found], text: str = "", year: int | None = None) -> list[Found]:
    """A month and day with no year ("6月11日", "同年7月") belong to the last year named before them in the
    same paragraph.

    >>> [d.value.year for d in inherit_years(find_dates("2023年4月17日注册,6月11日融资"))]
    [2023, 2023]
    >>> text = "2023年4月注册。\\n6月11日融资"
    >>> [d.value.year for d in inherit_years(find_dates(text), text)]
    [2023, None]
    """
    out, last_end = [], 0
    for f in dates:
        if "\n" in text[last_end:f.start]:
            year = None
        last_end = f.end
        if f.value.year is None and year is not None and f.value.month:
            f = Found(f.start, f.end, Date(year, f.value.month, f.value.day))
        year = f.value.year or year
        out.append(f)
    return out


class QuantityRecognizer:
    """The ``kg_quantities`` component: money and dates as spans with their normalized ``_.value``; stateless."""

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc.spans["money"]`` and ``doc.spans["date"]``."""
        text = doc_text(doc)
        taken: set[tuple[int, int]] = set()
        for key, found in (("money", find_money(text)), ("date", inherit_years(find_dates(text), text))):
            spans = []
            for f in found:
                span = doc.char_span(f.start, f.end, alignment_mode="expand")
                if span is not None:
                    s, e = span.start_char, span.end_char
                    if (s, e) in taken:
                        # an amount and a date inside one token (Chinese in an English Doc: "5亿元完成2021年")
                        # expand to the same span, whose values are one slot: the amount keeps it
                        continue
                    taken.add((s, e))
                    set_span_value(doc, "value", s, e, f.value)
                    set_span_value(doc, "offsets", s, e, (f.start, f.end))
                    spans.append(span)
            doc.spans[key] = spans
        return doc


@Language.factory("kg_quantities", assigns=["doc.spans", "span._.value", "span._.offsets"])
def make_quantity_recognizer(nlp: Language, name: str):
    """spaCy factory of :class:`QuantityRecognizer`."""
    return QuantityRecognizer()
