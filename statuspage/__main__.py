"""Allow `python -m statuspage`."""

from .cli import run

run()
