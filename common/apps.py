from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Shared ground"

    def ready(self) -> None:
        from common.middleware import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="start_session_clock")
