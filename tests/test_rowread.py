"""Fixed per-request reads (ayni.core.rowread): the same instances and answers as the ORM,
and the same refusals: an expired session is no session, a deactivated account is signed
out, a revoked role is gone on the next request."""

from __future__ import annotations

from datetime import UTC, timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from ayni.accounts.models import RoleGrant, User
from ayni.accounts.permissions import is_staff_user
from ayni.core.models import Notification
from ayni.core.notifications import notify, unread_count
from ayni.core.rowread import get_by_key
from ayni.identity.twofactor import has_second_factor

pytestmark = pytest.mark.django_db


def test_a_row_read_by_key_is_the_instance_the_orm_gives(persona):
    user = persona("servant")
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    orm = User.objects.get(pk=user.pk)
    fixed = get_by_key(User, user.pk)
    assert fixed is not None
    for field in User._meta.concrete_fields:
        assert getattr(fixed, field.attname) == getattr(orm, field.attname), field.name
        assert type(getattr(fixed, field.attname)) is type(getattr(orm, field.attname))
    assert fixed._state.adding is False and fixed._state.db == "default"
    assert get_by_key(User, 10**9) is None
    assert get_by_key(User, orm.login_id, column="login_id") == orm


def test_an_expired_session_is_no_session(client_for):
    client = client_for("servant")
    assert client.get("/mi-boleta/").status_code == 200
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    assert store.load() == {} and store.session_key is None
    response = client.get("/mi-boleta/")
    assert response.status_code == 302 and response["Location"].startswith("/cuenta/ingresar/")


def test_a_deactivated_account_is_signed_out_on_its_next_request(client_for, persona):
    client = client_for("servant")
    assert client.get("/mi-boleta/").status_code == 200
    User.objects.filter(pk=persona("servant").pk).update(is_active=False)
    response = client.get("/mi-boleta/")
    assert response.status_code == 302 and response["Location"].startswith("/cuenta/ingresar/")


def test_a_revoked_role_is_gone_on_the_next_request(client_for, persona):
    client = client_for("escalafon")
    assert client.get("/servidores/").status_code == 200
    officer = User.objects.get(pk=persona("escalafon").pk)
    assert is_staff_user(officer)
    RoleGrant.objects.filter(user=officer).update(active=False)
    assert not is_staff_user(User.objects.get(pk=officer.pk))
    assert client.get("/servidores/").status_code == 403


def test_second_factor_and_unread_count_answer_as_the_orm_would(persona):
    officer = persona("escalafon")  # an authenticator app in the demo
    servant = persona("cesante")
    assert has_second_factor(officer) is True
    assert has_second_factor(servant) is False
    before = Notification.objects.filter(recipient=servant, read_at__isnull=True).count()
    assert unread_count(servant) == before
    notify(recipient=servant, title="Prueba", link="/")
    assert unread_count(servant) == before + 1
    Notification.objects.filter(recipient=servant).update(read_at=timezone.now())
    assert unread_count(servant) == 0


def test_the_lockout_read_tells_blocked_from_counted_and_a_block_ends_on_time():
    from datetime import datetime

    import time_machine

    from ayni.core import throttle
    from ayni.core.models import Throttle

    limit = throttle.Limit(key="k" * 64, max_count=2, window_seconds=60, block_seconds=300)
    other = throttle.Limit(key="o" * 64, max_count=5, window_seconds=60, block_seconds=300)
    absent = throttle.Limit(key="a" * 64, max_count=5, window_seconds=60, block_seconds=300)
    start = datetime(2030, 3, 4, 10, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        assert throttle.register_hit(other) is False
        assert throttle.register_hit(limit) is False
        assert throttle.register_hit(limit) is True
        assert throttle.blocked_and_counted(limit, other, absent) == (
            {limit.key},
            {limit.key, other.key},
        )
    until = Throttle.objects.get(key=limit.key).blocked_until
    assert until == start + timedelta(seconds=300)
    with time_machine.travel(until - timedelta(microseconds=1), tick=False):
        assert throttle.blocked_and_counted(limit)[0] == {limit.key}
    with time_machine.travel(until, tick=False):  # «blocked until» that instant, not after
        assert throttle.blocked_and_counted(limit, other) == (set(), {limit.key, other.key})
