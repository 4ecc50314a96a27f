"""The prose the markdown review adds per pack: what fixing costs, and what the findings mean under load.

Kept apart from the template so the template stays layout; keyed by pack (the rules' folder names).
"""

from __future__ import annotations

TRADE_OFFS = {
    "api": (
        "Changing a published API (pagination, status codes, naming) changes its contract. Add the new form "
        "beside the old one and deprecate the old one, rather than breaking clients in place; the cost is "
        "carrying both for a while."
    ),
    "db": (
        "Every index speeds the reads that use it and slows every write to its table, and takes disk and "
        "memory: add the indexes the findings name, not more. Constraints move checks from code into the "
        "database, which is safer, but existing bad rows make the migration that adds them fail."
    ),
    "mig": (
        "Safe migrations take more steps: add a column as nullable, backfill in batches, then add the "
        "constraint; build indexes concurrently, outside a transaction. The rollout is longer and has more "
        "moving parts, in exchange for no long locks on live tables."
    ),
    "perf": (
        "Eager loading removes per-row queries but loads related rows whether or not they are used, and a "
        "join can multiply rows; pagination bounds each response but makes clients ask for pages. Measure "
        "the hot paths after the change."
    ),
    "lay": (
        "Keeping layers apart adds indirection (an interface, a dependency passed in) that a small codebase "
        "can find heavy; it pays off once more than one team or entry point changes the same code."
    ),
    "sec": (
        "Most security fixes cost only convenience (stricter CORS, no debug mode, secrets from the "
        "environment); keep the convenient settings in development-only configuration instead of weakening "
        "production."
    ),
    "obs": (
        "Logs, metrics and traces cost storage and a little latency: sample high-volume paths and keep "
        "personal data out of logs."
    ),
    "svc": (
        "Synchronous calls between services are simple to write but tie each service's availability and "
        "latency to its dependencies; asynchronous messaging decouples them at the price of eventual "
        "consistency and more infrastructure."
    ),
    "vit": (
        "What vitruvius could not read was not reviewed. Fixing or excluding those files makes the review "
        "complete; leaving them means problems there stay unseen."
    ),
}

SCALABILITY = {
    "perf": (
        "Performance findings are usually what breaks first. Per-row queries and unbounded result sets grow "
        "with the data behind each request, not with traffic, so latency and database load climb as tables "
        "grow even at constant traffic. More application replicas do not help: they send more of the same "
        "queries to the same database."
    ),
    "db": (
        "Schema findings become load problems as tables grow: a lookup on an unindexed column is a full scan, "
        "unnoticeable at thousands of rows and the main cost at millions, and a delete on a parent table scans "
        "every child table whose foreign key has no index."
    ),
    "mig": (
        "Migration findings grow with table size: a migration that rewrites or locks a table blocks writes for "
        "as long as the rewrite takes, so a migration that is instant in development can be an outage in "
        "production."
    ),
    "svc": (
        "Service topology findings decide how failure spreads under load: in a chain of synchronous calls one "
        "slow dependency holds every caller's workers, and unbounded retries add load to the service that is "
        "already struggling."
    ),
    "obs": (
        "Observability findings slow nothing down, but they decide whether you can see what breaks first: "
        "without logs, metrics or traces on these paths, a load problem shows up only as user complaints."
    ),
}
