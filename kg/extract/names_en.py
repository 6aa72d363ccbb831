"""Rules for names the gazetteer does not know in English text: runs of capitalized words read by their
cues (an organization suffix, a title, a given name, a speech verb, an employer, a place) or kept as weak
names with none. The words come from the ``[en]`` table of ``ontologies/lexicon/cues.toml`` and the name
lists beside it; :class:`kg.extract.names.NameRules` holds the Chinese rules.
"""
from __future__ import annotations

import re

from kg.extract.lexicon import Lexicon
from kg.extract.names import _CAMEL, Candidate, _alt
from kg.extract.triggers import load_triggers

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,5}$")
# a model designation: letters then a number, often hyphenated (HX-2, QX-4, A320, GPT-4); what news writes
# this way and is no product: quarters and halves, fiscal years, groups of states, climate summits, codes
_MODEL = re.compile(r"^[A-Z][A-Za-z]{0,7}-?\d{1,4}[A-Za-z]{0,2}$")
_NOT_MODEL = re.compile(r"^(?:[QH][1-4]|FY\d+|G\d{1,2}|COP\d+|CO2|COVID-?19|MP3|P2P|B2B|B2C|O2O|Web3|A[0-9]|PM\d+)$",
                        re.IGNORECASE)
_ABBREVIATIONS = ("Inc.", "Corp.", "Ltd.", "Co.", "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Jr.", "Sr.", "St.")


# (compiled once: re's own cache lookup per call cost more than the matching of these short strings)
_WORD = r"(?:[A-Z][\w.\-’']*|\d+[A-Z][\w\-]*|[a-z]+[A-Z][\w\-]*)"
_RUN = re.compile(rf"(?<![\w.]){_WORD}(?:(?: & | of | de | ){_WORD})*"
                  r"(?:,? (?:Inc\.|Corp\.|Ltd\.|LLC|PLC|plc|N\.V\.|S\.A\.)(?!\w))?")
_RUN_CUT = re.compile(r"(?<=['’]s) |(?<=\w{2}\.) ")
_RUN_TAIL = re.compile(r"(?:['’]s?|(?<!Inc|orp|Ltd|N\.V|S\.A)[.,\-])$")
_TAIL_ENDS = frozenset("'’s.,-")
_TOKEN = re.compile(r"[^\s,]+")
_NUMBER = re.compile(r"[\d.,]+")
# one word of a personal name: "Lisa", "O'Neill", "McDonald", "Mensah-Arde", "Jean-luc", or an initial "J."
_NAME_WORD = re.compile(r"(?:Mc|Mac|O['’]|D['’])?[A-Z][a-z'’]+(?:-[A-Z]?[a-z'’]+)*|[A-Z]\.")
_NAME_WORDS = re.compile(r"[A-Z][a-z'’\-]+(?: [A-Z][a-z'’\-]+){1,2}")
_AND = re.compile(r",? and ")
# words that open a sentence before a possessive or a title and name no one ("Today's", "Former chief executive")
_NOT_OWNERS = {"Today", "Yesterday", "Tomorrow", "Everyone", "Everybody", "Nobody", "Someone", "Somebody", "This",
               "That", "Its", "Their", "His", "Her", "Our", "My", "Your", "One", "Each", "Company", "Year", "Week",
               "Former", "Interim", "Acting", "Incoming", "Outgoing", "New", "Then", "Longtime", "Deputy", "Senior",
               "Veteran", "Founding", "Current", "Ex", "Retired", "Late", "Joint", "Co"}


