package io.cloudops.api.testsupport;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The application on the AMQP channel against {@link AmqpBrokerTestResource}. The only extra test
 * profile of the engine suite: each profile restarts the application.
 */
public class AmqpChannelProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("cloudops.channel.kind", "amqp",
                "quarkus.log.category.\"org.apache.activemq\".level", "WARN");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(AmqpBrokerTestResource.class));
    }

    @Override
    public String getConfigProfile() {
        return "test";
    }
}
