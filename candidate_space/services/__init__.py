"""Writes of the candidate's space: invitations and accounts, consents the candidate grants or withdraws,
and correction requests. Each service owns its transaction."""
