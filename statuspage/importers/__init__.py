"""`statuspage import`: incident history from another status page, as incident files.

`statuspage.py` reads Atlassian Statuspage's public API v2 JSON, `cstate.py` a cState site;
each makes a `Plan` (`plan.py`: components, incidents and what could not be mapped, with
the file and line of each), which `site.py` writes into the site: missing components into
statuspage.yaml, without touching its comments, and one checked incident file per incident,
never over a file that exists.
"""
