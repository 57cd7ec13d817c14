from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ayni.accounts.models import User, login_id_for
from ayni.accounts.validators import normalise_document


class DocumentFieldsMixin(forms.Form):
    doc_type = forms.ChoiceField(
        label="Tipo de documento", choices=User.DocType.choices, initial=User.DocType.DNI
    )
    doc_number = forms.CharField(
        label="Número de documento",
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
        label="Contraseña",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class DocumentPasswordResetForm(DocumentFieldsMixin):
    """Reset by document: the link goes to the e-mail on record, and the page
    answers the same whether or not the account exists."""

    def save(self) -> None:
        login_id = login_id_for(self.cleaned_data["doc_type"], self.cleaned_data["doc_number"])
        user = User.objects.filter(login_id=login_id, is_active=True).first()
        if user is None or not user.email or not user.has_usable_password():
            return
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = settings.SITE_URL + reverse(
            "accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}
        )
        body = render_to_string("accounts/email/password_reset.txt", {"link": link})
        send_mail(
            "Ayni: restablecer su contraseña",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
            fail_silently=True,
        )
