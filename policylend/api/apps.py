from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "policylend.api"
    label = "api"
