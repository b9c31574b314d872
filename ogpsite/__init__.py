"""ogpsite: a static site generator for bilingual (Cyrillic/Latin) report archives."""

__version__ = "0.1.0"
