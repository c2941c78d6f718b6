"""Authoring: the commands that write incident files for people under pressure."""
