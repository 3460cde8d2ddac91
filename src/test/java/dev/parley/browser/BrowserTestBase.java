package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.support.Browser;
import dev.parley.support.NodeTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Browser tests: a real node (one per class) and independent Chromium sessions driven like
 * people would, through the client in webroot/. Skipped, with the reason, where Chromium or
 * chromedriver is missing. A failing test leaves a screenshot of every session in
 * target/browser-failures/ (and its console log).
 */
@Tag("browser")
public abstract class BrowserTestBase extends NodeTestBase {
  protected static final String PASSWORD = "correct horse battery";
  private static final AtomicInteger NAMES = new AtomicInteger();
  private final List<Browser> browsers = new ArrayList<>();

  @BeforeAll
  static void needsChromium() {
    String reason = Browser.unavailable();
    assumeTrue(reason == null, () -> "Browser tests skipped: " + reason);
  }

  protected String baseUrl() {
    return "http://127.0.0.1:" + node.port() + "/";
  }

  /** A new independent browser session on the client. */
  protected Browser browser(Browser.Size size) {
    return browser(size, baseUrl());
  }

  /** A new session on the client at another address (a proxy in front of the node, say). */
  protected Browser browser(Browser.Size size, String url) {
    Browser browser = Browser.open(url, size);
    browsers.add(browser);
    return browser;
  }

  /** A fresh, unique username. */
  protected static String name(String prefix) {
    return prefix + NAMES.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100_000, 36);
  }

  @RegisterExtension
  final AfterTestExecutionCallback failureShots = context -> {
    if (context.getExecutionException().isPresent()) {
      for (int i = 0; i < browsers.size(); i++) {
        Path file = Path.of("target", "browser-failures", context.getRequiredTestClass().getSimpleName() + "-"
            + context.getRequiredTestMethod().getName() + "-" + i + ".png");
        try {
          browsers.get(i).screenshot(file);
          Files.write(Path.of(file.toString().replace(".png", "-console.txt")), browsers.get(i).console());
        } catch (RuntimeException | IOException e) {
          // the session may be what failed
        }
      }
    }
  };

  /** Closes the sessions; a script error or a CSP violation in any of them fails the test. */
  @AfterEach
  void closeBrowsers() {
    List<String> problems = new ArrayList<>();
    for (Browser browser : browsers) {
      try {
        for (String line : browser.console()) {
          if (line.contains("Uncaught") || line.contains("Content Security Policy")) {
            problems.add(line);
          }
        }
        browser.close();
      } catch (RuntimeException e) {
        // already gone
      }
    }
    browsers.clear();
    assertEquals(List.of(), problems, "script errors or CSP violations in the page");
  }
}
