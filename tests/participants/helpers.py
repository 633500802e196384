"""Helpers of the participant tests."""


def participant_data(programme, team, **overrides) -> dict:
    return {
        "reference": "rs-1001",
        "first_name": "Mary-Jane",
        "last_name": "O'Connor",
        "date_of_birth": "1988-02-29",
        "nino": "ab 12 34 56 c",
        "postcode": "ls14ap",
        "email": "mj@example.org",
        "phone": "07912 345678",
        "programme": programme.pk,
        "programme_start_date": "2025-03-03",
        "team": team.pk,
        "adviser": "",
        "loaded_version": "1",  # the hidden field: the version the form was loaded at
    } | overrides
