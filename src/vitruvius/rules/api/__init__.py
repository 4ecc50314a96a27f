"""REST API design rules: resources, methods, status codes, pagination, errors, security, contracts."""
