"""The scenario library: every valid file of the scenario directory, by scenario id."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import structlog

from app.scenarios.models import Scenario
from app.scenarios.validate import Diagnostic, ScenarioInvalid, load_file

log = structlog.get_logger(__name__)


def scenario_files(directory: Path) -> list[Path]:
    """The scenario files of a directory (not its subdirectories, nor anything named *.yaml that
    is not a file)."""
    return sorted(
        p for p in directory.glob("*.y*ml") if p.suffix in (".yaml", ".yml") and p.is_file()
    )


@dataclass
class Library:
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)

    @classmethod
    def load(cls, directory: Path) -> Library:
        """Load every scenario file; invalid ones are kept out and their diagnostics kept."""
        library = cls()
        if not directory.is_dir():
            log.warning("scenario directory missing", directory=str(directory))
            return library
        for path in scenario_files(directory):
            try:
                scenario = load_file(path)
            except ScenarioInvalid as exc:
                library.problems.extend(exc.diagnostics)
                log.error("scenario skipped", file=str(path), errors=len(exc.diagnostics))
                continue
            if scenario.id in library.scenarios:
                message = (
                    f"scenario id '{scenario.id}' is already used by {library.files[scenario.id]}"
                )
                library.problems.append(Diagnostic(str(path), 1, 1, "metadata.id", message))
                continue
            library.scenarios[scenario.id] = scenario
            library.files[scenario.id] = path
        return library

    def get(self, scenario_id: str) -> Scenario | None:
        return self.scenarios.get(scenario_id)
