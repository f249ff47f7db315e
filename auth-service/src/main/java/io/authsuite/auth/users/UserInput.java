package io.authsuite.auth.users;

/** Body of user create and update (admin API and console); on update, absent fields stay as they are. */
public record UserInput(String username, String password, String email, String name, java.util.Set<String> roles,
                        Boolean disabled) {
}
