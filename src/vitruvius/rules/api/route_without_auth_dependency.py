import re
from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Operation, SystemModel

EXEMPT = (
    r"^(health|healthz|health_check|healthcheck|ready|readyz|readiness|live|livez|liveness|ping|metrics|version"
    r"|docs|redoc|openapi|openapi\.json|swagger|login|logout|signin|signup|signout|sign-in|sign-up|sign-out|token"
    r"|refresh|callback|webhooks?|mfa|favicon\.ico|robots\.txt|manifest\.json|opensearch\.xml|\.well-known"
    r"|ServiceProviderConfig|ResourceTypes|Schemas|[\w-]*-(logout|callback))$"
)


@rule("API105", "route-without-auth-dependency", severity="warning")
def route_without_auth_dependency(model: SystemModel, *, threshold: float = 0.6, minimum_routes: int = 3, exempt: str = EXEMPT) -> Iterator[Finding]:
    """A code route with no authentication where most routes of the same application require it.

    ## Why is this bad?
    When an application protects most of its routes (a `Depends(get_current_user)`, `@login_required`, DRF
    `permission_classes`), a route without any is usually an omission: it was added to a router that does not
    carry the dependency, or the decorator was forgotten. Such a route serves data to anyone.

    Routes are compared with the others of the same application (the FastAPI or Flask app object, the Django
    root URL configuration) once it has at least `minimum_routes` routes and the share of protected ones reaches
    `threshold`. Only routes the reader knows to be unprotected are reported (the whole chain from the route to
    its application was seen); routes whose path segment or handler name matches `exempt` (health checks,
    documentation, login, webhooks) are expected to be public.

    ## Example
    ```python
    router = APIRouter(prefix="/orders", dependencies=[Depends(get_current_user)])
    admin = APIRouter(prefix="/admin")   # no dependency

    @admin.post("/refunds")
    def refund(order_id: int): ...
    ```

    Use instead:
    ```python
    admin = APIRouter(prefix="/admin", dependencies=[Depends(require_admin)])
    ```
    If the route is meant to be public, say so where it is declared (and add its name to `exempt`).

    ## Known problems
    Authentication is recognised by names (`get_current_user`, `require_api_key`, `login_required`,
    `IsAuthenticated`…) and by FastAPI's security classes; a check with a neutral name (`Depends(check)`)
    is not seen, which can make its routes look unprotected.
    """
    pattern = re.compile(exempt, re.IGNORECASE)
    groups: dict[str, list[Operation]] = {}
    for operation in model.operations:
        if operation.origin == "code" and operation.application and model.file_kind(operation.location.path) != "test":
            groups.setdefault(operation.application, []).append(operation)
    reported: set[tuple[str, str, object]] = set()
    for application, operations in sorted(groups.items()):
        protected = [o for o in operations if o.security]
        if len(operations) < minimum_routes or len(protected) / len(operations) < threshold:
            continue
        usual = _most_common(name for o in protected for name in o.security or ())
        for operation in operations:
            # A route several applications serve (Django's per-domain URL configurations) is reported once.
            place = (operation.method, operation.path, operation.location)
            if operation.security == () and not _exempt(operation, pattern) and place not in reported:
                reported.add(place)
                yield Finding(
                    operation,
                    f"{operation.method} {operation.path} has no authentication, unlike {len(protected)} of the {len(operations)} routes of {application}",
                    fix=f"add the application's usual check ({usual}) to the route or its router, or exempt it if it is meant to be public",
                    key=f"auth:{operation.method} {operation.path}",
                )


def _exempt(operation: Operation, pattern: re.Pattern[str]) -> bool:
    segments = [s for s in operation.path.split("/") if s and not s.startswith("{")]
    handler = (operation.handler or "").rpartition(".")[2]
    return any(pattern.search(s) for s in segments) or bool(handler and pattern.search(handler))


def _most_common(names) -> str:
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    return min(counts, key=lambda n: (-counts[n], n)) if counts else "an auth dependency"
