package io.cloudops.api.project;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class ProjectResourceTest {

    @Test
    void createsAProjectAndReadsItBackWithItsEnvironments() {
        String id = given().contentType(ContentType.JSON)
                .body("""
                        {"name":"smoke-project","description":"d","emailRecipients":["a@example.com"]}""")
                .post("/api/projects")
                .then().statusCode(201)
                .body("id", notNullValue())
                .extract().path("id");

        given().contentType(ContentType.JSON)
                .body("""
                        {"name":"dev","type":"dev"}""")
                .post("/api/projects/{id}/environments", id)
                .then().statusCode(201).body("type", equalTo("dev"));

        given().get("/api/projects/{id}", id)
                .then().statusCode(200)
                .body("name", equalTo("smoke-project"))
                .body("environments", hasSize(1))
                .body("environments.name", contains("dev"));
    }
}
