"""``kg_entities``: gazetteer names plus name rules -> ``doc.ents``.

Matching is done on characters, not tokens (:mod:`kg.extract.gazetteer` and the name rules): jieba keeps
``微软公司`` or ``AzureOpenAI`` as one token, so the component splits tokens at entity boundaries itself
(``retokenize().split``) instead of changing jieba's process-global dictionary. Each entity span carries its class as ``label_``, the canonical entity key as
``kb_id_``, and ``span._.confidence`` / ``span._.source`` / ``span._.strong``.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from itertools import accumulate, pairwise

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg import vocab
from kg.extract.context import ensure_context
from kg.extract.doctext import (
    doc_text,
    doc_value,
    forget_tokens,
    remember_entities,
    sentences,
    set_doc_value,
    token_table,
)
from kg.extract.gazetteer import GazetteerMatcher
from kg.extract.lexicon import Lexicon, load
from kg.extract.names import Candidate, NameRules
from kg.extract.names_en import EnglishNames
from kg.extract.names_zh import ChineseNames
from kg.extract.sentences import CLOSERS, mark_sentences
from kg.extract.sentences import CUES as _SENTENCE_CUES

# vocab.top_class walks the class's superclasses; asked twice for every gazetteer name found, about a few
# dozen classes
_top_class = lru_cache(maxsize=None)(vocab.top_class)
_LEGAL_EN = re.compile(r",? (?:Inc\.?|Corp\.?|Corporation|Co\.|Ltd\.?|LLC|PLC|plc|Holdings?|Group|AG|SE|N\.V\.|S\.A\.)")
# after a product name: a version ("3", "4o", "Pro", "H200") or capitalized name words ("AI", "Studio")
_PRODUCT_TAIL = re.compile(r"[ -]?((?:\d[\w.]{0,3}(?!,\d)|Pro|Max|Ultra|Mini|mini|Turbo|Plus|Flash|Lite|Nano|AI|[A-Z][a-z]+[A-Z]\w*)"
                           r"(?: (?:\d[\w.]*|Pro|Max|Ultra|Mini|mini|Turbo|Plus|Flash|Lite|Nano))*)(?![\w-])")


def entity_key(name: str) -> str:
    """The key of a name no gazetteer knows: spaces collapsed, and dropped next to Chinese characters.

    >>> entity_key("Edwin  Marlow"), entity_key("北京 月之暗面")
    ('Edwin Marlow', '北京月之暗面')
    """
    return _SPACE_BY_HAN.sub("", _SPACES.sub(" ", name).strip())


_SPACES = re.compile(r"\s+")
_SPACE_BY_HAN = re.compile(r"(?<=[\u4e00-\u9fff]) | (?=[\u4e00-\u9fff])")


def _select(cands: list[tuple[int, int, int, object]]) -> list[tuple[int, int, int, object]]:
    """Greedy non-overlapping selection: higher priority first, then longer, then earlier."""
    chosen, taken = [], []      # taken: the chosen (start, end) in order; they never overlap, so their ends
    #                             rise with their starts too
    # sorted on decorated tuples, the index last keeping ties in input order as a stable sort does (no key
    # function call per candidate)
    for *_, i in sorted([(-c[2], c[0] - c[1], c[0], i) for i, c in enumerate(cands)]):
        c = cands[i]
        # the one chosen span that can overlap c is the last one starting before c ends
        k = bisect.bisect_left(taken, (c[1], -1))
        if not k or taken[k - 1][1] <= c[0]:
            chosen.append(c)
            bisect.insort(taken, (c[0], c[1]))
    return sorted(chosen, key=lambda c: c[0])


def split_tokens_at(doc: Doc, offsets: set[int]) -> None:
    """Split tokens so that every offset in ``offsets`` is a token boundary."""
    starts, texts, _ = token_table(doc)
    cuts: dict[int, list[int]] = {}
    for o in sorted(offsets):
        k = bisect.bisect_right(starts, o) - 1       # the token that holds offset o
        if k >= 0 and starts[k] < o < starts[k] + len(texts[k]):
            cuts.setdefault(k, []).append(o - starts[k])
    if not cuts:
        return
    split = {k: [texts[k][a:b] for a, b in pairwise([0, *at, len(texts[k])])] for k, at in cuts.items()}
    # The sentence rules (kg.extract.sentences) read enders, line breaks and closing quotes: when no piece holds
    # one, the flags are the ones already set, each split token's first piece keeping its token's and the
    # others no start; else every flag is set again by the rules.
    keep = not any(_SENTENCE_CUES.search(p) or p in CLOSERS for pieces in split.values() for p in pieces)
    flags = doc.to_array(SENT_START).astype("int64") if keep else None
    with doc.retokenize() as retok:
        for k, pieces in split.items():
            tok = doc[k]
            retok.split(tok, pieces, heads=[(tok, 0)] * len(pieces))
    forget_tokens(doc)
    if flags is None:
        mark_sentences(doc)     # split tokens come back with no sentence flag; set every flag again
        return
    at = [k + 1 for k, pieces in split.items() for _ in pieces[1:]]
    flags = numpy.insert(flags, at, -1)
    doc.from_array([SENT_START], flags.reshape(len(flags), 1).astype("uint64"))


# the first item of the key under which spaCy's Underscore keeps a span extension's value in doc.user_data
# (("._.", name, start_char, end_char)); tests/extract/test_pipeline.py checks span._ reads it back
_EXT_KEY = "._."

_NAME_PARTS = re.compile(r"[·•‧・ ]")       # the parts of a full name: "亚历克斯·莫兰", "Edwin Marlow"
# a capitalized word opening a paragraph or following a sentence's end
_SENTENCE_INITIAL = re.compile(r"(?:^|(?<=[.!?])[\"”’)]?\s+|\n\s*)([A-Z][\w\-]{2,})(?![\w\-])")


class _Covers:
    """Whether a span lies inside a longer one of a fixed set, in O(log n): the spans sorted by start with the
    running maximum of their ends (looking through every span for every recurring name was quadratic)."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.max_end = list(accumulate([e for _, e in spans], max))
        # start -> the furthest end of a span starting there: the last of its spans in sorted order
        self.ends_at: dict[int, int] = dict(spans)

    def inside(self, s: int, e: int) -> bool:
        """Some span (a, b) with a <= s, e <= b and (a, b) != (s, e)."""
        k = bisect.bisect_left(self.starts, s)         # spans starting before s
        if k and self.max_end[k - 1] >= e:
            return True
        return self.ends_at.get(s, -1) > e


