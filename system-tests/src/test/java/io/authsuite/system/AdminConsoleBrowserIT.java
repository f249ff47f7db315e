package io.authsuite.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin console in real headless Chromium, without a line of script: an admin signs in, creates a user; that user
 * signs in to the demo page in a second browser; the admin revokes their session from the console, and the user's
 * next refresh is refused. Each console page is saved as a screenshot under {@code target/screenshots/} (the README
 * shows them).
 */
class AdminConsoleBrowserIT {

    private static Suite suite;
    private static WebDriver admin;
    private static WebDriver person;

    @BeforeAll
    static void start() {
        Browsers.assumeAvailable();
        suite = Suite.shared();
        admin = Browsers.start(1400, 1000);
        person = Browsers.start(1280, 900);
    }

    @AfterAll
    static void stop() {
        for (WebDriver driver : new WebDriver[] {admin, person}) {
            if (driver != null) {
                driver.quit();
            }
        }
    }

    @Test
    void adminCreatesUserThenRevokesTheirSessionAndTheirRefreshIsRefused() {
        try {
            walkThrough();
        } catch (RuntimeException e) {
            throw new AssertionError("admin at " + admin.getCurrentUrl() + ":\n" + admin.getPageSource()
                    + "\n\nperson at " + person.getCurrentUrl() + ":\n" + person.getPageSource(), e);
        }
    }

    private static void signIn(WebDriver driver, WebDriverWait wait, String username, String password) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("sign-in")).click();
    }

    private void walkThrough() {
        WebDriverWait adminWait = new WebDriverWait(admin, Duration.ofSeconds(20));
        WebDriverWait personWait = new WebDriverWait(person, Duration.ofSeconds(20));

        // The console sends a browser without a session to the sign-in form, and back.
        admin.get(suite.auth.url() + "/admin/");
        signIn(admin, adminWait, "admin", "admin-password");
        adminWait.until(ExpectedConditions.visibilityOfElementLocated(By.id("users")));
        assertEquals(suite.auth.url() + "/admin/", admin.getCurrentUrl());

        String name = "browser-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "browser-password-" + UUID.randomUUID().toString().substring(0, 8);
        admin.findElement(By.id("new-username")).sendKeys(name);
        admin.findElement(By.id("new-password")).sendKeys(password);
        admin.findElement(By.id("new-email")).sendKeys(name + "@example.test");
        admin.findElement(By.id("new-name")).sendKeys("Browser Person");
        new Select(admin.findElement(By.id("new-role"))).selectByValue("user");
        admin.findElement(By.id("create")).click();
        adminWait.until(ExpectedConditions.textToBe(By.id("notice"), "User created."));
        String userPage = admin.getCurrentUrl().replaceAll("\\?.*", "");
        admin.get(suite.auth.url() + "/admin/?q=browser-");
        assertTrue(admin.findElement(By.id("users")).getText().contains(name));
        Browsers.screenshot(admin, "console-users");

        // The new person signs in to the demo page in a browser of their own and gets tokens.
        person.get(suite.auth.url() + "/demo/");
        personWait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();
        signIn(person, personWait, name, password);
        personWait.until(ExpectedConditions.textToBe(By.id("status"), "Signed in as " + name + "."));
        person.findElement(By.id("refresh")).click();
        personWait.until(ExpectedConditions.textToBe(By.id("result"), "Access token refreshed."));

        // The admin sees that sign-in as a session, and revokes it.
        admin.get(userPage);
        adminWait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#sessions tr[data-client]")));
        Browsers.screenshot(admin, "console-user");
        admin.findElement(By.cssSelector("#sessions button.revoke")).click();
        adminWait.until(ExpectedConditions.textToBe(By.id("notice"),
                "Session revoked: its refresh tokens and access tokens no longer work."));
        assertTrue(admin.findElements(By.id("no-sessions")).size() == 1, "no live session left");

        // The person's next refresh is refused.
        person.findElement(By.id("refresh")).click();
        personWait.until(ExpectedConditions.textMatches(By.id("result"),
                Pattern.compile("Refresh failed: invalid_grant.*")));

        for (String page : new String[] {"clients", "keys", "events"}) {
            admin.get(suite.auth.url() + "/admin/console/" + page);
            adminWait.until(ExpectedConditions.visibilityOfElementLocated(By.id(page)));
            Browsers.screenshot(admin, "console-" + page);
        }
        // The revocation is in the audit trail, by the admin.
        admin.get(suite.auth.url() + "/admin/console/events?type=revocation");
        assertTrue(admin.findElement(By.id("events")).getText().contains("revoke_session"));
    }
}
