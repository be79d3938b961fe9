"""Reading level: the Flesch-Kincaid grade of each lesson and page against the course target.

    grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59

Only what a participant reads counts: code, headings, block titles, tables, link URLs,
HTML comments, block markers and `!!! facilitator` blocks are left out. A list item counts
as a sentence. Pages with fewer than `MIN_WORDS` words are skipped: the formula means little
on a few lines. A page above `course.reading_level.target_grade` gets one warning, whose hint
lists its hardest sentences (`sentences_to_show` of them) with their line numbers.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterator

from builder.checks.content.corpus import Corpus, Prose
from builder.checks.content.markdown import split_sentences
from builder.diagnostics import Diagnostic, diag, register

GRADE = register("read.grade", "A lesson or page above the course's target reading grade.", "warning")

MIN_WORDS = 100
HINT_MIN_WORDS = 5  # the hint lists the hardest sentences of at least this many words
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*(?:-[A-Za-z]+(?:['’][A-Za-z]+)*)*")

# Words the rules below get wrong, checked against the CMU Pronouncing Dictionary.
_EXCEPTIONS: dict[str, int] = {
    "people": 2, "every": 2, "everyone": 3, "everything": 3, "everybody": 4, "different": 3, "business": 2,
    "area": 3, "areas": 3, "idea": 3, "ideas": 3, "create": 2, "created": 3, "creating": 3, "real": 1,
    "really": 2, "being": 2, "seeing": 2, "doing": 2, "going": 2, "quiet": 2, "science": 2, "diet": 2,
    "society": 4, "anxiety": 4, "variety": 4, "poem": 2, "poet": 2, "lion": 2, "fire": 1, "hour": 1,
    "hours": 1, "our": 1, "ours": 1, "their": 1, "there": 1, "where": 1, "here": 1, "were": 1, "more": 1,
    "some": 1, "come": 1, "done": 1, "gone": 1, "one": 1, "once": 1, "none": 1, "give": 1, "live": 1,
    "lives": 1, "have": 1, "move": 1, "love": 1, "above": 2, "whole": 1, "sometimes": 2, "someone": 2,
    "somewhere": 2, "something": 2, "themselves": 2, "yourself": 2, "yourselves": 2, "ourselves": 2,
    "maybe": 2, "recipe": 3, "simile": 3, "apostrophe": 4, "coordinate": 4, "cooperate": 4, "naive": 2,
    "mediate": 3, "media": 3, "video": 3, "radio": 3, "stereo": 3, "via": 2, "trial": 2, "dial": 2,
    "usual": 3, "usually": 4, "actual": 3, "actually": 4, "gradual": 3, "gradually": 4, "casual": 3,
    "individual": 5, "individuals": 5, "evaluate": 4, "evaluation": 5, "situation": 4, "situations": 4,
    "continue": 3, "continuing": 4, "value": 2, "values": 2, "issue": 2, "issues": 2, "tissue": 2,
    "rescue": 2, "argue": 2, "statue": 2, "queue": 1, "vague": 1, "league": 1, "unique": 2, "technique": 2,
    "techniques": 2, "busy": 2, "able": 2, "table": 2, "whenever": 3, "however": 3, "wherever": 3,
    "forever": 3, "somehow": 2, "likely": 2, "lonely": 2, "safety": 2, "lately": 2, "lovely": 2,
    "wellbeing": 3, "wednesday": 2, "evening": 2, "every day": 3, "toward": 2, "towards": 2,
    "ocean": 2, "prayer": 1, "mayor": 2, "player": 2, "layer": 2, "buyer": 2, "flyer": 2, "lawyer": 2,
    "being's": 2, "reenact": 3, "preexisting": 4, "cooperation": 5, "reality": 4, "realistic": 4,
    "create's": 2, "helpline": 2, "lifeline": 2, "timeline": 2, "guideline": 2, "guidelines": 2,
    "sideline": 2, "homework": 2, "safeguarding": 3, "whatever": 3, "likewise": 2, "otherwise": 3,
    "therefore": 2, "wherefore": 2, "furthermore": 3, "moreover": 3, "welcome": 2, "lifestyle": 2,
    "basically": 3, "especially": 4, "specifically": 5, "finally": 3, "really's": 2, "naturally": 4,
    "generally": 4, "personally": 4, "physically": 3, "socially": 3, "medically": 3,
    "worried": 2, "hurried": 2, "carried": 2, "married": 2, "buried": 2, "studied": 2, "tried": 1,
    "cried": 1, "died": 1, "lied": 1, "dyed": 1, "suicide": 3, "suicidal": 4, "any": 2, "anybody": 4,
    "anyway": 3, "everyday": 3, "confidentiality": 7, "ache": 1, "aches": 1, "headache": 2, "headaches": 2,
    "ancient": 2, "fluid": 2, "ruin": 2, "genuine": 3, "genuinely": 4, "beautiful": 3,
    "eye": 1, "eyes": 1, "everywhere": 3, "elsewhere": 2, "whoever": 3, "poetry": 3, "rhythm": 2,
    "tired": 2, "fired": 2, "hired": 2, "desire": 3, "warehouse": 2, "ok": 2, "okay": 2, "wanted": 2,
}


@dataclass(frozen=True)
class Grade:
    """The reading grade of one page, with what it was computed from."""

    path: str
    grade: float
    words: int
    sentences: int
    syllables: int
    hardest: list[tuple[float, int, str]]  # (grade, offset, sentence text), hardest first


def count_syllables(word: str) -> int:
    """Syllables in an English word, from its spelling (about 90% exact on everyday words).

    Counts groups of vowels, then corrects for the common silent and split spellings; the
    words the rules get wrong most often are in `_EXCEPTIONS`.
    """
    return _count(word.lower())


@functools.lru_cache(maxsize=20000)
def _count(word: str) -> int:
    if "-" in word.strip("-"):
        return sum(_count(part) for part in word.split("-") if part)
    w = re.sub(r"[^a-z]", "", word)
    if not w:
        return 0
    if w in _EXCEPTIONS:
        return _EXCEPTIONS[w]
    for suffix, extra in (("s", 0), ("es", 0), ("d", 0), ("ed", 0), ("ing", 1), ("ly", 1), ("ness", 1)):
        stem = w[: -len(suffix)]
        if w.endswith(suffix) and stem in _EXCEPTIONS:
            if suffix == "es" and stem.endswith(("s", "x", "z", "ch", "sh")):
                extra = 1  # businesses
            return _EXCEPTIONS[stem] + extra
    if not re.search(r"[aeiouy]", w):
        return max(1, len(w) // 3)  # an abbreviation or a fragment such as "hr"
    base = _strip_silent_endings(w)
    # "y" between vowels is a consonant (saying, beyond); between a consonant and a vowel it
    # is a vowel of its own (trying, anyone).
    base = re.sub(r"^y(?=[aeiou])|(?<=[aeiou])y(?=[aeiou])", "_", base)
    count = len(re.findall(r"[aeiouy]+", base))
    count += len(_SPLITS.findall(base))
    count -= len(_SILENT_E.findall(w))
    return max(count, 1)


# Vowel pairs read as two syllables: radio, media, medium, video, actual, fluent, quiet,
# client, easier, trying, being, cooperate, create, criticism, struggle(s).
_SPLITS = re.compile(r"(?<![cstgxln])i(?:a|o(?!ur)|u)|[^aeiouy]iu|eo(?![un])|(?<![gq])ua(?![aeiouy])"
                     r"|(?<![gq])ue(?=n[tc]|lt)|ii|iet|(?<![tl])ien[tc]|(?<=[^aeiou])iers?$"
                     r"|(?<=[^aeiou])y(?=[aeiou])|(?<=[aeiou])ing"
                     r"|^coo(?=[rp])|(?<=cr)eat(?=[eiu])|^rea(?=ct|ss|li[sz])|^rei(?=n)|^pro(?=a)|ism$"
                     r"|(?<![aeiouyrlw])[^aeiouyrlw]l$")
# A silent "e" inside a word before a suffix: safely, hopeless, movement, awareness.
_SILENT_E = re.compile(r"(?:(?<=[aeiouy][^aeiouy])|(?<=[aeiouy][^aeiouy][^aeiouy]))"
                       r"e(?=(?:ful|fully|less|lessness|ment|ments|ly|ness|liness|time|times|work|works"
                       r"|holders?|tables?|lines?|like)$)")


def _strip_silent_endings(w: str) -> str:
    """Drop endings that add no syllable: make(s), use(d), fatigue, but keep table, centre, wanted."""
    if re.search(r"(?<=[gq])ue[sd]?$", w) and len(w) > 4:
        return re.sub(r"ue[sd]?$", "", w)
    if w.endswith("ed") and len(w) > 3 and w[-3] not in "td":
        if w[-3] in "lr" and w[-4] not in "aeiouy" and w[-4] != w[-3]:
            return w[:-1]  # startled, centred: the "le"/"re" stays a syllable
        if w[-3] not in "aeiouy" or w[-3] in "aoy" or w[-4:-2] == "ee":
            return w[:-2]  # helped, stayed, agreed
        return w[:-1]  # tied, argued
    if w.endswith("es") and len(w) > 4 and w[-3] not in "sxzcg" and w[-4:-2] not in ("ch", "sh"):
        if w[-3] in "lr" and w[-4] not in "aeiouy":
            return w[:-1]  # struggles, centres: the "le"/"re" stays a syllable
        return w[:-2] if w[-3] not in "aeiouy" else w[:-1]
    if w.endswith("e") and not w.endswith(("ee", "ye", "oe")) and len(w) >= 3:
        if w[-2] in "lr" and w[-3] not in "aeiouy":
            return w  # table, little, centre
        return w[:-1]
    return w


def grade_of(prose: Prose) -> Grade:
    """The Flesch-Kincaid grade of a lesson or page body (participant text only)."""
    text = prose.blanked(frozenset({"facilitator"}))
    words = sentences = syllables = 0
    scored: list[tuple[float, int, str]] = []
    for unit in prose.units:
        if unit.kind != "text":
            continue
        for start, end in split_sentences(text, unit.start, unit.end):
            tokens = _WORD.findall(text, start, end)
            if not tokens:
                continue
            syl = sum(count_syllables(t) for t in tokens)
            words += len(tokens)
            sentences += 1
            syllables += syl
            scored.append((_fk(len(tokens), 1, syl), start, " ".join(prose.raw[start:end].split())))
    grade = _fk(words, sentences, syllables) if words else 0.0
    scored.sort(key=lambda s: (-s[0], s[1]))
    return Grade(prose.path, round(grade, 1), words, sentences, syllables, scored)


def _fk(words: int, sentences: int, syllables: int) -> float:
    return 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59


def check(corpus: Corpus) -> Iterator[Diagnostic]:
    settings = corpus.project.course.reading_level
    target = settings.target_grade
    for prose in corpus.bodies:
        doc = prose.doc
        assert doc is not None
        if corpus.project.page_audience.get(doc.path, "all") != "all":
            continue  # organiser and facilitator pages are not written for participants
        g = grade_of(prose)
        if g.words < MIN_WORDS or g.grade <= target:
            continue
        # A one-word list item full of long words scores high but is not a sentence to rewrite.
        candidates = [s for s in g.hardest if len(_WORD.findall(s[2])) >= HINT_MIN_WORDS] or g.hardest
        shown = [f"line {prose.where(offset).line} (grade {grade:.1f}): \"{_clip(text)}\""
                 for grade, offset, text in candidates[: settings.sentences_to_show]]
        hint = "use shorter sentences and everyday words"
        if shown:
            hint += "; start with " + "; ".join(shown)
        yield diag(GRADE, doc.meta.where("title"),
                   f"reading grade {g.grade:.1f} is above the target {target:g} "
                   f"(Flesch-Kincaid; {g.words} words, {g.sentences} sentences)", hint)


def _clip(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
