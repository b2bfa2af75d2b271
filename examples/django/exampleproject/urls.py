from django.conf import settings
from django.urls import path

from widget import views

urlpatterns = [
    path("", views.home, name="home"),
]

if settings.EMBED_TEST_ROUTE:  # tests/browser only; see settings.py
    urlpatterns.append(path("userhash/embed", views.embed_test, name="userhash-embed-test"))
