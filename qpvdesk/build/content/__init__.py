"""Content pipeline: YAML sources in resources/ -> validated records -> data.sqlite."""
