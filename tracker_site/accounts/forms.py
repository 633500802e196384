"""The sign-in forms after the password: a code from the app or a recovery code, and a
password change with GOV.UK messages."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.models import AbstractBaseUser
from django_otp.models import Device

from tracker_site.accounts import two_factor

THROTTLED = "Too many wrong codes. Wait a minute, then enter the code your app shows."


def _typed_code(value: str) -> str:
    """A code as typed, without the spaces and dashes people copy with it."""
    return "".join(char for char in value if char.isalnum()).lower()


class CodeForm(forms.Form):
    """The second step of signing in: a six-digit code from the authenticator app, or
    one of the recovery codes. Valid only when the code is right (``device`` then says
    which device took it)."""

    code = forms.CharField(
        label="Code",
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        max_length=40,
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autofocus": True}
        ),
    )

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device: Device | None = None

    def clean_code(self) -> str:
        code = _typed_code(self.cleaned_data["code"])
        try:
            self.device = two_factor.verified_device(self.user, code)
        except two_factor.Throttled:
            raise forms.ValidationError(THROTTLED, code="throttled") from None
        if self.device is None:
            raise forms.ValidationError(
                "The code is not right. Enter the code your app shows now, or a recovery code.",
                code="wrong",
            )
        return code


class SetUpForm(forms.Form):
    """Confirming a new authenticator app: the code it shows once the key is added. The
    view confirms the device with it (``two_factor.confirm_authenticator``)."""

    code = forms.CharField(
        label="Code from the app",
        help_text="The 6 digits the app shows for this account.",
        max_length=12,
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = _typed_code(self.cleaned_data["code"])
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6 digits the app shows", code="format")
        return code


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's password change, with messages that say what to do."""

    error_messages = {
        "password_incorrect": "Your current password is not right. Enter it again.",
        "password_mismatch": "The new passwords do not match. Enter the same password twice.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        required = {
            "old_password": "Enter your current password",
            "new_password1": "Enter a new password",
            "new_password2": "Enter the new password again",
        }
        for name, message in required.items():
            self.fields[name].error_messages["required"] = message
        self.fields["old_password"].label = "Current password"
        self.fields["new_password2"].label = "New password again"
