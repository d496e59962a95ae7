"""Contacts and invitations in the API: the same permissions and services as the page.

Leaders manage the contacts and invitations of every partner of their projects; a
partner's own contacts manage their row's; coordinator contacts are named by the leaders
only. A partner one may not manage is not found (404)."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from projects import permissions, services
from projects.models import Contact, Invitation, Partner

ROLE_REFUSED = _(
    "Only the project's leaders name coordinator contacts, and only on the coordinator's row."
)


def _check_role(user, partner, role):
    if not permissions.may_give_contact_role(user, partner, role):
        raise ValidationError({"role": [ROLE_REFUSED]})


def _managed(user, partner):
    """``partner`` if ``user`` manages its contacts; otherwise it is not found."""
    if not permissions.may_manage_contacts(user, partner):
        raise Http404
    return partner


class ContactItemSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="partner.project_id", read_only=True)
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    name = serializers.CharField(source="person.get_full_name", read_only=True)
    email = serializers.EmailField(
        source="person.email", help_text="On creation: the e-mail of the person's account."
    )

    class Meta:
        model = Contact
        fields = ["id", "project", "partner", "person", "name", "email", "role"]
        read_only_fields = ["person"]
        validators = []  # one contact per person and partner: the service says it


class ContactRoleSerializer(ContactItemSerializer):
    """Only a contact's role changes."""

    partner = serializers.PrimaryKeyRelatedField(read_only=True)
    email = serializers.EmailField(source="person.email", read_only=True)


class ContactViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """The contacts of every consortium the caller may see. Create one with the e-mail of an
    existing account (otherwise invite them: ``/api/v1/invitations/``); change its role;
    delete it (never the project's last coordinator contact)."""

    filterset_fields = ["partner", "role"]

    def get_queryset(self):
        return (
            permissions.visible_contacts(self.request.user)
            .select_related("person", "partner__project")
            .order_by("partner__project_id", "partner_id", "pk")
        )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return ContactRoleSerializer
        return ContactItemSerializer

    def perform_create(self, serializer):
        data = serializer.validated_data
        role = data.get("role", Contact.Role.PARTNER_CONTACT)
        partner = _managed(self.request.user, data["partner"])
        _check_role(self.request.user, partner, role)
        serializer.instance = services.add_contact_by_email(partner, data["person"]["email"], role)

    def perform_update(self, serializer):
        contact = serializer.instance
        user = self.request.user
        if not permissions.may_change_contact(user, contact):
            raise Http404
        role = serializer.validated_data.get("role", contact.role)
        _check_role(user, contact.partner, role)
        services.change_contact_role(contact, role)

    def perform_destroy(self, instance):
        if not permissions.may_change_contact(self.request.user, instance):
            raise Http404
        services.remove_contact(instance)


class InvitationSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="partner.project_id", read_only=True)
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    invited_by = serializers.StringRelatedField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "project",
            "partner",
            "email",
            "role",
            "invited_by",
            "created_at",
            "expires_at",
        ]
        read_only_fields = ["created_at"]


class InvitationViewSet(
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Pending invitations to the partners the caller manages. Creating one e-mails a link
    that works once, for 14 days, and replaces a pending invitation of the same address to
    the same partner; deleting one cancels it. The link itself is never shown here."""

    serializer_class = InvitationSerializer
    filterset_fields = ["partner", "role"]

    def get_queryset(self):
        return (
            Invitation.pending()
            .filter(partner__in=permissions.manageable_partners(self.request.user))
            .select_related("invited_by", "partner__project")
            .order_by("-created_at", "-pk")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        user = self.request.user
        partner = _managed(user, data["partner"])
        role = data.get("role", Contact.Role.PARTNER_CONTACT)  # optional: the model's default
        _check_role(user, partner, role)
        serializer.instance = services.invite_contact(
            partner,
            data["email"],
            role,
            user,
            base_url=self.request.build_absolute_uri("/"),
        )

    def perform_destroy(self, instance):
        _check_role(self.request.user, instance.partner, instance.role)
        services.cancel_invitation(instance)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        """Send the invitation again with a new link, valid 14 days from now."""
        invitation = self.get_object()
        _check_role(request.user, invitation.partner, invitation.role)
        services.resend_invitation(invitation, base_url=request.build_absolute_uri("/"))
        return Response(self.get_serializer(invitation).data)
