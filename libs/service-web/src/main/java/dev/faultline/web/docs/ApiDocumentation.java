package dev.faultline.web.docs;

import dev.faultline.web.caller.Caller;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every service describes its API as OpenAPI 3.1 at {@code /v3/api-docs} (springdoc, from the
 * controllers themselves, so an endpoint cannot exist undescribed); the bad-input probes of each
 * service's tests are driven from it.
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocumentation {
  static {
    // The caller comes from the verified token, not from the request: not a parameter.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
  }

  @Bean
  OpenAPI serviceApi(@Value("${spring.application.name}") String name) {
    return new OpenAPI()
        .info(
            new Info()
                .title(name)
                .version("v1")
                .description(
                    "Errors are RFC 9457 problem details (application/problem+json) with a type"
                        + " urn:faultline:problem:<kind>."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "bearer",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("JWT")))
        .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }
}
