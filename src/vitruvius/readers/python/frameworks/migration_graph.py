"""Ordering migrations by what each one follows (Alembic's down_revision, Django's dependencies)."""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence


def dependency_order(parents: Mapping[str, Sequence[str]], tie_break: Mapping[str, tuple]) -> list[str]:
    """The ids in an order where each comes after its parents (parents the graph does not hold are
    ignored); among the ready ones the smallest `tie_break` key goes first, so the order is deterministic.
    Ids caught in a cycle follow at the end in `tie_break` order rather than being lost."""
    children: dict[str, list[str]] = {node: [] for node in parents}
    waiting = {node: 0 for node in parents}
    for node, above in parents.items():
        for parent in set(above):
            if parent in children and parent != node:
                children[parent].append(node)
                waiting[node] += 1
    ready = [(tie_break[node], node) for node, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, node = heapq.heappop(ready)
        order.append(node)
        for child in children[node]:
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(ready, (tie_break[child], child))
    placed = set(order)
    order.extend(sorted((n for n in parents if n not in placed), key=lambda n: tie_break[n]))
    return order
