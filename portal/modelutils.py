from django.core.exceptions import ValidationError


class ConstraintErrorsOnFields:
    """Report a violated database constraint on the field a person would correct.

    Django reports most constraint violations as errors of the whole form; a model lists
    in ``constraint_error_fields`` the field each ``violation_error_code`` belongs to.
    """

    constraint_error_fields = {}

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            errors = {}
            for field, messages in error.error_dict.items():
                for message in messages:
                    target = self.constraint_error_fields.get(message.code, field)
                    errors.setdefault(target, []).append(message)
            raise ValidationError(errors) from None
