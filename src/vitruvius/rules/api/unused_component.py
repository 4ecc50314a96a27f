from collections.abc import Iterator
from urllib.parse import unquote

from ...findings import Finding, rule
from ...model import Location, SystemModel


@rule("API032", "unused-component", severity="info")
def unused_component(model: SystemModel) -> Iterator[Finding]:
    """A reusable component (schema, parameter, response, example…) that nothing in the document references.

    ## Why is this bad?
    An unreferenced component is dead contract: it is generated into every SDK, shown in the docs as if it
    were part of the API, and maintained by people who believe something uses it. Often it is the
    leftover of a rename, and the operation that should use it uses an inline copy instead. A security
    scheme is used by name, not by reference, and is not judged here.

    ## Example
    ```yaml
    components:
      schemas:
        Order: {type: object}
        LegacyOrder: {type: object}
    paths:
      /orders/{id}:
        get: {responses: {"200": {content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}}}}
    ```

    Use instead:
    ```yaml
    components:
      schemas:
        Order: {type: object}
    ```

    ## Known problems
    A component meant for other documents to reference (a shared library of schemas) looks unused in its
    own file; keep such libraries in files without `paths`, which are not judged.

    ## References
    - Spectral `oas2-unused-definition`, `oas3-unused-component`; Redocly `no-unused-components`.
    """
    for document in model.api_documents:
        if not any(op.document == document.path for op in model.operations):
            continue  # a library of components for other documents
        referenced = {unquote(ref.split("#", 1)[1]) for ref in document.referenced if ref.startswith("#")}
        for pointer in document.components:
            decoded = pointer.replace("~1", "/").replace("~0", "~")
            if pointer in referenced or decoded in referenced:
                continue
            kind, name = pointer.split("/")[-2:]
            yield Finding(
                document,
                f"{document.path}: the component {kind}/{name} is never referenced",
                fix=f"delete {pointer.lstrip('/')} or reference it where an inline copy stands",
                location=Location(document.path, 0, pointer=pointer),
                key=f"{document.path}#{pointer}",
            )
