"""Allow `python -m statuspage`."""

from .cli import main

main()
