package dev.faultline.web.docs;

import dev.faultline.web.caller.Caller;
import dev.faultline.web.problem.IfMatch;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every service describes its API as OpenAPI 3.1 at {@code /v3/api-docs} (springdoc, from the
 * controllers themselves, so an endpoint cannot exist undescribed); the bad-input probes of each
 * service's tests are driven from it, and the gateway gathers the four at {@code
 * /api-docs/<service>} for its Swagger UI.
 *
 * <p>The server is named relatively ({@code /}: where the document was fetched from), so a call
 * tried from the gateway's UI goes through the gateway, and one from a service's own document to
 * that service. Every operation also describes its refusals: a 4xx or 5xx answer is always an RFC
 * 9457 problem, which is what clients branch on.
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocumentation {
  static {
    // The caller comes from the verified token, not from the request: not a parameter.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    // If-Match is bound parsed, but on the wire it is a header string.
    SpringDocUtils.getConfig().replaceWithClass(IfMatch.class, String.class);
  }

  private static final String PROBLEM = "application/problem+json";

  @Bean
  OpenAPI serviceApi(@Value("${spring.application.name}") String name) {
    return new OpenAPI()
        .servers(
            List.of(
                new Server()
                    .url("/")
                    .description("where this document was served from: the gateway or a service")))
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
                        .bearerFormat("JWT"))
                .addSchemas("Problem", problemSchema()))
        .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }

  /** Every operation's refusals and failures: problem details, whatever the status. */
  @Bean
  OpenApiCustomizer documentedProblems() {
    return api ->
        api.getPaths()
            .values()
            .forEach(
                path ->
                    path.readOperations()
                        .forEach(
                            operation -> {
                              ApiResponses responses = operation.getResponses();
                              responses.addApiResponse(
                                  "4XX",
                                  problem(
                                      "refused: bad input, no or a wrong token, not found, a"
                                          + " conflict; nothing changed"));
                              responses.addApiResponse(
                                  "5XX",
                                  problem(
                                      "not done now (a dependency is down, the outcome is"
                                          + " unknown): retry the same request, with the same"
                                          + " Idempotency-Key where it takes one"));
                            }));
  }

  private static ApiResponse problem(String description) {
    return new ApiResponse()
        .description(description)
        .content(
            new Content()
                .addMediaType(
                    PROBLEM,
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
  }

  /** RFC 9457's members, and room for the extensions a kind of problem adds. */
  private static Schema<?> problemSchema() {
    return new ObjectSchema()
        .description("RFC 9457 problem details; type is urn:faultline:problem:<kind>")
        .addProperty("type", new StringSchema().format("uri-reference"))
        .addProperty("title", new StringSchema())
        .addProperty("status", new IntegerSchema())
        .addProperty("detail", new StringSchema())
        .addProperty("instance", new StringSchema().format("uri-reference"))
        .additionalProperties(true);
  }
}
