"""Performance rules: what makes requests slow or unbounded."""
