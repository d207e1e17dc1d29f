package io.prefstream.schemas;

import org.apache.avro.Conversion;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Makes Avro trust PrefStream's generated classes.
 *
 * <p>Since 1.11.4 Avro refuses to load a class by name while reading data unless it is trusted
 * ({@link ClassSecurityValidator}); by default only a few {@code java.lang}/{@code java.math} classes
 * are, so reading any generated record fails with a {@code SecurityException}. The alternative, the
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES} system property, is read once when Avro's classes load
 * and would have to be set on every JVM command line. Instead {@link #install()} adds a predicate that
 * trusts exactly the generated records and enums of {@value #PACKAGE} to Avro's global validator,
 * keeping whatever was trusted before.
 *
 * <p>It runs by itself: every generated class creates its {@code SpecificData} model when it loads, and
 * every Avro data model loads the {@link Conversion} services on the class path
 * ({@code META-INF/services/org.apache.avro.Conversion}). {@link Installer} is such a service; creating
 * it installs the trust. So reading PrefStream records works out of the box, through the serdes or any
 * plain {@code SpecificDatumReader}. The serdes also call {@link #install()} directly.
 */
public final class AvroTrust {
    /** The package of the generated records. */
    public static final String PACKAGE = "io.prefstream.schemas";

    private static final ClassSecurityPredicate GENERATED_CLASSES = AvroTrust::isGenerated;
    private static boolean installed;

    private AvroTrust() {
    }

    /** Trusts the generated classes of {@value #PACKAGE}; idempotent and thread-safe. */
    public static synchronized void install() {
        if (!installed) {
            ClassSecurityValidator.setGlobal(
                ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), GENERATED_CLASSES));
            installed = true;
        }
    }

    /**
     * A {@link Conversion} service whose only job is to call {@link #install()} when Avro loads it. It
     * converts no logical type used anywhere, so registering it changes no data.
     */
    public static final class Installer extends Conversion<Installer> {
        /** The logical type it claims; no schema uses it. */
        public static final String LOGICAL_TYPE_NAME = "io.prefstream.trust-installer";

        public Installer() {
            install();
        }

        @Override
        public Class<Installer> getConvertedType() {
            return Installer.class;
        }

        @Override
        public String getLogicalTypeName() {
            return LOGICAL_TYPE_NAME;
        }
    }

    /** Only generated code: records and enums directly in {@value #PACKAGE}, nothing else on the class path. */
    static boolean isGenerated(Class<?> type) {
        return PACKAGE.equals(type.getPackageName())
            && (SpecificRecord.class.isAssignableFrom(type) || type.isEnum());
    }
}
