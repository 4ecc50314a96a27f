import math
import re
from collections import Counter
from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel

# Name parts that say "this is a credential"; matched on whole words of snake_case/camelCase/kebab names.
SECRET_WORDS = re.compile(
    r"(^|_)(password|passwd|passphrase|pwd|secret|token|apikey|api_key|access_key|private_key|signing_key|"
    r"secret_key|client_secret|auth_key|credentials?|dsn_password|jwt_key|encryption_key|webhook_secret)($|_)"
)
# Names that mention a secret but hold something else: a field's label, a URL, a header or setting name.
NOT_A_VALUE = re.compile(
    r"(_|^)(url|uri|endpoint|path|file|name|field|header|label|prompt|type|id|length|len|policy|min|max|"
    r"expires?|ttl|prefix|reset|hash|model|class|backend|format|template|setting|env|var|param)($|_)"
)
PLACEHOLDERS = re.compile(
    r"(example|changeme|change_me|change-me|placeholder|your[_-]|dummy|sample|insecure-key|not-?a-?secret|xxxx|\*\*\*|<|>|\$\{|\{\{|%\(|\{\w*\})",
    re.IGNORECASE,
)
# Setting names, dotted import or model paths (`pretixapi.OAuthAccessToken`), kebab-case words.
IDENTIFIER = re.compile(r"^[A-Z][A-Z0-9_]*$|^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$|^[a-z][a-z0-9_]*$|^[a-z]+(-[a-z]+)+$")
# One letter case and digits only (hex keys, sample codes): only a long value of this kind is a key.
SINGLE_CASE = re.compile(r"^[a-z0-9]+$|^[A-Z0-9]+$")


def normalised(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).replace("-", "_").lower()


def entropy(value: str) -> float:
    """Shannon entropy in bits per character: ~3 for words, 4+ for hex and base64 keys."""
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def looks_secret(value: str, *, min_length: int, min_entropy: float) -> bool:
    return (
        len(value) >= min_length
        and not any(c.isspace() for c in value)
        and not IDENTIFIER.match(value)
        and not PLACEHOLDERS.search(value)
        and not value.startswith(("/", "./", "http://", "https://"))
        and entropy(value) >= min_entropy
        and (len(value) >= 24 or not SINGLE_CASE.match(value))
    )


def redact(value: str) -> str:
    return value[:4] + "…"


@rule("SEC001", "hard-coded-secret", severity="error")
def hard_coded_secret(model: SystemModel, *, min_length: int = 16, min_entropy: float = 3.0) -> Iterator[Finding]:
    """A password, key or token written into the code as a literal.

    ## Why is this bad?
    A secret in the repository is readable by everyone with read access to it, its forks, its CI logs
    and every laptop that cloned it, forever: deleting it later does not remove it from history. It
    cannot be rotated without a deploy, and it is usually the same in every environment, so a leak from
    a developer machine opens production. Secrets belong in the environment or a secret manager.

    The rule looks for names that say "credential" (password, secret, token, api_key, signing_key, ...)
    bound to a literal that looks generated: long enough, without spaces, not an identifier, not a
    placeholder, with high character entropy. Defaults of `os.getenv`/`os.environ.get` count, since
    the default is what runs when the variable is missing. The value never appears whole in any output.

    ## Example
    ```python
    BROKER_SIGNING_KEY = "dlr_live_mwSpKzEV9rS3NOdiUOgd8n"
    ```

    Use instead:
    ```python
    import os

    BROKER_SIGNING_KEY = os.environ["BROKER_SIGNING_KEY"]  # fail at start-up when it is missing
    ```

    ## Known problems
    A short or low-entropy password (`"hunter2"`), and a value of one letter case and digits shorter than
    24 characters (sample order codes look like that; hex keys are longer), are not reported: telling them
    from labels and fixtures needs more than the literal. Test code is left alone, since its credentials are fixtures. Options: `min_length`,
    `min_entropy`.

    ## References
    - OWASP ASVS V2.10 (service authentication), CWE-798 (use of hard-coded credentials).
    """
    for module in model.modules:
        for binding in module.strings:
            name = normalised(binding.name)
            if not SECRET_WORDS.search(name) or NOT_A_VALUE.search(name):
                continue
            if looks_secret(binding.value, min_length=min_length, min_entropy=min_entropy):
                yield Finding(
                    binding,
                    f"{binding.name} is bound to a literal secret ({redact(binding.value)}) in {binding.function or module.name}",
                    fix=f"read it from the environment or a secret manager (os.environ[{binding.name.upper()!r}]), and rotate the leaked value",
                )
