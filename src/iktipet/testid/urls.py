app_name = "testid"
urlpatterns: list = []
