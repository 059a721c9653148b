package io.cloudops.api.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Headless Chromium for the browser tests: the system's Debian {@code chromium} package driven by
 * Playwright, which is told never to download a browser of its own. Without the package the tests
 * fail (they do not skip) with the command that installs it; {@code .ci/run} installs it.
 */
public final class Chromium implements AutoCloseable {

    /** Where Debian installs it; {@code -Dchromium.executable=/path} points elsewhere. */
    public static final Path DEFAULT_PATH = Path.of("/usr/bin/chromium");

    private static final List<String> ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-dev-shm-usage");

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static Chromium launch() {
        Path executable = Path.of(System.getProperty("chromium.executable", DEFAULT_PATH.toString()));
        if (!Files.isExecutable(executable)) {
            fail("The browser tests need Chromium at " + executable + " and it is not there. Install Debian's package: "
                    + "apt-get update && apt-get install -y chromium (.ci/run does this), or point -Dchromium.executable at a Chromium binary.");
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(executable)
                    .setHeadless(true)
                    .setArgs(ARGS));
            return new Chromium(playwright, browser);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    public Browser browser() {
        return browser;
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
