"""Trigger lexicons (``ontologies/lexicon/triggers_{lang}.toml``) and finding their words in a text.

Each ``[[trigger]]`` entry becomes a :class:`kg.extract.frame.Trigger`; loading is strict: an unknown
key, an unknown relation or event, a bad kind or a repeated id fails with the file, line and entry id.
:class:`TriggerIndex` finds every trigger of a language in a text with one Aho-Corasick automaton:
English forms case-insensitively on word boundaries, Chinese forms as substrings, a longer form winning
over the forms it contains (联合创始人 over 创始人) and over forms it overlaps on the right.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

import ahocorasick

from kg import vocab
from kg.extract.frame import Hit, Trigger
from kg.extract.lexicon import (
    LEXICON_DIR,
    LexiconError,
    Optional,
    check_toml,
    toml_line,
)

KINDS = ("verb", "noun", "role")
HOLDERS = ("subject", "object")
OBJECT_AFTER = ("from", "to", "for")   # English: the prepositions a verb's object may be required to follow
EVENTS = ("Investment", "Acquisition")
# what each event's frame must state: an Investment is an investsIn frame, an Acquisition an acquires one
EVENT_RELATION = {"Investment": "investsIn", "Acquisition": "acquires"}
TRIGGER_SCHEMA = {"trigger": [{
    "id": str, "relation": str, "kind": str, "forms": [str],
    "reverse": Optional(bool), "holder": Optional(str), "event": Optional(str), "symmetric": Optional(bool),
    "marked_object": Optional(bool), "object_after": Optional(str), "pair_only": Optional(bool),
    "conf": Optional(float), "examples": Optional([{"text": str, "expect": Optional(list)}]),
}], "cancel": Optional({"negation": Optional([str]), "hedge": Optional([str])})}


def trigger_file(lang: str) -> Path:
    """Where the triggers of ``lang`` live."""
    return LEXICON_DIR / f"triggers_{lang}.toml"


def _entry_error(path: Path, text: str, n: int, entry: dict, message: str) -> LexiconError:
    line = toml_line(text, ("trigger", n))
    return LexiconError(f"{path.name} line {line}: trigger {entry.get('id', n)!r}: {message}")


def parse_triggers(path: Path, text: str, lang: str) -> list[Trigger]:
    """The triggers of one file's text, checked (see the module docstring).

    >>> parse_triggers(Path("t.toml"), '[[trigger]]\\nid = "x"\\nrelation = "investz"\\nkind = "verb"\\nforms = ["a"]\\n', "zh")
    Traceback (most recent call last):
    ...
    kg.extract.lexicon.LexiconError: t.toml line 1: trigger 'x': investz is not a relation of ontologies/kg.ttl
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise LexiconError(f"{path.name}: {e}") from None
    if not data:
        return []
    check_toml(path, text, data, TRIGGER_SCHEMA)
    out, ids = [], set()
    for n, e in enumerate(data.get("trigger", [])):
        def fail(message: str, e=e, n=n) -> LexiconError:
            return _entry_error(path, text, n, e, message)
        if e["relation"] not in vocab.RELATIONS:
            raise fail(f"{e['relation']} is not a relation of ontologies/kg.ttl")
        if e["kind"] not in KINDS:
            raise fail(f"kind must be one of {', '.join(KINDS)}, not {e['kind']!r}")
        if e.get("holder", "subject") not in HOLDERS:
            raise fail(f"holder must be one of {', '.join(HOLDERS)}")
        event = e.get("event")
        if event is not None and (event not in EVENTS or EVENT_RELATION[event] != e["relation"]):
            raise fail(f"event {event!r} does not go with {e['relation']} (known: "
                       + ", ".join(f"{k} for {v}" for k, v in EVENT_RELATION.items()) + ")")
        if e["id"] in ids:
            raise fail("the id is used twice")
        if not e["id"].startswith(f"{lang}."):
            raise fail(f"an id of triggers_{lang}.toml starts with {lang}.")
        if not e["forms"] or any(not f.strip() for f in e["forms"]):
            raise fail("forms must be non-empty words")
        if e.get("object_after") not in (None, *OBJECT_AFTER) or "object_after" in e and e["kind"] != "verb":
            raise fail(f"object_after is for verbs, one of {', '.join(OBJECT_AFTER)}")
        symmetric = e.get("symmetric", e["relation"] in vocab.SYMMETRIC)
        if e.get("pair_only") and not symmetric:
            raise fail("pair_only is for symmetric relations")
        if symmetric != (e["relation"] in vocab.SYMMETRIC):
            raise fail(f"symmetric must be {str(e['relation'] in vocab.SYMMETRIC).lower()} for {e['relation']}")
        for ex in e.get("examples", []):
            for fact in ex.get("expect", []):
                if not (isinstance(fact, list) and len(fact) == 3 and all(isinstance(x, str) for x in fact)):
                    raise fail(f"an expected fact is [subject, relation, object], not {fact!r}")
                if fact[1] not in vocab.RELATIONS:
                    raise fail(f"example expects {fact[1]}, not a relation of ontologies/kg.ttl")
        ids.add(e["id"])
        out.append(Trigger(
            id=e["id"], relation=e["relation"], lang=lang, kind=e["kind"], forms=tuple(e["forms"]),
            reverse=e.get("reverse", False), holder=e.get("holder", "subject"), event=event,
            marked_object=e.get("marked_object", False), object_after=e.get("object_after"),
            pair_only=e.get("pair_only", False),
            symmetric=symmetric, conf=float(e.get("conf", 0.8)),
            examples=tuple({"text": ex["text"], "expect": [tuple(f) for f in ex.get("expect", [])]}
                           for ex in e.get("examples", [])),
        ))
    return out


