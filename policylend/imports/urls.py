from django.urls import path

from . import views
from .exports import EXPORTS

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("template.xlsx", views.template_download, name="template"),
    path("<int:job_id>/", views.job_detail, name="detail"),
    path("<int:job_id>/progress/", views.job_progress, name="progress"),
    path("<int:job_id>/confirm/", views.job_confirm, name="confirm"),
]

# Mounted at /exports/ (config/urls.py): /exports/households.xlsx and the other lists, one
# fixed URL each (named after the list: ``exports:households``).
export_patterns = (
    [path(f"{name}.xlsx", views.export, {"name": name}, name=name) for name in EXPORTS],
    "exports",
)
