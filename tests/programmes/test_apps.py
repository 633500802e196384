import pytest
from django.core.management import call_command

from programmes.models import MinimumWageRate

pytestmark = pytest.mark.django_db(transaction=True)


def test_wage_rates_come_back_after_a_flush():
    loaded = MinimumWageRate.objects.count()

    call_command("flush", interactive=False, verbosity=0)

    assert loaded > 0
    assert MinimumWageRate.objects.count() == loaded
