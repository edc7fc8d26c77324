package dev.recourse.api;

/**
 * A snapshot that cannot be loaded (truncated, corrupt, another format version, another policy type or
 * configuration), or a snapshot that could not be written. Nothing was loaded: the service is as before.
 */
public final class SnapshotException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public SnapshotException(String message) {
    super(message);
  }

  public SnapshotException(String message, Throwable cause) {
    super(message, cause);
  }
}
