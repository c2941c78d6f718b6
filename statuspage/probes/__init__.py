"""Uptime probes: running checks and recording their results; never imported by build."""
