from django.http import HttpRequest


def two_factor_pending(request: HttpRequest) -> dict:
    """Whether the user has given their password but not yet their code (worked out by
    TwoFactorMiddleware): the page then shows no menu, whose links would only lead back
    to the code."""
    return {"two_factor_pending": getattr(request, "two_factor_pending", False)}
