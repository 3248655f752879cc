from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sohoa.portal import (api, api_requests, api_review, audit, openapi, quality_pages, request_pages, review,
                          saved_searches, views)
from sohoa.portal.oidc import CallbackView, SignInView, SignOutView

urlpatterns = [
    path("", views.search, name="search"),
    path("searches", saved_searches.save, name="save-search"),
    path("searches/<int:saved_id>/delete", saved_searches.delete, name="delete-search"),
    path("records/<str:doc_id>", views.record, name="record"),
    path("records/<str:doc_id>/copy.pdf", views.copy, name="copy"),
    path("records/<str:doc_id>/print.pdf", views.print_copy, name="print"),
    path("records/<str:doc_id>/pages.pdf", views.pages, name="pages"),
    path("dossiers/<str:file_code>", views.dossier, name="dossier"),
    path("requests", request_pages.mine, name="requests"),
    path("requests/queue", request_pages.queue, name="request-queue"),
    path("requests/<int:request_id>/decision", request_pages.decision, name="request-decision"),
    path("review", review.queue, name="review"),
    path("review/batches/<str:batch>", quality_pages.report, name="batch-report"),
    path("review/batches/<str:batch>/samples", quality_pages.sample, name="draw-sample"),
    path("review/samples/<int:sample_id>/<str:doc_id>", quality_pages.sample_record, name="sample-record"),
    path("review/<str:doc_id>", review.screen, name="review-record"),
    path("review/<str:doc_id>/structure", review.structure, name="review-structure"),
    path("review/<str:doc_id>/dossier", review.dossier_correction, name="review-dossier"),
    path("audit", audit.events, name="audit"),
    path("audit/events.csv", audit.events_csv, name="audit-csv"),
    path("login", auth_views.LoginView.as_view(template_name="portal/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout", SignOutView.as_view(), name="logout"),
    path("api/openapi.json", openapi.description, name="api-description"),
    path("api/search", api.search, name="api-search"),
    path("api/records/<str:doc_id>", api.record, name="api-record"),
    path("api/records/<str:doc_id>/copy.pdf", api.copy, name="api-copy"),
    path("api/records/<str:doc_id>/corrections", api_review.corrections, name="api-corrections"),
    path("api/records/<str:doc_id>/versions", api_review.versions, name="api-versions"),
    path("api/dossiers/<str:file_code>/structure", api_review.structure, name="api-structure"),
    path("api/dossiers/<str:file_code>", api_review.dossier, name="api-dossier"),
    path("api/requests", api_requests.own_requests, name="api-requests"),
    path("api/requests/queue", api_requests.queue, name="api-request-queue"),
    path("api/requests/<int:request_id>/decision", api_requests.decision, name="api-request-decision"),
    path("i18n/", include("django.conf.urls.i18n")),  # the language switch
    path("admin/", admin.site.urls),
]
if settings.OIDC_ISSUER:
    urlpatterns += [path("oidc/authenticate/", SignInView.as_view(), name="oidc_authentication_init"),
                    path("oidc/callback/", CallbackView.as_view(), name="oidc_authentication_callback")]
