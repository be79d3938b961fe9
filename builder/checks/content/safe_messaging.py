"""Safe messaging about suicide (rules S1-S18 of domain-facts.md section 8) and stigma terms.

Word rules (S1-S13, S17, S18) run over every text of the course: lesson and page bodies and
every YAML string. Text inside a `!!! myth` block is exempt from them: that block is how an
author marks a myth quoted in order to correct it. "Near" means in the same sentence.
Page rules (S14-S16) apply to lessons and pages that mention suicide or self-harm.

The stigma list (S13) is broad on purpose, as retext-equality's is, and then filtered by
`CLINICAL_TERMS`: accurate clinical words a mental-health course must be able to use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from builder.checks.content.corpus import Corpus, Prose
from builder.checks.content.markdown import blank_comments
from builder.diagnostics import Code, Diagnostic, diag, register
from builder.model.project import Document

S = {
    1: register("safe.S1", "'committed suicide' (implies a crime or a sin)."),
    2: register("safe.S2", "'successful' or 'failed' suicide attempt (frames death as success)."),
    3: register("safe.S3", "'completed suicide'."),
    4: register("safe.S4", "Sensational words about suicide rates ('epidemic', 'skyrocketing').", "warning"),
    5: register("safe.S5", "'bullycide' (oversimplifies and sounds fatalistic)."),
    6: register("safe.S6", "Method or location detail near a mention of suicide."),
    7: register("safe.S7", "Suicide described as happening 'without warning'.", "warning"),
    8: register("safe.S8", "Suicide put down to a single cause.", "warning"),
    9: register("safe.S9", "Suicide presented as a way out, an escape or a relief.", "warning"),
    10: register("safe.S10", "Glorifying words near suicide ('brave', 'heroic', 'beautiful').", "warning"),
    11: register("safe.S11", "'suicide note'.", "warning"),
    12: register("safe.S12", "Trivialising idioms ('career suicide', 'social suicide')."),
    13: register("safe.S13", "Stigmatising words about mental illness or substance use."),
    14: register("safe.S14", "A page about suicide or self-harm without a `!!! help` block."),
    15: register("safe.S15", "A page about suicide or self-harm without a hopeful or action message.",
                 "warning"),
    16: register("safe.S16", "A page about suicide or self-harm without a content note at the top."),
    17: register("safe.S17", "The superseded US lifeline name or 1-800 number."),
    18: register("safe.S18", "'Press 3' for the 988 Lifeline (that option ended in July 2025)."),
}

# Accurate clinical words the course must use; the stigma list never flags these.
CLINICAL_TERMS = frozenset({
    "depressed", "depression", "panic attack", "panic attacks", "psychosis", "psychoses", "psychotic",
    "psychological", "psychologically", "psychology", "psychologist", "psychologists", "psychiatry",
    "psychiatric", "psychiatrist", "psychiatrists", "psychotherapy", "psychotherapist", "psychotherapists",
    "psychoeducation", "psychoeducational", "psychosocial", "psychoactive", "psychometric", "psychosomatic",
    "schizophrenia", "schizoaffective", "anxiety", "bipolar disorder", "addiction", "addicted",
})

SUICIDE = (r"(?:\bsuicid\w*|\bself[- ]?harm\w*"
           r"|\bkill(?:s|ed|ing)?\s+(?:him|her|them|my|your|our|one)sel(?:f|ves)\b"
           r"|\b(?:take|takes|took|taking|end|ends|ended|ending)\s+(?:his|her|their|my|your|one's)\s+(?:own\s+)?"
           r"li(?:fe|ves)\b)")
_SUICIDE = re.compile(SUICIDE, re.I)
_SUICIDE_KEYS = ("suicid", "self", "kill", "life", "lives")
_NEGATION = re.compile(
    r"\b(?:not|never|rarely|seldom|myths?|untrue|false|wrong|mistaken|misconceptions?)\b|n[’']t\b", re.I)
_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”")


@dataclass(frozen=True)
class Rule:
    """One word pattern: where it fires, why, and what to write instead."""

    code: Code
    pattern: re.Pattern[str]
    why: str
    hint: str
    near: re.Pattern[str] | None = None  # must share a sentence with the match
    unless: re.Pattern[str] | None = None  # the sentence corrects or negates the wording
    skip_quoted: bool = False  # quoted speech (what a person at risk may say) is fine
    keys: tuple[str, ...] = ()  # the text must contain one of these (lower case) to be worth searching


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


RULES: list[Rule] = [
    Rule(S[1], _r(r"\bcommit(?:s|ted|ting)?\s+suicide\b"), "implies a crime or a sin",
         "write 'died by suicide' or 'took their own life'", keys=("suicide",)),
    Rule(S[2], _r(r"\b(?:successful|unsuccessful|failed)\s+suicides?(?:\s+attempts?)?\b"),
         "frames a death as a success", "write 'suicide attempt' or 'survived a suicide attempt'",
         keys=("suicid",)),
    Rule(S[2], _r(r"\b(?:successful|unsuccessful|failed)\s+attempts?\b"), "frames a death as a success",
         "write 'suicide attempt' or 'survived a suicide attempt'", near=_SUICIDE, keys=("attempt",)),
    Rule(S[3], _r(r"\bcompleted\s+suicides?\b"), "is disputed wording", "write 'died by suicide'",
         keys=("suicid",)),
    Rule(S[4], _r(r"\bsuicid\w*[^.!?\n]{0,40}\b(?:epidemic|skyrocket\w*|surg(?:e|es|ed|ing)|crisis\s+of"
                  r"|soar\w*)\b|\b(?:epidemic|skyrocket\w*|surg(?:e|es|ed|ing)|soar\w*)\b[^.!?\n]{0,40}\bsuicid\w*"),
         "is sensational and suggests suicide is inevitable", "write 'higher rates' or 'a rise in'",
         keys=("suicid",)),
    Rule(S[5], _r(r"\bbullycides?\b"), "oversimplifies and sounds fatalistic",
         "describe bullying as one of several factors", keys=("bullycid",)),
    Rule(S[6], _r(r"\b(?:hang(?:s|ed|ing)?\b(?!\s+(?:out|on|around|up|in\s+there|together|back|about|onto)\b)"
                  r"|noose|overdos\w*|\d+\s+(?:pills|tablets|capsules)|(?:jump|leap)\w*\s+(?:from|off|in\s+front\s+of)"
                  r"|guns?|gunshot|firearms?|shot\s+(?:him|her|them|my|your)sel\w+|shoot\w*\s+(?:him|her|them|my|your)sel\w+"
                  r"|bridges?|railway|train\s+tracks?|poison\w*|wrists?|suffocat\w*|carbon\s+monoxide|razors?"
                  r"|blades?|ledge|rope|pesticides?|lethal\s+dose|drown\w*)\b"),
         "is method or location detail, which raises the risk of imitation",
         "remove the detail; talk about warning signs and getting help instead", near=_SUICIDE),
    Rule(S[7], _r(r"\b(?:without\s+(?:any\s+)?warning|out\s+of\s+(?:the\s+)?nowhere|out\s+of\s+the\s+blue"
                  r"|inexplicabl\w*|no\s+(?:warning\s+)?signs)\b"),
         "suggests suicide cannot be foreseen; most people show warning signs",
         "name the warning signs that are often present", near=_SUICIDE, unless=_NEGATION),
    Rule(S[8], _r(r"\bsuicid\w*[^.!?\n]{0,60}\b(?:because\s+of|caused\s+by|due\s+to"
                  r"|the\s+reason\s+(?:for|why)|triggered\s+by)\b|\b(?:drove|driven|drive|drives|pushed)\s+(?:\w+\s+){0,2}to\s+suicide\b"),
         "puts suicide down to a single cause",
         "write 'many things can contribute, and X can be one of them'",
         unless=_r(_NEGATION.pattern
                   + r"|\b(?:many|several|multiple|complex|combination|mix|range|one\s+of)\b"),
         keys=("suicid",)),
    Rule(S[9], _r(r"\b(?:way\s+out|escape|end\s+(?:the|their|his|her|my|your)\s+pain|at\s+peace"
                  r"|better\s+off)\b"),
         "presents suicide as a solution", "focus on help, hope and recovery", near=_SUICIDE,
         unless=_NEGATION, skip_quoted=True),
    Rule(S[10], _r(r"\b(?:brave|heroic|romantic|honou?rable|beautiful|noble)\b"), "glorifies suicide",
         "use neutral wording", near=_SUICIDE,
         unless=_r(r"\b(?:ask\w*|talk\w*|reach\w*|speak\w*|seek\w*|shar\w*|tell\w*|help\w*|support\w*)\b")),
    Rule(S[11], _r(r"\bsuicide\s+(?:notes?|letters?)\b"), "draws attention to identifying detail",
         "write 'a note', or leave it out", keys=("suicide",)),
    Rule(S[12], _r(r"\b(?:career|social|political|commercial|electoral|professional)\s+suicide\b"),
         "trivialises suicide", "write 'career-ending' or 'a big social risk'", keys=("suicide",)),
    Rule(S[17], _r(r"(?:\b1[-. ]?)?\(?\b800\)?[-. ]?273[-. ]?(?:8255|TALK)\b"
                   r"|\bNational\s+Suicide\s+Prevention\s+Lifeline\b"),
         "is the superseded US lifeline (renamed in 2022)", "write '988 Suicide & Crisis Lifeline'",
         keys=("800", "lifeline")),
]

# S13: broad patterns, each with its own suggestion; CLINICAL_TERMS filters the matches.
STIGMA: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = [
    (_r(r"\bpsycho\w*"), "describe the behaviour, or say 'a person experiencing psychosis'", ("psycho",)),
    (_r(r"\bschizo\w*"), "write 'a person with schizophrenia'", ("schizo",)),
    (_r(r"\bcraz(?:y|ier|iest|ies)\b"),
     "describe what is happening ('very upsetting', 'confusing'), or leave it out", ("craz",)),
    (_r(r"\binsan(?:e|ity)\b"), "describe what is happening, or leave it out", ("insan",)),
    (_r(r"\blunatics?\b|\bmaniacs?\b|\bmadm[ae]n\b|\bderanged\b|\bnut(?:s|case|ter|jobs?)\b(?!\s+and\s+bolts)"),
     "describe what is happening, or leave it out",
     ("lunatic", "maniac", "madm", "derange", "nuts", "nutcase", "nutter", "nutjob")),
    (_r(r"\bthe\s+mentally\s+ill\b"), "write 'people living with mental illness'", ("mentally ill",)),
    (_r(r"\bmental\s+(?:patients?|cases?)\b"), "write 'a person with a mental health condition'",
     ("mental patient", "mental case")),
    (_r(r"\baddicts?\b|\bjunkies?\b"), "write 'a person with a substance use disorder'",
     ("addict", "junkie")),
    (_r(r"\b(?:substance|drug|alcohol)\s+abus(?:e|er|ers)\b"),
     "write 'substance use' or 'substance use disorder'", ("abus",)),
    (_r(r"\b(?:suffer(?:s|ed|ing)?|victims?)\s+(?:from|with|of)\s+(?:an?\s+)?(?:mental\s+illness|depression|anxiety"
        r"|schizophrenia|bipolar|psychosis|addiction|ptsd|ocd|an?\s+eating\s+disorder|\w+\s+disorder)\b"),
     "write 'lives with' or 'has'", ("suffer", "victim")),
]

# Every key of every rule, in one pattern: a text that matches none needs no further look.
_ANY_KEY = re.compile("|".join(re.escape(k) for k in sorted(
    {k for rule in RULES for k in rule.keys} | {k for _, _, keys in STIGMA for k in keys}
    | set(_SUICIDE_KEYS) | {"press"})))  # searched in lower-cased text
_STIGMA_WHY = "is stigmatising; use person-first words"
_PRESS_3 = _r(r"\bpress(?:ing)?\s+(?:3|three)\b")
_988 = re.compile(r"\b988\b")

# S15: wording that carries hope, recovery or a next step.
_HOPE = _r(r"\b(?:recover\w*|hope\w*|help\s+(?:is|works|can)|support\s+(?:is|works|helps)|treatment\s+works"
           r"|get(?:s|ting)?\s+(?:better|help|support)|feel(?:s|ing)?\s+better|reach(?:es|ing)?\s+out"
           r"|ask(?:s|ing)?\s+for\s+help|seek(?:s|ing)?\s+help|can\s+(?:pass|ease|help|improve)|go\s+on\s+to"
           r"|not\s+alone|contact\s+(?:a|the|your|one)|talk\s+to\s+(?:someone|a|your)|connect\w*\s+(?:them\s+)?(?:to|with)"
           r"|call\s+(?:a|your|the|emergency))\b")
_NOT_BODY = frozenset({"help", "content-note", "facilitator", "myth"})


def check(corpus: Corpus) -> Iterator[Diagnostic]:
    for prose in corpus.all_prose:
        yield from _word_rules(prose)
    for prose in corpus.bodies:
        assert prose.doc is not None
        yield from _page_rules(prose, prose.doc)


def _word_rules(prose: Prose) -> Iterator[Diagnostic]:
    lower = prose.masked.lower()
    if not _ANY_KEY.search(lower):
        return  # nothing any rule could match: the common case for short YAML values
    text = prose.blanked(frozenset({"myth"}))
    # "Near suicide" rules only need the sentences that mention it: find those once.
    spans = _suicide_sentences(prose, text) if any(k in lower for k in _SUICIDE_KEYS) else []
    for rule in RULES:
        if rule.keys and not any(k in lower for k in rule.keys):
            continue
        where = spans if rule.near is _SUICIDE else [(0, len(text))]
        for start, end in where:
            for m in rule.pattern.finditer(text, start, end):
                if _fires(rule, prose, text, m):
                    yield diag(rule.code, prose.where(m.start()), f"'{_show(m.group())}' {rule.why}",
                               rule.hint)
    for pattern, hint, keys in STIGMA:
        if not any(k in lower for k in keys):
            continue
        for m in pattern.finditer(text):
            if _clinical(text, m):
                continue
            yield diag(S[13], prose.where(m.start()), f"'{_show(m.group())}' {_STIGMA_WHY}", hint)
    for m in (_PRESS_3.finditer(text) if "press" in lower else ()):
        if _988.search(text, max(0, m.start() - 300), m.end() + 300):
            yield diag(S[18], prose.where(m.start()), f"'{m.group()}' for the 988 Lifeline no longer exists "
                       "(the LGBTQ+ option ended in July 2025)",
                       "remove it; list specialist services such as The Trevor Project separately")


def _suicide_sentences(prose: Prose, text: str) -> list[tuple[int, int]]:
    """The sentences that mention suicide or self-harm, merged where they overlap."""
    spans: list[tuple[int, int]] = []
    for m in _SUICIDE.finditer(text):
        start, end = prose.sentence_at(m.start())
        start, end = min(start, m.start()), max(end, m.end())
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _fires(rule: Rule, prose: Prose, text: str, m: re.Match[str]) -> bool:
    if rule.near is None and rule.unless is None and not rule.skip_quoted:
        return True
    start, end = prose.sentence_at(m.start())
    start, end = min(start, m.start()), max(end, m.end())
    if rule.near is not None and not rule.near.search(text, start, end):
        return False
    if rule.unless is not None and rule.unless.search(text, start, end):
        return False
    if rule.skip_quoted:
        for q in _QUOTED.finditer(text, start, end):
            if q.start() <= m.start() < q.end():
                return False
    return True


def _clinical(text: str, m: re.Match[str]) -> bool:
    word = m.group().lower()
    if word in CLINICAL_TERMS:
        return True
    following = re.match(r"\s+(\w+)", text[m.end():m.end() + 30])
    return bool(following and f"{word} {following.group(1).lower()}" in CLINICAL_TERMS)


def _show(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def mentions_suicide(prose: Prose) -> bool:
    """Whether a page mentions suicide or self-harm anywhere (front matter included)."""
    doc = prose.doc
    front = f"{doc.meta.title} {doc.meta.summary or ''}" if doc else ""
    return bool(_SUICIDE.search(prose.masked) or _SUICIDE.search(front))


def _page_rules(prose: Prose, doc: Document) -> Iterator[Diagnostic]:
    if not mentions_suicide(prose):
        return
    where = doc.meta.where("title")
    kinds = [kind for _, _, kind in prose.blocks]
    if "help" not in kinds:
        yield diag(S[14], where, f"'{doc.title}' mentions suicide or self-harm but has no `!!! help` block",
                   'add `!!! help "If you need help now"` with a short supportive line; the build adds the '
                   "region's crisis lines")
    if not _HOPE.search(prose.blanked(_NOT_BODY)):
        yield diag(S[15], where,
                   f"'{doc.title}' mentions suicide or self-harm but gives no hopeful or action message",
                   "add a sentence such as 'Help works, and people recover. Here is what you can do next.'")
    first = _first_content(prose)
    notes = [(s, kind) for s, _, kind in prose.blocks if kind == "content-note"]
    if not notes:
        yield diag(S[16], where, f"'{doc.title}' mentions suicide or self-harm but has no content note",
                   "start the body with `!!! content-note` saying what the page covers, that it is OK to "
                   "step away, and where help is")
    elif first is None or first != notes[0][0]:
        yield diag(S[16], prose.where(notes[0][0]), "the content note is not at the top of the page",
                   "move the `!!! content-note` block above everything else in the body")


def _first_content(prose: Prose) -> int | None:
    """Offset of the first line of the body that is not blank (HTML comments count as blank)."""
    pos = 0
    for line in blank_comments(prose.raw).split("\n"):
        if line.strip():
            return pos
        pos += len(line) + 1
    return None
