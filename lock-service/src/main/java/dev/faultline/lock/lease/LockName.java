package dev.faultline.lock.lease;

import java.util.regex.Pattern;

/** A lock's name: also a ZooKeeper path segment, so only a safe alphabet is allowed. */
public record LockName(String value) {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  public LockName {
    if (!VALID.matcher(value).matches() || value.equals(".") || value.equals("..")) {
      throw new InvalidLockNameException(value);
    }
  }
}
