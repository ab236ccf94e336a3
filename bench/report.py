"""The results table: each scenario beside its baseline, their ratio and the goal."""

from dataclasses import dataclass


@dataclass
class Row:
    key: str
    scenario: str
    measured: str
    baseline: str = ""
    ratio: str = ""
    goal: str = ""
    ok: bool | None = True  # None: not available, not counted as a miss

    @property
    def verdict(self):
        return {True: "met", False: "MISSED", None: "n/a"}[self.ok]


HEADERS = ("#", "scenario", "measured", "baseline", "ratio", "goal", "result")


def table(rows):
    cells = [HEADERS] + [(r.key, r.scenario, r.measured, r.baseline, r.ratio, r.goal, r.verdict) for r in rows]
    widths = [max(len(str(c[i])) for c in cells) for i in range(len(HEADERS))]

    def line(values):
        return "| " + " | ".join(str(v).ljust(w) for v, w in zip(values, widths)) + " |"

    out = [line(HEADERS), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(c) for c in cells[1:]]
    return "\n".join(out)


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def times(ratio):
    return f"{ratio:.2f}x"
