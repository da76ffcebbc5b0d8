// Readiness probe for kafka-local.sh: asks a Kafka broker for its cluster and topics with the
// broker's own Admin client (same classpath as the broker, so no node packages are needed).
//
//   java -cp "<lib>/*" Ready.java <bootstrap> [--wait SECONDS] [--pid PID]
//
// Prints one line "clusterId=<id> nodes=<n> controller=<id> topics=<n>" and exits 0 when the
// broker answers. Without --wait it makes a single attempt. With --wait it retries until the
// deadline; with --pid it gives up as soon as that process has died.
// Exit codes: 0 ready, 1 not ready / timed out, 2 usage, 3 the --pid process died.

import java.time.Duration;
import java.util.Collection;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.Node;

public class Ready {
    public static void main(String[] args) throws Exception {
        String bootstrap = null;
        long waitSeconds = 0;
        long pid = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--wait" -> waitSeconds = Long.parseLong(args[++i]);
                case "--pid" -> pid = Long.parseLong(args[++i]);
                default -> {
                    if (bootstrap != null || args[i].startsWith("-")) usage();
                    bootstrap = args[i];
                }
            }
        }
        if (bootstrap == null) usage();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        String lastError = "no attempt made";
        while (true) {
            if (pid > 0 && ProcessHandle.of(pid).map(ph -> !ph.isAlive()).orElse(true)) {
                System.err.println("process " + pid + " exited");
                System.exit(3);
            }
            // Each attempt is bounded by the time left (at least 1 s, at most 4 s).
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            int attemptMs = (int) Math.max(1000, Math.min(4000, leftMs));
            try {
                System.out.println(probe(bootstrap, attemptMs));
                System.exit(0);
            } catch (Exception e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                lastError = cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            }
            if (System.nanoTime() >= deadline) break;
            Thread.sleep(500);
        }
        System.err.println("not ready at " + bootstrap + ": " + lastError);
        System.exit(1);
    }

    private static String probe(String bootstrap, int timeoutMs) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-local-ready");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs));
        p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, "1000");
        p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, "2000");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "100");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        p.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "100");
        Admin admin = Admin.create(p);
        try {
            DescribeClusterResult cluster = admin.describeCluster();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            Collection<Node> nodes = cluster.nodes().get(left(end), TimeUnit.NANOSECONDS);
            if (nodes.isEmpty()) throw new IllegalStateException("cluster has no nodes yet");
            String clusterId = cluster.clusterId().get(left(end), TimeUnit.NANOSECONDS);
            Node controller = cluster.controller().get(left(end), TimeUnit.NANOSECONDS);
            int topics = admin.listTopics(new ListTopicsOptions().timeoutMs((int) Math.max(1, left(end) / 1_000_000)))
                    .names().get(left(end), TimeUnit.NANOSECONDS).size();
            return "clusterId=" + clusterId + " nodes=" + nodes.size()
                    + " controller=" + (controller == null ? "none" : controller.idString())
                    + " topics=" + topics;
        } finally {
            admin.close(Duration.ofMillis(500));
        }
    }

    private static long left(long endNanos) {
        return Math.max(1, endNanos - System.nanoTime());
    }

    private static void usage() {
        System.err.println("usage: Ready <bootstrap> [--wait SECONDS] [--pid PID]");
        System.exit(2);
    }
}
