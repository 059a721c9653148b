package io.cloudops.api.project;

import java.util.Arrays;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import io.cloudops.common.project.EnvironmentStatus;
import io.cloudops.common.project.EnvironmentType;

/** Stores enums in their lower-case wire spelling, which the schema's CHECK constraints list. */
final class EnumColumnConverters {

    private EnumColumnConverters() {
    }

    @Converter
    static class EnvironmentTypeConverter implements AttributeConverter<EnvironmentType, String> {
        @Override
        public String convertToDatabaseColumn(EnvironmentType value) {
            return value == null ? null : value.value();
        }

        @Override
        public EnvironmentType convertToEntityAttribute(String column) {
            return column == null
                    ? null
                    : Arrays.stream(EnvironmentType.values()).filter(t -> t.value().equals(column)).findFirst()
                            .orElseThrow();
        }
    }

    @Converter
    static class EnvironmentStatusConverter implements AttributeConverter<EnvironmentStatus, String> {
        @Override
        public String convertToDatabaseColumn(EnvironmentStatus value) {
            return value == null ? null : value.value();
        }

        @Override
        public EnvironmentStatus convertToEntityAttribute(String column) {
            return column == null
                    ? null
                    : Arrays.stream(EnvironmentStatus.values()).filter(s -> s.value().equals(column)).findFirst()
                            .orElseThrow();
        }
    }
}
