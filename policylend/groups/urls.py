from django.urls import path

from . import views
from .views import grading

app_name = "groups"
urlpatterns = [
    path("", views.group_list, name="list"),
    path("new/", views.group_create, name="create"),
    path("<int:group_id>/", views.group_detail, name="detail"),
    path("<int:group_id>/edit/", views.group_edit, name="edit"),
    path("<int:group_id>/join/", views.membership_join, name="join"),
    path("<int:group_id>/board/elect/", views.board_elect, name="board_elect"),
    path("<int:group_id>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("<int:group_id>/dissolve/", views.group_dissolve, name="dissolve"),
    path("<int:group_id>/merge/", views.group_merge, name="merge"),
    path("<int:group_id>/split/", views.group_split, name="split"),
    path("memberships/<int:membership_id>/leave/", views.membership_leave, name="leave"),
    path("memberships/<int:membership_id>/move/", views.membership_move, name="move"),
    path("board/<int:term_id>/end/", views.board_term_end, name="board_term_end"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    # Monthly grading (groups/grading.py).
    path("<int:group_id>/grades/", grading.grading_history, name="grading_history"),
    path("grading/", grading.grading_distribution, name="grading_distribution"),
    path("grading/run/", grading.grading_run, name="grading_run"),
]
