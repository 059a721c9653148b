package io.cloudops.api.audit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import io.cloudops.common.audit.AuditEntryView;

/**
 * The audit log as CSV (RFC 4180: every field that needs it quoted, quotes doubled, CRLF rows),
 * safe to open in a spreadsheet: a cell that starts with {@code = + - @}, a tab or a carriage
 * return is prefixed with {@code '} so that it is text, never a formula (OWASP "CSV injection").
 * Actors, targets and details come from clients, so every cell is guarded, not only some.
 */
public final class AuditCsv {

    public static final String MEDIA_TYPE = "text/csv";
    static final List<String> COLUMNS = List.of("id", "at", "actor", "roles", "action", "targetType", "targetId",
            "requestId", "sourceAddress", "outcome", "detail");

    private AuditCsv() {
    }

    public static String write(List<AuditEntryView> entries) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out,
                CSVFormat.RFC4180.builder().setHeader(COLUMNS.toArray(String[]::new)).get())) {
            for (AuditEntryView e : entries) {
                csv.printRecord(e.id(), e.at(), cell(e.actor()), cell(String.join(" ", e.roles())), cell(e.action()),
                        cell(e.targetType()), cell(e.targetId()), cell(e.requestId()), cell(e.sourceAddress()),
                        cell(e.outcome()), cell(e.detail() == null ? null : e.detail().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A text cell that a spreadsheet will not evaluate. */
    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value
                : value;
    }
}
