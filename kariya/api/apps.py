from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kariya.api"
    label = "kariya_api"
    verbose_name = "API"
