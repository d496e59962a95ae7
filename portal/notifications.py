"""Notifications: what a person should know, in the portal and by e-mail.

How to notify, from a service, inside its transaction::

    from django.utils.translation import gettext_lazy as _
    from portal.notifications import notify

    notify(
        people,                                   # Person objects: a list, a queryset…
        _("%(acronym)s was submitted for labelling"),
        _("%(leader)s submitted %(acronym)s to %(pole)s."),
        url=project.get_absolute_url(),
        params={"acronym": project.acronym, "leader": str(by), "pole": str(pole)},
    )

- ``people``: each person gets one ``Notification`` (the list at ``/notifications/``, the
  unread count in the navigation) and one e-mail. A person listed twice gets one; inactive
  accounts get nothing.
- ``subject``, ``body``: plain text. Pass ``gettext_lazy`` messages: they are written in the
  site's language (``LANGUAGE_CODE``, French), whoever's request triggered them — the
  recipient's own language is not known yet. ``params`` fills their ``%(name)s`` after
  translation (formatting a lazy message yourself would translate it in the current
  request's language).
- ``url``: where the notification leads: a path of the site (``/projects/3/``), linked in
  the portal and made absolute with ``SITE_URL`` in the e-mail; or an absolute http(s) URL.
- ``reply_to``: an address the e-mail's answers go to (a member who chose to share theirs with
  the organisation they wrote to); by default nobody's address is shown.

The e-mails leave only once the transaction commits (``transaction.on_commit``): a change
that is rolled back sends nothing. A mail server that fails is logged; it never undoes the
change, and the notification stays in the portal.

``send_email(address, …)`` sends the same e-mail to an address that has no account yet (an
invitation to join a consortium); it creates no ``Notification``.

``mark_read(person, pk=None)`` marks one of the person's notifications read, or all of them.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Notification

logger = logging.getLogger(__name__)


def notify(people, subject, body="", url="", params=None, reply_to=None):
    """Tell each of ``people`` about something: a Notification and an e-mail each (answered,
    if ``reply_to`` is an address, to that address). Returns the notifications created."""
    _check_url(url)
    recipients = {}
    for person in people:
        if person is not None and person.is_active:
            recipients.setdefault(person.pk, person)
    if not recipients:
        return []
    subject, body = _subject(subject, params), _written(body, params)
    notifications = Notification.objects.bulk_create(
        [
            Notification(recipient=person, subject=subject, body=body, url=url)
            for person in recipients.values()
        ]
    )
    for person in recipients.values():
        _email_on_commit(person.email, subject, body, url, reply_to)
    return notifications


def send_email(address, subject, body="", url="", params=None):
    """The e-mail of ``notify`` to an address with no account (yet), sent on commit."""
    _check_url(url)
    _email_on_commit(address, _subject(subject, params), _written(body, params), url)


def mark_read(person, pk=None):
    """Mark ``person``'s notification ``pk`` read, or all of theirs; returns how many changed."""
    unread = Notification.objects.filter(recipient=person, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())


def absolute_url(url):
    if url.startswith("/"):
        return settings.SITE_URL.rstrip("/") + url
    return url


def _check_url(url):
    # A link shown in the portal: a path of the site or a web address, never javascript: & co.
    if url and not url.startswith(("/", "https://", "http://")):
        raise ValueError(f"A notification links to a path or an http(s) URL, not {url!r}.")


def _written(message, params):
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message)
        return text % params if params else text


def _subject(message, params):
    # One line: an e-mail subject cannot hold a line break.
    return " ".join(_written(message, params).split())[:255]


def _email_text(body, url):
    with translation.override(settings.LANGUAGE_CODE):
        # A greeting and a closing, as a professional e-mail has; the portal shows the body only.
        parts = [_("Hello,")]
        if body:
            parts.append(body)
        if url:
            parts.append(absolute_url(url))
        parts.append(_("Best regards,") + "\nGrappe")
        parts.append(
            "-- \n"
            + _("All your notifications on Grappe: %(url)s")
            % {"url": absolute_url(reverse("notification_list"))}
        )
        return "\n\n".join(parts)


def _email_on_commit(address, subject, body, url, reply_to=None):
    message = _email_text(body, url)

    def send():
        try:
            EmailMessage(
                f"[Grappe] {subject}",
                message,
                settings.DEFAULT_FROM_EMAIL,
                [address],
                reply_to=[reply_to] if reply_to else None,
            ).send()
        except Exception:  # the change is committed: a failing mail server must not undo it
            logger.exception("Could not send the notification e-mail to %s", address)

    transaction.on_commit(send)
