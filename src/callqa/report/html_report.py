"""HTML: one self-contained page a QA lead can e-mail (inline CSS and SVG; no scripts, no fetches).

Charts: per-agent behaviour rates with their 95% intervals, and the distribution of call scores.
Every call drills down (<details>) to its verdicts and evidence. Quotes carry dir="auto" (and
lang="he" when Hebrew) so right-to-left text displays in the right order.
"""

from __future__ import annotations

from html import escape
from typing import TextIO

from callqa.model import BEHAVIOURS, AuditResult, CallResult, Scorecard
from callqa.report.common import abuse_count, is_rtl, label, rate_text, score_text
from callqa.score import SCORE_BINS

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:2em auto;
max-width:1100px;padding:0 1em;color:#1d232a}
h1,h2,h3{line-height:1.2} table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #d0d7de;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f6f8fa} .num{text-align:right} .warn{color:#b42318;font-weight:600}
.agent{border-top:2px solid #d0d7de;margin-top:1.5em;padding-top:.5em}
.meta{color:#57606a} details{margin:.3em 0;border:1px solid #d0d7de;border-radius:4px;padding:.3em .6em}
summary{cursor:pointer} blockquote{margin:.2em 0;padding:.2em .6em;border-inline-start:3px solid #8c959f;
background:#f6f8fa;unicode-bidi:plaintext} .violation{color:#b42318;font-weight:600}
.ok{color:#1a7f37} .na{color:#57606a} svg text{font:12px system-ui,Arial,sans-serif}
"""

_BAR_W = 260
_LABEL_W = 130


def _attr_id(prefix: str, value: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in value)
    return f"{prefix}-{safe}"


def rates_chart(card: Scorecard) -> str:
    """Horizontal bars of violation rates with 95% interval whiskers; n/a rows say so."""
    row_h = 24
    height = row_h * len(BEHAVIOURS) + 24
    width = _LABEL_W + _BAR_W + 150
    parts = [
        f'<svg class="chart rates" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" role="img" aria-label="Violation rates of {escape(card.agent_id)}">'
    ]
    for tick in (0, 0.5, 1.0):
        x = _LABEL_W + tick * _BAR_W
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 18}" stroke="#d0d7de"/>'
            f'<text x="{x:.1f}" y="{height - 4}" text-anchor="middle">{tick:.0%}</text>'
        )
    for i, behaviour in enumerate(BEHAVIOURS):
        stats = card.behaviours[behaviour]
        y = i * row_h + 4
        parts.append(f'<text x="0" y="{y + 14}">{escape(label(behaviour))}</text>')
        if stats.rate is None:
            parts.append(f'<text x="{_LABEL_W + 4}" y="{y + 14}" fill="#57606a">n/a</text>')
            continue
        bar = stats.rate * _BAR_W
        lo = _LABEL_W + (stats.ci_low or 0.0) * _BAR_W
        hi = _LABEL_W + (stats.ci_high or 0.0) * _BAR_W
        parts.append(
            f'<rect class="bar" x="{_LABEL_W}" y="{y + 3}" width="{bar:.1f}" height="14" '
            f'fill="#cf222e"><title>{escape(label(behaviour))}: {escape(rate_text(stats))}'
            f"</title></rect>"
            f'<line x1="{lo:.1f}" y1="{y + 10}" x2="{hi:.1f}" y2="{y + 10}" stroke="#1d232a"/>'
            f'<line x1="{lo:.1f}" y1="{y + 5}" x2="{lo:.1f}" y2="{y + 15}" stroke="#1d232a"/>'
            f'<line x1="{hi:.1f}" y1="{y + 5}" x2="{hi:.1f}" y2="{y + 15}" stroke="#1d232a"/>'
            f'<text x="{_LABEL_W + _BAR_W + 8}" y="{y + 14}">{escape(rate_text(stats))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def distribution_chart(counts: dict[str, int], what: str) -> str:
    """A column chart of how many calls (or agents) fall in each 10-point score band."""
    width, height, base = 440, 170, 140
    col = (width - 20) / len(SCORE_BINS)
    top = max(counts.values(), default=0) or 1
    parts = [
        f'<svg class="chart distribution" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" role="img" aria-label="Distribution of {escape(what)} scores">'
    ]
    for i, band in enumerate(SCORE_BINS):
        n = counts.get(band, 0)
        h = (base - 20) * n / top
        x = 10 + i * col
        parts.append(
            f'<rect class="bin" x="{x + 2:.1f}" y="{base - h:.1f}" width="{col - 4:.1f}" '
            f'height="{h:.1f}" fill="#0969da"><title>{band}: {n} {escape(what)}</title></rect>'
            f'<text x="{x + col / 2:.1f}" y="{base - h - 3:.1f}" text-anchor="middle">{n}</text>'
            f'<text x="{x + col / 2:.1f}" y="{base + 14}" text-anchor="middle">{band}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def quote(text: str) -> str:
    lang = ' lang="he"' if is_rtl(text) else ""
    return f'<blockquote dir="auto"{lang}>{escape(text)}</blockquote>'


def _agent(card: Scorecard) -> str:
    rank = f"rank {card.rank}" if card.rank else "not ranked (too few calls)"
    abuse = (
        f' · <span class="warn">{card.customer_abuse_calls} calls with customer abuse</span> '
        "(not counted against the agent)"
        if card.customer_abuse_calls
        else ""
    )
    worst = ", ".join(
        f'<a href="#{_attr_id("call", cid)}">{escape(cid)}</a>' for cid in card.worst_calls
    )
    rows = "".join(
        f"<tr><td>{escape(label(b))}</td><td class='num'>{card.behaviours[b].applicable}</td>"
        f"<td class='num'>{card.behaviours[b].violations}</td>"
        f"<td>{escape(rate_text(card.behaviours[b]))}</td></tr>"
        for b in BEHAVIOURS
    )
    return (
        f'<section class="agent" id="{_attr_id("agent", card.agent_id)}">'
        f"<h3>{escape(card.agent_id)} — score {score_text(card.score)}</h3>"
        f'<p class="meta">{card.calls} calls · {rank}{abuse}</p>'
        f"{rates_chart(card)}"
        "<table><tr><th>behaviour</th><th>applicable</th><th>violations</th>"
        f"<th>rate (95% interval)</th></tr>{rows}</table>"
        + (f"<p>Worst calls: {worst}</p>" if worst else "")
        + "</section>"
    )


def _call(call: CallResult) -> str:
    violations = call.violations()
    flag = ' <span class="warn">customer abuse</span>' if abuse_count(call) else ""
    summary = (
        f"{escape(call.call_id)} · {escape(call.agent_id)} · score {score_text(call.score)} · "
        + (
            f'<span class="violation">{escape(", ".join(label(v) for v in violations))}</span>'
            if violations
            else '<span class="ok">no violations</span>'
        )
        + flag
    )
    rows = []
    for behaviour, verdict in call.verdicts.items():
        css = {"violation": "violation", "ok": "ok", "n/a": "na"}[verdict.verdict]
        evidence = "".join(
            f"<div>turn {e.turn}{f' ({escape(e.rule)})' if e.rule else ''}{quote(e.quote)}</div>"
            for e in verdict.evidence
        )
        rows.append(
            f"<tr><td>{escape(label(behaviour))}</td><td class='{css}'>{verdict.verdict}</td>"
            f"<td>{evidence}</td></tr>"
        )
    for signal in call.signals:
        evidence = "".join(f"<div>turn {e.turn}{quote(e.quote)}</div>" for e in signal.evidence)
        rows.append(
            f"<tr><td>{escape(signal.name)}</td><td class='na'>signal</td>"
            f"<td>{escape(signal.message)}{evidence}</td></tr>"
        )
    return (
        f'<details class="call" id="{_attr_id("call", call.call_id)}"><summary>{summary}</summary>'
        f'<p class="meta">language {escape(call.language)} · {escape(call.source.file)}</p>'
        "<table><tr><th>behaviour</th><th>verdict</th><th>evidence</th></tr>"
        + "".join(rows)
        + "</table></details>"
    )


def render(result: AuditResult, out: TextIO) -> None:
    team = result.team
    state = (
        "complete"
        if result.complete
        else '<span class="warn">INCOMPLETE: some inputs could not be read</span>'
    )
    body = [
        "<h1>callqa audit</h1>",
        f'<p class="meta">{len(result.calls)} calls · {len(result.scorecards)} agents · {state} · '
        f"callqa {escape(result.tool.get('version', '?'))}, detector "
        f"{escape(result.tool.get('detector', '?'))}</p>",
    ]
    if team:
        body += [
            "<h2>Team</h2>",
            f"<p>Mean call score {score_text(team.get('mean_call_score'))}, median "
            f"{score_text(team.get('median_call_score'))}. {team.get('ranked_agents', 0)} of "
            f"{team.get('agents', 0)} agents ranked (at least {team.get('min_calls_to_rank')} "
            f"calls). {team.get('customer_abuse_calls', 0)} calls with customer abuse.</p>",
            "<h3>Call scores</h3>",
            distribution_chart(team.get("call_score_distribution", {}), "calls"),
        ]
    body.append("<h2>Agents</h2>")
    body += [_agent(card) for card in result.scorecards]
    body.append("<h2>Calls</h2>")
    body += [_call(call) for call in result.calls]
    if result.errors:
        body.append("<h2>Inputs that could not be read</h2><ul>")
        body += [
            f"<li><code>{escape(e.file)}</code> [{escape(e.code)}]: {escape(e.reason)}</li>"
            for e in result.errors
        ]
        body.append("</ul>")
    out.write(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>callqa audit</title><style>{_CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
