"""The account pages: the code after the password, setting up two-factor
sign-in, recovery codes and changing the password."""

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from common.front_end import front_end_role_not_required
from common.redirects import safe_next
from tracker_site.accounts import two_factor
from tracker_site.accounts.forms import CodeForm, PasswordChangeForm, SetUpForm
from tracker_site.accounts.middleware import verification_not_required


def _next(request: HttpRequest) -> str:
    return safe_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)


@front_end_role_not_required
@verification_not_required
@require_http_methods(["GET", "POST"])
def two_factor_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next(request))
    if not two_factor.has_authenticator(user):
        return redirect(f"{resolve_url('accounts:two_factor_setup')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST if request.method == "POST" else None, user=user)
    if form.is_valid():
        django_otp.login(request, form.device)
        request.session.cycle_key()
        if isinstance(form.device, StaticDevice):
            left = two_factor.recovery_codes_left(user)
            messages.warning(
                request,
                f"You signed in with a recovery code. You have {left} left: "
                "make new ones from your account page when few are left.",
            )
        return redirect(_next(request))
    return render(request, "accounts/two_factor_code.html", {"form": form, "next": _next(request)})


@front_end_role_not_required
@verification_not_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the key, type a code it makes, and see the
    recovery codes once. Replacing an app needs a session that gave a code already."""
    user = request.user
    if two_factor.has_authenticator(user) and not user.is_verified():
        return redirect(f"{resolve_url('accounts:two_factor')}?{request.GET.urlencode()}")
    device = two_factor.pending_authenticator(user)
    form = SetUpForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            codes = two_factor.confirm_authenticator(device, code=form.cleaned_data["code"])
        except two_factor.Throttled:
            form.add_error("code", "Too many wrong codes. Wait a minute, then try again.")
        else:
            if codes is None:
                form.add_error(
                    "code",
                    "The code is not right. Check the app shows this account, then enter "
                    "the code it shows now.",
                )
            else:
                django_otp.login(request, device)
                request.session.cycle_key()
                return render(
                    request,
                    "accounts/recovery_codes.html",
                    {"codes": codes, "next": _next(request), "set_up": True},
                )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_code": two_factor.qr_code_svg(device),
            "typed_key": two_factor.typed_key(device),
            "next": _next(request),
        },
    )


@front_end_role_not_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes in place of the old ones, shown once."""
    if not two_factor.has_authenticator(request.user):
        return redirect("accounts:two_factor_setup")
    codes = two_factor.new_recovery_codes(request.user)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": resolve_url("accounts:account"), "set_up": False},
    )


@front_end_role_not_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "has_authenticator": two_factor.has_authenticator(user),
            "required": settings.TWO_FACTOR_REQUIRED,
            "recovery_codes_left": two_factor.recovery_codes_left(user),
        },
    )


@method_decorator(front_end_role_not_required, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")
    extra_context = {"account_url": success_url}

    def form_valid(self, form):
        response = super().form_valid(form)  # Keeps this session; ends the others.
        messages.success(self.request, "Your password has been changed.")
        return response
