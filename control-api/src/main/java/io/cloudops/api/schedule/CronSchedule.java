package io.cloudops.api.schedule;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import io.cloudops.api.problem.ApiException;

/**
 * A cron expression in a time zone, parsed by cron-utils (the library Quarkus' scheduler uses): the
 * 5-field Unix form ({@code minute hour day-of-month month day-of-week}), as crontab and Kubernetes
 * CronJobs write it. Times are computed in the zone, so {@code 0 2 * * *} in Europe/Berlin is 02:00
 * local time in winter and summer alike.
 */
public final class CronSchedule {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final ExecutionTime times;
    private final ZoneId zone;

    private CronSchedule(ExecutionTime times, ZoneId zone) {
        this.times = times;
        this.zone = zone;
    }

    /** Parses {@code cron} in {@code timeZone}: a 422 naming {@code cron} or {@code timeZone} if either is wrong. */
    public static CronSchedule of(String cron, String timeZone) {
        ZoneId zone = zone(timeZone);
        Cron parsed;
        try {
            parsed = PARSER.parse(cron.strip()).validate();
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("cron",
                    "is not a 5-field cron expression (minute hour day-of-month month day-of-week): "
                            + e.getMessage());
        }
        CronSchedule schedule = new CronSchedule(ExecutionTime.forCron(parsed), zone);
        if (schedule.next(Instant.now()).isEmpty()) {
            throw ApiException.invalidField("cron", "never fires");
        }
        return schedule;
    }

    /** The IANA zone, or a 422 naming {@code timeZone}. */
    static ZoneId zone(String timeZone) {
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw ApiException.invalidField("timeZone", "is not an IANA time zone (such as UTC or Europe/Berlin)");
        }
    }

    /** The first due time strictly after {@code after}; empty if there is none. */
    public Optional<Instant> next(Instant after) {
        return times.nextExecution(after.atZone(zone)).map(t -> t.toInstant())
                .filter(t -> t.isAfter(after));
    }
}
