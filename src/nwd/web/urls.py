from django.urls import path

from nwd.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
