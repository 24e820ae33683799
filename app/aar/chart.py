"""The escalation level over exercise time, as one self-contained SVG rendered on the server.

No script, style or external reference: the same markup works in a page, a printout and a file.
Shapes, not only colours, tell things apart (triangles for injects, circles for rulings, filled,
grey or open by decision), so it reads in black and white. Scenario text is user-provided and
every piece of it is escaped.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from app.aar.common import span
from app.aar.common import words as catalogue
from app.aar.escalation import EscalationSeries
from app.scenarios.models import Scenario

_QUOTES = {'"': "&quot;", "'": "&#x27;"}
RULING_FILL = {"accept": "#000000", "modify": "#8c8c8c", "reject": "#ffffff"}
BAND_FILL = ("#ebebeb", "#f7f7f7")
CHAR_WIDTH = 6.2  # average width of a character at font-size 11, to keep labels inside their box

WORDS = {
    "en": {
        "title": "Escalation over exercise time: {scenario}",
        "heading": "Escalation level",
        "axis": "Exercise time (minutes)",
        "inject": "inject",
        "accept": "accepted",
        "modify": "modified",
        "reject": "rejected",
        "ruling": "{team}: move {decision}",
        "change": "escalation {change:+d}",
        "desc": (
            "Step chart of the escalation level over {duration} of exercise time, on a "
            "ladder of {levels} levels from {low} to {high}. It starts at {start}, peaks at "
            "{peak} and ends at {end}. Triangles at the top mark {injects} injects fired; "
            "circles on the line mark {rulings} rulings (filled: accepted, grey: modified, "
            "open: rejected). Shaded bands are the phases."
        ),
    },
    "ru": {
        "title": "Эскалация по времени учения: {scenario}",
        "heading": "Уровень эскалации",
        "axis": "Время учения (минуты)",
        "inject": "вводная",
        "accept": "принят",
        "modify": "изменён",
        "reject": "отклонён",
        "ruling": "{team}: ход {decision}",
        "change": "эскалация {change:+d}",
        "desc": (
            "Ступенчатый график уровня эскалации за {duration} учебного времени; шкала из "
            "{levels} уровней от «{low}» до «{high}». Начало: {start}, пик: {peak}, конец: "
            "{end}. Треугольники вверху — вводные ({injects}); круги на линии — решения по "
            "ходам ({rulings}: закрашенный — принят, серый — изменён, пустой — отклонён). "
            "Полосы фона — этапы."
        ),
    },
}


def _text(value: str) -> str:
    """Escaped for element content and attribute values alike."""
    return escape(value, _QUOTES)


def _fit(value: str, pixels: float) -> str:
    """Shortened with an ellipsis to fit `pixels` at font-size 11."""
    room = max(1, int(pixels / CHAR_WIDTH))
    return value if len(value) <= room else value[: max(0, room - 1)] + "…"


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _tick_step(minutes: float) -> int:
    return next((step for step in (1, 2, 5, 10, 15, 20, 30, 60, 120) if minutes / step <= 10), 240)


def escalation_svg(
    scenario: Scenario,
    series: EscalationSeries,
    *,
    lang: str = "en",
    width: int = 800,
    height: int = 320,
) -> str:
    """The level as a step line over exercise minutes, on the scenario's ladder, with the phases
    as bands, injects as triangles and rulings as circles (each with a tooltip)."""
    words = WORDS.get(lang, WORDS["en"])
    labels = [level.label.get(lang) for level in scenario.escalation.levels]
    teams = {team.id: team.name.get(lang) for team in scenario.teams}
    count = len(labels)
    left = min(max(60.0, CHAR_WIDTH * max(len(label) for label in labels) + 18), width / 3)
    top, right, bottom = 48.0, 16.0, 44.0
    plot_w, plot_h = width - left - right, height - top - bottom
    minutes = max(series.end / 60, 1.0)
    floor = top + plot_h

    def x(clock: float) -> float:
        return left + plot_w * min(clock / 60, minutes) / minutes

    def y(level: int) -> float:
        return top + plot_h * (count - 0.5 - level) / count

    t = catalogue(lang)

    def at(clock: float) -> str:  # "12 s", "1 min 5 s": whole seconds, in the chart's language
        return span(clock, t)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        f"<title>{_text(words['title'].format(scenario=scenario.metadata.title.get(lang)))}</title>",
        f"<desc>{_text(_description(words, labels, series, span(series.end, t)))}</desc>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for i, phase in enumerate(series.phases):
        known = scenario.phases[phase.index] if phase.index < len(scenario.phases) else None
        title = known.title.get(lang) if known else phase.id
        x0, x1 = x(phase.start), x(phase.end)
        out += [
            f'<g class="phase"><title>{_text(title)}</title>',
            f'<rect x="{_num(x0)}" y="{_num(top)}" width="{_num(max(0.0, x1 - x0))}" '
            f'height="{_num(plot_h)}" fill="{BAND_FILL[i % 2]}"/>',
            f'<line x1="{_num(x0)}" y1="{_num(top)}" x2="{_num(x0)}" y2="{_num(floor)}" '
            'stroke="#9a9a9a" stroke-width="0.75"/>',
        ]
        if x1 - x0 > 24:
            out.append(
                f'<text x="{_num(x0 + 4)}" y="{_num(top + 13)}" font-size="10" fill="#333333">'
                f"{_text(_fit(title, (x1 - x0 - 8) * 1.1))}</text>"
            )
        out.append("</g>")
    for level, label in enumerate(labels):
        out += [
            f'<line x1="{_num(left)}" y1="{_num(y(level))}" x2="{_num(left + plot_w)}" '
            f'y2="{_num(y(level))}" stroke="#c4c4c4" stroke-dasharray="3 3"/>',
            f'<text class="level" x="{_num(left - 6)}" y="{_num(y(level) + 4)}" '
            f'text-anchor="end">{_text(_fit(label, left - 12))}</text>',
        ]
    out += [
        f'<line x1="{_num(left)}" y1="{_num(top)}" x2="{_num(left)}" y2="{_num(floor)}" '
        'stroke="#000000"/>',
        f'<line x1="{_num(left)}" y1="{_num(floor)}" x2="{_num(left + plot_w)}" '
        f'y2="{_num(floor)}" stroke="#000000"/>',
    ]
    step = _tick_step(minutes)
    for tick in range(0, int(minutes) + 1, step):
        tx = x(tick * 60)
        out += [
            f'<line x1="{_num(tx)}" y1="{_num(floor)}" x2="{_num(tx)}" y2="{_num(floor + 5)}" '
            'stroke="#000000"/>',
            f'<text x="{_num(tx)}" y="{_num(floor + 17)}" text-anchor="middle">{tick}</text>',
        ]
    out.append(
        f'<text x="{_num(left + plot_w / 2)}" y="{_num(height - 6)}" text-anchor="middle">'
        f"{_text(words['axis'])}</text>"
    )
    path = [f"M{_num(x(series.points[0].clock))} {_num(y(series.points[0].level))}"]
    path += [f"H{_num(x(p.clock))} V{_num(y(p.level))}" for p in series.points[1:]]
    path.append(f"H{_num(x(series.end))}")
    out.append(
        f'<path class="level-line" d="{" ".join(path)}" fill="none" stroke="#000000" '
        'stroke-width="2.5" stroke-linejoin="round"/>'
    )
    for marker in series.injects:
        inject = scenario.inject(marker.inject)
        if inject is not None:
            name = inject.title.get(lang)
        else:
            name = (marker.title_ru if lang == "ru" and marker.title_ru else marker.title) or "?"
        cx = x(marker.clock)
        out += [
            f'<g class="inject"><title>{_text(f"{at(marker.clock)}: {name}")}</title>',
            f'<line x1="{_num(cx)}" y1="{_num(top)}" x2="{_num(cx)}" y2="{_num(floor)}" '
            'stroke="#6e6e6e" stroke-width="0.75" stroke-dasharray="2 3"/>',
            f'<polygon points="{_num(cx - 5)},{_num(top - 10)} {_num(cx + 5)},{_num(top - 10)} '
            f'{_num(cx)},{_num(top)}" fill="#000000"/></g>',
        ]
    for ruling in series.rulings:
        team = teams.get(ruling.team or "", ruling.team or "?")
        tip = words["ruling"].format(
            team=team, decision=words.get(ruling.decision, ruling.decision)
        )
        if ruling.escalation_change:
            tip += ", " + words["change"].format(change=ruling.escalation_change)
        out += [
            f'<g class="ruling"><title>{_text(f"{at(ruling.clock)}: {tip}")}</title>',
            f'<circle cx="{_num(x(ruling.clock))}" cy="{_num(y(ruling.level))}" r="5" '
            f'fill="{RULING_FILL.get(ruling.decision, "#ffffff")}" stroke="#000000" '
            'stroke-width="1.5"/></g>',
        ]
    out += _heading_and_legend(words, left, width - right)
    out.append("</svg>")
    return "\n".join(out)


def _description(
    words: dict[str, str], labels: list[str], series: EscalationSeries, duration: str
) -> str:
    return words["desc"].format(
        duration=duration,
        levels=len(labels),
        low=labels[0],
        high=labels[-1],
        start=labels[series.start_level],
        peak=labels[series.peak_level],
        end=labels[series.final_level],
        injects=len(series.injects),
        rulings=len(series.rulings),
    )


def _heading_and_legend(words: dict[str, str], left: float, right: float) -> list[str]:
    out = [
        f'<text x="{_num(left)}" y="18" font-size="13" font-weight="bold">'
        f"{_text(words['heading'])}</text>"
    ]
    items = [("inject", words["inject"]), *((d, words[d]) for d in RULING_FILL)]
    cursor = right - sum(22 + CHAR_WIDTH * len(text) for _, text in items)
    for kind, text in items:
        if kind == "inject":
            out.append(
                f'<polygon points="{_num(cursor)},9 {_num(cursor + 10)},9 {_num(cursor + 5)},19" '
                'fill="#000000"/>'
            )
        else:
            out.append(
                f'<circle cx="{_num(cursor + 5)}" cy="14" r="5" fill="{RULING_FILL[kind]}" '
                'stroke="#000000" stroke-width="1.5"/>'
            )
        out.append(f'<text x="{_num(cursor + 14)}" y="18">{_text(text)}</text>')
        cursor += 22 + CHAR_WIDTH * len(text)
    return out
