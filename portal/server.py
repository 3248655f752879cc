"""`sohoa serve`: the portal on waitress, a production WSGI server (put a TLS reverse proxy in front)."""
from sohoa.portal.setup import start_django


def serve(host: str, port: int, threads: int, announce) -> None:
    start_django()
    import waitress
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    server = waitress.create_server(application, host=host, port=port, threads=threads, ident="sohoa",
                                    clear_untrusted_proxy_headers=True)
    announce(f"sohoa portal on http://{host}:{server.effective_port}/ (Ctrl-C stops it)")
    server.run()
