package dev.faultline.web.limits;

import dev.faultline.web.problem.ProblemResponses;
import dev.faultline.web.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Holds every request body to a size: a declared {@code Content-Length} over the limit is refused
 * before a byte is read; any other body is counted as the handler reads it, and reading past the
 * limit throws {@link BodyTooLarge}, which the problem advice answers as a {@code 413} before
 * anything was bound or written.
 */
public final class BodyLimitFilter extends OncePerRequestFilter {
  private final long limit;
  private final ProblemResponses problems;

  public BodyLimitFilter(RequestLimits limits, ProblemResponses problems) {
    this.limit = limits.maxBodySize().toBytes();
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > limit) {
      BodyTooLarge refusal = new BodyTooLarge(limit);
      problems.write(response, Problems.of(refusal));
      return;
    }
    chain.doFilter(new Bounded(request, limit), response);
  }

  /** The request with its body stream counted against the limit. */
  private static final class Bounded extends HttpServletRequestWrapper {
    private final long limit;
    private @Nullable ServletInputStream stream;

    Bounded(HttpServletRequest request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      ServletInputStream counted = stream;
      if (counted == null) {
        counted = new Counted(super.getInputStream(), limit);
        stream = counted;
      }
      return counted;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
  }

  private static final class Counted extends ServletInputStream {
    private final ServletInputStream in;
    private final long limit;
    private long read;

    Counted(ServletInputStream in, long limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) {
      read += n;
      if (read > limit) {
        throw new BodyTooLarge(limit);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
