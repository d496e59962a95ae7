"""The rows of the permission matrix for API tokens: a person's own, nobody else's."""

from tokens.services import create_token

from . import NF, OK

# fmt: off
#   (name, method, path template, object)                                              leader member staff funder expert outsider
ROWS = [
    ("api tokens", "get", "/account/tokens/", "own list",                                  OK, OK, OK, OK, OK, OK),
    ("make api token", "post", "/account/tokens/", "a new own token",                      OK, OK, OK, OK, OK, OK),
    ("revoke api token", "post", "/account/tokens/{draft:api_token}/revoke/", "leader's token", OK, NF, NF, NF, NF, NF),
]
# fmt: on

BODIES = {"make api token": {"name": "Script", "scope": "read", "days": "30"}}


def build(world):
    """A token of the leader's."""
    world["extra"]["draft:api_token"], _key = create_token(world["people"]["leader"], name="CI")