def _keys_in(index: dict[str, list[str]], text: str):
    """The two-character keys of ``index`` that occur in ``text``: with few keys a substring search each (C
    speed), with many the set of the text's character pairs."""
    if len(index) * 8 < len(text):
        return [key for key in index if key in text]
    return {text[i:i + 2] for i in range(len(text) - 1)} & index.keys()


class EntityRecognizer:
    """The ``kg_entities`` component: gazetteer names, name rules and a trained model's names (if any) ->
    ``doc.ents``. Reads ``doc._.headline`` (set by :class:`kg.extract.document.Extractor`) and the names the
    document has shown so far from ``doc._.context``; keeps no state of its own between documents."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.gazetteer = GazetteerMatcher(lex)
        self.rules = NameRules(lex)
        self.en_names = EnglishNames(lex)
        self.zh_names = ChineseNames(lex)
        zh_suffixes = sorted(lex.cues["zh"]["org_suffixes"], key=len, reverse=True)
        # "Paris AI startup", "Nvidia AI": a suffix that is also a modifier does not make a new name
        self._modifier_suffixes = frozenset(lex.cues["en"]["modifier_suffixes"])
        self._legal_tail = re.compile("(?:" + "|".join(map(re.escape, zh_suffixes)) + r")+$")

    def candidates(self, doc: Doc) -> list[tuple[int, int, int, object]]:
        """Every possible name in ``doc``: (start, end, priority, gazetteer entry or rule Candidate)."""
        text = doc_text(doc)
        entry = self.gazetteer.entry
        gaz = [(s, e, 3, entry(name)) for s, e, name in self.gazetteer(text)]
        if doc.lang_ == "zh":
            tokens = list(zip(*token_table(doc)[:2]))
            ends = frozenset(i + len(w) for i, w in tokens)
            rules = self.rules.chinese(text, ends) + self.rules.chinese_tokens(text, tokens) \
                + self.zh_names.people(text, tokens) + self.zh_names.after_descriptions(text, tokens) \
                + self.zh_names.quoted_products(text) + self.zh_names.after_naming_verbs(text)
        else:
            starts = {s.start_char for s in sentences(doc)} if doc.has_annotation("SENT_START") else {0}
            rules = self.en_names.english(text, starts, headline=bool(doc_value(doc, "headline")))
        gaz = self._extend_products(text, gaz)
        for span in doc.spans.get("model", []):     # a trained model's names (kg build --model)
            s, e = span._.offsets
            rules.append(Candidate(s, e, span.label_, 0.6, "model", True))
        set_doc_value(doc, "compounds", self._compounds(text, gaz))
        out = list(gaz)
        # gazetteer names come in order of their (distinct) starts: the ones inside a rule's span start in
        # [r.start, r.end), found by bisection instead of a look at every name for every rule
        gaz_starts = [g[0] for g in gaz]
        for r in rules:
            inner = [g for g in gaz[bisect.bisect_left(gaz_starts, r.start):bisect.bisect_left(gaz_starts, r.end)]
                     if g[1] <= r.end and (g[0], g[1]) != (r.start, r.end)]
            if len(inner) == 1 and self._same_thing(text, r, inner[0]):
                # "微软公司", "北京月之暗面科技有限公司": the gazetteer name plus a place and a legal suffix.
                # Two rules may extend the same name ("英伟达有限公司" and "英伟达有限公司公司"): the first took it.
                if inner[0] in out:
                    out.remove(inner[0])
                out.append((r.start, r.end, 4, inner[0][3]))
            elif r.source == "rule:en-org-suffix" and inner and (len(text[r.start:r.end].split()) >= 3 or (
                    len(inner) == 1 and inner[0][0] == r.start and inner[0][1] < r.end
                    and text[r.start:r.end].split()[-1] not in self._modifier_suffixes)):
                # "Fidelity Management & Research Company" is more than "Fidelity": a name of its own
                out.append((r.start, r.end, 4, r))
            elif r.source.endswith("org-suffix") and inner and inner[-1][1] < r.end \
                    and text[r.start:r.end].split()[-1] not in self._modifier_suffixes and all(_top_class(g[3].cls) == "Place" for g in inner):
                # "Boston Dynamics", "Nevada Energy": a suffix after a place names a company, not the place
                out.append((r.start, r.end, 4, r))
            else:
                # a name read from jieba's tag yields to a name some other rule found at the same place
                # (云帆 after 云帆机器人 is the company, not a person named 云帆)
                out.append((r.start, r.end, 1.5 if r.source == "rule:zh-nr" else 2 if r.strong else 1, r))
        return out

    def _extend_products(self, text: str, gaz: list) -> list:
        """A known product followed by a version or more name words is a product of its own:
        "Grok 3", "Azure AI" (not Grok, not Azure)."""
        out = []
        for s, e, prio, entry in gaz:
            m = _PRODUCT_TAIL.match(text, e) if _top_class(entry.cls) == "Product" else None
            if m and not any(g[0] == m.start(1) for g in gaz):
                out.append((s, m.end(), 5, Candidate(s, m.end(), entry.cls, 0.7, "rule:product-version", True)))
                continue
            out.append((s, e, prio, entry))
        return out

    def _compounds(self, text: str, gaz: list) -> list[tuple[str, str, int, int]]:
        """"英伟达H20", "Nvidia Hopper": an organization's name right before a product's names the maker."""
        out = []
        by_start = {g[0]: g for g in gaz}
        for s, e, prio, entry in gaz:
            if not hasattr(entry, "key") or _top_class(entry.cls) != "Organization":
                continue
            nxt = by_start.get(e) or by_start.get(e + 1) if text[e:e + 1] in ("", " ") or e in by_start else None
            if nxt and hasattr(nxt[3], "key") and _top_class(nxt[3].cls) == "Product":
                out.append((entry.key, nxt[3].key, s, nxt[1]))
        return out

    def _known_again(self, doc: Doc, out: list) -> list:
        """Names a rule found once (here or in an earlier paragraph) are names wherever they recur in the
        document: "林思远创办的……" after "林思远是……". Remembered on the document context."""
        ctx = ensure_context(doc)
        known = ctx.known
        # The names pile up over a long document; looking for each one in every window made long texts
        # quadratic. An index by first two characters finds the few that can occur in this window.
        index = ctx.__dict__.setdefault("_known_by_start", {})
        order = ctx.__dict__.setdefault("_known_order", {})
        text = doc_text(doc)

        def remember(name: str, what) -> None:
            if name not in known:
                known[name] = what
                order[name] = len(order)
                index.setdefault(name[:2], []).append(name)

        full_names = ctx.short_of
        # jieba's person tags last: a company's short form (云帆 of 云帆机器人) is not a person's name
        strong = [c for c in out if isinstance(c[3], Candidate) and c[3].strong and c[1] - c[0] >= 2]
        for s, e, prio, what in [c for c in strong if c[3].source != "rule:zh-nr"] \
                + [c for c in strong if c[3].source == "rule:zh-nr"]:
            name = text[s:e]
            remember(name, what)
            short = self.zh_names.short_form(name) if what.source == "rule:zh-org-suffix" else None
            if short and short not in known:
                # "云帆机器人 …… 云帆表示": the short form names the same company
                full_names[short] = entity_key(name)
                remember(short, what)
            if what.cls == "Person":
                # the surname alone comes back later ("莫兰" after "亚历克斯·莫兰", "Marlow" after
                # "Edwin Marlow"); kg.extract.document folds it into the full name
                last = _NAME_PARTS.split(name)[-1]
                if last != name and len(last) >= 2:
                    remember(last, what)
        # a capitalized word with no cue, seen inside a sentence, is the same name where a sentence
        # starts with it ("… of Quorvex. … Quorvex has 400 staff"): still a weak name
        weak = ctx.weak_known
        for s, e, prio, what in out:
            if isinstance(what, Candidate) and not what.strong and what.source == "rule:capitalized" \
                    and e - s >= 3 and " " not in text[s:e]:
                weak.setdefault(text[s:e], what)
        if weak:
            taken = {c[0] for c in out}
            all_covers = _Covers([(c[0], c[1]) for c in out])
            for m in _SENTENCE_INITIAL.finditer(text):       # one pass: only sentence starts need it
                w = weak.get(m.group(1))
                if w is not None and m.start(1) not in taken and not all_covers.inside(m.start(1), m.end(1)):
                    out.append((m.start(1), m.end(1), 1, Candidate(m.start(1), m.end(1), w.cls, w.conf, w.source, False)))
        names = sorted((n for key in _keys_in(index, text) for n in index[key]), key=order.__getitem__)
        extra = []
        covers = _Covers([(c[0], c[1]) for c in out if c[2] >= 2])
        for name in names:           # in the order they became known, as before
            what = known[name]
            s = text.find(name)
            while s != -1:
                e = s + len(name)
                # never a piece of a longer name found here ("云帆" inside "云帆机器人")
                inside = covers.inside(s, e)
                if (not name.isascii() or GazetteerMatcher._bounded(text, s, e)) and not inside:
                    extra.append((s, e, 2.5, Candidate(s, e, what.cls, what.conf, "rule:known-name", True)))
                s = text.find(name, e)
        return out + extra

    def _same_thing(self, text: str, rule: Candidate, g) -> bool:
        if rule.source == "rule:en-org-suffix" and g[0] == rule.start:
            return bool(_LEGAL_EN.fullmatch(text[g[1]:rule.end]))     # "BlackRock, Inc."
        if not rule.source.endswith("org-suffix") or not g[3].cls.endswith(("Company", "Organization", "InvestmentFirm")):
            return False
        head, tail = text[rule.start:g[0]], text[g[1]:rule.end]
        head_ok = not head or (self.lex.lookup(head) is not None and self.lex.lookup(head).cls in ("Country", "City", "Place"))
        return head_ok and bool(self._legal_tail.fullmatch(tail) or not tail)

    def __call__(self, doc: Doc) -> Doc:
        """Choose non-overlapping names, split tokens at their edges and set ``doc.ents``."""
        ctx = ensure_context(doc)
        chosen = _select(self._known_again(doc, self.candidates(doc)))
        split_tokens_at(doc, {c[0] for c in chosen} | {c[1] for c in chosen})
        text = doc_text(doc)
        starts, texts, _ = token_table(doc)
        short_of = ctx.short_of
        user_data = doc.user_data
        spans, offsets = [], []
        for s, e, prio, what in chosen:
            # what doc.char_span(s, e) finds: the token starting at s and the one ending at e (tokens are
            # non-empty and in order, so by bisection of their starts)
            start = bisect.bisect_right(starts, s) - 1
            end = bisect.bisect_right(starts, e - 1) - 1
            if start < 0 or starts[start] != s or end < 0 or starts[end] + len(texts[end]) != e:
                continue                          # only whitespace-adjacent oddities; skip rather than guess
            end += 1
            if isinstance(what, Candidate):
                key = entity_key(text[s:e])         # (Span.text would make a Token object per token)
                if what.source == "rule:known-name":
                    key = short_of.get(text[s:e], key)
                span = Span(doc, start, end, label=what.cls, kb_id=key)
                conf, source, strong = what.conf, what.source, what.strong
            else:
                span = Span(doc, start, end, label=what.cls, kb_id=what.key)
                conf, source, strong = 0.95, "gazetteer", True
            # span._.confidence = conf, and so on: spaCy keeps a span's extension values in doc.user_data
            # under these keys; an Underscore object and three checked setattr calls per span cost more
            user_data[_EXT_KEY, "confidence", s, e] = conf
            user_data[_EXT_KEY, "source", s, e] = source
            user_data[_EXT_KEY, "strong", s, e] = strong
            spans.append(span)
            offsets.append((s, e))
        _link_appositions(doc, spans, offsets)
        doc.set_ents(spans)             # what doc.ents = spans does, without building every Span again
        remember_entities(doc, spans)   # ... and what doc.ents would build again from them
        return doc


def _link_appositions(doc: Doc, spans: list[Span], offsets: list[tuple[int, int]] | None = None) -> None:
    """"A(B)" names one thing twice: give both spans one key (the gazetteer's when it knows either).
    ``offsets``: the spans' (start_char, end_char), when the caller has them (a Span attribute read is a call)."""
    text = doc_text(doc)
    if offsets is None:
        offsets = [(x.start_char, x.end_char) for x in spans]
    for (a, (_, a_end)), (b, (b_start, b_end)) in pairwise(zip(spans, offsets)):
        if text[b_end:b_end + 1] not in (")", "）"):
            continue            # (most pairs: tested before the text between is sliced)
        between = text[a_end:b_start]
        if between.strip() in ("(", "（") and a.label_ != "Person" \
                and (a._.source == "gazetteer") + (b._.source == "gazetteer") < 2:
            key, cls = (b.kb_id_, b.label_) if b._.source == "gazetteer" else (a.kb_id_, a.label_)
            for s in (a, b):
                s.kb_id_ = key
                s.label_ = cls
                s._.strong = True


@Language.factory("kg_entities", requires=["token.is_sent_start"], retokenizes=True,
                  assigns=["doc.ents", "span._.confidence", "span._.source", "span._.strong", "doc._.compounds",
                           "doc._.context"])
def make_entity_recognizer(nlp: Language, name: str):
    """spaCy factory of :class:`EntityRecognizer` over the project's lexicon."""
    return shared_recognizer(load())


_SHARED: dict[int, tuple[Lexicon, EntityRecognizer]] = {}


def shared_recognizer(lex: Lexicon) -> EntityRecognizer:
    """One :class:`EntityRecognizer` per lexicon for every pipeline of the process (the zh and the en one):
    it keeps no state between documents, and building its tables twice doubled its part of a cold start.
    The lexicon is kept with it, so its id cannot come back for another one."""
    got = _SHARED.get(id(lex))
    if got is None or got[0] is not lex:
        got = _SHARED[id(lex)] = (lex, EntityRecognizer(lex))
    return got[1]
