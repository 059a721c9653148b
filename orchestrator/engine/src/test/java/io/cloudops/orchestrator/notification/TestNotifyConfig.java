package io.cloudops.orchestrator.notification;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link NotifyConfig} for unit tests: the values given by path ({@code "email.smtpHost"}), else an
 * empty list or Optional, a nested group, {@code false}, 1 s for a duration; anything else fails.
 */
final class TestNotifyConfig {

    private TestNotifyConfig() {
    }

    static NotifyConfig of(Map<String, Object> values) {
        return proxy(NotifyConfig.class, "", values);
    }

    private static <T> T proxy(Class<T> type, String prefix, Map<String, Object> values) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (self, method, args) -> {
            String path = prefix + method.getName();
            if (values.containsKey(path)) {
                return values.get(path);
            }
            Class<?> returns = method.getReturnType();
            if (returns == List.class) {
                return List.of();
            }
            if (returns == Optional.class) {
                return Optional.empty();
            }
            if (returns == boolean.class) {
                return false;
            }
            if (returns == Duration.class) {
                return Duration.ofSeconds(1);
            }
            if (returns.isInterface()) {
                return proxy(returns, path + ".", values);
            }
            if (method.getName().equals("toString")) {
                return "TestNotifyConfig" + values;
            }
            throw new UnsupportedOperationException(path);
        });
        return type.cast(proxy);
    }
}
