"""``kg_frames``: relations read as frames -> ``doc._.relations`` and ``doc._.frames`` (for ``kg_events``).

Each sentence with a trigger word (``ontologies/lexicon/triggers_{lang}.toml``, found by
:mod:`kg.extract.triggers` in one pass) becomes a :class:`~kg.extract.frame.SentenceView`; the language's
linker (:data:`LINKERS`) reads each hit's arguments; what every frame shares is done here: the ontology's
domain and range, negation, hedges (rumour, plans, talks) and sales in the trigger's clause, the evidence
(rule = trigger id + linking rule), the investee of a round announced before (由 A 领投), pairs for
symmetric relations, and the event frames that ``kg_events`` dates and prices. A language without a
linker is left to ``kg_relations``.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg import vocab
from kg.extract import linking_en, linking_zh
from kg.extract.context import ensure_context
from kg.extract.doctext import (
    doc_text,
    doc_value,
    entities,
    sentences,
    set_doc_value,
    span_value,
)
from kg.extract.events import EventFrame
from kg.extract.frame import (
    PLACEHOLDER,
    Frame,
    Hit,
    NewName,
    SentenceView,
    mask,
    mask_offsets,
)
from kg.extract.lexicon import load
from kg.extract.triggers import cancel_words, index
from kg.model import Evidence, Mention, Relation

# The linker of each language: (view, hit) -> the frames the hit states.
LINKERS: dict[str, Callable[[SentenceView, Hit], Iterable[Frame]]] = {"zh": linking_zh.link, "en": linking_en.link}
# Sentences past these sizes are lists, tables or run-on page text, not statements.
MAX_MENTIONS = 40
MAX_SENTENCE = 1500
# a Chinese sentence no mention stands in is read only this short (characters): two names by their place
BARE_SENTENCE = 40
BARE_LEAD = 12      # ... and only with a trigger word this near its start (a subject of 2-6 characters, adverbs)
# What a noun phrase presupposes ("腾讯CEO马化腾", "客户包括 A"): hedges and negation around it do not touch it.
PRESUPPOSED = ("role-apposition", "role-list")
# how sure a name found only by its place in a frame is
FOUND_CONFIDENCE = 0.7
# A round's investee is the one the text announced at most this many trigger sentences before.
ROUND_REACH = 2
# ... and further when the clause names the round as one already told of ("investors in the round include",
# 本轮): a definite reference reaches back to the latest fundraiser over more sentences.
DEFINITE_REACH = 12
_DEFINITE_ROUND = re.compile(r"\b(?:the|this|that) (?:round|funding round|financing|fundraise|raise)\b|本轮|该轮|此轮|这轮",
                             re.IGNORECASE)
# A round's letter or name read as a name ("B轮", "C+轮", "Pre-A轮") is no argument of any frame,
# nor is a measure ("5MWh", "8GWh", "7nm").
_ROUND_LETTER = re.compile(r"(?:Pre-?)?[A-Z]\+?|Pre-IPO|IPO", re.IGNORECASE)
_MEASURE = re.compile(r"\d[\d.,]*\s?(?:[kKMGT]?Wh?|[KMGT]?B|nm|mAh|[kMG]?Hz|km|kg|mm|%)")


def is_round_letter(span: Span, text: str) -> bool:
    """Whether a mention is the letter of a funding round (the 轮 or "round" after it says so).

    Such a span reaches the frames only when the name finder took it; reading it as an investor would
    make "B 轮" invest in the company."""
    return _round_letter_at(text, span.start_char, span.end_char)


def _round_letter_at(text: str, start: int, end: int) -> bool:
    after = text[end:end + 8].lstrip(" +")
    return (after.startswith("轮") or after[:5].lower() == "round") and bool(
        _ROUND_LETTER.fullmatch(text[start:end].strip()))


def build_view(doc: Doc, sent: Span, mentions: list[Span], text: str, classes: list[str]) -> SentenceView:
    """The sentence as the linkers read it: masked by :func:`kg.extract.frame.mask` (each mention one
    placeholder, Chinese spaces dropped except between Latin words, the article's own private-use characters
    read as U+FFFD), with the mentions' classes."""
    masked = mask(doc, sent, mentions, text)
    return SentenceView(doc.lang_, masked.text, masked.origin, mentions, classes)


