"""Signals other apps connect to, so that messaging never imports them.

``notification_sent(sender=Notification, notification=…)``: a notification reached the
person digitally (email or SMS sent). The cases app counts a decision as delivered then.
"""

from django.dispatch import Signal

notification_sent = Signal()
