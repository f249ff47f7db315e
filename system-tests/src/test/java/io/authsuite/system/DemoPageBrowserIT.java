package io.authsuite.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo page in a real headless Chromium: sign in as alice through the login form with code + PKCE, tokens bound to
 * a non-extractable WebCrypto DPoP key, place an order at orders-service, refresh through the browser-mode cookie,
 * order again, sign out. Uses the system's chromium and
 * chromedriver (Debian packages); without them the test is skipped, saying so.
 */
class DemoPageBrowserIT {

    private static Suite suite;
    private static WebDriver driver;

    @BeforeAll
    static void start() {
        Browsers.assumeAvailable();
        suite = Suite.shared();
        driver = Browsers.start(1280, 900);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void signInOrderRefreshAndSignOutInARealBrowser() {
        try {
            walkThrough();
        } catch (RuntimeException e) {
            throw new AssertionError("at " + driver.getCurrentUrl() + ":\n" + driver.getPageSource(), e);
        }
    }

    private void walkThrough() {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        driver.get(suite.auth.url() + "/demo/");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("alice");
        driver.findElement(By.id("password")).sendKeys("alice-password");
        driver.findElement(By.id("sign-in")).click();

        wait.until(ExpectedConditions.textToBe(By.id("status"), "Signed in as alice."));
        // The tokens are bound to a DPoP key that WebCrypto made non-extractable, kept in IndexedDB.
        assertEquals("DPoP", driver.findElement(By.id("token-type")).getText());
        Object extractable = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                + "const open = indexedDB.open('authsuite-demo', 1);"
                + "open.onerror = () => done('no database');"
                + "open.onsuccess = () => {"
                + "  const get = open.result.transaction('keys').objectStore('keys').get('dpop');"
                + "  get.onsuccess = () => done(get.result ? get.result.privateKey.extractable : 'no key');"
                + "};");
        assertEquals(Boolean.FALSE, extractable);
        Object scriptCookies = ((JavascriptExecutor) driver).executeScript("return document.cookie");
        assertFalse(String.valueOf(scriptCookies).contains("authsuite_rt"), "the refresh cookie is httpOnly");

        driver.findElement(By.id("order")).click();
        wait.until(ExpectedConditions.textMatches(By.id("result"), java.util.regex.Pattern.compile("Order .* placed\\.")));

        driver.findElement(By.id("refresh")).click();
        wait.until(ExpectedConditions.textToBe(By.id("result"), "Access token refreshed."));
        // The refreshed token, from the key-bound refresh cookie, is bound too, and orders-service still takes it.
        assertEquals("DPoP", driver.findElement(By.id("token-type")).getText());
        driver.findElement(By.id("order")).click();
        wait.until(ExpectedConditions.textMatches(By.id("result"), java.util.regex.Pattern.compile("Order .* placed\\.")));

        driver.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.textToBe(By.id("status"), "Not signed in."));
        assertNull(driver.manage().getCookieNamed("__Host-authsuite_rt"), "logout clears the refresh cookie");
        assertNull(driver.manage().getCookieNamed("authsuite_session"), "logout ends the login session");
    }
}
