"""The visual timeline: a small server-drawn SVG (no script) beside the entries table."""

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 1000, 90, 20
COLOURS = {"contact": "#1b6b5c", "failed": "#b35c1e", "other": "#5b6770"}


def _kind(outcome):
    if outcome.is_contact:
        return "contact"
    if outcome.value in {"missed", "cancelled", "no-answer"}:
        return "failed"
    return "other"


def timeline_svg(entries, spells, today):
    """An SVG of the entries (dots) and spells of disengagement (shaded bands)."""
    if not entries:
        return Markup("")
    first = min(e.occurred_on for e in entries)
    last = max(today, max(e.occurred_on for e in entries))
    span = max((last - first).days, 1)

    def x(day):
        return PAD + (day - first).days / span * (WIDTH - 2 * PAD)

    parts = [
        f'<svg class="timeline-svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="timeline-title" preserveAspectRatio="none">',
        f'<title id="timeline-title">Engagement timeline from {first:%-d %b %Y} to '
        f"{last:%-d %b %Y}: {len(entries)} entries, {len(spells)} spells of disengagement. "
        "The table below lists every entry.</title>",
        f'<line x1="{PAD}" y1="45" x2="{WIDTH - PAD}" y2="45" stroke="#aab4ba" stroke-width="2"/>',
    ]
    for spell in spells:
        end = spell.end or today
        parts.append(
            f'<rect x="{x(spell.start):.1f}" y="18" '
            f'width="{max(x(end) - x(spell.start), 3):.1f}" height="54" '
            'fill="#f4c95d" fill-opacity="0.35"/>'
        )
    for entry in entries:
        kind = _kind(entry.outcome)
        y = 32 if kind == "contact" else 58
        parts.append(
            f'<circle cx="{x(entry.occurred_on):.1f}" cy="{y}" r="6" '
            f'fill="{COLOURS[kind]}"><title>{escape(entry.occurred_on.strftime("%-d %b %Y"))}: '
            f"{escape(entry.method.label)}, {escape(entry.outcome.label)}</title></circle>"
        )
    for label, day in ((first.strftime("%b %Y"), first), (last.strftime("%b %Y"), last)):
        anchor = "start" if day == first else "end"
        parts.append(
            f'<text x="{x(day):.1f}" y="88" font-size="12" text-anchor="{anchor}" '
            f'fill="#5b6770">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
