package dev.faultline.web.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Boot's error page: errors that escape Spring MVC (a filter's exception, a container
 * error) are problem details too, never an HTML page or Boot's own JSON shape.
 */
@RestController
public class ProblemErrorController implements ErrorController {
  private final ProblemResponses responses;

  public ProblemErrorController(ProblemResponses responses) {
    this.responses = responses;
  }

  @RequestMapping("${server.error.path:/error}")
  void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status =
        code instanceof Integer i && HttpStatus.resolve(i) != null
            ? HttpStatus.valueOf(i)
            : HttpStatus.INTERNAL_SERVER_ERROR;
    String detail =
        status.is5xxServerError()
            ? "The server failed to handle the request; quote the traceId when reporting it."
            : status.getReasonPhrase();
    responses.write(
        response,
        Problems.of(status, Problems.slugFor(status.value()), status.getReasonPhrase(), detail));
  }
}
