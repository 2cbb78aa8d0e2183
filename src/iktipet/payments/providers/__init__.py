"""Payment providers: the offline ``testbank``, Vipps MobilePay ePayment and Nets Easy."""
