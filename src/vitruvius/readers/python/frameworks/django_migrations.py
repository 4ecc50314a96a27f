"""Django migration files → `Migration`s ordered by their dependencies across apps, and the tables they
build (origin "migration").

A migration is `class Migration(migrations.Migration)` in an app's `migrations` package; its id is
`<app label>.<file name>`, the label coming from the app's `AppConfig` as for models. `dependencies`
(including `swappable_dependency(settings.AUTH_USER_MODEL)`, `__first__` and `__latest__`) order them; a
squashed migration stands for the ones it `replaces`, which a fresh database never runs, so those are left
out. `atomic = False` makes the migration non-atomic. Operations are read by `django_operations`;
`RunPython` functions by `django_data`.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from ....model import Location, Migration, Module, Note
from ...sql.schema import Schema
from . import Contribution, Extractor, Names
from .classes import class_facts
from .django_data import DataFunction, data_functions
from .django_fields import FieldKinds
from .django_operations import OperationContext, OperationReader
from .django_project import DjangoProject
from .django_state import MigrationState
from .migration_graph import dependency_order
from .values import Call, Freezer, Ref, Value, module_scope, text_of


@dataclass(frozen=True)
class DjangoMigrationFile:
    name: str
    dependencies: tuple[Value, ...]
    replaces: tuple[Value, ...]
    operations: tuple[Value, ...]
    atomic: bool
    functions: tuple[DataFunction, ...]
    line: int


def _wants(module: Module) -> bool:
    return module.kind == "migration" and "migrations" in module.name.split(".")


def _extract(tree: ast.Module, module: Module, names: Names) -> DjangoMigrationFile | None:
    node = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Migration"), None)
    if node is None or not names.imports_any("django"):
        return None
    freezer = Freezer(names)
    module_scope(tree, freezer)
    facts = class_facts(node, f"{module.name}.Migration", freezer, class_scope=True)
    return DjangoMigrationFile(
        name=PurePosixPath(module.path).stem,
        dependencies=_tuple(facts.value("dependencies")),
        replaces=_tuple(facts.value("replaces")),
        operations=_tuple(facts.value("operations")),
        atomic=facts.value("atomic", True) is not False,
        functions=data_functions(tree),
        line=node.lineno,
    )


def _tuple(value: Value) -> tuple[Value, ...]:
    return value if isinstance(value, tuple) else ()


@dataclass(frozen=True)
class _Entry:
    id: str
    app_label: str
    module: Module
    file: DjangoMigrationFile


def _link(facts: Sequence[tuple[Module, object]], modules: Sequence[Module]) -> Contribution:
    project = DjangoProject(modules)
    entries = {}
    for module, file in facts:
        if isinstance(file, DjangoMigrationFile):
            label = project.label(module.name)
            entry = _Entry(f"{label}.{file.name}", label, module, file)
            entries[entry.id] = entry
    if not entries:
        return Contribution()
    replaced = {r for e in entries.values() for r in _replaced(e)}
    kept = {i: e for i, e in entries.items() if i not in replaced}
    squash_of = {r: e.id for e in kept.values() for r in _replaced(e)}
    parents = {i: tuple(squash_of.get(p, p) for p in _dependencies(e, entries, project)) for i, e in kept.items()}
    order = dependency_order(parents, {i: (e.app_label, e.file.name) for i, e in kept.items()})
    return _apply(order, kept, parents, project, modules)


def _apply(
    order: list[str],
    entries: dict[str, _Entry],
    parents: dict[str, tuple[str, ...]],
    project: DjangoProject,
    modules: Sequence[Module],
) -> Contribution:
    state = MigrationState(project, FieldKinds(modules))
    schema = Schema()
    migrations, notes = [], []
    creator: dict[str, str] = {}  # table → the app whose migration created it
    for position, migration_id in enumerate(order):
        entry = entries[migration_id]
        context = OperationContext(
            entry.module.path, entry.app_label, entry.module.name, {f.name: f for f in entry.file.functions}, []
        )
        reader = OperationReader(state, context)
        effects = [e for operation in entry.file.operations for e in reader.effects(operation)]
        schema.apply_all(effects)
        notes.extend(context.notes)
        creator.update(
            {e.change.table: entry.app_label for e in effects if e.change.kind == "create_table" and e.change.table}
        )
        for effect in effects:
            if effect.change.kind == "rename_table" and effect.change.table in creator and effect.change.name:
                creator[effect.change.name] = creator[effect.change.table]
        migrations.append(
            Migration(
                id=migration_id,
                path=entry.module.path,
                location=Location(entry.module.path, entry.file.line),
                framework="django",
                order=position,
                parents=parents[migration_id],
                atomic=entry.file.atomic,
                changes=tuple(e.change for e in effects),
            )
        )
    tables = [replace(t, framework="django", registry=creator.get(t.name)) for t in schema.tables("migration")]
    return Contribution(tables=tables, migrations=migrations, notes=_unique(notes))


def _unique(notes: list[Note]) -> list[Note]:
    return list(dict.fromkeys(notes))


def _replaced(entry: _Entry) -> list[str]:
    return [
        f"{r[0]}.{r[1]}"
        for r in entry.file.replaces
        if isinstance(r, tuple) and len(r) == 2 and all(isinstance(x, str) for x in r)
    ]


def _dependencies(entry: _Entry, entries: dict[str, _Entry], project: DjangoProject) -> list[str]:
    found = []
    for dependency in entry.file.dependencies:
        app, name = _dependency(dependency, project)
        if app is None or name is None:
            continue
        if name in ("__first__", "__latest__"):
            names = sorted(e.file.name for e in entries.values() if e.app_label == app)
            if not names:
                continue
            name = names[0] if name == "__first__" else names[-1]
        found.append(f"{app}.{name}")
    return found


def _dependency(value: Value, project: DjangoProject) -> tuple[str | None, str | None]:
    """("app", "0002_x"), or `migrations.swappable_dependency(settings.AUTH_USER_MODEL)` → the user app's first."""
    if isinstance(value, tuple) and len(value) == 2:
        return text_of(value[0]), text_of(value[1])
    if isinstance(value, Call) and value.last == "swappable_dependency":
        setting = value.get("value", 0)
        model = project.swappable(setting.name) if isinstance(setting, Ref) else text_of(setting)
        return (model.partition(".")[0], "__first__") if model else (None, None)
    return None, None


EXTRACTOR = Extractor("django-migrations", _wants, _extract, _link, markers=("from django", "import django"))
