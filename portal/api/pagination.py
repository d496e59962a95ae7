"""The API's pages: 50 rows unless the caller asks for another size (``?page_size=``, at
most 100)."""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100