def _split_run(run: str, affixed: re.Pattern) -> list[str]:
    """A run of capitalized words cut where one name ends: after a possessive, a full stop that is no
    abbreviation, or a word with a name affix ("Fenwick-backed Vessmark" is two names)."""
    if "-" not in run and "s " not in run and ". " not in run:
        return [run]        # no possessive, full stop or affix to cut at (most runs): the run is one name
    parts: list[str] = []
    for part in _RUN_CUT.split(run):
        if parts and parts[-1].endswith(_ABBREVIATIONS) and not parts[-1].endswith(("'s", "’s")):
            parts[-1] += " " + part
        else:
            parts.append(part)
    out = []
    for part in parts:
        words = part.split(" ")
        start = 0
        for k, w in enumerate(words):
            if "-" in w and affixed.search(w) and k + 1 < len(words):     # (every affix follows a hyphen)
                out.append(" ".join(words[start:k + 1]))
                start = k + 1
        out.append(" ".join(words[start:]))
    return out


def _cue_words(words: list[str]) -> tuple[str, ...] | None:
    """``words`` for str.endswith, or None when one is empty or ends in a space or comma (then the text
    before a name cannot be trimmed to end with the cue word, see :func:`_cue_end`)."""
    if any(not w or w[-1].isspace() or w[-1] == "," for w in words):
        return None
    return tuple(words)


def _cue_end(tail: str) -> str:
    """Where a cue word before a name must end when "\\s*,?\\s*$" follows it: ``tail`` is the text before the
    name without its trailing spaces; a comma and the spaces before it go too."""
    if tail.endswith(","):
        tail = tail[:-1].rstrip()
    return tail


def _may_end(text: str, words: tuple[str, ...] | None) -> bool:
    """Whether ``text`` can end with a cue word (always, when the words are not usable)."""
    return words is None or text.endswith(words)


