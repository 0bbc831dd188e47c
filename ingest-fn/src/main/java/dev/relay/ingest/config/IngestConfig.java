package dev.relay.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of the send path; see API.md "Errors". */
@ConfigMapping(prefix = "relay.ingest")
public interface IngestConfig {

    /** Largest {@code body} accepted, in UTF-8 bytes (413 above). */
    @WithDefault("65536")
    int maxBodyBytes();
}
