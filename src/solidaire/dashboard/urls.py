from django.urls import path

from .views import auth, campaigns, chapters, committees, home, merge, organizations, people

app_name = "dashboard"
# "<list>/new/" comes before "<list>/<slug>/": no object may take "new" as its address
# (forms.RESERVED_SLUGS).
urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("", home.home, name="home"),
    path("people/", people.people_list, name="people"),
    path("people/new/", people.person_add, name="person_add"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/merge/", merge.person_merge_search, name="person_merge"),
    path("people/<int:pk>/merge/<int:other_pk>/", merge.person_merge_confirm,
         name="person_merge_confirm"),
    path("chapters/", chapters.chapter_list, name="chapters"),
    path("chapters/new/", chapters.chapter_add, name="chapter_add"),
    path("chapters/<slug:slug>/", chapters.chapter_detail, name="chapter_detail"),
    path("chapters/<slug:slug>/new/", chapters.chapter_add_child, name="chapter_add_child"),
    path("chapters/<slug:slug>/edit/", chapters.chapter_edit, name="chapter_edit"),
    path("chapter-requests/", chapters.chapter_request_list, name="chapter_requests"),
    path("chapter-requests/<int:pk>/", chapters.chapter_request_detail,
         name="chapter_request_detail"),
    path("committees/", committees.committee_list, name="committees"),
    path("committees/new/", committees.committee_add, name="committee_add"),
    path("committees/<slug:slug>/", committees.committee_detail, name="committee_detail"),
    path("committees/<slug:slug>/edit/", committees.committee_edit, name="committee_edit"),
    path("organizations/", organizations.organization_list, name="organizations"),
    path("organizations/<slug:slug>/", organizations.organization_detail,
         name="organization_detail"),
    path("organizations/<slug:slug>/edit/", organizations.organization_edit,
         name="organization_edit"),
    path("organizations/<slug:slug>/members/new/", organizations.coalition_member_add,
         name="coalition_member_add"),
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/new/", campaigns.campaign_add, name="campaign_add"),
    path("campaigns/<slug:slug>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<slug:slug>/edit/", campaigns.campaign_edit, name="campaign_edit"),
]
