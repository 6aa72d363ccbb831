"""Test helper: the English frames of a text, read by kg.extract.linking_en over the pipeline's mentions.

Builds each sentence's SentenceView the way the frames component does (mentions as placeholders), finds
the English triggers and links every hit, so the linker is tested without the frames component.
"""
from __future__ import annotations

from kg.extract import linking_en
from kg.extract.frame import NewName, SentenceView
from kg.extract.pipeline import make_nlp
from kg.extract.relations import mask
from kg.extract.triggers import index


def views(text: str):
    """The English SentenceViews of ``text`` (with their hits)."""
    doc = make_nlp("en")(text)
    mentions = sorted(list(doc.ents) + list(doc.spans.get("coref", [])), key=lambda s: s.start_char)
    for sent in doc.sents:
        ms = [m for m in mentions if sent.start_char <= m.start_char < sent.end_char]
        mk = mask(doc, sent, ms, doc.text)
        yield SentenceView("en", mk.text, mk.origin, ms, [m.label_ for m in ms], index("en").find(mk.text))


def _name(view: SentenceView, arg) -> str:
    if isinstance(arg, NewName):
        return view.text[arg.start:arg.end]
    m = view.mentions[arg]
    return "/".join(m._.refers) if m.label_ == "COREF" else m.kb_id_


def facts(text: str) -> set[tuple[str, str, str]]:
    """(subject, relation, object) of every frame the linker reads in ``text`` (pairs both ways once)."""
    out = set()
    for v in views(text):
        for h in v.hits:
            for f in linking_en.link(v, h):
                r = h.trigger.relation
                ps = [_name(v, a) for a in f.pairs]
                out |= {(a, r, b) for i, a in enumerate(ps) for b in ps[i + 1:]}
                out |= {(_name(v, s), r, _name(v, o)) for s in f.subjects for o in f.objects}
    return out


def same(found: set, expected: set) -> bool:
    """Whether two fact sets agree, symmetric relations in either direction."""
    def norm(fs):
        return {(min(s, o), r, max(s, o)) if r in ("competesWith", "partnersWith") else (s, r, o) for s, r, o in fs}
    return norm(found) == norm(expected)
