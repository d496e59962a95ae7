from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "tokens.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal API token, made on the API tokens page of your account "
                "(/account/tokens/): `Authorization: Bearer <token>`. A read-only token may "
                "only GET; a token never gives more than its person's own permissions."
            ),
        }
