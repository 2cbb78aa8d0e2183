"""Messaging: threads of messages about a subject (a case), and notifications to people.

It sits below the cases app and never imports it: cases link each case to one
:class:`~iktipet.messaging.models.Thread` and decide who may see it; messaging stores,
validates and sends. What other apps use::

    from iktipet.messaging import services, selectors
    services.open_thread(agency=..., subject_type="cases.case", subject_id=..., title=...)
    services.post_message(thread, author=user, side="citizen", body=..., files=[...])
    services.mark_read(thread, user)
    services.notify(event="case.decided", pid=..., agency=..., link_path="/min-side/...")
    selectors.messages_of(thread); selectors.unread_counts(user, ids, side_of_reader="staff")
    selectors.attachment_in_thread(thread, attachment_id)  # then attachments.serve_attachment

Templates: ``messaging/_thread.html`` and ``messaging/_reply_form.html``.
"""
