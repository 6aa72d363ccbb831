"""``kg_relations``: relation patterns over sentences -> ``doc._.relations`` and ``doc._.investments``.

Each sentence is *masked*: every entity mention (and every resolved 双方 / the company) becomes one
private-use character, so a pattern such as ``{S}对{O}进行了{g}投资`` is a plain regular expression over
the sentence (see ``ontologies/lexicon/relations.toml``). Clause breaks bound the gaps, so a pattern only
relates what one clause says; negation, hedges and sales around a match cancel it; the ontology's domain
and range drop pairs of the wrong classes (a country is never an investee).
"""
from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg import vocab
from kg.extract.context import ensure_context
from kg.extract.coref import AGENTS, is_subject_position
from kg.extract.doctext import (
    doc_text,
    doc_value,
    entities,
    sentences,
    set_doc_value,
    span_value,
)
from kg.extract.frame import PLACEHOLDER as PUA
from kg.extract.frame import Masked, mask
from kg.extract.lexicon import Lexicon, Pattern, load
from kg.extract.literals import alternation
from kg.extract.relation_patterns import (
    ITEM,
    SEP,
    compile_pattern,
    opening_verb,
    partner_cut,
    partner_verbs,
    pattern_needs,
    relative_clause,
)
from kg.extract.triggers import load_triggers
from kg.model import Evidence, Investment, Relation

# Sentences past these sizes are lists, tables or run-on page text; clause patterns cannot read them and
# their regular-expression lists would cost quadratic time.
MAX_MENTIONS = 40
MAX_SENTENCE = 1500
_POSSESSIVE_AFTER = re.compile(r"^(?:的|['’]s? )(?=[\ue000-\uf8ff])")


def class_allowed(cls: str, allowed: frozenset[str] | None) -> bool:
    """A pattern's class list: a name admits that class and its subclasses, "=Name" only that class.

    >>> class_allowed("CloudService", frozenset({"Organization", "CloudService"}))
    True
    >>> class_allowed("CloudService", frozenset({"AIModel", "=Product"}))
    False
    """
    if not allowed:
        return True
    return cls in {c[1:] for c in allowed if c.startswith("=")} or bool(vocab.superclasses(cls) & allowed)


