package io.cloudops.api.project;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Environments, looked up on their own by id. */
@ApplicationScoped
public class EnvironmentRepository implements PanacheRepositoryBase<Environment, UUID> {

    public boolean existsInProject(UUID projectId, String name) {
        return count("project.id = ?1 and name = ?2", projectId, name) > 0;
    }
}
