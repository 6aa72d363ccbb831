"""Chinese names found by their form with jieba's help: personal names by their part-of-speech tag, companies
named right after a description of them, and the short form of a company's name.

* **People.** jieba's HMM tags an unknown personal name ``nr``; kept only for a 2-4 character word that starts
  with a known surname (``zh_surnames.txt``) and is not followed by an organization suffix (澜舟科技 is a
  company). A surname jieba cut off (宋 | 佳怡) is joined back when the rest is a given name.
* **A description, then the name.** "自动驾驶公司澜舟智行近日完成……", "AI初创公司澜舟智行": a phrase of ordinary
  words and a head noun (``descriptor_heads``), then a few words that are not ordinary ones, ending before
  the next verb or adverb (``name_followers``).
* **Short forms.** 云帆机器人 is 云帆 when the text says it again: :func:`short_form`.
"""
from __future__ import annotations

import bisect
import re

from kg.extract import zh_words
from kg.extract.lexicon import Lexicon
from kg.extract.names import HAN as _HAN
from kg.extract.names import Candidate, _alt
from kg.extract.wordsets import WordEnds, WordIndex

# prepositions that mark a verb's argument and are surnames too (向, 于): jieba can join one to the next word
_MARKS = frozenset("向对给为与和同跟被由在于从把将")
# "基金二期", "一号", "第三代": a phase, number or generation after a name, never a name itself
_ORDINAL = re.compile("[第]?[一二三四五六七八九十两]+[期号代轮批届次]")
def _start(token: tuple[int, str]) -> int:
    return token[0]


_LATIN_WORD = re.compile(r"[A-Z][A-Za-z0-9]*")
_FIGURES = re.compile(r"[\d.% ]+")


# jieba's dictionary counts famous people's names too (王晓东 518): a three-character word tagged as a name
# is a surname and a given name far more often than an ordinary word, and only the most frequent are kept out
COMMON_FULL_NAME = 1500


