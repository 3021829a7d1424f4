from django.urls import path

from . import act_views, paper_views, petition_views, signon_views, views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("chapters/start/", views.chapter_start, name="chapter_start"),
    path("chapters/start/thanks/", views.chapter_start_thanks, name="chapter_start_thanks"),
    # Petitions, sign-ons and call/e-mail actions (issue 5).
    path("petitions/<slug:slug>/", petition_views.petition_page, name="petition"),
    path("petitions/<slug:slug>/thanks/", petition_views.petition_thanks,
         name="petition_thanks"),
    path("petitions/<slug:slug>/confirm/<str:token>/", petition_views.petition_confirm,
         name="petition_confirm"),
    path("petitions/<slug:slug>/signers/", petition_views.petition_signers,
         name="petition_signers"),
    path("petitions/<slug:slug>/sheet.pdf", paper_views.petition_sheet, name="petition_sheet"),
    path("sign-ons/<slug:slug>/", signon_views.signon_page, name="signon"),
    path("sign-ons/<slug:slug>/thanks/", signon_views.signon_thanks, name="signon_thanks"),
    path("act/<slug:slug>/", act_views.action_page, name="action"),
    path("act/<slug:slug>/report/", act_views.action_report, name="action_report"),
    path("act/<slug:slug>/thanks/", act_views.action_thanks, name="action_thanks"),
]
