"""Signals of the projects app, for the apps built on it (projects imports none of them)."""

from django.dispatch import Signal

# Sent by ``services.remove_partner`` in its transaction, before the partner is deleted
# (``sender``: Partner, ``partner``): a receiver removes what goes with the partner, or
# raises ``ValidationError`` with a message for the leader to keep it in the consortium.
partner_leaving = Signal()
