package dev.faultline.web.security;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the suite's token-verification key is ({@code faultline.auth.public-key-file}). Services
 * only ever see the public half: they can check a token, never mint one.
 */
@ConfigurationProperties("faultline.auth")
public record AuthProperties(Path publicKeyFile) {}
