"""Markup a person wrote on the case pages (the thread and the reply form are written in
Python since issue 13): the subject, the names, the messages and the files' names are
shown as text on the staff case page and the applicant's, never as markup."""

from __future__ import annotations

from django.urls import reverse

from iktipet.accounts.testing import sign_in_staff
from iktipet.cases.models import Case
from iktipet.messaging.models import Message, MessageAttachment
from iktipet.messaging.services import post_message
from support.cases import submitted_case
from support.messaging import pdf

HOSTILE = "<script>alert(\"x\")</script> & 'q'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;"


def _hostile_case():
    case = submitted_case()
    Case.objects.filter(pk=case.pk).update(title=HOSTILE, party_name=HOSTILE)
    message = post_message(case.thread, author=None, side="citizen", body=HOSTILE, files=[pdf()])
    post_message(case.thread, author=None, side="staff", body="Svar", author_label=HOSTILE)
    MessageAttachment.objects.filter(message=message).update(original_name=HOSTILE)
    Message.objects.filter(pk=message.pk).update(author_label=HOSTILE)
    return case


def _thread_part(html: str) -> str:
    return html[html.index('<ol class="thread"') : html.index("</ol>", html.index('"thread"'))]


def test_the_staff_case_page_escapes_the_thread_and_the_case(client, agencies):
    case = _hostile_case()
    sign_in_staff(client, [("naeringsetaten", "case_worker")])
    html = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert "<script" not in html and "'q'" not in html
    # The message's body, its author, the file's name; the other message's author.
    assert _thread_part(html).count(ESCAPED) == 4
    assert f"{ESCAPED}</h1>" in html  # the subject


def test_a_refused_reply_shows_what_was_typed_as_text(client, agencies):
    case = _hostile_case()
    sign_in_staff(client, [("naeringsetaten", "case_worker")])
    typed = HOSTILE + "</textarea>" + "x" * 10_001  # too long: refused, shown again
    page = client.post(reverse("casework:message", args=[case.pk]), {"body": typed})
    assert page.status_code == 400
    html = page.content.decode()
    assert "<script" not in html and "</textarea>x" not in html
    assert f">{ESCAPED}&lt;/textarea&gt;xxx" in html
    assert 'id="reply-body" name="body" rows="6" maxlength="10000" aria-invalid="true"' in html


def test_the_applicants_case_page_escapes_the_thread(client, agencies):
    from iktipet.accounts.testing import sign_in_citizen

    case = _hostile_case()
    sign_in_citizen(client)
    html = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert "<script" not in html and "'q'" not in html
    assert _thread_part(html).count(ESCAPED) == 4
