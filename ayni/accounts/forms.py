from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ayni.accounts.models import User, login_id_for
from ayni.accounts.tasks import send_password_reset_email
from ayni.accounts.validators import normalise_document


class DocumentFieldsMixin(forms.Form):
    doc_type = forms.ChoiceField(
        label=_("Tipo de documento"), choices=User.DocType.choices, initial=User.DocType.DNI
    )
    doc_number = forms.CharField(
        label=_("Número de documento"),
        max_length=15,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "inputmode": "text", "autocapitalize": "characters"}
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "doc_type" in data and "doc_number" in data:
            try:
                data["doc_number"] = normalise_document(data["doc_type"], data["doc_number"])
            except forms.ValidationError as exc:
                self.add_error("doc_number", exc)
        return data


class LoginForm(DocumentFieldsMixin):
    password = forms.CharField(
        label=_("Contraseña"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class DocumentPasswordResetForm(DocumentFieldsMixin):
    """Reset by document: the link goes to the e-mail on record, and the page
    answers the same whether or not the account exists."""

    def save(self) -> None:
        """Look the account up, then enqueue one task either way: its argument is the
        account's id or None, never the document typed (docs/security.md, item 12)."""
        user = (
            User.objects.filter(
                login_id=login_id_for(
                    self.cleaned_data["doc_type"], self.cleaned_data["doc_number"]
                ),
                is_active=True,
            )
            .only("pk")
            .first()
        )
        send_password_reset_email.enqueue(user.pk if user is not None else None)


class PasswordConfirmMixin(forms.Form):
    password = forms.CharField(
        label=_("Su contraseña actual"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class EmailChangeForm(PasswordConfirmMixin):
    new_email = forms.EmailField(label=_("Correo nuevo"), max_length=254)


class PhoneChangeForm(PasswordConfirmMixin):
    phone = forms.RegexField(
        label=_("Teléfono celular"),
        regex=r"^\+?[0-9 ]{6,20}$",
        max_length=20,
        error_messages={"invalid": _("Escriba solo números (puede empezar con +).")},
    )
