from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel
from .common import documented, head_noun, is_parameter, is_plural, label, plural, segments, squash, words

MONEY_RESOURCES = (
    "orders", "payments", "charges", "transfers", "refunds", "payouts", "transactions", "invoices", "checkouts",
    "subscriptions", "bookings", "reservations",
)


@rule("API027", "create-without-idempotency-key", severity="info")
def create_without_idempotency_key(
    model: SystemModel, *, resources: tuple[str, ...] = MONEY_RESOURCES, header: str = "Idempotency-Key"
) -> Iterator[Finding]:
    """A POST that creates an order, a payment or the like without an idempotency-key header.

    ## Why is this bad?
    POST is not idempotent, and networks fail after the server has acted: the client times out, retries,
    and the customer is charged twice or gets two orders. An `Idempotency-Key` header (a client-chosen
    unique value the server remembers for a while) makes the retry safe: the server answers the first
    result again instead of acting again. For money and orders, that is the difference between a retry
    and an incident.

    Reported for a documented POST to a collection (a plural last segment) that one of its words names in
    `resources` (`/orders`, `/payment-intents`, `/checkout-sessions`), when it declares no `header`
    parameter (in any spelling: `Idempotency-Key`, `X-Idempotency-Key`).

    ## Example
    ```yaml
    paths:
      /payments:
        post: {responses: {"201": {description: The payment}}}
    ```

    Use instead:
    ```yaml
    paths:
      /payments:
        post:
          parameters:
            - {name: Idempotency-Key, in: header, required: true, schema: {type: string, maxLength: 255}}
          responses: {"201": {description: The payment}}
    ```

    ## Known problems
    A heuristic on names. Some APIs (Stripe) accept the header on every POST and document it outside the
    OpenAPI document; declare it in the document (a shared header parameter) to clear the finding.

    ## References
    - IETF draft-ietf-httpapi-idempotency-key-header; Stripe API reference, "Idempotent requests".
    """
    wanted, key = {squash(r) for r in resources}, squash(header)
    for op in documented(model):
        last = (segments(op.path) or [""])[-1]
        if op.method.upper() != "POST" or is_parameter(last) or not is_plural(head_noun(last)):
            continue  # not a collection: `POST /repos/{repo}/transfer` moves a repository, it transfers no money
        if not {w if is_plural(w) else plural(w) for w in words(last)} & wanted:
            continue
        if not any(p.where == "header" and squash(p.name).endswith(key) for p in op.parameters):
            yield Finding(
                op,
                f"{label(op)} creates {last} without an {header} header: a retried request acts twice",
                fix=f"accept an {header} header (a shared header parameter); keep each key with its first response "
                "for a day and answer repeats with that response",
            )
