"""Who gets what from every URL: the permission matrix, as data.

One row per URL name: the answer each role gets to GET and to POST (an empty body), then
the URL's arguments, each naming an object of the world (tests/tracker_site/world.py).
Adding a URL is adding its row. A cell is GET/POST, each one of:

    200, 302, 400, 403, 404, 405   that status (302: a redirect that is not to sign in)
    login                          302 to the sign-in page
    admin                          403 with the page that sends data-fix staff to the admin

The roles: an Administrator of the North team, which holds the world's objects; an
Administrator of the South team; a North Compliance officer; a Supervisor (every team);
a data-fix member of staff (admin only); a North Administrator deactivated after signing
in (their session no longer signs them in).

The admin's hundreds of URLs are one group, ``admin:*``, answered by the admin itself:
ADMIN_PAGES proves each role's answer on its index and a list and change page per app.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ("anonymous", "admin", "other_admin", "compliance", "supervisor", "data_fix", "deactivated")
METHODS = ("GET", "POST")

# fmt: off
TABLE = """
URL name                            anonymous    admin    other_admin  compliance  supervisor  data_fix     deactivated  arguments
home                                login/login  302/405  302/405      302/405     302/405     admin/admin  login/login
health                              200/405      200/405  200/405      200/405     200/405     200/405      200/405
login                               200/200      200/200  200/200      200/200     200/200     200/200      200/200
logout                              login/login  405/302  405/302      405/302     405/302     405/302      login/login
accounts:account                    login/login  200/405  200/405      200/405     200/405     200/405      login/login
accounts:two_factor                 login/login  302/302  302/302      302/302     302/302     302/302      login/login
accounts:two_factor_setup           login/login  200/200  200/200      200/200     200/200     200/200      login/login
accounts:recovery_codes             login/login  405/302  405/302      405/302     405/302     405/302      login/login
accounts:password_change            login/login  200/200  200/200      200/200     200/200     200/200      login/login
participants:access_log             login/login  403/403  403/403      403/403     200/405     admin/admin  login/login
subject_access_export               login/login  403/403  403/403      403/403     200/405     admin/admin  login/login  pk=participant
participants:list                   login/login  200/302  200/302      200/302     200/302     admin/admin  login/login
participants:create                 login/login  200/200  200/200      403/403     200/200     admin/admin  login/login
participants:detail                 login/login  200/405  404/405      200/405     200/405     admin/admin  login/login  pk=participant
participants:import                 login/login  403/403  403/403      403/403     200/200     admin/admin  login/login
participants:import_preview         login/login  403/403  403/403      403/403     200/302     admin/admin  login/login  pk=participant_import
trackers:list                       login/login  200/405  404/405      200/405     200/405     admin/admin  login/login  participant_pk=participant
trackers:detail                     login/login  200/405  404/405      200/405     200/405     admin/admin  login/login  participant_pk=participant pk=tracker
trackers:submit                     login/login  405/302  405/404      405/302     405/302     admin/admin  login/login  participant_pk=participant pk=tracker
trackers:document_upload            login/login  200/200  404/404      403/403     200/200     admin/admin  login/login  participant_pk=participant pk=tracker
trackers:document_download          login/login  200/405  404/405      200/405     200/405     admin/admin  login/login  participant_pk=participant pk=tracker document_pk=document
trackers:document_delete            login/login  403/403  403/403      403/403     200/302     admin/admin  login/login  participant_pk=participant pk=tracker document_pk=document
milestones:list                     login/login  200/405  200/405      200/405     200/405     admin/admin  login/login
milestones:export                   login/login  403/403  403/403      403/403     405/302     admin/admin  login/login
milestones:forecast                 login/login  200/405  200/405      200/405     200/405     admin/admin  login/login
milestones:claim                    login/login  403/403  403/403      403/403     200/200     admin/admin  login/login  pk=milestone
milestones:claim_submit             login/login  403/403  403/403      403/403     405/200     admin/admin  login/login  pk=milestone
milestones:claim_outcome            login/login  403/403  403/403      403/403     405/200     admin/admin  login/login  pk=milestone attempt_pk=claim_attempt
milestones:programme_list           login/login  403/403  403/403      403/403     200/405     admin/admin  login/login
milestones:programme_create         login/login  403/403  403/403      403/403     200/200     admin/admin  login/login
milestones:programme_edit           login/login  403/403  403/403      403/403     200/200     admin/admin  login/login  pk=programme
milestones:participant_edit         login/login  200/200  404/404      403/403     200/200     admin/admin  login/login  pk=participant
milestones:tracker_create           login/login  200/200  404/404      403/403     200/200     admin/admin  login/login  participant_pk=participant
milestones:tracker_edit             login/login  200/200  404/404      200/200     200/200     admin/admin  login/login  participant_pk=participant pk=tracker
milestones:tracker_end              login/login  200/200  404/404      200/200     200/200     admin/admin  login/login  participant_pk=participant pk=tracker
organisations:list                  login/login  200/405  200/405      200/405     200/405     admin/admin  login/login
organisations:create                login/login  200/200  200/200      403/403     200/200     admin/admin  login/login
organisations:find_address          login/login  200/405  200/405      200/405     200/405     admin/admin  login/login
organisations:choices               login/login  200/405  200/405      200/405     200/405     admin/admin  login/login
organisations:detail                login/login  200/405  200/405      200/405     200/405     admin/admin  login/login  pk=organisation
organisations:edit                  login/login  200/200  200/200      403/403     200/200     admin/admin  login/login  pk=organisation
organisations:confirm               login/login  405/302  405/302      403/403     405/302     admin/admin  login/login  pk=organisation
organisations:address_create        login/login  200/200  200/200      403/403     200/200     admin/admin  login/login  pk=organisation
organisations:address_edit          login/login  200/200  200/200      403/403     200/200     admin/admin  login/login  pk=organisation address_pk=address
organisations:address_make_primary  login/login  405/302  405/302      403/403     405/302     admin/admin  login/login  pk=organisation address_pk=address
organisations:contact_create        login/login  200/200  200/200      403/403     200/200     admin/admin  login/login  pk=organisation
organisations:contact_edit          login/login  200/200  200/200      403/403     200/200     admin/admin  login/login  pk=organisation contact_pk=contact
jobs:list                           login/login  200/405  200/405      200/405     200/405     admin/admin  login/login
jobs:detail                         login/login  200/405  404/405      404/405     404/405     admin/admin  login/login  pk=job
jobs:download                       login/login  200/405  404/405      404/405     404/405     admin/admin  login/login  pk=job
reviews:queue                       login/login  403/403  403/403      200/405     403/403     admin/admin  login/login
reviews:detail                      login/login  403/403  403/403      200/405     403/403     admin/admin  login/login  pk=tracker
reviews:decide                      login/login  403/403  403/403      405/400     403/403     admin/admin  login/login  pk=tracker
reviews:take                        login/login  403/403  403/403      405/302     403/403     admin/admin  login/login  pk=tracker
reviews:release                     login/login  403/403  403/403      405/302     403/403     admin/admin  login/login  pk=tracker
reviews:caseload                    login/login  403/403  403/403      403/403     200/200     admin/admin  login/login
reviews:ready_to_claim              login/login  403/403  403/403      403/403     200/405     admin/admin  login/login
reviews:claim_export                login/login  403/403  403/403      403/403     405/302     admin/admin  login/login
reviews:claim_export_download       login/login  403/403  403/403      403/403     200/405     admin/admin  login/login  pk=claim_export
reviews:mark_claimed                login/login  403/403  403/403      403/403     405/200     admin/admin  login/login
reviews:samples                     login/login  403/403  403/403      403/403     200/200     admin/admin  login/login
reviews:sample_detail               login/login  403/403  403/403      403/403     200/405     admin/admin  login/login  pk=sample
reviews:sample_item                 login/login  403/403  403/403      403/403     405/200     admin/admin  login/login  pk=sample item_pk=sample_item
reconciliation:imports              login/login  403/403  403/403      403/403     200/405     admin/admin  login/login
reconciliation:upload               login/login  403/403  403/403      403/403     200/200     admin/admin  login/login
reconciliation:import_detail        login/login  403/403  403/403      403/403     200/200     admin/admin  login/login  pk=notification_import
reconciliation:queue                login/login  403/403  403/403      403/403     200/405     admin/admin  login/login
reconciliation:queue_export         login/login  403/403  403/403      403/403     200/405     admin/admin  login/login
reconciliation:resolve              login/login  403/403  403/403      403/403     200/200     admin/admin  login/login  pk=imported_row
reconciliation:worklist             login/login  403/403  403/403      200/405     200/405     admin/admin  login/login
reconciliation:worklist_export      login/login  403/403  403/403      200/405     200/405     admin/admin  login/login
reconciliation:payments             login/login  403/403  403/403      403/403     200/200     admin/admin  login/login  pk=milestone
reconciliation:resolve_conflict     login/login  403/403  403/403      403/403     200/200     admin/admin  login/login  pk=conflict_row
"""

# Every URL of the admin site is answered by the admin itself (staff status, then each
# model's permissions); these pages prove it for each role. GET only: the admin's POSTs
# are the same views.
ADMIN_GROUP = "admin:"
ADMIN_TABLE = """
URL name                                          anonymous    admin        other_admin  compliance   supervisor   data_fix  deactivated  arguments
admin:index                                       admin-login  admin-login  admin-login  admin-login  admin-login  200       admin-login
admin:participants_participant_changelist         login        admin-login  admin-login  admin-login  admin-login  200       login
admin:participants_participant_change             login        admin-login  admin-login  admin-login  admin-login  200       login        object_id=participant
admin:participants_participantimport_changelist   login        admin-login  admin-login  admin-login  admin-login  403       login
admin:trackers_tracker_changelist                 login        admin-login  admin-login  admin-login  admin-login  200       login
admin:trackers_tracker_change                     login        admin-login  admin-login  admin-login  admin-login  200       login        object_id=tracker
admin:trackers_evidencedocument_change            login        admin-login  admin-login  admin-login  admin-login  200       login        object_id=document
admin:organisations_organisation_changelist       login        admin-login  admin-login  admin-login  admin-login  200       login
admin:organisations_organisation_change           login        admin-login  admin-login  admin-login  admin-login  200       login        object_id=organisation
admin:programmes_programme_changelist             login        admin-login  admin-login  admin-login  admin-login  200       login
admin:programmes_programme_change                 login        admin-login  admin-login  admin-login  admin-login  200       login        object_id=programme
admin:milestones_participantmilestone_changelist  login        admin-login  admin-login  admin-login  admin-login  200       login
admin:milestones_participantmilestone_change      login        admin-login  admin-login  admin-login  admin-login  200       login        object_id=milestone
admin:reviews_decision_changelist                 login        admin-login  admin-login  admin-login  admin-login  200       login
admin:reviews_reviewreason_changelist             login        admin-login  admin-login  admin-login  admin-login  200       login
admin:reviews_reviewreason_change                 login        admin-login  admin-login  admin-login  admin-login  200       login        object_id=review_reason
admin:auth_user_changelist                        login        admin-login  admin-login  admin-login  admin-login  403       login
"""
# fmt: on


@dataclass(frozen=True)
class Row:
    url_name: str
    answers: dict[tuple[str, str], str]  # (role, method) -> cell
    arguments: dict[str, str]  # URL keyword -> name of a world object

    def url(self, world) -> str:
        return reverse(
            self.url_name, kwargs={key: world[name].pk for key, name in self.arguments.items()}
        )


def parse(table: str, methods: tuple[str, ...]) -> dict[str, Row]:
    """The rows of a table, by URL name; a cell holds one answer per method."""
    header, *lines = table.strip().splitlines()
    assert header.split()[2 : 2 + len(ROLES)] == list(ROLES), "the columns are the roles"
    rows = {}
    for line in lines:
        name, *cells = line.split()
        answers, arguments = cells[: len(ROLES)], cells[len(ROLES) :]
        assert name not in rows, f"{name} has two rows"
        rows[name] = Row(
            url_name=name,
            answers={
                (role, method): answer
                for role, cell in zip(ROLES, answers, strict=True)
                for method, answer in zip(methods, cell.split("/"), strict=True)
            },
            arguments=dict(argument.split("=") for argument in arguments),
        )
    return rows


MATRIX = parse(TABLE, METHODS)
ADMIN_PAGES = parse(ADMIN_TABLE, ("GET",))

CASES = [
    (row.url_name, role, method) for row in MATRIX.values() for role in ROLES for method in METHODS
]
ADMIN_CASES = [(row.url_name, role) for row in ADMIN_PAGES.values() for role in ROLES]


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> list[str]:
    """Every named URL of the site, with its namespaces (``participants:detail``)."""
    names = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}{pattern.name}")
    return names
