package dev.faultline.web.problem;

import dev.faultline.problem.ProblemTypes;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's own error report, for what it refuses before Spring sees the request (a path with an
 * encoded NUL or invalid UTF-8, a malformed request line or header): a problem like every other
 * answer of the suite, instead of Tomcat's HTML page. Errors that reach Spring are rendered by
 * {@link ProblemErrorController} and have content by the time this runs, so it leaves them alone.
 */
public final class ProblemReportValve extends ErrorReportValve {
  private static final Logger log = LoggerFactory.getLogger(ProblemReportValve.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    HttpStatus known = HttpStatus.resolve(status);
    String title = known == null ? "HTTP " + status : known.getReasonPhrase();
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", ProblemTypes.of(ProblemTypes.slugFor(status)).toString());
    problem.put("title", title);
    problem.put("status", status);
    problem.put(
        "detail",
        status >= 500
            ? "The server failed to handle the request."
            : "The request is malformed: the server refused it before reading it.");
    // Refused before the tracing filter ran: a fresh ID still ties this answer to its log line.
    String traceId = UUID.randomUUID().toString().replace("-", "");
    problem.put("traceId", traceId);
    log.info("Tomcat refused a request with {}, traceId {}", status, traceId);
    try {
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      response.setCharacterEncoding(StandardCharsets.UTF_8.name());
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(JSON.writeValueAsString(problem));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // The client is gone or the response is committed: nothing left to tell it.
    }
  }
}
