from django.urls import path

from kariya.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("tasks/", views.task_list, name="task_list"),
    path("approvals/", views.approval_list, name="approval_list"),
    path("gbv/", views.gbv_list, name="gbv_list"),
    path(
        "screenings/new/<uuid:person_public_id>/",
        views.screening_create,
        name="screening_create",
    ),
    path("screenings/<uuid:public_id>/", views.screening_detail, name="screening_detail"),
    path("screenings/<uuid:public_id>/open/", views.case_open, name="case_open"),
    path(
        "assessments/new/<uuid:person_public_id>/",
        views.assessment_create,
        name="assessment_create",
    ),
    path("assessments/<uuid:public_id>/", views.assessment_detail, name="assessment_detail"),
    path("<uuid:public_id>/", views.case_detail, name="case_detail"),
    path("<uuid:public_id>/status/", views.case_transition, name="case_transition"),
    path("<uuid:public_id>/assign/", views.case_assign, name="case_assign"),
    path("<uuid:public_id>/approval/", views.approval_request, name="approval_request"),
    path(
        "<uuid:public_id>/approvals/<uuid:approval_id>/decide/",
        views.approval_decide,
        name="approval_decide",
    ),
    path("<uuid:public_id>/goals/", views.goal_add, name="goal_add"),
    path("<uuid:public_id>/actions/", views.action_add, name="action_add"),
    path(
        "<uuid:public_id>/actions/<uuid:action_id>/done/",
        views.action_complete,
        name="action_complete",
    ),
    path("<uuid:public_id>/services/", views.delivery_add, name="delivery_add"),
    path("<uuid:public_id>/follow-ups/plan/", views.follow_up_schedule, name="follow_up_schedule"),
    path("<uuid:public_id>/follow-ups/", views.follow_up_record, name="follow_up_record"),
    path("<uuid:public_id>/notes/", views.note_add, name="note_add"),
    path("<uuid:public_id>/gbv/", views.gbv_section, name="gbv_section"),
]
