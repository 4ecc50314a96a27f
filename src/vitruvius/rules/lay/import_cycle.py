from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import Import, SystemModel


def import_graph(model: SystemModel) -> dict[str, dict[str, Import]]:
    """module → {imported in-repo module → the first import statement that makes the edge}.

    Deferred imports (inside a function, under `if TYPE_CHECKING:`) do not run when the module loads,
    so they are the standard way to break a cycle and are not edges here.
    """
    graph: dict[str, dict[str, Import]] = {}
    for module in model.modules:
        edges = graph.setdefault(module.name, {})
        for imp in module.imports:
            if imp.module and imp.module != module.name and not imp.deferred:
                edges.setdefault(imp.module, imp)
    return graph


def shortest_cycle(graph: dict[str, dict[str, Import]], start: str, members: set[str]) -> list[str]:
    """The shortest path start → … → start inside one strongly connected component (breadth first)."""
    parents: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph.get(node, {})):
                if target not in members:
                    continue
                if target == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parents[path[-1]])
                    return list(reversed(path))
                if target not in parents:
                    parents[target] = node
                    following.append(target)
        frontier = following
    return [start]


@rule("LAY001", "import-cycle", severity="warning")
def import_cycle(model: SystemModel) -> Iterator[Finding]:
    """Modules of the repository that import each other, directly or through others.

    ## Why is this bad?
    A cycle makes the modules one unit: none can be understood, tested or moved without the others, and
    the layering the folders promise (entities → repositories → services → api) no longer holds. At run
    time the first module of the cycle to load sees the others half-initialised, so an innocent reordering
    of imports turns into `ImportError: cannot import name ... (most likely due to a circular import)`.

    One finding is reported per tangle (strongly connected group of modules), at the import that starts
    its shortest cycle, naming the cycle and the size of the tangle.

    ## Example
    ```python
    # app/services/requests.py
    from app.services.notifications import notify_user

    # app/services/notifications.py
    from app.services.requests import describe_status
    ```

    Use instead:
    ```python
    # app/services/status.py holds describe_status; both modules import it, neither imports the other.
    from app.services.status import describe_status
    ```
    Move the shared piece down a layer, invert the dependency (pass a callback or an interface), or, as a
    last resort, import inside the function that needs it.

    ## References
    - pylint R0401 (cyclic-import); import-linter's layers and independence contracts.
    """
    graph = import_graph(model)
    if not any(graph.values()):
        return  # no in-repo imports: spare the start-up of the graph library
    import networkx

    digraph = networkx.DiGraph((source, target) for source, edges in graph.items() for target in edges)
    for component in networkx.strongly_connected_components(digraph):
        if len(component) < 2:
            continue
        start = min(component)
        cycle = shortest_cycle(graph, start, component)
        statements = [graph[a][b] for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True)]
        size = f" (one of {len(component)} modules tangled together)" if len(component) > len(cycle) else ""
        yield Finding(
            statements[0],
            f"import cycle: {' → '.join(cycle + cycle[:1])}{size}",
            fix=f"break the edge {cycle[-1]} → {cycle[0]} or {cycle[0]} → {cycle[1]}: move what both need into a lower module, or invert the dependency",
            related=tuple(s.location for s in statements[1:]),
            key=f"cycle:{','.join(sorted(component))}",
        )
