package io.cloudops.api.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Pieces of pages that several page resources answer on their own to htmx (the inline result of
 * an action button). Pages include the same templates with {@code {#include partials/...}}.
 */
public final class Partials {

    private Partials() {
    }

    @CheckedTemplate(basePath = "partials")
    static class Templates {
        static native TemplateInstance result(ActionResult result);
    }
}
