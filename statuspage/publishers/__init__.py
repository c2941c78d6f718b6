"""Posting updates: `statuspage announce --post` sends each update's drafts to X, Mastodon
and Bluesky, a message to Slack, Discord, Teams, Matrix and Telegram, and a mail to a list.

`run` decides what is due and records it (`state`, social/posted.yaml); `outbox` sends, with
bounded retries, or shows what it would send; `channel` and `chat` hold what the channels
share; each channel is one module (`mastodon`, `bluesky`, `x`, `slack`, `discord`, `teams`,
`matrix`, `telegram`, `mail`). Secrets come from the environment alone (`credentials`).
This is network code: `build` never imports it.
"""
