"""The tool's own notes: files it could not read, statements it could not analyse, unused suppressions."""
