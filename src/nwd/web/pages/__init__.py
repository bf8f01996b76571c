"""The practitioner pages: each role's home, the young person's page, referral to close, recording, the bed board, search."""
