package io.cloudops.api.project;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import io.cloudops.common.project.EnvironmentStatus;
import io.cloudops.common.project.EnvironmentType;

/** An environment of a project. {@code ttlMinutes}/{@code expiresAt} are set for sandboxes only. */
@Entity
@Table(name = "environment")
public class Environment {

    @Id
    public UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "project_id", nullable = false)
    public Project project;

    @Column(nullable = false, length = 63)
    public String name;

    @Convert(converter = EnumColumnConverters.EnvironmentTypeConverter.class)
    @Column(nullable = false, length = 16)
    public EnvironmentType type;

    @Column(name = "ttl_minutes")
    public Integer ttlMinutes;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Convert(converter = EnumColumnConverters.EnvironmentStatusConverter.class)
    @Column(nullable = false, length = 16)
    public EnvironmentStatus status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
