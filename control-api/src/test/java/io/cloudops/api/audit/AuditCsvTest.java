package io.cloudops.api.audit;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.audit.AuditEntryView;

import static org.assertj.core.api.Assertions.assertThat;

/** The CSV export's escaping and formula guarding, and the masking of secrets in parameters. */
class AuditCsvTest {

    private final ObjectMapper json = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"=HYPERLINK(\"http://evil\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"})
    void aCellAFormulaCouldStartWithIsText(String value) {
        assertThat(AuditCsv.cell(value)).isEqualTo("'" + value);
    }

    @Test
    void otherCellsStayAsTheyAre() {
        assertThat(AuditCsv.cell("demo")).isEqualTo("demo");
        assertThat(AuditCsv.cell("a=b")).isEqualTo("a=b");
        assertThat(AuditCsv.cell("")).isEmpty();
        assertThat(AuditCsv.cell(null)).isNull();
    }

    @Test
    void quotesCommasAndLineBreaksSurviveARoundTrip() throws IOException {
        JsonNode detail = json.readTree("{\"entityId\":\"a,\\\"b\\\"\\nc\",\"n\":1}");
        AuditEntryView entry = new AuditEntryView(7, Instant.parse("2026-12-02T01:00:00Z"), "de,mo",
                List.of("viewer", "admin"), "task.create", "task", "line\r\nbreak", "r-1", "127.0.0.1", "succeeded",
                detail);
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(AuditCsv.write(List.of(entry)))).getRecords();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("actor")).isEqualTo("de,mo");
        assertThat(rows.get(0).get("roles")).isEqualTo("viewer admin");
        assertThat(rows.get(0).get("targetId")).isEqualTo("line\r\nbreak");
        assertThat(rows.get(0).get("at")).isEqualTo("2026-12-02T01:00:00Z");
        assertThat(json.readTree(rows.get(0).get("detail"))).isEqualTo(detail);
    }

    @Test
    void secretLookingParametersAreMaskedAtAnyDepth() throws IOException {
        JsonNode masked = AuditContext.mask(json.readTree("""
                {"image":"nginx","dbPassword":"hunter2","nested":{"apiKey":"k","list":[{"clientSecret":"s"}]},
                 "teamsWebhookUrl":"https://x.webhook.office.com/abc","token":null,
                 "pagerDutyRoutingKey":"R0routingkey0123456789"}"""));
        assertThat(masked.get("image").asText()).isEqualTo("nginx");
        assertThat(masked.get("dbPassword").asText()).isEqualTo(AuditContext.MASK);
        assertThat(masked.at("/nested/apiKey").asText()).isEqualTo(AuditContext.MASK);
        assertThat(masked.at("/nested/list/0/clientSecret").asText()).isEqualTo(AuditContext.MASK);
        assertThat(masked.get("teamsWebhookUrl").asText()).isEqualTo(AuditContext.MASK);
        assertThat(masked.get("token").isNull()).isTrue();
        assertThat(masked.get("pagerDutyRoutingKey").asText()).isEqualTo(AuditContext.MASK);
        assertThat(masked.toString()).doesNotContain("hunter2", "abc", "R0routingkey");
    }
}
