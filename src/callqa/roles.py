"""Stage 2: decide which speaker is the agent, and how sure that decision is.

Order of authority (the first that applies wins):

1. The user: `--speaker-map` (label -> agent/customer/other) and `--agent-speaker LABEL`. When the
   user names the agent, every other speaker is the customer side.
2. The format's own roles (Call Analytics `ParticipantRole`, CU "Agent"/"Customer", ...), which the
   reader has already put on the turns.
3. Role words in the speaker labels: `Agent:`, `נציגה:`, `Customer`, `לקוח`, ...
4. A heuristic over what each speaker says (see `docs/loaders.md`): agents greet with the company
   name, offer help, ask for account details, put people on hold, and close ("anything else?");
   customers explain why they call and what they want. Who talks first counts a little. The
   confidence is the share of evidence for the chosen agent, smoothed so that little evidence
   means little confidence. Evidence against (the other speaker also sounds like the agent, as
   with a wrong diarization) lowers it.

Below `LoadOptions.role_threshold` the assignment is uncertain: normalisation refuses the call
with the reason rather than audit a guess.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from callqa.load.base import LoadOptions
from callqa.model import Call, Role

FIRST_SPEAKER_WEIGHT = 0.4
"""Agents usually talk first, but an IVR, a transfer or a chat customer often does instead."""
CUE_CAP = 2
"""A cue category counts at most this many times per speaker: repetition is not more evidence."""

_ROLE_WORDS: dict[str, Role] = {
    "agent": "agent",
    "rep": "agent",
    "representative": "agent",
    "operator": "agent",
    "advisor": "agent",
    "support": "agent",
    "נציג": "agent",
    "נציגה": "agent",
    "נציג שירות": "agent",
    "מוקדן": "agent",
    "מוקדנית": "agent",
    "customer": "customer",
    "caller": "customer",
    "client": "customer",
    "visitor": "customer",
    "end user": "customer",
    "לקוח": "customer",
    "לקוחה": "customer",
    "מתקשר": "customer",
    "מתקשרת": "customer",
    "system": "other",
    "system message": "other",
    "ivr": "other",
    "bot": "other",
}


def _cues(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


AGENT_CUES: dict[str, re.Pattern[str]] = {
    "greets with the company": _cues(
        r"thank(s| you) for (calling|contacting|choosing|reaching( out to)?)\b",
        r"\b(welcome to|you'?ve reached|you have reached)\b",
        r"\bthis is \w+ (from|at|with|speaking)\b",
        r"^\W*[\w&' -]{2,40}, \w+ speaking\b",
        r"thank(s| you) for (getting in touch|your message|reaching out)",
        r"^\W*(hello|hi|good (morning|afternoon|evening))\W+([A-Z][\w&'-]*\W+){1,4}"
        r"(how (can|may) i|this is|my name)",
        r"שלום,? הגעת ל",
        r"(?:^|[,.]\s*|שלום\s+)(מדבר|מדברת) \S+",
        r"\S+ (מדבר|מדברת)(?=\s*[,.!]|\s+שלום|\s*$)",
        r"^\W*\S+(\s\S+)? שלום,? (כאן|מדבר|מדברת|שמי)",
        r"תודה (שפנית|שהתקשרת|על פנייתך)",
    ),
    "offers help": _cues(
        r"\b(how|what) (can|may|could) i (help|assist|do for)",
        r"\bwhat can i help you with\b",
        r"\bhow can we help\b",
        r"\b(i can|happy to|glad to|i'?d be happy to) help (you )?with (that|this)\b",
        r"(במה|איך) (אפשר|אוכל|אני יכול|אני יכולה|נוכל) (לעזור|לסייע)",
    ),
    "asks for account details": _cues(
        r"\b(can|could|may) i (have|get|take|grab|confirm|verify|ask for) (your|the) "
        r"(full |first and last )?(account|name|date of birth|phone|policy|order|customer|member|"
        r"id|e-?mail|zip|post ?code|address|card|booking|reference)",
        r"\b(confirm|verify) (your|the) (identity|account|details|address|name|date of birth|"
        r"e-?mail|phone)",
        r"\bwhat('s| is) (your|the) (account|order|policy|member|customer|booking) number",
        r"\b(could|can) you (please )?(provide|give|tell) me (your|the|with)\b",
        r"(אפשר|תוכל|תוכלי|תן לי|תני לי).{0,25}(תעודת זהות|ת\"ז|מספר לקוח|מספר חשבון|"
        r"מספר מנוי|מספר הזמנה|מספר ההזמנה|שם מלא|שם המזמין|את השם)",
    ),
    "works the case": _cues(
        r"\b(let me|i'?ll|i will|allow me to) (just )?(check|look|pull up|see|verify|transfer|"
        r"escalate|open a|raise a|send you|book)",
        r"\b(one|a) (moment|second|minute),? please\b|\bplease hold\b|\bput you on hold\b",
        r"\bi can see (that )?your\b|\bon (our|my) (end|side|system)\b",
        r"\bbear with me\b",
        r"\bi('ve| have) (placed|issued|processed|applied|credited|refunded|booked|scheduled|"
        r"opened|sent|filed|submitted|raised|logged|added)\b",
        r"אני (בודק|בודקת|מעביר|מעבירה|רושם|רושמת|מזכה|נותן לך|נותנת לך)\b",
        r"(פתחתי|שלחתי|הגשתי|העברתי|הזמנתי|רשמתי|זיכיתי) (לך|לכם|בשבילך|עבורך|אלייך|אליך)",
        r"(רק )?רגע אחד|נא להמתין|אני רואה (פה|כאן|במערכת)",
    ),
    "gives a reference": _cues(
        r"\b(reference|ticket|case|claim|confirmation|tracking|order) (number|no\.?|#) "
        r"(is|will be)\b",
        r"\bi('ve| have) (opened|created|raised|logged) (a|an|the) (ticket|case|claim|request)",
        r"\byou('ll| will) (get|receive) (an? )?(sms|text|e-?mail|confirmation)",
        r"(מספר|אסמכתת?) (ה?פנייה|ה?בקשה|ה?תביעה|ה?קריאה|אסמכתא|ה?ערעור|ה?משלוח|ה?תיק|ה?ביר)"
        r"\S*:? \S*\d",
        r"(תקבל|תקבלי|תקבלו) (SMS|הודעה|מייל|אישור|הודעת)",
    ),
    "thanks for patience": _cues(
        r"thank(s| you) (so much )?for (your patience|holding|waiting|bearing with)",
        r"(sorry|apologi[sz]e) (for|about) (the|any) (wait|hold|inconvenience|delay|trouble|"
        r"confusion)",
        r"תודה (על ההמתנה|על הסבלנות|שהמתנת)",
        r"(מתנצל|מתנצלת|סליחה) על (העיכוב|אי הנוחות|ההמתנה|התקלה|הבאג|הבלגן)",
    ),
    "closes the call": _cues(
        r"\b(is there )?anything else (that )?(i|we) can (help|do|assist)",
        r"^\W*anything else\W*$",
        r"(יש )?(עוד )?משהו (נוסף )?(שאוכל|שאני יכול|שאני יכולה|שאפשר|שנוכל) (לעזור|לסייע)",
        r"^\W*(יש )?עוד (משהו|שאלה)( נוסף)?\W*$",
    ),
}

CUSTOMER_CUES: dict[str, re.Pattern[str]] = {
    "says why they call": _cues(
        r"\bi'?m calling (about|because|to|regarding|for)\b",
        r"\bi('m| am) (having (a|an|some|trouble|problems|issues)|trying to)\b",
        r"\bi have (a|an) (problem|issue|question|complaint)\b",
        r"אני (מתקשר|מתקשרת|פונה) (בקשר|כי|לגבי|בגלל)",
        r"יש לי (בעיה|שאלה|תקלה|תלונה)",
        r"אני לא (מצליח|מצליחה)\b",
        r"רציתי (לבדוק|לשאול|לדעת|להזמין|לבטל|להתלונן)",
    ),
    "asks for something": _cues(
        r"\bi (want|need|would like|'?d like) to (cancel|buy|return|change|upgrade|downgrade|know|"
        r"see if|speak|talk|report|order|close|dispute|sign up|enroll|complain)",
        r"אני (רוצה|צריך|צריכה|מבקש|מבקשת) "
        r"(ל(?!עזור|שמוע|פתור|החזיר|בדוק|אמת|ראות|הבין)|את (?!מספר|ה?פרטים|ה?שם|תעודת))",
    ),
    "talks about their own account": _cues(
        r"\bmy (account|bill|order|card|internet|phone|router|package|payment|subscription|"
        r"policy|refund|delivery|connection|flight)\b.{0,30}\b(is|was|has|hasn'?t|isn'?t|"
        r"doesn'?t|didn'?t|got|arrived|never|keeps)\b",
        r"\byou (charged|billed|overcharged|cut|disconnected) me\b",
        r"\bi (lost|ordered|received|paid|bought|returned|cancelled|canceled|got charged)\b",
        r"\bi('ve| have) (lost|been (charged|billed|overcharged|cut off))\b",
        r"(חייבתם|חייבו|ניתקתם|ניתקו) (אותי|לי)|לא עובד לי",
        r"(הזמנתי|קיבלתי|שילמתי|איבדתי|החזרתי|קניתי) (?!לך|לכם|בשבילך|עבורך)",
        r"(שלי|אצלי) .{0,30}(לא עובד|לא מגיע|לא הגיע|בוטל|נתקע|נפל|מתנתק|נדח|קפץ)",
    ),
    "has been waiting": _cues(
        r"\bi'?ve been (on hold|waiting)\b",
        r"\b(second|third|fourth|\d+(st|nd|rd|th)) time (i'?ve |i )?(called|call|contacted)",
        r"(כבר )?(חיכיתי|מחכה|התקשרתי).{0,20}(פעם|שעה|שבוע|יום|ימים|דקות)",
        r"הפעם ה(שנייה|שלישית|רביעית) ש",
    ),
}


@dataclass
class RoleAssignment:
    """How the roles of one call were decided."""

    method: str
    """user override, source labels, speaker labels, heuristic, single speaker, no speakers."""
    confidence: float
    uncertain: bool
    agents: list[str] = field(default_factory=list)
    """The speaker labels taken to be the agent."""
    reason: str = ""
    """Why (for a heuristic) or why not (for an uncertain assignment)."""


@dataclass
class _Evidence:
    agent: float = 0.0
    customer: float = 0.0
    agent_cues: list[str] = field(default_factory=list)
    customer_cues: list[str] = field(default_factory=list)
    first: bool = False


def role_from_label(label: str) -> Role | None:
    """The role a speaker label names by itself (Agent, נציגה, Customer, SYSTEM, ...), if any."""
    key = " ".join(re.sub(r"[_:\-\[\]()]+", " ", label).split()).lower()
    key = re.sub(r"\s*\d+$", "", key)  # "Agent 1", "customer_2"
    return _ROLE_WORDS.get(key)


def _speakers(call: Call) -> list[str]:
    """Speaker labels in order of first appearance (empty labels left out)."""
    return list(dict.fromkeys(t.speaker for t in call.turns if t.speaker))


def _evidence(texts: list[str], cues: dict[str, re.Pattern[str]]) -> tuple[float, list[str]]:
    counts: Counter[str] = Counter()
    for text in texts:
        for name, pattern in cues.items():
            if pattern.search(text):
                counts[name] += 1
    capped = {name: min(count, CUE_CAP) for name, count in counts.items()}
    return float(sum(capped.values())), sorted(capped)


def _set_roles(call: Call, roles: dict[str, Role], default: Role | None) -> None:
    for turn in call.turns:
        role = roles.get(turn.speaker.lower())
        if role is not None:
            turn.role = role
        elif default is not None and turn.speaker:
            turn.role = default


def _user_roles(call: Call, options: LoadOptions) -> dict[str, Role]:
    """The user's roles for the labels of this call (case-insensitive)."""
    wanted: dict[str, Role] = {}
    for label, role in options.speaker_map.items():
        if role in ("agent", "customer", "other"):
            wanted[label.lower()] = role  # type: ignore[assignment]
    for label in options.agent_speaker:
        wanted[label.lower()] = "agent"
    present = {s.lower() for s in _speakers(call)}
    return {label: role for label, role in wanted.items() if label in present}


