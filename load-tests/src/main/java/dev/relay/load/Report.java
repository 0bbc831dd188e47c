package dev.relay.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** A markdown report, printed as it grows and written to {@code load-tests/reports/NAME-DATE.md}. */
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

    /** Writes NAME-DATE.md, or NAME-DATE-2.md, -3, … when a report of that day exists: none is overwritten. */
    Path write(Path home) {
        Path reports = home.resolve("load-tests/reports");
        String stem = name + "-" + LocalDate.now(ZoneOffset.UTC);
        Path file = reports.resolve(stem + ".md");
        for (int n = 2; Files.exists(file); n++) {
            file = reports.resolve(stem + "-" + n + ".md");
        }
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
