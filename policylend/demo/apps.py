from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "policylend.demo"
    label = "demo"
