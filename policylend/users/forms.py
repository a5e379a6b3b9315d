from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from policylend.associations.models import Association
from policylend.organisation.models import OrganisationUnit

from .roles import Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The username or password is wrong. Both are case-sensitive."),
        "inactive": _("This user is deactivated."),
    }


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("The code has six digits."))
        return code


class UserForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=40)
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    scope_unit = forms.ModelChoiceField(
        label=_("Scope (unit)"), queryset=OrganisationUnit.objects.none()
    )
    scope_association = forms.ModelChoiceField(
        label=_("Association"),
        queryset=Association.objects.all(),
        required=False,
        help_text=_("Only for association officers."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    password = forms.CharField(
        label=_("Initial password"), widget=forms.PasswordInput, required=False
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, units=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_unit"].queryset = (
            units if units is not None else OrganisationUnit.objects.none()
        )
        self.fields["scope_unit"].label_from_instance = lambda u: (
            f"{'— ' * u.depth}{u.code} {u.name} ({u.get_kind_display()})"
        )
        if editing:
            self.fields["username"].disabled = True
            del self.fields["password"]
        else:
            self.fields["password"].required = True
            del self.fields["is_active"]


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)
    password_again = forms.CharField(label=_("New password again"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=60)


class RolePolicyForm(forms.Form):
    def __init__(self, *args, policies=None, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Role.choices:
            self.fields[value] = forms.BooleanField(
                label=label, required=False, initial=(policies or {}).get(value, False)
            )
