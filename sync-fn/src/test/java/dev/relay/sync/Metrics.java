package dev.relay.sync;

import static io.restassured.RestAssured.given;

/** Reads one sample of the app's Prometheus endpoint; 0 when the series has not been written yet. */
public final class Metrics {

    private Metrics() {
    }

    public static double sample(String series) {
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ") || line.startsWith(series + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
