package io.authsuite.redis;

import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import jakarta.inject.Singleton;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Connects as the service's own Redis ACL user ({@code authsuite.redis.user}, from {@code REDIS_USER}), with the
 * password from {@code quarkus.redis.password}: the user may touch only the service's key prefix
 * ({@code redis/users.acl}).
 *
 * <p>The Quarkus client has a password setting but no user setting, and the Vert.x client reads a user only from the
 * endpoint URL: {@code user:password@} (which would put the password into a ConfigMap) or the {@code user} query
 * parameter. This adds the parameter to every endpoint that names no user itself, so the address ({@code REDIS_URL})
 * stays one shared, secret-free value. With Sentinel or Cluster the credentials go into the endpoints in memory
 * instead (see {@link #customize}).
 */
@Singleton
public class RedisUser implements RedisOptionsCustomizer {

    private final Optional<String> user;

    RedisUser(@ConfigProperty(name = "authsuite.redis.user") Optional<String> user) {
        this.user = user.map(String::strip).filter(u -> !u.isEmpty());
    }

    @Override
    public void customize(String clientName, RedisOptions options) {
        String password = options.getPassword();
        if ((options.getType() == RedisClientType.SENTINEL || options.getType() == RedisClientType.CLUSTER)
                && password != null) {
            // Vert.x's Sentinel client logs in to the Sentinels, and to the primary they name, with the credentials
            // of the endpoint URI alone (the password option is not used there); its cluster client logs in to the
            // nodes CLUSTER SLOTS names with the seed URI's user info, dropping its query (the user parameter).
            // So the credentials go into the URI, in memory.
            options.setEndpoints(options.getEndpoints().stream()
                    .map(e -> withCredentials(e, user.orElse(""), password)).toList());
            return;
        }
        user.ifPresent(u -> options.setEndpoints(options.getEndpoints().stream().map(e -> withUser(e, u)).toList()));
    }

    static String withCredentials(String endpoint, String user, String password) {
        int scheme = endpoint.indexOf("://");
        if (scheme < 0 || authority(endpoint, scheme + 3).contains("@")) {
            return endpoint;
        }
        return endpoint.substring(0, scheme + 3) + URLEncoder.encode(user, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@" + endpoint.substring(scheme + 3);
    }

    private static String authority(String endpoint, int from) {
        int end = endpoint.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = endpoint.indexOf(c, from);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return endpoint.substring(from, end);
    }

    static String withUser(String endpoint, String user) {
        int at = endpoint.indexOf('@');
        int query = endpoint.indexOf('?');
        boolean userInAuthority = at >= 0 && (query < 0 || at < query);
        if (userInAuthority || hasUserParameter(endpoint, query)) {
            return endpoint;
        }
        return endpoint + (query < 0 ? "?" : "&") + "user=" + URLEncoder.encode(user, StandardCharsets.UTF_8);
    }

    private static boolean hasUserParameter(String endpoint, int query) {
        if (query < 0) {
            return false;
        }
        return List.of(endpoint.substring(query + 1).split("&")).stream().anyMatch(p -> p.startsWith("user="));
    }
}
