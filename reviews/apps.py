from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Compliance review"

    def ready(self) -> None:
        from reviews.defaults import load_defaults

        # After every migrate, and after a test database is flushed.
        post_migrate.connect(load_defaults, sender=self)
