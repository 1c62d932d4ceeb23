"""callqa: audit customer-service call transcripts for agent behaviours, with evidence."""

__version__ = "0.1.0"

__all__ = ["__version__"]
