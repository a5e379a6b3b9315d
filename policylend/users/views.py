from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from policylend.core.forms import NOT_DONE, submit
from policylend.core.pagination import paginate

from . import access, selectors, services
from .forms import LoginForm, OneTimeCodeForm, PasswordForm, RolePolicyForm, TokenForm, UserForm
from .roles import Capability


class LoginView(auth_views.LoginView):
    template_name = "users/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        language = self.request.user.language
        if language:
            from django.conf import settings

            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response


class LogoutView(auth_views.LogoutView):
    pass


def _safe_next(request, default="core:home"):
    target = request.GET.get("next") or request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


@login_required
def two_factor(request):
    """Verify this session with a one-time code; set up the authenticator first if needed."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device = TOTPDevice.objects.filter(
            user=request.user, confirmed=False
        ).first() or TOTPDevice.objects.create(
            user=request.user, name="authenticator", confirmed=False
        )
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-factor login is verified for this session."))
            return redirect(_safe_next(request))
        form.add_error(
            "code", _("The code is wrong or has expired; enter the code your app shows now.")
        )
    context = {"form": form, "setting_up": setting_up, "next": request.GET.get("next", "")}
    if setting_up:
        import segno

        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "users/two_factor.html", context)


@login_required
def profile(request):
    password_form = PasswordForm(prefix="pw")
    token_form = TokenForm(prefix="tk")
    new_token = None
    if request.method == "POST" and "pw-password" in request.POST:
        password_form = PasswordForm(request.POST, prefix="pw")
        changed = submit(
            request,
            password_form,
            lambda data: services.user_set_password(
                actor=request.user, user=request.user, password=data["password"]
            ),
        )
        if changed is not NOT_DONE:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password was changed."))
            return redirect("users:profile")
    elif request.method == "POST" and "tk-name" in request.POST:
        token_form = TokenForm(request.POST, prefix="tk")
        created = submit(
            request,
            token_form,
            lambda data: services.api_token_create(user=request.user, name=data["name"]),
        )
        if created is not NOT_DONE:
            _record, new_token = created
    return render(
        request,
        "users/profile.html",
        {
            "password_form": password_form,
            "token_form": token_form,
            "new_token": new_token,
            "tokens": request.user.api_tokens.filter(revoked_at__isnull=True),
            "two_factor_on": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
            "two_factor_required": selectors.two_factor_required_for(request.user),
        },
    )


@login_required
@require_POST
def token_revoke(request, token_id: int):
    services.api_token_revoke(user=request.user, token_id=token_id)
    messages.success(request, _("The token was revoked."))
    return redirect("users:profile")


@login_required
def user_list(request):
    users = selectors.user_list(
        request.user,
        role=request.GET.get("role") or None,
        search=request.GET.get("q", "").strip()[:60],
    )
    from .roles import Role

    return render(
        request, "users/user_list.html", {"page": paginate(request, users), "roles": Role.choices}
    )


@login_required
def user_create(request):
    access.require(request.user, Capability.MANAGE_USERS)
    units = access.units_visible_to(request.user).filter(status="active")
    form = UserForm(request.POST or None, units=units)
    user = submit(
        request,
        form,
        lambda data: services.user_create(
            actor=request.user,
            username=data["username"],
            full_name=data["full_name"],
            role=data["role"],
            scope_unit=data["scope_unit"],
            password=data["password"],
            scope_association_id=data["scope_association"].pk
            if data["scope_association"]
            else None,
            email=data["email"],
            phone=data["phone"],
        ),
    )
    if user is not NOT_DONE:
        messages.success(request, _("User %(u)s was created.") % {"u": user.username})
        return redirect("users:detail", user_id=user.pk)
    return render(request, "users/user_form.html", {"form": form, "creating": True})


@login_required
def user_detail(request, user_id: int):
    subject = selectors.user_get(request.user, user_id)
    history = LogEntry.objects.get_for_object(subject).select_related("actor")[:50]
    return render(request, "users/user_detail.html", {"subject": subject, "history": history})


@login_required
def user_edit(request, user_id: int):
    subject = selectors.user_get(request.user, user_id)
    units = access.units_visible_to(request.user).filter(status="active")
    initial = {
        "username": subject.username,
        "full_name": subject.full_name,
        "role": subject.role,
        "scope_unit": subject.scope_unit,
        "scope_association": subject.scope_association,
        "email": subject.email,
        "phone": subject.phone,
        "is_active": subject.is_active,
    }
    form = UserForm(request.POST or None, initial=initial, units=units, editing=True)
    saved = submit(
        request,
        form,
        lambda data: services.user_update(
            actor=request.user,
            user=subject,
            full_name=data["full_name"],
            role=data["role"],
            scope_unit=data["scope_unit"],
            scope_association_id=data["scope_association"].pk
            if data["scope_association"]
            else None,
            is_active=data["is_active"],
            email=data["email"],
            phone=data["phone"],
        ),
    )
    if saved is not NOT_DONE:
        messages.success(request, _("The changes were saved."))
        return redirect("users:detail", user_id=subject.pk)
    return render(request, "users/user_form.html", {"form": form, "subject": subject})


@login_required
def user_password(request, user_id: int):
    subject = selectors.user_get(request.user, user_id)
    form = PasswordForm(request.POST or None)
    changed = submit(
        request,
        form,
        lambda data: services.user_set_password(
            actor=request.user, user=subject, password=data["password"]
        ),
    )
    if changed is not NOT_DONE:
        messages.success(request, _("The password was changed."))
        return redirect("users:detail", user_id=subject.pk)
    return render(request, "users/user_password.html", {"form": form, "subject": subject})


@login_required
def role_policies(request):
    access.require(request.user, Capability.MANAGE_USERS)
    form = RolePolicyForm(request.POST or None, policies=selectors.role_policies())
    if request.method == "POST" and form.is_valid():
        for role, required in form.cleaned_data.items():
            services.role_policy_set(actor=request.user, role=role, two_factor_required=required)
        messages.success(request, _("The two-factor rules were saved."))
        return redirect("users:role_policies")
    return render(request, "users/role_policies.html", {"form": form})


@login_required
def audit_log(request):
    """Every recorded change to a register in the viewer's scope: who, when, before and after."""
    entries = selectors.audit_entries(
        request.user,
        model=request.GET.get("model") or None,
        actor=request.GET.get("actor", "").strip()[:40],
    )
    return render(
        request,
        "users/audit_log.html",
        {"page": paginate(request, entries), "models": selectors.AUDITED_MODELS},
    )
