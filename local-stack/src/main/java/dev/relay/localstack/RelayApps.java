package dev.relay.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Relay's apps as processes, each from its built jar with the common settings (those that point it at
 * a stack) plus its own, on a port it keeps across a kill and a restart, so clients and the other apps
 * find it again where it was. Logs go to {@code <logs>/<name>}, a restart's to
 * {@code <logs>/<name>-restart-<n>}. The one start-up of the apps that {@code ./relay up}, the
 * end-to-end tests and the benchmarks share.
 */
public final class RelayApps implements AutoCloseable {

    /**
     * One app: the name it goes by (unique; its log folder), the module whose jar runs it, its port (0
     * for a free one) and its own settings.
     */
    public record App(String name, String module, int port, Map<String, String> config) {

        public App {
            config = Map.copyOf(config);
        }

        /** The module's app on a free port, named after the module. */
        public static App of(String module) {
            return new App(module, module, 0, Map.of());
        }

        /** A websocket-edge node on a free port whose node id is its name. */
        public static App edge(String nodeId) {
            return new App(nodeId, "websocket-edge", 0, Map.of("relay.edge.node-id", nodeId));
        }

        public App withPort(int port) {
            return new App(name, module, port, config);
        }

        /** This app with {@code more} settings of its own added. */
        public App with(Map<String, String> more) {
            Map<String, String> merged = new LinkedHashMap<>(config);
            merged.putAll(more);
            return new App(name, module, port, merged);
        }
    }

    private final RelayHome home;
    private final Map<String, String> common;
    private final Path logs;
    private final List<String> jvmOptions;
    private final Map<String, App> apps = new LinkedHashMap<>();
    private final Map<String, AppProcess> running = new LinkedHashMap<>();
    private final Map<String, Integer> starts = new HashMap<>();

    private RelayApps(RelayHome home, Map<String, String> common, Path logs, List<String> jvmOptions) {
        this.home = home;
        this.common = Map.copyOf(common);
        this.logs = logs;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * Starts every app at once and returns without waiting ({@link #awaitReady}); stops what it started
     * if one cannot start.
     */
    public static RelayApps launch(RelayHome home, Map<String, String> common, List<App> apps, Path logs) {
        return launch(home, common, apps, logs, List.of("-Xmx512m"));
    }

    /** @param jvmOptions heap and GC options of every app, e.g. {@code -Xmx2g} */
    public static RelayApps launch(RelayHome home, Map<String, String> common, List<App> apps, Path logs,
                                   List<String> jvmOptions) {
        RelayApps started = new RelayApps(home, common, logs, jvmOptions);
        try {
            for (App app : apps) {
                App placed = app.port() == 0 ? app.withPort(FreePorts.next()) : app;
                if (started.apps.putIfAbsent(app.name(), placed) != null) {
                    throw new IllegalArgumentException("two apps named " + app.name());
                }
                started.start(placed);
            }
            return started;
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }

    /** Returns once every running app's {@code /q/health/ready} answers 200, telling {@code ready} of each in turn. */
    public void awaitReady(Duration timeout, Consumer<AppProcess> ready) {
        for (AppProcess app : running()) {
            app.awaitReady(timeout);
            ready.accept(app);
        }
    }

    /** The running process of the app named {@code name}. */
    public synchronized AppProcess get(String name) {
        AppProcess process = running.get(name);
        if (process == null) {
            throw new IllegalStateException(name + " is not running");
        }
        return process;
    }

    /** The app's port, whether it runs or not. */
    public int port(String name) {
        App app = apps.get(name);
        if (app == null) {
            throw new IllegalArgumentException("no app named " + name);
        }
        return app.port();
    }

    /** The running apps in start order. */
    public synchronized List<AppProcess> running() {
        return List.copyOf(running.values());
    }

    /** SIGKILL: the app dies as in a crash, with no shutdown hooks and nothing drained. */
    public synchronized void kill(String name) {
        AppProcess process = running.remove(name);
        if (process != null) {
            process.kill();
        }
    }

    /** SIGTERM: the app drains (an edge tells its clients when to reconnect) before it exits. */
    public synchronized void stop(String name) {
        AppProcess process = running.remove(name);
        if (process != null) {
            process.stop();
        }
    }

    /** Starts a stopped or killed app again on its port and returns at once: clients find it by reconnecting. */
    public synchronized AppProcess startAgain(String name) {
        if (running.containsKey(name)) {
            throw new IllegalStateException(name + " is running");
        }
        return start(apps.get(name));
    }

    /** Starts the app again on its port and returns once its readiness answers 200. */
    public void restart(String name, Duration timeout) {
        startAgain(name).awaitReady(timeout);
    }

    /** Stops every running app, the last started first. */
    @Override
    public synchronized void close() {
        running().reversed().forEach(AppProcess::stop);
        running.clear();
    }

    private AppProcess start(App app) {
        Map<String, String> config = new LinkedHashMap<>(common);
        config.putAll(app.config());
        int n = starts.merge(app.name(), 1, Integer::sum);
        Path logDir = logs.resolve(n == 1 ? app.name() : app.name() + "-restart-" + (n - 1));
        AppProcess process = AppProcess.start(home, app.module(), app.port(), config, logDir, jvmOptions);
        running.put(app.name(), process);
        return process;
    }
}
