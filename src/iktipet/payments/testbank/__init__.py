"""The testbank: a TEST payment provider built into the platform (no real money).

It plays a provider end to end, so demo and tests exercise the same path as Vipps or Nets:
a hosted checkout page (``views``) where the tester approves, declines or abandons; its own
book of payments (``models.TestbankPayment``, apart from the orders); and signed webhooks
(``signing``) sent through the task worker after a delay (``webhooks``). The payments core
meets it only through the plugin in ``payments.providers.testbank``.
"""
