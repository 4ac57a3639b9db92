from django.urls import path

from kariya.dedup import views

app_name = "dedup"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("merges/", views.merge_list, name="merge_list"),
    path("runs/", views.run_list, name="run_list"),
    path("runs/new/", views.run_start, name="run_start"),
    path("runs/<uuid:public_id>/", views.run_state, name="run_state"),
    path("merges/<uuid:public_id>/undo/", views.merge_undo, name="merge_undo"),
    path("<uuid:public_id>/", views.candidate_detail, name="candidate_detail"),
]
