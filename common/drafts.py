"""A form's typed values, kept in the session while the user goes to another page for
something the form needs, and given back when they return. Without JavaScript, "+ Add a
new organisation" leaves the tracker form for the organisation's own page; with a draft,
nothing typed is lost on the way (chosen files are: browsers never keep those).
"""

from django.http import HttpRequest, QueryDict

SESSION_KEY = "form_drafts"
# A session keeps only the latest few, so that abandoned drafts do not pile up.
DRAFTS_KEPT = 5
NOT_KEPT = {"csrfmiddlewaretoken"}


def keep_draft(request: HttpRequest, name: str) -> None:
    """Keep what was posted, under ``name`` (the page's path)."""
    drafts = {
        key: kept for key, kept in request.session.get(SESSION_KEY, {}).items() if key != name
    }
    drafts[name] = {key: values for key, values in request.POST.lists() if key not in NOT_KEPT}
    request.session[SESSION_KEY] = dict(list(drafts.items())[-DRAFTS_KEPT:])


def take_draft(request: HttpRequest, name: str, **replacing: str) -> QueryDict | None:
    """What was kept under ``name``, once, as posted data, with ``replacing`` values set
    (the organisation just added); None when nothing was kept."""
    drafts = dict(request.session.get(SESSION_KEY, {}))
    kept = drafts.pop(name, None)
    if kept is None:
        return None
    request.session[SESSION_KEY] = drafts
    data = QueryDict(mutable=True)
    for key, values in kept.items():
        data.setlist(key, values)
    for key, value in replacing.items():
        data[key] = value
    return data
