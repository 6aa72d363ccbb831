"""Rules for names the gazetteer does not know in Chinese text (:mod:`kg.extract.names_en` holds the English ones).

Each rule returns :class:`Candidate` spans over a paragraph's text. A *strong* candidate (an organization
suffix, a person title, a byline) becomes an entity on its own; a *weak* one (a capitalized phrase with
no cue) becomes an entity only if a relation pattern uses it. The words come from
``ontologies/lexicon/cues.toml`` and the name lists beside it.
"""
from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from kg.extract import zh_words
from kg.extract.lexicon import Lexicon
from kg.extract.triggers import load_triggers
from kg.extract.wordsets import WordEnds, WordIndex

CJK = "\u4e00-\u9fff\u3400-\u4dbf"
_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_MODEL_CODE = re.compile(r"(?![QH]\d$)[A-Z]{1,3}\d{1,4}[A-Za-z]?|Pro|Max|Ultra|Plus|Air|OS")   # (not Q3, H1)
HAN = re.compile(f"[{CJK}]+")         # a run of Chinese characters
_LATIN_NEXT = re.compile(r" ?[A-Za-z]")
_LATIN_RUN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9][A-Za-z0-9.\-&'’+]*(?: [A-Za-z0-9][A-Za-z0-9.\-&'’+]*)*")
_TRANSLIT = re.compile(rf"[{CJK}]{{1,6}}(?:[·•‧・][{CJK}]{{1,8}})+")
_CAMEL = re.compile(r"^(?:[A-Za-z]*[a-z][A-Z][A-Za-z]*|\d+[A-Z][A-Za-z]+|[a-z][A-Z][A-Za-z]*)$")
# (the patterns below are compiled once: each was looked up in re's cache at every candidate or character)
_DOTS = re.compile(r"[·•‧・]")
_DESCRIBED_BEFORE = re.compile(r"(?:一家|这家|那家|该|某|多家|两家|几家|数家|各家)[^的]{0,8}$")
_HAN_CHAR = re.compile(f"[{CJK}]")
_NAME_CHAR = re.compile(f"[{CJK}A-Za-z0-9]")
_INDIVIDUAL = re.compile(f"([{CJK}]{{2,4}})[(（](?:个人|自然人)[)）]")
_NUMBERISH = re.compile(r"[\d.,%]+[A-Za-z]{0,2}")
# an amount with its unit: "8GWh", "5MW", "512GB", "3nm", "5000mAh"
_UNIT = re.compile(r"\d+(?:\.\d+)?(?:[kKMGTP]?(?:Wh|W|B|b|Hz|bps|V|A)|mAh|nm|mm|cm|km|kg|TOPS|TFLOPS|GW|MW)s?")


def _leading_words(stem: str) -> int:
    """How many characters at the start of a Chinese stem are ordinary words or function pieces, not a name:
    "依赖" of 依赖三安, "并非" of 并非澜海, "另据" of 另据工商. Leaves at least two characters."""
    cut = 0
    for piece, tag in zh_words.tags(stem):
        if len(stem) - cut - len(piece) < 2:
            break
        if zh_words.is_common(piece) and len(piece) >= 2 or len(piece) == 1 and tag in ("c", "p", "r", "u", "d"):
            cut += len(piece)
            continue
        break
    return cut


