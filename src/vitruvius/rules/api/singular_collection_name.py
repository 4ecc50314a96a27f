from collections.abc import Iterator
from itertools import pairwise

from ...findings import Finding, rule
from ...model import SystemModel
from .common import QUALIFIERS, apis, by_path, head_noun, identifies, is_parameter, is_plural, path_key, path_location, pluralized, segments, squash


# `/<key>/{<key>}` finds an item by one of its keys; `/cluster/{cluster}` is still a singular collection.
LOOKUP_KEYS = frozenset({"id", "name", "key", "slug", "uuid", "checksum", "code", "email", "username", "handle", "hash", "number"})

@rule("API001", "singular-collection-name", severity="warning")
def singular_collection_name(model: SystemModel) -> Iterator[Finding]:
    """A collection named by a singular noun in front of its items' identifier: `/order/{id}`.

    ## Why is this bad?
    In `/orders/{id}` the segment names the collection and the parameter picks one item out of it; the same
    collection answers `GET /orders` and `POST /orders`. A singular name (`/order/{id}`) breaks that reading,
    and an API that says `/orders` in one place and `/order/{id}` in another makes clients guess which one a
    resource uses.

    Only a segment directly in front of a parameter that identifies its items (`{id}`, `{order_id}`, `{order}`)
    is judged, and only by its last word: `/git/ref/{ref}` is reported, `/readme/{dir}` (a qualifier, not an
    item's identifier) and `/history/{version_id}` (a mass noun) are not. One finding per collection.

    ## Example
    ```yaml
    paths:
      /order/{order_id}:
        get: {responses: {"200": {description: The order}}}
    ```

    Use instead:
    ```yaml
    paths:
      /orders/{order_id}:
        get: {responses: {"200": {description: The order}}}
    ```

    ## Known problems
    The test is English morphology on the last word: irregular plurals (`people`) and mass nouns are listed,
    but a singular noun ending in `s` beyond `-ss`, `-us` and `-is` (`series`) is taken for a plural.

    ## References
    - Zalando RESTful API guidelines, rule 134 (pluralize resource names).
    """
    for api in apis(model):
        seen: set[str] = set()
        for path, operations in by_path(api).items():
            parts = segments(path)
            for index, (segment, following) in enumerate(pairwise(parts)):
                noun = head_noun(segment)
                if is_parameter(segment) or not noun or is_plural(noun) or noun in QUALIFIERS or not identifies(following, noun):
                    continue
                if squash(segment) == squash(following.strip("{}")) and squash(segment) in LOOKUP_KEYS:
                    continue  # `/name/{name}`, `/id/{id}`: a look-up by that key, not a collection
                prefix = "/" + "/".join(parts[: index + 1])
                if prefix in seen:
                    continue
                seen.add(prefix)
                op = operations[0]
                yield Finding(
                    op,
                    f"{op.method} {path}: the collection '{segment}' in front of {following} is singular",
                    fix=f"name the collection in the plural: {prefix.rsplit('/', 1)[0]}/{pluralized(segment)}/{following}",
                    location=path_location(op),
                    key=path_key(op, prefix),
                )
