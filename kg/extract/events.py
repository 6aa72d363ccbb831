"""``kg_events``: the amount, currency, date and round of each event frame -> ``doc._.investments`` and
``doc._.acquisitions``.

``kg_frames`` leaves on ``doc._.frames`` every frame that states a relation with an event (a trigger with
``event = "Investment"`` or ``"Acquisition"``). The money and dates found by ``kg_quantities`` inside
the trigger's clause attach to it (an undated one takes its paragraph's year, else the text's own date); an amount that names a round (3 亿元 B 轮融资, a $45 million Series A)
is the round's total, the others what a lone investor put in; several investors with only a total each
get the total as ``round_amount``. A frame whose investee is the round the text last announced
(由 A 领投, B、C 跟投) takes that round's name and total.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.context import ensure_context
from kg.extract.doctext import doc_text, doc_value, entities, set_doc_value, span_value
from kg.extract.lexicon import load
from kg.extract.literals import alternation
from kg.model import Acquisition, Evidence, Investment

# words right after an amount that make it a round's total ("10 亿美元融资", "$1 billion Series C round")
_ROUND_WORD = re.compile(r"^[^,，。;；]*?(?:融资|轮|\bround\b|\bfunding\b|\bfinancing\b|\bseries [a-h]\b|\bseed\b)",
                         re.IGNORECASE)


@dataclass(frozen=True)
class EventFrame:
    """One frame as the events component reads it: who, whom, where (document offsets of the sentence
    and of the trigger's clause, relative to the Doc), and how its investee was found."""

    event: str                  # "Investment" | "Acquisition" | "Raise" (a round announced, no investor yet)
    subjects: tuple[str, ...]   # entity keys: investors / acquirers
    object: str                 # investee / target key
    sent: tuple[int, int]
    clause: tuple[int, int]
    evidence: Evidence
    from_round: bool = False    # the investee is the round the text last announced


def _dated_year(doc) -> int | None:
    """The year of the first full date (year, month and day) of a Doc: a dateline's, usually."""
    values = (span_value(doc, "value", d.start_char, d.end_char) for d in doc.spans.get("date", []))
    return next((v.year for v in values if v.year and getattr(v, "day", None)), None)


class _Amount(NamedTuple):
    """A money span with its stored offsets and value (read once: ``span._`` makes an object per read)."""
    span: object
    offsets: tuple[int, int]
    value: object


class EventReader:
    """The ``kg_events`` component (stateless: what a document said of its rounds lives on ``doc._.context``)."""

    def __init__(self):
        m = load().cues["money"]
        self.not_invested = alternation(m["not_invested"], re.IGNORECASE)
        self.rounds = alternation(sorted(m["rounds_zh"] + m["rounds_en"], key=len, reverse=True), re.IGNORECASE)

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc._.investments`` and ``doc._.acquisitions`` from ``doc._.frames``."""
        ctx = ensure_context(doc)
        # (doc_value / set_doc_value: doc._.x without an Underscore object per access)
        if not doc_value(doc, "frames"):        # nothing to date or price (and Doc.text costs a rebuild of the text)
            set_doc_value(doc, "investments", list(doc_value(doc, "investments") or []))
            set_doc_value(doc, "acquisitions", list(doc_value(doc, "acquisitions") or []))
            if ctx.last_year is None:
                ctx.last_year = _dated_year(doc)
            return doc
        self._text = doc_text(doc)
        # the spans as plain values, built once per Doc (a span group builds its Span objects on every read)
        self._money = [_Amount(x, span_value(doc, "offsets", x.start_char, x.end_char),
                               span_value(doc, "value", x.start_char, x.end_char)) for x in doc.spans.get("money", [])]
        self._dates = [(span_value(doc, "offsets", s, e)[0], span_value(doc, "value", s, e))
                       for s, e in ((d.start_char, d.end_char) for d in doc.spans.get("date", []))]
        self._rounds: dict[tuple[int, int], str | None] = {}
        self._ent_starts = [x.start_char for x in entities(doc)]
        if ctx.last_year is None:       # the text's own date (a dateline): the year of what it does not date
            ctx.last_year = _dated_year(doc)
        investments, acquisitions = list(doc_value(doc, "investments") or []), list(doc_value(doc, "acquisitions") or [])
        frames = doc_value(doc, "frames") or []
        paragraph_year, last_sent = None, None
        by_sent: dict[tuple[int, int], list[EventFrame]] = {}
        for f in frames:
            by_sent.setdefault(f.sent, []).append(f)
        for sent in sorted(by_sent):
            items = by_sent[sent]
            paragraph_year = self._year_before(doc, sent[0], paragraph_year, last_sent)
            last_sent = sent
            for f in items:
                if f.event == "Raise":
                    self._note_round(doc, f)
            investments += self._merge(x for f in items if f.event == "Investment"
                                       for x in self._investments(doc, f, paragraph_year, [
                                           g.clause for g in items if g.subjects != f.subjects]))
            acquisitions += self._merge(x for f in items if f.event == "Acquisition"
                                        for x in self._acquisitions(doc, f, paragraph_year))
        # kg_relations may have read the same event from a sentence pattern: one event per pair and sentence
        set_doc_value(doc, "investments", self._merge(investments))
        set_doc_value(doc, "acquisitions", self._merge(acquisitions))
        return doc

    # ------------------------------------------------------------- helpers
    def _year_before(self, doc, start, year, last_sent):
        """The year the paragraph last named before this sentence (a new paragraph forgets it)."""
        lo = last_sent[0] if last_sent else 0
        if "\n" in self._text[lo:start]:
            year = None
        for at, value in self._dates:
            if lo <= at < start and value.year:
                year = value.year
        return year

    def _amounts(self, sent, lo: int, hi: int, doc):
        """Money spans between lo..hi that are not valuations, revenue or costs."""
        out = []
        for a in self._money:
            (s, e), value = a.offsets, a.value
            if not (lo <= s < hi) or value.amount is None:
                continue
            if self.not_invested.search(self._text[max(sent[0], s - 12):min(sent[1], e + 12)]):
                continue
            out.append(a)
        return out

    def _names_round(self, doc, money) -> bool:
        """Whether a round word follows the amount closely, with no name in between."""
        e = money.offsets[1]
        m = _ROUND_WORD.search(self._text[e:e + 25])
        return bool(m) and not any(e <= s < e + m.start() for s in self._ent_starts)

    def _note_round(self, doc, f: EventFrame) -> None:
        ctx = ensure_context(doc)
        ctx.last_round = self._round_of(f.sent)
        amounts = self._amounts(f.sent, f.sent[0], f.sent[1], doc)
        ctx.last_round_amount = amounts[0].value if len(amounts) == 1 else None

    def _round_of(self, sent: tuple[int, int]) -> str | None:
        """The first round name in the sentence (searched once per sentence, whatever its number of frames)."""
        if sent not in self._rounds:
            r = self.rounds.search(self._text[sent[0]:sent[1]])
            self._rounds[sent] = r.group() if r else None
        return self._rounds[sent]

    def _when(self, doc, f: EventFrame, pos: int, year):
        dates = [d for d in self._dates if f.sent[0] <= d[0] < f.sent[1]]
        best = min(dates, key=lambda d: abs(d[0] - pos), default=None)
        if best is not None and best[1].year:
            return best[1].year, best[1].month
        return year if year is not None else ensure_context(doc).last_year, None

    def _investments(self, doc, f: EventFrame, year, others=()) -> list[Investment]:
        """The events of one frame; ``others`` are the clauses of the sentence's frames of other
        investors, whose amounts are theirs ("A 认购2亿港元，B 认购其余部分": B's is not A's)."""
        ctx = ensure_context(doc)
        investors = sorted(set(f.subjects))
        amounts = self._amounts(f.sent, *f.clause, doc) or (
            [a for a in self._amounts(f.sent, *f.sent, doc)
             if not any(lo <= a.offsets[0] < hi for lo, hi in others)] if len(investors) == 1 else [])
        round_name = self._round_of(f.sent) or (ctx.last_round if f.from_round else None)
        round_totals = [a for a in amounts if self._names_round(doc, a)]
        stakes = [a for a in amounts if a not in round_totals]
        out = []
        if len(investors) == 1 and stakes:
            for a in stakes:
                y, mo = self._when(doc, f, a.offsets[0], year)
                out.append(Investment(investors[0], f.object, f.evidence, a.value.amount, a.value.currency,
                                      y, mo, round_name))
            return out
        totals = round_totals + stakes
        total = totals[0].value if len(totals) == 1 else None
        if total is None and f.from_round and ctx.last_round_amount is not None:
            total = ctx.last_round_amount
        y, mo = self._when(doc, f, totals[0].offsets[0] if len(totals) == 1 else f.clause[0], year)
        for inv in investors:
            out.append(Investment(inv, f.object, f.evidence, None, total.currency if total else None, y, mo,
                                  round_name, total.amount if total else None))
        return out

    def _acquisitions(self, doc, f: EventFrame, year) -> list[Acquisition]:
        prices = self._amounts(f.sent, *f.clause, doc)
        price = prices[0].value if len(prices) == 1 else None
        y, mo = self._when(doc, f, prices[0].offsets[0] if len(prices) == 1 else f.clause[0], year)
        return [Acquisition(buyer, f.object, f.evidence, price.amount if price else None,
                            price.currency if price else None, y, mo) for buyer in sorted(set(f.subjects))]

    @staticmethod
    def _merge(events) -> list:
        """One event per pair and sentence: two triggers of one sentence (领投 … 融资) state one event;
        the reading that says most (an amount, a total, a round) wins, the first on a tie."""
        best: dict = {}
        for e in events:
            pair = (e.investor, e.investee) if isinstance(e, Investment) else (e.acquirer, e.target)
            key = (pair, e.evidence.start, getattr(e, "amount", None) or getattr(e, "price", None))
            info = sum(getattr(e, a, None) is not None for a in ("amount", "round_amount", "round", "price", "year"))
            if key not in best or info > best[key][0]:
                best[key] = (info, e)
        # the reading without an amount goes when the same pair has one with it in that sentence
        with_amount = {(k[0], k[1]) for k in best if k[2] is not None}
        return [e for k, (_, e) in best.items() if k[2] is not None or (k[0], k[1]) not in with_amount]


@Language.factory("kg_events", requires=["doc._.frames"], assigns=["doc._.investments", "doc._.acquisitions"])
def make_event_reader(nlp: Language, name: str):
    """spaCy factory of :class:`EventReader`."""
    return EventReader()
