package io.authsuite.nativeguard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Fails when a service's native build steps did not register what its code needs: every JSON type
 * ({@link NativeNeeds}) must be in the generated {@code reflect-config.json} with its constructors, methods and
 * fields, and every resource the code loads must match an include of {@code resource-config.json}. Without them
 * the native executable answers {@code {}} or finds no file, while the JVM tests pass.
 *
 * <p>Reads {@code SERVICE/target/native-sources} (from {@code make native-sources}): the runner jar holds the
 * service's classes and the generated configuration, {@code lib/} the project's own libraries.
 * Usage: {@code NativeGuard PROJECT_DIR SERVICE...}; exit status 1 when anything is missing.
 */
public final class NativeGuard {

    private static final String PROJECT_PACKAGE = "io/authsuite/";
    private static final String PROJECT_LIBRARIES = "io.authsuite.";

    private NativeGuard() {
    }

    public static void main(String[] args) throws IOException {
        Path project = Path.of(args[0]);
        int failures = 0;
        for (int i = 1; i < args.length; i++) {
            NativeNeeds needs = new NativeNeeds(PROJECT_PACKAGE);
            List<String> problems = check(project.resolve(args[i]).resolve("target/native-sources"), needs);
            failures += problems.size();
            System.out.printf("%s: %d JSON types, %d resources: %s%n", args[i], needs.jsonTypes().size(),
                    needs.resources().size(), problems.isEmpty() ? "all registered" : problems.size() + " missing");
            if (Boolean.getBoolean("native-guard.verbose")) {
                needs.jsonTypes().forEach((t, why) -> System.out.println("  json " + t + " " + why));
                needs.resources().forEach((r, where) -> System.out.println("  resource " + r + " " + where));
            }
            problems.forEach(p -> System.out.println("  - " + p));
        }
        if (failures > 0) {
            System.out.println("Register them (typed returns, or @RegisterForReflection; quarkus.native.resources.includes)"
                    + " and run make native-sources again.");
            System.exit(1);
        }
    }

    /** What the native sources in {@code nativeSources} lack; empty when nothing. */
    public static List<String> check(Path nativeSources, NativeNeeds needs) throws IOException {
        Path runner;
        try (Stream<Path> files = Files.list(nativeSources)) {
            runner = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new IOException("no runner jar in " + nativeSources + ": run make native-sources"));
        }
        List<Path> jars = new ArrayList<>(List.of(runner));
        Path lib = nativeSources.resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> files = Files.list(lib)) {
                // Quarkus names a library it transformed modified-<name>.jar.
                files.filter(p -> p.getFileName().toString().replaceFirst("^modified-", "").startsWith(PROJECT_LIBRARIES))
                        .sorted().forEach(jars::add);
            }
        }
        Set<String> files = new TreeSet<>();
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    if (entry.isDirectory()) {
                        continue;
                    }
                    if (entry.getName().endsWith(".class")) {
                        try (InputStream in = zip.getInputStream(entry)) {
                            needs.addClass(in);
                        }
                    } else {
                        files.add(entry.getName());
                    }
                }
            }
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode reflection;
        JsonNode resourceConfig;
        try (ZipFile zip = new ZipFile(runner.toFile())) {
            reflection = json.readTree(read(zip, "META-INF/native-image/reflect-config.json"));
            resourceConfig = json.readTree(read(zip, "META-INF/native-image/resource-config.json"));
        }
        return problems(needs, reflection, resourceConfig, files);
    }

    static List<String> problems(NativeNeeds needs, JsonNode reflection, JsonNode resourceConfig, Set<String> files) {
        Map<String, JsonNode> registered = new HashMap<>();
        reflection.forEach(entry -> registered.merge(entry.path("name").asText(), entry, NativeGuard::merge));
        List<String> problems = new ArrayList<>();
        needs.jsonTypes().forEach((type, reasons) -> {
            JsonNode entry = registered.get(type);
            String why = " (" + String.join("; ", reasons) + ")";
            if (entry == null) {
                problems.add("JSON type " + type + " is not registered for reflection" + why);
            } else if (!(any(entry, "allDeclaredConstructors", "allPublicConstructors")
                    && any(entry, "allDeclaredMethods", "allPublicMethods")
                    && any(entry, "allDeclaredFields", "allPublicFields"))) {
                problems.add("JSON type " + type + " is registered without all its constructors, methods and fields" + why);
            }
        });
        List<Pattern> includes = new ArrayList<>();
        resourceConfig.path("resources").path("includes")
                .forEach(i -> includes.add(Pattern.compile(i.path("pattern").asText())));
        needs.resources().forEach((name, where) -> {
            boolean prefix = name.endsWith("*");
            String stem = prefix ? name.substring(0, name.length() - 1) : name;
            List<String> matching = files.stream().filter(f -> prefix ? f.startsWith(stem) : f.equals(stem)).toList();
            if (matching.isEmpty()) {
                problems.add("resource " + name + " loaded in " + where + " is not in the application");
            }
            for (String file : matching) {
                if (includes.stream().noneMatch(p -> p.matcher(file).matches())) {
                    problems.add("resource " + file + " (loaded in " + where + ") is not included in the native image");
                }
            }
        });
        return problems;
    }

    private static JsonNode merge(JsonNode a, JsonNode b) {
        com.fasterxml.jackson.databind.node.ObjectNode merged = a.deepCopy();
        b.fields().forEachRemaining(f -> {
            if (!merged.has(f.getKey()) || f.getValue().asBoolean(false)) {
                merged.set(f.getKey(), f.getValue());
            }
        });
        return merged;
    }

    private static boolean any(JsonNode entry, String... flags) {
        for (String flag : flags) {
            if (entry.path(flag).asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] read(ZipFile zip, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new IOException(name + " is missing from " + zip.getName());
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }
}
