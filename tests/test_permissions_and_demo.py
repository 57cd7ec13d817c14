import secrets
import subprocess
import sys

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from ayni.accounts.models import Role, RoleGrant, User
from ayni.accounts.permissions import (
    AUDIT_VIEW,
    PERSONNEL_EDIT,
    PERSONNEL_VIEW,
    forget_grants,
    has_perm,
    perm_paths,
    require_perm,
)
from ayni.accounts.validators import dni_check_character, normalise_document, ruc_is_valid
from ayni.org.models import OrgUnit
from ayni.personnel.demo import generate_servants, seed_demo
from ayni.personnel.models import Servant
from ayni.personnel.selectors import servants_in_scope

pytestmark = pytest.mark.django_db


def test_a_role_reaches_the_subtree_of_its_unit(persona):
    supervisor = persona("dre_supervisor")
    assert has_perm(supervisor, PERSONNEL_VIEW, OrgUnit.objects.get(code="150108"))
    assert not has_perm(supervisor, PERSONNEL_VIEW, OrgUnit.objects.get(code="150201"))
    assert not has_perm(supervisor, PERSONNEL_EDIT)
    assert perm_paths(persona("admin"), AUDIT_VIEW) == ["/000000/"]
    assert perm_paths(persona("servant"), PERSONNEL_VIEW) == []


def test_inactive_grant_and_inactive_user_hold_nothing(persona):
    officer = persona("escalafon")
    RoleGrant.objects.filter(user=officer).update(active=False)
    forget_grants(officer)
    assert not has_perm(officer, PERSONNEL_VIEW)
    admin = persona("admin")
    admin.is_active = False
    assert not has_perm(admin, PERSONNEL_VIEW)


def test_unknown_permission_is_a_programming_error(persona):
    with pytest.raises(ValueError, match="Unknown permission"):
        has_perm(persona("admin"), "personnel.delete")
    with pytest.raises(ValueError):
        require_perm("nope")


def test_require_perm_refuses_with_403(persona):
    @require_perm(PERSONNEL_VIEW)
    def view(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = persona("planillas")
    with pytest.raises(PermissionDenied):
        view(request)
    request.user = persona("escalafon")
    assert view(request).content == b"ok"


def test_scope_grows_with_a_second_grant(persona):
    officer = persona("other_ugel_officer")
    assert not servants_in_scope(officer).filter(doc_number="10000001").exists()
    RoleGrant.objects.create(
        user=officer, role=Role.ESCALAFON, unit=OrgUnit.objects.get(code="150108")
    )
    forget_grants(officer)
    assert servants_in_scope(officer).filter(doc_number="10000001").exists()


def test_document_validation_and_check_digits():
    assert normalise_document("01", " 1000-0001 ") == "10000001"
    with pytest.raises(Exception, match="8 dígitos"):
        normalise_document("01", "1000000A")
    assert normalise_document("04", "ab12345") == "AB12345"
    assert dni_check_character("10000001") == ("1", "F")
    assert ruc_is_valid("20131370998")  # MINEDU's RUC
    assert not ruc_is_valid("20131370997")
    assert not ruc_is_valid("30131370998")


def test_demo_seed_is_idempotent(demo_data):
    users, servants = User.objects.count(), Servant.objects.count()
    assert seed_demo() == {"users": 0, "servants": 0}
    assert (User.objects.count(), Servant.objects.count()) == (users, servants)


def test_demo_accounts_match_design(persona, servant_of):
    teacher = servant_of("servant")
    assert (teacher.kind, teacher.condition, teacher.status) == ("docente", "nombrado", "activo")
    assert teacher.labor_regime.code == "L29944"
    assert teacher.escala.code == "III"
    assert teacher.weekly_hours == 30
    assert teacher.school.parent.code == "150108"
    assert servant_of("cesante").status == "cesante"
    assert servant_of("cusco_servant").condition == "contratado"
    assert servant_of("cusco_servant").employing_unit.code == "080001"
    assert servant_of("canete_servant").employing_unit.parent.code == "150200"
    assert RoleGrant.objects.get(user=persona("admin")).unit.code == "000000"


def test_generator_creates_plausible_servants_and_continues_numbering(demo_data):
    first = generate_servants(300, with_accounts=True)
    second = generate_servants(200)
    assert (first.servants, first.accounts, second.servants) == (300, 300, 200)
    synthetic = Servant.objects.filter(doc_number__startswith="4")
    assert synthetic.count() == 500
    assert synthetic.values("doc_number").distinct().count() == 500
    assert synthetic.filter(user__isnull=False).count() == 300
    assert synthetic.values("employing_unit").distinct().count() > 100
    sample = synthetic.select_related("school").first()
    assert sample.paternal_surname.isupper()
    assert sample.school is None or sample.school.parent_id == sample.employing_unit_id


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "ayni.minedu.gob.pe",
        "SITE_URL": "https://ayni.minedu.gob.pe",
        "AYNI_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "ayni.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_refuse_to_start_without_secret_key(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "ayni.settings",
        "AYNI_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_settings_refuse_to_start_without_the_public_address(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SETTINGS_MODULE": "ayni.settings",
        "AYNI_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SITE_URL is required" in result.stderr
