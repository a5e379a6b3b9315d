from django.urls import path

from . import views

app_name = "associations"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:association_unit_id>/", views.unit_detail, name="unit_detail"),
    path("units/<int:association_unit_id>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:association_unit_id>/plan/", views.unit_plan, name="unit_plan"),
    path(
        "units/<int:association_unit_id>/inspections/new/",
        views.inspection_create,
        name="inspection_create",
    ),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/new/", views.contract_create, name="contract_create"),
    path("contracts/<int:contract_id>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:contract_id>/terms/", views.terms_change, name="terms_change"),
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/<int:inspection_id>/", views.inspection_detail, name="inspection_detail"),
]
