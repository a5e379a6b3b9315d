from django.urls import path

from . import views

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("new/", views.household_create, name="create"),
    path("new/member-row/", views.member_row, name="member_row"),
    path("<int:household_id>/", views.household_detail, name="detail"),
    path("<int:household_id>/edit/", views.household_edit, name="edit"),
    path("<int:household_id>/members/new/", views.person_add, name="person_add"),
    path(
        "<int:household_id>/classifications/new/",
        views.classification_add,
        name="classification_add",
    ),
    path("members/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("members/<int:person_id>/national-id/", views.national_id_reveal, name="national_id"),
]
