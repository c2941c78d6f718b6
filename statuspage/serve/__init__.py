"""The preview server: `statuspage serve`."""
