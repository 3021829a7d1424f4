from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("chapters/start/", views.chapter_start, name="chapter_start"),
    path("chapters/start/thanks/", views.chapter_start_thanks, name="chapter_start_thanks"),
]
