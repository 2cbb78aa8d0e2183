"""ASGI entry point. We serve Django as WSGI (measured faster here); this exists for tools."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iktipet.settings")
application = get_asgi_application()
