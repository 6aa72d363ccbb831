"""Document-level extraction: paragraphs -> spaCy pipelines -> one :class:`~kg.model.Extraction`.

A news page mixes languages and page furniture, so the text is read paragraph by paragraph: debris
(bylines with "33m ago", navigation words, repeated headlines) is skipped, each paragraph goes through
the pipeline of its own language, and what one paragraph learned (entities, who is raising money)
carries to the next through a shared :class:`~kg.extract.context.DocumentContext`. At the end the
mentions are resolved into one entity per real thing (Marlow = Edwin Marlow; 微软 = Microsoft).

>>> from kg.model import Document
>>> x = Extractor().extract(Document("t.txt", "微软对 OpenAI 进行了投资。", "0" * 64, "zh"))
>>> [(r.subject, r.predicate, r.object) for r in x.relations]
[('Microsoft', 'investsIn', 'OpenAI')]
"""
from __future__ import annotations

import gc
import itertools
import logging
import re
from collections import Counter

from kg import vocab
from kg.extract.context import DocumentContext
from kg.extract.lexicon import load, norm
from kg.model import (
    Acquisition,
    Document,
    Entity,
    Extraction,
    Investment,
    Mention,
    Relation,
    rename_acquisitions,
    rename_facts,
)
from kg.textio import has_cjk, language

# A sentence ends where a match of this ends (after 。！？!?； or a full stop before white space): a character
# to look for, not a look-behind tried at every position (one character per match: consecutive enders are
# each found, in order)
_SENTENCE_ENDER = re.compile(r"[。！？!?；]|\.(?=\s)")
# a letter that is not a Chinese character (kg.textio's _CJK): a sentence without one is Chinese
_NON_CJK_LETTER = re.compile("[^\\W\\d_\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0003134f]")
_LETTER = re.compile(r"[^\W\d_]")


# The unit of work: no spaCy Doc holds more than this many characters (spaCy refuses 1,000,000, and
# several components grow faster than the length of their Doc), so time grows linearly with the text.
MAX_WINDOW = 10_000
# What a window passes to the next about the entities seen: the latest mentions, and the last mention of
# the entities named most recently before them.
KEEP_SEEN = 200
KEEP_ENTITIES = 300


def language_runs(text: str) -> list[tuple[int, str, str]]:
    """Split a paragraph where its language changes between sentences: (offset, text, lang) runs.

    >>> [(o, l) for o, _, l in language_runs("微软投资了 OpenAI。Google competes with OpenAI.")]
    [(0, 'zh'), (13, 'en')]
    """
    if not has_cjk(text):       # no sentence of it can read as Chinese: one English run (most paragraphs)
        stripped = text.strip()
        return [(len(text) - len(text.lstrip()), stripped, "en")] if stripped else []
    cuts = [0] + [e for m in _SENTENCE_ENDER.finditer(text) if 0 < (e := m.end()) < len(text)] + [len(text)]
    runs: list[list] = []          # [start, end, lang]: offsets, not strings, so a long paragraph stays linear
    for start, end in itertools.pairwise(cuts):
        if end <= start:
            continue
        piece = text[start:end]
        # (a piece without a Chinese character is English: what language() says, without counting letters)
        # (and with letters that are all Chinese characters it is Chinese, without counting them)
        lang = (("zh" if not _NON_CJK_LETTER.search(piece) else language(piece)) if has_cjk(piece) else "en") \
            if _LETTER.search(piece) else (runs[-1][2] if runs else "en")
        if runs and runs[-1][2] == lang:
            runs[-1][1] = end
        else:
            runs.append([start, end, lang])
    out = []
    for start, end, lang in runs:
        run = text[start:end]
        stripped = run.strip()
        if stripped:
            out.append((start + len(run) - len(run.lstrip()), stripped, lang))
    return out


def windows(text: str, limit: int = MAX_WINDOW) -> list[tuple[int, str]]:
    """``text`` cut into (offset, piece) windows of at most ``limit`` characters: after a sentence end
    where there is one, else at a space, else anywhere.

    >>> [(o, len(p)) for o, p in windows("One. Two three. Four five six.", 12)]
    [(0, 4), (4, 11), (15, 10), (25, 5)]
    """
    out, start = [], 0
    while len(text) - start > limit:
        chunk = text[start:start + limit]
        cut = max((e for m in _SENTENCE_ENDER.finditer(chunk) if 0 < (e := m.end()) < len(chunk)), default=0)
        if not cut:
            cut = max(chunk.rfind(" "), chunk.rfind("\n"), chunk.rfind("\u3000"))
        cut = cut if cut > 0 else limit
        out.append((start, chunk[:cut]))
        start += cut
    out.append((start, text[start:]))
    return out


