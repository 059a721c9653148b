package io.cloudops.api.testsupport;

import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;

/**
 * Test data through the public API. Every test of the JVM shares one database, so names carry a
 * random suffix and no test depends on what another one created.
 */
public final class Fixtures {

    private Fixtures() {
    }

    /** A valid, unused project or environment name starting with {@code prefix}. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a project (as admin) and returns its id. */
    public static String createProject(String name) {
        return createProject(Map.of("name", name));
    }

    /** Creates a project from {@code body} (as admin) and returns its id. */
    public static String createProject(Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body)
                .post("/api/projects")
                .then().statusCode(201)
                .extract().path("id");
    }

    /** Creates an environment of {@code type} in a project (as admin) and returns its id. */
    public static String createEnvironment(String projectId, String name, String type) {
        return given().contentType(ContentType.JSON).body(Map.of("name", name, "type", type))
                .post("/api/projects/{id}/environments", projectId)
                .then().statusCode(201)
                .extract().path("id");
    }
}