class Candidate(NamedTuple):
    """A possible name found by a rule: its span, class, confidence, rule and whether it is strong."""
    start: int
    end: int
    cls: str
    conf: float
    source: str
    strong: bool


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class NameRules:
    """Compiled name rules for one lexicon."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        zh, en = lex.cues["zh"], lex.cues["en"]
        self.zh = zh
        # noun suffixes (智能, 医疗) end a name only after a stem that is no ordinary word (澜舟智能, not 人工智能)
        self.zh_suffixes = zh["org_suffixes"] | zh["noun_org_suffixes"]
        self.zh_suffix = re.compile(f"(?:{_alt(self.zh_suffixes)})")
        self.zh_suffix_tail = re.compile(f"(?:{_alt(self.zh_suffixes)})$")
        self.zh_title_after = re.compile(f"(?:{_alt(zh['person_titles'])})\\s?$")
        self.zh_title = re.compile(f"(?:{_alt(zh['person_titles'])})")
        self.zh_org_title = re.compile(f"(?:{_alt(zh['org_titles'])})")
        # only after 的 / 家 ("王某创办的人工智能公司光年之外", "一家芯片公司某某"): elsewhere the words after a
        # descriptor are usually a verb phrase ("初创公司望其项背")
        self.zh_descriptor = re.compile(f"(?<=[的家])(?:{_alt(zh['org_descriptors'])})([{CJK}]{{2,6}}?)(?=[,，。;；、!！?？\n]|$)")
        self.zh_person_verbs = tuple(zh["person_verbs"])
        # where a transliterated name's last part stops: a verb of a person or speech, or a stop character
        self.translit_stop = re.compile(f"(?:{'|'.join(map(re.escape, self.zh_person_verbs + tuple(zh['speech_verbs'])))})"
                                        f"|[{zh['name_stop_chars']}]")
        self.clause_break = re.compile(f"[{zh['clause_breaks']}]")
        self.zh_speech = re.compile(f"^\\s?(?:{_alt(zh['speech_verbs'])})")
        self.zh_product = re.compile(f"^\\s?(?:{_alt(zh['product_cues'])})")
        self.byline_person = re.compile(f"(?:^|\\n|\\s)(?:{_alt(zh['byline_person'])})\\s?[:：/|｜]\\s?([{CJK}]{{2,4}}|[A-Z][a-z]+(?: [A-Z][a-z]+)+)")
        self.byline_source = re.compile(f"(?:^|\\n|\\s)(?:{_alt(zh['byline_source'])})\\s?[:：|｜]\\s?([^\\s,，。:：;；]{{2,20}})")
        self.breakers = sorted(zh["name_breakers"], key=len, reverse=True)
        # the walks left over a stem ask at every character whether a breaker ends there (set lookups)
        # (a speech verb too: "王建国表示公司将…" holds no company 王建国表示公司)
        self.breaks = WordEnds(self.breakers + list(zh["speech_verbs"]))
        self.zh_described = tuple(zh["described_nouns"])
        self.generic = sorted(zh["generic_stems"], key=len, reverse=True)
        self.generic_index = WordIndex(self.generic)       # the few generic stems a short stem can hold
        self.title_or_breaker = WordIndex(zh["person_titles"] + self.breakers)
        self.not_names = set(en["not_names"])
        self.en_suffixes = en["org_suffixes"]
        # the words that never open a model name ("推出K1", "了K1"): verbs of the trigger lexicon, breakers
        self.not_model_prefix = set(self.breakers) | {f for t in load_triggers("zh") for f in t.forms}

    # ---------------------------------------------------------------- Chinese
    def chinese(self, text: str, ends: frozenset[int] = frozenset()) -> list[Candidate]:
        """Candidates for unknown names in Chinese text: bylines, transliterated names, suffixes, titles, Latin
        names. ``ends`` are the offsets where jieba's tokens end: a name after a title ends at one."""
        out: list[Candidate] = []
        out += self._bylines(text)
        # a transliterated name holds a middle dot, at most six characters after its start: the pattern
        # (which tries six characters at every Chinese character) starts its search there
        dot = min((k for k in map(text.find, "·•‧・") if k >= 0), default=-1)
        if dot >= 0:
            out += [c for c in map(self._transliterated, _TRANSLIT.finditer(text, max(0, dot - 6))) if c]
        out += self._zh_orgs(text, sorted(ends))
        out += self._zh_titled_people(text, ends)
        out += self._latin_in_chinese(text)
        return out

    def _bylines(self, text: str) -> list[Candidate]:
        out = []
        for m in self.byline_person.finditer(text):
            out.append(Candidate(m.start(1), m.end(1), "Person", 0.8, "rule:byline", True))
        for m in self.byline_source.finditer(text):
            out.append(Candidate(m.start(1), m.end(1), "MediaOrganization", 0.75, "rule:source-line", True))
        return out

    def _transliterated(self, m: re.Match) -> Candidate | None:
        """"亚历克斯·莫兰": trim what the greedy match took around the name (投资人…, …表示看好)."""
        s, e = m.start(), m.end()
        first, *rest = _DOTS.split(m.group())
        cut = max((first.rfind(w) + len(w) for w in self.title_or_breaker.within(first) if w in first), default=0)
        s += max(cut, len(first) - 4)                     # given names in transliteration: 1-4 characters
        last = rest[-1]
        stop = self.translit_stop.search(last[1:])
        keep = min(len(last), 6, stop.start() + 1 if stop else 99)
        e -= len(last) - keep
        return Candidate(s, e, "Person", 0.8, "rule:transliterated", True) if e - s >= 3 else None

    def _zh_orgs(self, text: str, ends: list[int] = ()) -> list[Candidate]:
        out = []
        for m in self.zh_suffix.finditer(text):
            if m.group() in self.zh["noun_org_suffixes"] and self._inside_word(text, m.start(), ends):
                continue    # "劳动力" holds 动力, "人工智能" holds 智能: a piece of an ordinary word, no suffix
            end = m.end()
            if end < len(text) and text[end] in "门长":   # 部门, 部长: not a suffix here
                continue
            start = m.start()
            # walk left over name characters, stopping at function words and punctuation
            i = start
            breaks = self.breaks
            while i > 0 and start - i < 12:
                if breaks.at(text, i):
                    break
                i -= 1
            stem = text[i:start]
            # stacked suffixes (月之暗面 + 科技 + 有限公司) belong to the suffix, not the name
            while True:
                t = self.zh_suffix_tail.search(stem)
                if not t or t.start() == 0:
                    break
                stem = stem[:t.start()]
            # the name starts after the last generic or function word ("其他所有初创公司" has none)
            cut = 0
            for g in self.generic_index.within(stem):
                k = stem.rfind(g)
                # never cut inside a Latin word ("AIGC公司" is not "GC公司")
                if k >= 0 and not (g.isascii() and k + len(g) < len(stem) and stem[k + len(g)].isascii()):
                    cut = max(cut, k + len(g))
            i += cut
            stem = stem[cut:]
            lead = _leading_words(stem)
            i, stem = i + lead, stem[lead:]
            if len(stem) < 2:
                continue
            if _DESCRIBED_BEFORE.search(text[max(0, i - 10):i]):
                continue    # "一家汽车零部件公司" describes a company, it does not name one
            cls = self.zh_suffixes[m.group()]
            if m.group() in self.zh["noun_org_suffixes"]:
                if text.startswith(self.zh_described, end):
                    continue    # "仓储机器人企业", "液冷储能系统": a description of a company or product
                if len(stem) > 4 or zh_words.is_common(stem) or zh_words.is_descriptive(stem):
                    continue    # "人工智能", "新能源汽车": a noun phrase, not a name
            elif cls in ("Company", "InvestmentFirm") and zh_words.is_descriptive(stem):
                continue        # "自动驾驶公司", "设计公司": what the company does, not what it is called
            out.append(Candidate(i, end, cls, 0.7, "rule:zh-org-suffix", True))
        return out

    @staticmethod
    def _inside_word(text: str, i: int, ends: list[int]) -> bool:
        """Whether offset ``i`` falls inside a jieba token that is an ordinary dictionary word."""
        k = bisect.bisect_right(ends, i)           # the first token ending after i
        if k >= len(ends):
            return False
        start = ends[k - 1] if k else 0
        return start < i and zh_words.is_common(text[start:ends[k]].strip())

    def _zh_given_name(self, text: str, i: int) -> int:
        """End of a Chinese personal name starting at ``i`` (surname + one or two characters), or -1."""
        lex = self.lex
        if text[i:i + 2] in lex.compound_surnames:
            j = i + 2
        elif i < len(text) and text[i] in lex.surnames:
            j = i + 1
        else:
            return -1
        stop = self.zh["name_stop_chars"]
        k = j
        while k < len(text) and k - j < 2 and _HAN_CHAR.match(text[k]) and text[k] not in stop:
            k += 1
        return k if k > j else -1

    def _zh_titled_people(self, text: str, ends: frozenset[int] = frozenset()) -> list[Candidate]:
        out = []
        for m in self.zh_title.finditer(text):
            j = m.end()
            while j < len(text) and text[j] == " ":
                j += 1
            end = self._zh_given_name(text, j)
            # "工程师郑思齐联合创办": the name ends where jieba's token ends, not in the next word
            if end > 0 and ends and end not in ends and text[end:end + 1] not in self.zh["name_stop_chars"]:
                end = next((k for k in range(end - 1, j + 1, -1) if k in ends), end)
            # "工程师和研究员": a conjunction or another title right after a title is not a name
            if end > 0 and text[j] not in self.zh["name_stop_chars"] and not self.zh_title.search(text, j + 1, end + 3):
                out.append(Candidate(j, end, "Person", 0.7, "rule:zh-title", True))
        # "<organization><title><person>": the unknown name right before 创始人 / CEO is an organization
        for m in self.zh_org_title.finditer(text):
            i = m.start()
            while i > 0 and m.start() - i < 8 and _NAME_CHAR.match(text[i - 1]) \
                    and not self.breaks.at(text, i):
                i -= 1
            while 0 < i < m.start() and text[i].isascii() and text[i - 1].isascii() and text[i - 1].isalnum():
                i -= 1              # a Latin name is taken whole, however long ("Orbitline创始人")
            stem = text[i:m.start()]
            for g in self.generic_index.within(stem):      # in list order: each cut shortens the stem
                k = stem.rfind(g)
                if k >= 0:
                    i, stem = i + k + len(g), stem[k + len(g):]
            # "担任公司董事长": 公司 is the company already named, "宋佳怡任董事长": a person takes the title
            if len(stem) >= 2 and not self.zh_title.search(stem) and not self.zh_suffix.fullmatch(stem) \
                    and not zh_words.person_tag(stem):
                out.append(Candidate(i, m.start(), "Organization", 0.6, "rule:zh-org-before-title", True))
        # "人工智能公司光年之外": a descriptor noun, then the name, then a clause break
        for m in self.zh_descriptor.finditer(text):
            s, e = m.start(1), m.end(1)
            if text[s] in self.zh["name_stop_chars"]:
                continue    # "车企的供应链": no name after the descriptor
            if self._zh_given_name(text, s) != e:      # not a person's name
                out.append(Candidate(s, e, "Organization", 0.6, "rule:zh-descriptor", True))
        # a name followed by "(个人)" or a title such as 教授, 先生 written after it
        for m in _INDIVIDUAL.finditer(text):
            s = m.start(1)
            for s2 in range(s, m.end(1) - 1):
                if self._zh_given_name(text, s2) == m.end(1):
                    out.append(Candidate(s2, m.end(1), "Person", 0.7, "rule:zh-individual", True))
                    break
        return out

    def chinese_tokens(self, text: str, tokens: list[tuple[int, str]]) -> list[Candidate]:
        """A jieba token that reads as a Chinese name (surname first) right before a verb of a person:
        "林思远创办……", "张伟表示". jieba's HMM usually keeps an unknown name as one token."""
        out = []
        surnames, compound = self.lex.surnames, self.lex.compound_surnames
        prev_at, prev = -1, ""
        for i, tok in tokens:
            if tok[:1] in _CAPITALS and prev_at + len(prev) == i and 2 <= len(prev) <= 4 and _MODEL_CODE.fullmatch(tok) \
                    and HAN.fullmatch(prev) and prev not in self.not_model_prefix \
                    and not _LATIN_NEXT.match(text, i + len(tok)):      # "车载Mini LED": a kind of thing
                # "极光K1", "问界M9", "云岚Pro": a word and a model code written together name a product
                out.append(Candidate(prev_at, i + len(tok), "Product", 0.55, "rule:zh-model-name", True))
            prev_at, prev = i, tok
            # (a name starts with a surname: the cheap test first, on every token of the text)
            if not 2 <= len(tok) <= 3 or (tok[0] not in surnames and tok[:2] not in compound):
                continue
            if self._zh_given_name(text, i) != i + len(tok) or zh_words.is_common(tok):
                continue
            j = i + len(tok)          # what follows the name, read in place (no copy of the rest of the text)
            if text.startswith(self.zh_person_verbs, j) or (
                    text[j:j + 1] in ("是", "为") and self._title_in_clause(text, j)):   # "王某是美团的联合创始人"
                out.append(Candidate(i, j, "Person", 0.6, "rule:zh-name-verb", True))
        return out

    def _title_in_clause(self, text: str, j: int) -> bool:
        """Whether a person title stands between ``j`` and the next clause break."""
        brk = self.clause_break.search(text, j)
        return self.zh_title.search(text, j, brk.start() if brk else len(text)) is not None

    def _latin_in_chinese(self, text: str) -> list[Candidate]:
        out = []
        for m in _LATIN_RUN.finditer(text):
            s, e = m.start(), m.end()
            name = m.group().rstrip(".-'’")
            e = s + len(name)
            words = name.split()
            if not words or not (name[0].isupper() or name[0].isdigit()) or name in self.not_names:
                continue
            if all(w in self.not_names or w.isdigit() for w in words):
                continue
            if _NUMBERISH.fullmatch(name) or _UNIT.fullmatch(name):   # numbers, "33m", "8GWh"
                continue
            if text.startswith("轮", e):     # "B轮", "Pre-IPO轮": a funding round, never a name
                continue
            before, after = text[max(0, s - 8):s], text[e:e + 8]
            if self.zh_title_after.search(before) or self.zh_speech.match(after):
                out.append(Candidate(s, e, "Person", 0.7, "rule:zh-latin-person", True))
            elif self.zh_product.match(after):
                out.append(Candidate(s, e, "Product", 0.6, "rule:zh-latin-product", True))
            elif words[-1] in self.en_suffixes and len(words) > 1:
                out.append(Candidate(s, e, self.en_suffixes[words[-1]], 0.7, "rule:latin-org-suffix", True))
            elif len(words) >= 2 and words[0] in self.lex.given_names:
                out.append(Candidate(s, e, "Person", 0.65, "rule:given-name", True))
            elif len(words) == 1 and _CAMEL.match(name):
                out.append(Candidate(s, e, "Organization", 0.55, "rule:camel-case", True))
            else:
                out.append(Candidate(s, e, "Organization", 0.4, "rule:latin-name", False))
        return out
