"""Pages of the payments app: the payer's (``citizen``), the provider's callbacks
(``webhooks``), the testbank's checkout (``testbank``) and the staff pages (``staff``)."""
