package io.cloudops.common.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One page of a listing. Pages are zero-based so that {@code page=0} is the first one; {@code total}
 * counts every item matching the query so clients can render pagination without a second call.
 */
@Schema(name = "Page", description = "A page of results")
public record PageView<T>(
        @Schema(description = "Items of this page") List<T> items,
        @Schema(description = "Zero-based page index", examples = "0") int page,
        @Schema(description = "Page size", examples = "20") int size,
        @Schema(description = "Number of items matching the query across all pages") long total) {
}