class EnglishNames:
    """Compiled English name rules for one lexicon."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        en = lex.cues["en"]
        self.not_names = set(en["not_names"])
        self.en_suffixes = en["org_suffixes"]
        self.title_words = set(en["title_words"])
        self.en_title = re.compile(f"(?:{_alt(en['person_titles'])})\\s*,?\\s*$")
        self.en_speech = re.compile(f"^\\s+(?:{_alt(en['speech_verbs'])})\\b")
        self.en_product = re.compile(f"^\\s+(?:{_alt(en['product_cues'])})\\b", re.IGNORECASE)
        # a speech verb, a short time phrase, then "it"/"its": "said it", "said on Tuesday that its"
        self.en_speech_it = re.compile(
            f"\\s+(?:{_alt(en['speech_verbs'])})\\s+(?:(?:on|in|late|early|last|this)\\s+\\w+\\s+)?(?:that\\s+)?(?:it|its)\\b")
        self.en_speech_before = re.compile(f"\\b(?:{_alt(en['speech_verbs'])})\\s+$")
        # "Hollis Bhatt, an analyst at …", "Wren Ellery, Fernlow's co-founder": a title in an apposition
        self.en_title_apposition = re.compile(
            f",\\s+(?:a|an|the|its|his|her|their|[A-Z][\\w.&\\-]*['’]s?)\\s+(?:[\\w\\-]+\\s+){{0,3}}?"
            f"(?:{_alt(en['person_titles'])})\\b")
        # "an analyst at Harwick Partners", "a reporter for Ledgerline": the organization a person works for
        self.en_employer_before = re.compile(f"\\b(?:{_alt(en['person_titles'] + en['job_nouns'])})\\s+(?:at|for|with)\\s+$")
        # "a former Plumtree product manager", "a Volkner engineer": a name before a job noun is the employer
        self.en_employer_after = re.compile(f"^\\s+(?:{_alt(en['job_nouns'])})\\b")
        self.en_place_before = re.compile(r"\b(?:based|headquartered|located|incorporated) in\s+$")
        # "Quorvex launched Lumina 4.0", "unveiled its new Halo": the name a launch verb takes is a product's
        # (not after "a new": "unveiled a new Mini LED display" describes a kind of thing)
        self.en_launched_before = re.compile(f"\\b(?:{_alt(en['product_verbs'])})\\s+(?:(?:its|their|the)\\s+)?"
                                             r"(?:(?:new|own|latest|first|next-generation)\s+)?$", re.IGNORECASE)
        # "Lumina was developed by Quorvex", "Halo, first released by …": the passive of a launch verb names a product
        participles = [f for f in en["product_verbs"] if f.split()[0].endswith("ed")]
        self.en_launched_by = re.compile(f"^,?\\s+(?:(?:is|was|were|are|has been|had been|have been|being|first|"
                                         f"originally|jointly|recently|quietly|later)\\s+){{0,2}}"
                                         f"(?:{_alt(participles)})\\s+by\\b", re.IGNORECASE)
        # a sentence's first word is usually no name ("Shares rose"); one that a relation verb follows, after at
        # most a few auxiliaries and adverbs, is that verb's subject ("Verolux raised $45 million", "Quorvex has
        # quietly acquired …"): a weak name, kept only if the frame uses it
        verbs = sorted({f for t in load_triggers("en") if t.kind == "verb" for f in t.forms if f[:1].isalpha()},
                       key=len, reverse=True)
        self.en_subject_verb = re.compile(
            r"^\s+(?:(?:has|have|had|will|would|is|was|also|recently|quietly|now|then|previously|just|already|"
            r"formally|officially|finally|today|yesterday|last\s+\w+|this\s+\w+)\s+){0,3}"
            f"(?:{_alt(verbs)})\\b", re.IGNORECASE)
        # ... or the antecedent of a relative clause, or the first of two subjects ("Veltrix, which …",
        # "Veltrix and Samsung formed …")
        self.en_subject_more = re.compile(
            r"(?:,\s+(?:which|whose|a|an)\b|\s+and\s+(?:[A-Z][\w.&'’-]*\s+){1,3}?[a-z]+\b)")
        self.en_governing = re.compile(r"\s+(?:(?:has|have|had|also|recently|quietly|now|just|already)\s+)?"
                                       f"(?:{_alt(en['governing_verbs'])})\\s+(?:into\\s+)?(?:a|an|the|its|their)\\b")
        # "a new chip called Maplewise", "a startup named Quorvex": the noun before the naming word says what
        self.en_named = re.compile(r"\b([a-z]+)[,]?\s+(?:called|named|dubbed|branded|known as)\s+$")
        self.en_product_nouns = set(en["product_cues"]) | {"product", "robot", "phone", "drug", "headset", "device",
                                                          "car", "vehicle", "service", "tool", "platform", "software"}
        self.en_org_nouns = {"startup", "start-up", "company", "firm", "lab", "fund", "group", "maker", "developer",
                             "provider", "supplier", "rival", "subsidiary", "unit", "venture", "manufacturer"}
        # "Tarnwell's new app", "Tarnwell co-founder Maya Brannock": a possessive, or a title and then a name
        self.en_owner_after = re.compile(f"(?:['’]s\\s|\\s+(?:{_alt(en['person_titles'])})\\s+[A-Z][a-z])")
        self.en_affixes = {a: cls for cls, words in en["name_affixes"].items() for a in words}
        self.en_affix = re.compile(f"-(?:{_alt(self.en_affixes)})$")
        # The patterns that end at a name ("… an analyst at ", "… said ") try their alternation of dozens of
        # words at every offset of the 40 characters before each capitalized run; the cue word must end the
        # text before the name (but for its spaces and a comma), so str.endswith rules most runs out first
        self._titles = _cue_words(en["person_titles"])
        self._speech_verbs = _cue_words(en["speech_verbs"])

    def english(self, text: str, sentence_starts: set[int], headline: bool) -> list[Candidate]:
        """Candidates for unknown names in English text: suffixes, titles, given names, speakers, camel case."""
        out = []
        titles = self.title_words
        for s, e, words in self._capitalized_runs(text):
            affix = self.en_affix.search(text, s, e)
            if affix:
                # "Denver-based", "Fenwick-backed": the name of a place or a backer, never one with its affix
                if affix.start() - s >= 2 and text[s:affix.start()] not in self.not_names:
                    out.append(Candidate(s, affix.start(), self.en_affixes[affix.group()[1:]], 0.6,
                                         "rule:en-affix", True))
                continue
            k = next((k for k in range(1, len(words) - 1) if words[k] in titles and words[k - 1] not in titles), 0) \
                if len(words) > 2 else 0
            if k and words[-1] not in self.en_suffixes:
                # "Tarnwell CEO Marcel Aubry": an organization, its title, a person
                j = k
                while j < len(words) and words[j] in titles:
                    j += 1
                rest = words[j:]
                if 2 <= len(rest) <= 3 and all(_NAME_WORD.fullmatch(w) for w in rest):
                    org_end = text.index(words[k - 1], s) + len(words[k - 1])
                    out.append(Candidate(s, org_end, "Organization", 0.6, "rule:en-org-title", True))
                    out.append(Candidate(text.index(rest[0], org_end), e, "Person", 0.75, "rule:en-title", True))
                    continue
            if len(words) > 2 and words[0] in titles and words[-1] not in self.en_suffixes:
                # "Chief Financial Officer Colette Kress": the title, then the person
                k = 0
                while k < len(words) and words[k] in titles:
                    k += 1
                rest = words[k:]
                if 2 <= len(rest) <= 3 and all(_NAME_WORD.fullmatch(w) for w in rest):
                    start = text.index(rest[0], s)
                    out.append(Candidate(start, e, "Person", 0.75, "rule:en-title", True))
                    continue
            name = text[s:e]
            at_start = s in sentence_starts
            before, after = text[max(0, s - 40):s], text[e:e + 30]
            tail = before.rstrip()          # != before: spaces end it, as "\s+$" asks
            if words[-1] in self.en_suffixes and len(words) > 1:
                out.append(Candidate(s, e, self.en_suffixes[words[-1]], 0.7, "rule:en-org-suffix", True))
            elif 2 <= len(words) <= 3 and _may_end(_cue_end(tail), self._titles) and self.en_title.search(before) \
                    and all(w[0].isupper() for w in words):
                out.append(Candidate(s, e, "Person", 0.75, "rule:en-title", True))
            elif 2 <= len(words) <= 3 and all(_NAME_WORD.fullmatch(w) for w in words) and (
                    (tail != before and _may_end(tail, self._speech_verbs) and self.en_speech_before.search(before))
                    or self.en_title_apposition.match(text, e)):
                out.append(Candidate(s, e, "Person", 0.7, "rule:en-person-apposition", True))
            elif len(words) <= 3 and tail != before and (named := self.en_named.search(before)) and (
                    named.group(1) in self.en_product_nouns or named.group(1) in self.en_org_nouns):
                cls = "Product" if named.group(1) in self.en_product_nouns else "Organization"
                out.append(Candidate(s, e, cls, 0.6, "rule:en-named", True))
            elif len(words) <= 3 and (tail != before and not at_start and self.en_launched_before.search(before)
                                      or self.en_launched_by.match(after)):
                out.append(Candidate(s, e, "Product", 0.5, "rule:en-launched", False))
            elif tail != before and tail.endswith(" in") and self.en_place_before.search(before):
                out.append(Candidate(s, e, "Place", 0.6, "rule:en-place", True))
            elif (tail != before and tail.endswith(("at", "for", "with")) and self.en_employer_before.search(before)) or (
                    self.en_employer_after.match(after) and words[0] not in self.lex.given_names):
                out.append(Candidate(s, e, "Organization", 0.6, "rule:en-employer", True))
            elif 2 <= len(words) <= 3 and words[0] in self.lex.given_names and all(
                    _NAME_WORD.fullmatch(w) for w in words):
                out.append(Candidate(s, e, "Person", 0.65, "rule:given-name", True))
            elif len(words) == 1 and _CAMEL.match(name):
                out.append(Candidate(s, e, "Organization", 0.55, "rule:camel-case", True))
            elif headline:
                continue
            elif self.en_product.match(after) and not at_start:
                out.append(Candidate(s, e, "Product", 0.45, "rule:en-product", False))
            elif 2 <= len(words) <= 3 and self.en_speech.match(after):
                # "Morrow Health said it had raised …": what speaks of itself as "it" is an organization
                org = self.en_speech_it.match(text, e) is not None
                out.append(Candidate(s, e, "Organization" if org else "Person", 0.6,
                                     "rule:en-speaker-org" if org else "rule:en-speaker", True))
            elif at_start and len(words) == 1 and not (len(name) >= 3 and name.isalpha() and (
                    self.en_subject_verb.match(after) or self.en_speech_it.match(text, e)
                    or self.en_subject_more.match(text, e) or not name.endswith("s") and self.en_governing.match(text, e)
                    or name not in _NOT_OWNERS and self.en_owner_after.match(text, e))):
                continue
            elif len(words) == 1 and _MODEL.match(name) and not _NOT_MODEL.match(name):
                out.append(Candidate(s, e, "Product", 0.45, "rule:en-model-number", False))
            elif _ACRONYM.match(name) and len(words) == 1:
                out.append(Candidate(s, e, "Organization", 0.35, "rule:acronym", False))
            else:
                out.append(Candidate(s, e, "Organization", 0.4, "rule:capitalized", False))
        return self._coordinated_people(text, out)

    @staticmethod
    def _coordinated_people(text: str, out: list[Candidate]) -> list[Candidate]:
        """"Odile Pendergast and Teodor Okonjo": a name-shaped pair of words joined by "and" to a person is a person."""
        people = {(c.start, c.end) for c in out if c.cls == "Person"}
        res = []
        for k, c in enumerate(out):
            if not c.strong and c.source == "rule:capitalized" and _NAME_WORDS.fullmatch(text[c.start:c.end]):
                nxt = out[k + 1] if k + 1 < len(out) else None
                prv = out[k - 1] if k else None
                if (nxt and (nxt.start, nxt.end) in people and _AND.fullmatch(text[c.end:nxt.start])) or (
                        prv and (prv.start, prv.end) in people and _AND.fullmatch(text[prv.end:c.start])):
                    c = Candidate(c.start, c.end, "Person", 0.6, "rule:en-person-and", True)
            res.append(c)
        return res

    def _capitalized_runs(self, text: str):
        """Maximal runs of capitalized words (with '&' and 'of' inside), minus leading function words."""
        pieces = []
        for m in _RUN.finditer(text):
            # a possessive ends a name: "Nvidia’s BlueField" is two names; so does a full stop that is no
            # abbreviation ("… in South Australia. Chief Executive …")
            s = m.start()
            for part in _split_run(m.group(), self.en_affix):
                pieces.append((s, s + len(part)))
                s += len(part) + 1
        for s, e in pieces:
            # (the tail pattern ends with one of these characters: most pieces end otherwise)
            tail = _RUN_TAIL.search(text[s:e]) if text[e - 1:e] in _TAIL_ENDS else None
            if tail:
                e -= len(tail.group())
            piece = text[s:e]
            if piece and "," not in piece:
                # the words of a run are joined by single spaces and hold no comma: str.split finds the
                # same tokens as the pattern, and their offsets follow from their lengths
                toks, at = [], s
                for w in piece.split(" "):
                    toks.append((at, at + len(w), w))
                    at += len(w) + 1
            else:
                toks = [(t.start() + s, t.end() + s, t.group()) for t in _TOKEN.finditer(piece)]
            while toks and (toks[0][2] in self.not_names or toks[0][2].lower() in ("of", "and", "&")):
                toks = toks[1:]
            while toks and (toks[-1][2] in self.not_names and toks[-1][2] not in self.en_suffixes
                            or toks[-1][2].lower() in ("of", "and", "&", "de")):
                toks = toks[:-1]
            if not toks:
                continue
            s, e = toks[0][0], toks[-1][1]
            if _NUMBER.fullmatch(text[s:e]) or e - s < 2:
                continue
            yield s, e, [t[2] for t in toks]
