"""The forms of the costs pages. They only parse input; the rules are ``costs.services``'."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from costs.models import CostType, Payer


class CaseCostForm(forms.Form):
    cost_type = forms.ChoiceField(label=_("Cost"), choices=CostType.choices)
    amount = forms.DecimalField(
        label=_("Amount"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2, localize=True
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        min_length=3,
        initial="EUR",
        help_text=_("Three letters: EUR, MAD, INR."),
    )
    paid_by = forms.ChoiceField(
        label=_("Paid by"),
        choices=Payer.choices,
        help_text=_("A cost paid by the candidate puts the case on hold until it is refunded to them."),
    )
    payee = forms.CharField(label=_("Paid to"), max_length=200, required=False)
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=300,
        required=False,
        help_text=_("An invoice, a receipt, a ticket number."),
    )


class RefundForm(forms.Form):
    refund_evidence = forms.CharField(
        label=_("Evidence of the refund"),
        max_length=300,
        help_text=_("What shows the candidate got the money back: a bank statement, a signed receipt."),
    )


class VoidForm(forms.Form):
    void_reason = forms.CharField(
        label=_("Why this cost was recorded in error"),
        max_length=300,
        help_text=_("Voiding keeps the cost on the case, marked voided; it no longer counts."),
    )
