"""The canonical call model and the audit result model shared by every stage.

Calls are validated with pydantic so that `callqa schema` can print the JSON Schema that every
loader produces and every downstream tool accepts. Results are plain pydantic models too, and
`AuditResult.as_records()` turns them into built-in types for the machine formats.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = "1.0"

Role = Literal["agent", "customer", "other"]
Language = Literal["en", "he", "mixed", "unknown"]
Verdict = Literal["violation", "ok", "n/a"]

BEHAVIOURS: tuple[str, ...] = (
    "rudeness",
    "over_promising",
    "missing_apology",
    "missing_follow_up",
    "lack_of_empathy",
)
"""The five behaviours of `behaviours.md`, in report order."""

_ROLE_ALIASES: dict[str, Role] = {
    "agent": "agent",
    "customer": "customer",
    "other": "other",
    "system": "other",
}


class Turn(BaseModel):
    """One utterance (or chat message) by one speaker."""

    model_config = ConfigDict(extra="allow")

    index: int = Field(-1, description="Position in the call, from 0; filled in if absent.")
    role: Role = Field("other", description="agent, customer or other (system, IVR, third party).")
    speaker: str = Field("", description="The speaker label as the source wrote it.")
    text: str = ""
    start: float | None = Field(None, description="Start time in seconds from the call start.")
    end: float | None = Field(None, description="End time in seconds from the call start.")

    @model_validator(mode="before")
    @classmethod
    def _minimal_form(cls, data: Any) -> Any:
        # The minimal form writes the role into `speaker` ("agent" / "customer").
        if isinstance(data, dict) and "role" not in data:
            label = str(data.get("speaker", "")).strip().lower()
            if label in _ROLE_ALIASES:
                data = {**data, "role": _ROLE_ALIASES[label]}
        return data

    @field_validator("start", "end")
    @classmethod
    def _finite_time(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            return None
        return value


class Call(BaseModel):
    """One conversation between an agent and a customer, in canonical form."""

    model_config = ConfigDict(extra="allow")

    call_id: str
    agent_id: str = "unknown"
    customer_id: str | None = None
    language: Language | None = Field(None, description="en, he or mixed; detected if absent.")
    channel: str | None = Field(None, description="voice, chat, email, ...")
    start_time: str | None = Field(None, description="ISO 8601 start of the call, if known.")
    metadata: dict[str, Any] = Field(default_factory=dict)
    turns: list[Turn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _index_turns(self) -> Call:
        for position, turn in enumerate(self.turns):
            turn.index = position
        # Unknown top-level keys are kept, in metadata, rather than rejected.
        if self.model_extra:
            self.metadata.update(self.model_extra)
            for key in list(self.model_extra):
                delattr(self, key)
        return self

    def agent_turns(self) -> list[Turn]:
        return [t for t in self.turns if t.role == "agent"]

    def customer_turns(self) -> list[Turn]:
        return [t for t in self.turns if t.role == "customer"]


def location(file: str, position: int | None) -> str:
    """How a report names an input: the file, with `#N` for the Nth call of a multi-call file."""
    return file if position is None else f"{file}#{position}"


class Source(BaseModel):
    """Where a call came from: a file, and its position inside that file when it holds many."""

    file: str
    position: int | None = None
    format: str | None = None


class Evidence(BaseModel):
    """One turn that supports a verdict, with a short redacted quote."""

    turn: int
    quote: str
    role: Role | None = None
    rule: str | None = Field(None, description="Rule code (or model name) that produced it.")
    signal: Literal["rule", "model"] = "rule"
    score: float | None = None
    note: str | None = None


class BehaviourVerdict(BaseModel):
    verdict: Verdict
    evidence: list[Evidence] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list, description="Codes of the rules that fired.")
    message: str | None = None


class Finding(BaseModel):
    """A further signal on a call (customer abuse, long hold, transfer, ...)."""

    code: str
    name: str
    severity: str
    message: str
    evidence: list[Evidence] = Field(default_factory=list)


class CallResult(BaseModel):
    call_id: str
    agent_id: str
    language: str
    source: Source
    verdicts: dict[str, BehaviourVerdict]
    signals: list[Finding] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    score: float | None = Field(None, description="The call's 0-100 score on the scorecard.")

    def violations(self) -> list[str]:
        return [b for b, v in self.verdicts.items() if v.verdict == "violation"]


class InputError(BaseModel):
    """An input that could not be read; the rest of the batch is still audited."""

    file: str
    position: int | None = None
    code: str
    reason: str


class BehaviourStats(BaseModel):
    applicable: int
    violations: int
    rate: float | None
    ci_low: float | None = None
    ci_high: float | None = None


class Scorecard(BaseModel):
    agent_id: str
    calls: int
    score: float | None
    ranked: bool
    rank: int | None = Field(None, description="1 = best score among ranked agents.")
    behaviours: dict[str, BehaviourStats]
    customer_abuse_calls: int = 0
    auto_fail_calls: int = 0
    worst_calls: list[str] = Field(default_factory=list)


class AuditResult(BaseModel):
    schema_version: str = SCHEMA_VERSION
    tool: dict[str, str] = Field(default_factory=dict)
    complete: bool = True
    calls: list[CallResult] = Field(default_factory=list)
    scorecards: list[Scorecard] = Field(default_factory=list)
    team: dict[str, Any] = Field(default_factory=dict)
    errors: list[InputError] = Field(default_factory=list)

    def as_records(self) -> dict[str, Any]:
        """The result as built-in types, the base of every machine format."""
        return self.model_dump(mode="json", exclude_none=False)
