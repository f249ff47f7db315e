package io.authsuite.auth.crypto;

import io.authsuite.testing.PackagedMirror;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** The fallback to the JDK's provider, in the packaged application (the native executable with -Dnative). */
@QuarkusIntegrationTest
@PackagedMirror
@TestProfile(SigningProviderFallbackTest.JdkOnly.class)
class SigningProviderFallbackIT extends SigningProviderFallbackTest {
}
