package dev.relay.ingest.kafka;

import dev.relay.ingest.config.RepairTriggerConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Pauses {@link RepairSweep}'s in-process schedule when the sweep is triggered from outside
 * ({@link RepairTriggerConfig#triggered()}): then only {@link RepairSweepResource} runs sweeps.
 */
@ApplicationScoped
class RepairSchedule {

    private static final Logger LOG = Logger.getLogger(RepairSchedule.class);
    private static final String SWEEP_METHOD = RepairSweep.class.getName() + "#run";

    void onStart(@Observes StartupEvent started, Scheduler scheduler, RepairTriggerConfig trigger) {
        if (!trigger.triggered()) {
            return;
        }
        for (Trigger job : scheduler.getScheduledJobs()) {
            if (SWEEP_METHOD.equals(job.getMethodDescription())) {
                scheduler.pause(job.getId());
                LOG.infof("repair sweep schedule paused: sweeps run on POST /internal/repair-sweep");
            }
        }
    }
}
