"""The processing inventory and the first privacy notice version, as data."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

BANK = "RNPDP-MINEDU (por registrar)"

ACTIVITIES = [
    (
        "Legajo personal (escalafón)",
        "Identidad, datos familiares, domicilio, estudios, trayectoria laboral, licencias, "
        "sanciones, salud (licencias por enfermedad), régimen pensionario",
        "Gestionar la carrera del servidor: resoluciones, tiempo de servicios, informes "
        "escalafonarios, ascensos, beneficios y pensión",
        "Relación laboral con el Estado; Ley N.° 29944, Ley N.° 30057 y normas del escalafón "
        "magisterial; Ley N.° 29733 (no requiere consentimiento el tratamiento por una "
        "entidad pública en el ámbito de sus competencias)",
        "UGEL, DRE y MINEDU según su función; ONP o AFP para la pensión",
        "Permanente: el legajo sustenta derechos pensionarios",
        True,
    ),
    (
        "Planillas y boletas de pago",
        "Identidad, remuneraciones, descuentos, cuenta bancaria, régimen pensionario",
        "Pagar remuneraciones y pensiones, emitir boletas y declarar a SUNAT (PLAME)",
        "Relación laboral; normas de planillas y tributarias",
        "UGEL (planillas), SUNAT, Banco de la Nación y entidades financieras a las que el "
        "servidor comparte una boleta con un enlace de verificación",
        "Permanente (sustento de remuneraciones y pensiones)",
        False,
    ),
    (
        "Mesa de partes virtual y solicitudes de acceso",
        "Identidad, correo, teléfono, documentos presentados",
        "Recibir y tramitar expedientes; crear cuentas a quienes lo solicitan",
        "TUO de la Ley N.° 27444; consentimiento del solicitante para el acceso",
        "Mesa de partes y el área a la que se deriva el expediente",
        "Expedientes: según el archivo de la entidad. Solicitudes de acceso sin confirmar: "
        "30 días; archivos de solicitudes rechazadas: 180 días",
        False,
    ),
    (
        "Cuentas y seguridad de Ayni",
        "Usuario, correo, teléfono, contraseña (cifrada), ingresos, dirección IP",
        "Identificar a quien ingresa, proteger las cuentas y registrar quién consulta o "
        "cambia cada dato (auditoría)",
        "Deber de seguridad del titular del banco de datos (Ley N.° 29733)",
        "Administradores del sistema del MINEDU",
        "Registro de auditoría: permanente. Enlaces de ingreso usados o vencidos: 30 días",
        False,
    ),
]


def forward(apps, schema_editor):
    Activity = apps.get_model("dataprotection", "ProcessingActivity")
    Version = apps.get_model("dataprotection", "PrivacyNoticeVersion")
    for order, (name, data, purpose, basis, recipients, retention, sensitive) in enumerate(
        ACTIVITIES, start=1
    ):
        Activity.objects.create(
            order=order,
            name=name,
            data_categories=data,
            purpose=purpose,
            legal_basis=basis,
            recipients=recipients,
            retention=retention,
            bank_code=BANK,
            sensitive=sensitive,
        )
    Version.objects.get_or_create(
        version="2025-1",
        defaults={
            "published_at": datetime(2025, 3, 30, tzinfo=ZoneInfo("America/Lima")),
            "changes": "Aviso según el reglamento D.S. N.° 016-2024-JUS.",
        },
    )


def backward(apps, schema_editor):
    apps.get_model("dataprotection", "ProcessingActivity").objects.all().delete()
    apps.get_model("dataprotection", "PrivacyNoticeVersion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("dataprotection", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
