"""Stage 2: settle speaker roles, the agent id and the language of a loaded call.

Roles come from the format's own labels where it has them; user overrides (`--agent-speaker`,
a speaker map) win over everything; otherwise `roles.assign_roles` decides with a documented
heuristic and a confidence, and an uncertain assignment is reported, never silently guessed.
"""

from __future__ import annotations

import re
import unicodedata

from callqa.errors import ConfigError, SpeakerRoleError
from callqa.load.base import NOTES_KEY, LoadOptions
from callqa.model import Call, Source
from callqa.roles import RoleAssignment, assign_roles, role_from_label

_HEBREW = re.compile(r"[\u0590-\u05FF]")
_LATIN = re.compile(r"[A-Za-z]")
_BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
)

__all__ = ["NOTES_KEY", "clean_text", "detect_language", "normalise", "warnings_of"]

_SUPPORTED_LANGUAGES = ("en", "he")


def detect_language(texts: list[str]) -> str:
    """en, he or mixed, from the share of Hebrew and Latin letters; unknown without letters."""
    hebrew = sum(len(_HEBREW.findall(t)) for t in texts)
    latin = sum(len(_LATIN.findall(t)) for t in texts)
    total = hebrew + latin
    if total == 0:
        return "unknown"
    share = hebrew / total
    if share >= 0.8:
        return "he"
    if share <= 0.2:
        return "en"
    return "mixed"


def clean_text(text: str) -> str:
    """NFC, no bidi control characters, collapsed whitespace."""
    text = unicodedata.normalize("NFC", text).translate(_BIDI_CONTROLS)
    return " ".join(text.split())


def agent_id_from_path(pattern: str, path: str) -> str | None:
    try:
        match = re.search(pattern, path)
    except re.error as exc:
        raise ConfigError(f"--agent-id-pattern is not a valid regex: {exc}") from None
    if not match:
        return None
    if "agent" in match.groupdict():
        return match.group("agent")
    return match.group(1) if match.groups() else match.group(0)


def normalise(call: Call, source: Source, options: LoadOptions) -> Call:
    """Return the call with clean text, roles, agent id and language settled."""
    notes: dict[str, object] = dict(call.metadata.get(NOTES_KEY) or {})
    warnings: list[str] = list(notes.get("warnings", []))  # type: ignore[call-overload]
    warnings += _negative_times(call)
    for turn in call.turns:
        turn.text = clean_text(turn.text)
        if turn.start is not None and turn.end is not None and turn.end < turn.start:
            warnings.append(f"turn {turn.index}: end time before start time; end ignored")
            turn.end = None
    warnings += _backwards_times(call)

    given_roles = {t.index for t in call.turns if "role" in t.model_fields_set}
    assignment = assign_roles(call, options)
    notes["roles"] = assignment.method
    notes["role_confidence"] = round(assignment.confidence, 3)
    notes["agent_speakers"] = assignment.agents
    if assignment.uncertain or not call.agent_turns():
        raise SpeakerRoleError(
            _uncertain_roles_message(call, assignment), source.file, source.position
        )
    warnings += _roleless_speakers(call, given_roles, options)
    if assignment.method == "heuristic":
        warnings.append(
            f"speaker roles inferred: {', '.join(assignment.agents)} is the agent "
            f"(confidence {assignment.confidence:.2f}: {assignment.reason})"
        )

    if options.agent_id_pattern:
        from_path = agent_id_from_path(options.agent_id_pattern, source.file)
        if from_path:
            call.agent_id = from_path
    if call.agent_id in ("", "unknown"):
        agent_labels = sorted({t.speaker for t in call.turns if t.role == "agent" and t.speaker})
        named = [s for s in agent_labels if s.lower() not in {"agent", "נציג", "נציגה"}]
        if len(named) == 1 and not re.fullmatch(
            r"(spk_|speaker[ _]?|ch_)?\d+|[A-Z]", named[0], re.I
        ):
            call.agent_id = named[0]

    declared = str(call.metadata.get("language_code") or "")
    if options.language:
        call.language = options.language  # type: ignore[assignment]
    elif call.language not in ("en", "he", "mixed"):
        call.language = detect_language([t.text for t in call.turns])  # type: ignore[assignment]
        base = declared.replace("_", "-").split("-")[0].lower()
        if base and base not in (*_SUPPORTED_LANGUAGES, "iw"):
            # The vendor knows better than a letter count: Catalan is not English.
            call.language = "unknown"
            warnings.append(
                f"the transcript is in {declared!r}, which callqa does not audit (en, he); "
                "force a language with --language to audit it anyway"
            )

    notes["warnings"] = warnings
    call.metadata[NOTES_KEY] = notes
    return call


def _negative_times(call: Call) -> list[str]:
    """Times are seconds from the call start: a negative one is forgotten, with a warning."""
    bad = [t.index for t in call.turns if any(v is not None and v < 0 for v in (t.start, t.end))]
    for index in bad:
        call.turns[index].start = call.turns[index].end = None
    if not bad:
        return []
    return [
        f"{len(bad)} turn(s) have negative times (first: turn {bad[0]}); their times are ignored"
    ]


def _backwards_times(call: Call) -> list[str]:
    """Turns whose start is before the previous timed turn's: kept, in file order, with a warning."""
    backwards: list[tuple[int, int]] = []
    previous: tuple[int, float] | None = None
    for turn in call.turns:
        if turn.start is None:
            continue
        if previous is not None and turn.start < previous[1]:
            backwards.append((turn.index, previous[0]))
        previous = (turn.index, turn.start)
    if not backwards:
        return []
    (index, before), count = backwards[0], len(backwards)
    return [
        f"turn times go backwards {count} time(s) (first: turn {index} starts before turn "
        f"{before}); the turns are kept in file order; gap, hold and talk-ratio checks may be off"
    ]


def _roleless_speakers(call: Call, given: set[int], options: LoadOptions) -> list[str]:
    """Speakers the roles left as `other` without anyone saying so: their turns are not audited."""
    mapped = {label.lower() for label in options.speaker_map}
    roleless: dict[str, list[int]] = {}
    for turn in call.turns:
        if turn.role != "other" or turn.index in given or turn.speaker.lower() in mapped:
            continue
        if turn.speaker and role_from_label(turn.speaker) == "other":  # IVR, System, Bot
            continue
        roleless.setdefault(turn.speaker, []).append(turn.index)
    warnings = []
    for speaker, turns in roleless.items():
        shown = ", ".join(map(str, turns[:5])) + (", ..." if len(turns) > 5 else "")
        who = f"speaker {speaker!r}" if speaker else "turns without a speaker label"
        warnings.append(
            f"{who} (turn(s) {shown}) is neither agent nor customer, so counted as other and not "
            "audited; give its role with --speaker-map or --agent-speaker"
        )
    return warnings


def _uncertain_roles_message(call: Call, assignment: RoleAssignment) -> str:
    speakers = list(dict.fromkeys(t.speaker for t in call.turns if t.speaker))
    shown = ", ".join(speakers[:6]) + (", ..." if len(speakers) > 6 else "")
    why = assignment.reason or "no turn is the agent's"
    if assignment.method == "heuristic":
        why = f"confidence {assignment.confidence:.2f}: {why}"
    hint = (
        "name the agent with --agent-speaker LABEL or --speaker-map FILE"
        if speakers
        else "use a diarized export, or one with speaker labels"
    )
    return f"cannot tell the agent from the customer ({why}; speakers: {shown or 'none'}); {hint}"


def warnings_of(call: Call) -> list[str]:
    notes = call.metadata.get(NOTES_KEY) or {}
    return list(notes.get("warnings", []))
