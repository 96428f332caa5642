"""The dashboard's one action: mark what the page showed as read."""

from django import forms


class DashboardMarkReadForm(forms.Form):
    # When the page was built: a change that lands while the user reads it stays unread.
    shown_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)
