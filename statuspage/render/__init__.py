"""Turning the loaded site into its output files: pure functions of the site, the clock and
the theme.

`outputs.SiteRenderer` plans every file as a keyed `jobs.Job` through the list of renderers
(pages, feeds, the API, badges), each behind the `jobs.Renderer` protocol, all sharing one
`views.SiteIndex`.
"""
