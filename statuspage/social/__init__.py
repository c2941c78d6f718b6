"""Social announcements: drafts of every update for X, Mastodon and Bluesky, within each
network's length rules (`text`: the plain text they are made of, counted and shortened)."""
