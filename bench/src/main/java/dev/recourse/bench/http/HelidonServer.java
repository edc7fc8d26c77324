package dev.recourse.bench.http;

import dev.recourse.server.Endpoints;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.InputStream;

/** The server module's {@link Endpoints} on Helidon SE's web server (virtual threads), for the load comparison. */
final class HelidonServer implements AutoCloseable {

  private final WebServer server;

  HelidonServer(Endpoints endpoints) {
    this.server = WebServer.builder()
        .host("127.0.0.1")
        .port(0)
        .routing(r -> r.any((req, res) -> endpoints.handle(new HelidonExchange(req, res))))
        .build()
        .start();
  }

  int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.stop();
  }

  private record HelidonExchange(ServerRequest req, ServerResponse res) implements Endpoints.Exchange {
    @Override
    public String method() {
      return req.prologue().method().text();
    }

    @Override
    public String rawPath() {
      return req.path().rawPath();
    }

    @Override
    public String requestHeader(String name) {
      return req.headers().first(HeaderNames.create(name)).orElse(null);
    }

    @Override
    public InputStream requestBody() {
      return req.content().inputStream();
    }

    @Override
    public void responseHeader(String name, String value) {
      res.header(HeaderNames.create(name), value);
    }

    @Override
    public void respond(int status, String contentType, byte[] body) {
      res.status(Status.create(status));
      res.header(HeaderNames.CONTENT_TYPE, contentType);
      res.send(body);
    }
  }
}
