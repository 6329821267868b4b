package org.lakecdp.jobs;

/** Bad command-line usage: reported on one line with a pointer to --help, exit code 2. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