class RelationExtractor:
    def __init__(self, lex: Lexicon, lang: str | None = None):
        self.lex = lex
        # only this pipeline's language; who is raising money is read before the patterns that need it,
        # whatever the file order
        self.patterns = sorted((p for p in lex.patterns if lang is None or p.lang == lang),
                               key=lambda p: p.relation != "fundraiser")
        # compiling a pattern is costly (most of a pipeline's start-up): each is compiled when a sentence
        # first holds the words it needs, which some texts never do
        self._compiled: dict[int, re.Pattern] = {}
        # per language: (index, fewest names, the searches for its words) of each pattern, in order
        self._tests: dict[str, list] = {}
        for i, p in enumerate(self.patterns):
            self._tests.setdefault(p.lang, []).append((i, p.min_mentions, pattern_needs(p)))
        self.cue = {}
        for cue_lang in ("zh", "en"):
            c = lex.cues[cue_lang]
            for kind in ("negation", "hedge", "sale"):
                words = sorted(c[kind], key=len, reverse=True)
                alt = "|".join(re.escape(w) for w in words)
                # case-sensitive: "In May 2024" is a month, "may" a hedge
                self.cue[cue_lang, kind] = re.compile(alt if cue_lang == "zh" else rf"(?:^|\b|\s)(?:{alt})(?:\b|\s|$)")
            self.cue[cue_lang, "breaks"] = set(c["clause_breaks"])
        self._list_tail = {lang: re.compile(f"{ITEM}{SEP[lang]}$") for lang in SEP}
        # Chinese possessives only (see _object_list): the verbs of kg.extract.triggers before which 与/和
        # marks a partner (the symmetric ones), and those that can open a relative clause
        verbs = [t for t in load_triggers("zh") if t.kind == "verb"] if lang in (None, "zh") else []
        self._partner_verb = partner_verbs(t for t in verbs if t.symmetric)
        self._opening_verb = opening_verb(verbs)
        self._round_word = re.compile(r"^[^,，。;；]*?(?:融资|轮|\bround\b|\bfunding\b|\bfinancing\b)", re.IGNORECASE)
        m = lex.cues["money"]
        self.not_invested = alternation(m["not_invested"], re.IGNORECASE)
        self.rounds = alternation(sorted(m["rounds_zh"] + m["rounds_en"], key=len, reverse=True), re.IGNORECASE)

    # ----------------------------------------------------------------- helpers
    def _keys(self, masked: Masked, group: str) -> list[tuple[str, str, float]]:
        """(key, class, confidence) for each mention placeholder in a matched group."""
        out = []
        for i, ch in enumerate(group):
            if PUA <= ord(ch) <= 0xF8FF:
                if _POSSESSIVE_AFTER.match(group[i + 1:]):
                    continue        # an owner named on the way to the object
                span = masked.mentions[ord(ch) - PUA]
                if span.label_ == "COREF":
                    for k in span._.refers:
                        out.append((k, self._class_of.get(k, "Organization"), 0.7))
                else:
                    out.append((span.kb_id_, span.label_, span._.confidence))
        return out

    def _window_has(self, masked: Masked, m: re.Match, lang: str, kind: str) -> bool:
        """A negation / hedge / sale cue in the matched clause, from a little before the match to its end."""
        breaks = self.cue[lang, "breaks"]
        start = m.start()
        lo = start
        reach = 10 if lang == "zh" else 30      # a little before the match, never past a clause break
        while lo > 0 and start - lo < reach and masked.text[lo - 1] not in breaks:
            lo -= 1
        window = masked.text[lo:m.end()]
        return bool(self.cue[lang, kind].search(window))

    def _topic(self, doc: Doc, masked: Masked, m: re.Match, sent: Span,
               need_subject: bool = True) -> list[tuple[str, str, float]]:
        """The agent the clause is about: the nearest preceding named agent (a subject, unless
        ``need_subject`` is false as for "its"), else the previous sentences' last subject."""
        if not need_subject:     # "its": the clause's subject if it has one, else the nearest agent
            for ch in masked.text[:m.start()]:
                if PUA <= ord(ch) <= 0xF8FF:
                    span = masked.mentions[ord(ch) - PUA]
                    if span.label_ != "COREF" and span._.strong and vocab.top_class(span.label_) in AGENTS \
                            and is_subject_position(self._text, span.start_char, doc.lang_):
                        return [(span.kb_id_, span.label_, span._.confidence)]
        for ch in reversed(masked.text[:m.start()]):
            if PUA <= ord(ch) <= 0xF8FF:
                span = masked.mentions[ord(ch) - PUA]
                if span.label_ == "COREF":
                    return [(k, self._class_of.get(k, "Organization"), 0.7) for k in span._.refers]
                if not span._.strong:
                    continue
                if vocab.top_class(span.label_) in AGENTS and (
                        not need_subject or is_subject_position(self._text, span.start_char, doc.lang_)):
                    return [(span.kb_id_, span.label_, span._.confidence)]
        ctx = ensure_context(doc)
        keys = ctx.recent(AGENTS, ctx.offset + sent.start_char, subject_only=True)
        return [(k, self._class_of.get(k, "Organization"), 0.6) for k in keys]

    def _trigger(self, doc: Doc, masked: Masked, m: re.Match) -> str:
        s = masked.origin[m.start()]
        last = m.end() - 1
        ch = masked.text[last]
        e = masked.mentions[ord(ch) - PUA].end_char if PUA <= ord(ch) <= 0xF8FF else masked.origin[last] + 1
        return self._text[s:e]

    # ----------------------------------------------------------------- matching
    def _can_match(self, text: str, lang: str, names: int) -> list[int]:
        """The patterns (indexes, in order) whose words the sentence holds, for a sentence of ``names`` mentions."""
        squeezed = None
        found: dict[re.Pattern, bool] = {}

        def has(need: tuple[re.Pattern, bool]) -> bool:
            nonlocal squeezed
            rx, single = need
            if rx not in found:
                if single:      # a character is in the text if and only if it is there with its spaces removed
                    found[rx] = rx.search(text) is not None
                else:           # words: in what a masked sentence keeps of the text, its spaces removed
                    squeezed = "".join(text.split()) if squeezed is None else squeezed
                    found[rx] = rx.search(squeezed) is not None
            return found[rx]

        return [i for i, fewest, tests in self._tests.get(lang, ()) if names >= fewest and all(map(has, tests))]

    def _matches(self, rx: re.Pattern, text: str, lang: str, starts: list[int]):
        """Every match, also those starting at each mention; a list slot must take the whole list on
        its left, so "A 与 B 和 C" never yields B as a subject."""
        seen = set()
        left_of_list = self._list_tail[lang]
        # a pattern that begins with a slot can only match where a name is; others are searched for
        found = [rx.match(text, i) for i in starts] if rx.pattern.startswith("(?P<") else list(rx.finditer(text))
        for m in found:
            if m is None or m.span() in seen:
                continue
            seen.add(m.span())
            if any(m.groupdict().get(g) and left_of_list.search(text, 0, m.start(g)) for g in ("S", "P")):
                continue
            yield m

    def __call__(self, doc: Doc) -> Doc:
        ctx = ensure_context(doc)
        self._text = doc_text(doc)      # Doc.text is rebuilt from the tokens on every access: read it once
        lang = doc.lang_
        ents = self._ents = list(entities(doc))     # Span objects built once per Doc, not once per sentence
        mentions_all = sorted(ents + list(doc.spans.get("coref", [])), key=lambda s: s.start_char)
        mention_starts = [x.start_char for x in mentions_all]
        self._class_of = _Classes(ctx.seen, ents)
        self._money = [(x, span_value(doc, "offsets", x.start_char, x.end_char),
                        span_value(doc, "value", x.start_char, x.end_char)) for x in doc.spans.get("money", [])]
        dates = [(s, span_value(doc, "offsets", s, e)[0], span_value(doc, "value", s, e))
                 for s, e in ((d.start_char, d.end_char) for d in doc.spans.get("date", []))]
        date_starts = [d[0] for d in dates]
        self._dates = [(d[1], d[2]) for d in dates]       # (offset, value), in order
        self._date_offsets = [d[0] for d in self._dates]
        # no pattern matches a sentence with fewer names than its slots: such a sentence is not even masked
        fewest = min((p.min_mentions for p in self.patterns if p.lang == lang), default=None)
        relations, investments, used = [], [], set()
        paragraph_year = None
        for sent in sentences(doc):
            if sent.start_char and "\n" in self._text[max(0, sent.start_char - 3):sent.start_char]:
                paragraph_year = None        # a new paragraph of a multi-paragraph Doc
            mentions = mentions_all[bisect.bisect_left(mention_starts, sent.start_char):
                                    bisect.bisect_left(mention_starts, sent.end_char)]
            if len(mentions) > MAX_MENTIONS or len(sent.text) > MAX_SENTENCE:
                continue    # a list or table, not a statement: the patterns' lists would backtrack for ages
            runs = [] if fewest is None or len(mentions) < fewest else self._can_match(sent.text, lang, len(mentions))
            if not runs:
                masked, starts = None, []       # no pattern can match: the sentence is not even masked
            else:
                masked = mask(doc, sent, mentions, self._text)
                starts = [i for i, ch in enumerate(masked.text) if PUA <= ord(ch) <= 0xF8FF]
            sent_hits = []
            matched: dict[re.Pattern, list] = {}      # patterns of one source (owns/develops "{S}的{O}") match once
            for i in runs:
                p = self.patterns[i]
                if len(starts) < p.min_mentions:
                    continue        # fewer names in the sentence than the pattern has slots
                rx = self._compiled.get(i) or self._compiled.setdefault(i, compile_pattern(p))
                if rx not in matched:
                    matched[rx] = list(self._matches(rx, masked.text, lang, starts))
                for m in matched[rx]:
                    # a noun phrase ("微软的 Azure", "Nvidia CEO Jensen Huang") is presupposed, not asserted:
                    # hedges and negation around it do not touch it
                    if not p.np and (self._window_has(masked, m, lang, "negation")
                                     or self._window_has(masked, m, lang, "hedge")):
                        continue
                    if p.relation == "fundraiser":
                        subj = self._keys(masked, m.group("S"))
                        if subj and vocab.top_class(subj[0][1]) == "Organization":
                            ctx.fundraiser = subj[0][0]
                            self._note_round(doc, sent, ctx)
                        continue
                    if p.relation == "investsIn" and self._window_has(masked, m, lang, "sale"):
                        continue
                    sent_hits += self._relations_of(doc, masked, m, p, sent)
            if sent_hits:
                evidence_base = {"sentence": sent.text, "start": ctx.offset + sent.start_char,
                                 "end": ctx.offset + sent.end_char, "lang": lang}
                for p, m, subj, obj, conf in sent_hits:
                    ev = Evidence(rule=p.rule, trigger=self._trigger(doc, masked, m), confidence=conf, **evidence_base)
                    relations.append(Relation(subj[0], p.relation, obj[0], ev))
                    used.update((subj[0], obj[0]))
                investments += self._events(doc, sent, sent_hits, masked, paragraph_year)
            years = [d[2].year for d in dates[bisect.bisect_left(date_starts, sent.start_char):
                                              bisect.bisect_left(date_starts, sent.end_char)] if d[2].year]
            if years:
                paragraph_year = years[-1]
        relations += self._compound_relations(doc)
        # (set_doc_value: doc._.x = ... without an Underscore object each)
        set_doc_value(doc, "relations", relations)
        set_doc_value(doc, "investments", investments)
        set_doc_value(doc, "used_keys", used)
        return doc

    def _compound_relations(self, doc: Doc) -> list[Relation]:
        """"英伟达H20", "Nvidia Hopper": the maker's name as part of the product's (cloud services are owned)."""
        out = []
        ctx = ensure_context(doc)
        for org, product, s, e in doc_value(doc, "compounds") or []:
            sent = doc.char_span(s, e, alignment_mode="expand").sent
            cls = self._class_of.get(product, "Product")
            predicate = "owns" if class_allowed(cls, frozenset({"CloudService"})) else "develops"
            ev = Evidence(sentence=sent.text, start=ctx.offset + sent.start_char, end=ctx.offset + sent.end_char,
                          rule=f"{predicate}.compound", trigger=self._text[s:e], confidence=0.75, lang=doc.lang_)
            out.append(Relation(org, predicate, product, ev))
        return out

    def _relations_of(self, doc, masked, m, p: Pattern, sent):
        groups = m.groupdict()
        if groups.get("P"):
            members = self._keys(masked, groups["P"])
            pairs = [(a, b) for i, a in enumerate(members) for b in members[i + 1:]]
        else:
            if p.subject in ("topic", "antecedent"):
                subjects = self._topic(doc, masked, m, sent, need_subject=p.subject == "topic")
            else:
                subjects = self._keys(masked, groups.get("S") or "")
            if p.object == "fundraiser":
                f = ensure_context(doc).fundraiser
                objects = [(f, self._class_of.get(f, "Organization"), 0.7)] if f else []
            else:
                objects = self._keys(masked, self._object_list(masked, m, p))
            pairs = [(a, b) for a in subjects for b in objects]
        out = []
        for a, b in pairs:
            if a[0] == b[0] or not vocab.fits(p.relation, a[1], b[1]):
                continue
            if not (class_allowed(a[1], p.subject_classes) and class_allowed(b[1], p.object_classes)):
                continue
            conf = round(p.conf * min(1.0, 0.6 + 0.4 * min(a[2], b[2])), 3)
            out.append((p, m, a, b, conf))
        return out

    def _object_list(self, masked, m, p: Pattern) -> str:
        """The O group of a match; for a Chinese possessive, less the partner of a symmetric verb after it, and
        nothing when its 的 closes a relative clause instead (see relative_clause)."""
        obj = m.group("O") if "O" in m.re.groupindex else None
        if not obj or not p.np or p.lang != "zh":
            return obj or ""
        if "S" in m.re.groupindex and relative_clause(masked.text, m.start("S"), m.end("O"), self._opening_verb):
            return ""
        return partner_cut(obj, masked.text, m.end("O"), self._partner_verb)

    def _note_round(self, doc: Doc, sent: Span, ctx) -> None:
        r = self.rounds.search(sent.text)
        ctx.last_round = r.group() if r else None
        amounts = [x for x in self._amounts(doc, sent, sent.start_char, sent.end_char)]
        ctx.last_round_amount = amounts[0]._.value if len(amounts) == 1 else None

    def _amounts(self, doc: Doc, sent: Span, lo: int, hi: int):
        """Money spans between paragraph offsets lo..hi that are not valuations, revenue or costs."""
        out = []
        for x, (s, e), value in self._money:
            if not (lo <= s < hi) or value.amount is None:
                continue
            around = self._text[max(sent.start_char, s - 12):min(sent.end_char, e + 12)]
            if self.not_invested.search(around):
                continue
            out.append(x)
        return out

    def _names_round(self, doc: Doc, money: Span) -> bool:
        """Whether a round word follows the amount closely, with no name in between."""
        e = money._.offsets[1]
        after = self._text[e:min(len(self._text), e + 25)]
        m = self._round_word.search(after)
        if not m:
            return False
        return not any(e <= x.start_char < e + m.start() for x in self._ents)

    def _events(self, doc, sent, hits, masked, paragraph_year) -> list[Investment]:
        ctx = ensure_context(doc)
        breaks = self.cue[doc.lang_, "breaks"]
        by_match: dict = {}
        for p, m, subj, obj, conf in hits:
            if p.relation == "investsIn" and p.event:
                by_match.setdefault((m.span(), p.rule, obj[0]), []).append((p, m, subj, obj, conf))
        out = []
        if not by_match:
            return out
        dates = self._dates[bisect.bisect_left(self._date_offsets, sent.start_char):
                            bisect.bisect_left(self._date_offsets, sent.end_char)]
        for (span, rule, investee), group in by_match.items():
            p, m = group[0][0], group[0][1]
            investors = sorted({g[2][0] for g in group})
            lo, hi = masked.origin[m.start()], masked.origin[m.end() - 1] + 1
            # widen to the clause around the match
            while lo > sent.start_char and self._text[lo - 1] not in breaks:
                lo -= 1
            while hi < sent.end_char and self._text[hi] not in breaks:
                hi += 1
            amounts = self._amounts(doc, sent, lo, hi) or (
                self._amounts(doc, sent, sent.start_char, sent.end_char) if len(investors) == 1 else [])
            r = self.rounds.search(sent.text)
            round_name = r.group() if r else (ctx.last_round if p.object == "fundraiser" else None)
            ev = Evidence(sentence=sent.text, start=ctx.offset + sent.start_char, end=ctx.offset + sent.end_char,
                          rule=rule, trigger=self._trigger(doc, masked, m), confidence=group[0][4], lang=doc.lang_)

            def year_near(pos):
                best = min(dates, key=lambda d: abs(d[0] - pos), default=None)
                if best is not None and best[1].year:
                    return best[1].year, best[1].month
                return paragraph_year, None

            # an amount that names the round ("$1.05 billion Series C round", "10 亿美元融资") is its total;
            # the others are what a lone investor put in
            round_totals = [a for a in amounts if self._names_round(doc, a)]
            stakes = [a for a in amounts if a not in round_totals]
            if len(investors) == 1 and stakes:
                for a in stakes:
                    y, mo = year_near(a._.offsets[0])
                    out.append(Investment(investors[0], investee, ev, a._.value.amount, a._.value.currency, y, mo,
                                          round_name))
                continue
            totals = round_totals + stakes
            total = totals[0]._.value if len(totals) == 1 else None
            if total is None and p.object == "fundraiser" and ctx.last_round_amount is not None:
                total = ctx.last_round_amount
            y, mo = year_near(totals[0]._.offsets[0] if len(totals) == 1 else lo)
            for inv in investors:
                out.append(Investment(inv, investee, ev, None, total.currency if total else None, y, mo, round_name,
                                      total.amount if total else None))
        return out


class _Classes:
    """Entity key -> class: the document's earlier mentions, then this Doc's names; built on the first
    lookup (most Docs never need one, and the document's mentions run to hundreds)."""

    def __init__(self, seen, ents):
        self._from = (seen, ents)
        self._map = None

    def get(self, key: str, default: str) -> str:
        """The class of ``key``, else ``default``."""
        if self._map is None:
            seen, ents = self._from
            self._map = {**{s.key: s.cls for s in seen}, **{e.kb_id_: e.label_ for e in ents}}
        return self._map.get(key, default)


@Language.factory("kg_relations")
def make_relation_extractor(nlp: Language, name: str):
    return RelationExtractor(load(), nlp.lang)