def assign_roles(call: Call, options: LoadOptions) -> RoleAssignment:
    """Fill `turn.role` for every turn; return how it was decided and how sure it is."""
    speakers = _speakers(call)
    user = _user_roles(call, options)
    if user and "agent" in user.values():
        _set_roles(call, user, default="customer")
        agents = [s for s in speakers if user.get(s.lower()) == "agent"]
        return RoleAssignment("user override", 1.0, False, agents)

    if any(t.role in ("agent", "customer") for t in call.turns):
        _set_roles(call, user, default=None)  # e.g. a map that marks a bot label as "other"
        agents = list(dict.fromkeys(t.speaker for t in call.turns if t.role == "agent"))
        if agents:
            return RoleAssignment("source labels", 1.0, False, agents)
        return RoleAssignment(
            "source labels", 0.0, True, [], "the format marks no turn as the agent's"
        )

    labelled = {s.lower(): r for s in speakers if (r := role_from_label(s))}
    labelled.update(user)
    if "agent" in labelled.values():
        has_customer = "customer" in labelled.values()
        _set_roles(call, labelled, default="other" if has_customer else "customer")
        agents = [s for s in speakers if labelled.get(s.lower()) == "agent"]
        return RoleAssignment("speaker labels", 1.0, False, agents)

    candidates = [s for s in speakers if s.lower() not in labelled]
    _set_roles(call, labelled, default=None)
    if not candidates:
        reason = (
            "the transcript has no speaker labels" if not speakers else "no speaker is the agent"
        )
        return RoleAssignment("no speakers", 0.0, True, [], reason)
    if len(candidates) == 1 and not labelled:
        return RoleAssignment(
            "single speaker", 0.0, True, [], f"only one speaker ({candidates[0]}) in the transcript"
        )
    if len(candidates) == 1:  # the user (or the labels) named everyone else
        _set_roles(call, {candidates[0].lower(): "agent"}, default=None)
        return RoleAssignment("user override", 1.0, False, candidates)
    return _heuristic(call, candidates, options)


