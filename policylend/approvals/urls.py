from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("<int:request_id>/", views.request_detail, name="detail"),
    path("<int:request_id>/approve/", views.request_approve, name="approve"),
    path("<int:request_id>/reject/", views.request_reject, name="reject"),
    path("<int:request_id>/withdraw/", views.request_withdraw, name="withdraw"),
]
