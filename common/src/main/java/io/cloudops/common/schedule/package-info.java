/** The records of the schedules API ({@code /api/schedules}): cron schedules of operations and their runs. */
package io.cloudops.common.schedule;
