package io.authsuite.auth;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * After the module's tests ran (surefire first, then the integration tests before this one): not one of the secrets
 * they handled ({@link LeakWatch}) appears in a line the server logged, the audit events included.
 */
class LeakScanIT {

    @Test
    void logsOfTheTestRunThenNoSecretPasswordOrToken() throws IOException {
        assumeTrue(Files.exists(LeakWatch.SECRETS), "skipped: the unit tests did not run in this build");
        Set<String> secrets = new LinkedHashSet<>(Files.readAllLines(LeakWatch.SECRETS, StandardCharsets.UTF_8));
        List<Path> logs;
        try (Stream<Path> files = Files.list(LeakWatch.DIR)) {
            logs = files.filter(f -> f.getFileName().toString().endsWith(".log")
                    || f.getFileName().toString().contains(".log.")).toList();
        }
        long lines = 0;
        long auditLines = 0;
        List<String> leaks = new ArrayList<>();
        for (Path log : logs) {
            List<String> content = Files.readAllLines(log, StandardCharsets.UTF_8);
            lines += content.size();
            for (String line : content) {
                if (line.contains("[audit]") || line.contains("\"loggerName\":\"audit\"")) {
                    auditLines++;
                }
                for (String secret : secrets) {
                    if (line.contains(secret)) {
                        leaks.add(log.getFileName() + ": a secret of " + secret.length() + " characters (starts "
                                + secret.substring(0, 4) + "...) in: " + line.substring(0, Math.min(160, line.length())));
                    }
                }
            }
        }
        System.out.printf("%nLeak scan: %d secrets, passwords and tokens against %d log lines (%d audit events) "
                + "in %d files%n", secrets.size(), lines, auditLines, logs.size());
        // The scan must have had something to scan: a run that logged nothing or handed out no token proves nothing.
        assertTrue(secrets.size() > 100, "too few secrets recorded: " + secrets.size());
        assertTrue(auditLines > 100, "too few audit lines: " + auditLines);
        assertTrue(leaks.isEmpty(), String.join("\n", leaks));
    }
}
