"""statuspage: a static-site generator for honest public status pages."""

__version__ = "0.1.0"
