"""Archive URLs (issue 6): a case as PDF, bulk archives of closed cases."""

app_name = "arsip"
urlpatterns = []
