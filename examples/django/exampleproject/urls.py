from django.urls import path

from widget import views

urlpatterns = [
    path("", views.home, name="home"),
]