def is_headline(text: str) -> bool:
    """An English title-case line without sentence punctuation.

    >>> is_headline("Micron's Earnings Report Rekindles the Semiconductor Bull Run")
    True
    >>> is_headline("Micron released its results on Monday.")
    False
    """
    words = re.findall(r"[A-Za-z][\w'’\-]*", text)
    if not words or len(words) > 25 or re.search(r"[.!。]\s*$", text.strip()):
        return False
    long = [w for w in words if len(w) > 3]
    return bool(long) and sum(w[0].isupper() for w in long) >= 0.6 * len(long)


class Extractor:
    """Reads documents into :class:`Extraction` items. Build once, reuse for many documents."""

    def __init__(self, models: dict[str, str] | None = None):
        """``models`` maps a language ("en", "zh") to a trained spaCy pipeline to use alongside the lexicons."""
        import jieba
        jieba.setLogLevel(logging.WARNING)
        self.lex = load()
        self.models = dict(models or {})
        debris = self.lex.cues["debris"]
        self._debris = [re.compile(p) for p in debris["line_patterns"]]
        self._nav = {w.casefold() for w in debris["line_words"]}
        self._nlps: dict = {}

    def _nlp(self, lang: str):
        nlp = self._nlps.get(lang)
        if nlp is None:
            # spaCy is imported here, not at the top: `import kg` (and `kg query`) should not pay for it
            from kg.extract.pipeline import make_nlp

            nlp = self._nlps[lang] = make_nlp(lang, self.models.get(lang))
            # The pipelines, lexicons and jieba's tables are ~100k objects that live as long as the process; the
            # garbage collector's full passes walked all of them again and again (a tenth of extraction time).
            # Frozen, they are left out of every later collection (and they are never garbage anyway).
            gc.freeze()
        return nlp

    def warm(self) -> None:
        """Load both languages' pipelines, jieba's tables and everything they build on first use, now: before
        forking processes that then share them instead of each loading its own."""
        for lang, text in (("zh", "甲公司投资了乙公司。"), ("en", "Alpha Corp invested in Beta Inc.")):
            self._nlp(lang)(text)

    def is_debris(self, line: str) -> bool:
        """Whether a line is page furniture (a byline with a time, navigation words) rather than text."""
        s = line.strip()
        if s.casefold() in self._nav:
            return True
        for p in self._debris:          # (a loop, not any() over a generator: this runs for every line)
            if p.search(s):
                return True
        return False

    def paragraphs(self, text: str):
        """(offset, text, lang, headline) for each paragraph worth reading; a paragraph longer than
        :data:`MAX_WINDOW` comes in windows of whole sentences."""
        seen = set()
        offset = 0
        for line in text.split("\n"):
            start, offset = offset, offset + len(line) + 1
            s = line.strip()
            if not s or self.is_debris(s):
                continue
            key = norm(s)
            if key in seen:           # a headline repeated by the page: nothing new
                continue
            seen.add(key)
            lead = len(line) - len(line.lstrip())
            for run_start, run, lang in language_runs(s):
                headline = lang == "en" and len(run) < 500 and is_headline(run)
                for at, piece in windows(run):
                    body = piece.lstrip()
                    if body.strip():
                        yield start + lead + run_start + at + len(piece) - len(body), body.rstrip(), lang, headline

    def chunks(self, text: str):
        """Runs of consecutive paragraphs in one language, as (offset, text, lang, headline): one Doc each, so
        the pipeline's fixed cost is paid per run, not per line, and no run is longer than :data:`MAX_WINDOW`.
        A headline, or anything dropped between two paragraphs (debris, a repeat), ends a run."""
        run = None
        for offset, para, lang, headline in self.paragraphs(text):
            if run and not headline and not run[3] and run[2] == lang and "\n" in text[run[1]:offset] \
                    and not text[run[1]:offset].strip() and offset + len(para) - run[0] <= MAX_WINDOW:
                run[1] = offset + len(para)
                continue
            if run:
                yield run[0], text[run[0]:run[1]], run[2], run[3]
            run = [offset, offset + len(para), lang, headline]
        if run:
            yield run[0], text[run[0]:run[1]], run[2], run[3]

    def extract(self, document: Document) -> Extraction:
        """Everything kg reads from one document: its entities, relations and investments, with evidence."""
        ctx = DocumentContext()
        mentions: list[Mention] = []
        relations: list[Relation] = []
        investments: list[Investment] = []
        acquisitions: list[Acquisition] = []
        used: set[str] = set()
        # imports spaCy: only when there is text to read
        from kg.extract.doctext import (
            doc_value,
            entities,
            remember_text,
            set_doc_value,
            span_value,
        )
        from kg.extract.pipeline import make_doc
        for offset, text, lang, headline in self.chunks(document.text):
            _forget_old(ctx)
            nlp = self._nlp(lang)
            doc = make_doc(nlp, text)
            remember_text(doc, text)    # spaCy's tokenizers keep every character: no need to rebuild it
            ctx.offset = offset
            # (doc_value / set_doc_value: doc._.x without an Underscore object per access)
            set_doc_value(doc, "context", ctx)
            set_doc_value(doc, "headline", headline)
            for _, proc in nlp.pipeline:
                doc = proc(doc)
            for e in entities(doc):
                # offsets and stored values, not Span.text (a Token object per token) or span._ (an object each)
                s, t = e.start_char, e.end_char
                mentions.append(Mention(offset + s, offset + t, text[s:t], e.label_, e.kb_id_,
                                        span_value(doc, "source", s, t), span_value(doc, "confidence", s, t),
                                        span_value(doc, "strong", s, t)))
            mentions += doc_value(doc, "found") or []      # names kg_frames found by their place (kg.extract.found)
            relations += doc_value(doc, "relations")
            investments += doc_value(doc, "investments")
            acquisitions += doc_value(doc, "acquisitions") or []
            used |= doc_value(doc, "used_keys")
        return self._resolve(document, mentions, relations, investments, used, acquisitions)

    # ------------------------------------------------------------- resolution
    def _resolve(self, document, mentions, relations, investments, used, acquisitions=()) -> Extraction:
        by_key: dict[str, list[Mention]] = {}
        for m in mentions:
            by_key.setdefault(m.key, []).append(m)
        # weak names (no cue) become entities only when a relation uses them
        # ... or when the text names them again and never writes their words in lower case: "Vessmark" said
        # three times is a name, "Shares" (and "shares") is not
        lower = set(re.findall(r"(?<![\w-])[a-z][a-z'’\-]*", document.text))
        keep = {k for k, ms in by_key.items() if k in used or any(m.strong for m in ms) or _recurs(ms, lower)}
        # in reading order, not set order: a short form two full names could claim goes to the first one
        # the text named, whatever PYTHONHASHSEED is
        canon = self._short_forms({k: ms for k, ms in by_key.items() if k in keep})
        entities: dict[str, Entity] = {}
        for key in sorted(keep):
            target = canon.get(key, key)
            ms = by_key[key]
            ent = entities.get(target)
            if ent is None:
                ent = entities[target] = self._entity(target, by_key.get(target, ms))
            for m in ms:
                ent.aliases.add(" ".join(m.text.split()))     # white space runs as one space, none at the ends
                ent.mentions += 1
                ent.confidence = max(ent.confidence, m.confidence)
        for ent in entities.values():
            ent.aliases -= {ent.name_en, ent.name_zh, None}
        rels, events = rename_facts(relations, investments, lambda k: canon.get(k, k), keep=entities)
        bought = rename_acquisitions(list(acquisitions), lambda k: canon.get(k, k), keep=entities)
        return Extraction(document, entities, rels, events, bought)

    def _entity(self, key: str, ms: list[Mention]) -> Entity:
        g = self.lex.gazetteer_by_key.get(key)
        if g is not None:
            return g.entity(set(g.aliases) & {m.text for m in ms})
        cls = Counter(m.cls for m in sorted(ms, key=lambda m: -m.confidence)).most_common(1)[0][0]
        return Entity.named(key, cls, has_cjk(key))

    @staticmethod
    def _short_forms(by_key: dict[str, list[Mention]]) -> dict[str, str]:
        """Map a short name to the full one it abbreviates in the same text: Marlow -> Edwin Marlow,
        纳德拉 -> 萨提亚·纳德拉. Only for names no gazetteer entry claims."""
        people = [k for k, ms in by_key.items() if any(vocab.top_class(m.cls) == "Person" for m in ms)]
        # each full name's last part, split once (not once per short name tried against it)
        lasts = [(full, parts[-1]) for full in people if len(parts := _NAME_PARTS.split(full)) > 1]
        out = {}
        for k, ms in by_key.items():
            if any(m.source == "gazetteer" for m in ms) or " " in k or "·" in k:
                continue
            for full, last in lasts:
                if full != k and last == k:
                    out[k] = full
                    break
        return out


