package dev.relay.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * An RS256 key pair made on this machine for the local run and tests, so no signing key is ever
 * committed. The apps verify with the public key; ingest-fn signs dev tokens with the private one.
 */
public record DevKeys(Path publicKey, Path privateKey) {

    /** Issuer of every token the local stack's apps accept. */
    public static final String ISSUER = "https://relay.local/dev";

    /** Reuses the pair in {@code dir} when it exists (tokens survive a restart of the local run). */
    static DevKeys in(Path dir) {
        Path publicKey = dir.resolve("jwt-public.pem");
        Path privateKey = dir.resolve("jwt-private.pem");
        if (Files.exists(publicKey) && Files.exists(privateKey)) {
            return new DevKeys(publicKey, privateKey);
        }
        try {
            Files.createDirectories(dir);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
            Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-------"));
            return new DevKeys(publicKey, privateKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
