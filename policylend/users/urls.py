from django.urls import path

from . import views

app_name = "users"
urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("users/", views.user_list, name="list"),
    path("users/new/", views.user_create, name="create"),
    path("users/two-factor-rules/", views.role_policies, name="role_policies"),
    path("users/<int:user_id>/", views.user_detail, name="detail"),
    path("users/<int:user_id>/edit/", views.user_edit, name="edit"),
    path("users/<int:user_id>/password/", views.user_password, name="password"),
    path("audit/", views.audit_log, name="audit"),
]
