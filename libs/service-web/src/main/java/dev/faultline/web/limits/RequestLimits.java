package dev.faultline.web.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code faultline.web.max-body-size}: the largest request body a service reads (64 KB by default;
 * the largest order the API allows, 100 items, is under 10 KB). A larger one is a {@code 413}
 * problem, refused before it is parsed, so a client cannot make a service read and bind megabytes.
 */
@ConfigurationProperties("faultline.web")
public record RequestLimits(@DefaultValue("64KB") DataSize maxBodySize) {}
