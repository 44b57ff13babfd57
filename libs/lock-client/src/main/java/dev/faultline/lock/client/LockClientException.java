package dev.faultline.lock.client;

/** The lock service could not be reached or answered something unexpected. */
public class LockClientException extends RuntimeException {
  public LockClientException(String message, Throwable cause) {
    super(message, cause);
  }

  public LockClientException(String message) {
    super(message);
  }
}
