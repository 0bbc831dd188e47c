package dev.relay.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** A markdown report, printed as it grows and written to {@code load-tests/reports/NAME.md} (the latest run; earlier ones are in git). */
final class Report {

    private final String name;
    private final StringBuilder text = new StringBuilder();

    Report(String name, String title) {
        this.name = name;
        line("# " + title);
        line("");
        line("- date: " + LocalDate.now(ZoneOffset.UTC));
        line("- machine: " + Machine.current().describe());
    }

    Report line(String line) {
        System.out.println(line);
        text.append(line).append('\n');
        return this;
    }

    /** Writes NAME.md, replacing the previous run's report of that benchmark. */
    Path write(Path home) {
        Path reports = home.resolve("load-tests/reports");
        Path file = reports.resolve(name + ".md");
        try {
            Files.createDirectories(reports);
            Files.writeString(file, text);
            System.out.println("report written to " + file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
