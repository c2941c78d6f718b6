"""A mailing list: one mail per update, plain text and HTML (multipart/alternative), over
SMTP with STARTTLS (or TLS from the start; in the clear only to this machine, for tests).

Its Message-ID is the same on every run for the same update and text, and it names the
incident's earlier mails in `In-Reply-To` and `References`, so mail clients show an
incident as one thread. The login comes from the environment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

from ..errors import PostFailed
from ..model import Config
from .channel import Announcement, Channel, Composed, Delivery, RemoteId, Thread
from .chat import html_paragraphs, html_text
from .outbox import Login, Outbox

USERNAME = "STATUSPAGE_SMTP_USERNAME"
PASSWORD = "STATUSPAGE_SMTP_PASSWORD"
SUBJECT = "[Status] {heading}"


def mail_subject(announcement: Announcement) -> str:
    """`[Status] Investigating: Errors on the API`, on one line."""
    return " ".join(SUBJECT.format(heading=announcement.heading).split())


def mail_bodies(announcement: Announcement) -> tuple[str, str]:
    """The mail's plain text and its HTML."""
    words = f"\n\n{announcement.message}" if announcement.message else ""
    plain = f"{announcement.heading}{words}\n\n{announcement.url}\n"
    link = f'<a href="{html_text(announcement.url)}">{html_text(announcement.heading)}</a>'
    language = html_text(announcement.language)
    page = (
        f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{html_text(announcement.heading)}</title></head><body>"
        f"<p><strong>{link}</strong></p>{html_paragraphs(announcement.message)}"
        f'<p><a href="{html_text(announcement.url)}">{html_text(announcement.url)}</a></p>'
        "</body></html>\n"
    )
    return plain, page


class Mail(Channel):
    """Mails each update to the list social.email names."""

    name: ClassVar[str] = "email"
    title: ClassVar[str] = "Email"

    def __init__(
        self,
        config: Config,
        secrets: Mapping[str, str],
        clock: Callable[[], datetime],
    ) -> None:
        super().__init__(config, secrets, clock)
        if (USERNAME in secrets) != (PASSWORD in secrets):
            given, missing = (USERNAME, PASSWORD) if USERNAME in secrets else (PASSWORD, USERNAME)
            raise PostFailed(f"{given} is set but {missing} is not: set both, or neither")

    def compose(self, announcement: Announcement, drafts: tuple[Any, ...]) -> Composed:
        plain, page = mail_bodies(announcement)
        return Composed(announcement, (mail_subject(announcement), plain, page))

    def message(self, composed: Composed, thread: Thread) -> EmailMessage:
        """The mail of `composed`, in the thread of the incident's earlier mails."""
        settings = self.config.social.email
        assert settings is not None  # socialconfig: posting to email needs its settings
        subject, plain, page = composed.texts
        message = EmailMessage()
        message["From"] = settings.sender
        message["To"] = settings.to
        message["Subject"] = subject
        message["Date"] = format_datetime(self.clock())
        host = urlsplit(self.config.url).hostname or "statuspage.invalid"
        message["Message-ID"] = f"<{self.key(composed, 1)}@{host}>"
        if thread.parent is not None:
            message["In-Reply-To"] = thread.parent.id
            message["References"] = " ".join(post.id for post in thread.earlier)
        message["Content-Language"] = composed.announcement.language
        message.set_content(plain)
        message.add_alternative(page, subtype="html")
        return message

    def send(self, outbox: Outbox, composed: Composed, delivery: Delivery) -> None:
        thread, posted = delivery.thread, delivery.posted
        settings = self.config.social.email
        assert settings is not None
        message = self.message(composed, thread)
        login = None
        if USERNAME in self.secrets:
            login = Login(self.secrets[USERNAME], self.secrets[PASSWORD])
        outbox.mail(message, settings, login)
        posted(RemoteId(str(message["Message-ID"])))
