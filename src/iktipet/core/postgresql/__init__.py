"""Django's PostgreSQL backend, cheaper per request (``ENGINE = "iktipet.core.postgresql"``)."""