@lru_cache(maxsize=4)
def load_triggers(lang: str) -> tuple[Trigger, ...]:
    """The triggers of ``lang`` (none when the language has no trigger file), read once per process."""
    path = trigger_file(lang)
    if not path.exists():
        return ()
    return tuple(parse_triggers(path, path.read_text(encoding="utf-8"), lang))


@lru_cache(maxsize=4)
def cancel_words(lang: str) -> dict[str, tuple[str, ...]]:
    """The trigger file's own ``[cancel]`` words (``negation``, ``hedge``), which frames add to the cues of
    ``cues.toml``: what cancels a frame in the words right before its trigger ("停止向 B 供货", "将向 B 投资")."""
    path = trigger_file(lang)
    if not path.exists():
        return {"negation": (), "hedge": ()}
    text = path.read_text(encoding="utf-8")
    parse_triggers(path, text, lang)         # the same strict check as the triggers themselves
    cancel = tomllib.loads(text).get("cancel", {})
    return {k: tuple(cancel.get(k, ())) for k in ("negation", "hedge")}


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_-'’"


class TriggerIndex:
    """Every trigger of one language in one Aho-Corasick automaton.

    >>> t = Trigger("zh.x", "founded", "zh", "role", ("创始人", "联合创始人"))
    >>> [(h.start, h.form) for h in TriggerIndex([t], "zh").find("云帆联合创始人李明")]
    [(2, '联合创始人')]
    >>> e = Trigger("en.x", "acquires", "en", "verb", ("acquire", "acquired"))
    >>> [(h.start, h.form) for h in TriggerIndex([e], "en").find("Cisco Acquired Splunk; reacquired")]
    [(6, 'Acquired')]
    """

    def __init__(self, triggers, lang: str):
        self.lang = lang
        self.fold = lang != "zh"
        by_form: dict[str, list[Trigger]] = {}
        for t in triggers:
            for f in t.forms:
                key = f.lower() if self.fold else f
                if t not in by_form.setdefault(key, []):
                    by_form[key].append(t)
        self.automaton = ahocorasick.Automaton()
        for key, ts in sorted(by_form.items()):
            self.automaton.add_word(key, (key, tuple(ts)))
        self.empty = not by_form
        # lower() of a whole paragraph equals that of each sentence character by character, but for a final
        # sigma (its form depends on the next letter): forms with a sigma are looked for sentence by sentence
        self.sigma = self.fold and any(c in key for key in by_form for c in "σς")
        if not self.empty:
            self.automaton.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """The hits in ``text`` in order: for overlapping forms the leftmost, then the longest, wins;
        one hit per trigger of the form (a form may belong to several triggers)."""
        if self.empty:
            return []
        hay = text.lower() if self.fold else text
        if len(hay) != len(text):     # a few characters change length when lowered: search as written
            hay = text
        found = []
        for end, (key, ts) in self.automaton.iter(hay):
            start = end - len(key) + 1
            # a form written as a suffix ("-backed") joins the word before it: no boundary on its left
            if self.fold and ((start > 0 and _word_char(text[start - 1]) and not key.startswith("-"))
                              or (end + 1 < len(text) and _word_char(text[end + 1]))):
                continue
            found.append((start, -end - 1, ts))
        # leftmost, then longest first (no two forms share both ends: the triggers are never compared)
        found.sort()
        hits, reach = [], -1
        for start, neg_end, ts in found:
            if start < reach:
                continue            # inside or across a longer form found first
            end = reach = -neg_end
            hits += [Hit(t, start, end, text[start:end]) for t in ts]
        return hits

    def spans_with_hits(self, text: str, spans: list[tuple[int, int]]) -> list[bool]:
        """For each ``(start, end)`` of ``spans`` (in order, not overlapping), whether :meth:`find` finds a
        trigger in ``text[start:end]``: the paragraph is lower-cased once and the automaton stops at a
        sentence's first trigger word.

        >>> e = Trigger("en.x", "acquires", "en", "verb", ("acquire", "acquired"))
        >>> TriggerIndex([e], "en").spans_with_hits("A acquired B. Reacquired", [(0, 13), (14, 24)])
        [True, False]
        """
        if self.empty:
            return [False] * len(spans)
        hay = text.lower() if self.fold else text
        if len(hay) != len(text) or self.sigma:
            return [bool(self.find(text[s:e])) for s, e in spans]
        out = []
        for s, e in spans:
            hit = False
            for end, (key, _) in self.automaton.iter(hay, s, e):     # the forms inside text[s:e]
                a, b = end + 1 - len(key), end + 1
                # find()'s word boundaries, with the span's edges as the text's
                if not (self.fold and ((a > s and _word_char(text[a - 1]) and not key.startswith("-"))
                                       or (b < e and _word_char(text[b])))):
                    hit = True
                    break
            out.append(hit)
        return out


@lru_cache(maxsize=4)
def index(lang: str) -> TriggerIndex:
    """The trigger index of ``lang``, built once per process."""
    return TriggerIndex(load_triggers(lang), lang)
