from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from crispy_forms_gds.layout import Field as GDSField
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model

from cms.accounts.lockout import normalise_email
from skills.services.notifications import notify_account


class SignInForm(auth_forms.AuthenticationForm):
    """E-mail and password. The field keeps Django's name `username` so that django-axes sees it."""

    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false", "autofocus": True}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password. Your password is case-sensitive.",
        "inactive": "This account has been switched off. Ask your administrator to switch it back on.",
    }

    def clean_username(self):
        # One spelling per address, so that what authenticate() and django-axes see is the same.
        return normalise_email(self.cleaned_data["username"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            GDSField.text("username", field_width="two-thirds"),
            GDSField("password"),
            Button("submit", "Sign in"),
        )


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )

    def get_users(self, email):
        """Active accounts with this address, including those that have never had a password: people
        created by the HR feed choose their first password through this same link."""
        return get_user_model().objects.filter(email__iexact=email, is_active=True)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        """Queue the reset link in the outbox instead of sending it inline. The outbox renders it when it sends
        it, with a fresh token, so no token is ever stored."""
        notify_account("password_reset", user=context["user"], to_address=to_email)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(GDSField("email"), Button("submit", "Send reset link"))


class NewPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "Confirm new password"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            GDSField("new_password1"), GDSField("new_password2"), Button("submit", "Save password")
        )


class ChangePasswordForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "Confirm new password"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            GDSField("old_password"),
            GDSField("new_password1"),
            GDSField("new_password2"),
            Button("submit", "Change password"),
        )


class SecondFactorCodeForm(forms.Form):
    """A six-digit code from an authenticator app."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows for Capability, for example 123456",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false", "autofocus": True}
        ),
        error_messages={"required": "Enter the code from your authenticator app"},
    )

    def __init__(self, *args, submit_label: str = "Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(GDSField.text("code", field_width=5), Button("submit", submit_label))

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6-digit code from your authenticator app, like 123456")
        return code


class RecoveryCodeForm(forms.Form):
    """One of the recovery codes shown when the authenticator app was set up."""

    code = forms.CharField(
        label="Recovery code",
        help_text="One of the codes you saved when you set up your authenticator app, for example abcd-efgh",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autofocus": True}),
        error_messages={"required": "Enter one of your recovery codes"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(GDSField.text("code", field_width=10), Button("submit", "Continue"))


class PasskeyNameForm(forms.Form):
    """The name a person knows one of their passkeys by."""

    name = forms.CharField(
        label="Name your passkey",
        help_text="Something that tells you where it is kept, for example Work laptop or Password manager",
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter a name for your passkey",
            "max_length": "The name must be 64 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(GDSField.text("name", field_width=20), Button("submit", "Save and continue"))


class IdentityLinkPasswordForm(forms.Form):
    """The account's own password, confirming that the identity just signed in at the provider is its holder's."""

    password = forms.CharField(
        label="Your Capability password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(GDSField("password"), Button("submit", "Confirm and sign in"))
