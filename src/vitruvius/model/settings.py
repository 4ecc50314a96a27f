"""Framework settings that matter to an architect: DEBUG, CORS, secret keys, middleware, logging."""

from __future__ import annotations

from dataclasses import dataclass

from .location import Location


@dataclass(frozen=True)
class Setting:
    """A setting as written: `value` is the source text of its value (secrets are redacted by readers)."""

    name: str
    value: str
    location: Location
    framework: str | None = None

    @property
    def key(self) -> str:
        return f"setting:{self.location.path}:{self.name}"