_NAME_PARTS = re.compile(r"[ ·•‧・]")
_RECURRING = ("rule:capitalized",)     # not acronyms: "CROPS" values said twice are no organization


def _recurs(ms: list[Mention], lower: set[str]) -> bool:
    """A weak name said at least twice in the document whose words never appear in lower case there."""
    if len({m.start for m in ms}) < 2 or any(m.source not in _RECURRING for m in ms):
        return False
    return not any(w.casefold() in lower for m in ms for w in m.text.split())


def _forget_old(ctx: DocumentContext) -> None:
    """Between windows, keep what later text can refer back to: the latest :data:`KEEP_SEEN` mentions and
    the last mention of the :data:`KEEP_ENTITIES` entities mentioned most recently before them. Without
    this a long document costs quadratic time (every window reads every mention before it)."""
    if len(ctx.seen) <= KEEP_SEEN + KEEP_ENTITIES:
        return
    old, recent = ctx.seen[:-KEEP_SEEN], ctx.seen[-KEEP_SEEN:]
    keys = {s.key for s in recent}
    last: dict = {}
    for s in reversed(old):
        if s.key not in keys and s.key not in last:
            last[s.key] = s
            if len(last) == KEEP_ENTITIES:
                break
    ctx.seen = sorted(last.values(), key=lambda s: s.start) + recent
