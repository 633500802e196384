from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "Participants and teams"

    def ready(self) -> None:
        from participants.roles import sync_roles

        # After every migrate, and after a test database is flushed.
        post_migrate.connect(sync_roles, sender=self)
