"""The build machinery, private to `build`: the cache, the workers, publishing in one swap.

`build.build_site` is the one entry point; the rest is what makes it fast (reading only
what changed, rendering on every core, writing only what differs) without changing a byte
of what it writes.
"""
