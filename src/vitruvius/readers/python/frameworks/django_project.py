"""Project-wide Django facts the models and the migrations both need: which app a module belongs to (its
label names tables: `<label>_<model>`), the default primary key type, and the user model.

Read from the Module facts of every file: `AppConfig` subclasses (their `name`, `label` and
`default_auto_field` class attributes) and the settings `DEFAULT_AUTO_FIELD` and `AUTH_USER_MODEL`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ....model import Module

_APP_CONFIG = ("django.apps.AppConfig", "django.apps.config.AppConfig")
_DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
# Tables of Django's own apps whose names do not follow `<label>_<model>`.
CONTRIB_TABLES = {
    "contenttypes.contenttype": "django_content_type",
    "sites.site": "django_site",
    "sessions.session": "django_session",
    "admin.logentry": "django_admin_log",
}


@dataclass(frozen=True)
class AppConfig:
    package: str  # the module name of the package that holds the AppConfig (its apps.py's parent)
    name: str | None
    label: str | None
    default_auto_field: str | None


class DjangoProject:
    def __init__(self, modules: Sequence[Module]) -> None:
        self.apps = [app for module in modules for app in _app_configs(module)]
        # Settings modules first; a setting found only elsewhere (a project without `settings.py`) still counts.
        anywhere = {s.name: s.value for m in modules for s in m.strings if s.function is None and s.name.isupper()}
        config = {s.name: s.value for m in modules if m.kind == "config" for s in m.strings if s.function is None}
        self.settings = anywhere | config
        self.default_auto_field = self.settings.get("DEFAULT_AUTO_FIELD") or _DEFAULT_AUTO_FIELD
        self.user_model = self.settings.get("AUTH_USER_MODEL") or "auth.User"

    def app_of(self, module_name: str) -> AppConfig | None:
        """The AppConfig whose package (or `name`) is the longest prefix of the module."""
        best: tuple[int, AppConfig] | None = None
        for app in self.apps:
            for prefix in filter(None, (app.package, app.name)):
                if _within(module_name, prefix) and (best is None or len(prefix) > best[0]):
                    best = (len(prefix), app)
        return best[1] if best else None

    def label(self, module_name: str) -> str:
        """The app label of a module of models or migrations: its AppConfig's label, else the last part of
        the package holding `models`/`migrations` (`shop.models.order` → `shop`)."""
        app = self.app_of(module_name)
        if app is not None:
            return app.label or (app.name or app.package).rpartition(".")[2]
        return package_of(module_name).rpartition(".")[2]

    def auto_field(self, module_name: str) -> str:
        """`AutoField`, `BigAutoField` or `SmallAutoField`: the implicit primary key's class."""
        app = self.app_of(module_name)
        chosen = app.default_auto_field if app and app.default_auto_field else self.default_auto_field
        return chosen.rpartition(".")[2]

    def swappable(self, reference: str) -> str | None:
        """The model a `settings.X` reference names (`AUTH_USER_MODEL`, a swappable OAuth model): the
        setting's value, `auth.User` for an unset user model, None for an unknown setting."""
        setting = reference.rpartition(".")[2]
        if setting == "AUTH_USER_MODEL":
            return self.user_model
        value = self.settings.get(setting)
        return value if value and value.count(".") == 1 else None


def package_of(module_name: str) -> str:
    """The app package of a models or migrations module: what comes before `.models` / `.migrations`."""
    parts = module_name.split(".")
    for marker in ("migrations", "models"):
        if marker in parts[1:]:
            index = len(parts) - 1 - parts[::-1].index(marker)
            return ".".join(parts[:index])
    return ".".join(parts[:-1]) or module_name


def _within(module_name: str, prefix: str) -> bool:
    return module_name == prefix or module_name.startswith(prefix + ".") or f".{prefix}." in f".{module_name}."


def _app_configs(module: Module) -> list[AppConfig]:
    found = []
    for cls in module.classes:
        if not any(b in _APP_CONFIG or b.endswith("AppConfig") for b in cls.bases):
            continue
        end = cls.location.end_line or cls.location.line
        values = {
            s.name: s.value
            for s in module.strings
            if cls.location.line <= s.location.line <= end and s.function is None
        }
        package = module.name if module.is_package else module.name.rpartition(".")[0]
        found.append(AppConfig(package, values.get("name"), values.get("label"), values.get("default_auto_field")))
    return found
