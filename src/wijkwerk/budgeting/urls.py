app_name = "budgeting"

urlpatterns: list = []
