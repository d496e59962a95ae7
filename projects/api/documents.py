"""Documents in the API: uploaded through the same service as the page, which checks them,
and downloaded through the same permission check."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action

from projects import permissions, services
from projects.models import Document
from projects.views.documents import serve


class DocumentSerializer(serializers.ModelSerializer):
    file = serializers.FileField(
        write_only=True,
        use_url=False,
        # Empty, oversized and disguised files are refused by the service, for every client.
        allow_empty_file=True,
        help_text="PDF, DOCX, XLSX, ODT, ODS, PNG or JPEG; its type is read from its content.",
    )
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "project",
            "kind",
            "title",
            "file",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = [
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
        ]
        extra_kwargs = {
            "title": {
                "required": False,
                "allow_blank": True,
                "help_text": "The file's name when left out.",
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Uploads go to the caller's consortia; any other project does not exist here.
            self.fields["project"].queryset = permissions.consortium_projects(request.user)

    def get_download_url(self, document) -> str:
        return reverse("document-download", args=[document.pk])


class DocumentViewSet(
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Documents of the projects whose confidential part the caller may see. The consortium
    uploads them (multipart), the uploader or the leader deletes them."""

    serializer_class = DocumentSerializer
    filterset_fields = ["project", "kind"]

    def get_queryset(self):
        return permissions.visible_documents(self.request.user).order_by("project_id", "-pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        project = data["project"]
        if not permissions.may_upload_document(self.request.user, project):
            raise Http404
        serializer.instance = services.add_document(
            project,
            by=self.request.user,
            upload=data["file"],
            kind=data.get("kind", Document.Kind.OTHER),
            title=data.get("title", ""),
        )

    def perform_destroy(self, instance):
        if not permissions.may_delete_document(self.request.user, instance):
            raise Http404
        services.delete_document(instance)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, as an attachment."
            )
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file itself, under its original name."""
        document = self.get_object()
        try:
            return serve(document)
        except FileNotFoundError:
            raise Http404 from None
