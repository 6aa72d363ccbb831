"""What a document has said so far, shared by the paragraphs of one document.

kg runs its spaCy pipeline per paragraph (each paragraph in its own language), so whatever a later
paragraph needs from an earlier one -- the entities seen, who is raising money, the last date -- lives
here and travels on ``doc._.context``.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Seen:
    """One entity mention as the document context remembers it: key, class, where, and whether it stood as a subject."""
    key: str
    cls: str
    start: int          # document offset
    subject: bool       # looked like a clause subject (not after a preposition)
    sentence: int = 0   # which sentence of the document it was in


@dataclass
class DocumentContext:
    """What the paragraphs of one document have said so far (shared through ``doc._.context``)."""
    offset: int = 0                        # where the current paragraph starts in the document
    seen: list[Seen] = field(default_factory=list)
    fundraiser: str | None = None          # the organization the text last said was raising a round
    fundraiser_at: int = -1                # kg_frames: the sentence (its count below) that said so
    frame_sentences: int = 0               # kg_frames: sentences with a trigger read so far
    last_year: int | None = None
    last_round: str | None = None
    last_round_amount: object = None
    known: dict = field(default_factory=dict)  # names rules found so far -> their Candidate
    sentences: int = 0                         # sentences read so far
    short_of: dict = field(default_factory=dict)  # a company's short form -> its full name's key (云帆 -> 云帆机器人)
    founder_of: dict = field(default_factory=dict)  # kg_frames: a person's key -> the first company they founded
    weak_seen: set = field(default_factory=set)   # kg_coref: keys of cue-less names met once (not yet antecedents)
    weak_known: dict = field(default_factory=dict)  # kg_entities: cue-less capitalized words -> their Candidate

    def main_subject(self, classes: tuple[str, ...], before: int) -> str | None:
        """The first subject of the latest sentence that has one: what "the company" usually means."""
        cands = [s for s in self.seen if s.start < before and s.cls in classes and s.subject]
        if not cands:
            return None
        latest = cands[-1].sentence
        return next(s.key for s in cands if s.sentence == latest)

    def recent(self, classes: tuple[str, ...], before: int, n: int = 1, subject_only: bool = False) -> list[str]:
        """Keys of the ``n`` most recent distinct entities of ``classes`` mentioned before ``before``."""
        out: list[str] = []
        for s in reversed(self.seen):
            if s.start >= before or s.cls not in classes or (subject_only and not s.subject):
                continue
            if s.key not in out:
                out.append(s.key)
            if len(out) == n:
                break
        return out


def ensure_context(doc) -> DocumentContext:
    """The document context on ``doc`` (a fresh one when the pipeline runs on a plain ``nlp(text)``)."""
    # doc._.context, read from where spaCy keeps it (doc._ makes an object on every read)
    ctx = doc.user_data.get(_CONTEXT_KEY)
    if ctx is None:
        ctx = doc.user_data[_CONTEXT_KEY] = DocumentContext()
    return ctx


# the key of doc._.context in doc.user_data (spacy.tokens.underscore; kg.extract.doctext.doc_value reads any)
_CONTEXT_KEY = ("._.", "context", None, None)
