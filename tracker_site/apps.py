from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class TrackerSiteConfig(AppConfig):
    name = "tracker_site"
    verbose_name = "Job outcome tracker"

    def ready(self) -> None:
        from tracker_site.accounts.two_factor import note_authenticator_at_sign_in

        user_logged_in.connect(note_authenticator_at_sign_in, dispatch_uid="note_authenticator")
