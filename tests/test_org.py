import pytest

from ayni.org.loaders import load_catalogues, load_org_tree
from ayni.org.models import DocumentType, LaborRegime, OrgUnit, PayrollConcept
from ayni.org.selectors import subtree, top_paths

pytestmark = pytest.mark.django_db


def test_tree_has_minedu_26_dre_and_224_ugel(demo_data):
    assert OrgUnit.objects.filter(kind="MINEDU").count() == 1
    assert OrgUnit.objects.filter(kind="DRE").count() == 26
    assert OrgUnit.objects.filter(kind="UGEL").count() == 224


def test_loader_is_idempotent(demo_data):
    before = OrgUnit.objects.count()
    result = load_org_tree()
    assert result.created == 0
    assert OrgUnit.objects.count() == before


def test_ugel_parent_comes_from_cod_dre_not_from_prefix(demo_data):
    canete = OrgUnit.objects.get(code="150201")
    san_borja = OrgUnit.objects.get(code="150108")
    ventanilla = OrgUnit.objects.get(code="070102")
    assert canete.parent.code == "150200"
    assert canete.path == "/000000/150200/150201/"
    assert san_borja.parent.code == "150101"
    assert ventanilla.parent.code == "070101"


def test_lima_metropolitana_subtree_excludes_lima_provincias(demo_data):
    lima_metro = OrgUnit.objects.get(code="150101")
    codes = set(subtree(lima_metro).values_list("code", flat=True))
    assert "150108" in codes
    assert "150201" not in codes
    assert "150200" not in codes


def test_top_paths_drops_nested_paths():
    assert top_paths(["/0/1/2/", "/0/1/", "/0/3/"]) == ["/0/1/", "/0/3/"]


def test_catalogues_load_as_data(demo_data):
    assert load_catalogues().created == 0
    onp = PayrollConcept.objects.get(code="0607")
    assert onp.allowed_in_rem is False
    assert PayrollConcept.objects.get(code="0100").kind == "GRUPO"
    assert LaborRegime.objects.filter(code="L29944").exists()
    login_types = set(
        DocumentType.objects.filter(usable_for_login=True).values_list("code", flat=True)
    )
    assert login_types == {"01", "04", "07"}
