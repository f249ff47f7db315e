package io.authsuite.auth.console;

import io.authsuite.auth.audit.AuditEvent;
import io.authsuite.auth.audit.AuditLog;
import io.authsuite.auth.audit.AuditTypes;
import io.authsuite.auth.web.BrowserPages;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The console's audit trail: the events of {@code GET /admin/events}, newest first, filtered and paged alike. */
@Path("/admin/console/events")
@Produces(MediaType.TEXT_HTML)
public class ConsoleEventsResource implements BrowserPages {

    private static final int PAGE = 50;

    private final ConsoleAccess access;
    private final ConsolePages pages;
    private final AuditLog audit;

    public ConsoleEventsResource(ConsoleAccess access, ConsolePages pages, AuditLog audit) {
        this.access = access;
        this.pages = pages;
        this.audit = audit;
    }

    /** {@code from} and {@code to} as a browser's datetime-local input sends them, read as UTC. */
    @GET
    public Response events(@QueryParam("type") String type, @QueryParam("subject") String subject,
                           @QueryParam("client") String client, @QueryParam("from") String from,
                           @QueryParam("to") String to, @QueryParam("before") String before,
                           @Context HttpHeaders headers) {
        ConsoleAccess.Admin admin = access.page(headers, "/admin/console/events");
        Map<String, String> filter = new LinkedHashMap<>();
        filter.put("type", orEmpty(type));
        filter.put("subject", orEmpty(subject));
        filter.put("client", orEmpty(client));
        filter.put("from", orEmpty(from));
        filter.put("to", orEmpty(to));
        List<String> types = AuditTypes.ALL.stream().sorted().toList();
        String problem = null;
        Long fromMillis = null;
        Long toMillis = null;
        try {
            fromMillis = millis(from);
            toMillis = millis(to);
            if (toMillis != null) {
                // "To 10:00" from a minute-precision input means up to the end of that minute, not its first millisecond.
                toMillis += to.strip().length() <= "2026-12-01T10:00".length() ? 59_999 : to.contains(".") ? 0 : 999;
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            problem = "Times are like 2026-12-01T10:00 (UTC).";
        }
        if ((fromMillis != null && !AuditLog.isStreamTime(fromMillis))
                || (toMillis != null && !AuditLog.isStreamTime(toMillis))) {
            problem = "Times start at 1970-01-01T00:00 (UTC).";
        }
        if (type != null && !type.isEmpty() && !AuditTypes.ALL.contains(type)) {
            problem = "Unknown event type.";
        }
        if (before != null && !AuditLog.isCursor(before)) {
            problem = "That page does not exist.";
        }
        if (problem != null) {
            return ConsolePages.html(400, pages.events(admin, List.of(), filter, null, types), null, problem);
        }
        AuditLog.Page page = audit.page(before, PAGE, new AuditLog.Filter(emptyToNull(type), emptyToNull(subject),
                emptyToNull(client), fromMillis, toMillis));
        List<ConsolePages.EventRow> rows = page.events().stream().map(ConsoleEventsResource::row).toList();
        String older = null;
        if (page.next() != null) {
            StringBuilder query = new StringBuilder("/admin/console/events?before=").append(page.next());
            filter.forEach((name, value) -> query.append('&').append(name).append('=')
                    .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)));
            older = query.toString();
        }
        return ConsolePages.html(200, pages.events(admin, rows, filter, older, types), null, null);
    }

    private static ConsolePages.EventRow row(AuditEvent e) {
        String details = e.details() == null ? "" : new TreeMap<>(e.details()).entrySet().stream()
                .map(d -> d.getKey() + "=" + d.getValue()).reduce((a, b) -> a + " " + b).orElse("");
        return new ConsolePages.EventRow(e.time(), e.type(), e.outcome(), orEmpty(e.subject()), orEmpty(e.client()),
                orEmpty(e.address()), orEmpty(e.reason()), details);
    }

    private static Long millis(String local) {
        if (local == null || local.isBlank()) {
            return null;
        }
        return LocalDateTime.parse(local.strip()).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
