"""``kg_coref``: light coreference for what news uses constantly.

双方 / both companies -> the last two organizations; 该公司 / the company -> the last organization that was a
subject; he / 他 -> the last person; English "it" -> the nearest organization that stood as a subject, and
"its" the same when no organization came before it in its sentence ("Its rivals include B").
Resolved expressions go to ``doc.spans["coref"]`` with ``span._.refers`` (a tuple of entity keys).
The component also records every entity mention on ``doc._.context`` in reading order.
"""
from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg import vocab
from kg.extract.context import Seen, ensure_context
from kg.extract.doctext import doc_text, entities, sentences, span_value, token_table
from kg.extract.lexicon import load

_ZH_PREPOSITIONS = tuple("对向与和从在给为被跟同把将由")
_EN_PREPOSITIONS = ("in", "from", "to", "with", "of", "by", "at", "for", "on", "into", "than", "against", "about",
                    "over", "like", "as")
# What 双方 / "both companies" and a clause's unnamed subject stand for: the parties the ontology lets
# compete and partner (the domain of its symmetric relations: Organization and Product). Not kg:Agent,
# which is Organization and Person.
PARTIES: tuple[str, ...] = tuple(c for c in vocab.ENTITY_CLASSES
                                 if any(c in vocab.signature(r)[0] for r in sorted(vocab.SYMMETRIC)))
AGENTS = PARTIES   # the old name, still imported by kg.extract.relations (issue 10 rewrites that module)


_WORD = re.compile(r"[A-Za-z]+")


def is_subject_position(text: str, start: int, lang: str) -> bool:
    """Whether a mention starting at ``start`` is not governed by a preposition just before it."""
    before = text[max(0, start - 12):start].rstrip()
    if lang == "zh":
        return not before.endswith(_ZH_PREPOSITIONS)
    last = _WORD.findall(before[-12:])
    return not (last and last[-1].lower() in _EN_PREPOSITIONS and before.endswith(last[-1]))


