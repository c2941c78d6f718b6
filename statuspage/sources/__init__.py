"""Finding and reading a site's inputs: the registry of input kinds, the YAML readers, the loader.

`inputs.scan` finds every input file by name and stat; `loader` reads them into the frozen
`model.Site`, collecting every problem as `path:line:col: message`.
"""
