package io.rivet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small in-process fake of the GCS JSON API, enough for Beam's {@code gs://} file system (gcsio):
 * object metadata, listing, ranged downloads, resumable uploads (an object appears only when its
 * upload completes), and batched rewrite / delete. No GCS emulator runs on the build machine, so
 * the project keeps this one.
 */
final class FakeGcs implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern OBJECT = Pattern.compile("/b/([^/]+)/o/(.+)");
  private static final Pattern REWRITE =
      Pattern.compile("/b/([^/]+)/o/(.+)/(?:rewriteTo|copyTo)/b/([^/]+)/o/(.+)");

  private final HttpServer server;
  private final Map<String, TreeMap<String, byte[]>> buckets = new ConcurrentHashMap<>();
  private final Map<String, Long> generations = new ConcurrentHashMap<>();
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  private record Upload(String bucket, String name, ByteArrayOutputStream data) {}

  FakeGcs(String... bucketNames) throws IOException {
    for (String b : bucketNames) {
      buckets.put(b, new TreeMap<>());
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  synchronized List<String> names(String bucket) {
    return new ArrayList<>(buckets.get(bucket).keySet());
  }

  synchronized byte[] get(String bucket, String name) {
    return buckets.get(bucket).get(name);
  }

  /** Replaces an object's bytes behind the writer's back (a test's stand-in for another writer). */
  synchronized void put(String bucket, String name, byte[] data) {
    buckets.get(bucket).put(name, data);
    generations.merge(bucket + "/" + name, 2L, (a, b) -> a + 1);
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      route(ex);
    } catch (RuntimeException e) {
      send(
          ex,
          500,
          "application/json",
          ("{\"error\":{\"code\":500,\"message\":\"" + e + "\"}}")
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  private void route(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath().replaceFirst("^/storage/v1", "");
    Map<String, String> q = query(ex.getRequestURI().getRawQuery());
    if (path.startsWith("/batch")) {
      batch(ex);
    } else if (path.startsWith("/upload/")) {
      upload(ex, method, path.substring("/upload".length()), q);
    } else if (path.startsWith("/download/")) {
      download(ex, path.substring("/download".length()));
    } else {
      Matcher rw = REWRITE.matcher(path);
      if (method.equals("POST") && rw.matches()) {
        byte[] json =
            rewrite(
                decode(rw.group(1)), decode(rw.group(2)), decode(rw.group(3)), decode(rw.group(4)));
        send(ex, json == null ? 404 : 200, "application/json", json == null ? notFound() : json);
        return;
      }
      Matcher m = OBJECT.matcher(path);
      if (m.matches()) {
        String bucket = decode(m.group(1));
        String name = decode(m.group(2));
        if (method.equals("DELETE")) {
          boolean gone = delete(bucket, name);
          send(ex, gone ? 204 : 404, "application/json", gone ? new byte[0] : notFound());
        } else if ("media".equals(q.get("alt"))) {
          download(ex, path);
        } else {
          byte[] meta = metadata(bucket, name);
          send(ex, meta == null ? 404 : 200, "application/json", meta == null ? notFound() : meta);
        }
      } else if (path.matches("/b/[^/]+/o/?")) {
        list(ex, decode(path.split("/", -1)[2]), q);
      } else if (path.matches("/b/[^/]+/?")) {
        String b = decode(path.split("/", -1)[2]);
        send(
            ex,
            buckets.containsKey(b) ? 200 : 404,
            "application/json",
            buckets.containsKey(b)
                ? JSON.writeValueAsBytes(Map.of("kind", "storage#bucket", "name", b, "id", b))
                : notFound());
      } else {
        send(ex, 404, "application/json", notFound());
      }
    }
  }

  private synchronized byte[] metadata(String bucket, String name) throws IOException {
    TreeMap<String, byte[]> b = buckets.get(bucket);
    if (b == null || !b.containsKey(name)) {
      return null;
    }
    return JSON.writeValueAsBytes(object(bucket, name, b.get(name)));
  }

  private Map<String, Object> object(String bucket, String name, byte[] data) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("kind", "storage#object");
    o.put("id", bucket + "/" + name + "/" + generations.getOrDefault(bucket + "/" + name, 1L));
    o.put("bucket", bucket);
    o.put("name", name);
    o.put("size", Long.toString(data.length));
    o.put("generation", Long.toString(generations.getOrDefault(bucket + "/" + name, 1L)));
    o.put("metageneration", "1");
    o.put("contentType", "application/octet-stream");
    // As GCS does: the base64 MD5 of the whole object.
    try {
      o.put(
          "md5Hash",
          Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    o.put("updated", Instant.now().toString());
    o.put("timeCreated", Instant.now().toString());
    return o;
  }

  private void list(HttpExchange ex, String bucket, Map<String, String> q) throws IOException {
    TreeMap<String, byte[]> b = buckets.get(bucket);
    if (b == null) {
      send(ex, 404, "application/json", notFound());
      return;
    }
    String prefix = q.getOrDefault("prefix", "");
    String delimiter = q.get("delimiter");
    List<Object> items = new ArrayList<>();
    TreeSet<String> prefixes = new TreeSet<>();
    synchronized (this) {
      for (Map.Entry<String, byte[]> e : b.tailMap(prefix).entrySet()) {
        if (!e.getKey().startsWith(prefix)) {
          break;
        }
        String rest = e.getKey().substring(prefix.length());
        if (delimiter != null && rest.contains(delimiter)) {
          prefixes.add(prefix + rest.substring(0, rest.indexOf(delimiter) + delimiter.length()));
        } else {
          items.add(object(bucket, e.getKey(), e.getValue()));
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("kind", "storage#objects");
    out.put("items", items);
    out.put("prefixes", new ArrayList<>(prefixes));
    send(ex, 200, "application/json", JSON.writeValueAsBytes(out));
  }

  private void download(HttpExchange ex, String path) throws IOException {
    Matcher m = OBJECT.matcher(path);
    byte[] data = m.matches() ? get(decode(m.group(1)), decode(m.group(2))) : null;
    if (data == null) {
      send(ex, 404, "application/json", notFound());
      return;
    }
    String range = ex.getRequestHeaders().getFirst("Range");
    if (range != null && range.startsWith("bytes=")) {
      String[] r = range.substring(6).split("-", 2);
      int from = Integer.parseInt(r[0]);
      int to =
          r.length > 1 && !r[1].isEmpty()
              ? Math.min(Integer.parseInt(r[1]), data.length - 1)
              : data.length - 1;
      if (from >= data.length) {
        ex.getResponseHeaders().add("Content-Range", "bytes */" + data.length);
        send(ex, 416, "application/octet-stream", new byte[0]);
        return;
      }
      byte[] part = Arrays.copyOfRange(data, from, to + 1);
      ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + data.length);
      send(ex, 206, "application/octet-stream", part);
    } else {
      send(ex, 200, "application/octet-stream", data);
    }
  }

  private void upload(HttpExchange ex, String method, String path, Map<String, String> q)
      throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    if (method.equals("POST")) {
      String bucket = path.split("/", -1)[2];
      String name = q.get("name");
      if (name == null) {
        Map<?, ?> meta = body.length == 0 ? Map.of() : JSON.readValue(body, Map.class);
        name = (String) meta.get("name");
      }
      if ("multipart".equals(q.get("uploadType")) || "media".equals(q.get("uploadType"))) {
        throw new IllegalStateException("uploadType " + q.get("uploadType") + " is not faked");
      }
      String id = Long.toString(ids.incrementAndGet());
      uploads.put(id, new Upload(decode(bucket), name, new ByteArrayOutputStream()));
      ex.getResponseHeaders()
          .add(
              "Location",
              endpoint() + "/upload/b/" + bucket + "/o?uploadType=resumable&upload_id=" + id);
      send(ex, 200, "application/json", new byte[0]);
      return;
    }
    Upload u = uploads.get(q.get("upload_id"));
    if (u == null) {
      send(ex, 404, "application/json", notFound());
      return;
    }
    u.data().write(body);
    String cr = ex.getRequestHeaders().getFirst("Content-Range");
    String total =
        cr == null ? Integer.toString(u.data().size()) : cr.substring(cr.lastIndexOf('/') + 1);
    if (!total.equals("*") && Long.parseLong(total) == u.data().size()) {
      byte[] data = u.data().toByteArray();
      synchronized (this) {
        buckets.get(u.bucket()).put(u.name(), data);
        generations.merge(u.bucket() + "/" + u.name(), 1L, Long::sum);
      }
      uploads.remove(q.get("upload_id"));
      send(ex, 200, "application/json", JSON.writeValueAsBytes(object(u.bucket(), u.name(), data)));
    } else {
      if (u.data().size() > 0) {
        ex.getResponseHeaders().add("Range", "bytes=0-" + (u.data().size() - 1));
      }
      send(ex, 308, "text/plain", new byte[0]);
    }
  }

  private synchronized byte[] rewrite(String fromBucket, String from, String toBucket, String to)
      throws IOException {
    byte[] data = buckets.get(fromBucket).get(from);
    if (data == null) {
      return null;
    }
    buckets.get(toBucket).put(to, data);
    generations.merge(toBucket + "/" + to, 1L, Long::sum);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("kind", "storage#rewriteResponse");
    out.put("done", true);
    out.put("totalBytesRewritten", Long.toString(data.length));
    out.put("objectSize", Long.toString(data.length));
    out.put("resource", object(toBucket, to, data));
    return JSON.writeValueAsBytes(out);
  }

  private synchronized boolean delete(String bucket, String name) {
    return buckets.get(bucket) != null && buckets.get(bucket).remove(name) != null;
  }

  /** {@code multipart/mixed} batches of DELETE and rewrite requests, answered part by part. */
  private void batch(HttpExchange ex) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    String boundary = type.substring(type.indexOf("boundary=") + 9).replace("\"", "");
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    String outBoundary = "batch_rivet_fake";
    for (String part : body.split("--" + Pattern.quote(boundary), -1)) {
      int http = part.indexOf("\r\n\r\n");
      if (http < 0 || part.startsWith("--")) {
        continue;
      }
      String headers = part.substring(0, http);
      String contentId =
          headers
              .lines()
              .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-id:"))
              .map(l -> l.substring(11).trim())
              .findFirst()
              .orElse("<0>");
      String request = part.substring(http + 4).lines().findFirst().orElse("");
      String[] line = request.split(" ", -1);
      String p = URI.create(line[1]).getRawPath().replaceFirst("^/storage/v1", "");
      int status;
      byte[] json = new byte[0];
      Matcher rw = REWRITE.matcher(p);
      Matcher m = OBJECT.matcher(p);
      if (line[0].equals("POST") && rw.matches()) {
        json =
            rewrite(
                decode(rw.group(1)), decode(rw.group(2)), decode(rw.group(3)), decode(rw.group(4)));
        status = json == null ? 404 : 200;
        json = json == null ? notFound() : json;
      } else if (line[0].equals("DELETE") && m.matches()) {
        status = delete(decode(m.group(1)), decode(m.group(2))) ? 204 : 404;
        json = status == 404 ? notFound() : json;
      } else if (line[0].equals("GET") && m.matches()) {
        json = metadata(decode(m.group(1)), decode(m.group(2)));
        status = json == null ? 404 : 200;
        json = json == null ? notFound() : json;
      } else {
        status = 400;
      }
      out.append("--")
          .append(outBoundary)
          .append("\r\nContent-Type: application/http\r\nContent-ID: ")
          .append(contentId.replace("<", "<response-"))
          .append("\r\n\r\nHTTP/1.1 ")
          .append(status)
          .append(status == 200 ? " OK" : status == 204 ? " No Content" : " Error")
          .append("\r\nContent-Type: application/json")
          .append("\r\nContent-Length: ")
          .append(json.length)
          .append("\r\n\r\n")
          .append(new String(json, StandardCharsets.UTF_8))
          .append("\r\n");
    }
    out.append("--").append(outBoundary).append("--\r\n");
    send(
        ex,
        200,
        "multipart/mixed; boundary=" + outBoundary,
        out.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] notFound() {
    return "{\"error\":{\"code\":404,\"message\":\"Not Found\",\"errors\":[{\"reason\":\"notFound\"}]}}"
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    }
    ex.close();
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw != null) {
      for (String kv : raw.split("&", -1)) {
        int i = kv.indexOf('=');
        out.put(decode(i < 0 ? kv : kv.substring(0, i)), i < 0 ? "" : decode(kv.substring(i + 1)));
      }
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