def _heuristic(call: Call, candidates: list[str], options: LoadOptions) -> RoleAssignment:
    # In chats the customer usually writes first, so who starts says nothing there.
    first = (
        None
        if call.channel == "chat"
        else next((t.speaker for t in call.turns if t.speaker in candidates), None)
    )
    evidence: dict[str, _Evidence] = {}
    for speaker in candidates:
        texts = [t.text for t in call.turns if t.speaker == speaker]
        agent_score, agent_cues = _evidence(texts, AGENT_CUES)
        customer_score, customer_cues = _evidence(texts, CUSTOMER_CUES)
        if speaker == first:
            agent_score += FIRST_SPEAKER_WEIGHT
        evidence[speaker] = _Evidence(
            agent_score, customer_score, agent_cues, customer_cues, speaker == first
        )

    def support(speaker: str) -> tuple[float, float]:
        """Evidence that `speaker` is the agent, and evidence that it is not."""
        others = [e for s, e in evidence.items() if s != speaker]
        own = evidence[speaker]
        return (
            own.agent + sum(e.customer for e in others),
            own.customer + sum(e.agent for e in others),
        )

    agent = max(candidates, key=lambda s: (support(s)[0] - support(s)[1], -candidates.index(s)))
    pro, con = support(agent)
    confidence = (pro + 1.0) / (pro + con + 2.0)  # Laplace: no evidence either way gives 0.5
    for turn in call.turns:
        if turn.speaker == agent:
            turn.role = "agent"
        elif turn.speaker in candidates:
            turn.role = "customer"
    uncertain = confidence < options.role_threshold
    return RoleAssignment(
        "heuristic", confidence, uncertain, [agent], _explain(agent, evidence, uncertain)
    )


def _explain(agent: str, evidence: dict[str, _Evidence], uncertain: bool) -> str:
    """`for X: ...; against: ...`, in the words of the cue categories."""
    own = evidence[agent]
    pro = list(own.agent_cues) + (["talks first"] if own.first else [])
    con = (
        [f"sounds like the customer ({', '.join(own.customer_cues)})"] if own.customer_cues else []
    )
    rivals = False
    for speaker, other in evidence.items():
        if speaker == agent:
            continue
        if other.customer_cues:
            pro.append(f"{speaker} sounds like the customer ({', '.join(other.customer_cues)})")
        if other.agent_cues:
            rivals = True
            con.append(f"{speaker} also sounds like the agent ({', '.join(other.agent_cues)})")
        if other.first:
            con.append(f"{speaker} talks first")
    reason = f"for {agent}: {', '.join(pro) or 'nothing'}; against: {', '.join(con) or 'nothing'}"
    if uncertain and rivals:
        reason += "; the diarization may be wrong"
    return reason
