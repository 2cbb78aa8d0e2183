from django.urls import URLPattern, URLResolver, path

from iktipet.integrations import views
from iktipet.integrations.api import api
from iktipet.integrations.api.finish import finished

# No app_name: ninja reverses its own namespace ("api-v1") from the root.


def _wrapped(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = finished(pattern.callback)
    return patterns


_patterns, _app, _namespace = api.urls
urlpatterns = [
    path("v1/docs", views.reference, name="api-reference"),
    path("v1/", (_wrapped(_patterns), _app, _namespace)),
]
