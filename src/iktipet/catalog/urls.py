from django.urls import path

from iktipet.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<slug:service_id>/", views.service_detail, name="service"),
]
