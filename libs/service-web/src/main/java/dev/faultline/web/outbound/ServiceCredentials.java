package dev.faultline.web.outbound;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What a service calls the others with ({@code faultline.service.*}, secrets, so from the
 * environment or a config tree, never a command line): {@code signing-key}, the private half of the
 * service's own key pair in PEM form, from which it mints short-lived tokens naming itself; or
 * {@code token}, a fixed bearer token an operator hands it instead (its rights and life are the
 * token's).
 */
@ConfigurationProperties("faultline.service")
public record ServiceCredentials(@Nullable String token, @Nullable String signingKey) {}
