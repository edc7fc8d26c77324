package dev.recourse.server;

/**
 * A request the server refuses: the HTTP status, a kind that metrics count by, the request field at
 * fault (null when the request as a whole is), the value found there (null when none), and a message.
 */
final class BadRequest extends RuntimeException {

  final int status;
  final String kind;
  final String field;
  final String value;

  BadRequest(int status, String kind, String field, String value, String message) {
    super(message, null, false, false); // a client's mistake: no stack trace to capture
    this.status = status;
    this.kind = kind;
    this.field = field;
    this.value = value;
  }
}
