package org.lakecdp.core;

import java.util.Collection;

/**
 * The one unchecked root of every failure the CDP reports on purpose.
 *
 * <p>Messages are one line and say what went wrong, where, and with which value, so an
 * operator can act on them without a stack trace. Build them through the static factories
 * below rather than by hand, so the wording stays uniform.
 */
public class CdpException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CdpException(String message) {
    super(message);
  }

  public CdpException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A configuration value that is present but wrong: {@code cdp.x must be ...: value}. */
  public static CdpException badConfig(String key, String expectation, Object value) {
    return new CdpException(key + " " + expectation + ": " + render(value));
  }

  /** A configuration key the CDP does not know, with the closest known key when there is one. */
  public static CdpException unknownConfigKey(String key, String suggestion) {
    String hint = suggestion == null ? "" : " (did you mean " + suggestion + "?)";
    return new CdpException("unknown configuration key " + key + hint);
  }

  /** A problem with one declared source: {@code source 'pos': ...}. */
  public static CdpException source(String source, String what) {
    return new CdpException("source '" + source + "': " + what);
  }

  /** A problem with one declared source, keeping the underlying cause. */
  public static CdpException source(String source, String what, Throwable cause) {
    return new CdpException("source '" + source + "': " + what, cause);
  }

  /** A value outside a closed vocabulary, naming the allowed values. */
  public static CdpException notOneOf(String where, Object value, Collection<?> allowed) {
    return new CdpException(where + " must be one of " + allowed + ": " + render(value));
  }

  private static String render(Object value) {
    return value instanceof String ? "'" + value + "'" : String.valueOf(value);
  }
}
