package org.innograph.neo4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Starts an embedded Neo4j Community DBMS with the Bolt connector on one loopback address and
 * keeps it running until the JVM is told to stop (SIGTERM / SIGINT run the shutdown hook, which
 * shuts the DBMS down cleanly).
 *
 * <pre>
 * java -jar launcher.jar [PORT] [HOME_DIR]
 * </pre>
 *
 * Environment:
 * <ul>
 *   <li>NEO4J_BOLT_PORT (default 7687) and NEO4J_HOME_DIR, used when the arguments are absent;</li>
 *   <li>NEO4J_BOLT_HOST (default 127.0.0.1);</li>
 *   <li>NEO4J_PASSWORD (default "innograph-test"): the password of user neo4j, set at every start;
 *       NEO4J_AUTH=none disables authentication instead;</li>
 *   <li>NEO4J_PAGECACHE (default 256m), the page cache size;</li>
 *   <li>NEO4J_EXTRA_CONF: more settings, "key=value" pairs separated by ';' or newlines.</li>
 * </ul>
 *
 * Prints {@code READY bolt://HOST:PORT} on stdout once the default database is available, the
 * password is set and the Bolt port accepts TCP connections. Exits 1 if it cannot start.
 */
public final class Launcher {

    private static final String DEFAULT_PASSWORD = "innograph-test";

    private Launcher() {}

    public static void main(String[] args) {
        int port = Integer.parseInt(arg(args, 0, "NEO4J_BOLT_PORT", "7687"));
        String host = env("NEO4J_BOLT_HOST", "127.0.0.1");
        String homeArg = arg(args, 1, "NEO4J_HOME_DIR", null);
        boolean auth = !"none".equalsIgnoreCase(env("NEO4J_AUTH", ""));
        String password = env("NEO4J_PASSWORD", DEFAULT_PASSWORD);
        String pageCache = env("NEO4J_PAGECACHE", "256m");

        DatabaseManagementService[] holder = new DatabaseManagementService[1];
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            DatabaseManagementService service;
            synchronized (holder) {
                service = holder[0];
                holder[0] = null;
            }
            if (service != null) {
                log("shutting down");
                try {
                    service.shutdown();
                } catch (RuntimeException e) {
                    log("shutdown failed: " + e);
                }
                System.out.println("STOPPED");
                System.out.flush();
            }
            stopped.countDown();
        }, "neo4j-launcher-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        try {
            Path home = homeArg != null
                    ? Path.of(homeArg).toAbsolutePath()
                    : Files.createTempDirectory("innograph-neo4j-");
            Files.createDirectories(home);

            Map<String, String> raw = new LinkedHashMap<>();
            raw.put(GraphDatabaseSettings.pagecache_memory.name(), pageCache);
            // No usage reports or update checks from a closed network.
            raw.put("dbms.usage_report.enabled", "false");
            // A test server: stop in about a second instead of ~10 s of Netty quiet periods.
            raw.put("internal.dbms.bolt.netty_server_shutdown_quiet_period", "0");
            raw.put("internal.dbms.bolt.netty_server_shutdown_timeout", "2s");
            raw.put("internal.server.bolt.connection_shutdown_wait_time", "1s");
            raw.put("internal.server.bolt.thread_pool_shutdown_wait_time", "1s");
            raw.putAll(parseExtra(env("NEO4J_EXTRA_CONF", "")));

            long t0 = System.nanoTime();
            DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                    .loadPropertiesFromFile(writeConf(home, raw))
                    .build();
            synchronized (holder) {
                holder[0] = service;
            }
            log(String.format("DBMS built after %.1f s", (System.nanoTime() - t0) / 1e9));

            GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            if (!db.isAvailable(TimeUnit.MINUTES.toMillis(2))) {
                throw new IllegalStateException("default database not available after 2 minutes");
            }
            log(String.format("default database available after %.1f s", (System.nanoTime() - t0) / 1e9));
            if (auth) {
                // Embedded transactions run with full rights, so the fixed password is set here at
                // every start (a data directory reused with another NEO4J_PASSWORD still works).
                // A restart on the same data directory with the same password is refused by Neo4j
                // ("Old password and new password cannot be the same"): the password is already
                // the wanted one, so that refusal is not a failure to start.
                try {
                    service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                            "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                            Map.of("password", password));
                } catch (org.neo4j.graphdb.QueryExecutionException e) {
                    if (e.getMessage() == null || !e.getMessage().contains("Old password and new password cannot be the same")) {
                        throw e;
                    }
                    log("the password of user neo4j is already the configured one");
                }
            }
            waitForPort(host, port, Duration.ofSeconds(60));

            log(String.format("started in %.1f s, home %s, auth %s", (System.nanoTime() - t0) / 1e9, home,
                    auth ? "enabled (user neo4j)" : "disabled"));
            System.out.println("READY bolt://" + hostForUri(host) + ":" + port);
            System.out.flush();
        } catch (Throwable e) {
            log("failed to start: " + e);
            e.printStackTrace(System.err);
            System.exit(1); // the hook shuts down whatever did start
        }

        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitForPort(String host, int port, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("Bolt port " + host + ":" + port + " does not accept connections", e);
                }
                Thread.sleep(100);
            }
        }
    }

    /** The settings given as text, written where the builder can load them (it takes no raw map). */
    private static Path writeConf(Path home, Map<String, String> settings) throws IOException {
        Path conf = home.resolve("conf").resolve("launcher.conf");
        Files.createDirectories(conf.getParent());
        StringBuilder text = new StringBuilder("# written by the innograph Neo4j launcher at every start\n");
        settings.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Files.writeString(conf, text.toString());
        return conf;
    }

    private static Map<String, String> parseExtra(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : text.split("[;\n]")) {
            String trimmed = item.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("NEO4J_EXTRA_CONF: not key=value: " + trimmed);
            }
            out.put(trimmed.substring(0, eq).trim(), trimmed.substring(eq + 1).trim());
        }
        return out;
    }

    private static String hostForUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String arg(String[] args, int index, String envName, String fallback) {
        if (args.length > index && !args[index].isBlank()) {
            return args[index];
        }
        return env(envName, fallback);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void log(String message) {
        System.err.println("[innograph-neo4j] " + message);
        System.err.flush();
    }
}
