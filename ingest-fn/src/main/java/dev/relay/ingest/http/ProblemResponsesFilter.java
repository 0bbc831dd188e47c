package dev.relay.ingest.http;

import dev.relay.contract.problem.ProblemType;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/** Every 4xx/5xx of the document is an RFC 9457 problem (API.md "Errors"); says so once for all operations. */
public class ProblemResponsesFilter implements OASFilter {

    @Override
    public Operation filterOperation(Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses != null && responses.getAPIResponses() != null) {
            responses.getAPIResponses().forEach((status, response) -> {
                if (status.startsWith("4") || status.startsWith("5")) {
                    describeProblem(response);
                }
            });
        }
        return operation;
    }

    private static void describeProblem(APIResponse response) {
        response.setContent(OASFactory.createContent().addMediaType(ProblemType.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema()
                        .addType(SchemaType.OBJECT)
                        .addProperty("type", typed(SchemaType.STRING)
                                .description("URI ending in the slug, e.g. " + ProblemType.TYPE_BASE + "rate-limited"))
                        .addProperty("title", typed(SchemaType.STRING))
                        .addProperty("status", typed(SchemaType.INTEGER))
                        .addProperty("detail", typed(SchemaType.STRING))
                        .addProperty("instance", typed(SchemaType.STRING)))));
    }

    private static Schema typed(SchemaType type) {
        return OASFactory.createSchema().addType(type);
    }
}
