"""How schema rules read names: case styles, and whether an English table name is singular or plural.

Not a rule: it declares none.
"""

from __future__ import annotations

from collections import Counter

from .common import words

STYLE_NAMES = {"snake": "snake_case", "camel": "camelCase", "pascal": "PascalCase", "upper": "UPPER_CASE"}


def styles(name: str) -> set[str]:
    """The case styles a name is written in; a one-word lower-case name fits snake_case and camelCase."""
    letters = [c for c in name if c.isalpha()]
    if not letters:
        return set(STYLE_NAMES)
    if name.islower():
        return {"snake"} if "_" in name else {"snake", "camel"}
    if name.isupper():
        return {"upper"} | ({"pascal"} if len(letters) == 1 else set())
    if "_" not in name:
        return {"pascal"} if name[0].isupper() else {"camel"}
    return {"mixed"}


def convention(names: list[str], *, minimum: int, share: float) -> str | None:
    """The style most names follow, when enough names follow it clearly enough."""
    if len(names) < minimum:
        return None
    counts = Counter(style for name in names for style in styles(name))
    style, count = max(sorted(counts.items()), key=lambda item: item[1], default=("", 0))
    return style if style in STYLE_NAMES and count >= share * len(names) else None


def restyle(name: str, style: str) -> str:
    """The name written in another case style."""
    parts = words(name)
    if style == "snake":
        return "_".join(parts)
    if style == "upper":
        return "_".join(parts).upper()
    camel = "".join(p.capitalize() for p in parts)
    return camel if style == "pascal" else camel[:1].lower() + camel[1:]


# Singular nouns that end in s; plurals that do not; words used both ways.
SINGULAR_S = frozenset({
    "alias", "canvas", "atlas", "gas", "bus", "lens", "chassis", "ethos", "chaos", "kudos", "bias",
})
IRREGULAR_PLURALS = frozenset({"people", "children", "men", "women", "mice", "geese", "feet", "teeth", "criteria", "indices"})
AMBIGUOUS = frozenset({"series", "species", "news", "data", "metadata", "media", "info", "staff", "settings", "sms"})


def number(table_name: str) -> str | None:
    """singular, plural, or None when the last word does not say (series, statistics, data)."""
    named = words(table_name)
    word = named[-1] if named else ""
    if len(word) < 3 or not word.isalpha() or word in AMBIGUOUS or word.endswith("ics"):
        return None
    if word in IRREGULAR_PLURALS:
        return "plural"
    if word in SINGULAR_S or word.endswith(("ss", "us", "is")):
        return "singular"
    return "plural" if word.endswith("s") else "singular"


SINGULAR_ENDINGS = (
    ("ies", "y"), ("sses", "ss"), ("atuses", "atus"), ("iases", "ias"), ("xes", "x"), ("ches", "ch"), ("shes", "sh"), ("s", ""),
)


def renamed(name: str, usual: str) -> str:
    """The name in the usual number, by the common English endings."""
    if usual == "singular":
        for plural, singular in SINGULAR_ENDINGS:
            if name.endswith(plural):
                return name[: len(name) - len(plural)] + singular
        return name
    if name.endswith("y") and name[-2:-1] not in "aeiou":
        return name[:-1] + "ies"
    return name + ("es" if name.endswith(("s", "x", "ch", "sh")) else "s")
