package io.authsuite.resourceserver.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.util.function.Supplier;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Authenticates a bearer token that this process has already verified on the calling thread (the event loop), and
 * only a token seen for the first time on a worker thread.
 *
 * <p>Quarkus runs SmallRye JWT's authentication on a worker thread whenever the keys come from a URL (our JWKS at
 * auth-service), because resolving a key may fetch it, and jose4j's fetch blocks for up to its 20 s timeouts. That is
 * right for a new token. For a token in {@link VerifiedTokenCache} nothing is fetched or verified ({@link
 * VerifiedTokens} answers from memory), and the hand-over to a worker and back was about half of inventory-service's
 * CPU per reservation in issue 12's profile.
 */
@Decorator
@Priority(10)
public abstract class VerifiedTokensAuthenticateInline implements IdentityProvider<TokenAuthenticationRequest> {

    private final IdentityProvider<TokenAuthenticationRequest> delegate;
    private final VerifiedTokenCache cache;

    @Inject
    VerifiedTokensAuthenticateInline(@Delegate @Any IdentityProvider<TokenAuthenticationRequest> delegate,
                                     VerifiedTokenCache cache) {
        this.delegate = delegate;
        this.cache = cache;
    }

    // Spelled out: ArC generates a duplicate getRequestType() for an abstract decorator of this generic interface.
    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return delegate.getRequestType();
    }

    @Override
    public int priority() {
        return delegate.priority();
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String token = request.getToken() == null ? null : request.getToken().getToken();
        JsonWebToken known = token == null ? null : cache.get(token);
        if (known == null) {
            return delegate.authenticate(request, context);
        }
        // The "blocking" part runs where it is, with the token it found pinned: nothing in it can block then.
        return delegate.authenticate(request, new AuthenticationRequestContext() {
            @Override
            public Uni<SecurityIdentity> runBlocking(Supplier<SecurityIdentity> function) {
                return Uni.createFrom().item(() -> cache.pinned(token, known, function));
            }
        });
    }
}
