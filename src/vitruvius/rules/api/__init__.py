"""REST API design rules: resources, methods, status codes, pagination, errors, security, contracts.

API001-API099 judge the design that operations show, whether they come from an OpenAPI document or from code
routes; a fact a code reader cannot see (declared error responses, response headers, schema constraints) is
judged only where a document states it. API100 and up compare code routes with their OpenAPI description and
judge the authentication of code routes.

Conventions differ between teams, so they are options with a default of "auto" (the convention most of the API
already follows): path case (API003), trailing slash (API005), error message field (API018), versioning style
(API021), query parameter case (API039).

## Spectral's `spectral:oas` ruleset
Covered:
- `operation-success-response` → API033 missing-success-response
- `operation-operationId` → API028 missing-operation-id
- `operation-operationId-unique` → API029 duplicate-operation-id
- `path-params`, `path-declarations-must-exist` → API030 path-parameter-mismatch, API034 equivalent-paths
- `path-keys-no-trailing-slash` → API005 inconsistent-trailing-slash (a convention: `never`, `always` or `auto`)
- `path-not-include-query` → API038 query-string-in-path
- `oas2-operation-security-defined`, `oas3-operation-security-defined` → API023 undefined-security-scheme
- `oas2-unused-definition`, `oas3-unused-component` → API032 unused-component (every kind of component)

Left out on purpose:
- Documentation metadata, which says nothing about the design: `contact-properties`, `info-contact`,
  `info-description`, `info-license`, `license-url`, `operation-description`, `oas2-parameter-description`,
  `oas3-parameter-description`, `operation-tags`, `operation-singular-tag`, `operation-tag-defined`,
  `openapi-tags`, `openapi-tags-alphabetical`, `openapi-tags-uniqueness`, `tag-description`.
- Markdown rendering, a concern of documentation renderers: `no-eval-in-markdown`, `no-script-tags-in-markdown`.
- Structural validity, the job of a schema validator (the reader notes what it cannot read, VIT001):
  `oas2-schema`, `oas3-schema`, `oas2-anyOf`, `oas2-oneOf`, `oas2-discriminator`, `array-items`, `typed-enum`,
  `duplicated-entry-in-enum`, `no-$ref-siblings`, `operation-parameters`, `operation-operationId-valid-in-url`,
  `oas2-operation-formData-consume-check`, `oas3-examples-value-or-externalValue`, `oas3-callbacks-in-callbacks`,
  `oas3-server-variables`.
- Example validation: `oas2-valid-schema-example`, `oas2-valid-media-example`, `oas3-valid-schema-example`,
  `oas3-valid-media-example`. API026 asks that examples exist and validates none: validation belongs in
  contract tests, and Spectral's own reports false positives on OpenAPI 3.0 `nullable` (a `null` example of a
  nullable field).
- Server URL hygiene: `oas2-api-host`, `oas2-api-schemes`, `oas2-host-not-example`, `oas2-host-trailing-slash`,
  `oas3-api-servers`, `oas3-server-not-example.com`, `oas3-server-trailing-slash`; API036 insecure-server-url
  keeps the part that matters (plain HTTP).

Beyond Spectral: resource naming (API001-API005), method semantics (API006-API008), status codes (API009-API014,
API037), collections (API015-API017), errors (API018, API019), versioning (API020, API021), security (API022,
API035, API036), rate limits (API024), request constraints (API025), examples (API026), idempotency (API027).
"""
