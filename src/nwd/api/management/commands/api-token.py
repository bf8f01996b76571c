"""``nwd api-token``: create, list and revoke the tokens partner systems call the API with (docs/api.md).

    nwd api-token create --as USERNAME --name NAME [--days N]   # printed once, kept only as a hash
    nwd api-token list [--as USERNAME]
    nwd api-token revoke PREFIX                                  # the first characters, as listed
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from nwd.access.models import User
from nwd.api import services
from nwd.api.models import ApiToken


class Command(BaseCommand):
    help = "Create, list or revoke API tokens (a token is shown once, when it is created)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="A new token for an API client's account.")
        create.add_argument("--as", dest="username", required=True,
                            help="The API client's account (its role decides what the token may read).")
        create.add_argument("--name", required=True, help="What the token is for, e.g. 'Mosaic nightly sync'.")
        create.add_argument("--days", type=int, default=None,
                            help="Days until it expires (default NWD_API_TOKEN_DAYS).")
        listing = sub.add_parser("list", help="The tokens, live and not (never the tokens themselves).")
        listing.add_argument("--as", dest="username", default=None, help="Only this account's.")
        revoke = sub.add_parser("revoke", help="Refuse a token from now on.")
        revoke.add_argument("prefix", help="The token's first characters, as `list` shows them (or the whole token).")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

    def _create(self, username: str, name: str, days: int | None, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no account with the user name '{username}'.")
        issued = services.create_token(user, name=name, days=days or settings.NWD_API_TOKEN_DAYS)
        self.stdout.write(f"API token for {user.username} ({user.get_role_display()}), '{issued.token.name}':")
        self.stdout.write(issued.secret)
        self.stdout.write(
            f"It works until {timezone.localtime(issued.token.expires_at):%d/%m/%Y %H:%M} and is not shown again: "
            f"keep it in the client system's secret store. Revoke it with: nwd api-token revoke {issued.token.prefix}"
        )

    def _list(self, username: str | None, **options) -> None:
        tokens = ApiToken.objects.select_related("user")
        if username:
            tokens = tokens.filter(user__username=username)
        for token in tokens:
            state = "revoked" if token.revoked_at else ("live" if token.is_live else "expired")
            used = f"{timezone.localtime(token.last_used_at):%d/%m/%Y %H:%M}" if token.last_used_at else "never"
            self.stdout.write(f"{token.prefix}  {token.user.username:20} {token.name:30} {state:8} "
                              f"expires {timezone.localtime(token.expires_at):%d/%m/%Y}  last used {used}")

    def _revoke(self, prefix: str, **options) -> None:
        token = ApiToken.objects.filter(prefix=prefix[: services.PREFIX_LENGTH]).first()
        if token is None:
            raise CommandError(f"There is no token starting {prefix[:services.PREFIX_LENGTH]!r}.")
        services.revoke_token(token)
        self.stdout.write(f"Revoked {token} of {token.user.username}: it is refused from now on.")
