package dev.parley.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One independent browser session (its own Chromium process and profile, so its own storage and
 * sign-in) on Debian's {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}: nothing is
 * downloaded. Elements are found by their {@code data-testid} (docs/client-testids.md) and every
 * wait is an explicit condition, never a sleep.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of(System.getProperty("parley.chromium", "/usr/bin/chromium"));
  public static final Path CHROMEDRIVER = Path.of(System.getProperty("parley.chromedriver", "/usr/bin/chromedriver"));
  private static final Duration WAIT = Duration.ofSeconds(15);
  // Selenium warns at every start that it has no CDP bindings for this Chromium; we only use
  // executeCdpCommand, which needs none. Kept in a field: java.util.logging holds loggers weakly.
  private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");

  static {
    SELENIUM_LOG.setLevel(Level.SEVERE);
  }

  /** Viewport sizes: a phone (one pane at a time) and a desktop (list and chat side by side). */
  public enum Size {
    PHONE(390, 844), DESKTOP(1280, 800);

    public final int width;
    public final int height;

    Size(int width, int height) {
      this.width = width;
      this.height = height;
    }
  }

  public final ChromeDriver driver;
  public final String baseUrl;

  private Browser(ChromeDriver driver, String baseUrl) {
    this.driver = driver;
    this.baseUrl = baseUrl;
  }

  /** Why browser tests cannot run here, or null when they can. */
  public static String unavailable() {
    if (!Files.isExecutable(CHROMIUM)) {
      return "Chromium not found at " + CHROMIUM + " (apt-get install chromium, or -Dparley.chromium=...)";
    }
    if (!Files.isExecutable(CHROMEDRIVER)) {
      return "chromedriver not found at " + CHROMEDRIVER + " (apt-get install chromium-driver, or -Dparley.chromedriver=...)";
    }
    return null;
  }

  /** Opens {@code baseUrl} (the client's folder, ending in "/") in a new headless session. */
  public static Browser open(String baseUrl, Size size) {
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=" + size.width + "," + size.height, "--lang=en-GB", "--mute-audio",
        "--disable-search-engine-choice-screen", "--no-first-run");
    // The viewport itself, whatever the smallest window the platform allows.
    options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
        Map.of("width", size.width, "height", size.height, "pixelRatio", 1.0, "touch", false)));
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    Browser browser = new Browser(driver, baseUrl);
    driver.get(baseUrl);
    return browser;
  }

  // ---- finding and waiting ------------------------------------------------------------

  public static By testId(String id) {
    return By.cssSelector("[data-testid=\"" + id + "\"]");
  }

  /** Waits until {@code condition} gives a non-null, non-false value; stale elements just retry. */
  public <T> T waitFor(String what, Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(driver, WAIT)
          .ignoring(StaleElementReferenceException.class)
          .withMessage(what)
          .until(condition);
    } catch (TimeoutException e) {
      throw new TimeoutException(e.getMessage() + "\n" + pageState(), e);
    }
  }

  /** What the page showed when a wait gave up: its address, visible text and console, for the failure report. */
  private String pageState() {
    try {
      String text = js("return document.body ? document.body.innerText : ''");
      return "page " + driver.getCurrentUrl() + "\nvisible text:\n" + (text.length() > 2000 ? text.substring(0, 2000) + "…" : text)
          + "\nconsole:\n" + String.join("\n", console());
    } catch (RuntimeException unreadable) {
      return "page state unreadable: " + unreadable;
    }
  }

  /** The first displayed element with this test id (waits for it). */
  public WebElement find(String testid) {
    return waitFor("visible [" + testid + "]", d -> d.findElements(testId(testid)).stream()
        .filter(WebElement::isDisplayed).findFirst().orElse(null));
  }

  public List<WebElement> all(String testid) {
    return driver.findElements(testId(testid));
  }

  public boolean visible(String testid) {
    return driver.findElements(testId(testid)).stream().anyMatch(e -> {
      try {
        return e.isDisplayed();
      } catch (StaleElementReferenceException gone) {
        return false;
      }
    });
  }

  public void click(String testid) {
    waitFor("click [" + testid + "]", d -> {
      WebElement e = find(testid);
      if (!e.isEnabled()) {
        return false;
      }
      e.click();
      return true;
    });
  }

  public void type(String testid, CharSequence... keys) {
    WebElement e = find(testid);
    e.clear();
    e.sendKeys(keys);
  }

  @SuppressWarnings("unchecked")
  public <T> T js(String script, Object... args) {
    return (T) ((JavascriptExecutor) driver).executeScript(script, args);
  }

  public String text(String testid) {
    return find(testid).getText();
  }

  // ---- the app's common steps ----------------------------------------------------------

  public void signUp(String username, String displayName, String password) {
    click("show-signup");
    type("signup-username", username);
    type("signup-displayname", displayName);
    type("signup-password", password);
    click("signup-submit");
    waitFor("signed in as " + displayName, d -> text("me-name").equals(displayName));
  }

  public void signIn(String username, String password) {
    type("login-username", username);
    type("login-password", password);
    click("login-submit");
    find("me-name");
  }

  /** New chat → search → pick the user: opens the direct conversation. */
  public void startDirectChat(String username) {
    click("new-direct");
    type("user-search", username);
    waitFor("search result @" + username, d -> {
      for (WebElement e : all("user-result")) {
        if (username.equals(e.getAttribute("data-username"))) {
          e.click();
          return true;
        }
      }
      return false;
    });
    find("composer");
  }

  /** Opens the conversation whose list entry has this title (on a phone the list must be showing). */
  public void openConversation(String title) {
    waitFor("conversation " + title, d -> {
      for (WebElement item : all("conversation-item")) {
        if (item.findElement(testId("conversation-title")).getText().equals(title)) {
          item.click();
          return true;
        }
      }
      return false;
    });
    waitFor("chat titled " + title, d -> text("chat-title").equals(title));
  }

  /** Types into the composer and presses Enter. */
  public void send(String text) {
    WebElement composer = find("composer");
    composer.sendKeys(text);
    composer.sendKeys(Keys.ENTER);
  }

  /** The chat's messages, read in one go in the page (no element goes stale halfway). */
  public List<Map<String, Object>> messages() {
    return js("return [...document.querySelectorAll('[data-testid=\"messages\"] [data-testid=\"message\"]')].map(m => ({"
        + "id: m.dataset.messageId || null, seq: m.dataset.seq, clientId: m.dataset.clientId || null,"
        + "sender: m.dataset.senderId, type: m.dataset.type, state: m.dataset.state,"
        + "text: m.querySelector('[data-testid=\"message-text\"]')?.textContent ?? '',"
        + "readState: m.querySelector('[data-testid=\"read-state\"]')?.textContent ?? null}))");
  }

  /** Texts of the non-system messages, in order. */
  public List<String> texts() {
    return messages().stream().filter(m -> !"system".equals(m.get("type"))).map(m -> (String) m.get("text")).toList();
  }

  /** Waits for a message with this exact text and returns its attributes. */
  public Map<String, Object> waitForMessage(String text) {
    return waitFor("message \"" + text + "\"", d -> messages().stream()
        .filter(m -> text.equals(m.get("text"))).findFirst().orElse(null));
  }

  /**
   * Clicks an action of a message ("reply", "recall", "react" for a quick 👍) as people do: on a
   * desktop by pointing at the message and using its toolbar, on a phone through the "⋯" button and
   * the action sheet.
   */
  public void messageAction(String messageId, String action) {
    By message = By.cssSelector("[data-testid=\"message\"][data-message-id=\"" + messageId + "\"]");
    waitFor(action + " on message " + messageId, d -> {
      WebElement el = d.findElement(message);
      new Actions(d).moveToElement(el).perform();
      WebElement button = el.findElement(testId(action));
      if (button.isDisplayed()) {
        button.click();
        return true;
      }
      WebElement more = el.findElement(testId("message-more"));
      if (!more.isDisplayed()) {
        return false;
      }
      more.click();
      return true;
    });
    if (visible("action-sheet")) {
      By inSheet = "react".equals(action)
          ? By.cssSelector("#dialog [data-testid=\"react-emoji\"][data-emoji=\"\uD83D\uDC4D\"]")
          : By.cssSelector("#dialog [data-testid=\"" + action + "\"]");
      waitFor(action + " in the action sheet", d -> {
        WebElement button = d.findElement(inSheet);
        button.click();
        return true;
      });
    }
  }

  /** The message element with this id. */
  public WebElement message(String messageId) {
    return find(By.cssSelector("[data-testid=\"message\"][data-message-id=\"" + messageId + "\"]"));
  }

  private WebElement find(By by) {
    return waitFor("visible " + by, d -> d.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
  }

  /** Ticks a message in the share dialog's list: the first tick starts a range, the second ends it. */
  public void pickForShare(long seq) {
    WebElement box = find(By.cssSelector("[data-testid=\"share-pick\"][data-seq=\"" + seq + "\"]"));
    js("arguments[0].scrollIntoView({block: 'center'})", box);
    box.click();
  }

  /** Cuts (or restores) this browser's network: open sockets drop, requests fail at once. */
  public void offline(boolean offline) {
    driver.executeCdpCommand("Network.enable", Map.of());
    driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of(
        "offline", offline, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
  }

  /** Waits until a service worker controls the page, and returns the scope it was registered for. */
  public String waitForServiceWorker() {
    return waitFor("a service worker controlling the page", d -> js("return navigator.serviceWorker.controller"
        + " ? navigator.serviceWorker.getRegistration().then(r => r.scope) : null"));
  }

  /** The page's console since the last call ("LEVEL message" lines). */
  public List<String> console() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(e -> e.getLevel() + " " + e.getMessage()).toList();
  }

  public void screenshot(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
