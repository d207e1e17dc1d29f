package io.prefstream.inference.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.inference.reference.ReferenceInferenceServer;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.inference.reward.Conversation;
import io.prefstream.inference.reward.RewardModel;

/** TLS with a private CA and an auth header, against a reference server that requires both. */
class TransportSecurityTest {
    private static Path resource(String name) throws URISyntaxException {
        return Path.of(TransportSecurityTest.class.getResource("/tls/" + name).toURI());
    }

    @Test
    void tlsAndAuthHeaderAreUsedAndEnforced() throws Exception {
        // server.pem is a self-signed certificate for localhost / 127.0.0.1, valid until 2126.
        ReferenceServerSettings settings = ReferenceServerSettings.defaults()
            .withTls(new ReferenceServerSettings.Tls(resource("server.pem"), resource("server.key")))
            .withRequiredHeaders(Map.of("authorization", "Bearer s3cret"));
        try (ReferenceInferenceServer server = ReferenceInferenceServer.start(settings)) {
            String endpoint = "localhost:" + server.port();

            Map<String, Object> secure = Clients.settings(endpoint);
            secure.put(InferenceConfig.TLS_ENABLED, true);
            secure.put(InferenceConfig.TLS_TRUST_CERTIFICATES, resource("server.pem").toString());
            secure.put(InferenceConfig.HEADERS, "Authorization=Bearer s3cret");
            try (InferenceClient client = Clients.client(secure, new SimpleMeterRegistry())) {
                float reward = RewardModel.open(client, client.config().bestRewardModel())
                    .score(Conversation.of("hi", "Hello! How can I help?")).get(10, TimeUnit.SECONDS);
                assertThat(reward).isFinite();
            }

            Map<String, Object> noHeader = Clients.settings(endpoint);
            noHeader.put(InferenceConfig.TLS_ENABLED, true);
            noHeader.put(InferenceConfig.TLS_TRUST_CERTIFICATES, resource("server.pem").toString());
            try (InferenceClient client = Clients.client(noHeader, new SimpleMeterRegistry())) {
                assertThatThrownBy(() -> RewardModel.open(client, client.config().bestRewardModel()))
                    .isInstanceOf(InferenceException.class).hasMessageContaining("UNAUTHENTICATED")
                    .hasMessageContaining("authorization");
            }

            try (InferenceClient plaintext = Clients.client(Clients.settings(endpoint), new SimpleMeterRegistry())) {
                assertThatThrownBy(() -> RewardModel.open(plaintext, plaintext.config().bestRewardModel()))
                    .isInstanceOf(InferenceException.class).hasMessageContaining("UNAVAILABLE");
            }
        }
    }
}
