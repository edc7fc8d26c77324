package dev.recourse.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Time limits of the JDK's HTTP server. It has no API for them, only system properties, read once
 * when its configuration class initialises (the first {@code HttpServer.create} in the JVM), in
 * seconds:
 *
 * <ul>
 *   <li>{@code sun.net.httpserver.maxReqTime}: the longest a request may take to arrive, headers and
 *       body; a connection still receiving one after that is closed without an answer. The JDK's
 *       default is no limit, so a client that sends a body shorter than its Content-Length (or stops
 *       mid-headers) holds a connection and a thread forever. Here: 30 s.
 *   <li>{@code sun.net.httpserver.idleInterval}: how long a keep-alive connection may sit idle between
 *       requests (also the longest a new connection may wait for its first byte). 30 s, the JDK's own
 *       default, set explicitly.
 *   <li>{@code sun.net.httpserver.maxRspTime}: the longest from a request's last byte to its response's
 *       last byte. Left unlimited: that time is the server's own work (a LIBRA decision waits for its
 *       advisor, which may retry for longer than any fixed limit), and the small responses fit the
 *       socket's buffer, so a client that does not read cannot stall one.
 * </ul>
 *
 * A property the user set ({@code -D...}, e.g. through {@code RECOURSE_JAVA_OPTS}) is left as it is.
 */
final class HttpLimits {

  static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";
  static final String IDLE_INTERVAL = "sun.net.httpserver.idleInterval";
  static final String MAX_RSP_TIME = "sun.net.httpserver.maxRspTime";

  /** The defaults set, in seconds. */
  static final Map<String, String> DEFAULTS;

  static {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(MAX_REQ_TIME, "30");
    d.put(IDLE_INTERVAL, "30");
    DEFAULTS = java.util.Collections.unmodifiableMap(d);
  }

  private HttpLimits() {}

  /**
   * Sets in {@code properties} each default that is not set there, and returns the names it set. Only
   * takes effect on the JDK's server if done before its first use in the JVM.
   */
  static List<String> applyDefaults(Properties properties) {
    List<String> set = new ArrayList<>();
    synchronized (properties) {
      for (Map.Entry<String, String> e : DEFAULTS.entrySet()) {
        if (properties.getProperty(e.getKey()) == null) {
          properties.setProperty(e.getKey(), e.getValue());
          set.add(e.getKey());
        }
      }
    }
    return set;
  }

  /**
   * The request time limit in force in {@code properties} as the JDK reads it ({@code Long.getLong}: not
   * a number or at most 0 is no limit): {@code "30 s"} or {@code "no limit"}.
   */
  static String requestLimit(Properties properties) {
    String v = properties.getProperty(MAX_REQ_TIME);
    try {
      long s = v == null ? -1 : Long.parseLong(v.strip());
      return s > 0 ? s + " s" : "no limit";
    } catch (NumberFormatException e) {
      return "no limit";
    }
  }
}
