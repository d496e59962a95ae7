"""The matchmaking board in the API: posts, their suggestions, and contact requests."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.response import Response

from portal import matchmaking, permissions
from portal.api.fields import VersionField
from portal.filters import PostFilter
from portal.models import ContactRequest, Post, Theme


class PostSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.legal_name", read_only=True)
    themes = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Theme.objects.all()
    )
    version = VersionField()

    class Meta:
        model = Post
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "kind",
            "title",
            "body",
            "keywords",
            "themes",
            "wanted_category",
            "created_at",
            "closed_at",
            "version",
        ]
        read_only_fields = ["created_at", "closed_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # One posts for one's own organisations, while they are members: no other exists.
            self.fields["organisation"].queryset = permissions.postable_organisations(request.user)


class PostUpdateSerializer(PostSerializer):
    class Meta(PostSerializer.Meta):
        read_only_fields = ["organisation", "created_at", "closed_at"]


class SuggestionSerializer(serializers.Serializer):
    kind = serializers.SerializerMethodField(help_text="post or organisation")
    id = serializers.IntegerField(source="target.pk")
    name = serializers.SerializerMethodField(help_text="The post's title or the organisation's.")
    organisation = serializers.IntegerField(source="organisation.pk")
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())

    def get_kind(self, suggestion) -> str:
        return "post" if suggestion.is_post else "organisation"

    def get_name(self, suggestion) -> str:
        return suggestion.target.title if suggestion.is_post else suggestion.target.legal_name


class SuggestionsSerializer(serializers.Serializer):
    posts = SuggestionSerializer(many=True)
    organisations = SuggestionSerializer(many=True)


class PostViewSet(viewsets.ModelViewSet):
    """Offers and needs. Members and pole staff read the posts of the organisations they may
    see; the people of a member organisation post for it, and edit, close or delete its posts.
    The list shows open posts (``closed=true``: closed ones too)."""

    filterset_class = PostFilter

    def get_queryset(self):
        return (
            permissions.visible_posts(self.request.user)
            .select_related("organisation")
            .prefetch_related("themes")
            .order_by("-created_at", "-pk")
        )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return PostUpdateSerializer
        return PostSerializer

    def get_object(self):
        post = super().get_object()
        if self.action not in ("retrieve", "suggestions") and not permissions.may_change_post(
            self.request.user, post
        ):
            raise Http404
        return post

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = matchmaking.create_post(by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = matchmaking.update_post(
            serializer.instance, expected_version=data.pop("version", None), **data
        )

    @extend_schema(request=None, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """The partner is found: the post leaves the board and the suggestions."""
        post = matchmaking.close_post(self.get_object())
        return Response(PostSerializer(post, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        post = matchmaking.reopen_post(self.get_object())
        return Response(PostSerializer(post, context=self.get_serializer_context()).data)

    @extend_schema(responses=SuggestionsSerializer)
    @action(detail=True, methods=["get"])
    def suggestions(self, request, pk=None):
        """The posts and organisations that match this post, best first, with their reasons."""
        found = matchmaking.suggest_for_post(request.user, self.get_object())
        return Response(SuggestionsSerializer(found).data)


class ContactMessageSerializer(serializers.ModelSerializer):
    share_email = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Give the recipients your e-mail address (the e-mail's Reply-To); "
        "hidden otherwise.",
    )

    class Meta:
        model = ContactRequest
        fields = ["id", "organisation", "post", "message", "share_email", "sent_at"]
        read_only_fields = ["sent_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            user = request.user
            self.fields["organisation"].queryset = permissions.visible_organisations(user)
            self.fields["post"].queryset = permissions.visible_posts(user)


class ContactRequestViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Write to an organisation (about one of its posts, or not): the message goes by e-mail
    to its admins; no address is shown to either side unless ``share_email``. At most
    10 messages per person in 24 hours (429 beyond)."""

    serializer_class = ContactMessageSerializer
    queryset = ContactRequest.objects.none()

    def create(self, request, *args, **kwargs):
        if not permissions.is_member(request.user):
            raise Http404
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = data["organisation"]
        if not permissions.may_contact(request.user, organisation):
            raise Http404
        try:
            contact = matchmaking.send_contact_request(
                sender=request.user,
                organisation=organisation,
                post=data.get("post"),
                message=data["message"],
                share_email=data.get("share_email", False),
            )
        except matchmaking.ContactLimitReached as error:
            raise Throttled(detail=error.messages[0]) from error
        return Response(self.get_serializer(contact).data, status=status.HTTP_201_CREATED)
