package io.cloudops.api.console;

import java.util.UUID;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Errors of console pages are pages: an unknown task or project answers a 404 HTML page with the
 * navbar, not the API's problem document ({@code /api} keeps its problem+json mappers).
 */
public class ConsoleErrors {

    /** A page that cannot be shown, with the status and the sentence to show. */
    public static class PageException extends RuntimeException {
        private final int status;
        private final String title;

        public PageException(int status, String title, String message) {
            super(message, null, false, false);
            this.status = status;
            this.title = title;
        }

        public int status() {
            return status;
        }

        public String title() {
            return title;
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(int status, String title, String message);
    }

    public static PageException notFound(String message) {
        return new PageException(404, "Not found", message);
    }

    /** Parses a UUID from a page path; anything else is a 404 page (no such task, project, ...). */
    public static UUID parseId(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound(what + " '" + id + "' does not exist.");
        }
    }

    @ServerExceptionMapper
    public Response page(PageException e) {
        return page(e.status(), e.title(), e.getMessage());
    }

    /** The error page (with the navbar) for a status, for mappers outside the console (a refused page). */
    public static Response page(int status, String title, String message) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.error(status, title, message)).build();
    }
}
