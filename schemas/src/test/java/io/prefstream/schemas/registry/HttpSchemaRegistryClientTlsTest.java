package io.prefstream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.prefstream.schemas.registry.ConfluentShapedServer.Answer;

/** https registries: a self-signed server certificate, trusted through schema.registry.ssl.truststore.*. */
class HttpSchemaRegistryClientTlsTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    static Path serverKeystore;
    static Path truststore;

    @BeforeAll
    static void createCertificates() throws IOException, InterruptedException, GeneralSecurityException {
        serverKeystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
            "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
            "-keystore", serverKeystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
            .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("registry", load(serverKeystore).getCertificate("registry"));
        truststore = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(truststore)) {
            trust.store(out, PASSWORD.toCharArray());
        }
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static ConfluentShapedServer httpsServer() throws IOException, GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(serverKeystore), PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        return new ConfluentShapedServer(tls).answer("GET", "/subjects", new Answer(200, "[\"tls-value\"]"));
    }

    @Test
    void theConfiguredTruststoreIsUsedForHttps() throws Exception {
        try (ConfluentShapedServer server = httpsServer()) {
            HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(Map.of(
                SchemaRegistryClientConfig.URL, server.url(),
                SchemaRegistryClientConfig.TRUSTSTORE_LOCATION, truststore.toString(),
                SchemaRegistryClientConfig.TRUSTSTORE_PASSWORD, PASSWORD,
                SchemaRegistryClientConfig.TRUSTSTORE_TYPE, "PKCS12"));

            assertThat(server.url()).startsWith("https://");
            assertThat(client.getSubjects()).containsExactly("tls-value");
        }
    }

    @Test
    void withoutTheTruststoreTheSelfSignedRegistryIsRefused() throws Exception {
        try (ConfluentShapedServer server = httpsServer()) {
            HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(Map.of(
                SchemaRegistryClientConfig.URL, server.url(), SchemaRegistryClientConfig.MAX_RETRIES, 0));

            assertThatThrownBy(client::getSubjects).isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageContaining("SSLHandshakeException");
            assertThat(server.requests()).isEmpty();
        }
    }

    @Test
    void aMissingTruststoreIsAConfigurationError() {
        assertThatThrownBy(() -> new HttpSchemaRegistryClient(Map.of(SchemaRegistryClientConfig.URL, "https://x",
            SchemaRegistryClientConfig.TRUSTSTORE_LOCATION, dir.resolve("missing.p12").toString())))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining(SchemaRegistryClientConfig.TRUSTSTORE_LOCATION).hasMessageContaining("missing.p12");
    }
}
