from django.urls import path

from . import (
    act_views,
    campaign_views,
    event_views,
    paper_views,
    petition_views,
    signon_views,
    views,
)

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("chapters/start/", views.chapter_start, name="chapter_start"),
    path("chapters/start/thanks/", views.chapter_start_thanks, name="chapter_start_thanks"),
    # After "start", which wins over a chapter of that address (decision 0066).
    path("chapters/<slug:slug>/", views.chapter_page, name="chapter"),
    path("confirm/<str:token>/", views.email_confirm, name="email_confirm"),
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
    # Campaign stories and toolkits (issue 7).
    path("campaigns/<slug:slug>/", campaign_views.campaign_story, name="campaign_story"),
    path("campaigns/<slug:slug>/toolkit/<int:pk>/", campaign_views.resource_download,
         name="resource_download"),
    # Events (issue 6). Event addresses never take the reserved words of
    # events.models.RESERVED_SLUGS ("series", "feed", "r", "chapter"…).
    path("events/", event_views.event_list, name="events"),
    path("events/feed.ics", event_views.events_feed, name="events_feed"),
    path("events/series/<slug:slug>/", event_views.series_page, name="series"),
    path("events/series/<slug:slug>/feed.ics", event_views.series_feed, name="series_feed"),
    path("events/chapter/<slug:slug>/feed.ics", event_views.chapter_feed, name="chapter_feed"),
    path("events/r/<str:token>/", event_views.event_registration, name="event_registration"),
    path("events/<slug:slug>/", event_views.event_page, name="event"),
    path("events/<slug:slug>/thanks/", event_views.event_thanks, name="event_thanks"),
    path("events/<slug:slug>/event.ics", event_views.event_ics, name="event_ics"),
]
