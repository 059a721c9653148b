package io.cloudops.common.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One page of a listing. Pages are zero-based so that {@code page=0} is the first one; {@code total}
 * counts every item matching the query so clients can render pagination without a second call (up to a
 * bound where {@code totalExact} says so).
 */
@Schema(name = "Page", description = "A page of results")
public record PageView<T>(
        @Schema(description = "Items of this page") List<T> items,
        @Schema(description = "Zero-based page index", examples = "0") int page,
        @Schema(description = "Page size", examples = "20") int size,
        @Schema(description = "Number of items matching the query across all pages; a lower bound when totalExact is false") long total,
        @Schema(description = "false when total is a lower bound: counting stops 10,000 items past the page (the task list), so a listing of millions answers as fast as one of hundreds") boolean totalExact) {

    /** A page whose total is exact. */
    public PageView(List<T> items, int page, int size, long total) {
        this(items, page, size, total, true);
    }
}
