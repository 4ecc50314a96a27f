"""Deployment facts: services, datastores and the dependencies between them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .location import Location


@dataclass(frozen=True)
class Probe:
    kind: str
    location: Location | None = None


@dataclass(frozen=True)
class Service:
    """A deployable unit from docker-compose or Kubernetes. `environment` keeps variable names only;
    values that look like secrets never enter the model whole."""

    name: str
    location: Location
    origin: str
    image: str | None = None
    replicas: int | None = None
    ports: tuple[str, ...] = ()
    environment: tuple[str, ...] = ()
    probes: tuple[Probe, ...] = ()
    resources: tuple[tuple[str, str], ...] = ()
    exposure: str | None = None

    @property
    def key(self) -> str:
        return f"service:{self.name}"


@dataclass(frozen=True)
class Datastore:
    """A database, cache or broker: `engine` is postgres, mysql, redis, mongodb, rabbitmq, ...."""

    name: str
    engine: str
    location: Location
    service: str | None = None

    @property
    def key(self) -> str:
        return f"datastore:{self.name}"


@dataclass(frozen=True)
class Dependency:
    source: str
    target: str
    mode: Literal["sync", "async"]
    location: Location
    via: str | None = None

    @property
    def key(self) -> str:
        return f"dependency:{self.source}->{self.target}"
