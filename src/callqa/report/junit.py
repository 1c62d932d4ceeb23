"""JUnit XML: one test case per call and behaviour, so CI dashboards show each violation.

A violation is a <failure>, n/a is <skipped>, an input that could not be read is an <error>.
One <testsuite> per agent keeps the dashboards grouped the way QA reads them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TextIO

from callqa.model import AuditResult, CallResult, location
from callqa.report.common import label


def _case(call: CallResult, behaviour: str) -> tuple[ET.Element, str]:
    verdict = call.verdicts[behaviour]
    case = ET.Element(
        "testcase", {"classname": f"callqa.{call.agent_id}.{call.call_id}", "name": behaviour}
    )
    if verdict.verdict == "violation":
        detail = "\n".join(
            f"turn {e.turn}" + (f" [{e.rule}]" if e.rule else "") + f": {e.quote}"
            for e in verdict.evidence
        )
        failure = ET.SubElement(
            case,
            "failure",
            {
                "type": behaviour,
                "message": verdict.message or f"{label(behaviour)} in {call.call_id}",
            },
        )
        failure.text = detail or None
        return case, "failure"
    if verdict.verdict == "n/a":
        ET.SubElement(case, "skipped", {"message": "n/a: the behaviour did not apply"})
        return case, "skipped"
    return case, "ok"


def _suite(name: str, cases: list[tuple[ET.Element, str]]) -> ET.Element:
    suite = ET.Element(
        "testsuite",
        {
            "name": name,
            "tests": str(len(cases)),
            "failures": str(sum(1 for _, k in cases if k == "failure")),
            "errors": str(sum(1 for _, k in cases if k == "error")),
            "skipped": str(sum(1 for _, k in cases if k == "skipped")),
        },
    )
    suite.extend(case for case, _ in cases)
    return suite


def render(result: AuditResult, out: TextIO) -> None:
    by_agent: dict[str, list[tuple[ET.Element, str]]] = defaultdict(list)
    for call in sorted(result.calls, key=lambda c: (c.agent_id, c.call_id)):
        for behaviour in call.verdicts:
            by_agent[call.agent_id].append(_case(call, behaviour))
    suites = [_suite(f"callqa.{agent}", by_agent[agent]) for agent in sorted(by_agent)]
    if result.errors:
        cases = []
        for error in result.errors:
            where = location(error.file, error.position)
            case = ET.Element("testcase", {"classname": "callqa.inputs", "name": where})
            ET.SubElement(case, "error", {"type": error.code, "message": error.reason})
            cases.append((case, "error"))
        suites.append(_suite("callqa.inputs", cases))
    root = ET.Element("testsuites", {"name": "callqa"})
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in suites)))
    root.extend(suites)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
