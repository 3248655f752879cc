from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from sohoa.portal import api, views

urlpatterns = [
    path("", views.search, name="search"),
    path("records/<str:doc_id>", views.record, name="record"),
    path("login", auth_views.LoginView.as_view(template_name="portal/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("api/search", api.search, name="api-search"),
    path("api/records/<str:doc_id>", api.record, name="api-record"),
    path("admin/", admin.site.urls),
]
