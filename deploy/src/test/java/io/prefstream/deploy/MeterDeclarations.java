package io.prefstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The Micrometer meters PrefStream's own code declares, found in the main sources of every module, and
 * the Prometheus series names they produce when registered in a real {@link PrometheusMeterRegistry}
 * (so naming rules such as {@code _total} and {@code _seconds_bucket} are Micrometer's, not guessed).
 *
 * <p>Recognised declarations: {@code Counter|Timer|Gauge|DistributionSummary.builder("name" ...)},
 * {@code builder(CONSTANT ...)} and {@code builder(CONSTANT + "suffix" ...)} with {@code CONSTANT} a string
 * constant of the same file, and
 * {@code builder(CONSTANT + parameter ...)} inside a helper method, resolved through the helper's calls
 * with a literal ({@code counter("memo.hits", ...)}).
 */
final class MeterDeclarations {
    enum Kind { COUNTER, TIMER, GAUGE, SUMMARY }

    record Declaration(Kind kind, String name, Path source) {}

    private static final String TYPES = "(Counter|FunctionCounter|Timer|FunctionTimer|LongTaskTimer|Gauge|DistributionSummary)";
    private static final Pattern LITERAL = Pattern.compile(TYPES + "\\.builder\\(\\s*\"([^\"]+)\"");
    private static final Pattern CONSTANT_ALONE =
        Pattern.compile(TYPES + "\\.builder\\(\\s*([A-Z][A-Z0-9_]*)\\s*[,)]");
    private static final Pattern CONSTANT_PLUS_LITERAL =
        Pattern.compile(TYPES + "\\.builder\\(\\s*([A-Z][A-Z0-9_]*)\\s*\\+\\s*\"([^\"]+)\"");
    private static final Pattern CONSTANT_PLUS_PARAMETER =
        Pattern.compile(TYPES + "\\.builder\\(\\s*([A-Z][A-Z0-9_]*)\\s*\\+\\s*([a-z]\\w*)\\s*[,)]");
    private static final Pattern STRING_CONSTANT =
        Pattern.compile("static\\s+final\\s+String\\s+([A-Z][A-Z0-9_]*)\\s*=\\s*\"([^\"]*)\"\\s*;");
    private static final Pattern METHOD = Pattern.compile("(\\w+)\\s*\\(([^()]*)\\)\\s*(?:throws [\\w., ]+)?\\{");

    private MeterDeclarations() {}

    static List<Declaration> scan(Path repoRoot) {
        List<Declaration> declarations = new ArrayList<>();
        try (Stream<Path> modules = Files.list(repoRoot)) {
            for (Path module : modules.filter(Files::isDirectory).sorted().toList()) {
                Path sources = module.resolve("src/main/java");
                if (Files.isDirectory(sources)) {
                    for (Path file : Manifests.filesUnder(sources, ".java")) {
                        declarations.addAll(scanFile(file, Files.readString(file)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return declarations;
    }

    static List<Declaration> scanFile(Path file, String text) {
        Map<String, String> constants = new HashMap<>();
        Matcher constant = STRING_CONSTANT.matcher(text);
        while (constant.find()) {
            constants.put(constant.group(1), constant.group(2));
        }
        List<Declaration> found = new ArrayList<>();
        Matcher literal = LITERAL.matcher(text);
        while (literal.find()) {
            found.add(new Declaration(kind(literal.group(1)), literal.group(2), file));
        }
        Matcher alone = CONSTANT_ALONE.matcher(text);
        while (alone.find()) {
            found.add(new Declaration(kind(alone.group(1)), resolve(constants, alone.group(2), file), file));
        }
        Matcher plusLiteral = CONSTANT_PLUS_LITERAL.matcher(text);
        while (plusLiteral.find()) {
            found.add(new Declaration(kind(plusLiteral.group(1)), resolve(constants, plusLiteral.group(2), file)
                + plusLiteral.group(3), file));
        }
        Matcher plusParameter = CONSTANT_PLUS_PARAMETER.matcher(text);
        while (plusParameter.find()) {
            String prefix = resolve(constants, plusParameter.group(2), file);
            String helper = enclosingMethodTaking(text, plusParameter.start(), plusParameter.group(3), file);
            Matcher call = Pattern.compile("\\b" + helper + "\\(\\s*\"([^\"]+)\"").matcher(text);
            int calls = 0;
            while (call.find()) {
                found.add(new Declaration(kind(plusParameter.group(1)), prefix + call.group(1), file));
                calls++;
            }
            if (calls == 0) {
                throw new AssertionError(file + ": helper " + helper + " builds meter names from a parameter but is "
                    + "never called with a literal name");
            }
        }
        return found;
    }

    private static String resolve(Map<String, String> constants, String name, Path file) {
        String value = constants.get(name);
        if (value == null) {
            throw new AssertionError(file + ": meter name prefix " + name + " is not a string constant of the file");
        }
        return value;
    }

    private static String enclosingMethodTaking(String text, int position, String parameter, Path file) {
        Matcher method = METHOD.matcher(text);
        String enclosing = null;
        while (method.find() && method.start() < position) {
            if (method.group(2).matches(".*\\bString\\s+" + parameter + "\\b.*")) {
                enclosing = method.group(1);
            }
        }
        if (enclosing == null) {
            throw new AssertionError(file + ": no method with a String parameter '" + parameter + "' around offset "
                + position);
        }
        return enclosing;
    }

    private static Kind kind(String type) {
        return switch (type) {
            case "Counter", "FunctionCounter" -> Kind.COUNTER;
            case "Timer", "FunctionTimer", "LongTaskTimer" -> Kind.TIMER;
            case "Gauge" -> Kind.GAUGE;
            default -> Kind.SUMMARY;
        };
    }

    /** Registers one meter per declaration (histograms on) and returns the series names of the scrape. */
    static java.util.Set<String> prometheusSeries(List<Declaration> declarations) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (Declaration declaration : declarations) {
            switch (declaration.kind()) {
                case COUNTER -> Counter.builder(declaration.name()).register(registry).increment();
                case TIMER -> Timer.builder(declaration.name()).publishPercentileHistogram().register(registry)
                    .record(java.time.Duration.ofMillis(5));
                case SUMMARY -> DistributionSummary.builder(declaration.name()).publishPercentileHistogram()
                    .register(registry).record(3);
                case GAUGE -> Gauge.builder(declaration.name(), () -> 1).register(registry);
            }
        }
        return seriesNames(registry.scrape());
    }

    /** Metric names of the samples in a Prometheus text exposition. */
    static java.util.Set<String> seriesNames(String exposition) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        exposition.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
            .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }
}
