package io.cloudops.api.seed;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.cloudops.api.config.PlatformConfig;
import io.cloudops.api.project.ProjectService;
import io.cloudops.common.project.EnvironmentRequest;
import io.cloudops.common.project.EnvironmentType;
import io.cloudops.common.project.ProjectRequest;
import io.cloudops.common.project.ProjectView;
import io.quarkus.runtime.StartupEvent;

/**
 * Seeds the demo project (environments dev, stage, prod) once per database, in demo mode. A
 * marker row makes "once" hold across restarts and concurrent instances: if an operator deletes
 * the demo project, it stays deleted.
 */
@ApplicationScoped
public class DemoDataSeeder {

    static final String MARKER = "demo-data-seeded";
    private static final Logger LOG = Logger.getLogger(DemoDataSeeder.class);

    private final PlatformConfig config;
    private final ProjectService projects;
    private final EntityManager em;

    DemoDataSeeder(PlatformConfig config, ProjectService projects, EntityManager em) {
        this.config = config;
        this.projects = projects;
        this.em = em;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.demoMode()) {
            seedOnce();
        }
    }

    @Transactional
    void seedOnce() {
        int inserted = em.createNativeQuery("INSERT INTO platform_marker (name) VALUES (:name) ON CONFLICT DO NOTHING")
                .setParameter("name", MARKER)
                .executeUpdate();
        if (inserted == 0) {
            return;
        }
        ProjectView demo = projects.create(new ProjectRequest("demo", "Sample project created on first start", null,
                List.of("platform-team@example.com")));
        for (String env : List.of("dev", "stage", "prod")) {
            projects.createEnvironment(demo.id(),
                    new EnvironmentRequest(env, EnvironmentType.valueOf(env.toUpperCase()), null));
        }
        LOG.info("Seeded the demo project with environments dev, stage and prod");
    }
}
