"""The site's URLs with TestID mounted, for tests that turn TestID on after start-up.

``iktipet.urls`` mounts TestID only when IKTIPET_TESTID was on at import. A test sets
``settings.TESTID_ENABLED = True`` and ``settings.ROOT_URLCONF = "iktipet.testid.site_urls"``.
"""

from django.urls import include, path

from iktipet import urls as site

handler403 = site.handler403
handler404 = site.handler404
handler500 = site.handler500

urlpatterns = list(site.urlpatterns)
if not any(str(pattern.pattern) == "testid/" for pattern in urlpatterns):
    urlpatterns.append(path("testid/", include("iktipet.testid.urls")))
