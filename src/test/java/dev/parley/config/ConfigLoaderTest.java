package dev.parley.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.auth.SigningKeys;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @Test
  void defaultsAreASingleNodeOnPort8080WithDataUnderData() {
    ParleyConfig config = ParleyConfig.from(ConfigLoader.load(new String[0], Map.of()));
    assertEquals(8080, config.http().port());
    assertEquals("data", config.store().dataDir());
    assertEquals(Set.of("api", "push", "bridge", "store", "media"), config.roles());
    assertEquals(900, config.auth().accessTokenSeconds());
  }

  @Test
  void aConfFileThenEnvironmentVariablesOverrideTheDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.json");
    Files.writeString(file, new JsonObject().put("http", new JsonObject().put("port", 9000).put("instances", 4)).encode());
    JsonObject merged = ConfigLoader.load(new String[] {"-conf", file.toString()},
        Map.of("PARLEY_HTTP_PORT", "9100", "PARLEY_DATA_DIR", "/srv/parley", "PARLEY_ROLES", "api, push",
            "PARLEY_ALLOWED_ORIGINS", "https://chat.example.com"));
    ParleyConfig config = ParleyConfig.from(merged);
    assertEquals(9100, config.http().port(), "the environment wins over the file");
    assertEquals(4, config.http().instances(), "the file wins over the defaults");
    assertEquals("/srv/parley", config.store().dataDir());
    assertEquals(Set.of("api", "push"), config.roles());
    assertEquals(List.of("https://chat.example.com"), config.http().allowedOrigins());
    assertEquals("HS256", config.auth().jwtAlgorithm(), "untouched keys keep their defaults");

    ParleyConfig inline = ParleyConfig.from(ConfigLoader.load(new String[] {"-conf", "{\"push\":{\"pingSeconds\":5}}"}, Map.of()));
    assertEquals(5, inline.push().pingSeconds());
    assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(new String[0], Map.of("PARLEY_HTTP_PORT", "eighty")));
  }

  @Test
  void theSigningSecretIsGeneratedOnceAndKeptInTheDataDirectory(@TempDir Path dir) throws Exception {
    JsonObject first = ConfigLoader.load(new String[0], Map.of("PARLEY_DATA_DIR", dir.toString()));
    String secret = SigningKeys.resolve(ConfigLoader.resolve(first)).getJsonObject("auth").getString("jwtSecret");
    assertTrue(secret.length() >= 32);
    assertEquals(secret, Files.readString(dir.resolve("jwt-secret")));
    JsonObject second = ConfigLoader.load(new String[0], Map.of("PARLEY_DATA_DIR", dir.toString()));
    assertEquals(secret, SigningKeys.resolve(ConfigLoader.resolve(second)).getJsonObject("auth").getString("jwtSecret"));
    JsonObject configured = ConfigLoader.load(new String[0], Map.of("PARLEY_DATA_DIR", dir.toString(), "PARLEY_JWT_SECRET", "x".repeat(40)));
    assertEquals("x".repeat(40), SigningKeys.resolve(ConfigLoader.resolve(configured)).getJsonObject("auth").getString("jwtSecret"));
  }
}
