from django.urls import path

from . import views

app_name = "skills"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("role-levels/", views.role_levels, name="role-levels"),
    path("role-levels/<slug:which>/", views.role_choose, name="role-choose"),
    path("role-levels/<slug:which>/<slug:role_code>/", views.role_level_choose, name="role-level-choose"),
    path("self-assessment/", views.self_assessment, name="self-assessment"),
    path("self-assessment/add/", views.self_assessment_add, name="self-assessment-add"),
    path("self-assessment/check/", views.self_assessment_check, name="self-assessment-check"),
    path("self-assessment/<slug:skill_code>/", views.self_assessment_skill, name="self-assessment-skill"),
    path(
        "self-assessment/<slug:skill_code>/withdraw/", views.self_assessment_withdraw, name="self-assessment-withdraw"
    ),
    path("gaps/", views.gaps, name="gaps"),
    path("history/<slug:skill_code>/", views.history, name="history"),
    path("history/<slug:skill_code>/assessor/", views.ask_assessor, name="ask-assessor"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:review_id>/", views.review, name="review"),
    path("team/", views.team, name="team"),
    path("team/<int:person_id>/", views.gaps, name="team-member"),
    path("team/<int:person_id>/history/<slug:skill_code>/", views.history, name="team-member-history"),
    path("account/email-change/<int:change_id>/<str:token>/", views.email_change, name="email-change"),
]
