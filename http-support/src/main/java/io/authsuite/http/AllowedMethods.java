package io.authsuite.http;

import java.util.Optional;
import java.util.TreeSet;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.Deployment;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.handlers.ClassRoutingHandler;
import org.jboss.resteasy.reactive.server.handlers.RestInitialHandler.InitialMatch;
import org.jboss.resteasy.reactive.server.mapping.RequestMapper;
import org.jboss.resteasy.reactive.server.spi.ServerRestHandler;

/**
 * The methods a path answers, for the {@code Allow} header of a 405: RFC 9110 §15.5.6 says a 405 MUST carry one, and
 * Quarkus REST throws its {@code NotAllowedException} without it. Read from the same routing table Quarkus REST
 * matched the request with, so it cannot drift from the resources; HEAD comes with GET and OPTIONS with any path, as
 * Quarkus REST answers both by itself.
 */
public final class AllowedMethods {

    private static volatile Table table;

    private AllowedMethods() {
    }

    /** The {@code Allow} value for the request being answered; empty outside a Quarkus REST request. */
    public static Optional<String> ofCurrentRequest() {
        ResteasyReactiveRequestContext request = CurrentRequestManager.get();
        if (request == null || request.getDeployment() == null) {
            return Optional.empty();
        }
        return of(request.getDeployment(), request.getPathWithoutPrefix());
    }

    static Optional<String> of(Deployment deployment, String path) {
        Table current = table;
        if (current == null || current.deployment != deployment) {
            // One per deployment (dev mode's reloads make new ones); built on the first 405, which is rare.
            current = new Table(deployment, new RequestMapper<>(deployment.getClassMappers()));
            table = current;
        }
        TreeSet<String> methods = new TreeSet<>();
        // Every resource class whose path matches, as Quarkus REST itself tries them in turn.
        for (RequestMapper.RequestMatch<InitialMatch> match = current.classes.map(path); match != null;
             match = current.classes.continueMatching(path, match)) {
            String remaining = match.remaining == null || match.remaining.isEmpty() ? "/" : match.remaining;
            for (ServerRestHandler handler : match.value.handlers) {
                if (handler instanceof ClassRoutingHandler routing) {
                    routing.getMappers().forEach((method, mapper) -> {
                        if (method != null && mapper.map(remaining) != null) {
                            methods.add(method);
                        }
                    });
                }
            }
        }
        if (methods.isEmpty()) {
            return Optional.empty();
        }
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        methods.add("OPTIONS");
        return Optional.of(String.join(", ", methods));
    }

    private record Table(Deployment deployment, RequestMapper<InitialMatch> classes) {
    }
}
