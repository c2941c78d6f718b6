"""Uptime probes: checking targets, and adding the results to the site's history files.

Code here may touch the network; `build` never imports it.
"""