class ChineseNames:
    """The jieba-backed Chinese name rules for one lexicon."""

    def __init__(self, lex: Lexicon):
        zh = lex.cues["zh"]
        self.lex = lex
        # the first characters of the surnames, compound ones too
        self.surname_starts = lex.surnames | {c[0] for c in lex.compound_surnames}
        self.suffixes = zh["org_suffixes"] | zh["noun_org_suffixes"]
        self.suffix_start = re.compile(f"\\s?(?:{_alt(self.suffixes)})")
        self.suffix_tail = re.compile(f"(?:{_alt(self.suffixes)})+$")
        self.heads = re.compile(f"(?:{_alt(zh['descriptor_heads'])})")
        self.followers = set(zh["name_followers"]) | set(zh["person_verbs"]) | set(zh["speech_verbs"])
        self.breakers = sorted(zh["name_breakers"], key=len, reverse=True)
        self.generic = sorted(zh["generic_stems"], key=len, reverse=True)
        self.breaks = WordEnds(self.breakers)
        self.generic_index = WordIndex(self.generic)
        self.stop = zh["name_stop_chars"]
        self.described = tuple(zh["described_nouns"])
        self.titles = frozenset(zh["person_titles"])
        # "名为 B 的初创公司": the name between a naming verb and 的, typed by the noun after it
        self.named = re.compile(f"(?:{_alt(zh['naming_verbs'])})([^\\s，,。;；:：!！?？、“”\"《》()（）的]{{2,12}})的"
                                f"([^\\s，,。;；:：!！?？的]{{0,8}})")
        self.product_nouns = tuple(zh["product_heads"] + zh["product_cues"])
        self.org_nouns = tuple(zh["descriptor_heads"]) + tuple(self.suffixes)
        heads = _alt(zh["product_cues"] + zh["product_heads"])
        self.quoted_product = re.compile(f"(?:{heads})(?:是|为)?(?:一款|一个|一套|一种)?(?:名为|叫做|叫|称为)?[“\"「]([^”\"」“「，,。、；;：:！？!?\\n]{{2,12}})[”\"」]")

    # ------------------------------------------------------------------ people
    def _surname(self, word: str) -> bool:
        return word[:2] in self.lex.compound_surnames or word[:1] in self.lex.surnames

    def people(self, text: str, tokens: list[tuple[int, str]]) -> list[Candidate]:
        """Personal names jieba tags ``nr``, starting with a surname, not followed by an organization suffix."""
        out = []
        # only a token that starts with a surname can start a name (both readings below ask for one), so
        # the others are passed over on the first character; the token after a name joined with it is no
        # start of its own
        skip = 0
        starters = self.surname_starts
        for k in [k for k, (_, tok) in enumerate(tokens) if tok[:1] in starters]:
            if k < skip:
                continue
            i, tok = tokens[k]
            nxt = tokens[k + 1][1] if k + 1 < len(tokens) else ""
            name = None
            prev = tokens[k - 1][1] if k else ""
            if 2 <= len(tok) <= 4 and _HAN.fullmatch(tok) and self._surname(tok) and zh_words.person_tag(tok) \
                    and zh_words.frequency(tok) < (COMMON_FULL_NAME if len(tok) == 3 else zh_words.COMMON) and not (
                    # "远屿智驾": right after a word jieba does not know, the tag reads the end of a longer name
                    len(prev) >= 2 and _HAN.fullmatch(prev) and zh_words.frequency(prev) == 0
                    and tokens[k - 1][0] + len(prev) == i) and not (
                    # "向星 | 途智驾": a preposition that took the first character of a word jieba does not know
                    len(tok) == 2 and tok[0] in _MARKS and len(nxt) >= 2 and _HAN.fullmatch(nxt)
                    and zh_words.frequency(nxt) == 0 and k + 1 < len(tokens) and tokens[k + 1][0] == i + 2) and not (
                    # "红杉中国 | 向曜石 | 智联": right after a word that is no title, the preposition again
                    tok[0] in _MARKS and len(prev) >= 2 and _HAN.fullmatch(prev) and prev not in self.titles
                    and tokens[k - 1][0] + len(prev) == i and zh_words.frequency(tok) == 0):
                name = tok
                if len(tok) == 2 and len(nxt) == 1 and _HAN.fullmatch(nxt) and nxt not in self.stop \
                        and not zh_words.is_common(nxt) and tokens[k + 1][0] == i + 2:
                    name = tok + nxt      # 周子 | 衿: jieba cut the last character off the given name
            elif 3 <= len(tok) <= 5 and tok[-1] in self.stop and _HAN.fullmatch(tok) and self._surname(tok) \
                    and zh_words.frequency(tok) == 0 and zh_words.person_tag(tok[:-1]) \
                    and zh_words.frequency(tok[:-1]) < (COMMON_FULL_NAME if len(tok) == 4 else zh_words.COMMON):
                name = tok[:-1]       # 李明于 | 2015年: jieba joined the word after the name to it
            elif len(tok) == 1 and tok in self.lex.surnames and 1 <= len(nxt) <= 2 and _HAN.fullmatch(nxt) \
                    and nxt[0] not in self.stop and zh_words.person_tag(nxt) and not zh_words.is_common(nxt) \
                    and not (tok in _MARKS and _HAN.fullmatch(prev) and prev not in self.titles):
                # 宋 | 佳怡: jieba cut the surname off a name it tags as one (but "红杉中国向 | 墨羽": after a
                # word that is no title, a surname that is a preposition too is the preposition)
                name = tok + nxt
            if name and not self.suffix_start.match(text, i + len(name)) \
                    and not text.startswith(self.described, i + len(name)):    # "智驾方案" is no person
                out.append(Candidate(i, i + len(name), "Person", 0.6, "rule:zh-nr", True))
                skip = k + (2 if len(name) > len(tok) else 1)
        return out

    # ------------------------------------------------- a description, then the name
    def _is_description(self, text: str, head_start: int) -> bool:
        """Whether the words before a head noun describe a company: ordinary words only, after the generic
        ones (AI, 初创, 美国) are set aside, and something is there."""
        i = head_start
        while i > 0 and head_start - i < 8 and not self.breaks.at(text, i):
            i -= 1
        phrase = text[i:head_start]
        if not phrase:
            return False
        rest = phrase
        for g in self.generic_index.within(phrase):     # in list order: each removal changes the rest
            k = rest.rfind(g)
            if k >= 0:
                rest = rest[:k] + rest[k + len(g):]
        return not rest or (_HAN.fullmatch(rest) is not None and zh_words.is_descriptive(rest))

    def after_descriptions(self, text: str, tokens: list[tuple[int, str]]) -> list[Candidate]:
        """"自动驾驶公司澜舟智行近日……" -> 澜舟智行: the words after a description that are no ordinary words."""
        out = []
        for m in self.heads.finditer(text):
            # the token starting where the head ends (tokens are in order of their distinct starts: by
            # bisection, not a table of every token built per text)
            k = bisect.bisect_left(tokens, m.end(), key=_start)
            if k == len(tokens) or tokens[k][0] != m.end() or not self._is_description(text, m.start()):
                continue
            end, n = m.end(), 0
            while k < len(tokens) and n < 3:
                at, tok = tokens[k]
                if at != end or tok in self.followers or tok[0] in self.stop:
                    break
                if n == 0 and zh_words.frequency(tok) >= 100 and zh_words.tags(tok)[0][1] == "v":
                    break          # "机构估算": a verb after the description, no name
                if _HAN.fullmatch(tok):
                    # one more character after a name's word is its end ("启明" | "芯"), unless a name can stop here
                    tail = len(tok) == 1 and n >= 1 and end - m.end() + 1 <= 4 and tok not in self.stop
                    if (zh_words.is_common(tok) and not tail) or (len(tok) == 1 and n == 0):
                        break
                elif not _LATIN_WORD.fullmatch(tok) or n:
                    break
                end, k, n = end + len(tok), k + 1, n + 1
                if not _HAN.fullmatch(tok) or (len(tok) == 1 and n > 1):
                    break          # a Latin name is one token: "美国音响公司Sonos"; a last character ends it
            if end - m.end() >= 2 and not self.suffix_start.match(text, end) and n \
                    and not _ORDINAL.match(text, m.end()):
                cls = self.suffixes.get(m.group(), "Company")
                out.append(Candidate(m.end(), end, cls, 0.6, "rule:zh-after-description", True))
        return out

    def after_naming_verbs(self, text: str) -> list[Candidate]:
        """"一家名为云迹智能的初创公司" -> 云迹智能: what a naming verb introduces, up to 的; a Product when the
        noun after 的 is a product's ("一款名为 B 的聊天机器人", not "…的机器人公司"), else an Organization."""
        out = []
        for m in self.named.finditer(text):
            name = m.group(1)
            if zh_words.is_common(name) or zh_words.is_descriptive(name) or _FIGURES.fullmatch(name):
                continue
            head = m.group(2)       # the noun after 的 decides: the longest one the phrase ends with
            product = max((len(w) for w in self.product_nouns if head.endswith(w)), default=0)
            org = max((len(w) for w in self.org_nouns if head.endswith(w)), default=0)
            cls = "Product" if product > org else "Organization"
            out.append(Candidate(m.start(1), m.end(1), cls, 0.7, "rule:zh-named", True))
        return out

    # ------------------------------------------- a product's name in quotes
    def quoted_products(self, text: str) -> list[Candidate]:
        """"核心产品是“远屿Drive 2.0”", "推理芯片“青岚Z1”": a short quoted name right after a product noun."""
        out = []
        for m in self.quoted_product.finditer(text):
            name = m.group(1)
            first = zh_words.tags(name)[0][1]
            # "系统“非常好用”": an adverb or adjective first is a quoted opinion, not a name
            if not zh_words.is_descriptive(name) and not _FIGURES.fullmatch(name) \
                    and first not in ("d", "a", "ad", "v", "r", "p", "c"):
                out.append(Candidate(m.start(1), m.end(1), "Product", 0.6, "rule:zh-quoted-product", True))
        return out

    # -------------------------------------------------------------- short forms
    def short_form(self, name: str) -> str | None:
        """The short form a text uses for a company it named with a suffix: 云帆机器人 -> 云帆. None when the
        rest would be an ordinary word (人民 of 人民日报), too short, or the name has no suffix.

        >>> from kg.extract.lexicon import load
        >>> ChineseNames(load()).short_form("云帆机器人"), ChineseNames(load()).short_form("人民日报")
        ('云帆', None)
        """
        m = self.suffix_tail.search(name)
        if not m or m.start() == 0:
            return None
        stem = name[:m.start()]
        if not (2 <= len(stem) <= 4) or not _HAN.fullmatch(stem) or zh_words.is_common(stem) \
                or zh_words.is_descriptive(stem):
            return None
        return stem
