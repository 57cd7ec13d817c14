"""The escalafón officer works her queue and opens a file; the servant sees the read."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

OFFICER = "María Isabel Flores Gutiérrez"


def test_officer_opens_a_file_and_the_teacher_sees_who_read_it(page: Page, new_context, login, url):
    login(page, "escalafon")
    expect(page).to_have_url(url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hola, {OFFICER}")

    queue = page.locator("section", has=page.get_by_role("heading", name="Bandeja de trabajo"))
    expect(queue).to_be_visible()
    expect(
        queue.get_by_role("link", name="Completar la ficha del servidor SÁNCHEZ GARCÍA, YOLANDA")
    ).to_be_visible()

    page.get_by_role("link", name="Servidores").click()
    expect(page).to_have_url(url("/servidores/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Servidores")
    page.locator("#q").fill("QUISPE")
    page.get_by_role("button", name="Buscar").click()
    expect(page.locator("#q")).to_have_value("QUISPE")
    results = page.locator("main table tbody")
    expect(page.locator("main")).to_contain_text("1 servidor")
    expect(results).not_to_contain_text("MAMANI")
    results.get_by_role("link", name="QUISPE HUAMÁN, ROSA ELENA").click()

    # Unguessable identifier in the URL, never the DNI.
    expect(page).to_have_url(re.compile(r"/servidores/[0-9a-f-]{36}/$"))
    main = page.locator("main")
    expect(main).to_contain_text("QUISPE HUAMÁN, ROSA ELENA")
    expect(main).to_contain_text("DNI 10000001")
    expect(main).to_contain_text("(0312603)")
    expect(main).to_contain_text("Esta consulta queda registrada y el servidor puede verla.")

    # The latest changes on the file, the whole history one tap away (also a read).
    latest = main.locator("section", has=page.get_by_role("heading", name="Últimos cambios"))
    expect(latest.locator("tbody tr")).to_have_count(10)
    latest.get_by_role("link", name="Ver todo el historial de cambios").click()
    expect(page).to_have_url(re.compile(r"/servidores/[0-9a-f-]{36}/historial/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Historial de cambios del legajo")
    expect(main).to_contain_text("del más reciente al más antiguo")
    expect(main.locator("tbody tr").last).to_contain_text("Carga inicial del legajo")
    assert main.locator("tbody tr").count() > 10
    page.get_by_role("link", name="QUISPE HUAMÁN, ROSA ELENA").click()
    expect(page).to_have_url(re.compile(r"/servidores/[0-9a-f-]{36}/$"))

    # The teacher, on her own phone, finds that read at the top of her list, dated today.
    teacher = new_context().new_page()
    login(teacher, "servant")
    expect(teacher).to_have_url(url("/"))
    teacher.get_by_role("link", name="¿Quién vio mi legajo?").click()
    expect(teacher).to_have_url(url("/mi-legajo/quien-vio/"))
    newest = teacher.locator("main table tbody tr").first
    today = timezone.localdate().strftime("%d/%m/%Y")
    expect(newest.locator("td").nth(0)).to_contain_text(today)
    expect(newest.locator("td").nth(1)).to_contain_text(OFFICER)
    expect(newest.locator("td").nth(2)).not_to_be_empty()  # what was read
    expect(teacher.locator("main")).to_contain_text("Historial del legajo")
