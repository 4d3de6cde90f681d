"""Build time only: resources/ (content YAML, open-data files) -> data.sqlite (`python -m qpvdesk build-data`).

The running window imports nothing from here (an import-linter contract in pyproject.toml checks it), and the
bundle leaves this package and PyYAML out (build.spec).
"""
