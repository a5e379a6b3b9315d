"""Login protection: lockout after 5 failures, idle and absolute session limits, a new session
id at login, Django's password validators, and two-factor login enforceable per role."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from policylend.core.errors import DomainError
from policylend.users import services
from policylend.users.middleware import SESSION_LOGIN_AT, SESSION_SEEN_AT
from policylend.users.models import RolePolicy

LOGIN = "/accounts/login/"


@pytest.fixture
def teller(org, make_user):
    return make_user("teller", org.office_a, username="teller.a")


def login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.1")


class TestLockout:
    def test_five_failures_lock_the_username_from_that_address(self, client, teller):
        for _ in range(5):
            response = login(client, "teller.a", "wrong-password")
        assert response.status_code in (403, 429)
        # Even the right password is refused while locked.
        response = login(client, "teller.a", PASSWORD)
        assert response.status_code in (403, 429)
        assert "_auth_user_id" not in client.session

    def test_four_failures_then_the_right_password_still_logs_in(self, client, teller):
        for _ in range(4):
            login(client, "teller.a", "wrong-password")
        response = login(client, "teller.a", PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(teller.pk)

    def test_a_wrong_password_names_the_problem_in_vietnamese_by_default(self, client, teller):
        response = login(client, "teller.a", "wrong-password")
        assert response.status_code == 200
        assert 'lang="vi"' in response.content.decode()


class TestSession:
    def test_login_issues_a_new_session_id(self, client, teller):
        client.get(LOGIN)
        client.session.save()
        before = client.session.session_key
        login(client, "teller.a", PASSWORD)
        assert client.session.session_key != before

    def test_idle_for_more_than_30_minutes_logs_out(self, client, teller):
        login(client, "teller.a", PASSWORD)
        session = client.session
        session[SESSION_SEEN_AT] = time.time() - 31 * 60
        session.save()
        response = client.get("/")
        assert response.status_code == 302 and response.url.startswith(LOGIN)
        assert client.get("/").status_code == 302

    def test_active_within_30_minutes_stays_logged_in(self, client, teller):
        login(client, "teller.a", PASSWORD)
        session = client.session
        session[SESSION_SEEN_AT] = time.time() - 29 * 60
        session.save()
        assert client.get("/").status_code == 200

    def test_ten_hours_after_login_the_session_ends_even_when_active(self, client, teller):
        login(client, "teller.a", PASSWORD)
        session = client.session
        session[SESSION_LOGIN_AT] = time.time() - 10 * 3600 - 60
        session[SESSION_SEEN_AT] = time.time() - 60
        session.save()
        response = client.get("/")
        assert response.status_code == 302 and response.url.startswith(LOGIN)


class TestPasswords:
    @pytest.mark.parametrize("password", ["short", "12345678901", "password123", "teller.a2024"])
    def test_weak_passwords_are_refused_with_the_rule(self, org, password):
        with pytest.raises(DomainError) as error:
            services.user_create(
                actor=None,
                username="teller.a",
                full_name="A",
                role="teller",
                scope_unit=org.office_a,
                password=password,
            )
        assert all(p.field == "password" for p in error.value.problems)

    def test_a_strong_password_is_accepted(self, org):
        user = services.user_create(
            actor=None,
            username="teller.b",
            full_name="B",
            role="teller",
            scope_unit=org.office_a,
            password=PASSWORD,
        )
        assert user.check_password(PASSWORD)


class TestTwoFactor:
    def test_not_required_by_default(self, client, teller):
        login(client, "teller.a", PASSWORD)
        assert client.get("/").status_code == 200

    def test_required_for_the_role_sends_to_set_up_then_a_valid_code_opens_the_pages(
        self, client, teller
    ):
        RolePolicy.objects.create(role="teller", two_factor_required=True)
        login(client, "teller.a", PASSWORD)
        response = client.get("/")
        assert response.status_code == 302 and response.url.startswith(reverse("users:two_factor"))
        # The set-up page makes an unconfirmed device and shows its key.
        assert client.get(reverse("users:two_factor")).status_code == 200
        device = TOTPDevice.objects.get(user=teller)
        assert not device.confirmed
        wrong = client.post(reverse("users:two_factor"), {"code": "000000"})
        assert wrong.status_code == 200 and client.get("/").status_code == 302
        # A wrong code throttles the device for a moment (django-otp); skip the wait.
        device.refresh_from_db()
        assert device.throttling_failure_count == 1
        device.throttle_reset()
        code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
        assert client.post(reverse("users:two_factor"), {"code": code}).status_code == 302
        device.refresh_from_db()
        assert device.confirmed
        assert client.get("/").status_code == 200

    def test_other_roles_are_not_affected(self, client, org, make_user):
        RolePolicy.objects.create(role="teller", two_factor_required=True)
        make_user("controller", org.office_a, username="controller.a")
        login(client, "controller.a", PASSWORD)
        assert client.get("/").status_code == 200


def test_a_deactivated_user_cannot_log_in(client, teller):
    teller.is_active = False
    teller.save()
    login(client, "teller.a", PASSWORD)
    assert "_auth_user_id" not in Client().session
    assert client.get("/").status_code == 302
