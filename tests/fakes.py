"""A tiny keyword detector for plumbing tests (engine, output, exit codes), not for quality."""

from __future__ import annotations

from callqa.detect import Judgement
from callqa.model import BEHAVIOURS, BehaviourVerdict, Call, Evidence
from callqa.redact import make_quote


class FakeDetector:
    version = "fake-1"

    def __init__(self, fail_on_text: str | None = None) -> None:
        self.fail_on_text = fail_on_text

    def judge(self, call: Call) -> Judgement:
        verdicts = {b: BehaviourVerdict(verdict="n/a") for b in BEHAVIOURS}
        verdicts["rudeness"] = BehaviourVerdict(verdict="ok")
        verdicts["over_promising"] = BehaviourVerdict(verdict="ok")
        for turn in call.agent_turns():
            if self.fail_on_text and self.fail_on_text in turn.text:
                raise KeyboardInterrupt
            if "idiot" in turn.text.lower():
                verdicts["rudeness"] = BehaviourVerdict(
                    verdict="violation",
                    evidence=[Evidence(turn=turn.index, quote=make_quote(turn.text), rule="FAKE1")],
                )
        return Judgement(verdicts)


def write_calls(folder, count: int, *, rude_every: int = 3) -> None:  # type: ignore[no-untyped-def]
    import json

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        agent_text = "you idiot" if i % rude_every == 0 else "happy to help"
        call = {
            "call_id": f"c{i:04d}",
            "agent_id": f"agent-{i % 3}",
            "turns": [
                {"speaker": "customer", "text": "my router is broken"},
                {"speaker": "agent", "text": agent_text},
            ],
        }
        (folder / f"c{i:04d}.json").write_text(json.dumps(call), encoding="utf-8")
