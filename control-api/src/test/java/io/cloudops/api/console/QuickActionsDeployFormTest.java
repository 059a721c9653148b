package io.cloudops.api.console;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.cloudops.api.testsupport.Fixtures;
import io.cloudops.api.testsupport.Tasks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deploy dialog's parameter fields over plain HTTP (what a browser without script gets, and
 * what htmx loads): one typed input per declared parameter with its default, hint and rules, the
 * template's fields loaded again when the template changes, the submitted text turned into the
 * request's typed values, and the service's problem shown at the parameter's input.
 */
@QuarkusTest
class QuickActionsDeployFormTest {

    private static final Pattern TOKEN = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");
    private static final Pattern NEW_TASK = Pattern.compile("href=\"/tasks/([0-9a-f-]{36})\"");

    @Test
    void theFormRendersOneTypedInputPerDeclaredParameterWithItsDefaultAndHint() {
        String page = given().get("/actions/deploy?templateId=web-app").then().statusCode(200)
                .contentType(ContentType.HTML).extract().asString();

        assertThat(page).contains("<legend>Parameters of Web application</legend>",
                "name=\"parametersOf\" value=\"web-app\"");
        assertThat(input(page, "params.replicas")).contains("type=\"number\"", "value=\"2\"", "min=\"1\"",
                "max=\"20\"", "aria-label=\"Parameter replicas\"", "aria-describedby=\"deploy-param-replicas-help\"")
                .doesNotContain(" required");
        assertThat(page).contains("<span class=\"help\" id=\"deploy-param-replicas-help\">Number of pods · a whole "
                + "number from 1 to 20 · default 2</span>");
        assertThat(input(page, "params.image")).contains("type=\"text\"", "value=\"\"", "maxlength=\"255\"",
                " required");
        assertThat(page).contains("image <strong class=\"required\">required</strong>");
        assertThat(input(page, "params.name")).contains("value=\"web\"", "maxlength=\"63\"");
        assertThat(page).containsPattern("<select name=\"params.pullPolicy\"[^>]*aria-label=\"Parameter pullPolicy\"")
                .contains("<option value=\"IfNotPresent\" selected>IfNotPresent</option>",
                        "<option value=\"Always\">Always</option>");
        // no template yet: a hint instead of fields
        assertThat(given().get("/actions/deploy").then().statusCode(200).extract().asString())
                .contains("Choose a template to see its parameters.").doesNotContain("name=\"params.");
    }

    @Test
    void changingTheTemplateLoadsItsFieldsAsAFragmentOrAsTheWholeFormWithoutScript() {
        String fragment = given().header("HX-Request", "true").queryParam("templateId", "worker")
                .get("/actions/deploy/parameters").then().statusCode(200).extract().asString();
        assertThat(fragment.strip()).startsWith("<fieldset id=\"deploy-parameters\"").doesNotContain("<html", "<form")
                .contains("name=\"parametersOf\" value=\"worker\"");
        assertThat(input(fragment, "params.serviceAccountToken")).contains("type=\"checkbox\"", "value=\"true\"",
                " checked");
        assertThat(fragment).doesNotContain("params.port", "params.pullPolicy");

        // without script: the noscript button posts the form, which comes back with the chosen template's fields
        Session session = Session.open();
        String envId = Fixtures.createEnvironment(Fixtures.createProject(Fixtures.uniqueName("form")), "dev", "dev");
        long before = Tasks.count("deployment");
        Response shown = session.post(Map.of("envId", envId, "templateId", "worker", "parametersOf", "",
                "showParameters", "true"));
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.asString()).contains("<legend>Parameters of Background worker</legend>")
                .contains("<option value=\"" + envId + "\" selected>").doesNotContain("role=\"alert\"");
        assertThat(input(shown.asString(), "params.replicas")).contains("value=\"1\"");
        // a deploy submitted with another template's fields is not sent: the form shows the chosen one's first
        Response other = session.post(Map.of("envId", envId, "templateId", "worker", "parametersOf", "web-app",
                "params.image", "nginx:1.27", "params.port", "8080"));
        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(other.asString()).contains("changed to Background worker: check its parameters below")
                .contains("name=\"parametersOf\" value=\"worker\"");
        assertThat(Tasks.count("deployment")).isEqualTo(before);
    }

    @Test
    void theServersProblemIsShownAtTheParametersInputWithTheValueKept() {
        String envId = Fixtures.createEnvironment(Fixtures.createProject(Fixtures.uniqueName("form")), "dev", "dev");
        Response refused = Session.open().post(Map.of("envId", envId, "templateId", "web-app", "parametersOf",
                "web-app", "params.image", "nginx:1.27", "params.replicas", "0", "params.port", "80.5",
                "params.name", "web", "params.pullPolicy", "Sometimes"));

        assertThat(refused.statusCode()).isEqualTo(422);
        String page = refused.asString();
        assertThat(input(page, "params.replicas")).contains("value=\"0\"", "aria-invalid=\"true\"",
                "aria-describedby=\"deploy-param-replicas-help deploy-param-replicas-error\"");
        assertThat(page).contains("<span class=\"field-error\" id=\"deploy-param-replicas-error\">must be at least 1"
                + "</span>", "<span class=\"field-error\" id=\"deploy-param-port-error\">must be an integer</span>",
                "<span class=\"field-error\" id=\"deploy-param-pullPolicy-error\">must be one of IfNotPresent, "
                        + "Always, Never</span>");
        assertThat(input(page, "params.image")).contains("aria-invalid=\"false\"");
    }

    @Test
    void theSubmittedTextBecomesTheRequestsTypedParameters() {
        String envId = Fixtures.createEnvironment(Fixtures.createProject(Fixtures.uniqueName("form")), "dev", "dev");
        // the box left unticked is not sent: false; the empty name is left out: its default
        Response accepted = Session.open().post(Map.of("envId", envId, "templateId", "worker", "parametersOf",
                "worker", "params.image", " nginx:1.27 ", "params.replicas", "3", "params.name", ""));

        assertThat(accepted.statusCode()).as(accepted.asString()).isEqualTo(200);
        Matcher task = NEW_TASK.matcher(accepted.asString());
        assertThat(task.find()).isTrue();
        JsonPath done = Tasks.awaitStatus(task.group(1), "succeeded");
        assertThat(done.getMap("payload.params")).containsEntry("image", "nginx:1.27").containsEntry("replicas", 3)
                .containsEntry("name", "worker").containsEntry("serviceAccountToken", false);
    }

    /** The input element named {@code name} in {@code html}, as written. */
    private static String input(String html, String name) {
        Matcher matcher = Pattern.compile("<input[^>]*name=\"" + Pattern.quote(name) + "\"[^>]*>").matcher(html);
        assertThat(matcher.find()).as("an input named " + name).isTrue();
        return matcher.group();
    }

    /** A browser without script on the deploy page: its CSRF cookie and token. */
    private record Session(String cookie, String token) {

        static Session open() {
            Response response = given().get("/actions/deploy");
            Matcher token = TOKEN.matcher(response.asString());
            assertThat(token.find()).isTrue();
            return new Session(response.getCookie("cloudops-csrf"), token.group(1));
        }

        Response post(Map<String, String> form) {
            Map<String, String> fields = new HashMap<>(form);
            fields.put("csrf-token", token);
            return given().redirects().follow(false).cookie("cloudops-csrf", cookie)
                    .contentType(ContentType.URLENC.withCharset("UTF-8")).formParams(fields).post("/actions/deploy");
        }
    }
}
