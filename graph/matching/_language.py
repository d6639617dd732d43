"""Which language a need or a passage is written in: Romanian, English, or something else.

Why a small detector of our own rather than a library: only two languages matter for choosing a
stemmer and a dense channel, texts are short (a need is often ten words, half of them typed
without diacritics), and the answer must be explainable ("read as Romanian: 4 Romanian function
words, 2 letters with diacritics"). Romanian diacritics (ă â î ș ş ț ţ) are decisive; otherwise the
counts of each language's function words decide; a text with letters but neither kind of word is
"other" (German, French, ...), one without letters is "none". Measured on the evaluation needs and
the CORDIS objectives in tests/graph/matching/test_language.py.

>>> detect("Căutăm o metodă de uscare a cerealelor").language
'ro'
>>> detect("cautam o metoda de uscare a cerealelor fara gaz").language
'ro'
>>> detect("grain drying without gas").language
'en'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

Language = Literal["ro", "en", "other", "none"]

_RO_MARKS = re.compile("[ăâîșşțţĂÂÎȘŞȚŢ]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
#: Frequent Romanian function words and need words, folded (no diacritics): what even a ten-word
#: need contains. Words that are also English ("a", "in", "de" in names) are left out or weigh less.
_RO_TEXT = (
    "si sau pentru care este sunt din din cu la pe ca sa se nu mai fara prin dupa ale al lui lor unei unui "
    "unor noi nostru noastra nostri avem vrem cautam caut ne ni trebuie putem poate fi fost cum cat "
    "ce cine unde cand daca decat foarte mult multe putin dar iar acest aceasta aceste acesti asa "
    "firma firme companie companii ferma fabrica noastre nevoie solutie solutii sistem metoda mai "
    "orice oricare fiecare doar deja inca tot toate toti cel cea cei cele intre catre despre asupra "
    "ei el ea ele ii il o un de"
)
RO_WORDS = frozenset(_RO_TEXT.split())
_EN_TEXT = (
    "the and of to for with that this is are we our us you your be been from by on at as it its an "
    "which who what how where when if than then there their they them these those can could would "
    "should will need want looking find have has had not no into about more less also such using use "
    "without very much many any some other all each only"
)
EN_WORDS = frozenset(_EN_TEXT.split())
#: Function words of other European languages a need may come in (German, French, Spanish, Italian,
#: Hungarian): evidence for "other", so that a German need is not read as English for its "w" and "th".
_OTHER_TEXT = (
    "der die das und mit fur zur zum eine einen ohne nicht ist wir sie ich les des une est avec pour sans "
    "nous vous dans sur el los las una con para por sin que del della che per gli sono es az egy nem hogy"
)
OTHER_WORDS = frozenset(_OTHER_TEXT.split())
#: Spelling that is English and not Romanian (suffixes and letter groups), for texts without function words.
_EN_SHAPE = re.compile(r"(?:th|w|y|k|sh|ph|ck|oo|ee)|(?:tion|ing|ed|ness|ies|ity|ly|ous|ment|ive|al|er|ers|ic|ics)$")
#: Spelling that is Romanian and not English: case endings, -ție/-tie, -ează, -esc.
_RO_SHAPE = re.compile(r"(?:ului|ilor|elor|tie|tii|tiei|eaza|esc|ii|ul|ele|ea|ati|ari|ita)$")
#: Short Romanian words that also occur in English-context text ("de novo", "type O", "la", "Ca", "II"):
#: not counted, so that only unmistakable Romanian words make a text without diacritics Romanian.
_WEAK_TEXT = "de o un la ca ce cu pe nu ei el ea il ii se"
WEAK = frozenset(_WEAK_TEXT.split())
#: Words that Romanian and English share in this list's sense ("de", "o", "un" are Romanian only,
#: but "a" and "in" are both): they count for neither language.
_SHARED = frozenset({"a", "in", "no", "as"})


@dataclass(frozen=True)
class Detection:
    """The language and the evidence it was read from (for the explanation)."""

    language: Language
    romanian_words: int = 0
    english_words: int = 0
    diacritics: int = 0
    words: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"language": self.language, "romanian_words": self.romanian_words,
                "english_words": self.english_words, "diacritics": self.diacritics, "words": self.words}


def fold_word(word: str) -> str:
    """Lowercase without diacritics: "Fără" -> "fara", cedilla and comma-below alike."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    if decomposed.isascii():
        return decomposed
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def detect(text: str) -> Detection:
    """Romanian, English, other or none for ``text`` (see the module docstring)."""
    folded = fold_word(text)  # the whole text at once: per-word folding cost 1 ms per passage
    words = _WORD.findall(folded)
    if not words:
        return Detection("none")
    latin = sum(1 for w in words if w.isascii())
    diacritics = len(_RO_MARKS.findall(text))
    ro = sum(1 for w in words if w in RO_WORDS and w not in _SHARED and w not in WEAK)
    en = sum(1 for w in words if w in EN_WORDS and w not in _SHARED)
    evidence = {"romanian_words": ro, "english_words": en, "diacritics": diacritics, "words": len(words)}
    if latin * 2 < len(words):
        return Detection("other", **evidence)  # Cyrillic, Greek, CJK ...: neither stemmer applies
    if sum(1 for w in words if w in OTHER_WORDS) > max(ro, en) + 1:
        return Detection("other", **evidence)
    if diacritics and ro + diacritics > en:
        return Detection("ro", **evidence)
    if ro > en:
        return Detection("ro", **evidence)
    if en > ro:
        return Detection("en", **evidence)
    if sum(1 for w in words if w in OTHER_WORDS) > max(ro, en):
        return Detection("other", **evidence)
    # No function words decide (keywords, a title, a claim): the words' spelling does.
    en_shape = sum(1 for w in words if _EN_SHAPE.search(w))
    ro_shape = sum(1 for w in words if _RO_SHAPE.search(w))
    if ro_shape > en_shape:
        return Detection("ro", **evidence)
    if en_shape > ro_shape or (ro == en == 0 and len(words) <= 3):
        return Detection("en", **evidence)
    return Detection("other" if ro == en == 0 else "en", **evidence)
