from django.urls import path

from . import views

app_name = "noticeboard"
urlpatterns = [
    path("points/<str:code>/", views.point_board, name="point_board"),
    path("check/", views.loan_check, name="loan_check"),
]
