package dev.relay.edge.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.relay.contract.frame.ClientFrame;
import dev.relay.contract.frame.EdgeCommand;
import dev.relay.contract.frame.ServerFrame;
import jakarta.enterprise.context.ApplicationScoped;

/** JSON of the stream's frames and of edge commands, with the app's Jackson settings. */
@ApplicationScoped
public class FrameJson {

    private final ObjectWriter serverFrames;
    private final ObjectWriter commands;
    private final ObjectReader clientFrames;
    private final ObjectReader commandReader;

    public FrameJson(ObjectMapper mapper) {
        this.serverFrames = mapper.writerFor(ServerFrame.class);
        this.commands = mapper.writerFor(EdgeCommand.class);
        this.clientFrames = mapper.readerFor(ClientFrame.class);
        this.commandReader = mapper.readerFor(EdgeCommand.class);
    }

    public String write(ServerFrame frame) {
        try {
            return serverFrames.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("server frames always serialize", e);
        }
    }

    public String write(EdgeCommand command) {
        try {
            return commands.writeValueAsString(command);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("edge commands always serialize", e);
        }
    }

    /** @throws JsonProcessingException when the text is not a known client frame */
    public ClientFrame readClientFrame(String text) throws JsonProcessingException {
        return clientFrames.readValue(text);
    }

    /** @throws JsonProcessingException when the text is not an edge command */
    public EdgeCommand readCommand(String text) throws JsonProcessingException {
        return commandReader.readValue(text);
    }
}
