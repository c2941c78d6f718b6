"""`statuspage init`: a new site, ready to check, build, publish and probe.

It writes a commented statuspage.yaml, an example incident, a .gitignore, the GitHub
Actions workflow (check on pull requests, build and publish on main, probe every 5 minutes)
and site-template/_headers (Netlify and Cloudflare Pages: the API and badges readable from
other sites). It refuses to write over any file that exists, unless told to, and then
writes all or, on an error, says which it could not.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from ..errors import OutputError, UsageError

STARTER = files(__package__) / "starter"

# Where each starter file goes in the new site.
FILES = {
    "statuspage.yaml": "statuspage.yaml",
    "example-incident.yaml": "incidents/2026/2026-01-15-example-api-errors.yaml",
    "gitignore.txt": ".gitignore",
    "status-workflow.yml": ".github/workflows/status.yml",
    "headers.txt": "site-template/_headers",
}


def init_site(folder: Path, force: bool = False) -> list[str]:
    """Write the new site's files in `folder` (made if need be); their paths, relative."""
    existing = [target for target in FILES.values() if (folder / target).exists()]
    if existing and not force:
        raise UsageError(
            f"{folder}: {', '.join(existing)} exist{'s' if len(existing) == 1 else ''} "
            "already; nothing was written (--force writes over them)"
        )
    for source, target in FILES.items():
        path = folder / target
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes((STARTER / source).read_bytes())
        except OSError as error:
            raise OutputError(f"{path}: cannot be written ({error.strerror})") from None
    return list(FILES.values())
