from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("<int:programme_id>/", views.programme_detail, name="detail"),
    path("<int:programme_id>/terms/", views.terms_change, name="terms_change"),
]