class Coreference:
    """The ``kg_coref`` component: resolves 双方 / both companies, 该公司 / the company, 他 / he and "it" to
    the entity keys they stand for. Holds only the compiled cue words; what a document has said so far
    lives on ``doc._.context``."""

    def __init__(self):
        cues = load().cues
        kinds = ("pair_coref", "org_coref", "person_coref")
        # Chinese pronouns count only as whole jieba tokens (他 inside 其他 is not one); phrases such as
        # 该公司 are found in the text. English cues are whole words.
        self.zh_tokens = {w: kind for kind in kinds for w in cues["zh"][kind]}
        self.zh_phrases = self._alternation({w: k for k in ("pair_coref", "org_coref") for w in cues["zh"][k]}, "")
        en = {w: k for k in kinds for w in cues["en"][k]} | {w: "pronoun" for w in cues["en"]["pronoun_coref"]}
        self.en_words = self._alternation(en, r"\b")

    @staticmethod
    def _alternation(words: dict[str, str], edge: str):
        groups = {}
        for w, kind in words.items():
            groups.setdefault(kind, []).append(w)
        parts = [f"(?P<{kind}>{edge}(?:{'|'.join(map(re.escape, sorted(ws, key=len, reverse=True)))}){edge})"
                 for kind, ws in groups.items()]
        # a lookahead for the words' first characters: most positions fail one character test instead of
        # trying every word (every match starts with one of them)
        first = "".join(sorted({re.escape(w[0]) for w in words}))
        guard = f"(?=[{first}])" if words and all(words) else ""
        return re.compile(guard + "(?:" + "|".join(parts) + ")", re.IGNORECASE)

    def _find(self, doc: Doc, sent, text: str, tokens=None, lang: str | None = None):
        """(start_char, end_char, kind) of anaphoric expressions in the sentence."""
        lang = doc.lang_ if lang is None else lang
        rx = self.zh_phrases if lang == "zh" else self.en_words
        found = [(m.start(), m.end(), m.lastgroup) for m in rx.finditer(text, sent.start_char, sent.end_char)]
        if lang == "zh":
            starts, words, hits = tokens or self._zh_tokens(doc)
            for i in hits[bisect.bisect_left(hits, sent.start):bisect.bisect_left(hits, sent.end)]:
                found.append((starts[i], starts[i] + len(words[i]), self.zh_tokens[words[i]]))
        if len(found) < 2:
            return found        # (sorted and without overlaps already)
        # longest first, no overlaps
        out, taken = [], []
        for s, e, k in sorted(set(found), key=lambda f: (-(f[1] - f[0]), f[0], f[2])):   # kind: no set order
            if all(e <= a or s >= b for a, b in taken):
                out.append((s, e, k))
                taken.append((s, e))
        return sorted(out)

    def _zh_tokens(self, doc: Doc):
        """Token offsets and texts, and the indexes of the tokens that are pronouns: found once per Doc."""
        starts, words = token_table(doc)[:2]
        return starts, words, [i for i, w in enumerate(words) if w in self.zh_tokens]

    def __call__(self, doc: Doc) -> Doc:
        """Add ``doc.spans["coref"]`` and record the document's mentions on ``doc._.context``."""
        ctx = ensure_context(doc)
        text = doc_text(doc)        # rebuilt from the tokens on every access: read it once
        base = ctx.offset
        spans = []
        ents = entities(doc)
        ent_starts = [e.start for e in ents]
        # each name's offsets, key and class read once (a Span attribute read costs a call, kb_id_ and label_ a
        # string-store lookup): (start_char, end_char, kb_id_, label_)
        table = [(e.start_char, e.end_char, e.kb_id_, e.label_) for e in ents]
        lang = doc.lang_        # (a StringStore lookup on every read)
        tokens = self._zh_tokens(doc) if lang == "zh" else None
        weak = ctx.weak_seen
        for sent in sentences(doc):
            ctx.sentences += 1
            sent_ents = table[bisect.bisect_left(ent_starts, sent.start):bisect.bisect_left(ent_starts, sent.end)]
            # this sentence's own names count as antecedents for what follows them in it
            for x_start, x_end, x_key, x_label in sent_ents:
                # a capitalized phrase with no cue is no antecedent the first time; written again
                # ("Quorvex ... Quorvex has 400 staff. It relies on ...") it is a name
                if not span_value(doc, "strong", x_start, x_end) and x_key not in weak:
                    weak.add(x_key)
                    continue
                ctx.seen.append(Seen(x_key, vocab.top_class(x_label), base + x_start,
                                     is_subject_position(text, x_start, lang), ctx.sentences))
            for s, e, kind in self._find(doc, sent, text, tokens, lang):
                if any(s < x[1] and x[0] < e for x in sent_ents):
                    continue
                if kind == "pair_coref":
                    if any(0 <= s - x[1] <= 2 for x in sent_ents):
                        continue   # "阿里和腾讯,这两家……": a marker on the pair just named, not a new mention
                    refs = ctx.recent(PARTIES, base + s, n=2)
                    if len(refs) < 2:
                        continue
                elif kind == "person_coref":
                    refs = ctx.recent(("Person",), base + s)
                elif kind == "org_coref":
                    main = ctx.main_subject(("Organization",), base + s)
                    refs = [main] if main else []
                else:   # English it/its: an organization that stood as a subject earlier in the sentence or before
                    in_sentence = [x for x in sent_ents if x[1] <= s and vocab.top_class(x[3]) == "Organization"
                                   and is_subject_position(text, x[0], "en")]
                    if in_sentence and text[s:e].lower() == "its":
                        continue   # "A said its ...": the linkers read "its" as the clause's subject themselves
                    # else what the latest sentence was about (its first subject), as for "the company"
                    main = None if in_sentence else ctx.main_subject(("Organization",), base + sent.start_char)
                    refs = [in_sentence[-1][2]] if in_sentence else [main] if main else ctx.recent(
                        ("Organization",), base + sent.start_char, subject_only=True)
                if not refs:
                    continue
                span = doc.char_span(s, e, alignment_mode="expand")
                if span is None:
                    continue
                span = Span(doc, span.start, span.end, label="COREF")
                span._.refers = tuple(refs)
                span._.offsets = (s, e)
                spans.append(span)
        doc.spans["coref"] = spans
        return doc


@Language.factory("kg_coref", requires=["doc.ents", "token.is_sent_start", "span._.strong"],
                  assigns=["doc.spans", "span._.refers", "span._.offsets", "doc._.context"])
def make_coreference(nlp: Language, name: str):
    """spaCy factory of :class:`Coreference`."""
    return Coreference()
