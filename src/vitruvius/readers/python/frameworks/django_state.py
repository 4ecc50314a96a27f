"""The models as the migrations applied so far describe them: Django's `ProjectState`, kept while a
migration's operations are read, so an `AlterField` is judged against the field it replaces and a foreign
key finds the table and key type of the model it names."""

from __future__ import annotations

from dataclasses import replace

from .django_fields import FOREIGN_KEYS, MANY_TO_MANY, FieldKinds, column_name, relation_target
from .django_project import DjangoProject
from .django_tables import KeyTargets, ModelShape, label_of
from .django_names import truncate_name
from .values import Ref, Value, text_of


class MigrationState(KeyTargets):
    def __init__(self, project: DjangoProject, kinds: FieldKinds) -> None:
        super().__init__(kinds)
        self.project = project
        self.models: dict[str, ModelShape] = {}
        self.renamed: dict[str, str] = {}  # old label → new label, for relations written before a RenameModel

    def copy(self) -> MigrationState:
        twin = MigrationState(self.project, self.kinds)
        # Only a shape's own fields list and options dict are changed in place; what they hold is frozen,
        # so copying those two is enough (deepcopy of pretix's state cost 0.1 s of its 0.25 s migrations link).
        twin.models = {label: replace(shape, fields=list(shape.fields), options=dict(shape.options))
                       for label, shape in self.models.items()}
        twin.renamed = dict(self.renamed)
        return twin

    def model(self, app_label: str, name: Value) -> ModelShape | None:
        if not isinstance(name, str):
            return None
        label = f"{app_label}.{name.lower()}"
        return self.models.get(self.renamed.get(label, label))

    def label(self, reference: Value, app_label: str, model: str) -> str | None:
        if isinstance(reference, Ref) and ".settings." in f".{reference.name}":
            swapped = self.project.swappable(reference.name)
            label = swapped.lower() if swapped else None
        elif isinstance(reference, str):
            label = label_of(reference, app_label, model)
        else:
            label = None
        while label in self.renamed:
            label = self.renamed[label]
        return label

    def shape(self, label: str) -> tuple[ModelShape, str | None] | None:
        found = self.models.get(label)
        return (found, None) if found else None

    def referencing(self, label: str) -> list[tuple[str, str]]:
        """(table, column) of every foreign key column pointing at the model: they share its key's type."""
        found = []
        for shape in self.models.values():
            if not shape.managed or shape.proxy:
                continue
            for declaration in shape.fields:
                kind = self.kinds.kind(declaration.call.name) or ""
                if (
                    kind in FOREIGN_KEYS
                    and self.label(relation_target(declaration.call), shape.app_label, shape.name) == label
                ):
                    column = column_name(declaration.name, declaration.call, kind)
                    if column:
                        found.append((shape.table, column))
                elif kind in MANY_TO_MANY and declaration.call.get("through") is None:
                    found.extend(self._through_columns(shape, declaration, label))
        return found

    def _through_columns(self, shape: ModelShape, declaration, label: str) -> list[tuple[str, str]]:
        """The columns of an auto-created many-to-many table that point at the model: Django retypes them with
        its key, like foreign keys (`pretixbase_question_items.question_id` follows `pretixbase_question.id`)."""
        target = self.label(relation_target(declaration.call), shape.app_label, shape.name)
        source = f"{shape.app_label}.{shape.name}".lower()
        if label.lower() not in (target and target.lower(), source):
            return []
        table = text_of(declaration.call.get("db_table")) or truncate_name(f"{shape.table}_{declaration.name}")
        model_name, target_name = shape.name.lower(), (target or "").rpartition(".")[2].lower()
        if model_name == target_name:
            model_name, target_name = f"from_{model_name}", f"to_{target_name}"
        sides = [(model_name, source), (target_name, (target or "").lower())]
        return [(table, f"{side}_id") for side, side_label in sides if side_label == label.lower()]