_MODIFIER_END = re.compile(r"[^\ue000-\uf8ff，,。;；]{0,12}?的[^\ue000-\uf8ff，,。;；的]{0,8}[\ue000-\uf8ff]")


def _in_modifier(window: str, at: int) -> bool:
    """Whether a cue ending at ``at`` sits in a modifier ending in 的 before a name ("向尚未盈利的 B
    注资": 尚未 describes B, it does not deny the investment)."""
    return bool(_MODIFIER_END.match(window, at))


class _Keys:
    """The (key, class, confidence) lists of a view's mentions (:meth:`FrameExtractor._keys`), each read from
    its span when first asked for: most mentions of a sentence fill no slot."""

    __slots__ = ("got", "mentions", "read")

    def __init__(self, mentions: list[Span], read: Callable[[Span], list]):
        self.mentions, self.read, self.got = mentions, read, {}

    def __getitem__(self, i: int) -> list[tuple[str, str, float]]:
        keys = self.got.get(i)
        if keys is None:
            keys = self.got[i] = self.read(self.mentions[i])
        return keys


class FrameExtractor:
    """The ``kg_frames`` component for one language."""

    def __init__(self, lang: str):
        self.lang = lang
        self.linker = LINKERS.get(lang)
        self.index = index(lang) if self.linker else None
        self._class_map: dict[str, str] | None = None
        cues = load().cues.get(lang, {})
        extra = cancel_words(lang) if self.linker else {}
        self.cue = {kind: re.compile("|".join(map(re.escape, sorted(set(cues[kind]) | set(extra.get(kind, ())),
                                                                     key=lambda w: (-len(w), w)))))
                    for kind in ("negation", "hedge", "sale")} if self.linker else {}
        if self.linker and lang != "zh":     # case-sensitive whole words: "In May" is a month, "may" a hedge
            self.cue = {k: re.compile(rf"(?:^|\b|\s)(?:{rx.pattern})(?:\b|\s|$)") for k, rx in self.cue.items()}

    def __call__(self, doc: Doc) -> Doc:
        """Add the frames' relations to ``doc._.relations`` and their events to ``doc._.frames``."""
        # (doc_value / set_doc_value: doc._.x without an Underscore object per access)
        if doc_value(doc, "relations") is None:
            set_doc_value(doc, "relations", [])
        if doc_value(doc, "used_keys") is None:
            set_doc_value(doc, "used_keys", set())
        set_doc_value(doc, "frames", [])
        set_doc_value(doc, "found", [])
        if self.linker is None:
            return doc
        ctx = ensure_context(doc)
        text = self._text = doc_text(doc)     # Doc.text is rebuilt from the tokens on every access: read it once
        ents = list(entities(doc))       # Span objects built once per Doc, not once per use
        self._seen, self._ents, self._class_map = ctx.seen, ents, None     # the class map is built when needed
        self._doc = doc
        spans = ents + list(doc.spans.get("coref", []))
        # each mention's offsets read once (a Span attribute costs a call), and whether it is a round's letter
        bounds = [(x.start_char, x.end_char) for x in spans]
        letter = [_round_letter_at(text, lo, hi) for lo, hi in bounds]
        # what the sentence patterns read from a round's letter ("A 的 B 轮融资": A owns "B") goes too
        if any(letter[:len(ents)]):
            kb = [e.kb_id_ for e in ents]
            letters = {k for k, x in zip(kb, letter) if x} - {k for k, x in zip(kb, letter) if not x}
            if letters:
                set_doc_value(doc, "relations", [r for r in doc_value(doc, "relations")
                                                 if not {r.subject, r.object} & letters])
                set_doc_value(doc, "investments", [i for i in doc_value(doc, "investments") or []
                                                   if not {i.investor, i.investee} & letters])
        # the mentions that may be arguments, in order (their starts for finding a sentence's by bisection;
        # a stable sort of the indexes keeps the order of sorting the spans)
        # (a measure starts with a digit: the pattern is tried only there)
        first = [lo for lo, _ in bounds]
        keep = [n for n in sorted(range(len(spans)), key=first.__getitem__)
                if not letter[n] and not (text[first[n]].isdigit() and _MEASURE.fullmatch(text, *bounds[n]))]
        arguments = [spans[n] for n in keep]
        starts = [bounds[n][0] for n in keep]
        ends = [bounds[n][1] for n in keep]
        cands = []                  # the sentences that may state a frame: some mentions, not too long
        # (a short Chinese sentence with none may hold two names read by their place: "曜石智联收购了星途智驾")
        zh = doc.lang_ == "zh"
        for sent in sentences(doc):
            lo_m = bisect.bisect_left(starts, sent.start_char)
            hi_m = bisect.bisect_left(starts, sent.end_char)
            n = hi_m - lo_m
            if (0 < n <= MAX_MENTIONS or n == 0 and zh and sent.end_char - sent.start_char <= BARE_SENTENCE) \
                    and sent.end - sent.start <= MAX_SENTENCE:     # tokens
                cands.append((sent, lo_m, hi_m))
        # one pass of the trigger automaton over the paragraph says which of them hold a trigger word
        has_hit = self.index.spans_with_hits(text, [(s.start_char, s.end_char) for s, _, _ in cands])
        relations, frames, used, found = [], [], set(), []
        for (sent, lo_m, hi_m), trigger_word in zip(cands, has_hit):
            if not trigger_word:
                continue                # no trigger word: nothing to link, nothing to pay
            masked, origin = mask_offsets(text, sent.start_char, sent.end_char, starts[lo_m:hi_m], ends[lo_m:hi_m], zh)
            hits = self.index.find(masked)
            if lo_m == hi_m and not any(h.start <= BARE_LEAD for h in hits):
                continue                # a bare sentence states something only with a trigger near its start
            ctx.frame_sentences += 1
            mentions = arguments[lo_m:hi_m]
            classes = [self._class_of_mention(m) for m in mentions]
            view = SentenceView(doc.lang_, masked, origin, mentions, classes,
                                names=[text[a:b] for a, b in zip(starts[lo_m:hi_m], ends[lo_m:hi_m])])
            view.hits = hits
            linked = self._link(view)
            if not linked:
                continue                # no frame: nothing more to read of the sentence
            rels, evs = self._sentence(sent, view, linked, _Keys(mentions, self._keys), text, ctx, found)
            relations += rels
            frames += evs
            used.update(k for r in rels for k in (r.subject, r.object))
        set_doc_value(doc, "relations", list(doc_value(doc, "relations")) + relations)
        set_doc_value(doc, "frames", frames)
        set_doc_value(doc, "found", found)
        set_doc_value(doc, "used_keys", set(doc_value(doc, "used_keys")) | used)
        return doc

    # ------------------------------------------------------------- helpers
    def _class(self, key: str) -> str:
        """The class of an entity key: as the recognizer labelled it here, else as the document saw it."""
        if self._class_map is None:
            self._class_map = {**{s.key: s.cls for s in self._seen}, **{e.kb_id_: e.label_ for e in self._ents}}
        return self._class_map.get(key, "Organization")

    def _class_of_mention(self, span: Span) -> str:
        """The class of a mention: the first class of :meth:`_keys`, without reading its key or confidence."""
        label = span.label_
        if label == "COREF":
            refers = span_value(self._doc, "refers", span.start_char, span.end_char)
            return self._class(refers[0]) if refers else "Organization"
        return label

    def _keys(self, span: Span) -> list[tuple[str, str, float]]:
        """(key, class, confidence) of what a mention stands for (a resolved 双方 stands for two)."""
        label, s, e = span.label_, span.start_char, span.end_char
        if label == "COREF":
            return [(k, self._class(k), 0.7) for k in span_value(self._doc, "refers", s, e)]
        return [(span.kb_id_, label, span_value(self._doc, "confidence", s, e))]

    def _sentence_org(self, view: SentenceView, keys: list, frame: Frame) -> str | None:
        """The first organization named before a title in its own sentence ("Brannock is Tarnwell's CEO;
        Dunmore serves as chief scientist"; "B was founded by A, who remains chief executive")."""
        for i, cls in enumerate(view.classes):
            at = view.text.find(chr(PLACEHOLDER + i))
            if 0 <= at < frame.hit.start and i not in frame.subjects and vocab.top_class(cls) == "Organization" \
                    and len(keys[i]) == 1:
                return keys[i][0][0]
        return None

    def _args(self, view: SentenceView, keys: list, idxs) -> list[tuple[str, str, float]]:
        """(key, class, confidence) of a frame's arguments; a name found by its place is keyed by its text."""
        out = []
        for i in idxs:
            if isinstance(i, NewName):
                out.append((self._name(view, i), i.cls, FOUND_CONFIDENCE))
            else:
                out += keys[i]
        return out

    def _name(self, view: SentenceView, n: NewName) -> str:
        """The text of a name found by its place, read from the document (it may run over a mention)."""
        return self._text[view.origin[n.start]:view.origin[n.end - 1] + 1]

    def _found(self, view: SentenceView, frame: Frame, offset: int) -> list[Mention]:
        """The names a frame found by their place, as document mentions."""
        return [Mention(offset + view.origin[n.start], offset + view.origin[n.end - 1] + 1, self._name(view, n),
                        n.cls, self._name(view, n), "rule:frame-slot", FOUND_CONFIDENCE)
                for n in (*frame.subjects, *frame.objects, *frame.pairs) if isinstance(n, NewName)]

    def _cancelled(self, view: SentenceView, frame: Frame) -> bool:
        """A negation or hedge from a little before the frame's first argument to its trigger; a sale
        anywhere in the clause of an investment."""
        t = frame.hit.trigger
        text, (lo, hi) = view.text, frame.clause
        places = [i.start if isinstance(i, NewName) else view.text.find(chr(PLACEHOLDER + i))
                  for i in (*frame.subjects, *frame.objects, *frame.pairs)]
        first = min([frame.hit.start, *[p for p in places if p >= 0]])
        window = text[max(lo, first - 10):max(frame.hit.end, first)]
        if not frame.rule.endswith(PRESUPPOSED):
            for kind in ("negation", "hedge"):      # (plain loops: no generator per frame)
                for m in self.cue[kind].finditer(window):
                    if not _in_modifier(window, m.end()):
                        return True
        return t.relation == "investsIn" and bool(self.cue["sale"].search(text[lo:hi]))

    def _link(self, view: SentenceView) -> list[tuple[Frame, bool]]:
        """What the view's hits state, in order: each frame, and whether a negation, hedge or sale cancels it
        (which reads the view alone too)."""
        return [(frame, self._cancelled(view, frame)) for hit in view.hits for frame in self.linker(view, hit)]

    def _sentence(self, sent, view, linked, keys, text, ctx, found):
        rels: dict[tuple, Relation] = {}
        events = []
        doc_sent = (sent.start_char, sent.end_char)
        base = {"sentence": sent.text, "start": ctx.offset + sent.start_char, "end": ctx.offset + sent.end_char,
                "lang": self.lang}
        for frame, cancelled in linked:
            t = frame.hit.trigger
            if cancelled:
                continue
            subjects, objects = self._args(view, keys, frame.subjects), self._args(view, keys, frame.objects)
            clause = (view.origin[frame.clause[0]] if frame.clause[0] < len(view.origin) else sent.end_char,
                      view.origin[frame.clause[1] - 1] + 1 if frame.clause[1] > 0 else sent.start_char)
            if frame.rule.endswith("raise"):
                org = next((o for o in objects if vocab.top_class(o[1]) == "Organization"), None)
                if org is not None:
                    ctx.fundraiser, ctx.fundraiser_at = org[0], ctx.frame_sentences
                    events.append(EventFrame("Raise", (), org[0], doc_sent, clause, self._evidence(
                        base, frame, view, text, 0.0)))
                continue
            if frame.rule.endswith(("role-topic", "role-topic-holder")) and not (objects and subjects):
                # "公司创始人 A", "核心客户包括 A": the organization the text is about
                org = ctx.main_subject(("Organization",), ctx.offset + sent.start_char)
                if frame.rule == "en.role-topic" and subjects:
                    # "Brannock is chief executive": of the company the text said she founded, else of
                    # one named before the title in its sentence, else of what the text is about
                    person = subjects[0][0]     # written in full or by the surname alone
                    org = ctx.founder_of.get(person) or next(
                        (o for p, o in ctx.founder_of.items() if p.split()[-1] == person), None) \
                        or self._sentence_org(view, keys, frame) or org
                if org is None:
                    continue
                topic = [(org, self._class(org), 0.7)]
                subjects, objects = (subjects, topic) if not objects else (topic, objects)
            from_round = False
            if frame.rule.endswith("round") and not objects:
                reach = DEFINITE_REACH if _DEFINITE_ROUND.search(view.text, *frame.clause) else ROUND_REACH
                if t.relation != "investsIn" or ctx.fundraiser is None \
                        or ctx.frame_sentences - ctx.fundraiser_at > reach:
                    continue
                objects, from_round = [(ctx.fundraiser, self._class(ctx.fundraiser),
                                        0.7)], True
            if t.symmetric and frame.pairs:       # the members of one coordination, every pair
                members = self._args(view, keys, frame.pairs)
                pairs = [(a, b) for i, a in enumerate(members) for b in members[i + 1:]]
            elif t.symmetric and not objects:
                pairs = [(a, b) for i, a in enumerate(subjects) for b in subjects[i + 1:]]
            else:
                pairs = [(a, b) for a in subjects for b in objects]
            kept = []
            for a, b in pairs:
                if a[0] == b[0] or not vocab.fits(t.relation, a[1], b[1]):
                    continue
                conf = round(t.conf * min(1.0, 0.6 + 0.4 * min(a[2], b[2])), 3)
                ev = self._evidence(base, frame, view, text, conf)
                key = (a[0], t.relation, b[0])
                if key not in rels or rels[key].evidence.confidence < conf:
                    rels[key] = Relation(a[0], t.relation, b[0], ev)
                kept.append((a, b, ev))
            if t.relation == "founded":
                for a, b, _ in kept:
                    ctx.founder_of.setdefault(a[0], b[0])
            if kept:
                found += self._found(view, frame, ctx.offset)
            if t.relation == "investsIn" and not from_round and len({b[0] for _, b, _ in kept}) == 1:
                # the investee is raising money: a later "B 跟投" in the text joins its round
                ctx.fundraiser, ctx.fundraiser_at = kept[0][1][0], ctx.frame_sentences
            if t.event and kept:
                for obj in dict.fromkeys(b[0] for _, b, _ in kept):
                    subs = tuple(dict.fromkeys(a[0] for a, b, _ in kept if b[0] == obj))
                    events.append(EventFrame(t.event, subs, obj, doc_sent, clause, kept[0][2], from_round))
        return list(rels.values()), events

    @staticmethod
    def _evidence(base: dict, frame: Frame, view: SentenceView, text: str, conf: float) -> Evidence:
        h = frame.hit
        trigger = text[view.origin[h.start]:view.origin[h.end - 1] + 1]
        return Evidence(rule=f"{h.trigger.id}/{frame.rule}", trigger=trigger, confidence=conf, **base)


@Language.factory("kg_frames", requires=["doc.ents", "doc.spans"],
                  assigns=["doc._.relations", "doc._.frames", "doc._.used_keys", "doc._.found"])
def make_frame_extractor(nlp: Language, name: str):
    """spaCy factory of :class:`FrameExtractor` for the pipeline's language."""
    return FrameExtractor(nlp.lang)
